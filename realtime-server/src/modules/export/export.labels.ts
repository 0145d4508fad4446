import type { ExportLocale } from './export.signer.js';

/** Enum values as a reader sees them; one flat table per language (the values never collide in meaning). */
const LABELS: Record<ExportLocale, Record<string, string>> = {
  'zh-CN': {
    lead: '线索', prospect: '潜在客户', active: '活跃', inactive: '不活跃',
    open: '进行中', won: '赢单', lost: '输单',
    pending: '待办', in_progress: '进行中', completed: '已完成',
    low: '低', medium: '中', high: '高',
    call: '电话', meeting: '会议', email: '邮件', message: '消息', note: '备注', visit: '拜访',
    'stage-change': '阶段变更', 'follow-up': '跟进', other: '其他',
  },
  en: {
    lead: 'Lead', prospect: 'Prospect', active: 'Active', inactive: 'Inactive',
    open: 'Open', won: 'Won', lost: 'Lost',
    pending: 'Pending', in_progress: 'In progress', completed: 'Completed',
    low: 'Low', medium: 'Medium', high: 'High',
    call: 'Call', meeting: 'Meeting', email: 'Email', message: 'Message', note: 'Note', visit: 'Visit',
    'stage-change': 'Stage change', 'follow-up': 'Follow-up', other: 'Other',
  },
};

export const labelOf = (locale: ExportLocale, value: unknown): unknown =>
  (typeof value === 'string' ? LABELS[locale][value] ?? value : value);
