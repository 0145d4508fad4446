import type { Customer, CustomerStatus, Id } from '@live-crm/shared-types';
import { t } from '../../i18n/index';
import type { MessageKey } from '../../i18n/index';
import { isApiError } from '../../services/api';
import type { ApiError } from '../../services/api';
import { conflictCustomer, createCustomer, duplicateOf, getCustomer, lastCustomerActorOf, updateCustomer } from '../../services/customers';
import { nameOf } from '../../services/team';
import { errorText, numberParam, pageState } from '../../utils/page';
import { emptyValues, serverFieldErrors, TEXT_FIELDS, toInput, toPatch, validate, valuesFrom } from './form';
import type { Field, FieldErrors, FormValues } from './form';
import { pageKit } from '../../behaviors/page-kit';

const STATUSES: CustomerStatus[] = ['lead', 'prospect', 'active', 'inactive'];
const statusLabel = (s: CustomerStatus): string => t(`status.${s}` as MessageKey);

interface State {
  id: Id | null;
  version: number;
  duplicateId: Id | null;
}
const stateOf = pageState<State>(() => ({ id: null, version: 0, duplicateId: null }));

function texts() {
  const keys = [
    'name',
    'namePlaceholder',
    'company',
    'companyPlaceholder',
    'phone',
    'phonePlaceholder',
    'email',
    'emailPlaceholder',
    'status',
    'address',
    'addressPlaceholder',
    'duplicateTitle',
    'duplicateOpen',
    'duplicateKeep',
  ] as const;
  const out = {} as Record<(typeof keys)[number], string>;
  for (const key of keys) out[key] = t(`customerForm.${key}`);
  return {
    ...out,
    save: t('common.save'),
    saving: t('common.saving'),
    cancel: t('common.cancel'),
    ok: t('common.confirm'),
    loading: t('common.loading'),
    retry: t('common.retry'),
  };
}

Component({
  behaviors: [pageKit],
  data: {
    text: texts(),
    creating: true,
    loading: false,
    error: '',
    saving: false,
    notice: '',
    values: emptyValues() as FormValues,
    statusText: statusLabel('lead'),
    errors: {} as FieldErrors,
    sheet: { visible: false, items: STATUSES.map((s) => ({ label: statusLabel(s) })) },
    dup: { visible: false, content: '', canOpen: false },
  },

  methods: {
    onLoad(query: Record<string, string | undefined>) {
      if (!this.signedIn()) return;
      const state = stateOf(this);
      state.id = numberParam(query.id);
      const creating = state.id === null;
      wx.setNavigationBarTitle({ title: t(creating ? 'customerForm.createTitle' : 'customerForm.editTitle') });
      this.setData({ creating, loading: !creating });
      if (!creating) void this.load();
    },

    async load() {
      const state = stateOf(this);
      if (state.id === null) return;
      try {
        const customer = await getCustomer(state.id);
        this.fill(customer);
        this.setData({ loading: false, error: '' });
      } catch (err) {
        this.setData({ loading: false, error: errorText(err) });
      }
    },

    fill(c: Customer) {
      stateOf(this).version = c.version;
      this.setData({ values: valuesFrom(c), statusText: statusLabel(c.status), errors: {} });
    },

    onInput(e: WechatMiniprogram.CustomEvent<{ value: string }, Record<string, never>, { field?: Field }>) {
      const field = e.currentTarget.dataset.field;
      if (!field || !TEXT_FIELDS.includes(field)) return;
      this.setData({ [`values.${field}`]: e.detail.value, [`errors.${field}`]: '' });
    },

    onPickStatus() {
      this.setData({ 'sheet.visible': true });
    },

    onSheetSelected(e: WechatMiniprogram.CustomEvent<{ index: number }>) {
      this.onSheetClose();
      const status = STATUSES[e.detail.index];
      if (status) this.setData({ 'values.status': status, statusText: statusLabel(status) });
    },

    async onSubmit() {
      if (this.data.saving) return;
      const state = stateOf(this);
      const values = this.data.values;
      const errors = validate(values);
      this.setData({ errors, notice: '' });
      if (Object.keys(errors).length) return;
      this.setData({ saving: true });
      try {
        if (state.id === null) {
          const customer = await createCustomer(toInput(values));
          this.toast(t('customerForm.created'), 'success');
          wx.redirectTo({ url: `/pages/customer-detail/index?id=${customer.id}` });
        } else {
          this.fill(await updateCustomer(state.id, toPatch(values, state.version)));
          this.toast(t('customerForm.saved'), 'success');
          wx.navigateBack({ delta: 1 });
        }
      } catch (err) {
        await this.failed(err, values);
      } finally {
        this.setData({ saving: false });
      }
    },

    /** 409 duplicate: offer the existing customer; 409 conflict: the fresh record; 400: fields inline. */
    async failed(err: unknown, values: FormValues) {
      if (!isApiError(err)) {
        this.toast(errorText(err), 'error');
        return;
      }
      if (this.offerDuplicate(err, values)) return;
      const current = conflictCustomer(err);
      if (current) {
        this.fill(current);
        const name = await nameOf(await lastCustomerActorOf(current.id), t('common.someone'));
        this.setData({ notice: t('customerForm.conflict', { name }) });
        return;
      }
      if (err.code === 'validation') {
        const errors = serverFieldErrors(err.details, values);
        if (Object.keys(errors).length) {
          this.setData({ errors });
          return;
        }
      }
      this.toast(errorText(err), 'error');
    },

    offerDuplicate(err: ApiError, values: FormValues): boolean {
      const dup = duplicateOf(err);
      if (!dup) return false;
      const errors = serverFieldErrors(err.details, values, t('customerForm.duplicateField'));
      const field = t(errors.email && !errors.phone ? 'customerForm.fieldEmail' : 'customerForm.fieldPhone');
      stateOf(this).duplicateId = dup.customer ? dup.id : null;
      const content = dup.customer
        ? t('customerForm.duplicateBody', {
            name: dup.customer.company ? `${dup.customer.name}（${dup.customer.company}）` : dup.customer.name,
            field,
          })
        : t('customerForm.duplicateOther', { field });
      this.setData({ errors, dup: { visible: true, content, canOpen: Boolean(dup.customer) } });
      return true;
    },

    onDuplicateOpen() {
      const id = stateOf(this).duplicateId;
      this.setData({ 'dup.visible': false });
      if (id !== null) wx.redirectTo({ url: `/pages/customer-detail/index?id=${id}` });
    },
  },
});
