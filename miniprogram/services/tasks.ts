import type { Id, Task, TaskInput, TaskResponse, TasksResponse, TaskStatus, TaskUpdate, TaskView } from '@live-crm/shared-types';
import { api } from './api';
import type { ApiError } from './api';
import { send } from './commands';

/** REST contract section 5: tasks. Filters are named parameters only (never operator objects). */

export interface TaskFilter {
  /** one person's tasks; absent: the whole team (what a manager may look at) */
  assigneeId?: Id;
  days?: number;
  /** one customer's tasks (the customer page's open tasks) */
  customerId?: Id;
}

export async function listTasks(view: TaskView, filter: TaskFilter = {}): Promise<Task[]> {
  const query = {
    view,
    ...(filter.days ? { days: filter.days } : {}),
    ...(filter.assigneeId ? { assigneeId: filter.assigneeId } : {}),
    ...(filter.customerId ? { customerId: filter.customerId } : {}),
  };
  return (await api.get<TasksResponse>('/api/crm/tasks', query)).tasks;
}

export async function getTask(id: Id): Promise<Task> {
  return (await api.get<TaskResponse>(`/api/crm/tasks/${id}`)).task;
}

export async function createTask(input: TaskInput): Promise<Task> {
  return (await send('task.create', input)).task;
}

/** A stale `version` answers 409 with `current`; see conflictTask. */
export async function updateTask(id: Id, patch: TaskUpdate): Promise<Task> {
  return (await send('task.update', { ...patch, id })).task;
}

export async function setTaskStatus(task: Task, status: TaskStatus): Promise<Task> {
  return (await send('task.setStatus', { id: task.id, status, version: task.version })).task;
}

/** Managers within their team, admins within their tenant; a rep gets 403. */
export async function assignTask(id: Id, assigneeId: Id): Promise<Task> {
  return (await send('task.assign', { id, assigneeId })).task;
}

function isTask(value: unknown): value is Task {
  if (!value || typeof value !== 'object') return false;
  const v = value as Partial<Task>;
  return typeof v.id === 'number' && typeof v.title === 'string' && typeof v.status === 'string' && typeof v.version === 'number';
}

/** The fresh record a 409 carries, if it is a task. */
export function conflictTask(err: ApiError): Task | null {
  return err.code === 'conflict' && isTask(err.current) ? err.current : null;
}
