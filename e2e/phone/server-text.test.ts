// @vitest-environment jsdom
import type { Customer, FollowUpResponse, Opportunity, Stage } from '@live-crm/shared-types';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { until } from '../../realtime-server/test/notifications/until.js';
import { startTestNode } from '../../realtime-server/test/support/nodes.js';
import { requestsSettled, signedInPhone, teammate } from '../support/app';
import { ensureBuilt } from '../../miniprogram/test/support/build';
import { colleague, dueTodayIso, type Colleague } from '../support/crm';
import { openPage, type OpenedPage } from '../../miniprogram/test/support/page';

/**
 * What the server writes on its own (notifications, a follow-up's task title, stage names and
 * stage changes) is stored as a kind and parameters: the same records read in English on an
 * English phone and in Chinese on a Chinese one.
 */

let server: Awaited<ReturnType<typeof startTestNode>>;
let root: string;
let phone: Awaited<ReturnType<typeof signedInPhone>> | null = null;
let page: OpenedPage | null = null;
let ray: Colleague;
let mia: Colleague;
let customer: Customer;
let deal: Opportunity;
const CUSTOM_STAGE = '样品测试';

beforeAll(async () => {
  // Reminders every 100 ms, in-app only (no WeChat credentials).
  [server, root] = await Promise.all([startTestNode({ env: { REMINDER_INTERVAL_MS: '100' } }), ensureBuilt()]);
  [ray, mia] = await Promise.all([colleague(server.url, 'ray'), colleague(server.url, 'mia')]);
  const rayApi = await teammate(server.url, 'ray');

  // Everything below goes through the product's own API, except the custom stage (no API adds one yet).
  customer = (await ray.call<{ customers: Customer[] }>('GET', '/api/crm/customers?limit=1')).customers[0]!;
  const { task } = await ray.call<FollowUpResponse>('POST', '/api/crm/follow-ups', {
    customerId: customer.id,
    scheduledDate: new Date(Date.now() + 10 * 60_000).toISOString(),
  });
  // Due today in China time whatever the hour; its reminder (due - 30 min) is already due.
  await ray.updateTask(task, { dueAt: dueTodayIso() });
  await mia.createTask({ title: '准备报价单', dueAt: dueTodayIso(), assigneeId: ray.user.id });
  const board = await rayApi.pipeline();
  const [lead, qualified] = [...board.stages].sort((a, b) => a.position - b.position) as [Stage, Stage];
  deal = await rayApi.move(
    board.opportunities.find((o) => o.stageId === lead.id)!,
    qualified.id,
  );
  await server.cluster.db.models.Stage.create({
    teamId: ray.user.teamId!,
    name: CUSTOM_STAGE,
    probability: 40,
    position: board.stages.length,
    outcome: 'open',
  });
  await until('the follow-up reminder', async () => (await ray.inbox()).notifications.some((n) => n.kind === 'follow-up-due'));
});
afterEach(() => {
  page?.close();
  page = null;
});
afterAll(async () => {
  phone?.wx.uninstall();
  await server?.stop();
});

/** Relaunches the app on a phone speaking `language`, signed in as ray (same storage each time). */
async function launch(language: string): Promise<void> {
  phone?.wx.uninstall();
  phone = { ...phone, ...(await signedInPhone(root, server.url, 'ray', { language, ...(phone ? { storage: phone.storage } : {}) })) };
}

async function open(name: string, ready: (text: string) => boolean, query: Record<string, string> = {}): Promise<string> {
  const p = (page = openPage(root, name, query));
  await p.waitFor((text) => ready(text) && !/加载中|Loading/.test(text), name);
  await requestsSettled(phone!.wx);
  const text = p.text();
  p.close();
  page = null;
  return text;
}

/** What each page should read, per phone language; `no` must not appear. */
const PHONES = [
  {
    language: 'en',
    unread: 'unread',
    inbox: () => [
      `${mia.user.name} assigned you a task`,
      `Follow-up reminder: ${customer.name}`,
      new RegExp(`Follow up with ${customer.name} · (Today|Tomorrow)`),
    ],
    task: () => `Follow up with ${customer.name}`,
    no: /给你分配了任务|跟进|线索|已确认/,
    stages: /Lead \d+.*Qualified \d+.*Won \d+.*Lost \d+/,
    timeline: () => `Moved deal “${deal.title}” from “Lead” to “Qualified”`,
    feed: () => `moved deal “${deal.title}” to Qualified`,
  },
  {
    language: 'zh_CN',
    unread: '未读',
    inbox: () => [`${mia.user.name}给你分配了任务`, `跟进提醒：${customer.name}`, new RegExp(`跟进 ${customer.name} · (今天|明天)`)],
    task: () => `跟进 ${customer.name}`,
    no: /assigned you|Follow|Lead|Qualified/,
    stages: /线索 \d+.*已确认 \d+.*赢单 \d+.*输单 \d+/,
    timeline: () => `将商机“${deal.title}”从“线索”移到“已确认”`,
    feed: () => `将商机“${deal.title}”移到了“已确认”`,
  },
];

describe.each(PHONES)('server-written text on a phone speaking $language', (want) => {
  beforeAll(() => launch(want.language));

  test('the notification centre', async () => {
    const inbox = await open('notifications', (text) => text.includes(want.unread));
    for (const line of want.inbox()) expect(inbox).toMatch(line);
    expect(inbox).toContain('准备报价单'); // the assigned task's title, as typed
    expect(inbox).not.toMatch(want.no);
  });

  test('the task list', async () => {
    const tasks = await open('tasks', (text) => text.includes(customer.name));
    expect(tasks).toContain(want.task());
    expect(tasks).not.toMatch(want.no);
  });

  test('the pipeline: default stages from the tables, a custom stage as named', async () => {
    const pipeline = await open('pipeline', (text) => text.includes('¥'));
    expect(pipeline).toMatch(want.stages);
    expect(pipeline).toContain(`${CUSTOM_STAGE} 0`);
    expect(pipeline).not.toMatch(want.no);
  });

  test("the customer's timeline and the team feed", async () => {
    const timeline = await open('customer-detail', (text) => text.includes(deal.title), { id: String(deal.customerId) });
    expect(timeline).toContain(want.timeline());
    const feed = await open('team', (text) => text.includes(deal.title));
    expect(feed).toContain(want.feed());
  });
});

test('a notification of a kind this phone does not know shows a plain "new notification"', async () => {
  await launch('en');
  // As a newer server might store it: a kind this build has no words for.
  await server.cluster.db.sequelize.query(
    `INSERT INTO notifications (tenant_id, user_id, kind, params, created_at) VALUES (:tenantId, :userId, 'quota-reached', '{"limit": 5}', now())`,
    { replacements: { tenantId: ray.user.tenantId, userId: ray.user.id } },
  );
  const inbox = await open('notifications', (text) => text.includes('unread'));
  expect(inbox).toMatch(/^\d+ unread.*New notification/);
});
