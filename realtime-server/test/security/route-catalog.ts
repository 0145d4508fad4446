import { photo } from '../activities/uploads.js';
import { type Fixture, type Login, moveOf, nextAssignee, nextOwner, stockOf, versionOf } from './fixture.js';

/** What a field must be; the fuzz test makes it anything else. */
export type Field =
  | { kind: 'id' }
  | { kind: 'int'; min: number; max: number }
  | { kind: 'text'; max: number }
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'bool' }
  | { kind: 'time'; future?: boolean }
  | { kind: 'date' }
  | { kind: 'cursor' }
  | { kind: 'pattern'; valid: RegExp; max: number }
  | { kind: 'ids' }
  | { kind: 'seqmap' }
  | { kind: 'token' }
  | { kind: 'phone' };

export interface Req {
  path: string;
  body?: unknown;
  query?: Record<string, string>;
  /** A file upload (multipart/form-data, field `file`) instead of a JSON body. */
  multipart?: { fileName: string; text: string };
  /** Sent as multipart/form-data in the field `file` (what wx.uploadFile sends) instead of a JSON body. */
  upload?: Buffer;
}

export interface RouteCase {
  auth: 'public' | 'bearer' | 'signed-link';
  /**
   * How an outsider's call aimed at East is judged. record: it names an East record, so it must be
   * refused. scope: a team-scoped read where a non-admin's teamId is ignored, so the answer must be
   * the caller's own scope and hold nothing of East's. self: the caller's own data only (nothing of
   * East's to aim at; mass assignment covers the ids it might carry). public: no sign-in.
   */
  aim: 'record' | 'scope' | 'self' | 'public';
  manager?: boolean;
  /** What a success changes: a team event (and rows), rows of the caller's own, or nothing. */
  effect: 'event' | 'own-row' | 'none';
  /** The legitimate caller (an East member). */
  as: Login;
  /** A request that succeeds for `as` right now, aimed at East. */
  request(fx: Fixture): Promise<Req>;
  /** For scope rows: the same request without anything naming East. */
  own?(fx: Fixture): Promise<Req>;
  /** The answer is a download link: follow it. */
  download?: boolean;
  /** The rightful caller's answer shows East's marker (so the leak check on outsiders' answers can fire). */
  showsMarker?: boolean;
  /** Fields the server checks: the fuzz test breaks at least one of them. */
  body?: Record<string, Field>;
  /** No body field is required (an empty or non-JSON body is a valid request). */
  bodyOptional?: boolean;
  query?: Record<string, Field>;
}

const id: Field = { kind: 'id' };
const text = (max: number): Field => ({ kind: 'text', max });
const limit: Field = { kind: 'int', min: 1, max: 100 };
const resource: Field = { kind: 'pattern', valid: /^customer:[1-9]\d{0,9}$/, max: 30 };
const period: Field = { kind: 'enum', values: ['7d', '30d', '90d', '365d'] };
const get = (path: string, query?: Record<string, string>) => async (): Promise<Req> => ({ path, ...(query ? { query } : {}) });
const at =
  (fn: (fx: Fixture) => Req) =>
  async (fx: Fixture): Promise<Req> =>
    fn(fx);
const inAnHour = (): string => new Date(Date.now() + 3_600_000).toISOString();

const c = (fx: Fixture): number => fx.east.customerId;
const teamQuery = (fx: Fixture) => ({ teamId: String(fx.teams.east) });

const analytics = (name: string, extra: Record<string, Field> = {}): RouteCase => ({
  auth: 'bearer',
  aim: 'scope',
  effect: 'none',
  as: 'ray',
  request: at((fx) => ({ path: `/api/crm/analytics/${name}`, query: { period: '30d', ...teamQuery(fx) } })),
  own: get(`/api/crm/analytics/${name}`, { period: '30d' }),
  query: { period, teamId: id, ...extra },
});

const timeline = (name: string): RouteCase => ({
  auth: 'bearer',
  aim: 'record',
  effect: 'none',
  as: 'ray',
  request: at((fx) => ({ path: `/api/crm/customers/${c(fx)}/${name}`, query: { limit: '20' } })),
  query: { limit },
});

/** A manager's reassignment of an East record, to the other East rep each time (a real change). */
const reassign = (model: 'Customer' | 'Opportunity', idOf: (fx: Fixture) => number): RouteCase => ({
  auth: 'bearer',
  aim: 'record',
  manager: true,
  effect: 'event',
  as: 'mia',
  request: async (fx) => ({
    path: `/api/crm/${model === 'Customer' ? 'customers' : 'opportunities'}/${idOf(fx)}/owner`,
    body: { ownerId: await nextOwner(fx, model, idOf(fx)) },
  }),
  body: { ownerId: id },
});

/** One row per route the app answers; a route without a row fails the authorization test. */
export const ROUTES: Record<string, RouteCase> = {
  'GET /healthz': { auth: 'public', aim: 'public', effect: 'none', as: 'ray', request: get('/healthz') },
  // Loopback only (or METRICS_TOKEN): test/production/metrics.test.ts covers who else is refused.
  'GET /metrics': { auth: 'public', aim: 'public', effect: 'none', as: 'ray', request: get('/metrics') },
  'POST /api/auth/dev-login': {
    auth: 'public',
    aim: 'public',
    effect: 'none',
    as: 'ray',
    request: at(() => ({ path: '/api/auth/dev-login', body: { login: 'ray' } })),
    body: { login: text(64) },
  },
  'GET /api/auth/dev-logins': { auth: 'public', aim: 'public', effect: 'none', as: 'ray', request: get('/api/auth/dev-logins') },
  'POST /api/auth/wechat-login': {
    auth: 'public',
    aim: 'public',
    effect: 'none',
    as: 'ray',
    request: at(() => ({ path: '/api/auth/wechat-login', body: { code: 'x' } })),
    body: { code: text(256) },
  },
  'POST /api/auth/join': {
    auth: 'public',
    aim: 'public',
    effect: 'none',
    as: 'ray',
    // An unknown code is a 404 before WeChat is asked; members/invitations.test.ts joins for real.
    request: at(() => ({ path: '/api/auth/join', body: { code: 'no-such-invitation-code', wxCode: 'x', name: '新人' } })),
    body: { code: text(64), wxCode: text(256), name: text(60) },
  },
  'GET /api/crm/export/download': {
    auth: 'signed-link',
    aim: 'public',
    effect: 'none',
    as: 'ray',
    request: get('/api/crm/export/download', { token: 'x' }),
    query: { token: { kind: 'token' } },
  },

  'GET /api/crm/pipeline': {
    auth: 'bearer',
    aim: 'scope',
    effect: 'none',
    as: 'ray',
    request: at((fx) => ({ path: '/api/crm/pipeline', query: teamQuery(fx) })),
    own: get('/api/crm/pipeline'),
    query: { teamId: id },
    showsMarker: true,
  },
  'POST /api/crm/opportunities': {
    auth: 'bearer',
    aim: 'record',
    effect: 'event',
    as: 'ray',
    request: at((fx) => ({
      path: '/api/crm/opportunities',
      body: { customerId: c(fx), title: `Deal ${fx.unique()}`, valueCents: 500_000 },
    })),
    body: { customerId: id, title: text(200), valueCents: { kind: 'int', min: 0, max: 10 ** 13 }, expectedCloseDate: { kind: 'date' } },
  },
  'GET /api/crm/opportunities/:id': {
    auth: 'bearer',
    aim: 'record',
    effect: 'none',
    as: 'ray',
    request: at((fx) => ({ path: `/api/crm/opportunities/${fx.east.opportunityId}` })),
  },
  'PATCH /api/crm/opportunities/:id': {
    auth: 'bearer',
    aim: 'record',
    effect: 'event',
    as: 'ray',
    request: async (fx) => ({
      path: `/api/crm/opportunities/${fx.east.opportunityId}`,
      body: { title: `Deal edit ${fx.unique()}`, version: await versionOf(fx.db, 'Opportunity', fx.east.opportunityId) },
    }),
    body: { version: id },
  },
  'PUT /api/crm/opportunities/:id/move': {
    auth: 'bearer',
    aim: 'record',
    effect: 'event',
    as: 'ray',
    request: async (fx) => ({
      path: `/api/crm/opportunities/${fx.east.opportunityId}/move`,
      body: await moveOf(fx, fx.east.opportunityId),
    }),
    body: { stageId: id, version: id },
  },
  'GET /api/crm/team/feed': {
    auth: 'bearer',
    aim: 'scope',
    effect: 'none',
    as: 'ray',
    request: at((fx) => ({ path: '/api/crm/team/feed', query: { limit: '50', ...teamQuery(fx) } })),
    own: get('/api/crm/team/feed', { limit: '50' }),
    showsMarker: true,
    query: { before: id, limit, teamId: id },
  },
  'GET /api/crm/tasks': {
    auth: 'bearer',
    aim: 'scope',
    effect: 'none',
    as: 'ray',
    request: at((fx) => ({ path: '/api/crm/tasks', query: { ...teamQuery(fx), customerId: String(c(fx)) } })),
    showsMarker: true,
    query: {
      view: { kind: 'enum', values: ['today', 'overdue', 'upcoming', 'all'] },
      days: { kind: 'int', min: 1, max: 90 },
      status: { kind: 'enum', values: ['pending', 'in_progress', 'completed'] },
      assigneeId: id,
      customerId: id,
      teamId: id,
      limit: { kind: 'int', min: 1, max: 500 },
    },
  },
  'POST /api/crm/tasks': {
    auth: 'bearer',
    aim: 'record',
    effect: 'event',
    as: 'ray',
    request: at((fx) => ({ path: '/api/crm/tasks', body: { title: `Task ${fx.unique()}`, customerId: c(fx), dueAt: inAnHour() } })),
    body: { title: text(200), dueAt: { kind: 'time' } },
  },
  'GET /api/crm/tasks/:id': {
    auth: 'bearer',
    aim: 'record',
    effect: 'none',
    as: 'ray',
    request: at((fx) => ({ path: `/api/crm/tasks/${fx.east.taskId}` })),
  },
  'PUT /api/crm/tasks/:id': {
    auth: 'bearer',
    aim: 'record',
    effect: 'event',
    as: 'ray',
    request: async (fx) => ({
      path: `/api/crm/tasks/${fx.east.taskId}`,
      body: { title: `Task edit ${fx.unique()}`, version: await versionOf(fx.db, 'Task', fx.east.taskId) },
    }),
    body: { version: id },
  },
  'PUT /api/crm/tasks/:id/assign': {
    auth: 'bearer',
    aim: 'record',
    manager: true,
    effect: 'event',
    as: 'mia',
    request: async (fx) => ({
      path: `/api/crm/tasks/${fx.east.taskId}/assign`,
      body: { assigneeId: await nextAssignee(fx, fx.east.taskId) },
    }),
    body: { assigneeId: id },
  },
  'GET /api/crm/notifications': {
    auth: 'bearer',
    aim: 'self',
    effect: 'none',
    as: 'ray',
    request: get('/api/crm/notifications'),
    query: { limit, before: id },
  },
  'PUT /api/crm/notifications/read': {
    auth: 'bearer',
    aim: 'self',
    effect: 'own-row',
    as: 'ray',
    request: at(() => ({ path: '/api/crm/notifications/read', body: {} })),
    body: { ids: { kind: 'ids' } },
    bodyOptional: true,
  },
  'GET /api/crm/notifications/subscriptions': {
    auth: 'bearer',
    aim: 'self',
    effect: 'none',
    as: 'ray',
    request: get('/api/crm/notifications/subscriptions'),
    query: {},
  },
  'POST /api/crm/notifications/subscriptions': {
    auth: 'bearer',
    aim: 'self',
    effect: 'own-row',
    as: 'ray',
    request: at(() => ({ path: '/api/crm/notifications/subscriptions', body: { templateId: 'tpl-replay', accepted: true } })),
    body: { templateId: { kind: 'pattern', valid: /^[A-Za-z0-9_-]{1,64}$/, max: 64 }, accepted: { kind: 'bool' } },
  },
  'GET /api/crm/customers': {
    auth: 'bearer',
    aim: 'scope',
    effect: 'none',
    as: 'ray',
    request: at((fx) => ({ path: '/api/crm/customers', query: { limit: '100', keyword: fx.marker, ...teamQuery(fx) } })),
    showsMarker: true,
    query: {
      page: { kind: 'int', min: 1, max: 100_000 },
      limit,
      keyword: text(100),
      status: { kind: 'enum', values: ['all', 'lead', 'prospect', 'active', 'inactive'] },
      sortBy: { kind: 'enum', values: ['lastContact', 'name', 'createdAt'] },
      cursor: { kind: 'cursor' },
      teamId: id,
    },
  },
  'POST /api/crm/customers': {
    auth: 'bearer',
    aim: 'self',
    effect: 'event',
    as: 'ray',
    request: at((fx) => ({ path: '/api/crm/customers', body: { name: `Customer ${fx.unique()}`, company: 'Acme' } })),
    body: { name: text(200), phone: { kind: 'phone' } },
  },
  'GET /api/crm/customers/:id': {
    auth: 'bearer',
    aim: 'record',
    effect: 'none',
    as: 'ray',
    request: at((fx) => ({ path: `/api/crm/customers/${c(fx)}` })),
  },
  'PATCH /api/crm/customers/:id': {
    auth: 'bearer',
    aim: 'record',
    effect: 'event',
    as: 'ray',
    request: async (fx) => ({
      path: `/api/crm/customers/${c(fx)}`,
      body: { address: `Road ${fx.unique()}`, version: await versionOf(fx.db, 'Customer', c(fx)) },
    }),
    body: { version: id, phone: { kind: 'phone' } },
  },
  'GET /api/crm/customers/:id/notes': timeline('notes'),
  'POST /api/crm/customers/:id/notes': {
    auth: 'bearer',
    aim: 'record',
    effect: 'event',
    as: 'ray',
    request: at((fx) => ({ path: `/api/crm/customers/${c(fx)}/notes`, body: { content: `Note ${fx.unique()}` } })),
    body: { content: text(5000) },
  },
  'POST /api/crm/activities': {
    auth: 'bearer',
    aim: 'record',
    effect: 'event',
    as: 'ray',
    request: at((fx) => ({ path: '/api/crm/activities', body: { customerId: c(fx), type: 'call', content: `Call ${fx.unique()}` } })),
    body: {
      customerId: id,
      // A visit needs its location as well (its own test: activities/daily-record).
      type: { kind: 'enum', values: ['call', 'wechat', 'email', 'meeting', 'note', 'other'] },
      content: text(5000),
      occurredAt: { kind: 'time' },
    },
  },
  'POST /api/crm/messages': {
    auth: 'bearer',
    aim: 'record',
    effect: 'event',
    as: 'ray',
    request: at((fx) => ({ path: '/api/crm/messages', body: { customerId: c(fx), message: `Hello ${fx.unique()}`, type: 'text' } })),
    body: { customerId: id, message: text(5000) },
  },
  'POST /api/crm/communications': {
    auth: 'bearer',
    aim: 'record',
    effect: 'event',
    as: 'ray',
    request: at((fx) => ({
      path: '/api/crm/communications',
      body: { customerId: c(fx), type: 'call', direction: 'outbound', status: 'completed', durationSec: fx.unique() },
    })),
    body: {
      customerId: id,
      type: { kind: 'enum', values: ['call', 'sms', 'wechat', 'email'] },
      direction: { kind: 'enum', values: ['outbound', 'inbound'] },
      status: { kind: 'enum', values: ['initiated', 'connected', 'completed', 'failed', 'missed'] },
    },
  },
  'POST /api/crm/follow-ups': {
    auth: 'bearer',
    aim: 'record',
    effect: 'event',
    as: 'ray',
    request: at((fx) => ({
      path: '/api/crm/follow-ups',
      body: { customerId: c(fx), scheduledDate: inAnHour(), notes: `Follow ${fx.unique()}` },
    })),
    body: { customerId: id, scheduledDate: { kind: 'time', future: true } },
  },
  'GET /api/crm/customers/:id/activities': timeline('activities'),
  'POST /api/crm/attachments': {
    auth: 'bearer',
    aim: 'self',
    effect: 'own-row',
    as: 'ray',
    request: at(() => ({ path: '/api/crm/attachments', upload: photo(1) })),
  },
  'GET /api/crm/attachments/:id': {
    auth: 'bearer',
    aim: 'record',
    effect: 'none',
    as: 'ray',
    request: at((fx) => ({ path: `/api/crm/attachments/${fx.east.attachmentId}` })),
  },
  'GET /api/crm/customers/:id/contacts': {
    auth: 'bearer',
    aim: 'record',
    effect: 'none',
    as: 'ray',
    request: at((fx) => ({ path: `/api/crm/customers/${c(fx)}/contacts` })),
    showsMarker: true,
  },
  'POST /api/crm/customers/:id/contacts': {
    auth: 'bearer',
    aim: 'record',
    effect: 'event',
    as: 'ray',
    request: at((fx) => ({ path: `/api/crm/customers/${c(fx)}/contacts`, body: { name: `Contact ${fx.unique()}`, role: 'user' } })),
    body: { name: text(120), role: { kind: 'enum', values: ['decision-maker', 'influencer', 'user', 'other'] }, phone: { kind: 'phone' } },
  },
  'PATCH /api/crm/contacts/:id': {
    auth: 'bearer',
    aim: 'record',
    effect: 'event',
    as: 'ray',
    request: async (fx) => ({
      path: `/api/crm/contacts/${fx.east.contactId}`,
      // `role` is the contact's own field here (a mass-assignment test injects a user's role).
      body: { title: `Title ${fx.unique()}`, role: 'influencer', version: await versionOf(fx.db, 'Contact', fx.east.contactId) },
    }),
    body: { version: id, phone: { kind: 'phone' } },
  },
  'GET /api/crm/visits': {
    auth: 'bearer',
    aim: 'scope',
    effect: 'none',
    as: 'ray',
    request: get('/api/crm/visits'),
    own: get('/api/crm/visits'),
    query: { from: { kind: 'time' }, to: { kind: 'time' }, userId: id, limit: { kind: 'int', min: 1, max: 500 } },
  },
  'GET /api/crm/customers/:id/messages': timeline('messages'),
  'GET /api/crm/customers/:id/communications': timeline('communications'),
  'GET /api/crm/analytics/sales': analytics('sales'),
  'GET /api/crm/analytics/pipeline': analytics('pipeline', { rottingDays: { kind: 'int', min: 1, max: 365 } }),
  'GET /api/crm/analytics/customers': analytics('customers'),
  'GET /api/crm/analytics/activities': analytics('activities'),
  'GET /api/crm/analytics/teams': { auth: 'bearer', aim: 'self', effect: 'none', as: 'ray', request: get('/api/crm/analytics/teams') },
  'POST /api/crm/reports/generate': {
    auth: 'bearer',
    aim: 'scope',
    effect: 'none',
    as: 'ray',
    request: at((fx) => ({ path: '/api/crm/reports/generate', body: { type: 'weekly-team', parameters: { teamId: fx.teams.east } } })),
    own: at(() => ({ path: '/api/crm/reports/generate', body: { type: 'weekly-team', parameters: {} } })),
    body: { type: { kind: 'enum', values: ['weekly-team'] } },
  },
  'POST /api/crm/export': {
    auth: 'bearer',
    aim: 'scope',
    effect: 'none',
    as: 'ray',
    download: true,
    showsMarker: true,
    request: at((fx) => ({ path: '/api/crm/export', body: { type: 'customers', filters: { teamId: fx.teams.east, keyword: fx.marker } } })),
    own: at((fx) => ({ path: '/api/crm/export', body: { type: 'customers', filters: { keyword: fx.marker } } })),
    body: { type: { kind: 'enum', values: ['customers', 'opportunities', 'tasks', 'activities'] } },
  },
  'GET /api/me': { auth: 'bearer', aim: 'self', effect: 'none', as: 'ray', request: get('/api/me') },

  'POST /api/crm/invitations': {
    auth: 'bearer',
    aim: 'record',
    manager: true,
    effect: 'own-row',
    as: 'mia',
    request: at((fx) => ({ path: '/api/crm/invitations', body: { teamId: fx.teams.east, role: 'rep' } })),
    body: {
      teamId: id,
      role: { kind: 'enum', values: ['rep', 'manager'] },
      expiresInHours: { kind: 'int', min: 1, max: 168 },
      maxUses: { kind: 'int', min: 1, max: 50 },
    },
  },
  'GET /api/crm/invitations': {
    auth: 'bearer',
    aim: 'scope',
    manager: true,
    effect: 'none',
    as: 'mia',
    request: at((fx) => ({ path: '/api/crm/invitations', query: teamQuery(fx) })),
    own: get('/api/crm/invitations'),
    query: { teamId: id },
  },
  'DELETE /api/crm/invitations/:id': {
    auth: 'bearer',
    aim: 'record',
    manager: true,
    effect: 'own-row',
    as: 'mia',
    request: at((fx) => ({ path: `/api/crm/invitations/${fx.east.invitationId}` })),
  },
  'GET /api/crm/members': {
    auth: 'bearer',
    aim: 'scope',
    effect: 'none',
    as: 'ray',
    request: at((fx) => ({ path: '/api/crm/members', query: teamQuery(fx) })),
    own: get('/api/crm/members'),
    query: { teamId: id },
  },
  // The first call deactivates the spare rep (who holds nothing); a repeat hands over what they still
  // hold (nothing) and answers 200, so after the first call only the caller's own rows change.
  'POST /api/crm/members/:id/deactivate': {
    auth: 'bearer',
    aim: 'record',
    manager: true,
    effect: 'own-row',
    as: 'mia',
    request: at((fx) => ({ path: `/api/crm/members/${fx.east.spareRepId}/deactivate`, body: { handoverTo: fx.people.ray.user.id } })),
    body: { handoverTo: id },
  },
  'GET /api/crm/imports/template': { auth: 'bearer', aim: 'self', effect: 'none', as: 'ray', request: get('/api/crm/imports/template') },
  'GET /api/crm/imports/:id': {
    auth: 'bearer',
    aim: 'record',
    effect: 'none',
    as: 'ray',
    showsMarker: true,
    request: at((fx) => ({ path: `/api/crm/imports/${fx.east.importId}` })),
  },
  'POST /api/crm/imports/:id/apply': {
    auth: 'bearer',
    aim: 'record',
    manager: true,
    effect: 'event',
    as: 'mia',
    // A checked import of its own each time: an applied one answers its first result and writes nothing.
    request: at((fx) => ({ path: `/api/crm/imports/${fx.nextImport()}/apply`, body: { duplicates: 'skip' } })),
    body: { duplicates: { kind: 'enum', values: ['skip', 'merge'] }, toPool: { kind: 'bool' } },
  },
  // Last: its check goes on after the answer, so no other row's before/after reading sees it.
  'POST /api/crm/imports': {
    auth: 'bearer',
    aim: 'self',
    manager: true,
    effect: 'own-row',
    as: 'mia',
    request: at(() => ({ path: '/api/crm/imports', multipart: { fileName: 'upload.csv', text: '姓名,电话\r\n张三,12-34\r\n' } })),
  },
  'POST /api/crm/customers/:id/claim': {
    auth: 'bearer',
    aim: 'record',
    effect: 'event',
    as: 'ray',
    request: async (fx) => ({ path: `/api/crm/customers/${await stockOf(fx, 'pool')}/claim` }),
  },
  'POST /api/crm/customers/:id/release': {
    auth: 'bearer',
    aim: 'record',
    effect: 'event',
    as: 'ray',
    request: async (fx) => ({ path: `/api/crm/customers/${await stockOf(fx, 'held')}/release`, body: { reason: `Why ${fx.unique()}` } }),
    body: { reason: text(500) },
  },
  'PUT /api/crm/customers/:id/owner': reassign('Customer', (fx) => c(fx)),
  'PUT /api/crm/opportunities/:id/owner': reassign('Opportunity', (fx) => fx.east.opportunityId),
  'GET /api/crm/team/settings': {
    auth: 'bearer',
    aim: 'scope',
    effect: 'none',
    as: 'ray',
    request: at((fx) => ({ path: '/api/crm/team/settings', query: teamQuery(fx) })),
    own: get('/api/crm/team/settings'),
    query: { teamId: id },
  },
  // A manager's teamId is ignored (their own team is changed): nothing of East to aim at.
  'PATCH /api/crm/team/settings': {
    auth: 'bearer',
    aim: 'self',
    manager: true,
    effect: 'own-row',
    as: 'mia',
    request: at(() => ({ path: '/api/crm/team/settings', body: { visibility: 'team', claimLimitPerDay: null } })),
    // The limits take null ("no limit"), which the fuzz counts as a bad int: it breaks the visibility.
    body: { visibility: { kind: 'enum', values: ['team', 'owner'] } },
  },
  'PUT /api/crm/targets': {
    auth: 'bearer',
    aim: 'record',
    manager: true,
    effect: 'own-row',
    as: 'mia',
    request: at((fx) => ({
      path: '/api/crm/targets',
      body: { userId: fx.people.ray.user.id, month: '2030-01', wonValueCents: 100_000 + fx.unique() },
    })),
    body: {
      userId: id,
      month: { kind: 'pattern', valid: /^\d{4}-(0[1-9]|1[0-2])$/, max: 7 },
      wonValueCents: { kind: 'int', min: 0, max: 10 ** 13 },
    },
  },
  'GET /api/crm/analytics/leaderboard': {
    auth: 'bearer',
    aim: 'scope',
    effect: 'none',
    as: 'ray',
    request: at((fx) => ({ path: '/api/crm/analytics/leaderboard', query: { month: '2030-01', ...teamQuery(fx) } })),
    own: get('/api/crm/analytics/leaderboard', { month: '2030-01' }),
    query: { month: { kind: 'pattern', valid: /^\d{4}-(0[1-9]|1[0-2])$/, max: 7 }, teamId: id },
  },
};

export interface CommandCase {
  aim: 'record' | 'scope' | 'self';
  effect: 'event' | 'none';
  payload(fx: Fixture): Promise<unknown>;
  fields: Record<string, Field>;
}

/** Every socket command; a handler without a row fails the authorization test. */
export const COMMANDS: Record<string, CommandCase> = {
  'sync:resume': {
    aim: 'scope',
    effect: 'none',
    payload: async (fx) => ({ lastSeq: { [fx.teams.east]: 0 } }),
    fields: { lastSeq: { kind: 'seqmap' } },
  },
  'presence:join': {
    aim: 'record',
    effect: 'none',
    payload: async (fx) => ({ resource: `customer:${fx.east.customerId}` }),
    fields: { resource },
  },
  // Leaving a room one is not in is a no-op that answers `{ resource }`: nothing to refuse or leak.
  'presence:leave': {
    aim: 'self',
    effect: 'none',
    payload: async (fx) => ({ resource: `customer:${fx.east.customerId}` }),
    fields: { resource },
  },
  'opportunity:move': {
    aim: 'record',
    effect: 'event',
    payload: async (fx) => ({ id: fx.east.opportunityId, ...(await moveOf(fx, fx.east.opportunityId)) }),
    fields: { id, stageId: id, version: id },
  },
  // A hint to teammates (正在被领取): nothing stored, nothing answered beyond the id.
  'customer:claim-started': {
    aim: 'record',
    effect: 'none',
    payload: async (fx) => ({ customerId: await stockOf(fx, 'pool') }),
    fields: { customerId: id },
  },
};
