import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { installWx, type WxHandles } from '../../test-support/wx/index';
import { ApiError } from '../services/api';
import { createOfflineQueue } from '../services/offline-queue';
import type { OfflineQueueDeps, QueuedMutation, Refusal } from '../services/offline-queue';

let wx: WxHandles;
beforeAll(() => { wx = installWx(); });
afterAll(() => wx.uninstall());

type Answer = unknown | ApiError;

/** A queue over an in-memory store whose server answers each send from `answers` (by path, in turn). */
function harness(answers: Record<string, Answer[]>) {
  const store = new Map<string, QueuedMutation[]>();
  const sent: Array<{ path: string; key: string; body: unknown }> = [];
  const refusals: Refusal[][] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const deps: OfflineQueueDeps = {
    storageKey: () => 'q',
    read: (key) => JSON.parse(JSON.stringify(store.get(key) ?? [])),
    write: (key, items) => { store.set(key, JSON.parse(JSON.stringify(items))); },
    async send(item) {
      sent.push({ path: item.path, key: item.id, body: item.body });
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((r) => setTimeout(r, 5));
      inFlight -= 1;
      const answer = answers[item.path]?.shift();
      if (answer instanceof ApiError) throw answer;
      return answer ?? {};
    },
    tellRefused: (r) => { refusals.push(r); },
    backoffMs: () => 5,
  };
  const queue = createOfflineQueue(deps);
  const add = (path: string, body?: Record<string, unknown>) => queue.enqueue({
    id: `key-${path}-${Math.random().toString(36).slice(2)}`, method: 'PUT', path, ...(body ? { body } : {}),
    createdAt: new Date().toISOString(), label: path, attempts: 0,
  });
  return { queue, sent, refusals, add, maxInFlight: () => maxInFlight };
}

const offline = () => new ApiError(0, 'network', 'request:fail');

describe('offline queue rules', () => {
  test('replays are single-flight: triggers at once never send one item twice or two at a time', async () => {
    const h = harness({});
    for (const p of ['/a', '/b', '/c']) h.add(p);
    await Promise.all([h.queue.replay(), h.queue.replay(), h.queue.replay()]);
    expect(h.sent.map((s) => s.path)).toEqual(['/a', '/b', '/c']);
    expect(h.maxInFlight()).toBe(1);
  });

  test('a network failure keeps the item at the head and retries it, with the same key, after a backoff', async () => {
    const h = harness({ '/a': [offline(), offline(), { ok: 1 }] });
    h.add('/a');
    h.add('/b');
    await h.queue.replay();
    expect(h.queue.pending().map((i) => [i.path, i.attempts])).toEqual([['/a', 1], ['/b', 0]]);
    await expect.poll(() => h.queue.pending().length).toBe(0);
    expect(h.sent.map((s) => s.path)).toEqual(['/a', '/a', '/a', '/b']);
    expect(new Set(h.sent.slice(0, 3).map((s) => s.key)).size).toBe(1);
  });

  test('refusals are dropped and told once per run; a twin still in progress and a busy server are retried', async () => {
    const current = { id: 7, version: 4 };
    const h = harness({
      '/api/crm/opportunities/7/move': [new ApiError(409, 'conflict', 'Someone changed this deal first', { current })],
      '/api/crm/tasks/3': [new ApiError(409, 'conflict', 'A request with this Idempotency-Key is still in progress; retry shortly'), {}],
      '/api/crm/customers/9/notes': [new ApiError(404, 'not_found', 'No such record')],
      '/x': [new ApiError(503, 'unavailable', 'down'), {}],
    });
    const events: string[] = [];
    h.queue.subscribe((e) => events.push(`${e.kind} ${e.item.path}`));
    h.add('/api/crm/opportunities/7/move', { stageId: 2, version: 3 });
    h.add('/api/crm/tasks/3', { status: 'completed', version: 1 });
    h.add('/api/crm/customers/9/notes', { content: 'x' });
    h.add('/x');
    void h.queue.replay();
    await expect.poll(() => h.queue.pending().length).toBe(0);
    expect(events.filter((e) => !e.startsWith('queued'))).toEqual([
      'refused /api/crm/opportunities/7/move', 'applied /api/crm/tasks/3', 'refused /api/crm/customers/9/notes', 'applied /x',
    ]);
    const told = h.refusals.flat();
    expect(told.map((r) => r.item.path)).toEqual(['/api/crm/opportunities/7/move', '/api/crm/customers/9/notes']);
    expect(told[0]!.error.current).toEqual(current);
  });

  test('a change the server keeps failing on (500) is given up after five tries, so later ones go out', async () => {
    const boom = () => new ApiError(500, 'internal', 'Something went wrong on our side');
    const h = harness({ '/bad': [boom(), boom(), boom(), boom(), boom()] });
    h.add('/bad');
    h.add('/good');
    void h.queue.replay();
    await expect.poll(() => h.queue.pending().length).toBe(0);
    expect(h.sent.map((s) => s.path)).toEqual(['/bad', '/bad', '/bad', '/bad', '/bad', '/good']);
    expect(h.refusals.flat().map((r) => r.item.path)).toEqual(['/bad']);
  });

  test("a later edit of the same record, made on top of a queued one, carries the version the first one got", async () => {
    const h = harness({ '/api/crm/opportunities/5/move': [{ success: true, opportunity: { id: 5, version: 8 } }, {}] });
    h.add('/api/crm/opportunities/5/move', { stageId: 2, version: 7 });
    h.add('/api/crm/opportunities/6/move', { stageId: 2, version: 7 });
    h.add('/api/crm/opportunities/5', { title: 'x', version: 7 });
    h.add('/api/crm/opportunities/5/move', { stageId: 3, version: 7 });
    await h.queue.replay();
    expect(h.sent.map((s) => [s.path, (s.body as { version: number }).version])).toEqual([
      ['/api/crm/opportunities/5/move', 7], ['/api/crm/opportunities/6/move', 7],
      ['/api/crm/opportunities/5', 8], ['/api/crm/opportunities/5/move', 8],
    ]);
  });

  test('known offline: submit queues without sending; back online replays at once', async () => {
    const h = harness({});
    h.queue.setOnline(false);
    const res = await h.queue.submit({ method: 'POST', path: '/n', body: { content: 'hi' }, label: 'note' });
    expect(res.queued).toBe(true);
    expect(h.sent).toEqual([]);
    h.queue.setOnline(true);
    await expect.poll(() => h.sent.map((s) => s.path)).toEqual(['/n']);
    expect(h.sent[0]!.key).toBe(res.queued ? res.item.id : '');
  });
});
