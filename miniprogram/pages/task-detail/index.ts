import type { Id, Task, TaskStatus, TeamEventEnvelope, TeamMember } from '@live-crm/shared-types';
import { keepLive, livePage, reloadOnReset } from '../../behaviors/live-page';
import { t } from '../../i18n/index';
import { isApiError } from '../../services/api';
import { customerName } from '../../services/customer-names';
import { askReminderConsent, reminderTemplateId } from '../../services/notifications';
import { realtime } from '../../services/realtime';
import { assignTask, conflictTask, getTask, setTaskStatus } from '../../services/tasks';
import { lastTaskActorOf, teamMembers } from '../../services/team';
import { customerLink, openLink, pathOf } from '../../utils/links';
import { errorText, isMissing, numberParam, pageState } from '../../utils/page';
import { formatDue } from '../../utils/when';
import { isLate } from '../tasks/task-row';
import { taskTitle } from '../../utils/server-text';
import { pageKit } from '../../behaviors/page-kit';

interface State {
  id: Id | null;
  task: Task | null;
  me: Id;
  members: TeamMember[];
  templateId: string | null;
}
const stateOf = pageState<State>(() => ({ id: null, task: null, me: 0, members: [], templateId: null }));
const LIVE_EVENTS = ['task:updated', 'task:assigned'] as const;
const statusThemes: Record<TaskStatus, string> = { pending: 'primary', in_progress: 'warning', completed: 'success' };

function texts() {
  return {
    status: t('taskDetail.status'),
    type: t('taskDetail.type'),
    due: t('taskDetail.due'),
    remind: t('taskDetail.remind'),
    customer: t('taskDetail.customer'),
    assignee: t('taskDetail.assignee'),
    description: t('taskDetail.description'),
    complete: t('tasks.complete'),
    reopen: t('tasks.reopen'),
    assign: t('tasks.assign'),
    edit: t('common.edit'),
    loading: t('common.loading'),
    retry: t('common.retry'),
    cancel: t('common.cancel'),
    accept: t('task.acceptReminder'),
  };
}

Component({
  behaviors: [pageKit, livePage],
  data: {
    text: texts(),
    loading: true,
    error: '',
    /** deleted or not ours: the one not-found screen, no retry */
    missing: false,
    manager: false,
    busy: false,
    notice: '',
    view: null as null | Record<string, string | boolean>,
    sheet: { visible: false, title: '', items: [] as Array<{ label: string; disabled: boolean }> },
  },

  methods: {
    onLoad(query: Record<string, string | undefined>) {
      const session = this.signedIn(pathOf('/pages/task-detail/index', query));
      if (!session) return;
      wx.setNavigationBarTitle({ title: t('taskDetail.title') });
      const state = stateOf(this);
      state.id = numberParam(query.id);
      state.me = session.user.id;
      this.setData({ manager: session.user.role !== 'rep' });
      // Known before the accept tap: WeChat only shows the consent dialog when asked straight from a tap.
      void reminderTemplateId().then((id) => {
        state.templateId = id;
      });
      for (const type of LIVE_EVENTS)
        keepLive(
          this,
          realtime.on(type, (env) => this.onLive(env)),
        );
      reloadOnReset(this);
      realtime.start();
      void this.load();
    },

    async load() {
      const state = stateOf(this);
      if (state.id === null) {
        this.setData({ loading: false, missing: true });
        return;
      }
      try {
        const [task, members] = await Promise.all([getTask(state.id), teamMembers().catch(() => state.members)]);
        state.members = members;
        await this.show(task);
        this.setData({ loading: false, error: '' });
      } catch (err) {
        if (state.task) this.toast(errorText(err), 'error');
        else this.setData({ loading: false, error: errorText(err), missing: isMissing(err) });
      }
    },

    /** The task as the page shows it; only newer versions replace what is shown. */
    async show(task: Task) {
      const state = stateOf(this);
      state.task = task;
      const now = Date.now();
      const customer = task.customerId === null ? '' : ((await customerName(task.customerId)) ?? '');
      if (state.task !== task) return; // a newer version arrived meanwhile
      this.setData({
        view: {
          title: taskTitle(task),
          status: t(`taskStatus.${task.status}` as const),
          statusTheme: statusThemes[task.status],
          type: t(`taskType.${task.type}` as const),
          priority: t(`taskPriority.${task.priority}` as const),
          priorityTheme: task.priority === 'high' ? 'danger' : task.priority === 'medium' ? 'warning' : 'default',
          due: task.dueAt ? formatDue(task.dueAt, now) : t('tasks.noDue'),
          late: isLate(task, now),
          remind: task.remindAt ? formatDue(task.remindAt, now) : t('remind.none'),
          customer,
          assignee: this.memberName(task.assigneeId, t('common.unassigned')),
          description: task.description ?? '',
          done: task.status === 'completed',
          // Someone else gave it to me and I have not taken it up yet.
          acceptable: task.status === 'pending' && task.assigneeId === state.me && task.createdById !== state.me,
          completedAt: task.completedAt ? t('taskDetail.completedAt', { time: formatDue(task.completedAt, now) }) : '',
        },
      });
    },

    memberName(id: Id | null, fallback: string): string {
      return stateOf(this).members.find((m) => m.id === id)?.name ?? fallback;
    },

    onLive(env: TeamEventEnvelope<(typeof LIVE_EVENTS)[number]>) {
      const state = stateOf(this);
      const task = env.data.task;
      if (task.id !== state.id || (state.task && task.version <= state.task.version)) return;
      void this.show(task);
      if (env.actorId !== state.me)
        this.setData({ notice: t('taskDetail.changedLive', { name: this.memberName(env.actorId, t('common.someone')) }) });
    },

    onCustomerTap() {
      const task = stateOf(this).task;
      if (task?.customerId) openLink(customerLink(task.customerId));
    },

    onEdit() {
      const id = stateOf(this).id;
      if (id !== null) wx.navigateTo({ url: `/pages/task-form/index?id=${id}` });
    },

    /**
     * Taking up an assigned task (in progress) is where its reminder becomes mine: ask for the WeChat
     * message inside the tap when the reminder is still ahead.
     */
    onAccept() {
      const state = stateOf(this);
      const task = state.task;
      if (!task || this.data.busy) return;
      const ahead = task.remindAt !== null && Date.parse(task.remindAt) > Date.now();
      const consent = ahead && state.templateId ? askReminderConsent(state.templateId) : Promise.resolve(false);
      void this.setStatus(task, 'in_progress', consent);
    },

    async setStatus(task: Task, status: TaskStatus, consent: Promise<boolean>) {
      this.setData({ busy: true });
      try {
        const saved = await setTaskStatus(task, status);
        await this.show(saved);
        this.toast((await consent) ? t('taskForm.wechatReminder') : t(`taskStatus.${status}` as const), 'success');
      } catch (err) {
        this.toast(errorText(err), 'error');
      } finally {
        this.setData({ busy: false });
      }
    },

    async onToggle() {
      const task = stateOf(this).task;
      if (!task || this.data.busy) return;
      this.setData({ busy: true });
      const status: TaskStatus = task.status === 'completed' ? 'pending' : 'completed';
      try {
        const saved = await setTaskStatus(task, status);
        await this.show(saved);
        this.toast(t(status === 'completed' ? 'tasks.completed' : 'tasks.reopened', { title: taskTitle(saved) }), 'success');
      } catch (err) {
        const current = isApiError(err) ? conflictTask(err) : null;
        if (!current) {
          this.toast(errorText(err), 'error');
          return;
        }
        await this.show(current);
        const name = this.memberName(await lastTaskActorOf(current.id), t('common.someone'));
        this.toast(t('tasks.conflict', { name, title: taskTitle(current) }), 'warning');
      } finally {
        this.setData({ busy: false });
      }
    },

    onAssign() {
      const state = stateOf(this);
      if (!state.task) return;
      const items = state.members.map((m) => ({ label: m.name, disabled: m.id === state.task?.assigneeId }));
      this.setData({ sheet: { visible: true, title: t('tasks.assignTitle', { title: taskTitle(state.task) }), items } });
    },

    async onSheetSelected(e: WechatMiniprogram.CustomEvent<{ index: number }>) {
      const state = stateOf(this);
      const member = state.members[e.detail.index];
      this.onSheetClose();
      if (!member || !state.task) return;
      try {
        await this.show(await assignTask(state.task.id, member.id));
        this.toast(t('tasks.assigned', { name: member.name }), 'success');
      } catch (err) {
        this.toast(errorText(err), 'error');
      }
    },
  },
});
