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

/** The list's filters: `scope` (team, owner, status) and `keyword` (the search's own clauses), values bound. */
function filters(q: CustomerListInput, teamIds: number[], owner: OwnerFilter, use: keyof typeof OWN_OR_POOL) {
  // One team compares with `=`, so the planner walks the order's index instead of sorting.
  const scope = [teamIds.length === 1 ? 'c.team_id = $teamId' : 'c.team_id = ANY($teamIds)'];
  const keyword: string[] = [];
  const bind: Record<string, unknown> = teamIds.length === 1 ? { teamId: teamIds[0] } : { teamIds };
  if (q.scope === 'mine') scope.push('c.owner_id = $me');
  else if (q.scope === 'pool') scope.push('c.owner_id IS NULL');
  else if (owner.restrictTo !== null) scope.push(OWN_OR_POOL[use]);
  if (q.scope === 'mine' || (q.scope === 'all' && owner.restrictTo !== null)) bind['me'] = owner.me;
  if (q.status !== 'all') {
    scope.push('c.status = $status');
    bind['status'] = q.status;
  }
  if (q.keyword) {
    // search_text holds a phone's digits and its E.164 key: a keyword typed as `138-0000` searches `1380000`.
    const digits = q.keyword.replace(/[\s\-().]/g, '');
    const text = /^\+?\d+$/.test(digits) ? digits : q.keyword;
    // search_text (migrations 0004, 0006) is name, company, email and phone, lower-cased, trigram-indexed.
    keyword.push('c.search_text LIKE lower($kw)');
    bind['kw'] = likePattern(text);
    // Too short for a trigram (李娜): the bigram index (migration 0013) finds the candidates instead.
    if ([...text].length === 2) {
      keyword.push('customer_bigrams(c.search_text) @> ARRAY[lower($pair)]');
      bind['pair'] = text;
    }
  }
  return { scope, keyword, bind };
}

/**
 * Totals count at most this many rows: counting a million-customer team costs tens of
 * milliseconds on every page, and past this a phone shows "over 10000" anyway. A search's total
 * stops at 200: past a couple of hundred results a rep types more of the name rather than scroll.
 */
export const TOTAL_CAP = 10_000;
export const SEARCH_CAP = 200;
/**
 * How a search finds its page, since the planner cannot tell a rare keyword from a common one (it
 * guesses 2,000 matches for each). It counts the matches through the keyword's index, up to
 * SPARSE_MATCHES. At most that many: all are read through the index and sorted. More: the page walks
 * the list's order, where a common keyword soon fills it. When the count takes over HEDGE_MS (the
 * keyword's letters are common, so its index is slow to read), the page is meanwhile looked for among
 * the first WINDOW_ROWS rows of the order, where such a keyword usually is. At 1M customers walking
 * for a rare keyword read most of the team (a phone's last four digits, 715 matches: 64,000 of a rep's
 * rows, 91 ms; sorted, 3 ms), and counting before walking cost `chen.jing` 45 ms, 30 ms with the window.
 */
export const SPARSE_MATCHES = 2_000;
export const WINDOW_ROWS = 5_000;
export const HEDGE_MS = 8;

export interface ListLimits {
  /** The total stops here (`totalCapped` past it). */
  cap?: number;
  /** A search with at most this many matches may be read whole and sorted. */
  sparse?: number;
  /** A search first looks for its page among this many rows of the list's order. */
  window?: number;
  /** How long the count runs before the window is tried; `null`: never tried. */
  hedgeMs?: number | null;
}

export interface ListPage {
  ids: number[];
  hasMore: boolean;
  total: number;
  totalCapped: boolean;
  nextCursor: string | null;
}

type Row = { id: number; sort_key: string | null };

/** Where the page starts: after the cursor's row, or at the page's offset. */
function position(q: CustomerListInput, order: Order) {
  if (q.cursor === undefined) return { after: [], bind: { limit: q.limit + 1, offset: (q.page - 1) * q.limit } };
  const c = decodeCursor(q.cursor, q.sortBy);
  return {
    after: [c.key === null ? order.afterNull : order.after],
    bind: { limit: q.limit + 1, offset: 0, cursorKey: c.key, cursorId: c.id },
  };
}

/** The list's statements, each fixed text with bound values (test/security/raw-sql reviews them). */
function listQueries(sequelize: Sequelize, q: CustomerListInput, teamIds: number[], owner: OwnerFilter) {
  const order = ORDERS[q.sortBy];
  const page = filters(q, teamIds, owner, 'page');
  const counting = q.keyword ? filters(q, teamIds, owner, 'count') : page;
  const at = position(q, order);
  const bind = { ...page.bind, ...at.bind };
  const scope = [...page.scope, ...at.after].join(' AND ');
  const all = [...page.scope, ...page.keyword, ...at.after].join(' AND ');
  const keyword = [...page.keyword, 'TRUE'].join(' AND ');
  const matched = [...counting.scope, ...counting.keyword].join(' AND ');
  const after = [...at.after, 'TRUE'].join(' AND ');
  const type = QueryTypes.SELECT;
  return {
    /** The page along the order's index. */
    walk: () =>
      sequelize.query<Row>(
        `SELECT c.id, ${order.key} AS sort_key FROM customers c WHERE ${all} ORDER BY ${order.orderBy} LIMIT $limit OFFSET $offset`,
        { bind, type },
      ),
    /** The page if it lies within the first `rows` rows of the order (after the cursor), else fewer rows. */
    window: (rows: number) =>
      sequelize.query<Row>(
        `SELECT c.id, ${order.key} AS sort_key
           FROM (SELECT * FROM customers c WHERE ${scope} ORDER BY ${order.orderBy} LIMIT $window) c
          WHERE ${keyword} ORDER BY ${order.orderBy} LIMIT $limit OFFSET $offset`,
        { bind: { ...bind, window: rows }, type },
      ),
    /** The page from every match, read once through the keyword's index (MATERIALIZED), then sorted. */
    sorted: () =>
      sequelize.query<Row>(
        `WITH m AS MATERIALIZED (SELECT c.id, c.name, c.created_at, c.last_contact_at FROM customers c WHERE ${matched})
         SELECT c.id, ${order.key} AS sort_key FROM m c WHERE ${after} ORDER BY ${order.orderBy} LIMIT $limit OFFSET $offset`,
        { bind, type },
      ),
    /** Matching rows up to `upTo + 1`, in whatever order they are read. */
    count: async (upTo: number) => {
      const [row] = await sequelize.query<{ total: number }>(
        `SELECT count(*)::int AS total FROM (SELECT 1 FROM customers c WHERE ${matched} LIMIT $cap) s`,
        { bind: { ...counting.bind, cap: upTo + 1 }, type },
      );
      return row?.total ?? 0;
    },
  };
}

type ListQueries = ReturnType<typeof listQueries>;

/** `null` once `ms` have passed, unless `work` answered first. */
async function within<T>(work: Promise<T>, ms: number): Promise<T | null> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), ms)));
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

async function searchRows(list: ListQueries, limit: number, cap: number, limits: ListLimits) {
  const { sparse = SPARSE_MATCHES, window = WINDOW_ROWS, hedgeMs = HEDGE_MS } = limits;
  const count = list.count(Math.max(cap, sparse));
  let counted = hedgeMs === null ? await count : await within(count, hedgeMs);
  if (counted === null) {
    // The keyword's index is slow to read (common letters): meanwhile look along the list's order.
    const windowed = await list.window(window);
    counted = await count;
    if (windowed.length > limit) return { rows: windowed, counted };
  }
  return { rows: counted <= sparse ? await list.sorted() : await list.walk(), counted };
}

/** One page of ids in list order, the filtered total (up to the cap), and the cursor after the page's last row. */
export async function listCustomerIds(
  sequelize: Sequelize,
  q: CustomerListInput,
  teamIds: number[],
  owner: OwnerFilter,
  limits: ListLimits = {},
): Promise<ListPage> {
  const cap = limits.cap ?? (q.keyword ? SEARCH_CAP : TOTAL_CAP);
  const list = listQueries(sequelize, q, teamIds, owner);
  const { rows, counted } = q.keyword
    ? await searchRows(list, q.limit, cap, limits)
    : await Promise.all([list.walk(), list.count(cap)]).then(([rows, counted]) => ({ rows, counted }));
  const hasMore = rows.length > q.limit;
  const shown = rows.slice(0, q.limit);
  const last = shown.at(-1);
  return {
    ids: shown.map((r) => r.id),
    hasMore,
    total: Math.min(counted, cap),
    totalCapped: counted > cap,
    nextCursor: hasMore && last ? encodeCursor(q.sortBy, last.sort_key, last.id) : null,
  };
}
