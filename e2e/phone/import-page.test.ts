// @vitest-environment jsdom
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import type { Customer } from '@live-crm/shared-types';
import { signIn } from '../../realtime-server/test/support/clients.js';
import { startTestNode, type TestNode } from '../../realtime-server/test/support/nodes.js';
import { apply, checked, xlsxOf } from '../../realtime-server/test/imports/sheets.js';
import type { WxHandles } from '../../test-support/wx/index';
import { putDown, signedInPhone } from '../support/app';
import { ensureBuilt } from '../../miniprogram/test/support/build';
import { fire, openPage, preload, tap, type OpenedPage, type SimComponent } from '../../miniprogram/test/support/page';

let server: TestNode;
let root: string;
let dir: string;
let wx: WxHandles | null = null;
let page: OpenedPage | null = null;

beforeAll(async () => {
  [server, root] = await Promise.all([startTestNode(), ensureBuilt()]);
  preload(root, 'import', 'customers');
  dir = mkdtempSync(join(tmpdir(), 'import-page-'));
});
afterEach(() => {
  putDown(root, wx, page);
  [page, wx] = [null, null];
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await server?.stop();
});

const sheetOf = (p: OpenedPage): SimComponent => p.comp.querySelector('.privacy-sheet')!;
const sheetShown = (p: OpenedPage): boolean => sheetOf(p).querySelector('.privacy-popup')?.instance.data['visible'] === true;

/** The user agrees on the page's own consent sheet (the tap WeChat checks, then the page hears of it). */
function agree(p: OpenedPage, phone: WxHandles): void {
  const button = sheetOf(p).querySelector('.privacy__agree')!;
  phone.privacy.tapAgreeButton(String(button.instance.data['tId']));
  fire(button, 'agreeprivacyauthorization');
}

describe('the import page against a real server', () => {
  test('a manager gets the template, picks the filled sheet from a chat, reads the report by row and imports with merge', async () => {
    const session = await signedInPhone(root, server.url, 'mia');
    const phone = (wx = session.wx);
    const mia = await signIn(server.url, 'mia');
    const existing = (await mia.send('POST', '/api/crm/customers', { name: '已在库客户', phone: '13790000001' })).body.customer as Customer;
    const p = (page = openPage(root, 'import'));
    await p.waitFor((t) => t.includes('下载模板') && t.includes('从聊天选择文件'), 'the steps');

    tap(p.comp.querySelector('.template'));
    await expect.poll(() => phone.documents.length, { timeout: 10_000 }).toBe(1);
    expect(phone.documents[0]).toMatchObject({ fileType: 'xlsx', showMenu: true });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(readFileSync(phone.documents[0]!.filePath) as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('客户')!;
    expect((ws.getRow(1).values as unknown[]).slice(1)).toEqual(['姓名', '公司', '电话', '邮箱', '状态', '地址']);
    ws.addRow(['页面客户甲', '甲公司', '13790000101', '', '线索']);
    ws.addRow(['页面客户乙', '', '12-34']);
    ws.addRow(['已在库客户', '补上的公司', '+86 137-9000-0001']);
    const file = join(dir, '客户名单.xlsx');
    writeFileSync(file, Buffer.from(await wb.xlsx.writeBuffer()));

    phone.script.messageFiles.push(file);
    tap(p.comp.querySelector('.choose'));
    await expect.poll(() => sheetShown(p), { timeout: 5000 }).toBe(true);
    expect(phone.privacy.exposures).toEqual(['chooseMessageFile']);
    agree(p, phone);
    await p.waitFor((t) => t.includes('可新建') && t.includes('有误的行'), 'the report');
    expect(phone.uploads).toEqual([expect.objectContaining({ name: 'file', statusCode: 202 })]);
    const text = p.text();
    expect(text).toContain('第 3 行电话号码格式不对');
    expect(text).toContain('第 4 行与已有客户“已在库客户”的电话相同');
    expect(text).toContain('导入 1 位新客户');

    fire(p.comp.querySelector('.choice'), 'change', { value: 'merge' });
    await p.waitFor((t) => t.includes('电话和邮箱只补空缺') && t.includes('导入 1 位新客户并合并重复'), 'the merge hint and button');
    tap(p.comp.querySelector('.apply'));
    await p.waitFor((t) => t.includes('导入完成：新建 1 位客户，合并 1 位，跳过 0 行'), 'the result');
    const merged = (await mia.get(`/api/crm/customers/${existing.id}`)).body.customer as Customer;
    expect(merged.company).toBe('补上的公司');
    expect(phone.reportedErrors).toEqual([]);
  });

  test('while the server checks a big sheet the page shows how far it has come, then the report', async () => {
    const session = await signedInPhone(root, server.url, 'mia', { language: 'zh_CN' });
    const phone = (wx = session.wx);
    const p = (page = openPage(root, 'import'));
    await expect.poll(() => session.realtime.isSynced(), { timeout: 5000 }).toBe(true);
    const rows = Array.from({ length: 3000 }, (_, i) => [`进度${i}`, '', `1378${String(i).padStart(7, '0')}`]);
    const file = join(dir, '大表.xlsx');
    writeFileSync(file, await xlsxOf(rows));
    phone.script.messageFiles.push(file);
    tap(p.comp.querySelector('.choose'));
    await expect.poll(() => sheetShown(p), { timeout: 5000 }).toBe(true);
    agree(p, phone);
    await p.waitFor((t) => /正在检查第 [1-9]\d* \/ 3000 行/.test(t), 'a count the server sent while checking', 10_000);
    await p.waitFor((t) => t.includes('3000可新建'), 'the report', 20_000);
  }, 45_000);

  test('an English phone is told in English why a file that is not a spreadsheet was refused', async () => {
    const session = await signedInPhone(root, server.url, 'mia', { language: 'en' });
    const phone = (wx = session.wx);
    const p = (page = openPage(root, 'import'));
    await p.waitFor((t) => t.includes('Choose a file from a chat'), 'the steps');
    const file = join(dir, 'photo.csv');
    writeFileSync(file, Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'));
    phone.script.messageFiles.push(file);
    tap(p.comp.querySelector('.choose'));
    await expect.poll(() => sheetShown(p), { timeout: 5000 }).toBe(true);
    agree(p, phone);
    await p.waitFor((t) => t.includes('This is not a spreadsheet: upload the .xlsx template or a .csv file'), 'the refusal');
    expect(phone.uploads[0]).toMatchObject({ statusCode: 400 });
  });

  test('the customers page offers import to a manager only, and shows a teammate’s import as soon as it lands', async () => {
    wx = (await signedInPhone(root, server.url, 'ray')).wx;
    page = openPage(root, 'customers');
    await page.waitFor((t) => /共 \d+ 位客户/.test(t), 'the list');
    expect(page.text()).not.toContain('导入');
    putDown(root, wx, page);

    const session = await signedInPhone(root, server.url, 'mia');
    wx = session.wx;
    const p = (page = openPage(root, 'customers'));
    const before = Number(/共 (\d+) 位客户/.exec(await p.waitFor((t) => /共 \d+ 位客户/.test(t), 'the list'))![1]);
    expect(p.text()).toContain('导入');
    await expect.poll(() => session.realtime.isSynced(), { timeout: 5000 }).toBe(true);

    const ada = await signIn(server.url, 'ada');
    const r = await checked(
      server.url,
      ada.token,
      await xlsxOf([
        ['团队导入一', '', '13790000201'],
        ['团队导入二', '', '13790000202'],
      ]),
    );
    expect(r.teamId).toBe(session.user.teamId);
    await apply(server.url, ada.token, r.id, { duplicates: 'skip' });
    await p.waitFor((t) => t.includes(`共 ${before + 2} 位客户`), 'the list with the imported customers');
  });
});
