import type { Id, Stage } from '@live-crm/shared-types';
import { stageLabel, t } from '../../i18n/index';
import { isApiError } from '../../services/api';
import { listCustomers } from '../../services/customers';
import { conflictOpportunity, createOpportunity, getOpportunity, getStages, saveOpportunity } from '../../services/pipeline';
import { lastActorOf, nameOf } from '../../services/team';
import { formatDate, groupYuanInput, todayInShanghai } from '../../utils/format';
import { errorText, numberParam, pageState } from '../../utils/page';
import { emptyValues, serverFieldErrors, toInput, toPatch, validate, valuesFrom } from './form';
import type { Field, FieldErrors, FormValues } from './form';
import { pageKit } from '../../behaviors/page-kit';

type Choice = { id: Id; label: string };
interface State {
  id: Id | null;
  version: number;
  stages: Stage[];
  customers: Choice[];
  sheetKind: 'customer' | 'stage' | null;
}
const stateOf = pageState<State>(() => ({ id: null, version: 0, stages: [], customers: [], sheetKind: null }));

function texts() {
  return {
    title: t('form.titleLabel'),
    titlePlaceholder: t('form.titlePlaceholder'),
    customer: t('form.customerLabel'),
    customerPlaceholder: t('form.customerPlaceholder'),
    value: t('form.valueLabel'),
    valuePlaceholder: t('form.valuePlaceholder'),
    stage: t('form.stageLabel'),
    closeDate: t('form.closeDateLabel'),
    closeDatePlaceholder: t('form.closeDatePlaceholder'),
    save: t('common.save'),
    saving: t('common.saving'),
    cancel: t('common.cancel'),
    confirm: t('common.confirm'),
    loading: t('common.loading'),
    retry: t('common.retry'),
  };
}

type ValueEvent = WechatMiniprogram.CustomEvent<{ value: string }>;

/** The date picker's range: deals closed years ago stay editable, and plans reach ten years out. */
function dateRange(today: string): { start: string; end: string } {
  const year = Number(today.slice(0, 4));
  return { start: `${year - 5}-01-01`, end: `${year + 10}-12-31` };
}

Component({
  behaviors: [pageKit],
  data: {
    text: texts(),
    creating: true,
    loading: true,
    error: '',
    saving: false,
    notice: '',
    values: emptyValues() as FormValues,
    stageName: '',
    /** the expected close date as people read it ("2025年9月30日"); '' when none is set */
    dateLabel: '',
    datePicker: { visible: false, value: '', start: '', end: '' },
    errors: {} as FieldErrors,
    sheet: { visible: false, items: [] as string[] },
  },

  methods: {
    onLoad(query: Record<string, string | undefined>) {
      if (!this.signedIn()) return;
      const state = stateOf(this);
      state.id = numberParam(query.id);
      const creating = state.id === null;
      wx.setNavigationBarTitle({ title: t(creating ? 'form.createTitle' : 'form.editTitle') });
      this.setData({ creating });
      void this.load(numberParam(query.customerId), query.customerName ?? '');
    },

    async load(customerId: Id | null = null, customerName = '') {
      const state = stateOf(this);
      try {
        state.stages = await getStages();
        if (state.id !== null) {
          const opp = await getOpportunity(state.id);
          state.version = opp.version;
          this.fill(valuesFrom(opp));
        } else {
          this.fill({ ...emptyValues(), customerId, customerName, stageId: state.stages[0]?.id ?? null });
        }
        this.setData({ loading: false, error: '' });
      } catch (err) {
        this.setData({ loading: false, error: errorText(err) });
      }
    },

    fill(values: FormValues) {
      const stage = stateOf(this).stages.find((s) => s.id === values.stageId);
      this.setData({ values, stageName: stage ? stageLabel(stage) : '', dateLabel: formatDate(values.closeDate), errors: {} });
    },

    onInput(e: WechatMiniprogram.CustomEvent<{ value: string }, Record<string, never>, { field?: Field }>) {
      const field = e.currentTarget.dataset.field;
      if (field !== 'title' && field !== 'value') return;
      this.setData({ [`values.${field}`]: e.detail.value, [`errors.${field}`]: '' });
    },

    /** Thousands separators once the amount is typed; plain digits again while editing it. */
    onValueBlur(e: ValueEvent) {
      this.setData({ 'values.value': groupYuanInput(e.detail.value ?? this.data.values.value) });
    },

    onValueFocus() {
      this.setData({ 'values.value': this.data.values.value.replace(/,/g, '') });
    },

    onPickDate() {
      const today = todayInShanghai();
      this.setData({ datePicker: { visible: true, value: this.data.values.closeDate || today, ...dateRange(today) } });
    },

    onDateConfirm(e: ValueEvent) {
      const date = String(e.detail.value).slice(0, 10);
      this.setData({ 'datePicker.visible': false, 'values.closeDate': date, dateLabel: formatDate(date), 'errors.closeDate': '' });
    },

    onClearDate() {
      this.setData({ 'values.closeDate': '', dateLabel: '', 'errors.closeDate': '' });
    },

    async onPickCustomer() {
      // An existing deal keeps its customer.
      if (!this.data.creating) return;
      const state = stateOf(this);
      try {
        const { customers } = await listCustomers({ limit: 50, sortBy: 'lastContact' });
        state.customers = customers.map((c) => ({ id: c.id, label: c.company ? `${c.name} · ${c.company}` : c.name }));
        this.openSheet(
          'customer',
          state.customers.map((c) => c.label),
        );
      } catch (err) {
        this.setData({ 'errors.customer': errorText(err) });
      }
    },

    onPickStage() {
      this.openSheet(
        'stage',
        stateOf(this).stages.map((s) => stageLabel(s)),
      );
    },

    openSheet(kind: 'customer' | 'stage', items: string[]) {
      stateOf(this).sheetKind = kind;
      this.setData({ sheet: { visible: true, items } });
    },

    onSheetSelected(e: WechatMiniprogram.CustomEvent<{ index: number }>) {
      const state = stateOf(this);
      this.onSheetClose();
      if (state.sheetKind === 'customer') {
        const c = state.customers[e.detail.index];
        if (c) this.setData({ 'values.customerId': c.id, 'values.customerName': c.label, 'errors.customer': '' });
      } else if (state.sheetKind === 'stage') {
        const s = state.stages[e.detail.index];
        if (s) this.setData({ 'values.stageId': s.id, stageName: stageLabel(s) });
      }
    },

    async onSubmit() {
      if (this.data.saving) return;
      const state = stateOf(this);
      const values = this.data.values;
      const errors = validate(values, state.id === null);
      this.setData({ errors, notice: '' });
      if (Object.keys(errors).length) return;
      this.setData({ saving: true });
      try {
        if (state.id === null) await this.create(values);
        else await this.update(state.id, values);
      } catch (err) {
        await this.failed(err, values);
      } finally {
        this.setData({ saving: false });
      }
    },

    async create(values: FormValues) {
      const opp = await createOpportunity(toInput(values));
      this.toast(t('form.created'), 'success');
      wx.redirectTo({ url: `/pages/opportunity-detail/index?id=${opp.id}` });
    },

    /** Offline the edit waits in the queue (the server checks its version when it gets there). */
    async update(id: Id, values: FormValues) {
      const res = await saveOpportunity(id, toPatch(values, stateOf(this).version), values.title.trim());
      if (res.queued) this.toast(t('offline.queued'));
      else {
        stateOf(this).version = res.value.version;
        this.toast(t('form.saved'), 'success');
      }
      wx.navigateBack({ delta: 1 });
    },

    /** 409: load the fresh record and say who changed it; 400: the server's fields inline. */
    async failed(err: unknown, values: FormValues) {
      const current = isApiError(err) ? conflictOpportunity(err) : null;
      if (current) {
        stateOf(this).version = current.version;
        this.fill(valuesFrom(current));
        const name = await nameOf(await lastActorOf(current.id), t('common.someone'));
        this.setData({ notice: t('form.conflict', { name }) });
        return;
      }
      if (isApiError(err) && err.code === 'validation') {
        const errors = serverFieldErrors(err.details, values, stateOf(this).id === null);
        if (Object.keys(errors).length) {
          this.setData({ errors });
          return;
        }
      }
      this.toast(errorText(err), 'error');
    },
  },
});
