import { createServer, type Server as HttpServer } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import type { Ack, AnyTeamEvent, Opportunity, RedactedEvent, SyncResumeRequest, SyncResumeResult } from '@live-crm/shared-types';
import { Server, type Socket } from 'socket.io';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { installWx, type WxHandles } from '../../test-support/wx/index';
import { createRealtimeClient, type Connect, type RealtimeClient, type ResetInfo } from '../services/realtime-client';
import { memorySeqStore, type SeqStore } from '../services/realtime-sequencer';

/** A small real Socket.IO 4 server speaking the contract: team:1 room, seq'd envelopes, sync:resume. */
class FakeTeamServer {
  readonly log: Array<AnyTeamEvent | RedactedEvent> = [];
  resumes: SyncResumeRequest[] = [];
  mode: 'normal' | 'reset' | 'silent' = 'normal';
  /** As the real server: at most this many envelopes per resume answer, with hasMore. */
  pageSize = 500;
  /** How many more handshakes to refuse with 'unavailable' (the server's database is away). */
  refuse = 0;
  /** Runs once, after the next resume's answer is read and before it is sent (commits racing it). */
  duringResume: (() => void) | null = null;
  constructor(readonly io: Server) {
    io.use((socket, next) => {
      if (this.refuse > 0) {
        this.refuse -= 1;
        return next(new Error('unavailable'));
      }
      return socket.handshake.auth['token'] === 'good' ? next() : next(new Error('unauthorized'));
    });
    io.on('connection', (socket: Socket) => {
      void socket.join('team:1');
      socket.on('sync:resume', (req: SyncResumeRequest, ack: (res: Ack<SyncResumeResult>) => void) => this.resume(req, ack));
    });
  }

  private resume(req: SyncResumeRequest, ack: (res: Ack<SyncResumeResult>) => void): void {
    this.resumes.push(req);
    if (this.mode === 'silent') return;
    const latestSeq = { 1: this.log.length };
    if (this.mode === 'reset') return ack({ ok: true, data: { events: [], reset: true, hasMore: false, latestSeq } });
    const seen = req.lastSeq['1'];
    const missed = seen === undefined ? [] : this.log.filter((e) => e.seq > seen);
    const events = missed.slice(0, this.pageSize);
    const hasMore = missed.length > events.length;
    const racing = this.duringResume;
    this.duringResume = null;
    racing?.();
    ack({ ok: true, data: { events, reset: false, hasMore, latestSeq } });
  }

  /** Commits one envelope; `deliver: false` loses it on the way (a gap the client must notice). */
  publish(title: string, deliver = true): AnyTeamEvent {
    const seq = this.log.length + 1;
    // Only the fields the client reads; the rest of the record does not matter here.
    const opportunity = { id: seq, title } as Opportunity;
    const env: AnyTeamEvent = {
      seq,
      eventId: `e${seq}`,
      teamId: 1,
      type: 'opportunity:updated',
      actorId: 7,
      at: new Date().toISOString(),
      data: { opportunity },
    };
    this.log.push(env);
    if (deliver) this.io.to('team:1').emit('opportunity:updated', env);
    return env;
  }

  /** Commits an envelope this phone may not see (`owner` visibility): it gets the seq only. */
  publishRedacted(deliver = true): RedactedEvent {
    const seq = this.log.length + 1;
    const env: RedactedEvent = { seq, eventId: `e${seq}`, teamId: 1, type: 'redacted', at: new Date().toISOString() };
    this.log.push(env);
    if (deliver) this.io.to('team:1').emit('event:redacted', env);
    return env;
  }
}

let http: HttpServer;
let server: FakeTeamServer;
let url: string;
let h: WxHandles;
let connect: Connect;
const clients: RealtimeClient[] = [];

beforeAll(async () => {
  http = createServer();
  server = new FakeTeamServer(new Server(http));
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.io.close();
  await new Promise((r) => http.close(r));
});
beforeEach(() => {
  server.log.length = 0;
  server.resumes = [];
  server.mode = 'normal';
  server.refuse = 0;
  server.pageSize = 500;
  server.duringResume = null;
  h = installWx();
  // weapp.socket.io reads `window` and `wx` when loaded and when connecting: load it after installWx.
  const { io } = createRequire(import.meta.url)('weapp.socket.io') as { io: Connect };
  connect = io;
});
afterEach(() => {
  clients.splice(0).forEach((c) => c.stop());
  h.uninstall();
});

function client(
  store: SeqStore = memorySeqStore(),
  token: string | (() => string) = 'good',
): { c: RealtimeClient; titles: string[]; resets: ResetInfo[] } {
  const tokenNow = typeof token === 'function' ? token : () => token;
  const c = createRealtimeClient({ connect, url: () => url, token: tokenNow, store, ackTimeoutMs: 300, reconnectionDelayMax: 50 });
  clients.push(c);
  const titles: string[] = [];
  const resets: ResetInfo[] = [];
  c.on('opportunity:updated', (e) => titles.push(e.data.opportunity.title));
  c.onReset((r) => resets.push(r));
  c.start();
  return { c, titles, resets };
}

const synced = (c: RealtimeClient) => expect.poll(() => c.isSynced(), { timeout: 3000 }).toBe(true);

describe('realtime client over weapp.socket.io and a real Socket.IO server', () => {
  test('a fresh client learns where the team stands and asks pages to refetch once', async () => {
    server.publish('old 1');
    server.publish('old 2');
    const { c, titles, resets } = client();
    await synced(c);
    expect(server.resumes).toEqual([{ lastSeq: {} }]);
    expect(resets).toEqual([{ teamIds: [1], reason: 'fresh' }]);
    expect(c.lastSeq(1)).toBe(2);
    expect(titles).toEqual([]);
  });

  test('live envelopes arrive in order; a repeat is dropped', async () => {
    const { c, titles } = client();
    await synced(c);
    const first = server.publish('a');
    server.publish('b');
    server.io.to('team:1').emit('opportunity:updated', first);
    server.publish('c');
    await expect.poll(() => titles).toEqual(['a', 'b', 'c']);
  });

  test('a gap triggers sync:resume and the missed envelopes are applied in order, once', async () => {
    const { c, titles } = client();
    await synced(c);
    server.publish('one');
    server.publish('lost two', false);
    server.publish('lost three', false);
    server.publish('four');
    await expect.poll(() => titles).toEqual(['one', 'lost two', 'lost three', 'four']);
    expect(server.resumes.at(-1)).toEqual({ lastSeq: { 1: 1 } });
    expect(c.lastSeq(1)).toBe(4);
  });

  test("an envelope overtaken by a later one (another node's, through Redis) is put back in order without a resume", async () => {
    const { c, titles, resets } = client();
    await synced(c);
    const resumes = server.resumes.length;
    server.publish('one');
    const late = server.publish('two, via the other node', false);
    server.publish('three');
    setTimeout(() => server.io.to('team:1').emit('opportunity:updated', late), 50);
    await expect.poll(() => titles).toEqual(['one', 'two, via the other node', 'three']);
    await new Promise((r) => setTimeout(r, 400));
    expect(server.resumes.length).toBe(resumes);
    expect(resets.filter((r) => r.reason !== 'fresh')).toEqual([]);
    expect(c.lastSeq(1)).toBe(3);
  });

  test('an envelope newer than the resume that was under way asks again: nothing between is skipped', async () => {
    const { c, titles, resets } = client();
    await synced(c);
    server.publish('one');
    await expect.poll(() => titles).toEqual(['one']);
    // A node commits "two" and dies before publishing it; "three" reaches the phone while a
    // resume (read before either) is still on its way back.
    server.duringResume = () => {
      server.publish('two, never published', false);
      server.publish('three');
    };
    server.publish('lost gap', false);
    server.publish('four');
    await expect.poll(() => titles).toEqual(['one', 'lost gap', 'four', 'two, never published', 'three']);
    expect(resets.filter((r) => r.reason === 'gap')).toEqual([]);
    expect(c.lastSeq(1)).toBe(5);
  });

  test('a redacted event moves the seq on, live and in a resume, without a resume of its own or a handler call', async () => {
    const { c, titles, resets } = client();
    await synced(c);
    const resumes = server.resumes.length;
    server.publish('one');
    server.publishRedacted();
    server.publish('three');
    await expect.poll(() => titles).toEqual(['one', 'three']);
    await new Promise((r) => setTimeout(r, 400));
    expect(server.resumes.length).toBe(resumes);
    expect(c.lastSeq(1)).toBe(3);
    // Lost on the way: the resume's answer carries it redacted, and the stream closes over it.
    server.publishRedacted(false);
    server.publish('five');
    await expect.poll(() => titles).toEqual(['one', 'three', 'five']);
    expect(server.resumes.length).toBe(resumes + 1);
    expect(c.lastSeq(1)).toBe(5);
    expect(resets.filter((r) => r.reason !== 'fresh')).toEqual([]);
  });

  test('a handshake refused as unavailable is retried until the server takes it', async () => {
    server.refuse = 2;
    server.publish('while refused');
    const { c } = client();
    await synced(c);
    expect(server.refuse).toBe(0);
    expect(c.status()).toBe('online');
    expect(c.lastSeq(1)).toBe(1);
  });

  test('after a dropped connection it reconnects with auth and replays what it missed', async () => {
    const { c, titles } = client();
    await synced(c);
    server.publish('before');
    await expect.poll(() => titles).toEqual(['before']);
    h.dropSockets();
    await expect.poll(() => c.status()).not.toBe('online');
    server.publish('while away 1');
    server.publish('while away 2');
    await expect.poll(() => titles, { timeout: 5000 }).toEqual(['before', 'while away 1', 'while away 2']);
    expect(server.resumes.at(-1)).toEqual({ lastSeq: { 1: 1 } });
    expect(h.liveSocketCount()).toBe(1);
  });

  test('the last seq survives a relaunch: the next run resumes instead of refetching', async () => {
    const store = memorySeqStore();
    const first = client(store);
    await synced(first.c);
    server.publish('seen');
    await expect.poll(() => first.titles).toEqual(['seen']);
    first.c.stop();
    server.publish('missed while closed');
    const second = client(store);
    await expect.poll(() => second.titles).toEqual(['missed while closed']);
    expect(second.resets).toEqual([]);
  });

  test('a phone behind by more than a page follows hasMore until it has every envelope, in order', async () => {
    const store = memorySeqStore();
    const first = client(store);
    await synced(first.c);
    first.c.stop();
    const missed = Array.from({ length: 1200 }, (_, i) => server.publish(`missed ${i + 1}`).data);
    const resumes = server.resumes.length;
    const second = client(store);
    await expect.poll(() => second.titles.length, { timeout: 5000 }).toBe(1200);
    await synced(second.c);
    expect(second.titles).toEqual(missed.map((d) => (d as { opportunity: Opportunity }).opportunity.title));
    expect(server.resumes.slice(resumes).map((r) => r.lastSeq['1'])).toEqual([0, 500, 1000]);
    expect(second.resets).toEqual([]);
    expect(second.c.lastSeq(1)).toBe(1200);
  });

  test('closed by the server, it reconnects with the current token; a token refused then is final', async () => {
    let token = 'good';
    const { c, titles } = client(memorySeqStore(), () => token);
    await synced(c);
    server.io.disconnectSockets(true);
    await expect.poll(() => h.liveSocketCount()).toBe(1);
    await synced(c);
    server.publish('after the server closed us');
    await expect.poll(() => titles).toEqual(['after the server closed us']);
    token = 'expired';
    server.io.disconnectSockets(true);
    await expect.poll(() => c.status()).toBe('unauthorized');
  });

  test('reset: true (gap beyond retention) tells subscribers to refetch', async () => {
    const store = memorySeqStore({ 1: 0 });
    server.publish('x');
    server.mode = 'reset';
    const { c, resets, titles } = client(store);
    await synced(c);
    expect(resets).toEqual([{ teamIds: [1], reason: 'too-old' }]);
    expect(titles).toEqual([]);
    expect(c.lastSeq(1)).toBe(1);
  });

  test('no ack in time: subscribers refetch and held live envelopes still arrive', async () => {
    server.mode = 'silent';
    const { c, resets, titles } = client(memorySeqStore({ 1: 0 }));
    await expect.poll(() => c.status()).toBe('online');
    server.publish('during resume');
    await expect.poll(() => resets.map((r) => r.reason), { timeout: 2000 }).toEqual(['failed']);
    expect(titles).toEqual(['during resume']);
  });

  test('exactly one socket however often start() is called; a rejected token is final', async () => {
    const { c } = client();
    c.start();
    c.start();
    await synced(c);
    expect(h.liveSocketCount()).toBe(1);
    const bad = client(memorySeqStore(), 'forged');
    await expect.poll(() => bad.c.status()).toBe('unauthorized');
  });

  test('stop() while still connecting leaves no socket behind', async () => {
    const { c } = client();
    c.stop();
    await expect.poll(() => h.liveSocketCount(), { timeout: 3000 }).toBe(0);
    expect(c.status()).toBe('idle');
  });
});

describe('a handshake that never completes (a node too busy to answer, a reconnect storm)', () => {
  test("is given up by WeChat's own connect timeout and tried again until a server answers; the library arms no timer of its own", async () => {
    h.uninstall();
    h = installWx({ connectSocketTimeoutMs: 300 }); // app.json networkTimeout.connectSocket, shortened
    const { io } = createRequire(import.meta.url)('weapp.socket.io') as { io: Connect };
    const asked: Array<Parameters<Connect>[1]> = [];
    // A port that accepts connections and never answers the WebSocket handshake.
    const silent = createNetServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as AddressInfo).port;
    const c = createRealtimeClient({
      connect: (u, opts) => (asked.push(opts), io(u, opts)),
      url: () => `http://127.0.0.1:${port}`,
      token: () => 'good',
      store: memorySeqStore(),
      reconnectionDelayMax: 50,
    });
    clients.push(c);
    c.start();
    // weapp.socket.io 3.0.0 throws when its own connect timer fires mid-handshake, and then never retries.
    expect(asked[0]).toMatchObject({ timeout: false });
    await expect.poll(() => h.sockets.length, { timeout: 5000 }).toBeGreaterThanOrEqual(3);
    expect(c.status()).toBe('offline');

    // The node answers again on the same port: the phone is back without anyone touching it.
    silent.close();
    const late = createServer();
    const lateServer = new FakeTeamServer(new Server(late));
    await new Promise<void>((r) => late.listen(port, '127.0.0.1', r));
    try {
      await synced(c);
    } finally {
      c.stop();
      lateServer.io.close();
      await new Promise((r) => late.close(r));
    }
  });
});
