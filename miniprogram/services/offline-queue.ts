import { t } from '../i18n/index';
import { errorText } from '../utils/page';
import { isApiError, newIdempotencyKey, request } from './api';
import type { ApiError, Method } from './api';
import type { ConnectionStatus, Unsubscribe } from './realtime-client';
import { getSession } from './session';
import { sendOverSocket, type SocketLane } from './socket-lane';

/**
 * Mutations made without a connection wait here, in wx storage, until the server has them: replayed
 * in order (on reconnect, back online, at launch), each with the Idempotency-Key made when the user
 * acted, so a replay the server already applied answers its first result instead of acting twice.
 */

export interface QueuedMutation {
  /** the Idempotency-Key, made once when the user acted */
  id: string;
  method: Method;
  path: string;
  body?: Record<string, unknown>;
  createdAt: string;
  /** what the user did, in their words: the pending list and a refusal message */
  label: string;
  /** sends so far (a failed one may still have reached the server) */
  attempts: number;
}

export type QueueEvent =
  | { kind: 'queued'; item: QueuedMutation }
  | { kind: 'applied'; item: QueuedMutation; result: unknown }
  /** the server said no (400/403/404/409...): dropped; `error.current` lets a page roll back */
  | { kind: 'refused'; item: QueuedMutation; error: ApiError };

export type Submitted<T> = { queued: false; value: T } | { queued: true; item: QueuedMutation };

export interface MutationSpec {
  method: Method;
  path: string;
  body?: Record<string, unknown>;
  label: string;
  /** the caller's own key, when it already shows the change under one (a pending note) */
  key?: string;
}

export interface Refusal { item: QueuedMutation; error: ApiError }

export interface OfflineQueueDeps {
  /** where the signed-in user's queue lives; null when nobody is signed in */
  storageKey(): string | null;
  read(key: string): unknown;
  write(key: string, items: QueuedMutation[]): void;
  send(item: QueuedMutation): Promise<unknown>;
  /** tells the person what the server refused, once per replay run */
  tellRefused(refusals: Refusal[]): void;
  backoffMs?(failures: number): number;
}

function isQueued(value: unknown): value is QueuedMutation {
  const v = value as Partial<QueuedMutation> | null;
  return !!v && typeof v.id === 'string' && typeof v.path === 'string' && typeof v.method === 'string';
}

/** A change the server keeps failing on (500) would hold back every later one forever. */
const MAX_SERVER_ERRORS = 5;

/** Offline, the server unreachable or busy, or the session gone: try again later, keep the item. */
function isTransient(err: unknown, attempts: number): boolean {
  if (!isApiError(err)) return true;
  if (err.status === 500 && attempts >= MAX_SERVER_ERRORS) return false;
  if (err.status === 0 || err.status >= 500 || [401, 408, 429].includes(err.status)) return true;
  // A twin of this very request is still running on the server: not a refusal (server wording).
  return err.status === 409 && err.current === undefined && /in progress/i.test(err.message);
}

/** `/api/crm/opportunities/12/move` -> ['opportunities', 12]: the record an item changes. */
function recordOf(path: string): [string, number] | null {
  const m = /^\/api\/crm\/([a-z-]+)\/(\d+)/.exec(path);
  return m ? [m[1]!, Number(m[2])] : null;
}

/**
 * A later queued edit of the same record was made on top of this one, with the version the phone
 * knew: once this one is applied, it carries the version the server gave it.
 */
function chainVersions(items: QueuedMutation[], done: QueuedMutation, result: unknown): void {
  const record = recordOf(done.path);
  const sent = done.body?.['version'];
  if (!record || typeof sent !== 'number' || !result || typeof result !== 'object') return;
  const saved = Object.values(result).find((v): v is { id: number; version: number } =>
    !!v && typeof v === 'object' && (v as { id?: unknown }).id === record[1] && typeof (v as { version?: unknown }).version === 'number');
  if (!saved) return;
  for (const item of items) {
    const same = recordOf(item.path);
    if (same && same[0] === record[0] && same[1] === record[1] && item.body?.['version'] === sent) {
      item.body = { ...item.body, version: saved.version };
    }
  }
}

const defaultBackoff = (failures: number): number => Math.min(60_000, 1000 * 2 ** Math.min(failures - 1, 6));

export function createOfflineQueue(deps: OfflineQueueDeps) {
  const subscribers = new Set<(e: QueueEvent) => void>();
  let running: Promise<void> | null = null;
  let again = false;
  let failures = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let knownOffline = false;
  let stopped = false;

  const load = (key: string): QueuedMutation[] => {
    const stored = deps.read(key);
    return Array.isArray(stored) ? stored.filter(isQueued) : [];
  };

  function emit(event: QueueEvent): void {
    for (const fn of [...subscribers]) {
      try { fn(event); } catch (err) { console.error('[offline-queue] subscriber failed', err); }
    }
  }

  function clearTimer(): void {
    if (timer !== null) clearTimeout(timer);
    timer = null;
  }

  /** Back off after a failed send; going online (or reconnecting) retries at once anyway. */
  function retryLater(): void {
    clearTimer();
    if (knownOffline) return;
    timer = setTimeout(() => { timer = null; void replay(); }, (deps.backoffMs ?? defaultBackoff)(failures));
  }

  function enqueue(item: QueuedMutation): QueuedMutation | null {
    const key = deps.storageKey();
    if (!key) return null;
    // Written synchronously: the app may be killed the next moment.
    deps.write(key, [...load(key), item]);
    emit({ kind: 'queued', item });
    return item;
  }

  /** Drops the sent item and lets `update` adjust the rest, in one write. */
  function settle(key: string, sent: QueuedMutation, update?: (rest: QueuedMutation[]) => void): void {
    const rest = load(key).filter((i) => i.id !== sent.id);
    update?.(rest);
    deps.write(key, rest);
  }

  /** Sends the head; false when it has to wait for a better connection. */
  async function sendHead(key: string, refused: Refusal[]): Promise<boolean> {
    const items = load(key);
    const head = items[0];
    if (!head) return false;
    head.attempts += 1;
    deps.write(key, items);
    let result: unknown;
    try {
      result = await deps.send(head);
    } catch (err) {
      if (!isApiError(err) || isTransient(err, head.attempts)) return false;
      settle(key, head);
      refused.push({ item: head, error: err });
      emit({ kind: 'refused', item: head, error: err });
      return true;
    }
    settle(key, head, (rest) => chainVersions(rest, head, result));
    emit({ kind: 'applied', item: head, result });
    return true;
  }

  async function drain(refused: Refusal[]): Promise<void> {
    for (;;) {
      const key = deps.storageKey();
      if (stopped || !key || load(key).length === 0) { failures = 0; return; }
      if (!(await sendHead(key, refused))) { failures += 1; retryLater(); return; }
      failures = 0;
    }
  }

  /** One replay at a time: a trigger while one runs makes it look again when done, never send twice. */
  function replay(): Promise<void> {
    clearTimer();
    if (running) { again = true; return running; }
    const refused: Refusal[] = [];
    running = (async () => {
      try {
        do { again = false; clearTimer(); await drain(refused); } while (again);
      } finally {
        running = null;
        if (refused.length) deps.tellRefused(refused);
      }
    })();
    return running;
  }

  /**
   * Sends now, or queues when there is no connection (or earlier changes still wait: order holds).
   * A network failure after sending queues it too, under the same key: if it did arrive, the replay
   * gets the first answer back.
   */
  async function submit<T>(spec: MutationSpec): Promise<Submitted<T>> {
    const item: QueuedMutation = {
      id: spec.key ?? newIdempotencyKey(), method: spec.method, path: spec.path,
      ...(spec.body ? { body: spec.body } : {}), createdAt: new Date().toISOString(), label: spec.label, attempts: 0,
    };
    const key = deps.storageKey();
    if (key && (knownOffline || running || load(key).length > 0)) {
      enqueue(item);
      if (!knownOffline) void replay();
      return { queued: true, item };
    }
    try {
      return { queued: false, value: (await deps.send({ ...item, attempts: 1 })) as T };
    } catch (err) {
      if (!key || !isApiError(err) || err.status !== 0) throw err;
      enqueue({ ...item, attempts: 1 });
      failures += 1;
      retryLater();
      return { queued: true, item };
    }
  }

  return {
    submit,
    replay,
    enqueue,
    /** what still waits for the server, oldest first */
    pending(): QueuedMutation[] {
      const key = deps.storageKey();
      return key ? load(key) : [];
    },
    subscribe(fn: (e: QueueEvent) => void): Unsubscribe {
      subscribers.add(fn);
      return () => { subscribers.delete(fn); };
    },
    /** From wx.onNetworkStatusChange / getNetworkType: back online replays at once. */
    setOnline(online: boolean): void {
      const wasOffline = knownOffline;
      knownOffline = !online;
      if (!online) clearTimer();
      else if (wasOffline) void replay();
    },
    /** No more retries from this instance (the app is going away). */
    stop(): void {
      stopped = true;
      clearTimer();
      subscribers.clear();
    },
  };
}

export type OfflineQueue = ReturnType<typeof createOfflineQueue>;

const QUEUE_KEY = 'liveCrm.offlineQueue';

/** One modal for a whole replay run, so fifty refusals are not fifty dialogs. */
function showRefused(refusals: Refusal[]): void {
  const first = refusals[0];
  if (!first) return;
  const content = refusals.length === 1
    ? t('offline.refused', { label: first.item.label, reason: errorText(first.error) })
    : t('offline.refusedMany', { count: refusals.length, labels: refusals.slice(0, 3).map((r) => r.item.label).join('；') });
  wx.showModal({ title: t('offline.refusedTitle'), content, showCancel: false, confirmText: t('common.confirm') });
}

/** Set at launch: the app's realtime client, which carries moves while it is online. */
let lane: SocketLane | null = null;

export function wxQueueDeps(): OfflineQueueDeps {
  return {
    // Per user: another sign-in on this phone never replays someone else's changes.
    storageKey: () => {
      const session = getSession();
      return session ? `${QUEUE_KEY}.${session.user.id}` : null;
    },
    read: (key) => wx.getStorageSync(key),
    write: (key, items) => (items.length ? wx.setStorageSync(key, items) : wx.removeStorageSync(key)),
    send: (item) => (lane && sendOverSocket(lane, item))
      ?? request(item.method, item.path, { ...(item.body ? { body: item.body } : {}), idempotencyKey: item.id }),
    tellRefused: showRefused,
  };
}

/** The app's one queue. */
export const offlineQueue = createOfflineQueue(wxQueueDeps());

let started = false;

/** Replay triggers: launch, the network coming back, the realtime socket (re)connecting; moves ride that socket. */
export function startOfflineQueue(live: SocketLane & { onStatus(fn: (s: ConnectionStatus) => void): Unsubscribe }): void {
  if (!started) {
    started = true;
    lane = live;
    wx.onNetworkStatusChange((res) => offlineQueue.setOnline(res.isConnected));
    wx.getNetworkType({ success: (res) => offlineQueue.setOnline(res.networkType !== 'none') });
    live.onStatus((status) => { if (status === 'online') void offlineQueue.replay(); });
  }
  void offlineQueue.replay();
}
