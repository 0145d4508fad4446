// The default REST answers, shaped like the contract (ARCHITECTURE.md section 5, shared-types/src/api.ts),
// built from the JSON fixtures. A state overrides single routes (see states.mjs).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const load = (name) => JSON.parse(fs.readFileSync(path.join(FIXTURES, `${name}.json`), 'utf8'));

export const team = load('team');
export const customers = load('customers');
export const pipeline = load('pipeline');
export const tasks = load('tasks');
export const timeline = load('timeline');
export const inbox = load('inbox');
export const analytics = load('analytics');
export const teamFeed = load('team-feed');
export const report = load('report');

/** The signed-in rep, stored the way services/session.ts keeps it. */
export const SIGNED_IN = { 'liveCrm.session': { token: 'preview-token', user: team.me } };

/** `{ error }` body of the contract, with its HTTP status. */
export function apiError(status, code, message, extra = {}) {
  return { $status: status, $body: { error: { code, message }, ...extra } };
}

const notFound = () => apiError(404, 'not_found', '记录不存在或已被删除');
const byId = (list, id) => list.find((item) => String(item.id) === String(id));
const nowIso = () => new Date().toISOString();
const login = { token: 'preview-token', user: team.me };

function listCustomers({ query }) {
  const keyword = (query.keyword || '').trim();
  const status = query.status && query.status !== 'all' ? query.status : null;
  const limit = Math.min(Number(query.limit) || 20, 100);
  const page = Math.max(Number(query.page) || 1, 1);
  const matches = customers.filter((c) => (!status || c.status === status)
    && (!keyword || [c.name, c.company, c.phone].some((field) => field?.includes(keyword))));
  const rows = matches.slice((page - 1) * limit, page * limit);
  return { customers: rows, hasMore: page * limit < matches.length, total: matches.length, nextCursor: null };
}

const HOUR = 3_600_000;

function listTasks({ query }) {
  const endOfToday = Date.parse('2025-06-18T16:00:00Z');
  const due = (task) => (task.dueAt ? Date.parse(task.dueAt) : Infinity);
  const open = (task) => task.status !== 'completed';
  // The server's views, in China time: disjoint, so a task shows in one tab only.
  const views = {
    today: (task) => due(task) < endOfToday && due(task) >= endOfToday - 24 * HOUR,
    overdue: (task) => open(task) && due(task) < endOfToday - 24 * HOUR,
    upcoming: (task) => due(task) >= endOfToday && due(task) < endOfToday + (Number(query.days) || 7) * 24 * HOUR,
    all: () => true,
  };
  const inView = views[query.view] || views.all;
  return {
    tasks: tasks.filter((task) => inView(task)
      && (!query.status || task.status === query.status)
      && (!query.assigneeId || String(task.assigneeId) === String(query.assigneeId))
      && (!query.customerId || String(task.customerId) === String(query.customerId))),
  };
}

function forCustomer(list, key) {
  return ({ params }) => (byId(customers, params.id) ? { [key]: list.filter((row) => String(row.customerId) === params.id) } : notFound());
}

function moveOpportunity({ params, body }) {
  const opportunity = byId(pipeline.opportunities, params.id);
  if (!opportunity) return notFound();
  if (body?.version !== undefined && body.version !== opportunity.version) {
    return apiError(409, 'conflict', '该商机已被他人修改', { current: opportunity });
  }
  return { success: true, opportunity: { ...opportunity, stageId: body.stageId, version: opportunity.version + 1, updatedAt: nowIso() } };
}

function saveTask({ params, body }) {
  const task = params.id ? byId(tasks, params.id) : { ...tasks[0], id: 99, createdAt: nowIso() };
  if (!task) return notFound();
  return { success: true, task: { ...task, ...body, version: (task.version || 0) + 1, updatedAt: nowIso() } };
}

export const DEFAULT_ROUTES = {
  'GET /api/auth/dev-logins': { logins: team.devLogins },
  'GET /api/me': { user: team.me, members: team.members },
  'POST /api/auth/dev-login': login,
  'POST /api/auth/wechat-login': login,
  'GET /api/crm/customers': listCustomers,
  'POST /api/crm/customers': ({ body }) => ({ $status: 201, $body: { customer: { ...customers[0], ...body, id: 99, version: 1 } } }),
  'GET /api/crm/customers/:id': ({ params }) => (byId(customers, params.id) ? { customer: byId(customers, params.id) } : notFound()),
  'PATCH /api/crm/customers/:id': ({ params, body }) => ({ customer: { ...byId(customers, params.id), ...body, version: (body?.version || 0) + 1 } }),
  'GET /api/crm/customers/:id/notes': forCustomer(timeline.notes, 'notes'),
  'POST /api/crm/customers/:id/notes': ({ params, body }) => ({ $status: 201, $body: { note: { id: 99, customerId: Number(params.id), authorId: team.me.id, authorName: team.me.name, content: body?.content ?? '', createdAt: nowIso() } } }),
  'GET /api/crm/customers/:id/activities': forCustomer(timeline.activities, 'activities'),
  'GET /api/crm/customers/:id/messages': forCustomer(timeline.messages, 'messages'),
  'GET /api/crm/customers/:id/communications': forCustomer(timeline.communications, 'communications'),
  'GET /api/crm/pipeline': pipeline,
  'POST /api/crm/opportunities': ({ body }) => ({ $status: 201, $body: { opportunity: { ...pipeline.opportunities[0], ...body, id: 99, version: 1 } } }),
  'GET /api/crm/opportunities/:id': ({ params }) => (byId(pipeline.opportunities, params.id) ? { opportunity: byId(pipeline.opportunities, params.id) } : notFound()),
  'PATCH /api/crm/opportunities/:id': ({ params, body }) => ({ opportunity: { ...byId(pipeline.opportunities, params.id), ...body } }),
  'PUT /api/crm/opportunities/:id/move': moveOpportunity,
  'GET /api/crm/tasks': listTasks,
  'GET /api/crm/tasks/:id': ({ params }) => (byId(tasks, params.id) ? { task: byId(tasks, params.id) } : notFound()),
  'POST /api/crm/tasks': saveTask,
  'PUT /api/crm/tasks/:id': saveTask,
  'PUT /api/crm/tasks/:id/assign': ({ params, body }) => saveTask({ params, body: { assigneeId: body?.assigneeId } }),
  'POST /api/crm/activities': ({ body }) => ({ $status: 201, $body: { activity: { ...timeline.activities[0], ...body, id: 99, occurredAt: nowIso() } } }),
  'POST /api/crm/messages': ({ body }) => ({ $status: 201, $body: { success: true, message: { ...timeline.messages[0], ...body, content: body?.message ?? '', id: 99 } } }),
  'POST /api/crm/communications': ({ body }) => ({ $status: 201, $body: { communication: { ...timeline.communications[0], ...body, id: 99 } } }),
  'POST /api/crm/follow-ups': ({ body }) => ({ $status: 201, $body: { success: true, followUp: { id: 99, teamId: 1, customerId: body?.customerId, userId: team.me.id, taskId: 99, scheduledAt: body?.scheduledDate, notes: body?.notes ?? null, createdAt: nowIso() }, task: tasks[0] } }),
  'GET /api/crm/notifications': { notifications: inbox.notifications, unread: inbox.unread },
  'PUT /api/crm/notifications/read': { notifications: inbox.notifications.map((n) => ({ ...n, readAt: n.readAt ?? nowIso() })), unread: 0 },
  'GET /api/crm/notifications/subscriptions': { templateId: 'tpl-preview-reminder', remaining: 0 },
  'POST /api/crm/notifications/subscriptions': ({ body }) => ({ templateId: body?.templateId, accepted: Boolean(body?.accepted), remaining: 1 }),
  'GET /api/crm/team/feed': { events: inbox.feed, teamId: 1 },
  'GET /api/crm/analytics/sales': { metrics: analytics.sales, window: analytics.window },
  'GET /api/crm/analytics/pipeline': { analytics: analytics.pipeline, window: analytics.window },
  'GET /api/crm/analytics/customers': { analytics: analytics.customers, window: analytics.window },
  'GET /api/crm/analytics/activities': { analytics: analytics.activities, window: analytics.window },
  'POST /api/crm/export': { success: true, downloadUrl: 'https://preview.invalid/exports/customers.xlsx' },
  'GET /api/crm/analytics/teams': { teams: [team.team, { id: 2, name: 'West' }] },
  'POST /api/crm/reports/generate': { report },
};

/** Socket.IO acks (ARCHITECTURE.md section 6): caught up, nothing missed. */
export const DEFAULT_ACKS = {
  'sync:resume': { ok: true, data: { events: [], reset: false } },
  'presence:join': ({ resource }) => ({ ok: true, data: { resource, viewers: [{ userId: team.me.id, name: team.me.name }] } }),
  'presence:leave': ({ resource }) => ({ ok: true, data: { resource } }),
  'opportunity:move': ({ id, stageId, version }) => {
    const answer = moveOpportunity({ params: { id: String(id) }, body: { stageId, version } });
    return answer.$status ? { ok: false, error: answer.$body.error } : { ok: true, data: answer };
  },
};
