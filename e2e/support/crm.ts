import type { NotificationsResponse, Task, TaskInput } from '@live-crm/shared-types';
import { signIn } from '../../realtime-server/test/support/clients.js';

/** Someone acting from another phone through plain REST (a manager reassigning, a teammate working). */
export async function colleague(serverUrl: string, login: string) {
  const s = await signIn(serverUrl, login);
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = method === 'GET' ? await s.get<T>(path) : await s.send<T>(method, path, body);
    if (res.status >= 300) throw new Error(`${login}: ${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  return {
    user: s.user,
    call,
    tasks: async (query: string) => (await call<{ tasks: Task[] }>('GET', `/api/crm/tasks?${query}`)).tasks,
    task: async (id: number) => (await call<{ task: Task }>('GET', `/api/crm/tasks/${id}`)).task,
    createTask: async (input: TaskInput) => (await call<{ task: Task }>('POST', '/api/crm/tasks', input)).task,
    updateTask: async (task: Task, patch: Partial<TaskInput> & { status?: Task['status'] }) =>
      (await call<{ task: Task }>('PUT', `/api/crm/tasks/${task.id}`, { ...patch, version: task.version })).task,
    assign: async (id: number, assigneeId: number) =>
      (await call<{ task: Task }>('PUT', `/api/crm/tasks/${id}/assign`, { assigneeId })).task,
    inbox: () => call<NotificationsResponse>('GET', '/api/crm/notifications?limit=50'),
  };
}

export type Colleague = Awaited<ReturnType<typeof colleague>>;

/** A due time within today in China time, whatever the hour the test runs at (a minute ago, or just after midnight). */
export function dueTodayIso(now = Date.now()): string {
  const offset = 8 * 3_600_000;
  const todayStart = Math.floor((now + offset) / 86_400_000) * 86_400_000 - offset;
  return new Date(Math.max(todayStart + 60_000, now - 60_000)).toISOString();
}
