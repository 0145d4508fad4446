/* global Buffer, setTimeout */
// What the demo people do in the app just before the pictures are taken, through the server's REST
// API as they would: a manager hands Ray two tasks (his notifications), Ray opens a deal with a long
// title and finishes a task, Mia invites reps and sets this month's targets. Answers the ids the preview states open.

import { demoPhoto } from '../../realtime-server/src/seed/demo.photos.js';

import ExcelJS from 'exceljs';

const HOUR = 3_600_000;
const LONG_DEAL = '华东区域代理 2025 年度框架协议（含仓储、物流与售后服务的三年期合作）';

/** `hour` o'clock Shanghai time, `days` from the day of `now`. */
function shanghai(now, days, hour) {
  const midnight = Math.floor((now + 8 * HOUR) / (24 * HOUR)) * 24 * HOUR - 8 * HOUR;
  return new Date(midnight + days * 24 * HOUR + hour * HOUR).toISOString();
}

export async function playScene({ ray, mia }, now) {
  const { customers } = await ray.call('GET', '/api/crm/customers?sortBy=createdAt&limit=100');
  const [first, , quiet] = customers;
  const longCompany = customers.find((c) => c.company?.length > 20) ?? customers[1];

  const deal = (await ray.call('POST', '/api/crm/opportunities', {
    customerId: first.id, title: LONG_DEAL, valueCents: 128_000_000, expectedCloseDate: shanghai(now, 30, 12).slice(0, 10),
  })).opportunity;
  const assigned = [];
  for (const [title, days, hour] of [['拜访华东区新客户', 1, 10], ['确认合同盖章并寄回原件', 0, 16]]) {
    assigned.push((await mia.call('POST', '/api/crm/tasks', {
      title, type: 'meeting', priority: 'high', customerId: longCompany.id, assigneeId: ray.user.id, dueAt: shanghai(now, days, hour),
    })).task);
  }
  // Ray checks in at the first customer with two photos of the shop, and logs a call with a next step.
  const photos = [];
  for (const n of [2, 4]) photos.push((await ray.upload('/api/crm/attachments', demoPhoto(n), `shop-${n}.png`)).attachment.id);
  const { contacts } = await ray.call('GET', `/api/crm/customers/${first.id}/contacts`);
  await ray.call('POST', '/api/crm/activities', {
    customerId: first.id, type: 'visit', content: '到店拜访，店长带看了新货架，样品留了两箱', attachmentIds: photos,
    contactId: contacts[0]?.id ?? null,
    location: { latitude: 31.2241, longitude: 121.4456, name: '静安嘉里中心', address: '上海市静安区南京西路 1515 号' },
  });
  const { tasks } = await ray.call('GET', `/api/crm/tasks?view=all&assigneeId=${ray.user.id}`);
  // The seed gives Ray one task overdue since yesterday and two due on the day it ran, then one next
  // week. Picked by their order, not by the clock: on the real clock a late run finds both of the
  // day's tasks already past (after 20:00 in Shanghai), or the day changed since seeding.
  const handed = new Set(assigned.map((t) => t.id));
  const own = tasks.filter((t) => !handed.has(t.id) && t.status !== 'completed').sort((a, b) => Date.parse(a.dueAt) - Date.parse(b.dueAt));
  const [overdue, open, done] = own;
  await ray.call('PUT', `/api/crm/tasks/${done.id}`, { status: 'completed', version: done.version });

  // Mia invites reps to her team: one card out in a chat, one she took back.
  const invited = (await mia.call('POST', '/api/crm/invitations', { role: 'rep', maxUses: 3 })).invitation;
  const revoked = (await mia.call('POST', '/api/crm/invitations', { role: 'rep' })).invitation;
  await mia.call('DELETE', `/api/crm/invitations/${revoked.id}`);
  // The manager sets this month's targets (the dashboard's leaderboard shows completion against them).
  const month = new Date(now + 8 * HOUR).toISOString().slice(0, 7);
  const me = await mia.call('GET', '/api/me');
  for (const [i, member] of me.members.filter((m) => m.role === 'rep').entries()) {
    await mia.call('PUT', '/api/crm/targets', { userId: member.id, month, wonValueCents: [300_000_00, 120_000_00][i % 2] });
  }
  const pool = (await ray.call('GET', '/api/crm/customers?scope=pool&limit=1')).customers[0];

  const pipeline = await ray.call('GET', '/api/crm/pipeline');
  const wonStage = pipeline.stages.find((s) => s.outcome === 'won');
  const won = pipeline.opportunities.find((o) => o.stageId === wonStage.id);
  const importId = await uploadSheet(mia, customers);
  return {
    importId,
    customer: first.id, longCompany: longCompany.id, quietCustomer: quiet.id, customerName: first.name, quietName: quiet.name,
    longDeal: deal.id, wonDeal: won.id, stages: pipeline.stages.map((st) => st.id),
    overdueTask: overdue.id, openTask: open.id, doneTask: done.id, assignedTask: assigned[0].id,
    poolCustomer: pool.id, ritaId: me.members.find((m) => m.name === '王婷')?.id ?? 0,
    invitationCode: invited.code, revokedCode: revoked.code, rayId: ray.user.id,
  };
}

/**
 * Mia brings a customer sheet in as a new team's manager would, with the mistakes such sheets have:
 * a missing name, a phone typed wrong, an e-mail without its domain, a customer already in the team
 * (phone written with +86), a row repeated further down. Checked, not applied: the report is the picture.
 */
async function uploadSheet(mia, customers) {
  const known = customers.find((c) => c.phone);
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('客户');
  ws.addRow(['姓名', '公司', '电话', '邮箱', '状态', '地址']);
  ws.addRows([
    ['黄嘉怡', '宁波港汇进出口有限公司', '138 5741 2201', 'huang.jiayi@ganghui.cn', '线索', '浙江省宁波市鄞州区'],
    ['', '温州东瓯电器有限公司', '13857412202', '', '潜在客户', ''],
    ['郑凯', '绍兴柯桥纺织城', '0575-8512', 'zhengkai@', '线索', ''],
    [known.name, known.company ?? '', `+86 ${known.phone}`, '', '活跃', ''],
    ['许文静', '台州椒江汽配', '+86 138-5741-2205', 'xu.wenjing@jiaojiang.cn', '老客户', ''],
    ['何俊', '嘉兴南湖电子', '13857412206', 'he.jun@nanhu.cn', '线索', '浙江省嘉兴市南湖区'],
    ['黄嘉怡', '宁波港汇进出口有限公司', '0086 13857412201', '', '', ''],
    ['吕晓燕', '湖州吴兴茶业', '13857412208', 'lv.xiaoyan@wuxingtea.cn', '活跃', '浙江省湖州市'],
  ]);
  const bytes = Buffer.from(await wb.xlsx.writeBuffer());
  const { import: accepted } = await mia.upload('/api/crm/imports', bytes, '华东客户名单.xlsx');
  for (let i = 0; i < 200; i++) {
    const { import: report } = await mia.call('GET', `/api/crm/imports/${accepted.id}`);
    if (report.status !== 'checking') return accepted.id;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('previews: the sheet was still being checked after 10 s');
}
