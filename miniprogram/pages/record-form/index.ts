import type { Contact, Id, LoggableActivityType, Opportunity, TeamMember } from '@live-crm/shared-types';
import { pageKit } from '../../behaviors/page-kit';
import { t } from '../../i18n/index';
import { customerName } from '../../services/customer-names';
import { askReminderConsent, reminderTemplateId } from '../../services/notifications';
import { getPipeline } from '../../services/pipeline';
import { chooseVisitPlace, choosePhotos, listContacts, MAX_PHOTOS, saveRecord } from '../../services/records';
import { teamMembers } from '../../services/team';
import { formatDateTime } from '../../utils/format';
import { errorText, numberParam, pageState } from '../../utils/page';
import { stampPhoto } from '../../utils/stamp';
import { defaultFollowUp, pickerToIso, pickerValue } from '../customer-detail/profile';
import { placeLabel, RECORD_TYPES, toRequest, typeChips, validateRecord } from './form';
import type { RecordErrors, RecordValues } from './form';

type SheetKind = 'contact' | 'deal' | 'mention';
interface State {
  contacts: Contact[];
  deals: Opportunity[];
  members: TeamMember[];
  sheetKind: SheetKind | null;
  templateId: string | null;
  myId: Id;
}
const stateOf = pageState<State>(() => ({ contacts: [], deals: [], members: [], sheetKind: null, templateId: null, myId: 0 }));

function texts() {
  return {
    type: t('record.type'),
    content: t('record.content'),
    placeholder: t('record.placeholder'),
    photos: t('record.photos'),
    contact: t('record.contact'),
    deal: t('record.deal'),
    none: t('record.none'),
    next: t('record.next'),
    nextNone: t('record.nextNone'),
    mentions: t('record.mentions'),
    addMention: t('record.addMention'),
    place: t('record.place'),
    checkIn: t('record.checkIn'),
    save: t('common.save'),
    saving: t('common.saving'),
    cancel: t('common.cancel'),
    confirm: t('common.confirm'),
    loading: t('common.loading'),
  };
}

const isType = (v: string | undefined): v is LoggableActivityType => RECORD_TYPES.includes(v as LoggableActivityType);

/**
 * 写跟进: a typed record with photos, the contact and deal it concerns, the next step (a task with
 * its reminder, in the same save) and @mentions; as 拜访签到 (visit=1) it starts with the place.
 * Offline it waits in the queue with its photos and is sent once.
 */
Component({
  behaviors: [pageKit],
  data: {
    text: texts(),
    loading: true,
    saving: false,
    customerName: '',
    chips: typeChips('call'),
    values: {
      customerId: 0,
      type: 'call',
      content: '',
      photos: [],
      contactId: null,
      opportunityId: null,
      next: '',
      mentions: [],
      place: null,
    } as RecordValues,
    labels: { contact: '', deal: '', next: '', place: '', mentions: [] as Array<{ id: Id; name: string }> },
    canAddPhoto: true,
    errors: {} as RecordErrors,
    picker: { visible: false, start: '' },
    sheet: { visible: false, items: [] as string[] },
  },

  methods: {
    onLoad(query: Record<string, string | undefined>) {
      const session = this.signedIn();
      if (!session) return;
      const state = stateOf(this);
      state.myId = session.user.id;
      const customerId = numberParam(query.customerId) ?? 0;
      const visit = query.visit === '1';
      const type: LoggableActivityType = visit ? 'visit' : isType(query.type) ? query.type : 'call';
      wx.setNavigationBarTitle({ title: t(visit ? 'record.visitTitle' : 'record.title') });
      this.setData({
        'values.customerId': customerId,
        'values.type': type,
        'values.opportunityId': numberParam(query.opportunityId),
        chips: typeChips(type),
        'picker.start': pickerValue(Date.now()),
      });
      // Known before the save tap: WeChat only shows the consent dialog when asked straight from a tap.
      void reminderTemplateId().then((id) => {
        state.templateId = id;
      });
      void this.load(customerId);
    },

    async load(customerId: Id) {
      const state = stateOf(this);
      const [name, contacts, pipeline, members] = await Promise.all([
        customerName(customerId).catch(() => null),
        listContacts(customerId).catch(() => [] as Contact[]),
        getPipeline().catch(() => null),
        teamMembers().catch(() => [] as TeamMember[]),
      ]);
      state.contacts = contacts;
      state.deals = (pipeline?.opportunities ?? []).filter((o) => o.customerId === customerId);
      state.members = members.filter((m) => m.id !== state.myId);
      const primary = contacts.find((c) => c.primary) ?? null;
      const deal = state.deals.find((d) => d.id === this.data.values.opportunityId) ?? null;
      this.setData({
        loading: false,
        customerName: name ?? '',
        'values.contactId': primary?.id ?? null,
        'values.opportunityId': deal?.id ?? null,
        'labels.contact': primary?.name ?? '',
        'labels.deal': deal?.title ?? '',
      });
    },

    onType(e: WechatMiniprogram.BaseEvent<Record<string, never>, { type?: string }>) {
      const type = e.currentTarget.dataset.type;
      if (!isType(type)) return;
      this.setData({ 'values.type': type, chips: typeChips(type), 'errors.place': '' });
    },

    onContent(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ 'values.content': e.detail.value, 'errors.content': '' });
    },

    async onAddPhoto() {
      const photos = this.data.values.photos;
      const picked = await choosePhotos(MAX_PHOTOS - photos.length);
      if (!picked.length) return;
      // A visit's photos carry when and where they were taken, drawn on the phone.
      const place = this.data.values.place;
      const stamped =
        this.data.values.type === 'visit' && place ? await Promise.all(picked.map((p) => stampPhoto(p, placeLabel(place)))) : picked;
      const all = [...photos, ...stamped].slice(0, MAX_PHOTOS);
      this.setData({ 'values.photos': all, canAddPhoto: all.length < MAX_PHOTOS });
    },

    onRemovePhoto(e: WechatMiniprogram.BaseEvent<Record<string, never>, { index?: number }>) {
      const photos = this.data.values.photos.filter((_, i) => i !== Number(e.currentTarget.dataset.index));
      this.setData({ 'values.photos': photos, canAddPhoto: true });
    },

    onPreviewPhoto(e: WechatMiniprogram.BaseEvent<Record<string, never>, { index?: number }>) {
      const urls = this.data.values.photos;
      wx.previewImage({ urls, current: urls[Number(e.currentTarget.dataset.index)] ?? urls[0] ?? '' });
    },

    async onCheckIn() {
      const place = await chooseVisitPlace();
      if (!place) return;
      this.setData({ 'values.place': place, 'labels.place': placeLabel(place), 'errors.place': '' });
    },

    openSheet(kind: SheetKind, items: string[]) {
      stateOf(this).sheetKind = kind;
      this.setData({ sheet: { visible: true, items } });
    },

    onPickContact() {
      this.openSheet('contact', [t('record.none'), ...stateOf(this).contacts.map((c) => (c.title ? `${c.name} · ${c.title}` : c.name))]);
    },

    onPickDeal() {
      this.openSheet('deal', [t('record.none'), ...stateOf(this).deals.map((d) => d.title)]);
    },

    onAddMention() {
      this.openSheet(
        'mention',
        this.mentionable().map((m) => m.name),
      );
    },

    mentionable(): TeamMember[] {
      const chosen = new Set(this.data.values.mentions);
      return stateOf(this).members.filter((m) => !chosen.has(m.id));
    },

    onSheetSelected(e: WechatMiniprogram.CustomEvent<{ index: number }>) {
      const state = stateOf(this);
      const i = e.detail.index;
      this.setData({ 'sheet.visible': false });
      if (state.sheetKind === 'contact') {
        const c = i > 0 ? state.contacts[i - 1] : undefined;
        this.setData({ 'values.contactId': c?.id ?? null, 'labels.contact': c?.name ?? '' });
      } else if (state.sheetKind === 'deal') {
        const d = i > 0 ? state.deals[i - 1] : undefined;
        this.setData({ 'values.opportunityId': d?.id ?? null, 'labels.deal': d?.title ?? '' });
      } else if (state.sheetKind === 'mention') {
        const m = this.mentionable()[i];
        if (!m) return;
        this.setData({
          'values.mentions': [...this.data.values.mentions, m.id],
          'labels.mentions': [...this.data.labels.mentions, { id: m.id, name: m.name }],
        });
      }
    },

    onRemoveMention(e: WechatMiniprogram.BaseEvent<Record<string, never>, { id?: number }>) {
      const id = Number(e.currentTarget.dataset.id);
      this.setData({
        'values.mentions': this.data.values.mentions.filter((m) => m !== id),
        'labels.mentions': this.data.labels.mentions.filter((m) => m.id !== id),
      });
    },

    onPickNext() {
      if (!this.data.values.next) this.setData({ 'values.next': defaultFollowUp() });
      this.setData({ 'picker.visible': true });
    },

    onNextConfirm(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      const value = e.detail.value;
      this.setData({ 'picker.visible': false, 'values.next': value, 'labels.next': formatDateTime(pickerToIso(value)), 'errors.next': '' });
    },

    onClearNext() {
      this.setData({ 'values.next': '', 'labels.next': '' });
    },

    onSubmit() {
      if (this.data.saving) return;
      const values = this.data.values;
      const errors = validateRecord(values);
      this.setData({ errors });
      if (Object.keys(errors).length) return;
      const templateId = stateOf(this).templateId;
      // A next step sets a reminder: ask for its WeChat message inside the tap, as WeChat requires.
      const consent = values.next && templateId ? askReminderConsent(templateId) : Promise.resolve(false);
      void this.save(values, consent);
    },

    async save(values: RecordValues, consent: Promise<boolean>) {
      this.setData({ saving: true });
      try {
        const res = await saveRecord(toRequest(values));
        const subscribed = await consent;
        const title = res.queued ? t('record.queued') : subscribed ? t('taskForm.wechatReminder') : t('record.saved');
        // A native toast outlives the page it was shown on.
        wx.showToast({ title, icon: 'none' });
        wx.navigateBack({ delta: 1 });
      } catch (err) {
        this.toast(errorText(err), 'error');
      } finally {
        this.setData({ saving: false });
      }
    },
  },
});
