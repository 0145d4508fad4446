import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PipelineResponse } from '@live-crm/shared-types';
import { http, signIn } from '../support/clients.js';
import { startCluster, type TestCluster } from '../support/nodes.js';
import { connectWeapp, type WeappClient } from '../support/weapp.js';

const METRICS_TOKEN = 'metrics-token-0123456789abcdef';
let cluster: TestCluster;
const clients: WeappClient[] = [];

beforeAll(async () => {
  cluster = await startCluster(2, { env: { METRICS_TOKEN, REMINDER_INTERVAL_MS: '0' } });
});
afterAll(async () => {
  for (const c of clients) c.close();
  await cluster.stop();
});

const url = (i: number) => cluster.nodes[i]!.url;

/** Scrapes a node from loopback and reads one sample (labels as written in the exposition, e.g. `type="opportunity:moved"`). */
async function scrape(i: number) {
  const res = await fetch(`${url(i)}/metrics`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  const text = await res.text();
  return {
    text,
    value(name: string, labels: string[] = []): number {
      const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && labels.every((x) => l.includes(x)) && !l.startsWith('#'));
      return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
    },
  };
}

describe('GET /metrics', () => {
  it('counts a real move on the node that ran it: command latency, the event published, sockets, requests, pool', async () => {
    const ray = await signIn(url(0), 'ray');
    const rita = await signIn(url(1), 'rita');
    const rayPhone = await connectWeapp(url(0), ray.token);
    const ritaPhone = await connectWeapp(url(1), rita.token);
    clients.push(rayPhone, ritaPhone);
    const before = [await scrape(0), await scrape(1)];

    const p = (await ray.get<PipelineResponse>('/api/crm/pipeline')).body;
    const deal = p.opportunities[0]!;
    const seen = ritaPhone.next('opportunity:moved');
    const ack = await rayPhone.command('opportunity:move', { id: deal.id, stageId: p.stages[3]!.id, version: deal.version });
    expect(ack.ok).toBe(true);
    await seen;
    const stale = await rayPhone.command('opportunity:move', { id: deal.id, stageId: p.stages[2]!.id, version: deal.version });
    expect(stale).toMatchObject({ ok: false, error: { code: 'conflict' } });

    const [a, b] = [await scrape(0), await scrape(1)];
    const moved = ['type="opportunity:moved"'];
    expect(a.value('livecrm_events_published_total', moved) - before[0]!.value('livecrm_events_published_total', moved)).toBe(1);
    // Per-node registries: node B delivered the move to rita but did not publish it.
    expect(b.value('livecrm_events_published_total', moved)).toBe(before[1]!.value('livecrm_events_published_total', moved));
    const count = (s: typeof a, outcome: string) =>
      s.value('livecrm_command_duration_seconds_count', ['command="opportunity:move"', `outcome="${outcome}"`]);
    expect(count(a, 'ok') - count(before[0]!, 'ok')).toBe(1);
    expect(count(a, 'error') - count(before[0]!, 'error')).toBe(1);
    expect(a.value('livecrm_command_duration_seconds_bucket', ['command="opportunity:move"', 'outcome="ok"', 'le="+Inf"'])).toBeGreaterThan(
      0,
    );
    expect(a.value('livecrm_sockets_connected', ['node="node-a"'])).toBe(1);
    expect(b.value('livecrm_sockets_connected', ['node="node-b"'])).toBe(1);
    const pipelineReads = ['route="/api/crm/pipeline"', 'method="GET"', 'status="2xx"'];
    expect(a.value('livecrm_http_request_duration_seconds_count', pipelineReads)).toBe(1);
    expect(a.value('livecrm_db_pool_connections', ['state="max"'])).toBe(10);
    expect(a.value('livecrm_db_pool_connections', ['state="size"'])).toBeGreaterThan(0);
    expect(a.text).toMatch(/^nodejs_eventloop_lag_p99_seconds\{node="node-a"\} [\d.e-]+$/m);
    expect(a.value('livecrm_events_dropped_total', ['node="node-a"'])).toBe(0);
  });

  it('counts reminders sent', async () => {
    const ray = await signIn(url(0), 'ray');
    await cluster.db.models.Task.create({
      tenantId: ray.user.tenantId,
      teamId: ray.user.teamId!,
      customerId: null,
      title: 'call back',
      description: null,
      dueAt: new Date(Date.now() + 3_600_000),
      remindAt: new Date(Date.now() - 1000),
      assigneeId: ray.user.id,
      createdById: ray.user.id,
    });
    const before = (await scrape(0)).value('livecrm_reminders_sent_total');
    expect(await cluster.nodes[0]!.node.reminders.runOnce()).toBe(1);
    expect((await scrape(0)).value('livecrm_reminders_sent_total') - before).toBe(1);
  });

  it('answers loopback, or anyone with the bearer METRICS_TOKEN; a client relayed by the balancer is not loopback', async () => {
    // From a trusted proxy (loopback, TRUST_PROXY's default) X-Forwarded-For names the real client.
    const relayed = { 'x-forwarded-for': '203.0.113.9' };
    const refused = await http(url(0), 'GET', '/metrics', { headers: relayed });
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ error: { code: 'forbidden' } });
    expect(
      (await http(url(0), 'GET', '/metrics', { headers: { ...relayed, authorization: 'Bearer wrong-token-0123456789abc' } })).status,
    ).toBe(403);
    const allowed = await fetch(`${url(0)}/metrics`, { headers: { ...relayed, authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(allowed.status).toBe(200);
    expect(await allowed.text()).toContain('livecrm_sockets_connected');
  });
});
