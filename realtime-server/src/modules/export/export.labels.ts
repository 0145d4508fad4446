import type { NotedStage, StageChangeParams, StageKey, TaskTitleParams } from '@live-crm/shared-types';
import type { ExportLocale } from './export.signer.js';

/** Enum values as a reader sees them; one flat table per language (the values never collide in meaning). */
const LABELS: Record<ExportLocale, Record<string, string>> = {
  'zh-CN': {
    lead: '线索',
    prospect: '潜在客户',
    active: '活跃',
    inactive: '不活跃',
    open: '进行中',
    won: '赢单',
    lost: '输单',
    pending: '待办',
    in_progress: '进行中',
    completed: '已完成',
    low: '低',
    medium: '中',
    high: '高',
    call: '电话',
    meeting: '会议',
    email: '邮件',
    message: '消息',
    wechat: '微信',
    note: '备注',
    visit: '拜访',
    'stage-change': '阶段变更',
    'follow-up': '跟进',
    other: '其他',
  },
  en: {
    lead: 'Lead',
    prospect: 'Prospect',
    active: 'Active',
    inactive: 'Inactive',
    open: 'Open',
    won: 'Won',
    lost: 'Lost',
    pending: 'Pending',
    in_progress: 'In progress',
    completed: 'Completed',
    low: 'Low',
    medium: 'Medium',
    high: 'High',
    call: 'Call',
    meeting: 'Meeting',
    email: 'Email',
    message: 'Message',
    wechat: 'WeChat',
    note: 'Note',
    visit: 'Visit',
    'stage-change': 'Stage change',
    'follow-up': 'Follow-up',
    other: 'Other',
  },
};

export const labelOf = (locale: ExportLocale, value: unknown): unknown =>
  typeof value === 'string' ? (LABELS[locale][value] ?? value) : value;

type Stage = Pick<NotedStage, 'key' | 'name'>;
const STAGES: Record<ExportLocale, Record<StageKey, string>> = {
  'zh-CN': { lead: '线索', qualified: '已确认', proposal: '方案', negotiation: '谈判', won: '赢单', lost: '输单' },
  en: { lead: 'Lead', qualified: 'Qualified', proposal: 'Proposal', negotiation: 'Negotiation', won: 'Won', lost: 'Lost' },
};
const stageName = (locale: ExportLocale, s: Stage): string => (s.key ? STAGES[locale][s.key] : undefined) ?? s.name;

/** Text the server stores as a key and parameters (see shared-types), per key. */
interface TextParams {
  stage: Stage;
  'follow-up': TaskTitleParams;
  'stage-change': StageChangeParams;
}
type Texts = { [K in keyof TextParams]: (p: TextParams[K]) => string };

const TEXTS: Record<ExportLocale, Texts> = {
  'zh-CN': {
    stage: (p) => stageName('zh-CN', p),
    'follow-up': (p) => `跟进 ${p.customer}`,
    'stage-change': (p) => `将商机“${p.title}”从“${stageName('zh-CN', p.from)}”移到“${stageName('zh-CN', p.to)}”`,
  },
  en: {
    stage: (p) => stageName('en', p),
    'follow-up': (p) => `Follow up with ${p.customer}`,
    'stage-change': (p) => `Moved deal “${p.title}” from “${stageName('en', p.from)}” to “${stageName('en', p.to)}”`,
  },
};

/** A `text` cell: a plain string, or `{ key, params }` (as the SQL built it) in the reader's language. */
export function textOf(locale: ExportLocale, value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const { key, params } = value as { key: string; params: unknown };
  const write = (TEXTS[locale] as Record<string, ((p: unknown) => string) | undefined>)[key];
  return write ? write(params) : null;
}
