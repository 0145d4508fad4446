import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devLogin, http } from '../support/clients.js';
import { startTestNode } from '../support/nodes.js';

let node: Awaited<ReturnType<typeof startTestNode>>;

beforeAll(async () => {
  node = await startTestNode({ env: { REMINDER_INTERVAL_MS: '0', RETENTION_INTERVAL_MS: '0' } });
});
afterAll(async () => {
  await node?.stop();
});

describe('the Authorization header', () => {
  it('takes the Bearer scheme in any letter case', async () => {
    const { token, user } = await devLogin(node.url, 'ray');
    for (const scheme of ['Bearer', 'bearer', 'BEARER', 'bEaReR']) {
      const res = await http(node.url, 'GET', '/api/me', { headers: { authorization: `${scheme} ${token}` } });
      expect(res.status, scheme).toBe(200);
      expect(res.body.user.id).toBe(user.id);
    }
  });

  it('still answers 401 for another scheme or a missing token', async () => {
    const { token } = await devLogin(node.url, 'ray');
    for (const header of [`Basic ${token}`, 'Bearer', 'bearer ', `Token ${token}`]) {
      const res = await http(node.url, 'GET', '/api/me', { headers: { authorization: header } });
      expect(res.status, header).toBe(401);
    }
  });
});
