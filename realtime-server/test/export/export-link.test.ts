import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { http, signIn } from '../support/clients.js';
import { startTestNode, TEST_JWT_SECRET } from '../support/nodes.js';

type Node = Awaited<ReturnType<typeof startTestNode>>;
const nodes: Node[] = [];
const start = async (env: Record<string, string>) => {
  const node = await startTestNode({ env });
  nodes.push(node);
  return node;
};
afterAll(() => Promise.all(nodes.map((n) => n.stop())));

const FORGED = { host: 'evil.example', 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https' };
const linkOf = async (node: Node, headers: Record<string, string> = {}) => {
  const ray = await signIn(node.url, 'ray');
  const res = await http(node.url, 'POST', '/api/crm/export', { token: ray.token, body: { type: 'customers' }, headers });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.downloadUrl as string;
};

describe('signed links are built on PUBLIC_URL, never on the request', () => {
  let plain: Node;
  let public_: Node;
  beforeAll(async () => {
    [plain, public_] = await Promise.all([start({}), start({ PUBLIC_URL: 'https://crm.example.cn/' })]);
  });

  it('with PUBLIC_URL a forged Host or X-Forwarded-Host changes nothing', async () => {
    expect(await linkOf(public_, FORGED)).toMatch(/^https:\/\/crm\.example\.cn\/api\/crm\/export\/download\?token=/);
  });

  it('without PUBLIC_URL (development) the link names this node, whatever Host says', async () => {
    const url = await linkOf(plain, FORGED);
    expect(url.startsWith(`${plain.url}/api/crm/export/download?token=`)).toBe(true);
    expect((await fetch(url)).status).toBe(200);
  });

  it('production refuses to start without PUBLIC_URL', () => {
    const env = { NODE_ENV: 'production', JWT_SECRET: TEST_JWT_SECRET };
    expect(() => loadConfig(env)).toThrow(/PUBLIC_URL: required in production/);
    expect(loadConfig({ ...env, PUBLIC_URL: 'https://crm.example.cn' }).publicUrl).toBe('https://crm.example.cn');
    expect(() => loadConfig({ PUBLIC_URL: 'ftp://crm.example.cn' })).toThrow(/PUBLIC_URL/);
  });
});

describe('TRUST_PROXY', () => {
  it('takes a hop count or a list of addresses and ranges, default loopback', () => {
    expect(loadConfig({}).trustProxy).toEqual(['loopback']);
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8, fd00::/8, 192.168.1.7' }).trustProxy).toEqual([
      'loopback',
      '10.0.0.0/8',
      'fd00::/8',
      '192.168.1.7',
    ]);
    for (const bad of ['true', '*', '10.0.0.0/33', 'lb.internal', '', '1.2.3.4/8/2']) {
      expect(() => loadConfig({ TRUST_PROXY: bad }), bad).toThrow(/TRUST_PROXY/);
    }
  });

  /** Sign-in is limited per client address: whether X-Forwarded-For counts decides whose bucket a call takes. */
  const signInsFrom = async (node: Node, addresses: string[]) => {
    const statuses: number[] = [];
    for (const ip of addresses) {
      statuses.push(
        (await http(node.url, 'POST', '/api/auth/dev-login', { body: { login: 'ray' }, headers: { 'x-forwarded-for': ip } })).status,
      );
    }
    return statuses;
  };

  it('is applied: a trusted proxy names the client, an untrusted hop cannot', async () => {
    const limits = { RATE_LIMIT_BURST: '1', RATE_LIMIT_PER_SEC: '0.01' };
    const [trusting, strict] = await Promise.all([start({ ...limits }), start({ ...limits, TRUST_PROXY: '10.0.0.0/8' })]);
    // From loopback (trusted by default) each forwarded address is its own client.
    expect(await signInsFrom(trusting, ['203.0.113.1', '203.0.113.2'])).toEqual([200, 200]);
    // Loopback not trusted: the header is ignored, both calls are the same client.
    expect(await signInsFrom(strict, ['203.0.113.1', '203.0.113.2'])).toEqual([200, 429]);
  });
});
