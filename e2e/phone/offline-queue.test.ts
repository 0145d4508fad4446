// @vitest-environment jsdom
import type { AnyTeamEvent, Opportunity, PipelineResponse, Stage, Task } from '@live-crm/shared-types';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { signIn } from '../../realtime-server/test/support/clients.js';
import { startTestNode, type TestNode } from '../../realtime-server/test/support/nodes.js';
import { requestsSettled, teammate } from '../support/app';
import { ensureBuilt } from '../../miniprogram/test/support/build';
import { answered, eventsAfter, killApp, lastSeq, launchApp, loseNetworkOnAnswer, type AppRun } from '../support/offline';
import { openPage, tap, type OpenedPage } from '../../miniprogram/test/support/page';

const ZH_STAGES: Record<string, string> = {
  Lead: '线索',
  Qualified: '已确认',
  Proposal: '方案',
  Negotiation: '谈判',
  Won: '赢单',
  Lost: '输单',
};

let server: TestNode;
let root: string;
let rita: Awaited<ReturnType<typeof teammate>>;
let run: AppRun | null = null;
let page: OpenedPage | null = null;

beforeAll(async () => {
  [server, root] = await Promise.all([startTestNode(), ensureBuilt()]);
  rita = await teammate(server.url, 'rita');
});
afterEach(() => {
  page?.close();
  page = null;
  if (run) killApp(run);
  run = null;
});
afterAll(async () => {
  await server?.stop();
});

const sorted = (res: PipelineResponse): Stage[] => [...res.stages].sort((a, b) => a.position - b.position);
/** The stage `steps` after the deal's current one (wrapping), never the one it is in. */
const stageAfter = (stages: Stage[], deal: Opportunity, steps: number): Stage =>
  stages[(stages.findIndex((s) => s.id === deal.stageId) + steps) % stages.length]!;

/** What one committed event did, comparable with what the phone queued. */
function effect(e: AnyTeamEvent): string {
  if (e.type === 'opportunity:moved') return `move ${e.data.opportunity.id} -> ${e.data.toStageId}`;
  if (e.type === 'customer:note-added') return `note ${e.data.customerId} ${e.data.note.content}`;
  if (e.type === 'task:updated') return `task ${e.data.task.id} ${e.data.task.status}`;
  if (e.type === 'communication:logged') return `call ${e.data.communication.customerId}`;
  return e.type;
}

/** Launched, signed in as Ray and caught up; then the network goes away. */
async function onlineThenOffline(): Promise<AppRun> {
  const launched = await launchApp(root, server);
  run = launched;
  await expect.poll(() => launched.realtime.isSynced(), { timeout: 5000 }).toBe(true);
  launched.wx.setOffline(true);
  await expect.poll(() => launched.realtime.status(), { timeout: 5000 }).not.toBe('online');
  return launched;
}

/** Queues edits while offline and remembers, in order, what each should do on the server. */
function recorder(app: AppRun) {
  const expected: string[] = [];
  let notes = 0;
  return {
    expected,
    async move(deal: Opportunity, stage: Stage) {
      expect((await app.pipeline.saveMove(deal, stage)).queued).toBe(true);
      expected.push(`move ${deal.id} -> ${stage.id}`);
    },
    async note(customerId: number) {
      const content = `离线备注 #${++notes}`;
      expect((await app.saves.saveNote(customerId, content, `note-${notes}-${Date.now().toString(36)}`)).queued).toBe(true);
      expected.push(`note ${customerId} ${content}`);
    },
  };
}

describe('offline queue against a real server', () => {
  test('50 edits made offline survive a kill and relaunch; back online each is applied exactly once, in order', async () => {
    const board = await rita.pipeline();
    const stages = sorted(board);
    const teamId = stages[0]!.teamId;
    const first = await onlineThenOffline();
    const before = await lastSeq(server, teamId);
    const edits = recorder(first);
    // Every deal moved twice, both times with the version the phone knew: the second is chained
    // onto the first's result on replay. Notes in between.
    for (const round of [1, 2]) {
      for (const [i, deal] of board.opportunities.entries()) {
        await edits.move(deal, stageAfter(stages, deal, round));
        if (i % 2 === 0) await edits.note(deal.customerId);
      }
    }
    for (let i = 0; edits.expected.length < 50; i++) await edits.note(board.opportunities[i % board.opportunities.length]!.customerId);
    expect(first.queue.pending()).toHaveLength(50);
    expect(await lastSeq(server, teamId)).toBe(before);

    killApp(first);
    const second = await launchApp(root, server, { storage: first.storage, offline: true });
    run = second;
    const queued = second.queue.pending();
    expect(queued).toHaveLength(50);
    expect(queued[0]!.label).toBe(
      `将“${board.opportunities[0]!.title}”移到“${ZH_STAGES[stageAfter(stages, board.opportunities[0]!, 1).name]}”`,
    );

    // Back online: the network listener, a foreground and a direct call all trigger a replay at once.
    second.wx.setOffline(false);
    second.app.onShow();
    void second.queue.replay();
    await expect.poll(() => second.queue.pending().length, { timeout: 30_000, interval: 100 }).toBe(0);

    const events = await eventsAfter(server, teamId, before);
    expect(events.map(effect)).toEqual(edits.expected);
    const after = await rita.pipeline();
    for (const deal of board.opportunities) {
      expect(after.opportunities.find((o) => o.id === deal.id)!.stageId).toBe(stageAfter(stages, deal, 2).id);
      expect(after.opportunities.find((o) => o.id === deal.id)!.version).toBe(deal.version + 2);
    }
    // Moves may ride the socket once it is up: each key reached the server once, by either way.
    for (const item of queued) expect(answered(second.wx, item.key).length, item.label).toBeLessThanOrEqual(1);
    expect(await server.db.models.IdempotencyKey.count({ where: { key: queued.map((i) => i.key) } })).toBe(50);
    expect(second.wx.modals).toEqual([]);
    await expect.poll(() => second.realtime.isSynced(), { timeout: 15_000 }).toBe(true);
  }, 60_000);

  test('online, a move goes over the realtime socket: no HTTP request, the saved deal, one event', async () => {
    const res = await rita.pipeline();
    const stages = sorted(res);
    const deal = res.opportunities[1]!;
    const app = await launchApp(root, server);
    run = app;
    await expect.poll(() => app.realtime.isSynced(), { timeout: 5000 }).toBe(true);
    await requestsSettled(app.wx);
    const before = await lastSeq(server, deal.teamId);
    const requests = app.wx.requests.length;

    const to = stageAfter(stages, deal, 1);
    const saved = await app.pipeline.saveMove(deal, to);
    expect(saved).toMatchObject({ queued: false, value: { id: deal.id, stageId: to.id, version: deal.version + 1 } });
    expect(app.wx.requests.slice(requests)).toEqual([]);
    expect((await eventsAfter(server, deal.teamId, before)).map(effect)).toEqual([`move ${deal.id} -> ${to.id}`]);
  });

  test('online, a stale move over the socket is refused like REST: 409 with the fresh deal, nothing queued', async () => {
    const res = await rita.pipeline();
    const stages = sorted(res);
    const deal = res.opportunities[2]!;
    const app = await launchApp(root, server);
    run = app;
    await expect.poll(() => app.realtime.isSynced(), { timeout: 5000 }).toBe(true);
    const ritas = stageAfter(stages, deal, 2);
    await rita.move(deal, ritas.id);

    const refused = await app.pipeline.saveMove(deal, stageAfter(stages, deal, 1)).catch((err: unknown) => err);
    expect(refused).toMatchObject({ code: 'conflict', current: { id: deal.id, stageId: ritas.id, version: deal.version + 1 } });
    expect(app.queue.pending()).toEqual([]);
    expect(app.wx.requests.filter((r) => r.method === 'PUT')).toEqual([]);
  });

  test('a queued move the server refuses (409) rolls back on the pipeline page and says why', async () => {
    const app = await launchApp(root, server);
    run = app;
    const res = await rita.pipeline();
    const stages = sorted(res);
    const deal = res.opportunities[0]!;
    const mine = stageAfter(stages, deal, 1);
    const ritas = stageAfter(stages, deal, 2);
    const opened = openPage(root, 'pipeline');
    page = opened;
    const cardIn = (stage: Stage) => opened.comp.dom.querySelector(`[data-stage="${stage.id}"] [data-id="${deal.id}"]`);
    await opened.waitFor((text) => text.includes('¥') && text.includes('实时同步中'), 'the live board');
    await expect.poll(() => app.realtime.isSynced(), { timeout: 5000 }).toBe(true);
    await requestsSettled(app.wx);

    app.wx.setOffline(true);
    await opened.waitFor((text) => text.includes('连接中断'), 'the offline tag');
    tap(opened.comp.querySelector(`#move-${deal.id}`));
    await opened.waitFor((text) => text.includes(`将“${deal.title}”移动到`), 'the stage sheet');
    tap(opened.comp.querySelector('.sheet')!.querySelectorAll('.t-action-sheet__list-item')[stages.indexOf(mine)]);
    await opened.waitFor((text) => text.includes('待同步 1') && text.includes('离线保存，联网后同步'), 'the pending move');
    expect(cardIn(mine)!.className).toContain('card--pending');

    await rita.move(deal, ritas.id);
    app.wx.setOffline(false);
    await opened.waitFor((text) => !text.includes('待同步') && cardIn(ritas) !== null && cardIn(mine) === null, 'the rollback');
    expect(cardIn(ritas)!.className).not.toContain('card--pending');
    await expect
      .poll(() => app.wx.modals.at(-1))
      .toEqual({
        title: '未能同步',
        content: `离线时的修改未能保存：将“${deal.title}”移到“${ZH_STAGES[mine.name]}”（数据已被他人修改）`,
      });
    expect((await rita.get(deal.id)).stageId).toBe(ritas.id);
    expect(app.queue.pending()).toEqual([]);
  });

  test('a replay cut off midway (the answer lost) resumes; the repeat is answered from the idempotency record', async () => {
    const res = await rita.pipeline();
    const stages = sorted(res);
    const teamId = stages[0]!.teamId;
    const [a, b, c] = res.opportunities;
    const app = await onlineThenOffline();
    const before = await lastSeq(server, teamId);
    const edits = recorder(app);
    await edits.note(a!.customerId);
    await edits.move(b!, stageAfter(stages, b!, 1));
    await edits.note(b!.customerId);
    await edits.note(c!.customerId);
    await edits.move(a!, stageAfter(stages, a!, 1)); // 5th: its answer is lost
    await edits.move(a!, stageAfter(stages, a!, 3)); // made on top of the 5th
    await edits.note(a!.customerId);
    await edits.move(c!, stageAfter(stages, c!, 1));
    await edits.note(c!.customerId);
    await edits.note(b!.customerId);
    const items = app.queue.pending();
    const cut = items[4]!;

    loseNetworkOnAnswer(app.wx, new Set(items.map((i) => i.key)), 5);
    app.wx.setOffline(false);
    await expect.poll(() => answered(app.wx, cut.key).length, { timeout: 10_000 }).toBe(1);
    await expect.poll(() => app.realtime.status()).not.toBe('online');
    expect(app.queue.pending().map((i) => i.key)).toEqual(items.slice(4).map((i) => i.key));
    expect((await eventsAfter(server, teamId, before)).map(effect)).toEqual(edits.expected.slice(0, 5));

    app.wx.setOffline(false);
    await expect.poll(() => app.queue.pending().length, { timeout: 15_000 }).toBe(0);
    expect((await eventsAfter(server, teamId, before)).map(effect)).toEqual(edits.expected);
    expect(answered(app.wx, cut.key).map((r) => r.statusCode)).toEqual([200, 200]);
    expect(await server.db.models.IdempotencyKey.count({ where: { key: cut.key } })).toBe(1);
    expect((await rita.get(a!.id)).version).toBe(a!.version + 2);
  });

  test('a queue stored by the app before commands ({ method, path, body }) is upgraded after the update and applied once', async () => {
    const res = await rita.pipeline();
    const stages = sorted(res);
    const deal = res.opportunities[3]!;
    const teamId = deal.teamId;
    const first = await onlineThenOffline();
    const before = await lastSeq(server, teamId);
    await recorder(first).note(deal.customerId);
    const queueKey = [...first.storage.data.keys()].find((k) => k.startsWith('liveCrm.offlineQueue.'))!;
    killApp(first);
    // What the previous app version wrote for a move and a note made offline (one of them sent once already).
    const to = stageAfter(stages, deal, 1);
    const old = [
      {
        id: 'old-move-1',
        method: 'PUT',
        path: `/api/crm/opportunities/${deal.id}/move`,
        body: { stageId: to.id, version: deal.version },
        createdAt: new Date().toISOString(),
        label: 'move',
        attempts: 1,
      },
      {
        id: 'old-note-1',
        method: 'POST',
        path: `/api/crm/customers/${deal.customerId}/notes`,
        body: { content: '升级前的离线备注' },
        createdAt: new Date().toISOString(),
        label: 'note',
        attempts: 0,
      },
    ];
    first.storage.set(queueKey, old);

    const second = await launchApp(root, server, { storage: first.storage, offline: true });
    run = second;
    expect(second.queue.pending()).toMatchObject([
      { key: 'old-move-1', command: { type: 'opportunity.move', req: { id: deal.id, stageId: to.id, version: deal.version } } },
      { key: 'old-note-1', command: { type: 'note.add', req: { customerId: deal.customerId, content: '升级前的离线备注' } } },
    ]);
    expect(first.storage.get(queueKey)).toEqual(second.queue.pending());

    second.wx.setOffline(false);
    await expect.poll(() => second.queue.pending().length, { timeout: 10_000 }).toBe(0);
    expect((await eventsAfter(server, teamId, before)).map(effect)).toEqual([
      `move ${deal.id} -> ${to.id}`,
      `note ${deal.customerId} 升级前的离线备注`,
    ]);
    expect(await server.db.models.IdempotencyKey.count({ where: { key: ['old-move-1', 'old-note-1'] } })).toBe(2);
    expect(second.wx.modals).toEqual([]);
  });

  test('task completion and call logs queue offline too and are applied once', async () => {
    const ray = await signIn(server.url, 'ray');
    const { body } = await ray.get<{ tasks: Task[] }>('/api/crm/tasks?view=all&status=pending');
    const task = body.tasks[0]!;
    const app = await onlineThenOffline();
    const teamId = task.teamId;
    const before = await lastSeq(server, teamId);
    const customerId = task.customerId ?? (await rita.pipeline()).opportunities[0]!.customerId;
    const call = {
      customerId,
      type: 'call',
      direction: 'outbound',
      status: 'completed',
      phoneNumber: '13800138000',
      durationSec: 95,
    } as const;
    expect((await app.saves.saveTaskStatus(task, 'completed')).queued).toBe(true);
    expect((await app.saves.saveCallLog(call)).queued).toBe(true);
    expect(app.queue.pending().map((i) => i.label)).toEqual([`完成任务“${task.title}”`, '通话记录 13800138000']);

    app.wx.setOffline(false);
    await expect.poll(() => app.queue.pending().length, { timeout: 10_000 }).toBe(0);
    const effects = (await eventsAfter(server, teamId, before)).map(effect);
    expect(effects).toEqual([`task ${task.id} completed`, `call ${call.customerId}`]);
    expect((await ray.get<{ task: Task }>(`/api/crm/tasks/${task.id}`)).body.task.status).toBe('completed');
  });
});
