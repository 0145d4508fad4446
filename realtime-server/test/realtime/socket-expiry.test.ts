import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenSigner } from '../../src/modules/auth/jwt.js';
import { devLogin } from '../support/clients.js';
import { startTestNode, TEST_JWT_SECRET } from '../support/nodes.js';
import { connectWeapp, type WeappClient } from '../support/weapp.js';

let node: Awaited<ReturnType<typeof startTestNode>>;
const sockets: WeappClient[] = [];

beforeAll(async () => {
  node = await startTestNode({ env: { REMINDER_INTERVAL_MS: '0', RETENTION_INTERVAL_MS: '0' } });
});
afterAll(async () => {
  for (const s of sockets) s.close();
  await node?.stop();
});

describe('a socket lives as long as its token', () => {
  it('is closed by the server when its token expires, and that token cannot connect again', async () => {
    const { user, token } = await devLogin(node.url, 'ray');
    // exp is whole seconds after a floored iat: 2 s leaves at least 1 s connected.
    const shortLived = createTokenSigner(TEST_JWT_SECRET).sign(user.id, user.tenantId, 2);
    const expiring = await connectWeapp(node.url, shortLived);
    const lasting = await connectWeapp(node.url, token);
    sockets.push(expiring, lasting);
    const startedAt = Date.now();
    const reason = await new Promise<string>((resolve, reject) => {
      expiring.socket.on('disconnect', resolve);
      setTimeout(() => reject(new Error('still connected 4 s later')), 4000);
    });
    expect(reason).toBe('io server disconnect');
    expect(Date.now() - startedAt).toBeLessThan(2100);
    expect(lasting.socket.connected).toBe(true);
    await expect(connectWeapp(node.url, shortLived)).rejects.toThrow('unauthorized');
  });
});
