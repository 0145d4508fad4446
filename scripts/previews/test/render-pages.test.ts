// Every page in app.json renders in every preview state without throwing and without coming out empty,
// drawing from a real server on a clone of the seeded test database (real clock). HTML only (no
// Chromium), so CI stays light; `npm run previews` makes the pictures.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { cloneDatabase } from '../../../realtime-server/test/support/databases';
import { ensureBuilt, ROOT } from '../../../miniprogram/test/support/build';
// @ts-expect-error plain ESM script without type declarations
import { appPages, renderPages } from '../pages.mjs';
// @ts-expect-error plain ESM script without type declarations
import { startPreviewServer } from '../server.mjs';

interface Shot { name: string; html: string; text: string; failures: string[] }
interface PreviewServer { stop(): Promise<void> }

// Read at collection time from the source app.json: one test per page, named after it.
const SOURCE = join(ROOT, 'miniprogram');
const pages = appPages(SOURCE) as string[];

let database: Awaited<ReturnType<typeof cloneDatabase>>;
let server: PreviewServer;

beforeAll(async () => {
  database = await cloneDatabase(inject('templateDb'));
  server = await startPreviewServer({ databaseUrl: database.url }) as PreviewServer;
}, 120_000); // a server process of its own, compiled by tsx on a busy machine
afterAll(async () => {
  await server?.stop();
  await database?.drop();
});

describe('page previews (HTML) from a real server', () => {
  it('lists at least one page in app.json', () => {
    expect(pages.length).toBeGreaterThan(0);
    expect(JSON.parse(readFileSync(join(SOURCE, 'app.json'), 'utf8')).pages).toEqual(expect.arrayContaining(pages.slice(0, 1)));
  });

  for (const pagePath of pages) {
    it(`renders ${pagePath} in each of its states`, async () => {
      const root = await ensureBuilt();
      const problems: string[] = [];
      let count = 0;
      for await (const shot of renderPages(root, { pages: [pagePath], server }) as AsyncIterable<Shot>) {
        count += 1;
        if (shot.failures.length) problems.push(`${shot.name}:\n  ${shot.failures.join('\n  ')}`);
        else expect(shot.html, shot.name).toContain('<wx-page>');
      }
      expect(count).toBeGreaterThan(0);
      expect(problems.join('\n'), problems.join('\n')).toBe('');
    }, 90_000);
  }
});
