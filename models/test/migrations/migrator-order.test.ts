import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MIGRATION_NAMES, RENAMED_MIGRATIONS } from '../../src/migrator.js';

const files = readdirSync(join(import.meta.dirname, '../../src/migrations'))
  .filter((f) => f.endsWith('.ts'))
  .map((f) => f.replace(/\.ts$/, ''));

describe('the migrator', () => {
  it('runs exactly the migration files, in file-name order', () => {
    expect(MIGRATION_NAMES).toEqual([...files].sort());
  });

  it('names files with a four-digit number, a dash and kebab-case words, no number used twice', () => {
    for (const name of files) expect(name).toMatch(/^\d{4}-[a-z0-9]+(-[a-z0-9]+)*$/);
    const numbers = files.map((f) => f.slice(0, 4));
    expect(new Set(numbers).size).toBe(numbers.length);
  });

  it('maps every renamed migration to a file that exists, and never reuses an old name for a new file', () => {
    for (const [old, current] of Object.entries(RENAMED_MIGRATIONS)) {
      expect(files).toContain(current);
      expect(files).not.toContain(old);
    }
  });
});
