import type { AnyCommand, Command, CommandReq, CommandRes, CommandType } from '@live-crm/shared-types';
import { t } from '../i18n/index';
import { errorText } from '../utils/page';
import { isApiError, newIdempotencyKey } from './api';
import type { ApiError } from './api';
import { commandRecord, commandVersion, sendCommand } from './commands';
import { keepFiles, releaseFiles } from './kept-files';
import { upgradeQueued } from './queued-command';
import type { QueuedCommand } from './queued-command';
import type { ConnectionStatus, Unsubscribe } from './realtime-client';
import { getSession } from './session';

/**
 * Commands made without a connection wait here, in wx storage, until the server has them: replayed
 * in order (on reconnect, back online, at launch), each with the Idempotency-Key made when the user
 * acted, so a replay the server already applied answers its first result instead of acting twice.
 */

export type { QueuedCommand };

export type QueueEvent =
  | { kind: 'queued'; item: QueuedCommand }
  | { kind: 'applied'; item: QueuedCommand; result: unknown }
  /** the server said no (validation, forbidden, conflict...): dropped; `error.current` lets a page roll back */
  | { kind: 'refused'; item: QueuedCommand; error: ApiError };

/** A queued command of one of `K` reaching the server: its answer, or the refusal. */
export type Settlement<K extends CommandType> = {
  [T in K]:
    | { kind: 'applied'; key: string; req: CommandReq<T>; result: CommandRes<T> }
    | { kind: 'refused'; key: string; req: CommandReq<T>; error: ApiError };
}[K];

export type Submitted<T> = { queued: false; value: T } | { queued: true; item: QueuedCommand };

export interface Submission<K extends CommandType> {
  command: Command<K>;
  label: string;
  /** the caller's own key, when it already shows the change under one (a pending note) */
  key?: string;
}

export interface Refusal {
  item: QueuedCommand;
  error: ApiError;
}

export interface OfflineQueueDeps {
  /** where the signed-in user's queue lives; null when nobody is signed in */
  storageKey(): string | null;
  read(key: string): unknown;
  write(key: string, items: QueuedCommand[]): void;
  send(item: QueuedCommand): Promise<unknown>;
  /** tells the person what the server refused, once per replay run */
  tellRefused(refusals: Refusal[]): void;
  backoffMs?(failures: number): number;
  /** makes what the item points at (a record's photos) last until it is sent; answers the item to store */
  keep?(item: QueuedCommand): QueuedCommand;
  /** lets go of what `keep` kept, once the server has the item or refused it */
  release?(item: QueuedCommand): void;
}

/** A change the server keeps failing on (internal) would hold back every later one forever. */
const MAX_SERVER_ERRORS = 5;

/** Keep the item and try later: the same send may succeed, or the session is gone (this queue is that user's). */
function keepsWaiting(err: ApiError, attempts: number): boolean {
  if (err.code === 'internal') return attempts < MAX_SERVER_ERRORS;
  return err.retryable || err.code === 'unauthorized';
}

/**
 * A later queued edit of the same record was made on top of this one, with the version the phone
 * knew: once this one is applied, it carries the version the server gave it.
 */
function chainVersions(items: QueuedCommand[], done: QueuedCommand, result: unknown): void {
  const record = commandRecord(done.command);
  const sent = commandVersion(done.command);
  const id = (done.command.req as { id?: unknown }).id;
  if (!record || sent === undefined || !result || typeof result !== 'object') return;
  const saved = Object.values(result).find(
    (v): v is { id: number; version: number } =>
      !!v && typeof v === 'object' && (v as { id?: unknown }).id === id && typeof (v as { version?: unknown }).version === 'number',
  );
  if (!saved) return;
  for (const item of items) {
    if (commandRecord(item.command) === record && commandVersion(item.command) === sent) {
      item.command = { ...item.command, req: { ...item.command.req, version: saved.version } } as AnyCommand;
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

  /** Items an older app version stored are upgraded to commands on the first read, and written back. */
  const load = (key: string): QueuedCommand[] => {
    const { items, upgraded } = upgradeQueued(deps.read(key));
    if (upgraded) deps.write(key, items);
    return items;
  };

  function subscribe(fn: (e: QueueEvent) => void): Unsubscribe {
    subscribers.add(fn);
    return () => {
      subscribers.delete(fn);
    };
  }

  function emit(event: QueueEvent): void {
    for (const fn of [...subscribers]) {
      try {
        fn(event);
      } catch (err) {
        console.error('[offline-queue] subscriber failed', err);
      }
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
    timer = setTimeout(
      () => {
        timer = null;
        void replay();
      },
      (deps.backoffMs ?? defaultBackoff)(failures),
    );
  }

  function enqueue(made: QueuedCommand): QueuedCommand | null {
    const key = deps.storageKey();
    if (!key) return null;
    const item = deps.keep ? deps.keep(made) : made;
    // Written synchronously: the app may be killed the next moment.
    deps.write(key, [...load(key), item]);
    emit({ kind: 'queued', item });
    return item;
  }

  /** Drops the sent item and lets `update` adjust the rest, in one write. */
  function settle(key: string, sent: QueuedCommand, update?: (rest: QueuedCommand[]) => void): void {
    const rest = load(key).filter((i) => i.key !== sent.key);
    update?.(rest);
    deps.write(key, rest);
    deps.release?.(sent);
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
      if (!isApiError(err) || keepsWaiting(err, head.attempts)) return false;
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
      if (stopped || !key || load(key).length === 0) {
        failures = 0;
        return;
      }
      if (!(await sendHead(key, refused))) {
        failures += 1;
        retryLater();
        return;
      }
      failures = 0;
    }
  }

  /** One replay at a time: a trigger while one runs makes it look again when done, never send twice. */
  function replay(): Promise<void> {
    clearTimer();
    if (running) {
      again = true;
      return running;
    }
    const refused: Refusal[] = [];
    running = (async () => {
      try {
        do {
          again = false;
          clearTimer();
          await drain(refused);
        } while (again);
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
  async function submit<K extends CommandType>(spec: Submission<K>): Promise<Submitted<CommandRes<K>>> {
    const item: QueuedCommand = {
      // Command<K> is one member of AnyCommand; TypeScript cannot narrow a generic K to it.
      key: spec.key ?? newIdempotencyKey(),
      command: spec.command as AnyCommand,
      createdAt: new Date().toISOString(),
      label: spec.label,
      attempts: 0,
    };
    const key = deps.storageKey();
    if (key && (knownOffline || running || load(key).length > 0)) {
      const queued = enqueue(item) ?? item;
      if (!knownOffline) void replay();
      return { queued: true, item: queued };
    }
    try {
      return { queued: false, value: (await deps.send({ ...item, attempts: 1 })) as CommandRes<K> };
    } catch (err) {
      if (!key || !isApiError(err) || err.code !== 'network') throw err;
      const queued = enqueue({ ...item, attempts: 1 }) ?? item;
      failures += 1;
      retryLater();
      return { queued: true, item: queued };
    }
  }

  return {
    submit,
    replay,
    enqueue,
    /** what still waits for the server, oldest first */
    pending(): QueuedCommand[] {
      const key = deps.storageKey();
      return key ? load(key) : [];
    },
    subscribe,
    /** Queued commands of these types reaching the server: applied or refused. */
    onSettled<K extends CommandType>(types: readonly K[], fn: (s: Settlement<K>) => void): Unsubscribe {
      return subscribe((e) => {
        if (e.kind === 'queued' || !(types as readonly CommandType[]).includes(e.item.command.type)) return;
        const {
          key,
          command: { req },
        } = e.item;
        // The item's type is one of K, so its req and answer are that command's.
        fn(
          (e.kind === 'applied'
            ? { kind: 'applied', key, req, result: e.result }
            : { kind: 'refused', key, req, error: e.error }) as Settlement<K>,
        );
      });
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

const QUEUE_KEY = 'liveCrm.offlineQueue';

/** One modal for a whole replay run, so fifty refusals are not fifty dialogs. */
function showRefused(refusals: Refusal[]): void {
  const first = refusals[0];
  if (!first) return;
  const content =
    refusals.length === 1
      ? t('offline.refused', { label: first.item.label, reason: errorText(first.error) })
      : t('offline.refusedMany', {
          count: refusals.length,
          labels: refusals
            .slice(0, 3)
            .map((r) => r.item.label)
            .join('；'),
        });
  wx.showModal({ title: t('offline.refusedTitle'), content, showCancel: false, confirmText: t('common.confirm') });
}

function wxQueueDeps(): OfflineQueueDeps {
  return {
    // Per user: another sign-in on this phone never replays someone else's changes.
    storageKey: () => {
      const session = getSession();
      return session ? `${QUEUE_KEY}.${session.user.id}` : null;
    },
    read: (key) => wx.getStorageSync(key),
    write: (key, items) => (items.length ? wx.setStorageSync(key, items) : wx.removeStorageSync(key)),
    send: (item) => sendCommand(item.command, item.key),
    tellRefused: showRefused,
    keep: keepFiles,
    release: releaseFiles,
  };
}

/** The app's one queue. */
export const offlineQueue = createOfflineQueue(wxQueueDeps());

let started = false;

/** Replay triggers: launch, the network coming back, the realtime socket (re)connecting; moves ride that socket. */
export function startOfflineQueue(live: { onStatus(fn: (s: ConnectionStatus) => void): Unsubscribe }): void {
  if (!started) {
    started = true;
    wx.onNetworkStatusChange((res) => offlineQueue.setOnline(res.isConnected));
    wx.getNetworkType({ success: (res) => offlineQueue.setOnline(res.networkType !== 'none') });
    live.onStatus((status) => {
      if (status === 'online') void offlineQueue.replay();
    });
  }
  void offlineQueue.replay();
}
