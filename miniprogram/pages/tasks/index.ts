import type { AnyTeamEvent, Id, Task, TaskStatus, TeamEventEnvelope, TeamMember } from '@live-crm/shared-types';
import { keepLive, livePage, reloadOnReset, pullToRefresh } from '../../behaviors/live-page';
import { t } from '../../i18n/index';
import { isApiError } from '../../services/api';
import { customerNames, knownCustomerName } from '../../services/customer-names';
import { showTabBadge, startNotifications } from '../../services/notifications';
import { realtime } from '../../services/realtime';
import { onTaskSync, saveTaskStatus } from '../../services/offline-saves';
import type { TaskSync } from '../../services/offline-saves';
import { assignTask, conflictTask, listTasks } from '../../services/tasks';
import { lastTaskActorOf, teamMembers } from '../../services/team';
import { errorText, idFrom, pageState } from '../../utils/page';
import type { TapEvent } from '../../utils/page';
import { taskLink } from '../../utils/links';
import { localizeTabBar } from '../../utils/tab-bar';
import { TaskLists } from './task-lists';
import type { ListData, Patch, Scope } from './task-lists';
import { UPCOMING_DAYS, VIEWS } from './task-row';
import type { ViewKey } from './task-row';
import { taskTitle } from '../../utils/server-text';
import { pageKit } from '../../behaviors/page-kit';

/** Per page instance, outside `data`: never sent to the view. */
interface State {
  lists: TaskLists | null;
  me: Id;
  teamId: Id | null;
  members: TeamMember[];
  /** who last changed each task, from live envelopes (a 409 toast names them) */
  changedBy: Map<Id, Id>;
  /** live changes seen while a load is in flight: its answer may predate them */
  duringLoad: Task[] | null;
  sheetTaskId: Id | null;
}

const LIVE_EVENTS = ['task:created', 'task:updated', 'task:assigned'] as const;
type LiveEnvelope = Extract<AnyTeamEvent, { type: (typeof LIVE_EVENTS)[number] }>;

const stateOf = pageState<State>(() => ({
  lists: null,
  me: 0,
  teamId: null,
  members: [],
  changedBy: new Map(),
  duringLoad: null,
  sheetTaskId: null,
}));

function texts() {
  return {
    today: t('tasks.today'),
    overdue: t('tasks.overdue'),
    upcoming: t('tasks.upcoming'),
    mine: t('tasks.mine'),
    team: t('tasks.team'),
    newTask: t('tasks.new'),
    emptyToday: t('tasks.emptyToday'),
    emptyOverdue: t('tasks.emptyOverdue'),
    emptyUpcoming: t('tasks.emptyUpcoming'),
    retry: t('common.retry'),
    loading: t('common.loading'),
    cancel: t('common.cancel'),
    complete: t('tasks.complete'),
    reopen: t('tasks.reopen'),
    assign: t('tasks.assign'),
  };
}

const emptyList = (): ListData => ({ items: [], count: 0, shown: 0 });

Component({
  behaviors: [pageKit, livePage, pullToRefresh],
  data: {
    text: texts(),
    loading: true,
    error: '',
    view: 'today' as ViewKey,
    scope: 'mine' as 'mine' | 'team',
    manager: false,
    lists: { today: emptyList(), overdue: emptyList(), upcoming: emptyList() } as Record<ViewKey, ListData>,
    sheet: { visible: false, title: '', items: [] as Array<{ label: string; disabled: boolean }> },
  },

  methods: {
    onLoad() {
      const session = this.signedIn();
      if (!session) return;
      wx.setNavigationBarTitle({ title: t('tasks.title') });
      const state = stateOf(this);
      state.me = session.user.id;
      state.teamId = session.user.teamId;
      this.setData({ manager: session.user.role !== 'rep' });
      startNotifications();
      for (const type of LIVE_EVENTS)
        keepLive(
          this,
          realtime.on(type, (env) => this.onLive(env as LiveEnvelope)),
        );
      // A record's next step is a task that rides in the record's own envelope.
      keepLive(
        this,
        realtime.on('activity:created', (env) => {
          const task = env.data.task;
          if (task) this.onLive({ ...env, type: 'task:created', data: { task } });
        }),
      );
      reloadOnReset(this);
      keepLive(
        this,
        onTaskSync((sync) => this.onTaskSync(sync)),
      );
      realtime.start();
      void this.load();
    },

    onShow() {
      showTabBadge();
      localizeTabBar();
    },

    scope(): Scope {
      const state = stateOf(this);
      return { teamId: state.teamId, assigneeId: this.data.scope === 'mine' ? state.me : null };
    },

    async load() {
      const state = stateOf(this);
      const scope = this.scope();
      if (!state.lists) this.setData({ loading: true });
      state.duringLoad = [];
      try {
        const filter = { days: UPCOMING_DAYS, ...(scope.assigneeId ? { assigneeId: scope.assigneeId } : {}) };
        const [loaded, members] = await Promise.all([
          Promise.all(VIEWS.map((view) => listTasks(view, filter))),
          teamMembers().catch(() => state.members),
        ]);
        state.members = members;
        const lists = new TaskLists(scope, this.rowNames(), Date.now, {
          today: loaded[0] ?? [],
          overdue: loaded[1] ?? [],
          upcoming: loaded[2] ?? [],
        });
        // Replayed by version: a change newer than the answer wins, an older one is ignored.
        for (const task of state.duringLoad ?? []) lists.apply(task);
        state.lists = lists;
        this.setData({ loading: false, error: '', lists: lists.lists() });
        void this.fillCustomers(lists.customerIds());
      } catch (err) {
        // Keep showing what we had; only an empty page turns into the error state.
        if (state.lists) this.toast(errorText(err), 'error');
        else this.setData({ loading: false, error: errorText(err) });
      } finally {
        state.duringLoad = null;
      }
    },

    /** Rows name their assignee only when the page shows the whole team. */
    rowNames() {
      const teamScope = this.data.scope === 'team';
      return {
        customer: (id: Id | null) => knownCustomerName(id),
        assignee: (id: Id | null) => (teamScope ? this.memberName(id, t('common.unassigned')) : ''),
      };
    },

    memberName(id: Id | null, fallback: string): string {
      return stateOf(this).members.find((m) => m.id === id)?.name ?? fallback;
    },

    /** Customer names arrive after the rows: one small patch per customer. */
    async fillCustomers(ids: Id[]) {
      const missing = ids.filter((id) => knownCustomerName(id) === undefined);
      if (missing.length === 0) return;
      const names = await customerNames(missing);
      const lists = stateOf(this).lists;
      if (!lists) return;
      names.forEach((name, id) => this.patch(lists.customerPatch(id, name)));
    },

    /** A teammate's (or a manager's) change: patch the one row that moved in, out or across lists. */
    onLive(env: LiveEnvelope) {
      const state = stateOf(this);
      const task = env.data.task;
      state.changedBy.set(task.id, env.actorId);
      state.duringLoad?.push(task);
      if (!state.lists) return;
      const before = state.lists.get(task.id);
      this.patch(state.lists.apply(task));
      if (env.type === 'task:assigned' && env.actorId !== state.me) this.sayReassigned(env, before);
      if (task.customerId !== null && knownCustomerName(task.customerId) === undefined) void this.fillCustomers([task.customerId]);
    },

    sayReassigned(env: TeamEventEnvelope<'task:assigned'>, before: Task | undefined) {
      const { me } = stateOf(this);
      const { task } = env.data;
      const actor = this.memberName(env.actorId, t('common.someone'));
      if (task.assigneeId === me) this.toast(t('tasks.arrived', { name: actor, title: taskTitle(task) }));
      else if (before && env.data.previousAssigneeId === me) {
        this.toast(t('tasks.left', { title: taskTitle(task), name: this.memberName(task.assigneeId, t('common.someone')) }));
      }
    },

    patch(patch: Patch | null) {
      if (patch && Object.keys(patch).length) this.setData(patch);
    },

    onTabChange(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ view: e.detail.value as ViewKey });
    },

    onScopeTap(e: WechatMiniprogram.BaseEvent<Record<string, never>, { scope?: 'mine' | 'team' }>) {
      const scope = e.currentTarget.dataset.scope;
      if (!scope || scope === this.data.scope) return;
      stateOf(this).lists = null;
      this.setData({ scope });
      void this.load();
    },

    onRowTap(e: TapEvent) {
      wx.navigateTo({ url: taskLink(idFrom(e)) });
    },

    onNewTask() {
      wx.navigateTo({ url: '/pages/task-form/index' });
    },

    /** The round check box or the swipe action: complete an open task, reopen a done one. */
    onToggle(e: TapEvent) {
      const task = stateOf(this).lists?.get(idFrom(e));
      if (task) void this.setStatus(task, task.status === 'completed' ? 'pending' : 'completed');
    },

    onSwipeAssign(e: TapEvent) {
      const task = stateOf(this).lists?.get(idFrom(e));
      if (task) this.openAssign(task);
    },

    /**
     * Optimistic: the row changes at once; the PUT carries `version`; a 409 rolls back to the server's record.
     * Offline the row stays pending in the queue; onTaskSync settles it when the server has it.
     */
    async setStatus(before: Task, status: TaskStatus) {
      const lists = stateOf(this).lists;
      if (!lists) return;
      const done = status === 'completed';
      const optimistic: Task = { ...before, status, completedAt: done ? new Date().toISOString() : null };
      this.patch(lists.apply(optimistic, true));
      this.patch(lists.pendingPatch(before.id, true));
      try {
        const res = await saveTaskStatus(before, status);
        if (res.queued) {
          this.toast(t('offline.queued'));
          return;
        }
        this.patch(lists.apply(res.value, true));
        this.toast(t(done ? 'tasks.completed' : 'tasks.reopened', { title: taskTitle(res.value) }), 'success');
      } catch (err) {
        await this.rollBack(before, err);
      }
    },

    /** A queued completion reached the server: show what it saved, or the server's record it refused for (the queue says why). */
    onTaskSync(sync: TaskSync) {
      const lists = stateOf(this).lists;
      if (!lists) return;
      if (sync.kind === 'applied') this.patch(lists.apply(sync.task, true));
      else if (sync.current) this.patch(lists.apply(sync.current, true));
      else void this.load();
    },

    async rollBack(before: Task, err: unknown) {
      const state = stateOf(this);
      const current = isApiError(err) ? conflictTask(err) : null;
      this.patch(state.lists?.apply(current ?? before, true) ?? null);
      if (!current) {
        this.toast(errorText(err), 'error');
        return;
      }
      // The live envelope may already have told us; otherwise the team feed does.
      const actor = state.changedBy.get(current.id) ?? (await lastTaskActorOf(current.id));
      this.toast(t('tasks.conflict', { name: this.memberName(actor, t('common.someone')), title: taskTitle(current) }), 'warning');
    },

    openAssign(task: Task) {
      const state = stateOf(this);
      state.sheetTaskId = task.id;
      const items = state.members.map((m) => ({ label: m.name, disabled: m.id === task.assigneeId }));
      this.setData({ sheet: { visible: true, title: t('tasks.assignTitle', { title: taskTitle(task) }), items } });
    },

    async onSheetSelected(e: WechatMiniprogram.CustomEvent<{ index: number }>) {
      const state = stateOf(this);
      const member = state.members[e.detail.index];
      const taskId = state.sheetTaskId;
      this.onSheetClose();
      if (!member || taskId === null) return;
      try {
        const saved = await assignTask(taskId, member.id);
        this.patch(state.lists?.apply(saved) ?? null);
        this.toast(t('tasks.assigned', { name: member.name }), 'success');
      } catch (err) {
        this.toast(errorText(err), 'error');
      }
    },
  },
});
