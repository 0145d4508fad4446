import type { Id, Task, TaskPriority } from '@live-crm/shared-types';
import { t } from '../../i18n/index';
import { formatDue, shanghaiDayStart } from '../../utils/when';
import { taskTitle } from '../../utils/server-text';

export type ViewKey = 'today' | 'overdue' | 'upcoming';
export const VIEWS: readonly ViewKey[] = ['today', 'overdue', 'upcoming'];
/** "upcoming" spans this many days after today, as the server's default `days`. */
export const UPCOMING_DAYS = 7;
const DAY_MS = 86_400_000;
/** Added to a done task's order: more minutes than any due time spans (about 190 years). */
const DONE_SHIFT = 100_000_000;

/** What one task row shows; small, because a live change sends it across threads. */
export interface TaskRow {
  id: Id;
  title: string;
  type: string;
  priority: string;
  priorityTheme: 'danger' | 'warning' | 'default';
  due: string;
  /** open and past its due time: the due time shows in red */
  late: boolean;
  done: boolean;
  pending: boolean;
  customer: string;
  /** shown in the team scope only */
  assignee: string;
  /** flex `order`: rows stay sorted by due time whatever slot they were put in */
  order: number;
}

/** Where a task belongs, by the server's rules in China time: due today; overdue and open; due in the next days. */
export function viewOf(task: Task, now: number): ViewKey | null {
  const due = task.dueAt ? Date.parse(task.dueAt) : NaN;
  if (Number.isNaN(due)) return null;
  const today = shanghaiDayStart(now);
  const tomorrow = today + DAY_MS;
  if (due >= today && due < tomorrow) return 'today';
  if (due < today) return task.status === 'completed' ? null : 'overdue';
  return due < tomorrow + UPCOMING_DAYS * DAY_MS ? 'upcoming' : null;
}

export function isLate(task: Task, now: number): boolean {
  return task.status !== 'completed' && task.dueAt !== null && Date.parse(task.dueAt) < now;
}

const priorityThemes: Record<TaskPriority, TaskRow['priorityTheme']> = { high: 'danger', medium: 'warning', low: 'default' };

export interface RowNames {
  customer(id: Id | null): string | undefined;
  /** '' when the row should not name its assignee */
  assignee(id: Id | null): string;
}

export function taskRow(task: Task, now: number, names: RowNames): TaskRow {
  const due = task.dueAt ? Date.parse(task.dueAt) : NaN;
  return {
    id: task.id,
    title: taskTitle(task),
    type: t(`taskType.${task.type}` as const),
    priority: t(`taskPriority.${task.priority}` as const),
    priorityTheme: priorityThemes[task.priority],
    due: task.dueAt ? formatDue(task.dueAt, now) : t('tasks.noDue'),
    late: isLate(task, now),
    done: task.status === 'completed',
    pending: false,
    customer: names.customer(task.customerId) ?? '',
    assignee: names.assignee(task.assigneeId),
    // minutes since the epoch fit a CSS integer; done tasks sink below the open ones; ties keep their slot order
    order: (Number.isNaN(due) ? 0 : Math.floor(due / 60_000)) + (task.status === 'completed' ? DONE_SHIFT : 0),
  };
}
