import type { Id, Task } from '@live-crm/shared-types';
import { taskRow, VIEWS, viewOf } from './task-row';
import type { RowNames, TaskRow, ViewKey } from './task-row';

/** Whose tasks the page shows: one person's (a rep; a manager on "mine") or the whole team's. */
export interface Scope {
  teamId: Id | null;
  assigneeId: Id | null;
}

export interface ListData {
  /** removed rows stay as null until the next full load, so a change never resends a whole list */
  items: Array<TaskRow | null>;
  /** open tasks: the tab's badge */
  count: number;
  /** rows on screen: 0 shows the empty state */
  shown: number;
}

export type Patch = Record<string, unknown>;

/**
 * The three task lists as the page holds them, and the bookkeeping that turns one changed task
 * into a setData patch of the paths that changed: its row (in, out or across lists) and the counts.
 */
export class TaskLists {
  private readonly tasks = new Map<Id, Task>();
  private readonly where = new Map<Id, { view: ViewKey; idx: number }>();
  private readonly lengths: Record<ViewKey, number> = { today: 0, overdue: 0, upcoming: 0 };

  constructor(
    private readonly scope: Scope,
    private readonly names: RowNames,
    private readonly now: () => number,
    loaded: Record<ViewKey, Task[]>,
  ) {
    // The server's views are disjoint; should they ever overlap, a task shows once.
    for (const view of VIEWS) for (const task of loaded[view]) if (!this.where.has(task.id)) this.place(task, view);
  }

  get(id: Id): Task | undefined {
    return this.tasks.get(id);
  }

  customerIds(): Id[] {
    return [...this.tasks.values()].map((task) => task.customerId).filter((id): id is Id => id !== null);
  }

  lists(): Record<ViewKey, ListData> {
    const out = {} as Record<ViewKey, ListData>;
    for (const view of VIEWS) {
      const items: Array<TaskRow | null> = Array.from({ length: this.lengths[view] }, () => null);
      for (const [id, loc] of this.where) if (loc.view === view) items[loc.idx] = this.row(id);
      out[view] = { items, ...this.counts(view) };
    }
    return out;
  }

  /**
   * Takes a newer version of a task (or, with `force`, any version: rollbacks) and answers the
   * setData patch, or null when the page does not change.
   */
  apply(task: Task, force = false): Patch | null {
    const held = this.tasks.get(task.id);
    if (held && !force && task.version <= held.version) return null;
    const target = this.belongs(task) ? viewOf(task, this.now()) : null;
    const from = this.where.get(task.id);
    if (!from && !target) return null;
    const patch: Patch = {};
    if (from && from.view === target) {
      this.tasks.set(task.id, task);
      patch[this.path(from)] = this.row(task.id);
    } else {
      if (from) {
        patch[this.path(from)] = null;
        this.where.delete(task.id);
        this.tasks.delete(task.id);
      }
      if (target) {
        const idx = this.place(task, target);
        patch[this.path({ view: target, idx })] = this.row(task.id);
      }
    }
    for (const view of new Set([from?.view, target])) {
      if (!view) continue;
      const counts = this.counts(view);
      patch[`lists.${view}.count`] = counts.count;
      patch[`lists.${view}.shown`] = counts.shown;
    }
    return patch;
  }

  /** A spinner-like dimming on a row while its change is in flight. */
  pendingPatch(id: Id, pending: boolean): Patch {
    const loc = this.where.get(id);
    return loc ? { [`${this.path(loc)}.pending`]: pending } : {};
  }

  /** Fills in a customer's name on every row of that customer (names arrive after the rows). */
  customerPatch(customerId: Id, name: string): Patch {
    const patch: Patch = {};
    for (const [id, loc] of this.where) {
      if (this.tasks.get(id)?.customerId === customerId) patch[`${this.path(loc)}.customer`] = name;
    }
    return patch;
  }

  private belongs(task: Task): boolean {
    const { teamId, assigneeId } = this.scope;
    return (teamId === null || task.teamId === teamId) && (assigneeId === null || task.assigneeId === assigneeId);
  }

  private place(task: Task, view: ViewKey): number {
    const idx = this.lengths[view];
    this.lengths[view] = idx + 1;
    this.tasks.set(task.id, task);
    this.where.set(task.id, { view, idx });
    return idx;
  }

  private path(loc: { view: ViewKey; idx: number }): string {
    return `lists.${loc.view}.items[${loc.idx}]`;
  }

  private row(id: Id): TaskRow | null {
    const task = this.tasks.get(id);
    return task ? taskRow(task, this.now(), this.names) : null;
  }

  private counts(view: ViewKey): { count: number; shown: number } {
    let count = 0;
    let shown = 0;
    for (const [id, loc] of this.where) {
      if (loc.view !== view) continue;
      shown += 1;
      if (this.tasks.get(id)?.status !== 'completed') count += 1;
    }
    return { count, shown };
  }
}
