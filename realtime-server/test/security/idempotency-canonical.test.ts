import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn } from '../support/clients.js';
import { startTestNode } from '../support/nodes.js';
import { connectWeapp } from '../support/weapp.js';

let node: Awaited<ReturnType<typeof startTestNode>>;
let ray: Awaited<ReturnType<typeof signIn>>;

beforeAll(async () => {
  node = await startTestNode({ env: { REMINDER_INTERVAL_MS: '0' } });
  ray = await signIn(node.url, 'ray');
});
afterAll(() => node.stop());

const newKey = () => ({ 'Idempotency-Key': `canon-${randomBytes(8).toString('hex')}` });
const countWhere = async (sql: string, replacements: Record<string, unknown>) => {
  const [rows] = await node.cluster.db.sequelize.query(sql, { replacements });
  return (rows as Array<{ n: number }>)[0]!.n;
};
const customersNamed = (name: string) => countWhere('SELECT count(*)::int AS n FROM customers WHERE name = :name', { name });

describe('Idempotency-Key is bound to the validated request, not its spelling', () => {
  it('replays the first answer when a retry reorders keys or adds spaces the schema trims', async () => {
    const key = newKey();
    const first = await ray.send('POST', '/api/crm/customers', { name: '顾一鸣', company: '苏州精工' }, key);
    expect(first.status).toBe(201);
    const reordered = await ray.send('POST', '/api/crm/customers', { company: '苏州精工', name: '顾一鸣' }, key);
    const padded = await ray.send('POST', '/api/crm/customers', { company: ' 苏州精工', name: '顾一鸣  ' }, key);
    for (const retry of [reordered, padded]) expect({ status: retry.status, body: retry.body }).toEqual({ status: 201, body: first.body });
    expect(await customersNamed('顾一鸣')).toBe(1);
  });

  it('does the same for an update that carries its version', async () => {
    const created = (await ray.send('POST', '/api/crm/customers', { name: '沈雅' })).body.customer;
    const key = newKey();
    const path = `/api/crm/customers/${created.id}`;
    const first = await ray.send('PATCH', path, { version: 1, company: '杭州云帆', status: 'prospect' }, key);
    expect(first.status).toBe(200);
    const retry = await ray.send('PATCH', path, { status: 'prospect', company: '杭州云帆 ', version: 1 }, key);
    expect({ status: retry.status, body: retry.body }).toEqual({ status: 200, body: first.body });
    expect(first.body.customer.version).toBe(2);
  });

  it('still refuses the same key with a genuinely different request (409), and writes nothing', async () => {
    const key = newKey();
    expect((await ray.send('POST', '/api/crm/customers', { name: '郑开' }, key)).status).toBe(201);
    const other = await ray.send('POST', '/api/crm/customers', { name: '郑开阳' }, key);
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe('conflict');
    expect(await customersNamed('郑开阳')).toBe(0);
  });

  it('binds a move alike over REST and the socket, whatever the key order of either', async () => {
    const { Opportunity, Stage } = node.cluster.db.models;
    const opp = (await Opportunity.findOne({ where: { teamId: ray.user.teamId! }, order: [['id', 'ASC']] }))!;
    const target = (await Stage.findAll({ where: { teamId: ray.user.teamId! } })).find((s) => s.id !== opp.stageId)!;
    const idem = newKey();
    const phone = await connectWeapp(node.url, ray.token);
    try {
      const overSocket = await phone.command('opportunity:move', {
        version: opp.version,
        idempotencyKey: idem['Idempotency-Key'],
        stageId: target.id,
        id: opp.id,
      });
      expect(overSocket).toMatchObject({ ok: true, data: { opportunity: { id: opp.id, stageId: target.id, version: opp.version + 1 } } });
      const overRest = await ray.send('PUT', `/api/crm/opportunities/${opp.id}/move`, { version: opp.version, stageId: target.id }, idem);
      expect(overRest).toEqual({ status: 200, body: (overSocket as { data: unknown }).data });
      const otherStage = await ray.send(
        'PUT',
        `/api/crm/opportunities/${opp.id}/move`,
        { version: opp.version, stageId: opp.stageId },
        idem,
      );
      expect(otherStage.status).toBe(409);
    } finally {
      phone.close();
    }
  });
});
