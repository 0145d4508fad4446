import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NotificationPayload, NotificationsResponse, Task } from '@live-crm/shared-types';
import { signIn } from '../support/clients.js';
import { phoneBook, signInAll, type Session } from './sessions.js';
import { startCluster, type TestCluster } from '../support/nodes.js';
import { sleep, until } from '../notifications/until.js';

let cluster: TestCluster;
let nodeA: string;
let nodeB: string;
const { phone, closeAll } = phoneBook();

beforeAll(async () => {
  cluster = await startCluster(2);
  [nodeA, nodeB] = cluster.nodes.map((n) => n.url) as [string, string];
});
afterAll(async () => {
  closeAll();
  await cluster.stop();
});

async function taskFor(manager: Session, assignee: Session, title: string): Promise<Task> {
  const res = await manager.send('POST', '/api/crm/tasks', { title, assigneeId: assignee.user.id });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.task;
}

const assign = (who: Session, taskId: number, assigneeId: number, headers?: Record<string, string>) =>
  who.send('PUT', `/api/crm/tasks/${taskId}/assign`, { assigneeId }, headers);

const assignedEvents = (taskId: number) =>
  cluster.db.models.TeamEvent.count({
    where: { type: 'task:assigned', data: { task: { id: taskId } } },
  });

describe('PUT /api/crm/tasks/:id/assign, live across two nodes', () => {
  it("reaches the new assignee's phone on the other node with task:assigned and a notification", async () => {
    const mia = await signIn(nodeA, 'mia');
    const ray = await phone(nodeB, 'ray');
    const rita = await phone(nodeB, 'rita');
    const task = await taskFor(mia, ray, '拜访客户');
    const seenByRita = rita.client.next('task:assigned');
    const seenByRay = ray.client.next('task:assigned');

    const started = Date.now();
    const res = await assign(mia, task.id, rita.user.id);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ success: true, task: { id: task.id, assigneeId: rita.user.id, version: task.version + 1 } });

    const env = await seenByRita;
    expect(env).toMatchObject({
      type: 'task:assigned',
      teamId: mia.user.teamId,
      actorId: mia.user.id,
      data: { previousAssigneeId: ray.user.id, task: { id: task.id, assigneeId: rita.user.id } },
    });
    // The previous assignee sees the task leave their list through the team room.
    expect((await seenByRay).seq).toBe(env.seq);
    await until("the notification on rita's phone", () => rita.client.received('notification').length > 0);
    expect(Date.now() - started).toBeLessThan(1000);
    const note = rita.client.received('notification')[0] as NotificationPayload;
    // Stored as kind and params: each phone writes "Mia assigned you a task" in its own language.
    expect(note).toMatchObject({
      kind: 'task-assigned',
      title: null,
      body: null,
      link: `/pages/task-detail/index?id=${task.id}`,
      params: { actorName: mia.user.name, task: { title: '拜访客户', titleKey: null, titleParams: null } },
    });
    expect(rita.client.received('task:assigned')).toHaveLength(1); // team room + user room: delivered once

    const inbox = (await rita.get<NotificationsResponse>('/api/crm/notifications')).body;
    expect(inbox.notifications[0]).toMatchObject({ id: note.id, kind: 'task-assigned', readAt: null });
    expect(inbox.unread).toBeGreaterThan(0);
    // Ray heard of the task when it was created for him, and of nothing since.
    expect(ray.client.received('notification').map((n: NotificationPayload) => n.kind)).toEqual(['task-assigned']);
    expect(ray.client.received('notification')[0].id).not.toBe(note.id);
  });

  it('refuses a rep with 403 and changes nothing', async () => {
    const mia = await signIn(nodeA, 'mia');
    const ray = await signIn(nodeA, 'ray');
    const rita = await signIn(nodeA, 'rita');
    const task = await taskFor(mia, ray, 'rep cannot move me');
    const res = await assign(ray, task.id, rita.user.id);
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('forbidden');
    expect((await ray.get(`/api/crm/tasks/${task.id}`)).body.task).toMatchObject({ assigneeId: ray.user.id, version: 1 });
  });

  it('refuses assignees of another team or tenant (400) and tasks beyond reach (404)', async () => {
    const [mia, ray, will, wes, olga, oscar, ada] = await signInAll(nodeA, ['mia', 'ray', 'will', 'wes', 'olga', 'oscar', 'ada']);
    const east = await taskFor(mia, ray, 'east task');
    const west = await taskFor(wes, will, 'west task');
    for (const [who, taskId, to, status] of [
      [mia, east.id, will, 400], // another team of the tenant
      [mia, east.id, olga, 400], // another tenant
      [mia, east.id, ada, 400], // the admin is in no team
      [mia, west.id, ray, 404], // a manager reaches only their own team's tasks
      [oscar, east.id, olga, 404], // nobody reaches another tenant's tasks
      [ada, east.id, will, 400], // an admin, too, keeps a task's assignee in its team
    ] as Array<[Session, number, Session, number]>) {
      const res = await assign(who, taskId, to.user.id);
      expect(res.status, `${who.user.name} -> ${to.user.name}`).toBe(status);
    }
    expect(await assignedEvents(east.id)).toBe(0);
    const ok = await assign(ada, west.id, wes.user.id);
    expect(ok.body.task).toMatchObject({ assigneeId: wes.user.id });
  });

  it('repeats an Idempotency-Key with one event and one notification; the same assignee again is a no-op', async () => {
    const mia = await signIn(nodeA, 'mia');
    const ray = await signIn(nodeA, 'ray');
    const rita = await signIn(nodeB, 'rita');
    const task = await taskFor(mia, ray, 'assign once');
    const before = (await rita.get<NotificationsResponse>('/api/crm/notifications')).body.unread;
    const headers = { 'Idempotency-Key': `assign-${task.id}-to-rita` };
    const [a, b] = [await assign(mia, task.id, rita.user.id, headers), await assign(mia, task.id, rita.user.id, headers)];
    expect(b.body).toEqual(a.body);
    const again = await assign(mia, task.id, rita.user.id);
    expect(again.body.task.version).toBe(a.body.task.version);
    await sleep(100);
    expect(await assignedEvents(task.id)).toBe(1);
    expect((await rita.get<NotificationsResponse>('/api/crm/notifications')).body.unread).toBe(before + 1);
  });

  it('tells no other team or tenant', async () => {
    const mia = await signIn(nodeA, 'mia');
    const ray = await signIn(nodeA, 'ray');
    const rita = await phone(nodeA, 'rita');
    const will = await phone(nodeB, 'will');
    const olga = await phone(nodeB, 'olga');
    const task = await taskFor(mia, ray, 'east only');
    await assign(mia, task.id, rita.user.id);
    await rita.client.next('task:assigned');
    await sleep(300);
    expect(will.client.received('task:assigned')).toHaveLength(0);
    expect(olga.client.received('task:assigned')).toHaveLength(0);
    expect(will.client.received('notification')).toHaveLength(0);
  });
});
