// @vitest-environment jsdom
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestNode, type TestNode } from '../../realtime-server/test/support/nodes.js';
import { requestsSettled, signedInPhone, teammate } from '../support/app';
import { ensureBuilt } from '../../miniprogram/test/support/build';
import { crmTeammate } from '../support/customers';
import { lastSeq } from '../support/offline';
import { openPage, type OpenedPage, captureSetData } from '../../miniprogram/test/support/page';

// behaviors/live-page.ts: a page that is gone hears nothing more, whether livePage's onUnload
// runs (pipeline) or the page's own, which calls releaseLive (customers).
let server: TestNode;
let root: string;
let phone: Awaited<ReturnType<typeof signedInPhone>>;

beforeAll(async () => {
  [server, root] = await Promise.all([startTestNode(), ensureBuilt()]);
  phone = await signedInPhone(root, server.url, 'ray');
});
afterAll(async () => {
  phone?.realtime.forget();
  phone?.wx.uninstall();
  await server?.stop();
});

const phoneSeq = (teamId: number): number => (phone.realtime as unknown as { lastSeq(t: number): number | undefined }).lastSeq(teamId) ?? 0;

async function openLive(name: string, ready: (text: string) => boolean): Promise<OpenedPage> {
  const p = openPage(root, name);
  await p.waitFor((text) => ready(text) && !/加载中/.test(text), name);
  await expect.poll(() => phone.realtime.isSynced(), { timeout: 5000 }).toBe(true);
  await requestsSettled(phone.wx);
  return p;
}

/** Closes the page, lets a teammate change something it showed, and answers what the page still sent to its view. */
async function afterClosing(p: OpenedPage, teamId: number, change: () => Promise<unknown>): Promise<unknown[]> {
  const sent = captureSetData(p);
  p.close();
  await change();
  const head = await lastSeq(server, teamId);
  await expect.poll(() => phoneSeq(teamId), { timeout: 5000 }).toBe(head);
  await new Promise((r) => setTimeout(r, 100));
  return sent;
}

describe('a live page that has been closed', () => {
  test("pipeline (livePage unsubscribes in onUnload): a teammate's move reaches the phone, not the page", async () => {
    const rita = await teammate(server.url, 'rita');
    const board = await rita.pipeline();
    const deal = board.opportunities[0]!;
    const to = board.stages.find((s) => s.id !== deal.stageId && s.outcome === 'open')!;
    const p = await openLive('pipeline', (text) => text.includes('¥'));
    expect(await afterClosing(p, deal.teamId, () => rita.move(deal, to.id))).toEqual([]);
  });

  test("customers (its own onUnload calls releaseLive): a teammate's edit of a listed customer reaches the phone, not the page", async () => {
    const rita = await crmTeammate(server.url, 'rita');
    const p = await openLive('customers', (text) => /共 \d+ 位客户/.test(text));
    const shown = (await rita.list('?limit=1')).customers[0]!;
    expect(p.text()).toContain(shown.name);
    expect(await afterClosing(p, phone.user.teamId!, () => rita.update(shown, { name: `${shown.name}（已改）` }))).toEqual([]);
  });
});
