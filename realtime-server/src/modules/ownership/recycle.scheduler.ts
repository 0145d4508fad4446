import { QueryTypes, type Transaction } from 'sequelize';
import type { Logger } from 'pino';
import type { Database } from '@live-crm/models';
import type { EventBus } from '../../core/event-bus.js';
import { createTicker } from '../../core/ticker.js';
import type { CustomerOwnerOps } from '../customers/customer-owner.service.js';
import { customerLink } from '../customers/customer-owner.service.js';
import type { NotificationsService } from '../notifications/notifications.service.js';

export interface RecycleDeps {
  db: Database;
  owners: Pick<CustomerOwnerOps, 'recycle'>;
  notifications: NotificationsService;
  bus: EventBus;
  logger: Logger;
  /** 0 turns the timer off; `runOnce` still works. */
  intervalMs: number;
  batch?: number;
  /** Held customers a pass reads for warnings (SLICE_SQL). */
  scan?: number;
}

const WARN_DAYS = 3;

/** When a held customer was last worked on: claimed or handed over, contacted, an activity or a note. */
const LAST_ACTIVITY = `GREATEST(c.created_at, c.owned_since, c.last_contact_at,
  (SELECT max(a.created_at) FROM activities a WHERE a.customer_id = c.id),
  (SELECT max(n.created_at) FROM notes n WHERE n.customer_id = c.id))`;

/**
 * The customer's own part of LAST_ACTIVITY. Written as a clause of its own, PostgreSQL checks it
 * before the costlier one that reads the customer's activities and notes.
 */
const OWN_DATES = 'GREATEST(c.created_at, c.owned_since, c.last_contact_at)';

/**
 * Due for recycling (on the locked row `c` joined to its team's settings `s`): idle for
 * `recycle_after_days`, and its owner was warned since the last activity, at least 3 days ago
 * (fewer when the team recycles sooner than that, but at least a day, as recycleAfterDays is:
 * that bound is what reads the warned customers' index).
 */
const STILL_DUE = `s.recycle_after_days IS NOT NULL
  AND c.recycle_warned_at <= now() - interval '1 day'
  AND c.recycle_warned_at <= now() - make_interval(days => LEAST(${WARN_DAYS}, s.recycle_after_days))
  AND ${OWN_DATES} <= now() - make_interval(days => s.recycle_after_days)
  AND ${LAST_ACTIVITY} <= now() - make_interval(days => s.recycle_after_days)
  AND c.recycle_warned_at >= ${LAST_ACTIVITY}`;

/**
 * The next slice of held customers in recycling teams, in id order after `:after`: each pass reads
 * at most `:scan` of them, so a pass costs the same at any team size and the whole table is covered
 * every (held customers / scan) passes.
 */
const SLICE_SQL = `
SELECT max(id) AS last, count(*)::int AS n FROM (
  SELECT c.id FROM customers c JOIN team_settings s ON s.team_id = c.team_id
   WHERE c.id > :after AND c.owner_id IS NOT NULL AND s.recycle_after_days IS NOT NULL
   ORDER BY c.id LIMIT :scan) slice`;

// Warns each owner once per idle stretch: the row lock plus SKIP LOCKED lets every node run this at
// once, and `recycle_warned_at` set in the same transaction as the notification makes it fire once.
const WARN_SQL = `
WITH due AS MATERIALIZED (
  SELECT c.id, ${LAST_ACTIVITY} AS last_at, s.recycle_after_days AS days
    FROM customers c JOIN team_settings s ON s.team_id = c.team_id
   WHERE c.id > :after AND c.id <= :last
     AND s.recycle_after_days IS NOT NULL AND c.owner_id IS NOT NULL
     AND ${OWN_DATES} <= now() - make_interval(days => GREATEST(s.recycle_after_days - ${WARN_DAYS}, 0))
     AND ${LAST_ACTIVITY} <= now() - make_interval(days => GREATEST(s.recycle_after_days - ${WARN_DAYS}, 0))
     AND (c.recycle_warned_at IS NULL OR c.recycle_warned_at < ${LAST_ACTIVITY})
   ORDER BY c.id LIMIT :batch
   FOR UPDATE OF c SKIP LOCKED
)
UPDATE customers cu SET recycle_warned_at = now() FROM due WHERE cu.id = due.id
RETURNING cu.id, cu.name, cu.owner_id, cu.tenant_id, due.last_at + make_interval(days => due.days) AS recycle_at`;

/**
 * A warning that no longer stands (worked on since, back in the pool, or the team stopped
 * recycling) is cleared, so the warned customers' index holds only live warnings. At most 1,000 a
 * pass, so a team that stops recycling does not lock its warned customers all at once.
 */
const CLEAR_SQL = `
WITH stale AS MATERIALIZED (
  SELECT c.id FROM customers c LEFT JOIN team_settings s ON s.team_id = c.team_id
   WHERE c.recycle_warned_at IS NOT NULL
     AND (c.owner_id IS NULL OR s.recycle_after_days IS NULL OR c.recycle_warned_at < ${LAST_ACTIVITY})
   LIMIT 1000
   FOR UPDATE OF c SKIP LOCKED
)
UPDATE customers cu SET recycle_warned_at = NULL FROM stale WHERE cu.id = stale.id`;

/** The candidate locked for its recycle, if it is still held by the same owner and still due. */
const LOCK_IF_DUE_SQL = `
SELECT c.id FROM customers c JOIN team_settings s ON s.team_id = c.team_id
 WHERE c.id = :id AND c.owner_id = :ownerId AND ${STILL_DUE}
   FOR UPDATE OF c SKIP LOCKED`;

const CANDIDATES_SQL = `
SELECT c.id, c.owner_id, c.tenant_id, s.recycle_after_days AS days
  FROM customers c JOIN team_settings s ON s.team_id = c.team_id
 WHERE c.recycle_warned_at IS NOT NULL AND c.owner_id IS NOT NULL AND ${STILL_DUE}
 ORDER BY c.id LIMIT :batch`;

interface Warned {
  id: number;
  name: string;
  owner_id: number;
  tenant_id: number;
  recycle_at: Date;
}

/**
 * Returns idle customers to the pool (ARCHITECTURE 9.2) on every node at once, each exactly once:
 * the warning 3 days before is claimed like a task reminder (SKIP LOCKED, marked in the same
 * transaction), and each recycle is one conditional hand-over that only the first node applies.
 */
export function createRecycleScheduler({ db, owners, notifications, bus, logger, intervalMs, batch = 100, scan = 10_000 }: RecycleDeps) {
  /** Where this node's next warning pass starts; each node walks the table on its own. */
  let after = 0;

  async function warn(): Promise<number> {
    const [slice] = await db.sequelize.query<{ last: number | null; n: number }>(SLICE_SQL, {
      replacements: { after, scan },
      type: QueryTypes.SELECT,
    });
    if (!slice || slice.last === null) {
      after = 0;
      return 0;
    }
    const last = slice.last;
    const rows = await db.sequelize.transaction(async (tx) => {
      const warned = await db.sequelize.query<Warned>(WARN_SQL, {
        replacements: { after, last, batch },
        transaction: tx,
        type: QueryTypes.SELECT,
      });
      const notices = await notifications.store(
        tx,
        warned.map((r) => ({
          tenantId: r.tenant_id,
          userId: r.owner_id,
          kind: 'recycle-warning' as const,
          params: { customerName: r.name, recycleAt: new Date(r.recycle_at).toISOString() },
          link: customerLink(r.id),
        })),
      );
      return { warned, notices };
    });
    // A full batch may leave due customers in the slice: go on from the last one warned.
    after = rows.warned.length === batch ? Math.max(...rows.warned.map((r) => r.id)) : slice.n < scan ? 0 : last;
    for (const n of rows.notices) bus.notify(n);
    return rows.notices.length;
  }

  async function clearStale(): Promise<void> {
    await db.sequelize.query(CLEAR_SQL);
  }

  async function recycle(): Promise<number> {
    const candidates = await db.sequelize.query<{ id: number; owner_id: number; tenant_id: number; days: number }>(CANDIDATES_SQL, {
      replacements: { batch },
      type: QueryTypes.SELECT,
    });
    let done = 0;
    for (const c of candidates) {
      const lockIfDue = async (tx: Transaction) =>
        (
          await db.sequelize.query(LOCK_IF_DUE_SQL, {
            replacements: { id: c.id, ownerId: c.owner_id },
            transaction: tx,
            type: QueryTypes.SELECT,
          })
        ).length > 0;
      if (await owners.recycle({ id: c.id, ownerId: c.owner_id, tenantId: c.tenant_id, days: c.days }, lockIfDue)) done++;
    }
    return done;
  }

  /** One pass: the recycles that are due, then the warnings; answers what this node did. */
  async function runOnce(): Promise<{ warned: number; recycled: number }> {
    const recycled = await recycle();
    await clearStale();
    const warned = await warn();
    if (warned + recycled > 0) logger.info({ warned, recycled }, 'pool recycle');
    return { warned, recycled };
  }

  const ticker = createTicker('pool recycle', intervalMs, runOnce, logger);
  return { runOnce, start: ticker.start, stop: ticker.stop };
}

export type RecycleScheduler = ReturnType<typeof createRecycleScheduler>;
