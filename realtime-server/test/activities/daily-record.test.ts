import { describe, expect, it } from 'vitest';
import type {
  Activity,
  ActivityResponse,
  NotificationPayload,
  NotificationsResponse,
  PipelineResponse,
  Task,
} from '@live-crm/shared-types';
import { signIn } from '../support/clients.js';
import type { Session } from '../tasks/sessions.js';
import { until } from '../notifications/until.js';
import { twoNodes } from './two-nodes.js';
import { download, photo, upload } from './uploads.js';

// ARCHITECTURE 9.3, the "Done when": against two real nodes sharing PostgreSQL and Redis.
const env = twoNodes('1770000');
const freshCustomer = env.freshCustomer;
const count = async (sql: string, replacements: Record<string, unknown>) => {
  const [rows] = await env.cluster.db.sequelize.query(sql, { replacements });
  return (rows as Array<{ n: number }>)[0]!.n;
};
const inAnHour = () => new Date(Date.now() + 3_600_000).toISOString();
const place = { latitude: 31.2304, longitude: 121.4737, name: '客户总部', address: '上海市黄浦区人民大道 200 号' };

async function photosOf(who: Session, n: number): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < n; i++) {
    const res = await upload(env.nodeA, who.token, photo(i));
    expect(res.status).toBe(201);
    ids.push(res.body.attachment.id);
  }
  return ids;
}

describe('a follow-up record', () => {
  it('with photos and a next step is one record plus one task, committed together, in one envelope', async () => {
    const c = await freshCustomer('跟进客户');
    const rita = await env.phone(env.nodeB, 'rita');
    const ids = await photosOf(env.ray, 2);
    const seqBefore = await count('SELECT last_seq AS n FROM teams WHERE id = :t', { t: env.ray.user.teamId });
    const heard = rita.client.next('activity:created');
    const next = inAnHour();
    const res = await env.ray.send<ActivityResponse>('POST', '/api/crm/activities', {
      customerId: c.id,
      type: 'call',
      content: '电话确认了报价，客户要样品',
      attachmentIds: ids,
      nextFollowUpAt: next,
    });
    expect(res.status).toBe(201);
    const { activity, task } = res.body;
    expect(activity).toMatchObject({ customerId: c.id, type: 'call', actorId: env.ray.user.id, mentions: [], location: null });
    expect(activity.attachments.map((a) => a.id)).toEqual(ids);
    expect(task).toMatchObject({ customerId: c.id, assigneeId: env.ray.user.id, type: 'follow-up', dueAt: next, titleKey: 'follow-up' });
    expect(Date.parse(task!.dueAt!) - Date.parse(task!.remindAt!)).toBe(30 * 60_000);

    expect(await count('SELECT count(*)::int AS n FROM activities WHERE customer_id = :c', { c: c.id })).toBe(1);
    expect(await count('SELECT count(*)::int AS n FROM tasks WHERE customer_id = :c', { c: c.id })).toBe(1);
    // One envelope, the task inside it.
    expect(await count('SELECT last_seq AS n FROM teams WHERE id = :t', { t: env.ray.user.teamId })).toBe(seqBefore + 1);
    const envelope = await heard;
    expect(envelope.data).toEqual({ activity, task });

    const mine = (await env.ray.get<{ tasks: Task[] }>(`/api/crm/tasks?view=all&customerId=${c.id}`)).body.tasks;
    expect(mine.map((t) => t.id)).toEqual([task!.id]);
  });

  it('a refused record (a stranger photo) writes nothing: no record, no task, photos still free', async () => {
    const c = await freshCustomer('拒绝客户');
    const rita = await signIn(env.nodeA, 'rita');
    const [ritasPhoto] = await photosOf(rita, 1);
    const res = await env.ray.send('POST', '/api/crm/activities', {
      customerId: c.id,
      type: 'call',
      content: '用了别人的照片',
      attachmentIds: [ritasPhoto],
      nextFollowUpAt: inAnHour(),
    });
    expect(res.status).toBe(400);
    expect(res.body.error.details.fields[0].path).toBe('attachmentIds');
    expect(await count('SELECT count(*)::int AS n FROM activities WHERE customer_id = :c', { c: c.id })).toBe(0);
    expect(await count('SELECT count(*)::int AS n FROM tasks WHERE customer_id = :c', { c: c.id })).toBe(0);
    expect(await count('SELECT count(*)::int AS n FROM attachments WHERE id = :id AND activity_id IS NULL', { id: ritasPhoto })).toBe(1);
  });

  it('a photo goes to one record only, and at most 9 per record', async () => {
    const c = await freshCustomer('照片客户');
    const [one] = await photosOf(env.ray, 1);
    const first = await env.ray.send('POST', '/api/crm/activities', {
      customerId: c.id,
      type: 'note',
      content: '第一条',
      attachmentIds: [one],
    });
    expect(first.status).toBe(201);
    const again = await env.ray.send('POST', '/api/crm/activities', {
      customerId: c.id,
      type: 'note',
      content: '第二条',
      attachmentIds: [one],
    });
    expect(again.status).toBe(400);
    const ten = await env.ray.send('POST', '/api/crm/activities', {
      customerId: c.id,
      type: 'note',
      content: '十张',
      attachmentIds: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
    });
    expect(ten.status).toBe(400);
    expect(ten.body.error.message).toContain('at most 9');
  });

  it('takes every type the phone offers and refuses a stage-change from a client', async () => {
    const c = await freshCustomer('类型客户');
    for (const type of ['call', 'wechat', 'email', 'meeting', 'note', 'other']) {
      expect((await env.ray.send('POST', '/api/crm/activities', { customerId: c.id, type, content: type })).status).toBe(201);
    }
    expect((await env.ray.send('POST', '/api/crm/activities', { customerId: c.id, type: 'stage-change', content: 'x' })).status).toBe(400);
  });
});

describe('a visit', () => {
  it('without a location is refused with 400 and writes nothing', async () => {
    const c = await freshCustomer('拜访客户');
    const res = await env.ray.send('POST', '/api/crm/activities', { customerId: c.id, type: 'visit', content: '上门拜访' });
    expect(res.status).toBe(400);
    expect(res.body.error.details.fields).toEqual([{ path: 'location', message: 'a visit needs its location' }]);
    expect(await count('SELECT count(*)::int AS n FROM activities WHERE customer_id = :c', { c: c.id })).toBe(0);
  });

  it('with its place is saved, shows in the timeline with place and photos, and in the visit log', async () => {
    const c = await freshCustomer('签到客户');
    const ids = await photosOf(env.ray, 1);
    const res = await env.ray.send<ActivityResponse>('POST', '/api/crm/activities', {
      customerId: c.id,
      type: 'visit',
      content: '拜访签到',
      location: place,
      attachmentIds: ids,
    });
    expect(res.status).toBe(201);
    const timeline = (await env.ray.get<{ activities: Activity[] }>(`/api/crm/customers/${c.id}/activities`)).body.activities;
    expect(timeline[0]).toMatchObject({ type: 'visit', location: place, contactId: null, mentions: [] });
    expect(timeline[0]!.attachments).toEqual(res.body.activity.attachments);
    const mia = await signIn(env.nodeB, 'mia');
    const log = (await mia.get<{ visits: Activity[] }>(`/api/crm/visits?userId=${env.ray.user.id}`)).body.visits;
    expect(log.map((v) => v.id)).toContain(res.body.activity.id);
    expect(log.every((v) => v.type === 'visit' && v.actorId === env.ray.user.id)).toBe(true);
  });
});

describe('photos', () => {
  it('a teammate sees the record and its photos live, on another node, and reads the bytes there', async () => {
    const c = await freshCustomer('直播客户');
    const rita = await env.phone(env.nodeB, 'rita');
    const bytes = photo(7);
    const up = await upload(env.nodeA, env.ray.token, bytes);
    const heard = rita.client.next('activity:created');
    await env.ray.send('POST', '/api/crm/activities', {
      customerId: c.id,
      type: 'visit',
      content: '带照片',
      location: place,
      attachmentIds: [up.body.attachment.id],
    });
    const envelope = await heard;
    const shown = envelope.data.activity.attachments[0]!;
    expect(shown).toMatchObject({ id: up.body.attachment.id, mime: 'image/png', size: bytes.length });
    // The url names the node it was built on; the path answers on every node (the bytes are in PostgreSQL).
    const onB = `${env.nodeB}${new URL(shown.url).pathname}`;
    const got = await download(onB, rita.token);
    expect(got).toMatchObject({ status: 200, type: 'image/png' });
    expect(got.bytes.equals(bytes)).toBe(true);
  });

  it('anyone outside the record gets 404 for its photos; before it is attached, everyone but its uploader', async () => {
    const c = await freshCustomer('私密客户');
    const up = await upload(env.nodeA, env.ray.token, photo(3));
    const { url } = up.body.attachment;
    const [rita, will, olga] = await Promise.all(['rita', 'will', 'olga'].map((l) => signIn(env.nodeA, l)));
    expect((await download(url, env.ray.token)).status).toBe(200);
    expect((await download(url, rita!.token)).status).toBe(404);
    await env.ray.send('POST', '/api/crm/activities', {
      customerId: c.id,
      type: 'note',
      content: '附照片',
      attachmentIds: [up.body.attachment.id],
    });
    expect((await download(url, rita!.token)).status).toBe(200);
    expect((await download(url, will!.token)).status).toBe(404);
    expect((await download(url, olga!.token)).status).toBe(404);
    expect((await fetch(url)).status).toBe(401);
  });

  it('accepts JPEG, PNG and WebP by their bytes; refuses anything else (400) and more than 10 MB (413)', async () => {
    const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(64, 1)]);
    const webp = Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WEBPVP8 '), Buffer.alloc(64, 2)]);
    expect((await upload(env.nodeA, env.ray.token, jpeg, { filename: 'a.jpg' })).body.attachment.mime).toBe('image/jpeg');
    expect((await upload(env.nodeA, env.ray.token, webp, { filename: 'a.webp' })).body.attachment.mime).toBe('image/webp');
    const fake = await upload(env.nodeA, env.ray.token, Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'), { filename: 'x.png' });
    expect(fake.status).toBe(400);
    expect(fake.body.error!.message).toContain('JPEG, PNG or WebP');
    const wrongField = await upload(env.nodeA, env.ray.token, photo(1), { field: 'image' });
    expect(wrongField.status).toBe(400);
    const big = Buffer.concat([photo(1), Buffer.alloc(10 * 1024 * 1024)]);
    const tooBig = await upload(env.nodeA, env.ray.token, big);
    expect(tooBig.status).toBe(413);
    expect(tooBig.body.error!.code).toBe('payload_too_large');
    const justFits = await upload(env.nodeA, env.ray.token, Buffer.concat([jpeg, Buffer.alloc(10 * 1024 * 1024 - jpeg.length)]));
    expect(justFits.status).toBe(201);
  });
});

describe('mentions', () => {
  it('a mentioned teammate gets a live mention notification that opens the customer', async () => {
    const c = await freshCustomer('提及客户');
    const rita = await env.phone(env.nodeB, 'rita');
    const res = await env.ray.send('POST', '/api/crm/activities', {
      customerId: c.id,
      type: 'meeting',
      content: '@李婷 一起跟',
      mentions: [rita.user.id],
    });
    expect(res.status).toBe(201);
    expect(res.body.activity.mentions).toEqual([rita.user.id]);
    const mentions = () => (rita.client.received('notification') as NotificationPayload[]).filter((n) => n.kind === 'mention');
    await until('the live mention', () => mentions().length === 1, 5000);
    const live = mentions()[0]!;
    expect(live).toMatchObject({
      kind: 'mention',
      params: { actorName: env.ray.user.name, customerName: '提及客户' },
      link: `/pages/customer-detail/index?id=${c.id}`,
    });
    const inbox = (await rita.get<NotificationsResponse>('/api/crm/notifications')).body;
    expect(inbox.notifications[0]).toMatchObject({ id: live.id, kind: 'mention', readAt: null });
  });

  it('mentioning someone who may not see the customer is a 400 and writes nothing', async () => {
    const c = await freshCustomer('越权提及');
    const [will, olga] = await Promise.all([signIn(env.nodeA, 'will'), signIn(env.nodeA, 'olga')]);
    for (const who of [will, olga]) {
      const res = await env.ray.send('POST', '/api/crm/activities', {
        customerId: c.id,
        type: 'note',
        content: 'x',
        mentions: [who.user.id],
      });
      expect(res.status).toBe(400);
      expect(res.body.error.details.fields[0].path).toBe('mentions');
    }
    expect(await count('SELECT count(*)::int AS n FROM activities WHERE customer_id = :c', { c: c.id })).toBe(0);
  });
});

describe('a deal move', () => {
  it("writes its stage-change on the customer's timeline in the same statement", async () => {
    const p = (await env.ray.get<PipelineResponse>('/api/crm/pipeline')).body;
    const deal = p.opportunities.find((o) => o.stageId === p.stages[0]!.id) ?? p.opportunities[0]!;
    const to = p.stages.find((s) => s.id !== deal.stageId && s.outcome === 'open')!;
    const res = await env.ray.send('PUT', `/api/crm/opportunities/${deal.id}/move`, { stageId: to.id, version: deal.version });
    expect(res.status).toBe(200);
    const [top] = (await env.ray.get<{ activities: Activity[] }>(`/api/crm/customers/${deal.customerId}/activities?limit=1`)).body
      .activities;
    expect(top).toMatchObject({
      type: 'stage-change',
      opportunityId: deal.id,
      params: { title: deal.title, from: { id: deal.stageId }, to: { id: to.id } },
      attachments: [],
      mentions: [],
    });
  });
});
