import { afterAll, describe, expect, it } from 'vitest';
import { http, signIn } from '../support/clients.js';
import { startCluster, startTestNode, type TestCluster } from '../support/nodes.js';
import { connectWeapp } from '../support/weapp.js';

/** 10 calls, then nothing for 100 s: long enough that no window rolls over during a test. */
const LIMIT = { RATE_LIMIT_BURST: '10', RATE_LIMIT_PER_SEC: '0.1', REMINDER_INTERVAL_MS: '0', RETENTION_INTERVAL_MS: '0' };
const clusters: TestCluster[] = [];
afterAll(() => Promise.all(clusters.map((c) => c.stop())));

const statuses = async (urls: string[], token: string, n: number) => {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push((await http(urls[i % urls.length]!, 'GET', '/api/crm/tasks', { token })).status);
  return out;
};
const count = (list: number[], status: number) => list.filter((s) => s === status).length;

describe('rate limits across nodes', () => {
  it('one user calling two nodes gets the configured limit in total, not twice it', async () => {
    const cluster = await startCluster(2, { env: LIMIT });
    clusters.push(cluster);
    const urls = cluster.nodes.map((n) => n.url);
    // Signing in is limited per address, on the same shared counters: one sign-in per node is fine.
    const ray = await signIn(urls[0]!, 'ray');
    const answers = await statuses(urls, ray.token, 24);
    expect(count(answers, 200)).toBe(10);
    expect(count(answers, 429)).toBe(14);

    // Another user has a budget of their own, and socket commands draw on the same one.
    const rita = await signIn(urls[1]!, 'rita');
    expect(count(await statuses(urls, rita.token, 8), 200)).toBe(8);
    const phone = await connectWeapp(urls[0]!, rita.token);
    try {
      const acks = [];
      for (let i = 0; i < 4; i++) acks.push(await phone.command('sync:resume', { lastSeq: {} }, 5000));
      expect(acks.map((a) => a.ok)).toEqual([true, true, false, false]);
      expect(acks[3]).toMatchObject({ ok: false, error: { code: 'rate_limited' } });
    } finally {
      phone.close();
    }
  });

  it('without Redis a single node still counts in memory, and answers Retry-After', async () => {
    const node = await startTestNode({ env: LIMIT, redis: false });
    clusters.push(node.cluster);
    const ray = await signIn(node.url, 'ray');
    const answers = await statuses([node.url], ray.token, 12);
    expect(count(answers, 200)).toBe(10);
    const refused = await fetch(`${node.url}/api/crm/tasks`, { headers: { authorization: `Bearer ${ray.token}` } });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
  });
});
