import { request } from 'node:http';
import { brotliCompressSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PipelineResponse } from '@live-crm/shared-types';
import { signIn } from '../support/clients.js';
import { startTestNode } from '../support/nodes.js';

let node: Awaited<ReturnType<typeof startTestNode>>;
let ray: Awaited<ReturnType<typeof signIn>>;
let ada: Awaited<ReturnType<typeof signIn>>;

beforeAll(async () => {
  node = await startTestNode({ env: { RATE_LIMIT_BURST: '1000' } });
  [ray, ada] = await Promise.all([signIn(node.url, 'ray'), signIn(node.url, 'ada')]);
});
afterAll(() => node.stop());

const customerId = async () => (await ray.get('/api/crm/customers?limit=1')).body.customers[0].id as number;
const refused = (res: { status: number; body: any }, field: string) => {
  expect(res.status, JSON.stringify(res.body)).toBe(400);
  expect(res.body.error.code).toBe('validation');
  expect(res.body.error.message).toContain(field);
};

describe('dates and date-times take real calendar days in years 0001 to 9999', () => {
  const badDays = ['2025-02-29', '0000-01-01', '0000-02-29', '2025-13-01'];
  const badTimes = ['2025-02-29T09:00:00+08:00', '0000-06-01T00:00:00Z', '0001-01-01T00:00:00+14:00', '9999-12-31T23:59:59-14:00'];

  it.each(badDays)('a deal closing on %s is a 400, and the deal is not created', async (day) => {
    const before = await node.cluster.db.models.Opportunity.count();
    refused(
      await ray.send('POST', '/api/crm/opportunities', {
        customerId: await customerId(),
        title: 'Bad date',
        valueCents: 100,
        expectedCloseDate: day,
      }),
      'expectedCloseDate',
    );
    expect(await node.cluster.db.models.Opportunity.count()).toBe(before);
  });

  it.each(badTimes)('a task due at %s is a 400', async (dueAt) => {
    refused(await ray.send('POST', '/api/crm/tasks', { title: 'Bad time', dueAt }), 'dueAt');
  });

  it.each(badTimes)('an activity that occurred at %s is a 400', async (occurredAt) => {
    refused(
      await ray.send('POST', '/api/crm/activities', { customerId: await customerId(), type: 'call', content: 'x', occurredAt }),
      'occurredAt',
    );
  });

  it('a follow-up far in the future but past year 9999 in UTC is a 400', async () => {
    refused(
      await ray.send('POST', '/api/crm/follow-ups', { customerId: await customerId(), scheduledDate: '9999-12-31T23:59:59-14:00' }),
      'scheduledDate',
    );
  });

  it.each(badDays)('export and report filters refuse %s', async (day) => {
    refused(await ray.send('POST', '/api/crm/export', { type: 'customers', filters: { createdFrom: day } }), 'createdFrom');
    refused(await ray.send('POST', '/api/crm/reports/generate', { type: 'weekly-team', parameters: { weekStart: day } }), 'weekStart');
  });

  it('still takes the first and last days of the range and a leap day', async () => {
    for (const day of ['0001-01-01', '2024-02-29', '9999-12-31']) {
      const res = await ray.send('POST', '/api/crm/opportunities', {
        customerId: await customerId(),
        title: `Edge ${day}`,
        valueCents: 100,
        expectedCloseDate: day,
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.body.opportunity.expectedCloseDate).toBe(day);
    }
    const task = await ray.send('POST', '/api/crm/tasks', { title: 'Edge', dueAt: '0001-01-01T00:00:00Z' });
    expect(task.status, JSON.stringify(task.body)).toBe(201);
  });
});

describe('a customer cursor is checked against its sort', () => {
  const cursor = (tuple: unknown) => Buffer.from(JSON.stringify(tuple)).toString('base64url');
  const firstPage = async (sortBy: string) => (await ray.get(`/api/crm/customers?sortBy=${sortBy}&limit=2`)).body.nextCursor as string;

  it('a cursor from sortBy=name used with sortBy=createdAt is a 400', async () => {
    const fromName = await firstPage('name');
    refused(await ray.get(`/api/crm/customers?sortBy=createdAt&cursor=${fromName}`), 'cursor');
  });

  it.each([
    ['createdAt', ['createdAt', 'Acme', 5]],
    ['createdAt', ['createdAt', '2025-02-30 10:00:00+08', 5]],
    ['lastContact', ['lastContact', 'yesterday', 5]],
    ['name', ['name', null, 5]],
    ['name', ['name', 'a\u0000b', 5]],
    ['name', ['name', 'Acme', 2 ** 31]],
    ['createdAt', ['createdAt', '2025-03-01 09:30:00.123456+08', 2 ** 31]],
    ['name', ['name', 'Acme', 1.5]],
  ])('a forged %s cursor %j is a 400', async (sortBy, tuple) => {
    refused(await ray.get(`/api/crm/customers?sortBy=${sortBy}&cursor=${cursor(tuple)}`), 'cursor');
  });

  it('the cursors the list gives out still page on', async () => {
    for (const sortBy of ['name', 'createdAt', 'lastContact']) {
      const res = await ray.get(`/api/crm/customers?sortBy=${sortBy}&limit=2&cursor=${await firstPage(sortBy)}`);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.customers).toHaveLength(2);
    }
  });
});

/** A raw request, so headers like Content-Encoding and a lying Content-Length reach the server as sent. */
function raw(headers: Record<string, string | number>, body: Buffer): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${node.url}/api/crm/customers`,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${ray.token}`, 'content-type': 'application/json', ...headers },
      },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => {
          text += c.toString('utf8');
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : null }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('a body the server cannot read is a 4xx in the error shape', () => {
  const json = Buffer.from(JSON.stringify({ name: 'Encoded' }));
  it.each([
    ['br that is not brotli', { 'content-encoding': 'br' }, json],
    ['gzip that is not gzip', { 'content-encoding': 'gzip' }, json],
    ['an unknown encoding', { 'content-encoding': 'zstd' }, json],
    ['malformed JSON', {}, Buffer.from('{"name": ')],
    ['a charset nobody supports', { 'content-type': 'application/json; charset=klingon' }, json],
  ])('%s', async (_what, headers, body) => {
    const res = await raw({ ...headers, 'content-length': body.length }, body);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.body.error.code).toBe('validation');
    expect(res.body.error.message).toEqual(expect.any(String));
  });

  it('a real brotli body is read', async () => {
    const body = brotliCompressSync(json);
    const res = await raw({ 'content-encoding': 'br', 'content-length': body.length }, body);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  });
});

describe('money stays exact', () => {
  const MAX = 10 ** 13;
  it('a deal above 10^13 cents is a 400, on create and on edit', async () => {
    const id = await customerId();
    refused(await ray.send('POST', '/api/crm/opportunities', { customerId: id, title: 'Too big', valueCents: MAX + 1 }), 'valueCents');
    refused(await ray.send('POST', '/api/crm/opportunities', { customerId: id, title: 'Too big', valueCents: 2 ** 53 }), 'valueCents');
    const ok = await ray.send('POST', '/api/crm/opportunities', { customerId: id, title: 'Small', valueCents: 1 });
    refused(
      await ray.send('PATCH', `/api/crm/opportunities/${ok.body.opportunity.id}`, {
        valueCents: MAX + 1,
        version: ok.body.opportunity.version,
      }),
      'valueCents',
    );
  });

  it('three deals at the maximum give exact totals in the pipeline and in analytics', async () => {
    const before = (await ray.get<PipelineResponse>('/api/crm/pipeline')).body;
    const lead = before.stages.find((s) => s.outcome === 'open')!;
    const id = await customerId();
    for (let i = 0; i < 3; i++) {
      const res = await ray.send('POST', '/api/crm/opportunities', {
        customerId: id,
        title: `Max ${i}`,
        valueCents: MAX - 1,
        stageId: lead.id,
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    }
    const after = (await ray.get<PipelineResponse>('/api/crm/pipeline')).body;
    const added = 3n * BigInt(MAX - 1);
    expect(BigInt(after.totalValue) - BigInt(before.totalValue)).toBe(added);
    // Exact weighted sum over every open deal, computed here in BigInt.
    const prob = new Map(after.stages.filter((s) => s.outcome === 'open').map((s) => [s.id, BigInt(s.probability)]));
    const weighted = after.opportunities
      .filter((o) => prob.has(o.stageId))
      .reduce((sum, o) => sum + BigInt(o.valueCents) * prob.get(o.stageId)!, 0n);
    expect(BigInt(after.weightedValue)).toBe((weighted + 50n) / 100n);

    const analytics = (await ada.get(`/api/crm/analytics/pipeline?teamId=${ray.user.teamId}`)).body.analytics;
    expect(Number.isSafeInteger(analytics.openValueCents)).toBe(true);
    expect(BigInt(analytics.openValueCents)).toBe(BigInt(after.totalValue));
    expect(BigInt(analytics.weightedValueCents)).toBe(BigInt(after.weightedValue));
  });
});
