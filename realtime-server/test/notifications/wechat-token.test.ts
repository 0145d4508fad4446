import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn } from '../support/clients.js';
import { startCluster, type TestCluster } from '../support/nodes.js';
import { FAKE_APPID, FAKE_SECRET, startFakeWechat, type FakeWechat } from './fake-wechat.js';

const TEMPLATE = 'tpl-task-reminder';

let wechat: FakeWechat;
let cluster: TestCluster;

beforeAll(async () => {
  wechat = await startFakeWechat();
  // No timers: each test decides which node fires which reminder.
  cluster = await startCluster(2, { env: { ...wechat.env(TEMPLATE), REMINDER_INTERVAL_MS: '0' } });
});
afterAll(async () => {
  await cluster.stop();
  await wechat.close();
});

/** A user with a linked WeChat account and plenty of consents. */
async function linked(login: string): Promise<{ userId: number; tenantId: number; teamId: number; openId: string }> {
  const { user } = await signIn(cluster.nodes[0]!.url, login);
  const openId = `openid-${login}-${Date.now()}`;
  await cluster.db.models.User.update({ wechatOpenId: openId }, { where: { id: user.id } });
  await cluster.db.models.SubscriptionConsent.upsert({ userId: user.id, templateId: TEMPLATE, remaining: 50 });
  return { userId: user.id, tenantId: user.tenantId, teamId: user.teamId!, openId };
}

/** One reminder due now, fired by the chosen node; answers how many that node fired. */
async function fireOn(node: number, who: Awaited<ReturnType<typeof linked>>, title: string): Promise<number> {
  await cluster.db.models.Task.create({
    tenantId: who.tenantId,
    teamId: who.teamId,
    customerId: null,
    title,
    description: null,
    dueAt: new Date(Date.now() + 3_600_000),
    remindAt: new Date(Date.now() - 1000),
    assigneeId: who.userId,
    createdById: who.userId,
  });
  return cluster.nodes[node]!.node.reminders.runOnce();
}

const sentTitles = (openId: string) => wechat.sent.filter((m) => m.touser === openId).map((m) => m.data['thing1']?.value);

describe('one WeChat access token for every node', () => {
  it('two nodes take turns sending reminders on one token: neither ever invalidates the other', async () => {
    const ray = await linked('ray');
    const fired = [];
    for (const [i, node] of [0, 1, 0, 1, 0].entries()) fired.push(await fireOn(node, ray, `回电 ${i + 1}`));

    expect(fired).toEqual([1, 1, 1, 1, 1]);
    expect(sentTitles(ray.openId)).toEqual(['回电 1', '回电 2', '回电 3', '回电 4', '回电 5']);
    expect(wechat.rejectedSends()).toBe(0);
    expect(wechat.tokensIssued()).toBe(1);
    expect(new Set(wechat.sent.map((m) => m.accessToken)).size).toBe(1);
  });

  it('renews an expired token once, and both nodes go on with the one renewed token', async () => {
    const rita = await linked('rita');
    const issued = wechat.tokensIssued();
    const rejected = wechat.rejectedSends();
    wechat.expireTokens();
    for (const [i, node] of [0, 1, 0].entries()) await fireOn(node, rita, `回访 ${i + 1}`);

    expect(sentTitles(rita.openId)).toEqual(['回访 1', '回访 2', '回访 3']);
    expect(wechat.tokensIssued() - issued).toBe(1);
    expect(wechat.rejectedSends() - rejected).toBe(2); // each node's cached token, refused once (42001)
  });

  it('picks up a token another server force-refreshed after one refusal (40001), without refreshing it again', async () => {
    const mia = await linked('mia');
    const res = await fetch(`${wechat.url}/cgi-bin/stable_token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'client_credential', appid: FAKE_APPID, secret: FAKE_SECRET, force_refresh: true }),
    });
    const { access_token: theirs } = (await res.json()) as { access_token: string };
    const issued = wechat.tokensIssued();
    for (const [i, node] of [1, 0, 1].entries()) await fireOn(node, mia, `拜访 ${i + 1}`);

    expect(sentTitles(mia.openId)).toEqual(['拜访 1', '拜访 2', '拜访 3']);
    expect(wechat.tokensIssued()).toBe(issued);
    expect(wechat.sent.filter((m) => m.touser === mia.openId).every((m) => m.accessToken === theirs)).toBe(true);
  });
});
