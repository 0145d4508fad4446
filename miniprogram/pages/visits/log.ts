import type { Activity, Id } from '@live-crm/shared-types';
import { t } from '../../i18n/index';
import { formatDateTime } from '../../utils/format';

const SHANGHAI_MS = 8 * 3_600_000;
const DAY = 86_400_000;

/** One rep's visits on one day, as the manager's log shows them. */
export interface VisitGroup {
  key: string;
  rep: string;
  day: string;
  count: string;
  visits: Array<{ id: Id; customerId: Id | null; time: string; place: string; content: string; photos: number }>;
}

/** The China-time day of an instant, YYYY-MM-DD. */
export const dayOf = (iso: string): string => new Date(Date.parse(iso) + SHANGHAI_MS).toISOString().slice(0, 10);

/** Where a period starts: today's China midnight, or that many days before it. */
export function periodStart(days: number, now = Date.now()): string {
  const midnight = Math.floor((now + SHANGHAI_MS) / DAY) * DAY - SHANGHAI_MS;
  return new Date(midnight - (days - 1) * DAY).toISOString();
}

/** Visits (newest first, as the server answers) grouped by rep and day, newest day first. */
export function groupVisits(visits: Activity[]): VisitGroup[] {
  const groups = new Map<string, VisitGroup>();
  for (const v of visits) {
    const day = dayOf(v.occurredAt);
    const key = `${day}:${v.actorId}`;
    let g = groups.get(key);
    if (!g) {
      g = { key, rep: v.actorName, day, count: '', visits: [] };
      groups.set(key, g);
    }
    g.visits.push({
      id: v.id,
      customerId: v.customerId,
      time: formatDateTime(v.occurredAt).slice(-5),
      place: v.location?.name ?? v.location?.address ?? '',
      content: v.content,
      photos: v.attachments.length,
    });
  }
  return [...groups.values()].map((g) => ({ ...g, count: t('visits.count', { count: String(g.visits.length) }) }));
}
