import type { Id, Task, TaskInput, TaskPriority, TaskType, TaskUpdate } from '@live-crm/shared-types';
import { t } from '../../i18n/index';
import type { MessageKey } from '../../i18n/index';
import { taskTitle } from '../../utils/server-text';
import { formatDue, isoToWallClock, wallClockToIso } from '../../utils/when';

export const TITLE_MAX = 200;
export const TASK_TYPES: readonly TaskType[] = ['call', 'follow-up', 'meeting', 'email', 'other'];
export const PRIORITIES: readonly TaskPriority[] = ['high', 'medium', 'low'];

export type RemindKey = 'none' | 'atDue' | '15m' | '30m' | '1h' | '1d' | 'custom';
/** Minutes before the due time, per preset. */
const REMIND_MINUTES: Record<Exclude<RemindKey, 'none' | 'custom'>, number> = { atDue: 0, '15m': 15, '30m': 30, '1h': 60, '1d': 1440 };
export const REMIND_CHOICES: readonly RemindKey[] = ['none', 'atDue', '15m', '30m', '1h', '1d'];

/** What the form holds; `due` is the Shanghai wall clock the picker shows ("2025-06-18 14:30"). */
export interface TaskFormValues {
  title: string;
  type: TaskType;
  priority: TaskPriority;
  customerId: Id | null;
  customerName: string;
  due: string;
  remind: RemindKey;
  /** an existing reminder that matches no preset, kept as it is */
  customRemindAt: string | null;
  assigneeId: Id | null;
  assigneeName: string;
  description: string;
}

export type Field = 'title' | 'due' | 'remind';
export type FieldErrors = Partial<Record<Field, string>>;

/** The next full hour, in Shanghai wall-clock form: a sensible default due time. */
export function nextHour(now: number): string {
  return isoToWallClock(new Date(Math.ceil((now + 1) / 3_600_000) * 3_600_000).toISOString());
}

export function emptyValues(now: number, assignee: { id: Id; name: string } | null): TaskFormValues {
  return {
    title: '',
    type: 'call',
    priority: 'medium',
    customerId: null,
    customerName: '',
    due: nextHour(now),
    remind: '30m',
    customRemindAt: null,
    assigneeId: assignee?.id ?? null,
    assigneeName: assignee?.name ?? '',
    description: '',
  };
}

function remindKeyOf(task: Task): RemindKey {
  if (!task.remindAt) return 'none';
  if (!task.dueAt) return 'custom';
  const minutes = Math.round((Date.parse(task.dueAt) - Date.parse(task.remindAt)) / 60_000);
  const hit = (Object.keys(REMIND_MINUTES) as Array<keyof typeof REMIND_MINUTES>).find((k) => REMIND_MINUTES[k] === minutes);
  return hit ?? 'custom';
}

export function valuesFrom(task: Task, names: { customer: string; assignee: string }): TaskFormValues {
  const remind = remindKeyOf(task);
  return {
    title: taskTitle(task),
    type: task.type,
    priority: task.priority,
    customerId: task.customerId,
    customerName: names.customer,
    due: isoToWallClock(task.dueAt),
    remind,
    customRemindAt: remind === 'custom' ? task.remindAt : null,
    assigneeId: task.assigneeId,
    assigneeName: names.assignee,
    description: task.description ?? '',
  };
}

export function remindLabel(values: TaskFormValues, now: number = Date.now()): string {
  if (values.remind === 'custom') return t('remind.custom', { time: formatDue(values.customRemindAt, now) });
  const keys: Record<Exclude<RemindKey, 'custom'>, MessageKey> = {
    none: 'remind.none',
    atDue: 'remind.atDue',
    '15m': 'remind.15m',
    '30m': 'remind.30m',
    '1h': 'remind.1h',
    '1d': 'remind.1d',
  };
  return t(keys[values.remind]);
}

export function dueIso(values: TaskFormValues): string | null {
  return values.due ? wallClockToIso(values.due) : null;
}

export function remindIso(values: TaskFormValues): string | null {
  if (values.remind === 'none') return null;
  if (values.remind === 'custom') return values.customRemindAt;
  const due = dueIso(values);
  return due ? new Date(Date.parse(due) - REMIND_MINUTES[values.remind] * 60_000).toISOString() : null;
}

export function validate(values: TaskFormValues): FieldErrors {
  const errors: FieldErrors = {};
  const title = values.title.trim();
  if (!title) errors.title = t('taskForm.titleRequired');
  else if (title.length > TITLE_MAX) errors.title = t('taskForm.titleTooLong', { max: TITLE_MAX });
  if (!dueIso(values)) errors.due = t('taskForm.duePlaceholder');
  if (values.remind !== 'none' && values.remind !== 'custom' && !dueIso(values)) errors.remind = t('taskForm.remindNeedsDue');
  return errors;
}

export function toInput(values: TaskFormValues): TaskInput {
  return {
    title: values.title.trim(),
    type: values.type,
    priority: values.priority,
    customerId: values.customerId,
    dueAt: dueIso(values),
    remindAt: remindIso(values),
    description: values.description.trim() || null,
    ...(values.assigneeId !== null ? { assigneeId: values.assigneeId } : {}),
  };
}

/**
 * An edit leaves the assignee alone: reassigning is its own call (PUT .../assign). A title left as
 * shown is not sent, so a server-written one (a follow-up's) stays in every phone's language.
 */
export function toPatch(values: TaskFormValues, task: Task): TaskUpdate {
  const { assigneeId: _assignee, title, ...fields } = toInput(values);
  return { ...fields, ...(title === taskTitle(task).trim() ? {} : { title }), version: task.version };
}
