import { QueryTypes, type Sequelize } from 'sequelize';
import type { CustomerSort } from '@live-crm/shared-types';
import { AppError } from '../../core/app-error.js';
import { calendarDate } from '../../core/calendar.js';
import { storable } from '../../core/validate.js';
import type { CustomerListInput } from './customer.schemas.js';

/**
 * The customer list query. Every order ends with the id tie-breaker, so it is total and a row has
 * exactly one place. In `lastContact` (never contacted last, by id) and `createdAt` (oldest first)
 * a new customer sorts after every existing one: `page` N keeps its rows while customers are added.
 * `cursor` continues strictly after the last row seen (keyset), which also holds in `name` order
 * and when a contact moves a customer up. The SQL below is fixed text; every value is a bind parameter.
 */
interface Order {
  orderBy: string;
  /** The sort key as exact text (timestamps keep their microseconds). */
  key: string;
  /** Rows strictly after the cursor row, for a non-null and a null cursor key. */
  after: string;
  afterNull: string;
}

const ORDERS: Record<CustomerSort, Order> = {
  lastContact: {
    orderBy: 'c.last_contact_at DESC NULLS LAST, c.id ASC',
    key: 'c.last_contact_at::text',
    after:
      '(c.last_contact_at < CAST($cursorKey AS timestamptz) OR (c.last_contact_at = CAST($cursorKey AS timestamptz) AND c.id > $cursorId) OR c.last_contact_at IS NULL)',
    afterNull: '(c.last_contact_at IS NULL AND c.id > $cursorId)',
  },
  name: {
    orderBy: 'c.name ASC, c.id ASC',
    key: 'c.name',
    after: '(c.name, c.id) > ($cursorKey, $cursorId)',
    afterNull: 'FALSE',
  },
  createdAt: {
    orderBy: 'c.created_at ASC, c.id ASC',
    key: 'c.created_at::text',
    after: '(c.created_at, c.id) > (CAST($cursorKey AS timestamptz), $cursorId)',
    afterNull: 'FALSE',
  },
};

type CursorTuple = [sort: CustomerSort, key: string | null, id: number];

export function encodeCursor(sort: CustomerSort, key: string | null, id: number): string {
  return Buffer.from(JSON.stringify([sort, key, id] satisfies CursorTuple)).toString('base64url');
}

function decodeCursor(cursor: string, sort: CustomerSort): { key: string | null; id: number } {
  const invalid = new AppError('validation', 'Invalid query: cursor is not one this list gave out; start again from page 1', {
    details: { fields: [{ path: 'cursor', message: 'unknown cursor' }] },
  });
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid;
  }
  if (!Array.isArray(parsed) || parsed.length !== 3) throw invalid;
  const [s, key, id] = parsed as unknown[];
  if (s !== sort || !KEY_FITS[sort](key) || !Number.isInteger(id) || (id as number) < 1 || (id as number) > ID_MAX) throw invalid;
  return { key: key as string | null, id: id as number };
}

const ID_MAX = 2_147_483_647;
/** `created_at::text` as PostgreSQL writes it, e.g. `2025-03-01 09:30:00.123456+08`. */
const PG_TIMESTAMP = /^(\d{4}-\d{2}-\d{2}) ([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,6})?[+-]\d{2}(:\d{2})?$/;
const isTimestamp = (key: unknown): boolean => {
  const m = typeof key === 'string' ? PG_TIMESTAMP.exec(key) : null;
  return m !== null && calendarDate().safeParse(m[1]).success;
};

/**
 * The cursor's key must be what its sort writes, or the cast in SQL would fail as a 500: a
 * timestamp for the date sorts, storable text for names (a cursor is client-held, so it is checked).
 */
const KEY_FITS: Record<CustomerSort, (key: unknown) => boolean> = {
  lastContact: (key) => key === null || isTimestamp(key),
  createdAt: isTimestamp,
  name: (key) => typeof key === 'string' && key.length <= 200 && storable(key),
};

/** `%`, `_` and `\` in a keyword are literal characters, not patterns. */
const likePattern = (s: string): string => `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** Whose customers a list may show: `restrictTo` (a rep in `owner` mode) sees their own and the pool only. */
export interface OwnerFilter {
  me: number;
  restrictTo: number | null;
}

/**
 * A rep's "own or pool", written for what reads it. Never an OR of two indexable conditions: the
 * planner then ANDed a bitmap of half the team into every search (30 ms at 1M customers).
 * - `page`: the planner sees it is about half the team, so a dense keyword walks the list's order
 *   instead of sorting every match.
 * - `count` (searches only): looks rare to the planner, so the capped count reads the keyword's index; with
 *   a LIMIT it otherwise scans the table until the cap, and a rep's customers are not spread evenly
 *   through the table (a 6,700-match keyword's count took 52 ms that way, 11 ms by the index).
 */
const OWN_OR_POOL = {
  page: 'NOT (c.owner_id IS NOT NULL AND c.owner_id <> $me)',
  count: 'coalesce(c.owner_id, $me) = $me',
};

function filters(q: CustomerListInput, teamIds: number[], owner: OwnerFilter, use: keyof typeof OWN_OR_POOL) {
  // One team compares with `=`, so the planner walks the order's index instead of sorting.
  const where = [teamIds.length === 1 ? 'c.team_id = $teamId' : 'c.team_id = ANY($teamIds)'];
  const bind: Record<string, unknown> = teamIds.length === 1 ? { teamId: teamIds[0] } : { teamIds };
  if (q.scope === 'mine') where.push('c.owner_id = $me');
  else if (q.scope === 'pool') where.push('c.owner_id IS NULL');
  else if (owner.restrictTo !== null) where.push(OWN_OR_POOL[use]);
  if (q.scope === 'mine' || (q.scope === 'all' && owner.restrictTo !== null)) bind['me'] = owner.me;
  if (q.status !== 'all') {
    where.push('c.status = $status');
    bind['status'] = q.status;
  }
  if (q.keyword) {
    // search_text holds a phone's digits and its E.164 key: a keyword typed as `138-0000` searches `1380000`.
    const digits = q.keyword.replace(/[\s\-().]/g, '');
    const keyword = /^\+?\d+$/.test(digits) ? digits : q.keyword;
    // search_text (migrations 0004, 0006) is name, company, email and phone, lower-cased, trigram-indexed.
    where.push('c.search_text LIKE lower($kw)');
    bind['kw'] = likePattern(keyword);
    // Too short for a trigram (李娜): the bigram index (migration 0013) finds the candidates instead.
    if ([...keyword].length === 2) {
      where.push('customer_bigrams(c.search_text) @> ARRAY[lower($pair)]');
      bind['pair'] = keyword;
    }
  }
  return { where, bind };
}

/**
 * Totals count at most this many rows: counting a million-customer team costs tens of
 * milliseconds on every page, and past this a phone shows "over 10000" anyway. A search counts to
 * 200: each match is read to check the keyword (10,000 of them took 20-40 ms), and past a couple of
 * hundred results a rep types more of the name rather than scroll.
 */
export const TOTAL_CAP = 10_000;
export const SEARCH_CAP = 200;

export interface ListPage {
  ids: number[];
  hasMore: boolean;
  total: number;
  totalCapped: boolean;
  nextCursor: string | null;
}

/** One page of ids in list order, the filtered total (up to TOTAL_CAP), and the cursor after the page's last row. */
export async function listCustomerIds(
  sequelize: Sequelize,
  q: CustomerListInput,
  teamIds: number[],
  owner: OwnerFilter,
  cap = q.keyword ? SEARCH_CAP : TOTAL_CAP,
): Promise<ListPage> {
  const order = ORDERS[q.sortBy];
  const { where, bind } = filters(q, teamIds, owner, 'page');
  // Without a keyword the count stops after the cap in whatever order it reads (no index to prefer).
  const counting = q.keyword ? filters(q, teamIds, owner, 'count').where : where;
  const countSql = `SELECT count(*)::int AS total FROM (SELECT 1 FROM customers c WHERE ${counting.join(' AND ')} LIMIT $cap) s`;
  const pageWhere = [...where];
  const pageBind: Record<string, unknown> = { ...bind, limit: q.limit + 1, offset: 0 };
  if (q.cursor !== undefined) {
    const c = decodeCursor(q.cursor, q.sortBy);
    pageWhere.push(c.key === null ? order.afterNull : order.after);
    Object.assign(pageBind, { cursorKey: c.key, cursorId: c.id });
  } else {
    pageBind['offset'] = (q.page - 1) * q.limit;
  }
  const pageSql = `SELECT c.id, ${order.key} AS sort_key FROM customers c WHERE ${pageWhere.join(' AND ')}
    ORDER BY ${order.orderBy} LIMIT $limit OFFSET $offset`;
  const [rows, [count]] = await Promise.all([
    sequelize.query<{ id: number; sort_key: string | null }>(pageSql, { bind: pageBind, type: QueryTypes.SELECT }),
    sequelize.query<{ total: number }>(countSql, { bind: { ...bind, cap: cap + 1 }, type: QueryTypes.SELECT }),
  ]);
  const hasMore = rows.length > q.limit;
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  const counted = count?.total ?? 0;
  return {
    ids: page.map((r) => r.id),
    hasMore,
    total: Math.min(counted, cap),
    totalCapped: counted > cap,
    nextCursor: hasMore && last ? encodeCursor(q.sortBy, last.sort_key, last.id) : null,
  };
}
