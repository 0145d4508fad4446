import { Op, type Transaction, type WhereOptions } from 'sequelize';
import type { CustomerModel, Database, TaskModel } from '@live-crm/models';
import type { Task, TaskMutationResponse } from '@live-crm/shared-types';
import { assertManager, assertTeamAccess, resolveTeam, type Actor } from '../../core/actor.js';
import { AppError, forbidden, notFound } from '../../core/app-error.js';
import type { Handover } from '../../core/handover.js';
import type { AnyTeamFact, IdempotencyRef, MutationRunner } from '../../core/mutation.js';
import { taskLink, type NotificationDraft, type NotificationsService } from '../notifications/notifications.service.js';
import type { TaskCreateInput, TaskListInput, TaskUpdateInput } from './tasks.schemas.js';
import { createTaskViews } from './task-views.query.js';
import type { VisibilityRules } from '../ownership/visibility.js';

export interface FollowUpTaskDraft {
  tenantId: number;
  teamId: number;
  customerId: number;
  customerName: string;
  description: string | null;
  dueAt: Date;
  remindAt: Date;
  assigneeId: number;
  createdById: number;
}

export interface TasksServiceDeps {
  db: Database;
  mutate: MutationRunner;
  notifications: NotificationsService;
  defaultTimeZone: string;
  visibility: VisibilityRules;
}

/** A follow-up's task title: rendered by each phone from the key; `title` in Chinese for exports and WeChat. */
function followUpTitle(customer: string): Pick<Task, 'title' | 'titleKey' | 'titleParams'> {
  return { title: [...`跟进 ${customer}`].slice(0, 200).join(''), titleKey: 'follow-up', titleParams: { customer } };
}

const invalid = (path: string, message: string): AppError =>
  new AppError('validation', message, { details: { fields: [{ path, message }] } });

/** The only writer of tasks: create, edit, complete, reassign, and the views of the task list. */
export function createTasksService({ db, mutate, notifications, defaultTimeZone, visibility }: TasksServiceDeps) {
  const { Task, Customer, User } = db.models;
  const views = createTaskViews(db, defaultTimeZone);

  async function loadFor(actor: Actor, id: number, tx?: Transaction, lock = false): Promise<TaskModel> {
    const task = await Task.findByPk(id, { transaction: tx ?? null, ...(lock && tx ? { lock: tx.LOCK.UPDATE } : {}) });
    if (!task) throw notFound('Task');
    assertTeamAccess(actor, task.teamId, 'Task');
    // In `owner` visibility a rep reaches the tasks given to or made by them.
    const scope = await visibility.scopeFor(actor, task.teamId, tx);
    if (scope !== null && task.assigneeId !== scope && task.createdById !== scope) throw notFound('Task');
    return task;
  }

  async function customerFor(actor: Actor, customerId: number, tx: Transaction): Promise<CustomerModel> {
    const customer = await Customer.findByPk(customerId, { transaction: tx });
    if (!customer) throw notFound('Customer');
    assertTeamAccess(actor, customer.teamId, 'Customer');
    if (!(await visibility.seesCustomer(actor, customer, tx))) throw notFound('Customer');
    return customer;
  }

  /** Assignees are members of the task's team; anyone else (another team or tenant) is a 400. */
  async function assertMember(actor: Actor, teamId: number, userId: number, tx: Transaction): Promise<void> {
    const user = await User.findOne({ where: { id: userId, tenantId: actor.tenantId, teamId }, attributes: ['id'], transaction: tx });
    if (!user) throw invalid('assigneeId', "The assignee must be a member of the task's team");
  }

  /** Team of a new task: its customer's, else (admins) the assignee's, else the caller's own. */
  async function teamOfNew(actor: Actor, input: TaskCreateInput, tx: Transaction): Promise<number> {
    if (input.customerId) return (await customerFor(actor, input.customerId, tx)).teamId;
    if (actor.role === 'admin' && input.assigneeId) {
      const user = await User.findOne({
        where: { id: input.assigneeId, tenantId: actor.tenantId },
        attributes: ['teamId'],
        transaction: tx,
      });
      if (user?.teamId) return user.teamId;
      throw invalid('assigneeId', 'The assignee must be a member of a team');
    }
    return resolveTeam(actor);
  }

  function assignedDraft(actor: Actor, task: Task): NotificationDraft {
    const { title, titleKey, titleParams } = task;
    return {
      tenantId: actor.tenantId,
      userId: task.assigneeId!,
      kind: 'task-assigned',
      params: { actorName: actor.name, task: { title, titleKey, titleParams } },
      link: taskLink(task.id),
    };
  }

  async function stale(id: number, tx: Transaction): Promise<never> {
    const current = await Task.findByPk(id, { transaction: tx });
    if (!current) throw notFound('Task');
    throw new AppError('conflict', 'Someone changed this task first; here is the latest version', { current: current.toDto() });
  }

  return {
    async list(actor: Actor, q: TaskListInput): Promise<Task[]> {
      // Like the pipeline: an admin may pick one team of the tenant; anyone else's teamId is ignored.
      const teamIds = actor.role === 'admin' && q.teamId !== undefined ? [resolveTeam(actor, q.teamId)] : actor.teamIds;
      const where: WhereOptions[] = [{ teamId: teamIds }];
      const scope = actor.role === 'rep' && actor.teamId !== null ? await visibility.scopeFor(actor, actor.teamId) : null;
      if (scope !== null) where.push({ [Op.or]: [{ assigneeId: scope }, { createdById: scope }] });
      if (q.status) where.push({ status: q.status });
      if (q.assigneeId) where.push({ assigneeId: q.assigneeId });
      if (q.customerId) where.push({ customerId: q.customerId });
      if (q.view !== 'all') where.push(await views.where(actor.tenantId, q.view, q.days));
      const rows = await Task.findAll({
        where: { [Op.and]: where },
        order: [
          [db.sequelize.literal('due_at IS NULL'), 'ASC'],
          ['dueAt', 'ASC'],
          ['id', 'ASC'],
        ],
        limit: q.limit,
      });
      return rows.map((t) => t.toDto());
    },

    async get(actor: Actor, id: number): Promise<Task> {
      return (await loadFor(actor, id)).toDto();
    },

    /**
     * A task written inside another domain's transaction (a follow-up's task): this module stays
     * the only writer of tasks, and the caller's mutation publishes the one fact.
     */
    async createWithin(tx: Transaction, { customerName, ...draft }: FollowUpTaskDraft): Promise<Task> {
      const row = await Task.create(
        {
          ...draft,
          ...followUpTitle(customerName),
          type: 'follow-up',
          priority: 'medium',
        },
        { transaction: tx },
      );
      return row.toDto();
    },

    /**
     * Every open task assigned to the leaver in the team passes to `to`, inside the caller's
     * transaction: one `task:assigned` each, also to the new assignee's own room.
     */
    async handOverWithin(tx: Transaction, { teamId, from, to }: Handover): Promise<AnyTeamFact[]> {
      const [, rows] = await Task.update(
        { assigneeId: to, version: db.sequelize.literal('version + 1') },
        { where: { teamId, assigneeId: from, status: { [Op.ne]: 'completed' } }, returning: true, transaction: tx },
      );
      return rows
        .sort((a, b) => a.id - b.id)
        .map((row) => ({
          teamId,
          type: 'task:assigned' as const,
          data: { task: row.toDto(), previousAssigneeId: from },
          alsoToUsers: [to],
        }));
    },

    /** Reps create for themselves; managers and admins may name an assignee of the task's team. */
    async create(actor: Actor, input: TaskCreateInput, idem?: IdempotencyRef): Promise<TaskMutationResponse> {
      return mutate(actor, idem, async (tx) => {
        const teamId = await teamOfNew(actor, input, tx);
        const assigneeId = input.assigneeId === undefined ? (actor.teamId === teamId ? actor.userId : null) : input.assigneeId;
        if (assigneeId !== null && assigneeId !== actor.userId) {
          if (actor.role === 'rep') throw forbidden('Only a manager can assign a task to someone else');
          await assertMember(actor, teamId, assigneeId, tx);
        }
        const row = await Task.create(
          {
            tenantId: actor.tenantId,
            teamId,
            customerId: input.customerId ?? null,
            title: input.title,
            description: input.description ?? null,
            type: input.type ?? 'other',
            priority: input.priority ?? 'medium',
            dueAt: input.dueAt ?? null,
            remindAt: input.remindAt ?? null,
            assigneeId,
            createdById: actor.userId,
          },
          { transaction: tx },
        );
        const task = row.toDto();
        const forOther = assigneeId !== null && assigneeId !== actor.userId;
        return {
          result: { success: true as const, task },
          fact: { teamId, type: 'task:created', data: { task }, ...(forOther ? { alsoToUsers: [assigneeId] } : {}) },
          notices: forOther ? await notifications.store(tx, [assignedDraft(actor, task)]) : [],
        };
      });
    },

    /** Edits with `version`; completing stamps `completedAt`, reopening clears it; a new `remindAt` re-arms the reminder. */
    async update(actor: Actor, id: number, patch: TaskUpdateInput, idem?: IdempotencyRef): Promise<TaskMutationResponse> {
      const { version, assigneeId, ...fields } = patch;
      return mutate(actor, idem, async (tx) => {
        const task = await loadFor(actor, id, tx);
        if (assigneeId !== undefined && assigneeId !== task.assigneeId) {
          throw invalid('assigneeId', 'Reassign with PUT /api/crm/tasks/:id/assign');
        }
        if (fields.customerId && (await customerFor(actor, fields.customerId, tx)).teamId !== task.teamId) {
          throw invalid('customerId', 'The customer belongs to another team');
        }
        const changes: Partial<TaskModel> = { ...fields, version: task.version + 1 };
        // A title typed over the server-written one is shown as typed from now on.
        if (fields.title !== undefined && fields.title !== task.title) Object.assign(changes, { titleKey: null, titleParams: null });
        if (fields.status !== undefined) changes.completedAt = fields.status === 'completed' ? (task.completedAt ?? new Date()) : null;
        if (fields.remindAt !== undefined && fields.remindAt?.getTime() !== task.remindAt?.getTime()) changes.remindedAt = null;
        const [count] = await Task.update(changes, { where: { id, version }, transaction: tx });
        if (count === 0) return stale(id, tx);
        const fresh = (await Task.findByPk(id, { transaction: tx }))!.toDto();
        return {
          result: { success: true as const, task: fresh },
          fact: { teamId: task.teamId, type: 'task:updated', data: { task: fresh } },
        };
      });
    },

    /**
     * Managers reassign within their team, admins within their tenant; the new assignee hears it on
     * `user:<id>` too and gets a stored notification. Reassigning to the same person changes nothing.
     */
    async assign(actor: Actor, id: number, assigneeId: number, idem?: IdempotencyRef): Promise<TaskMutationResponse> {
      assertManager(actor);
      return mutate(actor, idem, async (tx) => {
        const task = await loadFor(actor, id, tx, true);
        await assertMember(actor, task.teamId, assigneeId, tx);
        const previousAssigneeId = task.assigneeId;
        if (previousAssigneeId === assigneeId) return { result: { success: true as const, task: task.toDto() }, fact: null };
        await task.update({ assigneeId, version: task.version + 1 }, { transaction: tx });
        const dto = task.toDto();
        return {
          result: { success: true as const, task: dto },
          fact: { teamId: task.teamId, type: 'task:assigned', data: { task: dto, previousAssigneeId }, alsoToUsers: [assigneeId] },
          notices: await notifications.store(tx, [assignedDraft(actor, dto)]),
        };
      });
    },
  };
}

export type TasksService = ReturnType<typeof createTasksService>;
