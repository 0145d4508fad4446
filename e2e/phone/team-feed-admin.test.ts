// @vitest-environment jsdom
import type { Customer, TeamFeedResponse } from '@live-crm/shared-types';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { startCluster, type TestCluster } from '../../realtime-server/test/support/nodes.js';
import { requestsSettled, signedInPhone } from '../support/app';
import { ensureBuilt } from '../../miniprogram/test/support/build';
import { colleague, type Colleague } from '../support/crm';
import { openPage, type OpenedPage } from '../../miniprogram/test/support/page';

// An admin has no team of their own: the feed shows the team the server picked (their first),
// and must follow that team live like a rep's page follows theirs.
let cluster: TestCluster;
let root: string;
let phone: Awaited<ReturnType<typeof signedInPhone>>;
let ada: Colleague;
let page: OpenedPage | null = null;

beforeAll(async () => {
  [cluster, root] = await Promise.all([startCluster(2), ensureBuilt()]);
  phone = await signedInPhone(root, cluster.nodes[0]!.url, 'ada');
  ada = await colleague(cluster.nodes[1]!.url, 'ada');
});
afterEach(() => {
  page?.close();
  page = null;
});
afterAll(async () => {
  phone?.realtime.forget();
  phone?.wx.uninstall();
  await cluster?.stop();
});

describe('team feed for an admin', () => {
  test("shows the first team's history and its new events live; another team's stay out", async () => {
    const { teamId } = await ada.call<TeamFeedResponse>('GET', '/api/crm/team/feed?limit=1');
    const teams = [await colleague(cluster.nodes[1]!.url, 'ray'), await colleague(cluster.nodes[1]!.url, 'will')];
    const shown = teams.find((c) => c.user.teamId === teamId)!;
    const other = teams.find((c) => c.user.teamId !== teamId)!;
    const noteOn = async (who: Colleague, content: string) => {
      const customer = (await who.call<{ customers: Customer[] }>('GET', '/api/crm/customers?limit=1')).customers[0]!;
      await who.call('POST', `/api/crm/customers/${customer.id}/notes`, { content });
    };

    const p = (page = openPage(root, 'team'));
    await p.waitFor((text) => !/加载中/.test(text), 'the feed');
    await expect.poll(() => phone.realtime.isSynced(), { timeout: 5000 }).toBe(true);
    await requestsSettled(phone.wx);

    await noteOn(other, '别的团队的备注');
    await noteOn(shown, '管理员能实时看到这条');
    await p.waitFor((text) => text.includes('管理员能实时看到这条'), 'the live entry of the team shown');
    expect(p.comp.dom.textContent).not.toContain('别的团队的备注');
  });
});
