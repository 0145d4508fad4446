import { describe, expect, it } from 'vitest';
import type { Activity, Contact } from '@live-crm/shared-types';
import { signIn } from '../support/clients.js';
import type { Session } from '../tasks/sessions.js';
import { twoNodes } from '../activities/two-nodes.js';

const env = twoNodes('1760000');
const freshCustomer = env.freshCustomer;
const contactsOf = async (who: Session, customerId: number) =>
  (await who.get<{ contacts: Contact[] }>(`/api/crm/customers/${customerId}/contacts`)).body.contacts;

describe('contacts under a customer', () => {
  it('adds people (201) that a teammate on another node sees live; one primary at a time, listed first', async () => {
    const c = await freshCustomer('联系人客户');
    const rita = await env.phone(env.nodeB, 'rita');
    const heard = rita.client.next('contact:created');
    const boss = await env.ray.send('POST', `/api/crm/customers/${c.id}/contacts`, {
      name: '王建国',
      title: '采购总监',
      phone: '139 0000 1111',
      wechat: 'wangjg',
      role: 'decision-maker',
      primary: true,
    });
    expect(boss.status).toBe(201);
    expect(boss.body.contact).toMatchObject({
      customerId: c.id,
      name: '王建国',
      role: 'decision-maker',
      primary: true,
      version: 1,
      email: null,
    });
    expect((await heard).data.contact).toEqual(boss.body.contact);

    const user = await env.ray.send('POST', `/api/crm/customers/${c.id}/contacts`, {
      name: '李芳',
      title: '仓储主管',
      role: 'user',
      primary: true,
    });
    expect(user.status).toBe(201);
    const list = await contactsOf(rita, c.id);
    expect(list.map((x) => [x.name, x.primary])).toEqual([
      ['李芳', true],
      ['王建国', false],
    ]);
  });

  it('a stale edit is 409 with the current contact; a fresh one is live as contact:updated', async () => {
    const c = await freshCustomer('改联系人');
    const made = (await env.ray.send('POST', `/api/crm/customers/${c.id}/contacts`, { name: '张静' })).body.contact as Contact;
    expect(made.role).toBe('other');
    const rita = await env.phone(env.nodeB, 'rita');
    const heard = rita.client.next('contact:updated');
    const ok = await rita.send('PATCH', `/api/crm/contacts/${made.id}`, { title: '总经理', role: 'decision-maker', version: made.version });
    expect(ok.status).toBe(200);
    expect(ok.body.contact).toMatchObject({ title: '总经理', role: 'decision-maker', version: made.version + 1 });
    expect((await heard).data.contact).toEqual(ok.body.contact);
    const stale = await env.ray.send('PATCH', `/api/crm/contacts/${made.id}`, { title: '副总', version: made.version });
    expect(stale.status).toBe(409);
    expect(stale.body.current).toMatchObject({ id: made.id, title: '总经理', version: made.version + 1 });
  });

  it('refuses a bad role or phone with 400; another team or tenant gets 404', async () => {
    const c = await freshCustomer('校验联系人');
    expect((await env.ray.send('POST', `/api/crm/customers/${c.id}/contacts`, { name: '赵强', role: 'boss' })).status).toBe(400);
    expect((await env.ray.send('POST', `/api/crm/customers/${c.id}/contacts`, { name: '赵强', phone: '12' })).status).toBe(400);
    expect((await env.ray.send('POST', `/api/crm/customers/${c.id}/contacts`, { name: ' ' })).status).toBe(400);
    const made = (await env.ray.send('POST', `/api/crm/customers/${c.id}/contacts`, { name: '赵强' })).body.contact as Contact;
    for (const login of ['will', 'olga']) {
      const other = await signIn(env.nodeA, login);
      expect((await other.get(`/api/crm/customers/${c.id}/contacts`)).status).toBe(404);
      expect((await other.send('POST', `/api/crm/customers/${c.id}/contacts`, { name: 'x' })).status).toBe(404);
      expect((await other.send('PATCH', `/api/crm/contacts/${made.id}`, { name: 'x', version: 1 })).status).toBe(404);
    }
  });

  it("a record names the contact spoken to; another customer's contact is a 400", async () => {
    const [c, d] = [await freshCustomer('记录联系人'), await freshCustomer('别家客户')];
    const mine = (await env.ray.send('POST', `/api/crm/customers/${c.id}/contacts`, { name: '周婷' })).body.contact as Contact;
    const theirs = (await env.ray.send('POST', `/api/crm/customers/${d.id}/contacts`, { name: '吴勇' })).body.contact as Contact;
    const ok = await env.ray.send('POST', '/api/crm/activities', { customerId: c.id, type: 'call', content: '通话', contactId: mine.id });
    expect(ok.status).toBe(201);
    const [top] = (await env.ray.get<{ activities: Activity[] }>(`/api/crm/customers/${c.id}/activities`)).body.activities;
    expect(top!.contactId).toBe(mine.id);
    const bad = await env.ray.send('POST', '/api/crm/activities', {
      customerId: c.id,
      type: 'call',
      content: '通话',
      contactId: theirs.id,
    });
    expect(bad.status).toBe(400);
  });

  it('eight simultaneous primary writes on one customer across two nodes: no 5xx, one primary left, each write heard', async () => {
    const c = await freshCustomer('抢主联系人');
    const rita = await env.phone(env.nodeB, 'rita');
    const ritaA = await signIn(env.nodeA, 'rita');
    const ritaB = await signIn(env.nodeB, 'rita');
    const existing = (await env.ray.send('POST', `/api/crm/customers/${c.id}/contacts`, { name: '旧主联系人', primary: true })).body
      .contact as Contact;
    await rita.client.next('contact:created');
    const writes = await Promise.all([
      ...Array.from({ length: 7 }, (_, i) =>
        (i % 2 ? ritaA : ritaB).send('POST', `/api/crm/customers/${c.id}/contacts`, { name: `并发${i}`, primary: true }),
      ),
      // An update racing the creates takes the same lock; a create that demoted it first makes it stale (409).
      ritaA.send('PATCH', `/api/crm/contacts/${existing.id}`, { primary: true, version: existing.version }),
    ]);
    const statuses = writes.map((w) => w.status);
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    expect(statuses.slice(0, 7)).toEqual([201, 201, 201, 201, 201, 201, 201]);
    expect([200, 409]).toContain(statuses[7]);
    if (statuses[7] === 409) expect(writes[7]!.body.current).toMatchObject({ id: existing.id, primary: false });
    const list = await contactsOf(rita, c.id);
    expect(list.filter((x) => x.primary)).toHaveLength(1);
    expect(list).toHaveLength(8);
    const created = writes.slice(0, 7).map((w) => (w.body.contact as Contact).id);
    await expect.poll(() => rita.client.received('contact:created').length, { timeout: 5000 }).toBe(8);
    await expect.poll(() => rita.client.received('contact:updated').length, { timeout: 5000 }).toBe(statuses[7] === 200 ? 1 : 0);
    const heard = rita.client.received('contact:created').map((e) => e.data.contact.id);
    expect(heard).toEqual(expect.arrayContaining(created));
  });
});

describe('the visit log', () => {
  const place = { latitude: 30.25, longitude: 120.16, name: '西湖仓库' };
  it("shows a rep their own visits only, a manager the team's (or one rep's), by time window", async () => {
    const c = await freshCustomer('拜访日志');
    const rita = await signIn(env.nodeA, 'rita');
    const mia = await signIn(env.nodeA, 'mia');
    const a = (await env.ray.send('POST', '/api/crm/activities', { customerId: c.id, type: 'visit', content: 'ray 到访', location: place }))
      .body.activity;
    const b = (await rita.send('POST', '/api/crm/activities', { customerId: c.id, type: 'visit', content: 'rita 到访', location: place }))
      .body.activity;
    const ids = async (who: Session, q = '') => (await who.get<{ visits: Activity[] }>(`/api/crm/visits${q}`)).body.visits.map((v) => v.id);
    expect(await ids(env.ray)).toContain(a.id);
    expect(await ids(env.ray)).not.toContain(b.id);
    // A rep naming someone else still sees only their own.
    expect(await ids(env.ray, `?userId=${rita.user.id}`)).not.toContain(b.id);
    expect(await ids(mia)).toEqual(expect.arrayContaining([a.id, b.id]));
    const onlyRita = await ids(mia, `?userId=${rita.user.id}`);
    expect(onlyRita).toContain(b.id);
    expect(onlyRita).not.toContain(a.id);
    const past = encodeURIComponent(new Date(Date.now() - 86_400_000).toISOString());
    expect(await ids(mia, `?from=${past}&to=${past}`)).not.toContain(a.id);
    expect(await ids(await signIn(env.nodeA, 'wes'))).not.toContain(a.id);
    expect((await mia.get('/api/crm/visits?from=yesterday')).status).toBe(400);
  });
});
