import { showToast } from '../../behaviors/page-kit';
import { t } from '../../i18n/index';
import { scheduleFollowUp } from '../../services/communications';
import { askReminderConsent, reminderTemplateId } from '../../services/notifications';
import { formatDateTime } from '../../utils/format';
import { errorText } from '../../utils/page';
import { defaultFollowUp, pickerToIso, pickerValue } from './profile';

type ValueEvent = WechatMiniprogram.CustomEvent<{ value: string }>;

const labelOf = (value: string): string => formatDateTime(pickerToIso(value));

/**
 * "Schedule follow-up": a sheet with a date-time picker and notes. The server creates the
 * follow-up and a task due then, with a reminder 30 minutes before, in one go.
 */
export const followUpMethods = Behavior({
  data: {
    customerId: 0,
    followUp: {
      visible: false,
      picker: { visible: false },
      value: '',
      label: '',
      notes: '',
      saving: false,
      /** the reminder template, known before the submit tap (WeChat asks consent only straight from a tap) */
      templateId: '',
      start: '',
      error: '',
      title: t('followUp.title'),
      time: t('followUp.time'),
      notesLabel: t('followUp.notes'),
      placeholder: t('followUp.notesPlaceholder'),
      submit: t('followUp.submit'),
      confirm: t('common.confirm'),
      cancel: t('common.cancel'),
    },
  },

  methods: {
    onFollowUp() {
      const value = defaultFollowUp();
      this.setData({
        'followUp.visible': true,
        'followUp.value': value,
        'followUp.label': labelOf(value),
        'followUp.notes': '',
        'followUp.start': pickerValue(Date.now()),
        'followUp.error': '',
      });
      void reminderTemplateId().then((id) => this.setData({ 'followUp.templateId': id ?? '' }));
    },

    onPickTime() {
      this.setData({ 'followUp.picker.visible': true });
    },

    onPickerConfirm(e: ValueEvent) {
      this.setData({
        'followUp.picker.visible': false,
        'followUp.value': e.detail.value,
        'followUp.label': labelOf(e.detail.value),
        'followUp.error': '',
      });
    },

    onFollowUpNotes(e: ValueEvent) {
      this.setData({ 'followUp.notes': e.detail.value });
    },

    async onFollowUpSubmit() {
      const { followUp, customerId } = this.data;
      if (followUp.saving || !customerId) return;
      const scheduledDate = pickerToIso(followUp.value);
      if (!scheduledDate || Date.parse(scheduledDate) <= Date.now()) {
        this.setData({ 'followUp.error': t('followUp.pastTime') });
        return;
      }
      // The follow-up sets a reminder: ask for its WeChat message now, inside the tap.
      const consent = followUp.templateId ? askReminderConsent(followUp.templateId) : Promise.resolve(false);
      this.setData({ 'followUp.saving': true });
      try {
        await scheduleFollowUp({ customerId, scheduledDate, notes: followUp.notes.trim() || null });
        this.setData({ 'followUp.visible': false });
        showToast(this, (await consent) ? t('taskForm.wechatReminder') : t('followUp.created'), 'success');
      } catch (err) {
        this.setData({ 'followUp.error': errorText(err) });
      } finally {
        this.setData({ 'followUp.saving': false });
      }
    },
  },
});
