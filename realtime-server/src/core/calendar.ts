import { z } from 'zod';

/**
 * The one place dates and date-times are accepted. zod checks the calendar (no 2025-02-29), but
 * takes year 0000, which PostgreSQL refuses; and an offset can push a date-time's instant out of
 * 0001–9999 (`0001-01-01T00:00:00+14:00` is year 0 in UTC). Both would end as a 500 in the database.
 */
const FIRST = Date.parse('0001-01-01T00:00:00Z');
const LAST = Date.parse('9999-12-31T23:59:59.999Z');
const RANGE = 'must fall in the years 0001 to 9999';

const inRange = (ms: number): boolean => ms >= FIRST && ms <= LAST;

/** A real calendar day, YYYY-MM-DD, in years 0001–9999. */
export const calendarDate = (error = 'use a real date, YYYY-MM-DD') => z.iso.date({ error }).refine((s) => !s.startsWith('0000'), RANGE);

/** An ISO-8601 date-time with an offset, naming a real moment in years 0001–9999 (written and in UTC). */
export const instant = (error = 'use an ISO-8601 date-time, e.g. 2025-01-31T09:00:00+08:00') =>
  z.iso.datetime({ offset: true, error }).refine((s) => !s.startsWith('0000') && inRange(Date.parse(s)), RANGE);
