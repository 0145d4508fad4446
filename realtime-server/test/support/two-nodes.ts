import { afterAll, beforeAll } from 'vitest';
import { phoneBook } from '../tasks/sessions.js';
import { startCluster, type TestCluster } from './nodes.js';

/**
 * Two nodes on one database and Redis for the file's tests, and phones on either that hang up
 * when the file ends. Read the fields inside tests (they are set in beforeAll).
 */
export function useTwoNodes(env: Record<string, string> = {}) {
  const book = phoneBook();
  const ctx = {
    cluster: null as unknown as TestCluster,
    nodeA: '',
    nodeB: '',
    phone: book.phone,
  };
  beforeAll(async () => {
    ctx.cluster = await startCluster(2, { env });
    [ctx.nodeA, ctx.nodeB] = ctx.cluster.nodes.map((n) => n.url) as [string, string];
  });
  afterAll(async () => {
    book.closeAll();
    await ctx.cluster?.stop();
  });
  return ctx;
}
