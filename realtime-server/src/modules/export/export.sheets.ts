import type { ExportType } from '@live-crm/shared-types';
import type { ExportFilters, ExportLocale } from './export.signer.js';

export interface Column {
  key: string;
  header: Record<ExportLocale, string>;
  width: number;
  /**
   * money: cents in SQL, yuan in the sheet; label: an enum value shown in the reader's language;
   * text: a string, or what the server stored as `{ key, params }`, written in the reader's language.
   */
  kind?: 'money' | 'label' | 'text';
}

export interface SheetSpec {
  title: Record<ExportLocale, string>;
  columns: Column[];
  /** One keyset page: rows with id > :afterId in id order, at most :limit. */
  sql: string;
  params(filters: ExportFilters): Record<string, unknown>;
}

const col = (key: string, zh: string, en: string, width: number, kind?: Column['kind']): Column => ({
  key,
  header: { 'zh-CN': zh, en },
  width,
  ...(kind ? { kind } : {}),
});

const opt = (v: unknown): unknown => (v === undefined || v === '' ? null : v);
const like = (v: unknown): string | null => (typeof v === 'string' && v ? `%${v.replace(/[\\%_]/g, '\\$&')}%` : null);

// `:mine` is a rep in an `owner` visibility team: their own records and the pool, as everywhere else.
// Filters are constant SQL; an absent filter is a NULL replacement that PostgreSQL folds away.
// Dates are local days of the tenant: [from 00:00, to + 1 day 00:00).
const CUSTOMERS_SQL = `
SELECT c.id, c.name, c.company, c.phone, c.email, c.status, u.name AS owner, c.address,
  to_char(c.last_contact_at AT TIME ZONE :tz, 'YYYY-MM-DD HH24:MI') AS last_contact, to_char(c.created_at AT TIME ZONE :tz, 'YYYY-MM-DD HH24:MI') AS created
FROM customers c LEFT JOIN users u ON u.id = c.owner_id
WHERE c.tenant_id = :tenantId AND c.team_id IN (:teamIds) AND c.id > :afterId
  AND (CAST(:status AS text) IS NULL OR c.status = :status)
  AND (CAST(:ownerId AS int) IS NULL OR c.owner_id = :ownerId)
  AND (CAST(:mine AS int) IS NULL OR c.owner_id = :mine OR c.owner_id IS NULL)
  AND (CAST(:keyword AS text) IS NULL OR c.name ILIKE :keyword OR c.company ILIKE :keyword
       OR c.phone ILIKE :keyword OR c.phone_key ILIKE :keyword OR c.email ILIKE :keyword)
  AND (CAST(:fromDay AS timestamp) IS NULL OR c.created_at >= CAST(:fromDay AS timestamp) AT TIME ZONE :tz)
  AND (CAST(:toDay AS timestamp) IS NULL OR c.created_at < (CAST(:toDay AS timestamp) + interval '1 day') AT TIME ZONE :tz)
ORDER BY c.id LIMIT :limit`;

const OPPORTUNITIES_SQL = `
SELECT o.id, o.title, c.name AS customer, jsonb_build_object('key', 'stage', 'params', jsonb_build_object('key', s.key, 'name', s.name)) AS stage, s.outcome, o.value_cents, o.currency, u.name AS owner,
  to_char(o.expected_close_date, 'YYYY-MM-DD') AS expected_close, to_char(o.closed_at AT TIME ZONE :tz, 'YYYY-MM-DD HH24:MI') AS closed, to_char(o.created_at AT TIME ZONE :tz, 'YYYY-MM-DD HH24:MI') AS created
FROM opportunities o JOIN stages s ON s.id = o.stage_id JOIN customers c ON c.id = o.customer_id
LEFT JOIN users u ON u.id = o.owner_id
WHERE o.tenant_id = :tenantId AND o.team_id IN (:teamIds) AND o.id > :afterId
  AND (CAST(:stageId AS int) IS NULL OR o.stage_id = :stageId)
  AND (CAST(:outcome AS text) IS NULL OR s.outcome = :outcome)
  AND (CAST(:ownerId AS int) IS NULL OR o.owner_id = :ownerId)
  AND (CAST(:mine AS int) IS NULL OR o.owner_id = :mine)
  AND (CAST(:fromDay AS timestamp) IS NULL OR o.created_at >= CAST(:fromDay AS timestamp) AT TIME ZONE :tz)
  AND (CAST(:toDay AS timestamp) IS NULL OR o.created_at < (CAST(:toDay AS timestamp) + interval '1 day') AT TIME ZONE :tz)
ORDER BY o.id LIMIT :limit`;

const TASKS_SQL = `
SELECT t.id, CASE WHEN t.title_key IS NULL THEN to_jsonb(t.title)
    ELSE jsonb_build_object('key', t.title_key, 'params', t.title_params) END AS title, t.type, t.priority, t.status, c.name AS customer, u.name AS assignee,
  to_char(t.due_at AT TIME ZONE :tz, 'YYYY-MM-DD HH24:MI') AS due, to_char(t.completed_at AT TIME ZONE :tz, 'YYYY-MM-DD HH24:MI') AS completed, to_char(t.created_at AT TIME ZONE :tz, 'YYYY-MM-DD HH24:MI') AS created
FROM tasks t LEFT JOIN customers c ON c.id = t.customer_id LEFT JOIN users u ON u.id = t.assignee_id
WHERE t.tenant_id = :tenantId AND t.team_id IN (:teamIds) AND t.id > :afterId
  AND (CAST(:status AS text) IS NULL OR t.status = :status)
  AND (CAST(:assigneeId AS int) IS NULL OR t.assignee_id = :assigneeId)
  AND (CAST(:mine AS int) IS NULL OR t.assignee_id = :mine OR t.created_by_id = :mine)
  AND (CAST(:fromDay AS timestamp) IS NULL OR t.due_at >= CAST(:fromDay AS timestamp) AT TIME ZONE :tz)
  AND (CAST(:toDay AS timestamp) IS NULL OR t.due_at < (CAST(:toDay AS timestamp) + interval '1 day') AT TIME ZONE :tz)
ORDER BY t.id LIMIT :limit`;

const ACTIVITIES_SQL = `
SELECT a.id, to_char(a.occurred_at AT TIME ZONE :tz, 'YYYY-MM-DD HH24:MI') AS occurred, a.type, u.name AS actor, c.name AS customer,
  CASE WHEN a.params IS NULL THEN to_jsonb(a.content) ELSE jsonb_build_object('key', a.type, 'params', a.params) END AS content
FROM activities a JOIN users u ON u.id = a.actor_id LEFT JOIN customers c ON c.id = a.customer_id
WHERE a.tenant_id = :tenantId AND a.team_id IN (:teamIds) AND a.id > :afterId
  -- Without a type, what people logged (as the dashboard counts it); stage changes when asked for.
  AND (CASE WHEN CAST(:type AS text) IS NULL THEN a.type <> 'stage-change' ELSE a.type = :type END)
  AND (CAST(:actorId AS int) IS NULL OR a.actor_id = :actorId)
  AND (CAST(:mine AS int) IS NULL OR (a.customer_id IS NULL AND a.actor_id = :mine)
       OR (a.customer_id IS NOT NULL AND (c.owner_id = :mine OR c.owner_id IS NULL)))
  AND (CAST(:fromDay AS timestamp) IS NULL OR a.occurred_at >= CAST(:fromDay AS timestamp) AT TIME ZONE :tz)
  AND (CAST(:toDay AS timestamp) IS NULL OR a.occurred_at < (CAST(:toDay AS timestamp) + interval '1 day') AT TIME ZONE :tz)
ORDER BY a.id LIMIT :limit`;

export const SHEETS: Record<ExportType, SheetSpec> = {
  customers: {
    title: { 'zh-CN': '客户', en: 'Customers' },
    columns: [
      col('id', '编号', 'ID', 8),
      col('name', '姓名', 'Name', 16),
      col('company', '公司', 'Company', 28),
      col('phone', '电话', 'Phone', 16),
      col('email', '邮箱', 'Email', 26),
      col('status', '状态', 'Status', 10, 'label'),
      col('owner', '负责人', 'Owner', 12),
      col('address', '地址', 'Address', 28),
      col('last_contact', '最近联系', 'Last contact', 18),
      col('created', '创建时间', 'Created', 18),
    ],
    sql: CUSTOMERS_SQL,
    params: (f) => ({
      status: f['status'] === 'all' ? null : opt(f['status']),
      ownerId: opt(f['ownerId']),
      keyword: like(f['keyword']),
      fromDay: opt(f['createdFrom']),
      toDay: opt(f['createdTo']),
    }),
  },
  opportunities: {
    title: { 'zh-CN': '商机', en: 'Opportunities' },
    columns: [
      col('id', '编号', 'ID', 8),
      col('title', '名称', 'Title', 24),
      col('customer', '客户', 'Customer', 16),
      col('stage', '阶段', 'Stage', 12, 'text'),
      col('outcome', '结果', 'Outcome', 10, 'label'),
      col('value_cents', '金额（元）', 'Value', 14, 'money'),
      col('currency', '币种', 'Currency', 8),
      col('owner', '负责人', 'Owner', 12),
      col('expected_close', '预计成交', 'Expected close', 14),
      col('closed', '关闭时间', 'Closed', 18),
      col('created', '创建时间', 'Created', 18),
    ],
    sql: OPPORTUNITIES_SQL,
    params: (f) => ({
      stageId: opt(f['stageId']),
      outcome: opt(f['outcome']),
      ownerId: opt(f['ownerId']),
      fromDay: opt(f['createdFrom']),
      toDay: opt(f['createdTo']),
    }),
  },
  tasks: {
    title: { 'zh-CN': '任务', en: 'Tasks' },
    columns: [
      col('id', '编号', 'ID', 8),
      col('title', '标题', 'Title', 24, 'text'),
      col('type', '类型', 'Type', 10, 'label'),
      col('priority', '优先级', 'Priority', 10, 'label'),
      col('status', '状态', 'Status', 10, 'label'),
      col('customer', '客户', 'Customer', 16),
      col('assignee', '执行人', 'Assignee', 12),
      col('due', '截止时间', 'Due', 18),
      col('completed', '完成时间', 'Completed', 18),
      col('created', '创建时间', 'Created', 18),
    ],
    sql: TASKS_SQL,
    params: (f) => ({ status: opt(f['status']), assigneeId: opt(f['assigneeId']), fromDay: opt(f['dueFrom']), toDay: opt(f['dueTo']) }),
  },
  activities: {
    title: { 'zh-CN': '活动', en: 'Activities' },
    columns: [
      col('id', '编号', 'ID', 8),
      col('occurred', '时间', 'When', 18),
      col('type', '类型', 'Type', 10, 'label'),
      col('actor', '成员', 'By', 12),
      col('customer', '客户', 'Customer', 16),
      col('content', '内容', 'Content', 48, 'text'),
    ],
    sql: ACTIVITIES_SQL,
    params: (f) => ({ type: opt(f['type']), actorId: opt(f['actorId']), fromDay: opt(f['from']), toDay: opt(f['to']) }),
  },
};
