import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { phoneKey } from '@live-crm/models';
import type { Customer } from '@live-crm/shared-types';
import { signIn } from '../support/clients.js';
import { startTestNode } from '../support/nodes.js';
import { phoneSpellings } from './malformed.arbitraries.js';

/** Fixed so `npm test` is repeatable, as in malformed.test.ts. */
const SEED = Number(process.env['FUZZ_SEED'] ?? 20_251_204);

let node: Awaited<ReturnType<typeof startTestNode>>;
let ray: Awaited<ReturnType<typeof signIn>>;
let rita: Awaited<ReturnType<typeof signIn>>;

beforeAll(async () => {
  node = await startTestNode({ env: { RATE_LIMIT_PER_SEC: '100000', RATE_LIMIT_BURST: '100000', REMINDER_INTERVAL_MS: '0' } });
  [ray, rita] = await Promise.all([signIn(node.url, 'ray'), signIn(node.url, 'rita')]);
});
afterAll(() => node.stop());

describe('every spelling of one phone number is one customer', () => {
  it('gives every spelling the same E.164 key', () => {
    fc.assert(
      fc.property(phoneSpellings, ({ e164, spellings }) => spellings.every((s) => phoneKey(s) === e164)),
      { seed: SEED, numRuns: 2000 },
    );
  });

  it('creates the first spelling as typed and answers 409 duplicate to every other, from any teammate', async () => {
    const samples = fc.sample(phoneSpellings, { numRuns: 25, seed: SEED });
    const before = await node.cluster.db.models.Customer.count();
    let created = 0;
    for (const [i, { e164, spellings }] of samples.entries()) {
      const first = await ray.send('POST', '/api/crm/customers', { name: `客户 ${i}`, phone: spellings[0] });
      // Two samples may draw one number: then the first spelling is already a duplicate too.
      if (first.status === 409) {
        expect(first.body.current.phone && phoneKey(first.body.current.phone)).toBe(e164);
        continue;
      }
      expect(first.status, spellings[0]).toBe(201);
      created++;
      const customer = first.body.customer as Customer;
      expect(customer.phone).toBe(spellings[0]!.trim());
      for (const other of spellings.slice(1)) {
        const again = await rita.send('POST', '/api/crm/customers', { name: `客户 ${i}（重复）`, phone: other });
        expect({ spelling: other, status: again.status, code: again.body.error?.code, id: again.body.current?.id }).toEqual({
          spelling: other,
          status: 409,
          code: 'duplicate',
          id: customer.id,
        });
      }
    }
    expect(await node.cluster.db.models.Customer.count()).toBe(before + created);
  });

  it("a seeded customer's number is a duplicate in any spelling too", async () => {
    const seeded = (await node.cluster.db.models.Customer.findOne({ where: { teamId: ray.user.teamId! }, order: [['id', 'ASC']] }))!;
    const digits = seeded.phone!.replace(/\D/g, '');
    const res = await ray.send('POST', '/api/crm/customers', {
      name: '再录一次',
      phone: `+86 ${digits.slice(0, 3)}-${digits.slice(3, 7)}-${digits.slice(7)}`,
    });
    expect(res.status).toBe(409);
    expect(res.body.current.id).toBe(seeded.id);
  });
});
