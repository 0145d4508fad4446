import { QueryTypes } from 'sequelize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createThrowawayDb, type ThrowawayDb } from './support/throwaway-db.js';

let t: ThrowawayDb;
beforeAll(async () => {
  t = await createThrowawayDb();
});
afterAll(async () => {
  await t?.drop();
});

describe('every pooled connection', () => {
  it('runs without JIT, whose compile time outweighs our short statements', async () => {
    // Two at once: each pooled connection is set up, not only the first.
    const answers = await Promise.all(
      [1, 2].map(() =>
        t.db.sequelize.transaction(async (transaction) =>
          t.db.sequelize.query<{ jit: string }>('SHOW jit', { type: QueryTypes.SELECT, transaction }),
        ),
      ),
    );
    expect(answers.map(([row]) => row?.jit)).toEqual(['off', 'off']);
  });
});
