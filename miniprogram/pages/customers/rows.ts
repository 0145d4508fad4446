import type { Customer, CustomerScope, CustomerSort, CustomerStatus, Id } from '@live-crm/shared-types';
import { t } from '../../i18n/index';
import type { MessageKey } from '../../i18n/index';
import { formatRelative } from '../../utils/relative-time';

/** What one list row shows; small, because a live change sends one row across threads. */
export interface Row {
  id: Id;
  name: string;
  initial: string;
  tone: number;
  company: string;
  statusLabel: string;
  statusTheme: string;
  contact: string;
  hasPhone: boolean;
  /** In the pool (公海): the row offers 领取 instead of call and message. */
  pool: boolean;
  /** The owner's name ('' in the pool or when unknown). */
  owner: string;
  /** Who is claiming it right now (正在被领取), '' when nobody. */
  claiming: string;
  /** flex `order`: a live arrival is appended to the array but shown at its sorted place */
  order: number;
  hidden: boolean;
}

export interface ListFilter {
  keyword: string;
  status: CustomerStatus | 'all';
  sortBy: CustomerSort;
  scope: CustomerScope;
  /** The signed-in user: whose customers `mine` shows. */
  me: Id | null;
}

/** Names of the owners rows show, by user id. */
export type Owners = ReadonlyMap<Id, string>;
export type Patch = Record<string, unknown>;

/** Room for 16 live arrivals between the same two rows before two share an order (then DOM order decides). */
const GAP = 1 << 16;
const THEMES: Record<CustomerStatus, string> = { lead: 'primary', prospect: 'warning', active: 'success', inactive: 'default' };

/** Code point order, as PostgreSQL's C collation sorts names. */
function compareText(a: string, b: string): number {
  const x = Array.from(a);
  const y = Array.from(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = (x[i]!.codePointAt(0) ?? 0) - (y[i]!.codePointAt(0) ?? 0);
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

const time = (iso: string | null): number => (iso ? Date.parse(iso) : NaN);

/** The server's list order (customer-list.ts), each with the id tie-breaker. */
export function compareCustomers(sort: CustomerSort, a: Customer, b: Customer): number {
  let d = 0;
  if (sort === 'name') d = compareText(a.name, b.name);
  else if (sort === 'createdAt') d = time(a.createdAt) - time(b.createdAt);
  else {
    const [x, y] = [time(a.lastContactAt), time(b.lastContactAt)];
    d = Number.isNaN(x) || Number.isNaN(y) ? Number(Number.isNaN(x)) - Number(Number.isNaN(y)) : y - x;
  }
  return d !== 0 ? d : a.id - b.id;
}

/** The server's keyword rule: name, company, email or phone contains it; a typed phone ignores separators. */
export function matches(filter: ListFilter, c: Customer): boolean {
  if (filter.status !== 'all' && c.status !== filter.status) return false;
  if (filter.scope === 'pool' && c.ownerId !== null) return false;
  if (filter.scope === 'mine' && (c.ownerId === null || c.ownerId !== filter.me)) return false;
  const keyword = filter.keyword.trim();
  if (!keyword) return true;
  const digits = keyword.replace(/[\s\-().]/g, '');
  const needle = (/^\+?\d+$/.test(digits) ? digits : keyword).toLowerCase();
  // A phone is kept as typed (`138 0013 8000`): its digits are searched too, as the server does.
  const phoneDigits = (c.phone ?? '').replace(/[^\d+]/g, '');
  return [c.name, c.company, c.email, c.phone, phoneDigits].some((field) => (field ?? '').toLowerCase().includes(needle));
}

export function rowOf(c: Customer, order: number, owners: Owners = new Map(), now = Date.now()): Row {
  return {
    id: c.id,
    name: c.name,
    initial: Array.from(c.name.trim())[0] ?? '?',
    tone: c.id % 6,
    company: c.company ?? '',
    statusLabel: t(`status.${c.status}` as MessageKey),
    statusTheme: THEMES[c.status],
    contact: c.lastContactAt ? t('customers.lastContact', { time: formatRelative(c.lastContactAt, now) }) : t('customers.neverContacted'),
    hasPhone: Boolean(c.phone),
    pool: c.ownerId === null,
    owner: c.ownerId === null ? '' : (owners.get(c.ownerId) ?? ''),
    claiming: '',
    order,
    hidden: false,
  };
}

/**
 * The loaded part of the list, plus the bookkeeping that turns one live change into a setData
 * patch of the one row it touches (never the whole list).
 */
export class CustomerRows {
  private readonly held = new Map<Id, { customer: Customer; index: number; order: number; hidden: boolean }>();
  private length = 0;
  total = 0;
  /** The server stopped counting at `total`: there are more. */
  totalCapped = false;
  hasMore = false;

  constructor(
    readonly filter: ListFilter,
    private readonly owners: Owners = new Map(),
  ) {}

  get size(): number {
    return this.length;
  }

  has(id: Id): boolean {
    return this.held.has(id);
  }

  get(id: Id): Customer | undefined {
    return this.held.get(id)?.customer;
  }

  /** A page from the server: new rows appended in its order, repeats dropped. Answers their patch. */
  append(customers: Customer[]): Patch {
    const patch: Patch = {};
    for (const c of customers) {
      if (this.held.has(c.id)) continue;
      const order = (this.lastOrder() ?? -GAP) + GAP;
      patch[`rows[${this.length}]`] = this.put(c, order);
    }
    return patch;
  }

  /** A created or changed customer: patch its row, place it if it belongs in the loaded range, or nothing. */
  apply(c: Customer, created: boolean): Patch | null {
    const held = this.held.get(c.id);
    if (held && c.version < held.customer.version) return null;
    const fits = matches(this.filter, c);
    if (!held) {
      if (!fits || !this.inLoadedRange(c)) return null;
      if (created && !this.totalCapped) this.total += 1;
      return { [`rows[${this.length}]`]: this.put(c, this.orderFor(c)), totalText: this.totalText() };
    }
    held.customer = c;
    if (!fits) {
      held.hidden = true;
      return { [`rows[${held.index}].hidden`]: true };
    }
    held.hidden = false;
    held.order = this.orderFor(c, c.id);
    return { [`rows[${held.index}]`]: rowOf(c, held.order, this.owners) };
  }

  /** A teammate started claiming a pool row: show who (正在被领取), only on that row. */
  claiming(id: Id, name: string): Patch | null {
    const held = this.held.get(id);
    if (!held || held.customer.ownerId !== null) return null;
    return { [`rows[${held.index}].claiming`]: name };
  }

  /** A logged call or message moved the customer's last contact forward. */
  touch(id: Id, at: string): Patch | null {
    const held = this.held.get(id);
    if (!held || (held.customer.lastContactAt && time(held.customer.lastContactAt) >= time(at))) return null;
    return this.apply({ ...held.customer, lastContactAt: at }, false);
  }

  rows(): Row[] {
    const out: Row[] = [];
    for (const h of this.held.values()) out[h.index] = { ...rowOf(h.customer, h.order, this.owners), hidden: h.hidden };
    return out;
  }

  private put(c: Customer, order: number): Row {
    this.held.set(c.id, { customer: c, index: this.length, order, hidden: false });
    this.length += 1;
    return rowOf(c, order, this.owners);
  }

  private lastOrder(): number | undefined {
    let max: number | undefined;
    for (const h of this.held.values()) if (max === undefined || h.order > max) max = h.order;
    return max;
  }

  private sortedOthers(exceptId?: Id): Array<{ customer: Customer; order: number }> {
    return [...this.held.values()].filter((h) => h.customer.id !== exceptId).sort((a, b) => a.order - b.order);
  }

  /** Past the last loaded row while more pages exist, it is the next pages' to bring. */
  private inLoadedRange(c: Customer): boolean {
    if (!this.hasMore) return true;
    const sorted = this.sortedOthers();
    const last = sorted[sorted.length - 1];
    return !last || compareCustomers(this.filter.sortBy, c, last.customer) < 0;
  }

  totalText(): string {
    return t(this.totalCapped ? 'customers.totalOver' : 'customers.total', { count: this.total });
  }

  /** An integer between its sorted neighbours' orders. */
  private orderFor(c: Customer, exceptId?: Id): number {
    const others = this.sortedOthers(exceptId);
    const next = others.findIndex((h) => compareCustomers(this.filter.sortBy, c, h.customer) < 0);
    const before = others[(next === -1 ? others.length : next) - 1];
    const after = next === -1 ? undefined : others[next];
    if (!before) return (after?.order ?? GAP) - GAP;
    if (!after) return before.order + GAP;
    return Math.floor((before.order + after.order) / 2);
  }
}
