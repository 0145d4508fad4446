import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(import.meta.dirname, '../../src');

/** Writes of the event log and the Idempotency-Keys, by SQL or by model, and publications. */
const WRITES = [
  /\b(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+(team_events|idempotency_keys)\b/gi,
  /\b(TeamEvent|IdempotencyKey)\.(create|bulkCreate|update|upsert|destroy|increment)\(/g,
  /\bUPDATE\s+teams\b[^;`]*\blast_seq\s*=/gi,
  /\bbus\.publish\(/g,
];

/** Retention forgets expired rows in batches; it writes no event and no answer. */
const PRUNING = /^modules\/sync\/sync\.service\.ts: DELETE FROM (team_events|idempotency_keys)$/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

function writesIn(file: string): string[] {
  const src = readFileSync(file, 'utf8');
  const rel = relative(SRC, file).split('\\').join('/');
  return WRITES.flatMap((re) => [...src.matchAll(re)].map((m) => `${rel}: ${m[0].replace(/\s+/g, ' ').slice(0, 40)}`));
}

describe('one writer of the event log', () => {
  it('only core/mutation.ts writes team_events, idempotency_keys and the team seq, and publishes', () => {
    const all = sourceFiles(SRC).flatMap(writesIn);
    const elsewhere = all.filter((w) => !w.startsWith('core/mutation.ts: ') && !PRUNING.test(w));
    expect(all.filter((w) => w.startsWith('core/mutation.ts: ')).length, 'the scan sees the writer itself').toBeGreaterThanOrEqual(6);
    expect(elsewhere, 'write through core/mutation.ts (mutate or runStatement)').toEqual([]);
  });
});
