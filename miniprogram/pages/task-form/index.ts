import type { Id, Task, TeamMember } from '@live-crm/shared-types';
import { t } from '../../i18n/index';
import { isApiError } from '../../services/api';
import { customerName } from '../../services/customer-names';
import { listCustomers } from '../../services/customers';
import { askReminderConsent, reminderTemplateId } from '../../services/notifications';
import { getSession } from '../../services/session';
import { assignTask, conflictTask, createTask, getTask, updateTask } from '../../services/tasks';
import { lastTaskActorOf, teamMembers } from '../../services/team';
import { errorText, numberParam, pageState } from '../../utils/page';
import { formatDue, isoToWallClock } from '../../utils/when';
import {
  dueIso,
  emptyValues,
  PRIORITIES,
  remindIso,
  remindLabel,
  REMIND_CHOICES,
  TASK_TYPES,
  toInput,
  toPatch,
  validate,
  valuesFrom,
} from './form';
import type { FieldErrors, TaskFormValues } from './form';
import { pageKit } from '../../behaviors/page-kit';

type SheetKind = 'type' | 'priority' | 'customer' | 'remind' | 'assignee';
type Choice = { id: Id | null; label: string };
interface State {
  id: Id | null;
  task: Task | null;
  members: TeamMember[];
  customers: Choice[];
  sheetKind: SheetKind | null;
  templateId: string | null;
}
const stateOf = pageState<State>(() => ({ id: null, task: null, members: [], customers: [], sheetKind: null, templateId: null }));

function texts() {
  return {
    title: t('taskForm.titleLabel'),
    titlePlaceholder: t('taskForm.titlePlaceholder'),
    type: t('taskForm.typeLabel'),
    priority: t('taskForm.priorityLabel'),
    customer: t('taskForm.customerLabel'),
    customerNone: t('taskForm.customerNone'),
    due: t('taskForm.dueLabel'),
    duePlaceholder: t('taskForm.duePlaceholder'),
    remind: t('taskForm.remindLabel'),
    assignee: t('taskForm.assigneeLabel'),
    description: t('taskForm.descriptionLabel'),
    descriptionPlaceholder: t('taskForm.descriptionPlaceholder'),
    save: t('common.save'),
    saving: t('common.saving'),
    cancel: t('common.cancel'),
    confirm: t('common.confirm'),
    loading: t('common.loading'),
    retry: t('common.retry'),
  };
}

/** Year-wide bounds for the date-time picker, as Shanghai wall clocks. */
function pickerRange(now: number): { start: string; end: string } {
  const year = 365 * 86_400_000;
  return { start: isoToWallClock(new Date(now - year).toISOString()), end: isoToWallClock(new Date(now + 2 * year).toISOString()) };
}

Component({
  behaviors: [pageKit],
  data: {
    text: texts(),
    creating: true,
    manager: false,
    loading: true,
    error: '',
    saving: false,
    notice: '',
    values: emptyValues(Date.now(), null) as TaskFormValues,
    labels: { type: '', priority: '', remind: '', due: '' },
    errors: {} as FieldErrors,
    picker: { visible: false, ...pickerRange(Date.now()) },
    sheet: { visible: false, items: [] as string[] },
  },

  methods: {
    onLoad(query: Record<string, string | undefined>) {
      const session = this.signedIn();
      if (!session) return;
      const state = stateOf(this);
      state.id = numberParam(query.id);
      const creating = state.id === null;
      wx.setNavigationBarTitle({ title: t(creating ? 'taskForm.createTitle' : 'taskForm.editTitle') });
      this.setData({ creating, manager: session.user.role !== 'rep' });
      // Known before the save tap: WeChat only shows the consent dialog when asked straight from a tap.
      void reminderTemplateId().then((id) => {
        state.templateId = id;
      });
      void this.load(numberParam(query.customerId), query.customerName ?? '');
    },

    async load(customerId: Id | null = null, customerLabel = '') {
      const state = stateOf(this);
      const me = getSession()?.user;
      try {
        state.members = await teamMembers().catch(() => []);
        if (state.id !== null) {
          const task = await getTask(state.id);
          state.task = task;
          const customer = task.customerId === null ? '' : ((await customerName(task.customerId)) ?? '');
          const assignee = state.members.find((m) => m.id === task.assigneeId)?.name ?? '';
          this.fill(valuesFrom(task, { customer, assignee }));
        } else {
          const self = me && me.teamId !== null ? { id: me.id, name: me.name } : null;
          this.fill({ ...emptyValues(Date.now(), self), customerId, customerName: customerLabel });
        }
        this.setData({ loading: false, error: '' });
      } catch (err) {
        this.setData({ loading: false, error: errorText(err) });
      }
    },

    fill(values: TaskFormValues) {
      this.setData({ values, errors: {}, labels: this.labelsFor(values) });
    },

    labelsFor(values: TaskFormValues) {
      const due = dueIso(values);
      return {
        type: t(`taskType.${values.type}` as const),
        priority: t(`taskPriority.${values.priority}` as const),
        remind: remindLabel(values),
        due: due ? formatDue(due) : '',
      };
    },

    onInput(e: WechatMiniprogram.CustomEvent<{ value: string }, Record<string, never>, { field?: string }>) {
      const field = e.currentTarget.dataset.field;
      if (field !== 'title' && field !== 'description') return;
      this.setData({ [`values.${field}`]: e.detail.value, [`errors.${field}`]: '' });
    },

    onPickDue() {
      this.setData({ 'picker.visible': true });
    },

    onDueConfirm(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      const values = { ...this.data.values, due: e.detail.value };
      this.setData({
        'picker.visible': false,
        'values.due': e.detail.value,
        'errors.due': '',
        'errors.remind': '',
        labels: this.labelsFor(values),
      });
    },

    onPickType() {
      this.openSheet(
        'type',
        TASK_TYPES.map((type) => t(`taskType.${type}` as const)),
      );
    },

    onPickPriority() {
      this.openSheet(
        'priority',
        PRIORITIES.map((p) => t(`taskPriority.${p}` as const)),
      );
    },

    onPickRemind() {
      this.openSheet(
        'remind',
        REMIND_CHOICES.map((key) => remindLabel({ ...this.data.values, remind: key })),
      );
    },

    onPickAssignee() {
      this.openSheet(
        'assignee',
        stateOf(this).members.map((m) => m.name),
      );
    },

    async onPickCustomer() {
      const state = stateOf(this);
      try {
        const { customers } = await listCustomers({ limit: 50, sortBy: 'lastContact' });
        state.customers = [
          { id: null, label: t('taskForm.customerNone') },
          ...customers.map((c) => ({ id: c.id, label: c.company ? `${c.name} · ${c.company}` : c.name })),
        ];
        this.openSheet(
          'customer',
          state.customers.map((c) => c.label),
        );
      } catch (err) {
        this.toast(errorText(err), 'error');
      }
    },

    openSheet(kind: SheetKind, items: string[]) {
      stateOf(this).sheetKind = kind;
      this.setData({ sheet: { visible: true, items } });
    },

    onSheetSelected(e: WechatMiniprogram.CustomEvent<{ index: number }>) {
      const state = stateOf(this);
      const i = e.detail.index;
      this.onSheetClose();
      const values = { ...this.data.values };
      if (state.sheetKind === 'type') values.type = TASK_TYPES[i] ?? values.type;
      else if (state.sheetKind === 'priority') values.priority = PRIORITIES[i] ?? values.priority;
      else if (state.sheetKind === 'remind') values.remind = REMIND_CHOICES[i] ?? values.remind;
      else if (state.sheetKind === 'customer') {
        const c = state.customers[i];
        if (c) Object.assign(values, { customerId: c.id, customerName: c.id === null ? '' : c.label });
      } else if (state.sheetKind === 'assignee') {
        const m = state.members[i];
        if (m) Object.assign(values, { assigneeId: m.id, assigneeName: m.name });
      }
      this.setData({ values, labels: this.labelsFor(values), 'errors.remind': '' });
    },

    onSubmit() {
      if (this.data.saving) return;
      const state = stateOf(this);
      const values = this.data.values;
      const errors = validate(values);
      this.setData({ errors, notice: '' });
      if (Object.keys(errors).length) return;
      // The natural moment to ask for a WeChat reminder: saving a task that has a (new) reminder.
      const reminder = remindIso(values);
      const asks = state.templateId !== null && reminder !== null && reminder !== state.task?.remindAt;
      const consent = asks && state.templateId ? askReminderConsent(state.templateId) : Promise.resolve(false);
      void this.save(values, consent);
    },

    async save(values: TaskFormValues, consent: Promise<boolean>) {
      const state = stateOf(this);
      this.setData({ saving: true });
      try {
        const saved = state.task ? await this.update(state.task, values) : await createTask(toInput(values));
        const editing = state.task !== null;
        state.task = saved;
        const subscribed = await consent;
        // A native toast outlives the page it was shown on.
        wx.showToast({
          title: subscribed ? t('taskForm.wechatReminder') : t(editing ? 'taskForm.saved' : 'taskForm.created'),
          icon: 'none',
        });
        wx.navigateBack({ delta: 1 });
      } catch (err) {
        await this.failed(err);
      } finally {
        this.setData({ saving: false });
      }
    },

    /** Fields with `version`, then (a manager's change of assignee) the reassignment. */
    async update(task: Task, values: TaskFormValues): Promise<Task> {
      const state = stateOf(this);
      let saved = await updateTask(task.id, toPatch(values, task));
      state.task = saved;
      if (values.assigneeId !== null && values.assigneeId !== task.assigneeId) saved = await assignTask(task.id, values.assigneeId);
      state.task = saved;
      return saved;
    },

    /** 409: load the fresh record and say so; anything else: a toast. */
    async failed(err: unknown) {
      const state = stateOf(this);
      const current = isApiError(err) ? conflictTask(err) : null;
      if (!current) {
        this.toast(errorText(err), 'error');
        return;
      }
      state.task = current;
      const nameOf = (id: Id | null) => state.members.find((m) => m.id === id)?.name;
      this.fill(valuesFrom(current, { customer: this.data.values.customerName, assignee: nameOf(current.assigneeId) ?? '' }));
      const actor = await lastTaskActorOf(current.id);
      this.setData({ notice: t('taskForm.conflict', { name: nameOf(actor) ?? t('common.someone') }) });
    },
  },
});
