// Which states each page is previewed in. Every picture comes from the preview server (server.mjs):
// the demo seed written through the product's services plus a short scene (scene.mjs). A state only
// changes what the phone itself controls: who is signed in, the page query, the phone's language and
// network, and taps into the page's own handlers after load. File names: `<page>.png` for the first
// state, `<page>--<name>.png`.

/** Everyone of a tenant that signed up a moment ago: the empty states. */
const NEW_TEAM = 'nick';
const tap = (dataset) => ({ currentTarget: { dataset }, target: { dataset }, detail: {} });
const id = (key) => (ids) => ({ id: String(ids[key]) });
/** What wx.chooseLocation answers for the check-in picture (the map itself is native: not drawn). */
const VISIT_PLACE = { name: '静安嘉里中心', address: '上海市静安区南京西路 1515 号', latitude: 31.2241, longitude: 121.4456 };

/**
 * name: file suffix ('' for the page's main picture); description: shown in index.html;
 * query: page options, or a function of the scene's ids; as: the signed-in login (default 'ray',
 * null: signed out); language: 'zh_CN' (default) or 'en'; offline: true (no network from the start)
 * or 'after-load' (lost once the page has loaded); settle: false to draw the page while its first
 * requests are still on their way; viewers + viewing: teammates with the record open on their own
 * phones; interact: ({ page, component, tick, ids }) => called after load, to open a sheet or switch
 * a tab the way a tap would; leaves: true when the state is expected to navigate away while loading.
 * @type {Record<string, Array<object>>}
 */
export const PAGE_STATES = {
  'pages/login/index': [
    { name: '', description: 'signed out, demo accounts listed', as: null },
    { name: 'offline', description: 'signed out with no network: WeChat login only', as: null, offline: true },
    { name: 'en', description: 'English phone', as: null, language: 'en' },
  ],
  'pages/join/index': [
    { name: '', description: 'opened from an invitation card, signed out: name and WeChat join', as: null,
      query: (ids) => ({ code: ids.invitationCode }) },
    { name: 'gone', description: 'a revoked (or expired, or used-up) invitation: a clear page, nobody signed in', as: null,
      query: (ids) => ({ code: ids.revokedCode }),
      interact: async ({ page }) => { page.setData({ name: '李明' }); await page.onJoin(); } },
    { name: 'en', description: 'English phone', as: null, language: 'en', query: (ids) => ({ code: ids.invitationCode }) },
    { name: 'gone-en', description: 'English phone, a revoked invitation', as: null, language: 'en',
      query: (ids) => ({ code: ids.revokedCode }),
      interact: async ({ page }) => { page.setData({ name: 'Li Ming' }); await page.onJoin(); } },
  ],
  'pages/members/index': [
    { name: '', description: 'manager: the team with roles, the invite button, an open invitation', as: 'mia' },
    { name: 'handover-sheet', description: 'deactivating a rep: who takes over their records', as: 'mia',
      interact: ({ page, ids }) => page.onDeactivate(tap({ id: ids.rayId })) },
    { name: 'rep', description: 'a rep sees the team, no invite or deactivate', as: 'ray' },
    { name: 'admin', description: 'tenant admin: the team shown can be switched', as: 'ada' },
    { name: 'offline', description: 'no network on first load', as: 'mia', offline: true },
    { name: 'en', description: 'English phone', as: 'mia', language: 'en' },
    { name: 'invite', description: 'the invitation made, ready to send into a WeChat chat', as: 'mia',
      interact: ({ page }) => page.invite('rep') },
  ],
  'pages/pipeline/index': [
    { name: '', description: 'team pipeline, Lead tab with a very long deal title' },
    { name: 'empty', description: 'a new team: no deals yet', as: NEW_TEAM },
    { name: 'offline', description: 'no network: first load failed, socket reconnecting', offline: true },
    { name: 'loading', description: 'first load still on its way', settle: false },
    { name: 'move-sheet', description: 'move sheet opened on a deal',
      interact: ({ page, ids }) => page.onMoveTap(tap({ id: ids.longDeal })) },
    { name: 'queued', description: 'connection lost: a move waits in the offline queue (pending card, 待同步 tag, toast)',
      offline: 'after-load',
      interact: async ({ page, ids }) => { await page.move(ids.longDeal, ids.stages[1]); page.onTabChange({ detail: { value: String(ids.stages[1]) } }); } },
    { name: 'en', description: 'English phone', language: 'en' },
    { name: 'manager-filter', description: 'manager: filter the board by rep', as: 'mia', interact: ({ page }) => page.onOwnerFilterTap() },
    { name: 'manager-rep', description: 'manager looking at one rep’s deals', as: 'mia',
      interact: async ({ page }) => {
        await page.onOwnerFilterTap();
        page.onSheetSelected({ detail: { index: page.data.sheet.items.findIndex((i) => i.label === '李锐') } });
        await page.load();
      } },
    { name: 'manager-en', description: 'English phone, manager filter', as: 'mia', language: 'en', interact: ({ page }) => page.onOwnerFilterTap() },
  ],
  'pages/opportunity-detail/index': [
    { name: '', description: 'deal with a very long title', query: id('longDeal') },
    { name: 'won', description: 'a won deal', query: id('wonDeal') },
    { name: 'won-reopen', description: 'a won deal: 重新打开 lists the open stages', query: id('wonDeal'), interact: ({ page }) => page.onMoveTap() },
    { name: 'not-found', description: 'deleted or other team', query: { id: '999999' } },
    { name: 'offline', description: 'no network', query: id('longDeal'), offline: true },
    { name: 'reassign', description: 'manager: 转交 the deal to another member', query: id('longDeal'), as: 'mia',
      interact: ({ page }) => page.onOwnerTap() },
    { name: 'reassign-en', description: 'English phone, manager reassigning a deal', query: id('longDeal'), as: 'mia', language: 'en',
      interact: ({ page }) => page.onOwnerTap() },
  ],
  'pages/opportunity-form/index': [
    { name: '', description: 'new deal' },
    { name: 'edit', description: 'editing a deal', query: id('longDeal') },
    { name: 'errors', description: 'saved empty: inline errors in the value column', interact: ({ page }) => page.onSubmit() },
    { name: 'date-picker', description: 'picking the expected close date', query: id('longDeal'), interact: ({ page }) => page.onPickDate() },
    { name: 'en', description: 'English phone, editing a deal', query: id('longDeal'), language: 'en' },
  ],
  'pages/tasks/index': [
    { name: '', description: 'rep: Today tab with open counts on every tab, a done task' },
    { name: 'overdue', description: 'Overdue tab: due times in red', interact: ({ page }) => page.onTabChange({ detail: { value: 'overdue' } }) },
    { name: 'manager', description: 'manager: the whole team, each row names its assignee', as: 'mia',
      interact: ({ page }) => page.onScopeTap(tap({ scope: 'team' })) },
    { name: 'assign-sheet', description: 'manager reassigning a task', as: 'mia',
      interact: async ({ page, ids }) => { page.setData({ scope: 'team' }); await page.load(); page.onSwipeAssign(tap({ id: ids.assignedTask })); } },
    { name: 'empty', description: 'a new team: nothing due anywhere', as: NEW_TEAM },
    { name: 'offline', description: 'no network on first load', offline: true },
    { name: 'en', description: 'English phone', language: 'en' },
  ],
  'pages/task-form/index': [
    { name: '', description: 'new task: next full hour, reminder 30 min before' },
    { name: 'edit', description: 'manager editing a task with a customer', query: id('assignedTask'), as: 'mia' },
    { name: 'errors', description: 'saved without a title', interact: ({ page }) => page.onSubmit() },
    { name: 'en', description: 'English phone', language: 'en' },
  ],
  'pages/task-detail/index': [
    { name: '', description: 'open task, due later today', query: id('openTask') },
    { name: 'overdue', description: 'an overdue task', query: id('overdueTask') },
    { name: 'done', description: 'a completed task', query: id('doneTask') },
    { name: 'not-found', description: 'deleted or another team’s', query: { id: '999999' } },
    { name: 'offline', description: 'no network', query: id('openTask'), offline: true },
  ],
  'pages/team/index': [
    { name: '', description: 'team feed, newest first; unread count on the bell and the 动态 tab' },
    { name: 'empty', description: 'a new team: no history yet', as: NEW_TEAM },
    { name: 'offline', description: 'no network on first load', offline: true },
    { name: 'en', description: 'English phone', language: 'en' },
  ],
  'pages/notifications/index': [
    { name: '', description: 'notification centre: the tasks a manager assigned, unread on top' },
    { name: 'empty', description: 'no notifications yet', as: 'rita' },
    { name: 'offline', description: 'no network', offline: true },
  ],
  'pages/customers/index': [
    { name: '', description: 'team customers by last contact, a long company name' },
    { name: 'search', description: 'searching “张”', interact: ({ page }) => page.search('张') },
    { name: 'no-match', description: 'a search that finds nobody', interact: ({ page }) => page.search('不存在的客户') },
    { name: 'empty', description: 'a new team: no customers yet', as: NEW_TEAM },
    { name: 'offline', description: 'no network on first load', offline: true },
    { name: 'sort-sheet', description: 'sort sheet open', interact: ({ page }) => page.onSortTap() },
    { name: 'pool', description: '公海 tab: masked numbers, 领取 buttons; a teammate is claiming the first one (正在被领取)',
      interact: async ({ page, ids }) => { await page.onScopeChange({ detail: { value: 'pool' } }); await page.load(); page.showClaiming(ids.poolCustomer, '王婷'); } },
    { name: 'mine', description: '我的 tab: only the rep’s own customers', interact: async ({ page }) => { page.onScopeChange({ detail: { value: 'mine' } }); await page.load(); } },
    { name: 'manager', description: 'manager: 导入 (import) beside the sort', as: 'mia' },
    { name: 'en', description: 'English phone', language: 'en' },
    { name: 'pool-en', description: 'English phone, the pool tab', language: 'en',
      interact: async ({ page, ids }) => { page.onScopeChange({ detail: { value: 'pool' } }); await page.load(); page.showClaiming(ids.poolCustomer, '王婷'); } },
  ],
  'pages/customer-detail/index': [
    { name: '', description: 'customer with a timeline; 王婷 has it open too', query: id('customer'),
      viewers: ['rita'], viewing: (ids) => `customer:${ids.customer}` },
    { name: 'long', description: 'a long company name', query: id('longCompany') },
    { name: 'follow-up', description: 'schedule follow-up sheet', query: id('customer'), interact: ({ page }) => page.onFollowUp() },
    { name: 'queued-note', description: 'connection lost: a new note waits in the offline queue (待同步)', query: id('customer'),
      offline: 'after-load', interact: ({ page }) => { page.setData({ noteDraft: '地铁上记的：客户要下周二前报价' }); page.onAddNote(); } },
    { name: 'not-found', description: 'deleted or another team’s', query: { id: '999999' } },
    { name: 'offline', description: 'no network', query: id('customer'), offline: true },
    { name: 'en', description: 'English phone', query: id('customer'), language: 'en',
      viewers: ['rita'], viewing: (ids) => `customer:${ids.customer}` },
    { name: 'pool', description: 'a pool customer: masked phone and e-mail, 领取', query: id('poolCustomer') },
    { name: 'pool-en', description: 'English phone, a pool customer', query: id('poolCustomer'), language: 'en' },
    { name: 'release', description: 'the owner returns a customer to the pool, with a reason', query: id('customer'),
      interact: ({ page }) => { page.onReleaseTap(); page.onReasonInput({ detail: { value: '客户今年没有采购预算' } }); } },
    { name: 'reassign', description: 'manager: 转交 sheet from the owner cell', query: id('customer'), as: 'mia',
      interact: ({ page }) => page.onOwnerTap() },
    { name: 'reassign-en', description: 'English phone, manager reassigning', query: id('customer'), as: 'mia', language: 'en',
      interact: ({ page }) => page.onOwnerTap() },
  ],
  'pages/record-form/index': [
    { name: '', description: '写跟进 on a customer: type chips, contact (its primary) preselected', query: (ids) => ({ customerId: String(ids.customer) }) },
    { name: 'visit', description: '拜访签到: the place picked on WeChat’s map, ready to save',
      query: (ids) => ({ customerId: String(ids.customer), visit: '1' }),
      interact: ({ page }) => { page.setData({ 'values.place': VISIT_PLACE, 'labels.place': VISIT_PLACE.name, 'values.content': '到店拜访，见了店长，看了新货架' }); } },
    { name: 'errors', description: 'a visit saved without its place or text', query: (ids) => ({ customerId: String(ids.customer), visit: '1' }),
      interact: ({ page }) => page.onSubmit() },
    { name: 'en', description: 'English phone', query: (ids) => ({ customerId: String(ids.customer) }), language: 'en' },
  ],
  'pages/visits/index': [
    { name: '', description: 'manager’s visit log: the team’s visits by rep and day, with place and photo count', as: 'mia' },
    { name: 'rep', description: 'a rep sees their own visits', interact: ({ page }) => page.onPeriod(tap({ days: 30 })) },
    { name: 'empty', description: 'a new team: no visits yet', as: NEW_TEAM },
    { name: 'en', description: 'English phone', as: 'mia', language: 'en' },
  ],
  'pages/customer-form/index': [
    { name: '', description: 'new customer' },
    { name: 'edit', description: 'editing a customer', query: id('longCompany') },
    { name: 'errors', description: 'inline errors after saving bad input',
      interact: async ({ page }) => { page.setData({ 'values.phone': '12-34', 'values.email': 'wang@' }); await page.onSubmit(); } },
    { name: 'duplicate', description: 'the phone belongs to an existing customer: offer to open it',
      interact: async ({ page }) => { page.setData({ 'values.name': '张先生', 'values.phone': '138 0000 0000' }); await page.onSubmit(); } },
  ],
  'pages/import/index': [
    { name: '', description: 'manager about to import: template, then a file from a chat', as: 'mia' },
    { name: 'report', description: 'the check of an uploaded sheet: errors and duplicates by row, the duplicates choice',
      as: 'mia', query: (ids) => ({ id: String(ids.importId) }) },
    { name: 'merge', description: 'the report with “merge into existing” chosen', as: 'mia', query: (ids) => ({ id: String(ids.importId) }),
      interact: ({ page }) => page.onChoiceChange({ detail: { value: 'merge' } }) },
    { name: 'offline', description: 'no network: the report cannot load', as: 'mia', query: (ids) => ({ id: String(ids.importId) }), offline: true },
    { name: 'en', description: 'English phone, about to import', as: 'mia', language: 'en' },
    { name: 'report-en', description: 'English phone, the report', as: 'mia', language: 'en', query: (ids) => ({ id: String(ids.importId) }) },
  ],
  'pages/message/index': [
    { name: '', description: 'the team’s message log on a customer', query: (ids) => ({ customerId: String(ids.customer), name: encodeURIComponent(ids.customerName) }) },
    { name: 'empty', description: 'no messages yet', query: (ids) => ({ customerId: String(ids.quietCustomer), name: encodeURIComponent(ids.quietName) }) },
    { name: 'offline', description: 'no network', offline: true,
      query: (ids) => ({ customerId: String(ids.customer), name: encodeURIComponent(ids.customerName) }) },
  ],
  'pages/dashboard/index': [
    { name: '', description: 'rep: team metrics with trends, funnel, activity legend, stalled deals' },
    { name: 'admin', description: 'tenant admin: all teams, team picker', as: 'ada' },
    { name: 'team-sheet', description: 'admin picking a team', as: 'ada', interact: ({ page }) => page.onTeamTap() },
    { name: 'empty', description: 'new team: nothing won, no deals, no activity', as: NEW_TEAM },
    { name: 'offline', description: 'no network on first load', offline: true },
    { name: 'en', description: 'English phone', language: 'en' },
    { name: 'manager', description: 'manager: this month’s leaderboard against targets, team settings link', as: 'mia' },
    { name: 'manager-en', description: 'English phone, manager', as: 'mia', language: 'en' },
  ],
  'pages/team-settings/index': [
    { name: '', description: 'manager: visibility, pool rules and this month’s targets', as: 'mia' },
    { name: 'owner-mode', description: 'team West: reps see only their own records', as: 'wes' },
    { name: 'en', description: 'English phone', as: 'mia', language: 'en' },
    { name: 'offline', description: 'no network', as: 'mia', offline: true },
  ],
  'pages/report/index': [
    { name: '', description: 'weekly team report' },
    { name: 'new-team', description: 'a new team: everyone at zero', as: NEW_TEAM },
    { name: 'offline', description: 'no network', offline: true },
    { name: 'en', description: 'English phone', language: 'en' },
  ],
};

/** Pages the app opens with wx.reLaunch (after sign-in): WeChat draws no back button on them. */
export const ENTRY_PAGES = ['pages/pipeline/index'];

/** Used for a page missing from the table, so it still gets a picture (and the run says so). */
export const FALLBACK_STATES = [{ name: '', description: 'signed in as the demo rep (page has no entry in scripts/previews/states.mjs)' }];

export function statesFor(pagePath) {
  const states = PAGE_STATES[pagePath];
  return { declared: Boolean(states), states: states || FALLBACK_STATES };
}

/** `pages/pipeline/index` -> `pipeline`; `pages/a/b` -> `a-b`. */
export function pageSlug(pagePath) {
  return pagePath.replace(/^pages\//, '').replace(/\/index$/, '').replace(/[^\w-]+/g, '-');
}

export function previewName(pagePath, state) {
  return state.name ? `${pageSlug(pagePath)}--${state.name}` : pageSlug(pagePath);
}
