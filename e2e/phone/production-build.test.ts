// @vitest-environment jsdom
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { startTestNode, type TestNode } from '../../realtime-server/test/support/nodes.js';
import { installWx, type WxHandles } from '../../test-support/wx/index';
import { BASE_URL_KEY } from '../support/app';
import { ensureBuilt, ROOT } from '../../miniprogram/test/support/build';
import { appModule, openPage, type OpenedPage } from '../../miniprogram/test/support/page';

const SCRIPT = join(ROOT, 'scripts', 'build-miniprogram.mjs');
/** What a tester once typed into a development build's server field, still in storage. */
const STALE_CHOICE = 'http://127.0.0.1:9';

let server: TestNode;
let devRoot: string;
let prodRoot: string;
let scratch: string;
let wx: WxHandles | null = null;
let page: OpenedPage | null = null;

function build(args: string[], env: Record<string, string>) {
  const childEnv = { ...process.env, ...env };
  if (!('LIVECRM_SERVER_URL' in env)) delete childEnv.LIVECRM_SERVER_URL;
  return spawnSync(process.execPath, [SCRIPT, ...args], { cwd: ROOT, env: childEnv, encoding: 'utf8' });
}

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'livecrm-prod-'));
  [server, devRoot] = await Promise.all([startTestNode(), ensureBuilt()]);
  prodRoot = join(scratch, 'app');
  const res = build(['--production', '--out', prodRoot], { LIVECRM_SERVER_URL: server.url });
  if (res.status !== 0) throw new Error(`production build failed: ${res.stderr}`);
});
afterEach(() => {
  page?.close();
  page = null;
  wx?.uninstall();
  wx = null;
});
afterAll(async () => {
  await server?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

function openLogin(root: string): OpenedPage {
  wx = installWx();
  wx.storage.set(BASE_URL_KEY, STALE_CHOICE);
  appModule<{ resetLocale(): void }>(root, 'i18n/index.js').resetLocale();
  return (page = openPage(root, 'login'));
}

describe('production build', () => {
  test('talks to the server it was built for and shows no server field on the login page', async () => {
    const p = openLogin(prodRoot);
    await p.waitFor((t) => t.includes('开发环境登录'), 'the demo logins from the configured server');
    expect(p.text()).not.toContain('服务器');
    expect(p.comp.querySelector('.server')).toBeFalsy();
    expect(wx!.requests.length).toBeGreaterThan(0);
    for (const r of wx!.requests) expect(r.url.startsWith(`${server.url}/`)).toBe(true);
  });

  test('its output opens in WeChat DevTools as a compiled project that checks request domains', () => {
    const project = JSON.parse(readFileSync(join(prodRoot, 'project.config.json'), 'utf8')) as {
      miniprogramRoot: string;
      setting: { useCompilerPlugins: unknown; urlCheck: boolean };
    };
    expect(project.miniprogramRoot).toBe('./');
    expect(project.setting).toMatchObject({ useCompilerPlugins: false, urlCheck: true });
  });

  test('refuses to build without an https server address, saying what to set', () => {
    const missing = build(['--production', '--out', join(scratch, 'none')], {});
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('LIVECRM_SERVER_URL');
    const plain = build(['--production', '--out', join(scratch, 'plain')], { LIVECRM_SERVER_URL: 'http://crm.example.com' });
    expect(plain.status).toBe(2);
    expect(plain.stderr).toContain('must be https');
  });
});

describe('development build', () => {
  test('the login page offers the server field and uses what the tester chose', async () => {
    const p = openLogin(devRoot);
    await p.waitFor((t) => t.includes('服务器'), 'the server field');
    expect(p.comp.querySelector('.server')).toBeTruthy();
    await expect.poll(() => wx!.requests.length).toBeGreaterThan(0);
    expect(wx!.requests[0]!.url.startsWith(`${STALE_CHOICE}/`)).toBe(true);
  });
});
