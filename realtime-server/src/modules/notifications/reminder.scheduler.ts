import { QueryTypes, type Transaction } from 'sequelize';
import type { Logger } from 'pino';
import type { Database } from '@live-crm/models';
import type { EventBus, UserNotice } from '../../core/event-bus.js';
import type { WechatClient } from '../auth/wechat.client.js';
import { reminderDraft, reminderMessageData, type ClaimedReminder } from './reminder.content.js';
import type { NotificationsService } from './notifications.service.js';

export interface ReminderSchedulerDeps {
  db: Database;
  notifications: NotificationsService;
  wechat: WechatClient;
  bus: EventBus;
  logger: Logger;
  /** 0 turns the timer off; `runOnce` still works. */
  intervalMs: number;
  batch: number;
  /** Subscription message template; unset: in-app notifications only. */
  templateId: string | undefined;
  defaultTimeZone: string;
}

interface Delivery {
  reminder: ClaimedReminder;
  notice: UserNotice;
  push: boolean;
}

// Claims due reminders: the row lock plus SKIP LOCKED lets every node run this at once, and
// `reminded_at` set in the same transaction as the notification makes each fire exactly once.
// MATERIALIZED keeps the LIMITed, locked id list from being re-evaluated inside the UPDATE.
const CLAIM_SQL = `
WITH due AS MATERIALIZED (
  SELECT id FROM tasks
  WHERE remind_at <= now() AND reminded_at IS NULL AND status <> 'completed'
  ORDER BY remind_at, id
  LIMIT :batch
  FOR UPDATE SKIP LOCKED
), claimed AS (
  UPDATE tasks t SET reminded_at = now() FROM due WHERE t.id = due.id
  RETURNING t.id, t.tenant_id, t.title, t.title_key, t.title_params, t.due_at, t.remind_at, t.customer_id,
    COALESCE(t.assignee_id, t.created_by_id) AS user_id
)
SELECT c.id, c.tenant_id, c.title, c.title_key, c.title_params, c.due_at, c.remind_at, c.user_id, u.wechat_open_id AS open_id,
  cu.name AS customer_name, COALESCE(NULLIF(tn.time_zone, ''), :defaultTz) AS time_zone,
  EXISTS (SELECT 1 FROM follow_ups f WHERE f.task_id = c.id) AS follow_up
FROM claimed c
JOIN users u ON u.id = c.user_id
JOIN tenants tn ON tn.id = c.tenant_id
LEFT JOIN customers cu ON cu.id = c.customer_id
ORDER BY c.remind_at, c.id`;

const SEND_CONCURRENCY = 8;

/** Fires due task and follow-up reminders: stored notification, live `notification`, WeChat message. */
export function createReminderScheduler(deps: ReminderSchedulerDeps) {
  const { db, notifications, wechat, bus, logger } = deps;
  // Without WeChat credentials a send can only fail: spend no consent on it.
  const templateId = wechat.canSend ? deps.templateId : undefined;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<unknown> | null = null;
  let stopped = true;
  let firedTotal = 0;

  /** Which claimed reminders may be pushed: one consent each, spent inside the claim. */
  async function spendConsents(tx: Transaction, rows: ClaimedReminder[]): Promise<Set<number>> {
    const push = new Set<number>();
    if (!templateId) return push;
    const byUser = new Map<number, ClaimedReminder[]>();
    for (const row of rows) if (row.open_id) byUser.set(row.user_id, [...(byUser.get(row.user_id) ?? []), row]);
    // Ascending user order: two nodes locking the same users' consent rows never deadlock.
    for (const userId of [...byUser.keys()].sort((a, b) => a - b)) {
      const mine = byUser.get(userId)!;
      const spent = await notifications.spendConsents(tx, userId, templateId, mine.length);
      for (const row of mine.slice(0, spent)) push.add(row.id);
    }
    return push;
  }

  async function claim(): Promise<Delivery[]> {
    return db.sequelize.transaction(async (tx) => {
      const rows = await db.sequelize.query<ClaimedReminder>(CLAIM_SQL, {
        replacements: { batch: deps.batch, defaultTz: deps.defaultTimeZone },
        transaction: tx,
        type: QueryTypes.SELECT,
      });
      if (rows.length === 0) return [];
      const notices = await notifications.store(tx, rows.map(reminderDraft));
      const push = await spendConsents(tx, rows);
      return rows.map((reminder, i) => ({ reminder, notice: notices[i]!, push: push.has(reminder.id) }));
    });
  }

  // At most once: a failed or timed-out send is logged, never retried (the consent is spent and the
  // message may have arrived); the in-app notification is already committed either way.
  async function sendMessage({ reminder, notice }: Delivery): Promise<void> {
    try {
      await wechat.sendSubscribeMessage({
        toUser: reminder.open_id!,
        templateId: templateId!,
        page: notice.notification.link ?? undefined,
        data: reminderMessageData(reminder),
      });
    } catch (err) {
      logger.warn({ err, taskId: reminder.id, userId: reminder.user_id }, 'subscription message not sent');
    }
  }

  async function deliver(deliveries: Delivery[]): Promise<void> {
    for (const d of deliveries) bus.notify(d.notice);
    const queue = deliveries.filter((d) => d.push);
    const workers = Array.from({ length: Math.min(SEND_CONCURRENCY, queue.length) }, async () => {
      for (let d = queue.shift(); d; d = queue.shift()) await sendMessage(d);
    });
    await Promise.all(workers);
  }

  /** Claims and delivers until nothing is due; answers how many reminders this node fired. */
  async function runOnce(): Promise<number> {
    let fired = 0;
    for (;;) {
      const deliveries = await claim();
      await deliver(deliveries);
      fired += deliveries.length;
      firedTotal += deliveries.length;
      if (deliveries.length < deps.batch) return fired;
    }
  }

  function schedule(): void {
    if (stopped) return;
    timer = setTimeout(() => {
      timer = null;
      running = runOnce()
        .catch((err: unknown) => logger.error({ err }, 'reminder run failed'))
        .finally(() => {
          running = null;
          schedule();
        });
    }, deps.intervalMs);
    timer.unref();
  }

  return {
    runOnce,
    /** Reminders this node has fired since it started. */
    fired: () => firedTotal,
    start(): void {
      if (!stopped || deps.intervalMs <= 0) return;
      stopped = false;
      schedule();
    },
    /** Stops the timer and waits for a run in progress, sends included. */
    async stop(): Promise<void> {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await running;
    },
  };
}

export type ReminderScheduler = ReturnType<typeof createReminderScheduler>;
