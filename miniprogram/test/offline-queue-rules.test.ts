// @vitest-environment jsdom
import type { AnyCommand } from '@live-crm/shared-types';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { installWx, type WxHandles } from '../../test-support/wx/index';
import { ApiError } from '../services/api-error';
import type { createOfflineQueue as CreateOfflineQueue, OfflineQueueDeps, Refusal } from '../services/offline-queue';

let wx: WxHandles;
let createOfflineQueue: typeof CreateOfflineQueue;
// The queue module builds the app's realtime client as it loads, which reads wx storage.
beforeAll(async () => {
  wx = installWx();
  ({ createOfflineQueue } = await import('../services/offline-queue'));
});
afterAll(() => wx.uninstall());

type Answer = unknown | ApiError;

/** `opportunity.move 7`: a command and the record it edits, as the harness answers and records it. */
const nameOf = (command: AnyCommand): string => {
  const id = (command.req as { id?: number }).id;
  return id === undefined ? command.type : `${command.type} ${id}`;
};

/** A queue over an in-memory store whose server answers each send from `answers` (by nameOf, in turn). */
function harness(answers: Record<string, Answer[]>) {
  const store = new Map<string, unknown>();
  const sent: Array<{ name: string; key: string; req: unknown }> = [];
  const refusals: Refusal[][] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const deps: OfflineQueueDeps = {
    storageKey: () => 'q',
    read: (key) => JSON.parse(JSON.stringify(store.get(key) ?? [])),
    write: (key, items) => {
      store.set(key, JSON.parse(JSON.stringify(items)));
    },
    async send(item) {
      const name = nameOf(item.command);
      sent.push({ name, key: item.key, req: item.command.req });
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((r) => setTimeout(r, 5));
      inFlight -= 1;
      const answer = answers[name]?.shift();
      if (answer instanceof ApiError) throw answer;
      return answer ?? {};
    },
    tellRefused: (r) => {
      refusals.push(r);
    },
    backoffMs: () => 5,
  };
  const queue = createOfflineQueue(deps);
  const add = (command: AnyCommand) =>
    queue.enqueue({
      key: `key-${nameOf(command)}-${Math.random().toString(36).slice(2)}`,
      command,
      createdAt: new Date().toISOString(),
      label: nameOf(command),
      attempts: 0,
    });
  return { queue, store, sent, refusals, add, maxInFlight: () => maxInFlight };
}

const offline = () => new ApiError('network', 'request:fail');
const note = (customerId: number, content = 'x'): AnyCommand => ({ type: 'note.add', req: { customerId, content } });
const move = (id: number, stageId: number, version: number): AnyCommand => ({ type: 'opportunity.move', req: { id, stageId, version } });
const names = (items: Array<{ name: string }>) => items.map((s) => s.name);

describe('offline queue rules', () => {
  test('replays are single-flight: triggers at once never send one item twice or two at a time', async () => {
    const h = harness({});
    for (const id of [1, 2, 3]) h.add(note(id));
    await Promise.all([h.queue.replay(), h.queue.replay(), h.queue.replay()]);
    expect(names(h.sent)).toEqual(['note.add', 'note.add', 'note.add']);
    expect(h.sent.map((s) => (s.req as { customerId: number }).customerId)).toEqual([1, 2, 3]);
    expect(h.maxInFlight()).toBe(1);
  });

  test('the queue stores commands as data: type and request, under the key made when the user acted', async () => {
    const h = harness({});
    h.queue.setOnline(false);
    const res = await h.queue.submit({ command: { type: 'opportunity.move', req: { id: 4, stageId: 2, version: 6 } }, label: 'move' });
    expect(h.store.get('q')).toEqual([
      {
        key: res.queued ? res.item.key : '',
        command: { type: 'opportunity.move', req: { id: 4, stageId: 2, version: 6 } },
        createdAt: expect.any(String),
        label: 'move',
        attempts: 0,
      },
    ]);
  });

  test('a network failure keeps the item at the head and retries it, with the same key, after a backoff', async () => {
    const h = harness({ 'opportunity.move 1': [offline(), offline(), { ok: 1 }] });
    h.add(move(1, 2, 3));
    h.add(note(9));
    await h.queue.replay();
    expect(h.queue.pending().map((i) => [nameOf(i.command), i.attempts])).toEqual([
      ['opportunity.move 1', 1],
      ['note.add', 0],
    ]);
    await expect.poll(() => h.queue.pending().length).toBe(0);
    expect(names(h.sent)).toEqual(['opportunity.move 1', 'opportunity.move 1', 'opportunity.move 1', 'note.add']);
    expect(new Set(h.sent.slice(0, 3).map((s) => s.key)).size).toBe(1);
  });

  test('retries go by code: a twin still in progress and a busy server are retried, refusals are dropped and told once', async () => {
    const current = { id: 7, version: 4 };
    const h = harness({
      'opportunity.move 7': [new ApiError('conflict', 'Someone changed this deal first', { current })],
      // Same wording as a refusal would have; the code alone says "try again".
      'task.setStatus 3': [new ApiError('in_progress', 'Someone changed this deal first'), {}],
      'note.add': [new ApiError('not_found', 'still in progress')],
      'task.assign 5': [new ApiError('unavailable', 'down'), new ApiError('rate_limited', 'slow down'), {}],
    });
    const events: string[] = [];
    h.queue.subscribe((e) => events.push(`${e.kind} ${nameOf(e.item.command)}`));
    h.add(move(7, 2, 3));
    h.add({ type: 'task.setStatus', req: { id: 3, status: 'completed', version: 1 } });
    h.add(note(9));
    h.add({ type: 'task.assign', req: { id: 5, assigneeId: 2 } });
    void h.queue.replay();
    await expect.poll(() => h.queue.pending().length).toBe(0);
    expect(events.filter((e) => !e.startsWith('queued'))).toEqual([
      'refused opportunity.move 7',
      'applied task.setStatus 3',
      'refused note.add',
      'applied task.assign 5',
    ]);
    const told = h.refusals.flat();
    expect(told.map((r) => nameOf(r.item.command))).toEqual(['opportunity.move 7', 'note.add']);
    expect(told[0]!.error.current).toEqual(current);
  });

  test('settlement is announced per command type, with the typed request and answer', async () => {
    const h = harness({
      'opportunity.move 5': [{ success: true, opportunity: { id: 5, version: 8 } }],
      'note.add': [new ApiError('forbidden', 'no')],
    });
    const moves: string[] = [];
    const notes: string[] = [];
    h.queue.onSettled(['opportunity.move'], (s) =>
      moves.push(s.kind === 'applied' ? `${s.req.id}@${s.result.opportunity.version}` : `refused ${s.req.id}`),
    );
    h.queue.onSettled(['note.add'], (s) => notes.push(`${s.kind} ${s.req.customerId}`));
    h.add(move(5, 2, 7));
    h.add(note(3));
    await h.queue.replay();
    expect(moves).toEqual(['5@8']);
    expect(notes).toEqual(['refused 3']);
  });

  test('a change the server keeps failing on (internal) is given up after five tries, so later ones go out', async () => {
    const boom = () => new ApiError('internal', 'Something went wrong on our side');
    const h = harness({ 'opportunity.move 1': [boom(), boom(), boom(), boom(), boom()] });
    h.add(move(1, 2, 3));
    h.add(note(2));
    void h.queue.replay();
    await expect.poll(() => h.queue.pending().length).toBe(0);
    expect(names(h.sent)).toEqual([...Array<string>(5).fill('opportunity.move 1'), 'note.add']);
    expect(h.refusals.flat().map((r) => nameOf(r.item.command))).toEqual(['opportunity.move 1']);
  });

  test('a later edit of the same record, made on top of a queued one, carries the version the first one got', async () => {
    const h = harness({ 'opportunity.move 5': [{ success: true, opportunity: { id: 5, version: 8 } }, {}] });
    h.add(move(5, 2, 7));
    h.add(move(6, 2, 7));
    h.add({ type: 'opportunity.update', req: { id: 5, title: 'x', version: 7 } });
    h.add(move(5, 3, 7));
    await h.queue.replay();
    expect(h.sent.map((s) => [s.name, (s.req as { version: number }).version])).toEqual([
      ['opportunity.move 5', 7],
      ['opportunity.move 6', 7],
      ['opportunity.update 5', 8],
      ['opportunity.move 5', 8],
    ]);
  });

  test('known offline: submit queues without sending; back online replays at once', async () => {
    const h = harness({});
    h.queue.setOnline(false);
    const res = await h.queue.submit({ command: note(1, 'hi'), label: 'note' });
    expect(res.queued).toBe(true);
    expect(h.sent).toEqual([]);
    h.queue.setOnline(true);
    await expect.poll(() => names(h.sent)).toEqual(['note.add']);
    expect(h.sent[0]!.key).toBe(res.queued ? res.item.key : '');
  });

  test('items an older app queued as { method, path, body } are upgraded to commands once, keeping their keys', async () => {
    const h = harness({});
    const old = (id: string, method: string, path: string, body?: object) => ({
      id,
      method,
      path,
      ...(body ? { body } : {}),
      createdAt: '2026-12-01T08:00:00.000Z',
      label: id,
      attempts: 1,
    });
    h.store.set('q', [
      old('k1', 'PUT', '/api/crm/opportunities/12/move', { stageId: 3, version: 4 }),
      old('k2', 'POST', '/api/crm/customers/9/notes', { content: '地铁里写的' }),
      old('k3', 'PUT', '/api/crm/tasks/5', { status: 'completed', version: 2 }),
      old('k4', 'PATCH', '/api/crm/opportunities/12', { title: 'Renamed', version: 4 }),
      old('k5', 'DELETE', '/api/crm/nothing/1'),
    ]);
    const upgraded = [
      { key: 'k1', command: { type: 'opportunity.move', req: { id: 12, stageId: 3, version: 4 } } },
      { key: 'k2', command: { type: 'note.add', req: { customerId: 9, content: '地铁里写的' } } },
      { key: 'k3', command: { type: 'task.setStatus', req: { id: 5, status: 'completed', version: 2 } } },
      { key: 'k4', command: { type: 'opportunity.update', req: { id: 12, title: 'Renamed', version: 4 } } },
    ].map((item) => ({ ...item, createdAt: '2026-12-01T08:00:00.000Z', label: item.key, attempts: 1 }));
    expect(h.queue.pending()).toEqual(upgraded);
    // Written back in the new shape: the next read finds commands, nothing left to upgrade.
    expect(h.store.get('q')).toEqual(upgraded);
  });
});
