import { afterAll, beforeAll, expect } from 'vitest';
import type { Customer } from '@live-crm/shared-types';
import { signIn } from '../support/clients.js';
import { startCluster, type TestCluster } from '../support/nodes.js';
import { phoneBook, type Session } from '../tasks/sessions.js';

/**
 * Two nodes sharing PostgreSQL and Redis for one test file, `ray` signed in on node A, phones
 * (weapp.socket.io) hung up at the end; `freshCustomer` makes a customer of Ray's with its own number.
 */
export function twoNodes(phonePrefix: string) {
  const phones = phoneBook();
  const ctx = {
    cluster: null as unknown as TestCluster,
    nodeA: '',
    nodeB: '',
    ray: null as unknown as Session,
    phone: phones.phone,
    async freshCustomer(name: string): Promise<Customer> {
      const res = await ctx.ray.send('POST', '/api/crm/customers', { name, phone: `${phonePrefix}${String(++numbers).padStart(4, '0')}` });
      expect(res.status).toBe(201);
      return res.body.customer as Customer;
    },
  };
  let numbers = 0;
  beforeAll(async () => {
    ctx.cluster = await startCluster(2);
    [ctx.nodeA, ctx.nodeB] = ctx.cluster.nodes.map((n) => n.url) as [string, string];
    ctx.ray = await signIn(ctx.nodeA, 'ray');
  });
  afterAll(async () => {
    phones.closeAll();
    await ctx.cluster.stop();
  });
  return ctx;
}
