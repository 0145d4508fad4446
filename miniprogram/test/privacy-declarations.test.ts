import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

const MP = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Location APIs WeChat wants declared in app.json `requiredPrivateInfos` before review. */
const LOCATION_APIS = [
  'getLocation',
  'chooseLocation',
  'getFuzzyLocation',
  'choosePoi',
  'chooseAddress',
  'startLocationUpdate',
  'startLocationUpdateBackground',
  'onLocationChange',
];
/** APIs WeChat holds until the user agreed to the privacy guide (the ones this app may reach). */
const PRIVACY_APIS = [
  'setClipboardData',
  'getClipboardData',
  'chooseMessageFile',
  'chooseMedia',
  'chooseImage',
  'chooseVideo',
  'saveImageToPhotosAlbum',
  'addPhoneContact',
  ...LOCATION_APIS,
];
/** App modules that call a privacy API for the pages. */
const PRIVACY_SERVICES = ['services/clipboard', 'services/imports'];

function* sources(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (['test', 'miniprogram_npm', 'node_modules', 'typings'].includes(entry.name)) continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) yield* sources(full);
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) yield full;
  }
}

const calls = (code: string, apis: string[]) => apis.filter((name) => new RegExp(`\\bwx\\.${name}\\(`).test(code));

describe('what WeChat review checks about privacy', () => {
  test('requiredPrivateInfos lists exactly the location APIs the code calls', () => {
    const used = new Set<string>();
    for (const file of sources(MP)) calls(readFileSync(file, 'utf8'), LOCATION_APIS).forEach((api) => used.add(api));
    const app = JSON.parse(readFileSync(join(MP, 'app.json'), 'utf8')) as { requiredPrivateInfos?: string[] };
    expect([...(app.requiredPrivateInfos ?? [])].sort()).toEqual([...used].sort());
  });

  test('every page that reaches a privacy API holds the consent sheet', () => {
    const pagesDir = join(MP, 'pages');
    const reaching = readdirSync(pagesDir).filter((page) =>
      [...sources(join(pagesDir, page))].some((file) => {
        const code = readFileSync(file, 'utf8');
        return calls(code, PRIVACY_APIS).length > 0 || PRIVACY_SERVICES.some((s) => code.includes(`/${s}'`));
      }),
    );
    expect(reaching).toContain('customer-detail');
    for (const page of reaching) {
      const json = JSON.parse(readFileSync(join(pagesDir, page, 'index.json'), 'utf8')) as { usingComponents?: Record<string, string> };
      const wxml = readFileSync(join(pagesDir, page, 'index.wxml'), 'utf8');
      expect(json.usingComponents?.['privacy-sheet'], relative(MP, join(pagesDir, page))).toBe('../../components/privacy-sheet/index');
      expect(wxml, `${page}/index.wxml`).toContain('<privacy-sheet');
    }
  });
});
