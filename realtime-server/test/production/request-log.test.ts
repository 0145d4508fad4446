import { inject } from 'vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { http, signIn } from '../support/clients.js';
import { cloneDatabase } from '../support/databases.js';
import { startNodeOn, type TestNode } from '../support/nodes.js';
import { createLogger } from '../../src/logger.js';
import { waitFor } from '../support/children.js';

/** Every line the node logs, parsed. */
const lines: Array<Record<string, any>> = [];
const sink = { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, any>) };

let database: Awaited<ReturnType<typeof cloneDatabase>>;
let node: TestNode;

beforeAll(async () => {
  database = await cloneDatabase(inject('templateDb'));
  node = await startNodeOn(database.url, { NODE_ID: 'logged' }, { logger: createLogger('info', 'logged', sink) });
});
afterAll(async () => {
  await node?.stop();
  await database?.drop();
});

const requestLines = (path: string) => lines.filter((l) => l['req']?.url?.startsWith(path) && l['res']);

describe('request log', () => {
  it('writes one line per request with method, route, status, time and user, and never the bearer token', async () => {
    const ray = await signIn(node.url, 'ray');
    expect((await ray.get('/api/crm/customers?limit=2')).status).toBe(200);
    const [line] = requestLines('/api/crm/customers?limit=2');
    expect(line).toMatchObject({
      level: 30,
      node: 'logged',
      msg: 'request completed',
      req: { method: 'GET', url: '/api/crm/customers?limit=2', headers: { authorization: '[Redacted]' } },
      res: { statusCode: 200 },
      userId: ray.user.id,
    });
    expect(line!['responseTime']).toBeGreaterThanOrEqual(0);
    expect(JSON.stringify(lines)).not.toContain(ray.token);
  });

  it("replaces a signed download link's token, the one credential that travels in a URL", async () => {
    const ray = await signIn(node.url, 'ray');
    const { downloadUrl } = (await ray.send<{ downloadUrl: string }>('POST', '/api/crm/export', { type: 'customers' })).body;
    const linkToken = new URL(downloadUrl).searchParams.get('token')!;
    const res = await fetch(downloadUrl);
    expect(res.status).toBe(200);
    await res.arrayBuffer(); // the line is written once the last byte has gone out
    await waitFor('the download logged', () => requestLines('/api/crm/export/download').length > 0, 5000, 20);
    const [line] = requestLines('/api/crm/export/download');
    expect(line).toMatchObject({ req: { url: '/api/crm/export/download?token=[Redacted]' }, res: { statusCode: 200 } });
    expect(JSON.stringify(lines)).not.toContain(linkToken);
  });

  it('passes on a request id from the balancer, or makes one, and answers it in X-Request-Id', async () => {
    const given = await fetch(`${node.url}/api/me`, { headers: { 'x-request-id': 'lb-7f3a-0001' } });
    expect(given.headers.get('x-request-id')).toBe('lb-7f3a-0001');
    expect(requestLines('/api/me').at(-1)).toMatchObject({ req: { id: 'lb-7f3a-0001' }, res: { statusCode: 401 } });
    const made = await fetch(`${node.url}/api/me`, { headers: { 'x-request-id': 'not ok\u00e9' } });
    expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('security headers (helmet)', () => {
  it('answers with nosniff, no framing, HSTS and a CSP, and no X-Powered-By', async () => {
    for (const path of ['/healthz', '/api/crm/customers']) {
      const res = await fetch(`${node.url}${path}`);
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(res.headers.get('x-frame-options'), path).toBe('SAMEORIGIN');
      expect(res.headers.get('strict-transport-security'), path).toMatch(/max-age=\d+/);
      expect(res.headers.get('content-security-policy'), path).toContain("frame-ancestors 'self'");
      expect(res.headers.get('x-powered-by'), path).toBeNull();
    }
    expect((await http(node.url, 'GET', '/healthz')).body).toMatchObject({ ok: true });
  });
});
