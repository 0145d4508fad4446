import type {
  Ack,
  AnyTeamEvent,
  ClaimingNotice,
  ClientToServerEvents,
  ImportProgress,
  NotificationPayload,
  PresenceChanged,
  ServerToClientEvents,
  SyncResumeResult,
  TeamEventEnvelope,
  TeamEventType,
} from '@live-crm/shared-types';
import type { ManagerOptions, Socket, SocketOptions } from 'weapp.socket.io';
import { errorFromBody, networkError } from './api-error';
import { deliverInOrder, inSeqOrder, Sequencer } from './realtime-sequencer';
import type { SeqMap, SeqStore, StreamEvent } from './realtime-sequencer';

export type RealtimeSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
export type Connect = (url: string, opts: Partial<ManagerOptions & SocketOptions>) => RealtimeSocket;
export type Unsubscribe = () => void;
export type ConnectionStatus = 'idle' | 'connecting' | 'online' | 'offline' | 'unauthorized';
/** fresh: no memory of where we were; too-old: the server no longer keeps the gap; failed: resume did not answer. */
export type ResetReason = 'fresh' | 'too-old' | 'failed' | 'gap';
export interface ResetInfo {
  teamIds: number[];
  reason: ResetReason;
}

export interface RealtimeDeps {
  connect: Connect;
  url: () => string;
  token: () => string | null;
  store: SeqStore;
  /** weapp.socket.io has no timeout()/emitWithAck: our own limit for acks */
  ackTimeoutMs?: number;
  /** How long an envelope that came early waits for the one before it before a resume (default 250 ms). */
  gapGraceMs?: number;
  reconnectionDelayMax?: number;
}

type Handler = (event: AnyTeamEvent) => void;
type CommandName = 'sync:resume' | 'opportunity:move' | 'presence:join' | 'presence:leave' | 'customer:claim-started';
type CommandArgs<K extends CommandName> = ClientToServerEvents[K] extends (req: infer R, ack: (res: Ack<infer T>) => void) => void
  ? { req: R; res: T }
  : never;

/** Every fact the server publishes; typed so a new event name cannot be forgotten here. */
const TEAM_EVENT_SET: Record<TeamEventType, true> = {
  'customer:created': true,
  'customer:updated': true,
  'customer:note-added': true,
  'opportunity:created': true,
  'opportunity:updated': true,
  'opportunity:moved': true,
  'activity:created': true,
  'task:created': true,
  'task:updated': true,
  'task:assigned': true,
  'message:created': true,
  'communication:logged': true,
  'customer:owner-changed': true,
  'opportunity:owner-changed': true,
  'customers:imported': true,
  'member:joined': true,
  'member:deactivated': true,
  'contact:created': true,
  'contact:updated': true,
};

/** The team facts a phone can hear, for anyone who subscribes to all of them (the team feed, tests). */
export const TEAM_EVENT_TYPES = Object.keys(TEAM_EVENT_SET) as readonly TeamEventType[];

function safely<A>(fn: (arg: A) => void, arg: A): void {
  // One page's broken handler must not stop the others (or the sequence bookkeeping).
  try {
    fn(arg);
  } catch (err) {
    console.error('[realtime] handler failed', err);
  }
}

export function createRealtimeClient(deps: RealtimeDeps) {
  const ackTimeoutMs = deps.ackTimeoutMs ?? 8000;
  const gapGraceMs = deps.gapGraceMs ?? 250;
  const seq = new Sequencer(deps.store);
  const handlers = new Map<TeamEventType, Set<Handler>>();
  const resetHandlers = new Set<(info: ResetInfo) => void>();
  const statusHandlers = new Set<(status: ConnectionStatus) => void>();
  const notificationHandlers = new Set<(n: NotificationPayload) => void>();
  const presenceHandlers = new Set<(p: PresenceChanged) => void>();
  const progressHandlers = new Set<(p: ImportProgress) => void>();
  const claimingHandlers = new Set<(n: ClaimingNotice) => void>();
  /** resources this phone is viewing (count of watchers), joined again after every reconnect */
  const watched = new Map<string, number>();
  let socket: RealtimeSocket | null = null;
  let status: ConnectionStatus = 'idle';
  let syncing: { cancel: () => void } | null = null;
  let pending: StreamEvent[] = [];
  let gapTimer: ReturnType<typeof setTimeout> | null = null;

  function setStatus(next: ConnectionStatus): void {
    if (status === next) return;
    status = next;
    for (const h of [...statusHandlers]) safely(h, next);
  }

  function emitReset(info: ResetInfo): void {
    if (info.teamIds.length === 0) return;
    for (const h of [...resetHandlers]) safely(h, info);
  }

  /** A redacted event (`owner` visibility: not this phone's to see) only moves the seq on. */
  function dispatch(event: StreamEvent): void {
    seq.advance(event.teamId, event.seq);
    if (event.type === 'redacted') return;
    for (const h of [...(handlers.get(event.type) ?? [])]) safely(h, event);
  }

  function clearGapTimer(): void {
    if (gapTimer !== null) clearTimeout(gapTimer);
    gapTimer = null;
  }

  /**
   * Live envelope: in order -> deliver (and any held ones it unblocks); repeat -> drop; ahead -> hold
   * it. One node's envelope can overtake another's through Redis, so a gap waits `gapGraceMs` for
   * the missing one before asking the server: a whole team resuming at once is what it saves.
   */
  function receive(event: StreamEvent): void {
    if (syncing) {
      pending.push(event);
      return;
    }
    pending.push(event);
    pending = deliverInOrder(seq, pending, dispatch);
    if (pending.length === 0) clearGapTimer();
    else
      gapTimer ??= setTimeout(() => {
        gapTimer = null;
        resume();
      }, gapGraceMs);
  }

  /**
   * After a resume: held envelopes in order. One newer than the head the resume saw committed after
   * it was read, so what lies between may exist: ask again. A gap the server could not fill (or after
   * a failed resume, `heads` unknown) is taken as is, and its pages refetch.
   */
  function drainPending(heads?: Record<string, number>): void {
    const held = inSeqOrder(pending);
    pending = [];
    const gapTeams = new Set<number>();
    for (const [i, event] of held.entries()) {
      const verdict = seq.verdict(event);
      if (verdict === 'duplicate') continue;
      if (verdict === 'gap' && heads && event.seq > (heads[String(event.teamId)] ?? Infinity)) {
        pending = held.slice(i);
        resume();
        break;
      }
      if (verdict === 'gap') gapTeams.add(event.teamId);
      dispatch(event);
    }
    emitReset({ teamIds: [...gapTeams], reason: 'gap' });
  }

  function applyResume(result: SyncResumeResult, sent: SeqMap): void {
    const teams = Object.keys(result.latestSeq ?? {}).map(Number);
    if (result.reset) {
      for (const team of teams) seq.advance(team, result.latestSeq[String(team)] ?? 0);
      emitReset({ teamIds: teams, reason: 'too-old' });
      return;
    }
    for (const event of inSeqOrder(result.events ?? [])) {
      if (seq.verdict(event) !== 'duplicate') dispatch(event);
    }
    const unknown = teams.filter((team) => sent[String(team)] === undefined);
    // One page of several: the teams it covers advance envelope by envelope, only a fresh team jumps to its head.
    for (const team of result.hasMore ? unknown : teams) seq.advance(team, result.latestSeq[String(team)] ?? 0);
    // Without a remembered seq, events between the page's fetch and this connect are unknown: refetch once.
    emitReset({ teamIds: unknown, reason: 'fresh' });
  }

  function resumeFailed(): void {
    const teams = new Set(pending.map((e) => e.teamId));
    for (const key of Object.keys(seq.snapshot())) teams.add(Number(key));
    emitReset({ teamIds: [...teams], reason: 'failed' });
  }

  /** `sync:resume` with what we last saw; replays the missed envelopes in order. */
  function resume(): void {
    const s = socket;
    if (!s || syncing || !s.connected) return;
    clearGapTimer();
    const sent = seq.snapshot();
    const call = command('sync:resume', { lastSeq: sent });
    let cancelled = false;
    syncing = {
      cancel: () => {
        cancelled = true;
        syncing = null;
      },
    };
    call.then(
      (result) => {
        if (cancelled) return;
        syncing = null;
        applyResume(result, sent);
        // The server answers at most a page: keep asking from where this one ended until caught up.
        if (result.hasMore && !result.reset && (result.events ?? []).length > 0) resume();
        else drainPending(result.latestSeq);
      },
      () => {
        if (!cancelled) {
          syncing = null;
          resumeFailed();
          drainPending();
        }
      },
    );
  }

  function command<K extends CommandName>(event: K, req: CommandArgs<K>['req']): Promise<CommandArgs<K>['res']> {
    const s = socket;
    if (!s || !s.connected) return Promise.reject(networkError(`${event}: not connected`));
    return new Promise((resolve, reject) => {
      // No ack in time is no answer at all: the command may or may not have been applied.
      const timer = setTimeout(() => reject(networkError(`${event}: no answer in time`)), ackTimeoutMs);
      const ack = (res: Ack<CommandArgs<K>['res']>): void => {
        clearTimeout(timer);
        if (res && res.ok) resolve(res.data);
        else reject(errorFromBody(res, { code: 'internal', message: `${event}: failed` }));
      };
      // The generic K hides which overload applies; the pairing is fixed by CommandArgs.
      (s.emit as (ev: string, payload: unknown, cb: typeof ack) => RealtimeSocket)(event, req, ack);
    });
  }

  let refusals = 0;
  function retryRefused(s: RealtimeSocket): void {
    const delay = Math.min(1000 * 2 ** refusals, deps.reconnectionDelayMax ?? 10_000);
    refusals += 1;
    setTimeout(() => {
      if (socket === s && !s.connected) s.connect();
    }, delay);
  }

  function wire(s: RealtimeSocket): void {
    s.on('connect', () => {
      refusals = 0;
      setStatus('online');
      resume();
      for (const r of watched.keys()) joinPresence(r);
    });
    s.on('disconnect', (reason) => {
      syncing?.cancel();
      setStatus(status === 'unauthorized' ? status : 'offline');
      // Closed by the server (token expired, rights changed, node draining): the library does not
      // come back by itself. Reconnecting re-reads the token; a refused one ends in 'unauthorized'.
      if (reason === 'io server disconnect' && socket === s) s.connect();
    });
    s.on('connect_error', (err) => {
      // A rejected token is final until a new sign-in; transport errors retry by themselves.
      if (err.message === 'unauthorized') {
        setStatus('unauthorized');
        return;
      }
      setStatus('offline');
      // A refusal for now (database away, too many sockets) is not retried by the library: we do, with backoff.
      if (err.message === 'unavailable' || err.message === 'too_many_connections') retryRefused(s);
    });
    s.on('notification', (n) => {
      for (const h of [...notificationHandlers]) safely(h, n);
    });
    s.on('presence:changed', (p) => {
      for (const h of [...presenceHandlers]) safely(h, p);
    });
    s.on('import:progress', (p) => {
      for (const h of [...progressHandlers]) safely(h, p);
    });
    s.on('customer:claiming', (n) => {
      for (const h of [...claimingHandlers]) safely(h, n);
    });
    for (const type of TEAM_EVENT_TYPES) s.on(type, receive);
    s.on('event:redacted', receive);
  }

  function start(): void {
    if (socket) return;
    if (!deps.token()) {
      setStatus('idle');
      return;
    }
    setStatus('connecting');
    socket = deps.connect(deps.url(), {
      transports: ['websocket'],
      forceNew: true,
      reconnectionDelayMax: deps.reconnectionDelayMax ?? 10_000,
      // No library connect timer: weapp.socket.io 3.0.0 throws when it fires on a handshake still under
      // way and never retries, so a phone that met a slow node (a reconnect storm) stayed offline for
      // good. WeChat's own limit (app.json networkTimeout.connectSocket) ends the attempt cleanly instead.
      timeout: false,
      // Asked on every (re)connect, so a refreshed token is used without rebuilding the socket.
      auth: (cb) => cb({ token: deps.token() ?? '' }),
    });
    wire(socket);
  }

  function stop(): void {
    const s = socket;
    socket = null;
    syncing?.cancel();
    clearGapTimer();
    pending = [];
    setStatus('idle');
    if (!s) return;
    s.off();
    closeSocket(s);
  }

  function on<K extends TeamEventType>(type: K, handler: (event: TeamEventEnvelope<K>) => void): Unsubscribe {
    const set = handlers.get(type) ?? new Set<Handler>();
    handlers.set(type, set);
    // dispatch() only hands a handler the envelopes of its own type.
    const h = handler as unknown as Handler;
    set.add(h);
    return () => {
      set.delete(h);
    };
  }

  /** The join's ack carries the viewers too: the page need not wait for the room's broadcast. */
  function joinPresence(resource: string): void {
    command('presence:join', { resource }).then(
      (p) => {
        for (const h of [...presenceHandlers]) safely(h, p);
      },
      (err: unknown) => console.warn('[realtime] presence:join failed', err),
    );
  }

  /** Counted as viewing `resource` (e.g. `customer:12`) now and after reconnects, until the returned leave. */
  function watchPresence(resource: string): Unsubscribe {
    watched.set(resource, (watched.get(resource) ?? 0) + 1);
    if (socket?.connected) joinPresence(resource);
    let left = false;
    return () => {
      if (left) return;
      left = true;
      const rest = (watched.get(resource) ?? 1) - 1;
      if (rest > 0) {
        watched.set(resource, rest);
        return;
      }
      watched.delete(resource);
      if (socket?.connected) command('presence:leave', { resource }).catch(() => undefined);
    };
  }

  function subscribe<T>(set: Set<(arg: T) => void>, handler: (arg: T) => void): Unsubscribe {
    set.add(handler);
    return () => {
      set.delete(handler);
    };
  }

  return {
    start,
    stop,
    on,
    onReset: (h: (info: ResetInfo) => void) => subscribe(resetHandlers, h),
    onStatus: (h: (s: ConnectionStatus) => void) => subscribe(statusHandlers, h),
    onNotification: (h: (n: NotificationPayload) => void) => subscribe(notificationHandlers, h),
    onPresence: (h: (p: PresenceChanged) => void) => subscribe(presenceHandlers, h),
    /** How far the server has checked an import this user uploaded (to `user:<id>` only). */
    onImportProgress: (h: (p: ImportProgress) => void) => subscribe(progressHandlers, h),
    /** A teammate started claiming a pool customer (transient, for 正在被领取). */
    onClaiming: (h: (n: ClaimingNotice) => void) => subscribe(claimingHandlers, h),
    watchPresence,
    /** A typed command with an ack (rejects on `{ ok: false }`, a timeout, or no connection). */
    command,
    status: (): ConnectionStatus => status,
    /** true once connected and caught up (no resume in flight) */
    isSynced: (): boolean => status === 'online' && !syncing,
    lastSeq: (teamId: number) => seq.last(teamId),
    /** sign-out: drop the socket and where we were */
    forget: (): void => {
      stop();
      seq.forget();
      watched.clear();
    },
  };
}

export type RealtimeClient = ReturnType<typeof createRealtimeClient>;

/**
 * weapp.socket.io cannot close a WebSocket that is still connecting (it throws, or silently leaves
 * the SocketTask open). Stop retrying, let the pending attempt settle (its onError comes before
 * its onClose), then close.
 */
function closeSocket(s: RealtimeSocket): void {
  const close = (): void => {
    setTimeout(() => {
      try {
        s.disconnect();
      } catch (err) {
        console.warn('[realtime] close failed', err);
      }
    }, 0);
  };
  if (s.connected) {
    s.disconnect();
    return;
  }
  s.io.reconnection(false);
  s.on('connect', close);
  s.on('connect_error', close);
}
