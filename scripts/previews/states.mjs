// Which states each page is previewed in. A state only changes inputs the page's own code reads:
// the page query, REST answers (by route), storage, phone language, or a call into the page's own
// handlers after load (`interact`). File names: `<page>.png` for the first state, `<page>--<name>.png`.
import { SIGNED_IN, analytics, apiError, customers, pipeline, report, team, teamFeed } from './routes.mjs';

const serverDown = apiError(500, 'internal', '服务器开小差了，请稍后再试');
const offline = { $fail: 'timeout' };
/** Dashboard of a brand-new team: every metric zero, stages empty, no activity. */
const zero = { current: 0, previous: 0 };
const EMPTY_ANALYTICS = {
  'GET /api/crm/analytics/sales': { window: analytics.window, metrics: Object.fromEntries(Object.keys(analytics.sales).map((k) => [k, zero])) },
  'GET /api/crm/analytics/pipeline': { window: analytics.window, analytics: { ...analytics.pipeline,
    stages: analytics.pipeline.stages.map((s) => ({ ...s, count: 0, valueCents: 0, weightedCents: 0 })), transitions: [], conversion: [],
    openValueCents: 0, weightedValueCents: 0, rottingCount: 0, rotting: [] } },
  'GET /api/crm/analytics/activities': { window: analytics.window, analytics: { total: zero, byType: [], byRep: [],
    perDay: analytics.activities.perDay.map((d) => ({ ...d, count: 0 })), perDayByType: [] } },
};
const SIGNED_IN_ADMIN = { 'liveCrm.session': { token: 'preview-token', user: { id: 1, tenantId: 1, teamId: null, name: 'Ada Sun', role: 'admin' } } };
/** Presence on a customer page: the rep and Rita (the page leaves the rep out). */
const viewingWithRita = ({ resource }) => ({ ok: true, data: { resource, viewers: [
  { userId: team.me.id, name: team.me.name }, { userId: 4, name: 'Rita Wang' }] } });
const tap = (dataset) => ({ currentTarget: { dataset }, target: { dataset }, detail: {} });
const SIGNED_IN_MANAGER = { 'liveCrm.session': { token: 'preview-token', user: { id: 2, tenantId: 1, teamId: 1, name: 'Mia Zhang', role: 'manager' } } };
/** The team feed, one page: older pages are empty. */
const feedPage = ({ query }) => ({ events: query.before ? [] : teamFeed, teamId: 1 });

/**
 * name: file suffix ('' for the page's main picture); description: shown in index.html;
 * query: page options; routes: REST answers by route (see fixture-wx.mjs for $status/$fail/$pending);
 * storage: wx storage to start from (default: signed in); language: 'zh_CN' (default) or 'en';
 * realtime: 'online' (default) or 'offline'; acks / liveEvents: Socket.IO acks and pushed envelopes;
 * interact: ({ page, component, tick }) => called after load, to open a sheet or switch a tab the
 * way a tap would; leaves: true when the state is expected to navigate away while loading.
 * @type {Record<string, Array<object>>}
 */
export const PAGE_STATES = {
  'pages/login/index': [
    { name: '', description: 'signed out, demo accounts listed', storage: {} },
    { name: 'no-dev-login', description: 'production server: WeChat login only', storage: {},
      routes: { 'GET /api/auth/dev-logins': apiError(404, 'not_found', 'Not found') } },
    { name: 'en', description: 'English phone', storage: {}, language: 'en' },
  ],
  'pages/pipeline/index': [
    { name: '', description: 'team pipeline, Lead tab with a very long deal title' },
    { name: 'empty', description: 'no deals yet',
      routes: { 'GET /api/crm/pipeline': { ...pipeline, opportunities: [], totalValue: 0, weightedValue: 0 } } },
    { name: 'error', description: 'server error on first load', routes: { 'GET /api/crm/pipeline': serverDown } },
    { name: 'offline', description: 'no network: first load failed, socket reconnecting', realtime: 'offline',
      routes: { 'GET /api/crm/pipeline': offline } },
    { name: 'loading', description: 'first load still in flight', routes: { 'GET /api/crm/pipeline': { $pending: true } } },
    { name: 'move-sheet', description: 'move sheet opened on a deal',
      interact: ({ page }) => page.onMoveTap(tap({ id: 2 })) },
    { name: 'queued', description: 'no connection: a move waits in the offline queue (pending card, 待同步 tag, toast)',
      realtime: 'offline', routes: { 'PUT /api/crm/opportunities/:id/move': offline },
      interact: async ({ page }) => { await page.move(3, 2); page.onTabChange({ detail: { value: '2' } }); } },
    { name: 'en', description: 'English phone', language: 'en' },
  ],
  'pages/opportunity-detail/index': [
    { name: '', description: 'deal with a very long title', query: { id: '2' } },
    { name: 'won', description: 'a won deal', query: { id: '9' } },
    { name: 'won-reopen', description: 'a won deal: 重新打开 lists the open stages', query: { id: '9' }, interact: ({ page }) => page.onMoveTap() },
    { name: 'not-found', description: 'deleted or other team', query: { id: '999' } },
    { name: 'error', description: 'server error', query: { id: '1' }, routes: { 'GET /api/crm/opportunities/:id': serverDown } },
  ],
  'pages/opportunity-form/index': [
    { name: '', description: 'new deal' },
    { name: 'edit', description: 'editing a deal', query: { id: '2' } },
    { name: 'errors', description: 'saved empty: inline errors in the value column', interact: ({ page }) => page.onSubmit() },
    { name: 'date-picker', description: 'picking the expected close date', query: { id: '2' }, interact: ({ page }) => page.onPickDate() },
    { name: 'en', description: 'English phone, editing a deal', query: { id: '2' }, language: 'en' },
  ],
  'pages/tasks/index': [
    { name: '', description: 'rep: Today tab with open counts on every tab, a long title, a done task' },
    { name: 'overdue', description: 'Overdue tab: due times in red', interact: ({ page }) => page.onTabChange({ detail: { value: 'overdue' } }) },
    { name: 'manager', description: 'manager: the whole team, each row names its assignee', storage: SIGNED_IN_MANAGER,
      interact: ({ page }) => page.onScopeTap(tap({ scope: 'team' })) },
    { name: 'assign-sheet', description: 'manager reassigning a task', storage: SIGNED_IN_MANAGER,
      interact: async ({ page }) => { page.setData({ scope: 'team' }); await page.load(); page.onSwipeAssign(tap({ id: 2 })); } },
    { name: 'empty', description: 'nothing due anywhere', routes: { 'GET /api/crm/tasks': { tasks: [] } } },
    { name: 'error', description: 'server error on first load', routes: { 'GET /api/crm/tasks': serverDown } },
    { name: 'en', description: 'English phone', language: 'en' },
  ],
  'pages/task-form/index': [
    { name: '', description: 'new task: next full hour, reminder 30 min before' },
    { name: 'edit', description: 'manager editing a task with a customer and a long title', query: { id: '2' }, storage: SIGNED_IN_MANAGER },
    { name: 'errors', description: 'saved without a title', interact: ({ page }) => page.onSubmit() },
    { name: 'en', description: 'English phone', language: 'en' },
  ],
  'pages/task-detail/index': [
    { name: '', description: 'open task with notes, due later today', query: { id: '3' } },
    { name: 'overdue', description: 'an overdue task with a long title and a long customer name', query: { id: '1' } },
    { name: 'done', description: 'a completed task', query: { id: '4' } },
    { name: 'not-found', description: 'deleted or another team’s', query: { id: '999' } },
    { name: 'error', description: 'server error', query: { id: '1' }, routes: { 'GET /api/crm/tasks/:id': serverDown } },
  ],
  'pages/team/index': [
    { name: '', description: 'team feed, newest first; unread count on the bell and the 动态 tab', routes: { 'GET /api/crm/team/feed': feedPage } },
    { name: 'empty', description: 'a new team: no history yet', routes: { 'GET /api/crm/team/feed': { events: [], teamId: 1 } } },
    { name: 'error', description: 'server error on first load', routes: { 'GET /api/crm/team/feed': serverDown } },
    { name: 'en', description: 'English phone', language: 'en', routes: { 'GET /api/crm/team/feed': feedPage } },
  ],
  'pages/notifications/index': [
    { name: '', description: 'notification centre: three unread on top, a long customer name' },
    { name: 'empty', description: 'no notifications yet', routes: { 'GET /api/crm/notifications': { notifications: [], unread: 0 } } },
    { name: 'error', description: 'server error', routes: { 'GET /api/crm/notifications': serverDown } },
  ],
  'pages/customers/index': [
    { name: '', description: 'team customers by last contact, a long company and a long English name' },
    { name: 'search', description: 'searching “张”', interact: ({ page }) => page.search('张') },
    { name: 'no-match', description: 'a search that finds nobody', interact: ({ page }) => page.search('不存在的客户') },
    { name: 'empty', description: 'no customers yet',
      routes: { 'GET /api/crm/customers': { customers: [], hasMore: false, total: 0, nextCursor: null } } },
    { name: 'error', description: 'server error on first load', routes: { 'GET /api/crm/customers': serverDown } },
    { name: 'sort-sheet', description: 'sort sheet open', interact: ({ page }) => page.onSortTap() },
    { name: 'en', description: 'English phone', language: 'en' },
  ],
  'pages/customer-detail/index': [
    { name: '', description: 'customer with a timeline; Rita is viewing too', query: { id: '1' }, acks: { 'presence:join': viewingWithRita } },
    { name: 'long', description: 'long company and address, nothing logged yet', query: { id: '2' } },
    { name: 'follow-up', description: 'schedule follow-up sheet', query: { id: '1' }, interact: ({ page }) => page.onFollowUp() },
    { name: 'queued-note', description: 'no connection: a new note waits in the offline queue (待同步)', query: { id: '1' },
      realtime: 'offline', routes: { 'POST /api/crm/customers/:id/notes': offline },
      interact: ({ page }) => { page.setData({ noteDraft: '地铁上记的：客户要下周二前报价' }); page.onAddNote(); } },
    { name: 'not-found', description: 'deleted or another team’s', query: { id: '999' } },
    { name: 'error', description: 'server error', query: { id: '1' }, routes: { 'GET /api/crm/customers/:id': serverDown } },
    { name: 'en', description: 'English phone', query: { id: '1' }, language: 'en', acks: { 'presence:join': viewingWithRita } },
  ],
  'pages/customer-form/index': [
    { name: '', description: 'new customer' },
    { name: 'edit', description: 'editing a customer', query: { id: '2' } },
    { name: 'errors', description: 'inline errors after saving bad input',
      interact: async ({ page }) => { page.setData({ 'values.phone': '12-34', 'values.email': 'wang@' }); await page.onSubmit(); } },
    { name: 'duplicate', description: 'the phone belongs to an existing customer: offer to open it',
      routes: { 'POST /api/crm/customers': { $status: 409, $body: { current: customers[0], error: { code: 'duplicate',
        message: '张伟 already has this phone', details: { fields: [{ path: 'phone', message: 'already used' }], customerId: 1 } } } } },
      interact: async ({ page }) => { page.setData({ 'values.name': '张先生', 'values.phone': '138 0000 0001' }); await page.onSubmit(); } },
  ],
  'pages/message/index': [
    { name: '', description: 'conversation with a customer', query: { customerId: '1', name: '张伟' } },
    { name: 'empty', description: 'no messages yet', query: { customerId: '3', name: '李娜' } },
    { name: 'error', description: 'server error', query: { customerId: '1', name: '张伟' },
      routes: { 'GET /api/crm/customers/:id/messages': serverDown } },
  ],
  'pages/dashboard/index': [
    { name: '', description: 'rep: team metrics with trends, funnel, activity legend, stalled deals' },
    { name: 'admin', description: 'tenant admin: all teams, team picker', storage: SIGNED_IN_ADMIN },
    { name: 'team-sheet', description: 'admin picking a team', storage: SIGNED_IN_ADMIN, interact: ({ page }) => page.onTeamTap() },
    { name: 'empty', description: 'new team: nothing won, no deals, no activity', routes: EMPTY_ANALYTICS },
    { name: 'error', description: 'server error on first load', routes: { 'GET /api/crm/analytics/sales': serverDown } },
    { name: 'en', description: 'English phone', language: 'en' },
  ],
  'pages/report/index': [
    { name: '', description: 'weekly team report, a long Chinese member name' },
    { name: 'empty', description: 'team without members', routes: { 'POST /api/crm/reports/generate': { report: { ...report, rows: [] } } } },
    { name: 'error', description: 'server error', routes: { 'POST /api/crm/reports/generate': serverDown } },
    { name: 'en', description: 'English phone', language: 'en' },
  ],
};

/** Pages the app opens with wx.reLaunch (after sign-in): WeChat draws no back button on them. */
export const ENTRY_PAGES = ['pages/pipeline/index'];

/** Storage every state starts from unless it names its own: the demo rep is signed in. */
export const DEFAULT_STORAGE = SIGNED_IN;

/** Used for a page missing from the table, so it still gets a picture (and the run says so). */
export const FALLBACK_STATES = [{ name: '', description: 'default fixtures (page has no entry in scripts/previews/states.mjs)' }];

export function statesFor(pagePath) {
  const states = PAGE_STATES[pagePath];
  return { declared: Boolean(states), states: (states || FALLBACK_STATES).map((s) => ({ storage: DEFAULT_STORAGE, ...s })) };
}

/** `pages/pipeline/index` -> `pipeline`; `pages/a/b` -> `a-b`. */
export function pageSlug(pagePath) {
  return pagePath.replace(/^pages\//, '').replace(/\/index$/, '').replace(/[^\w-]+/g, '-');
}

export function previewName(pagePath, state) {
  return state.name ? `${pageSlug(pagePath)}--${state.name}` : pageSlug(pagePath);
}
