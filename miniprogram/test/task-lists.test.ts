import type { Task } from '@live-crm/shared-types';
import { beforeAll, describe, expect, test } from 'vitest';
import { resetLocale } from '../i18n/index';
import { TaskLists } from '../pages/tasks/task-lists';
import { viewOf } from '../pages/tasks/task-row';
import { formatAgo, formatDue, wallClockToIso } from '../utils/when';

beforeAll(() => resetLocale('zh-CN'));

// Wednesday 2025-06-18 10:30 in Shanghai (02:30 UTC).
const NOW = Date.parse('2025-06-18T02:30:00Z');
const ME = 3;

function task(id: number, dueAt: string | null, extra: Partial<Task> = {}): Task {
  return {
    id,
    teamId: 1,
    customerId: null,
    title: `任务${id}`,
    titleKey: null,
    titleParams: null,
    description: null,
    type: 'call',
    priority: 'medium',
    status: 'pending',
    dueAt,
    remindAt: null,
    assigneeId: ME,
    createdById: ME,
    completedAt: null,
    createdAt: '2025-06-01T00:00:00Z',
    updatedAt: '2025-06-01T00:00:00Z',
    version: 1,
    ...extra,
  };
}

const names = { customer: () => undefined, assignee: () => '' };
const lists = (loaded: Partial<Record<'today' | 'overdue' | 'upcoming', Task[]>> = {}) =>
  new TaskLists({ teamId: 1, assigneeId: ME }, names, () => NOW, { today: [], overdue: [], upcoming: [], ...loaded });

describe('which tab a task belongs to, in China time', () => {
  test('23:30 Shanghai is still today although it is another date in UTC; 00:00 tomorrow is not', () => {
    expect(viewOf(task(1, '2025-06-18T15:30:00Z'), NOW)).toBe('today');
    expect(viewOf(task(1, '2025-06-18T16:00:00Z'), NOW)).toBe('upcoming');
    expect(viewOf(task(1, '2025-06-17T15:59:00Z'), NOW)).toBe('overdue'); // 23:59 yesterday
    expect(viewOf(task(1, '2025-06-17T16:00:00Z'), NOW)).toBe('today'); // 00:00 today
  });

  test('done tasks leave Overdue, stay in Today; past the 7 days or without a due time: no tab', () => {
    expect(viewOf(task(1, '2025-06-17T01:00:00Z', { status: 'completed' }), NOW)).toBeNull();
    expect(viewOf(task(1, '2025-06-18T01:00:00Z', { status: 'completed' }), NOW)).toBe('today');
    expect(viewOf(task(1, '2025-06-25T15:59:00Z'), NOW)).toBe('upcoming');
    expect(viewOf(task(1, '2025-06-25T16:00:00Z'), NOW)).toBeNull();
    expect(viewOf(task(1, null), NOW)).toBeNull();
  });

  test('due times and ages read the way a rep says them', () => {
    expect(formatDue('2025-06-18T15:30:00Z', NOW, 'zh-CN')).toBe('今天 23:30');
    expect(formatDue('2025-06-19T01:00:00Z', NOW, 'zh-CN')).toBe('明天 09:00');
    expect(formatDue('2025-06-17T07:00:00Z', NOW, 'zh-CN')).toBe('昨天 15:00');
    expect(formatDue('2025-06-25T02:00:00Z', NOW, 'zh-CN')).toBe('6月25日 10:00');
    expect(formatDue('2026-01-05T02:00:00Z', NOW, 'zh-CN')).toBe('2026年1月5日 10:00');
    expect(formatAgo('2025-06-18T02:29:40Z', NOW)).toBe('刚刚');
    expect(formatAgo('2025-06-18T02:05:00Z', NOW)).toBe('25分钟前');
    expect(wallClockToIso('2025-06-18 23:30')).toBe('2025-06-18T23:30:00+08:00');
    expect(wallClockToIso('2025-06-18')).toBeNull();
  });
});

describe('task lists: one change, one small patch', () => {
  test('a task assigned to me arrives in its tab; reassigned away it leaves; counts follow', () => {
    const l = lists({ today: [task(1, '2025-06-18T09:00:00Z')] });
    const arrived = l.apply(task(2, '2025-06-18T08:00:00Z', { version: 2 }))!;
    expect(arrived).toMatchObject({ 'lists.today.items[1]': { id: 2, title: '任务2', due: '今天 16:00' }, 'lists.today.count': 2 });
    const left = l.apply(task(2, '2025-06-18T08:00:00Z', { assigneeId: 4, version: 3 }))!;
    expect(left).toEqual({ 'lists.today.items[1]': null, 'lists.today.count': 1, 'lists.today.shown': 1 });
    expect(l.apply(task(5, '2025-06-18T08:00:00Z', { assigneeId: 4 }))).toBeNull(); // someone else's: nothing to do
  });

  test('a due date moved to tomorrow moves the row across tabs; an older version changes nothing', () => {
    const l = lists({ today: [task(1, '2025-06-18T09:00:00Z', { version: 3 })] });
    expect(l.apply(task(1, '2025-06-19T09:00:00Z', { version: 2 }))).toBeNull();
    const moved = l.apply(task(1, '2025-06-19T09:00:00Z', { version: 4 }))!;
    expect(Object.keys(moved).sort()).toEqual([
      'lists.today.count',
      'lists.today.items[0]',
      'lists.today.shown',
      'lists.upcoming.count',
      'lists.upcoming.items[0]',
      'lists.upcoming.shown',
    ]);
    expect(moved['lists.today.items[0]']).toBeNull();
  });

  test('completing an overdue task removes it; done rows sort below open ones; late ones are marked', () => {
    const overdue = task(1, '2025-06-17T07:00:00Z');
    const l = lists({ overdue: [overdue], today: [task(2, '2025-06-18T01:00:00Z'), task(3, '2025-06-18T09:00:00Z')] });
    const rows = l.lists();
    expect(rows.overdue.items[0]).toMatchObject({ late: true, due: '昨天 15:00' });
    expect(rows.today.items[0]).toMatchObject({ late: true });
    expect(rows.today.items[1]).toMatchObject({ late: false });
    expect(l.apply({ ...overdue, status: 'completed', version: 2 })).toMatchObject({
      'lists.overdue.items[0]': null,
      'lists.overdue.count': 0,
    });
    const done = l.apply(task(2, '2025-06-18T01:00:00Z', { status: 'completed', version: 2 }))!;
    const doneRow = done['lists.today.items[0]'] as { order: number; done: boolean };
    expect(doneRow.done).toBe(true);
    expect(doneRow.order).toBeGreaterThan((rows.today.items[1] as { order: number }).order);
    expect(done['lists.today.count']).toBe(1);
  });
});
