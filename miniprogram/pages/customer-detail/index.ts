import type { Customer, Id, PresenceChanged, TeamEventEnvelope } from '@live-crm/shared-types';
import { keepLive, livePage, reloadOnReset, releaseLive } from '../../behaviors/live-page';
import { t } from '../../i18n/index';
import { newIdempotencyKey } from '../../services/api';
import { listActivities, listCommunications, listMessages } from '../../services/communications';
import { getCustomer, listNotes } from '../../services/customers';
import { onNoteSync, queuedNotes, saveNote } from '../../services/offline-saves';
import type { NoteSync } from '../../services/offline-saves';
import { realtime } from '../../services/realtime';
import type { Unsubscribe } from '../../services/realtime';
import { nameOf, teamNames } from '../../services/team';
import { callCustomer } from '../../utils/call';
import { contactOf } from '../../utils/contact';
import { errorText, isMissing, numberParam, pageState } from '../../utils/page';
import { enableShareMenu, openedFromShare, sharedCustomerPath } from '../../utils/share';
import type { ShareCard } from '../../utils/share';
import { pathOf } from '../../utils/links';
import { copyFacts } from './copy';
import { followUpMethods } from './follow-up';
import { profileOf, viewersOf } from './profile';
import { relatedMethods } from './related';
import type { Profile } from './profile';
import { Timeline } from './timeline';
import type { Entry, Patch, TimelineItem } from './timeline';
import { pageKit } from '../../behaviors/page-kit';
import { reassignSheet } from '../../behaviors/reassign';
import { ownerMethods } from './owner';

interface State {
  id: Id | null;
  myId: Id;
  customer: Customer | null;
  names: Map<Id, string>;
  timeline: Timeline | null;
  /** live items seen while the first load is in flight */
  duringLoad: TimelineItem[] | null;
  leavePresence: Unsubscribe | null;
  shown: boolean;
}

const stateOf = pageState<State>(() => ({
  id: null,
  myId: 0,
  customer: null,
  names: new Map(),
  timeline: null,
  duringLoad: null,
  leavePresence: null,
  shown: false,
}));

type LiveType = 'customer:note-added' | 'activity:created' | 'message:created' | 'communication:logged';

/** The timeline item a live event carries, when it is about this customer. */
function itemOf(env: TeamEventEnvelope<LiveType>, customerId: Id | null): TimelineItem | null {
  const d = env.data;
  if ('note' in d) return d.customerId === customerId ? { kind: 'note', note: d.note } : null;
  if ('activity' in d) return d.activity.customerId === customerId ? { kind: 'activity', activity: d.activity } : null;
  if ('message' in d) return d.message.customerId === customerId ? { kind: 'message', message: d.message } : null;
  return d.communication.customerId === customerId ? { kind: 'communication', communication: d.communication } : null;
}

Component({
  behaviors: [pageKit, livePage, followUpMethods, copyFacts, relatedMethods, reassignSheet, ownerMethods],

  data: {
    text: {
      company: t('customer.company'),
      phone: t('customer.phone'),
      email: t('customer.email'),
      address: t('customer.address'),
      lastContact: t('customer.lastContact'),
      owner: t('customer.owner'),
      call: t('customer.call'),
      message: t('customer.message'),
      followUp: t('customer.followUp'),
      record: t('customer.record'),
      visit: t('customer.visit'),
      contacts: t('customer.contacts'),
      contactsEmpty: t('customer.contactsEmpty'),
      deals: t('customer.deals'),
      dealsEmpty: t('customer.dealsEmpty'),
      openTasks: t('customer.openTasks'),
      tasksEmpty: t('customer.tasksEmpty'),
      primary: t('customer.primary'),
      edit: t('common.edit'),
      notePlaceholder: t('customer.notePlaceholder'),
      addNote: t('customer.addNote'),
      timeline: t('customer.timeline'),
      timelineEmpty: t('customer.timelineEmpty'),
      retry: t('common.retry'),
      loading: t('common.loading'),
    },
    loading: true,
    error: '',
    /** deleted, another team's, or a bad link: the one not-found screen, no retry */
    missing: false,
    /** opened from a card shared in a chat */
    shared: false,
    profile: null as Profile | null,
    viewers: [] as ReturnType<typeof viewersOf>['viewers'],
    viewingText: '',
    entries: [] as Entry[],
    empty: false,
    noteDraft: '',
  },

  methods: {
    onLoad(query: Record<string, string | undefined>) {
      const session = this.signedIn(pathOf('/pages/customer-detail/index', query));
      if (!session) return;
      wx.setNavigationBarTitle({ title: t('customer.title') });
      enableShareMenu();
      const state = stateOf(this);
      state.id = numberParam(query.id);
      state.myId = session.user.id;
      state.names.set(session.user.id, session.user.name);
      this.setData({ customerId: state.id ?? 0, shared: openedFromShare(query) });
      const types: LiveType[] = ['customer:note-added', 'activity:created', 'message:created', 'communication:logged'];
      for (const type of types)
        keepLive(
          this,
          realtime.on(type, (env) => this.onLiveItem(env)),
        );
      keepLive(
        this,
        realtime.on('customer:updated', (env) => {
          void this.onLiveCustomer(env);
        }),
        realtime.on('customer:owner-changed', (env) => {
          void this.onLiveCustomer(env);
        }),
      );
      keepLive(
        this,
        realtime.onPresence((p) => this.onPresence(p)),
      );
      this.watchRelated();
      reloadOnReset(this);
      if (state.id !== null)
        keepLive(
          this,
          onNoteSync(state.id, (sync) => this.onNoteSync(sync)),
        );
      realtime.start();
      this.watchPresence();
      void this.load();
    },

    onShow() {
      const state = stateOf(this);
      this.watchPresence();
      // Back from the edit form: show what was saved.
      if (state.shown && state.customer) void this.reloadProfile();
      state.shown = true;
    },

    onHide() {
      this.leavePresence();
    },

    onUnload() {
      releaseLive(this);
      this.leavePresence();
    },

    watchPresence() {
      const state = stateOf(this);
      if (state.id === null || state.leavePresence) return;
      state.leavePresence = realtime.watchPresence(`customer:${state.id}`);
    },

    leavePresence() {
      const state = stateOf(this);
      state.leavePresence?.();
      state.leavePresence = null;
      if (this.data.viewers.length) this.setData({ viewers: [], viewingText: '' });
    },

    async load() {
      const state = stateOf(this);
      const id = state.id;
      if (id === null) {
        this.setData({ loading: false, missing: true });
        return;
      }
      state.duringLoad = [];
      try {
        const [customer, activities, notes, messages, communications, names] = await Promise.all([
          getCustomer(id),
          listActivities(id),
          listNotes(id),
          listMessages(id),
          listCommunications(id),
          teamNames(),
        ]);
        names.forEach((name, userId) => state.names.set(userId, name));
        const timeline = new Timeline(state.myId, (userId) => state.names.get(userId) ?? t('common.someone'));
        const entries = timeline.initial([
          ...activities.map((activity): TimelineItem => ({ kind: 'activity', activity })),
          ...notes.map((note): TimelineItem => ({ kind: 'note', note })),
          ...messages.map((message): TimelineItem => ({ kind: 'message', message })),
          ...communications.map((communication): TimelineItem => ({ kind: 'communication', communication })),
        ]);
        state.timeline = timeline;
        state.customer = customer;
        this.setData({ loading: false, error: '', profile: this.profileView(customer), entries, empty: entries.length === 0 });
        this.fillPhotos();
        void this.loadRelated(id);
        for (const item of state.duringLoad ?? []) this.patch(timeline.prepend(item));
        // Notes written offline (maybe before a relaunch) show pending until the queue sends them.
        for (const q of queuedNotes(id)) this.patch(timeline.addPending(q.key, q.content, state.names.get(state.myId) ?? '', true));
      } catch (err) {
        if (!state.customer) this.setData({ loading: false, error: errorText(err), missing: isMissing(err) });
        else this.toast(errorText(err));
      } finally {
        state.duringLoad = null;
      }
    },

    async reloadProfile() {
      const state = stateOf(this);
      if (state.id === null) return;
      try {
        this.showCustomer(await getCustomer(state.id));
      } catch (err) {
        this.toast(errorText(err));
      }
    },

    profileView(c: Customer): Profile {
      const { names, myId } = stateOf(this);
      this.setData({ ownerActions: this.ownerActionsFor(c, myId) });
      return profileOf(c, c.ownerId === null ? t('pool.tag') : (names.get(c.ownerId) ?? t('common.someone')));
    },

    /** The owner behaviour's answer: a claim, release or reassignment saved this version. */
    onReassigned(c: Customer) {
      this.showCustomer(c);
    },

    currentCustomer(): Customer | null {
      return stateOf(this).customer;
    },

    /** A newer version of the customer replaces the card (one path, well under 1 KB). */
    showCustomer(c: Customer): boolean {
      const state = stateOf(this);
      if (state.customer && c.version < state.customer.version) return false;
      state.customer = c;
      this.setData({ profile: this.profileView(c) });
      return true;
    },

    patch(patch: Patch | null) {
      if (patch) this.setData(patch);
    },

    onLiveItem(env: TeamEventEnvelope<LiveType>) {
      const state = stateOf(this);
      const item = itemOf(env, state.id);
      if (!item) return;
      if (!state.timeline) {
        state.duringLoad?.push(item);
        return;
      }
      this.patch(state.timeline.prepend(item));
      if (item.kind === 'activity' && item.activity.attachments?.length) this.fillPhotos();
      const contact = 'note' in env.data ? null : contactOf(env as TeamEventEnvelope<Exclude<LiveType, 'customer:note-added'>>);
      const c = state.customer;
      if (contact && c && (!c.lastContactAt || Date.parse(contact.at) > Date.parse(c.lastContactAt))) {
        state.customer = { ...c, lastContactAt: contact.at };
        this.setData({ 'profile.lastContact': this.profileView(state.customer).lastContact });
      }
    },

    async onLiveCustomer(env: TeamEventEnvelope<'customer:updated' | 'customer:owner-changed'>) {
      const state = stateOf(this);
      if (env.data.customer.id !== state.id || !this.showCustomer(env.data.customer)) return;
      if (env.actorId === state.myId) return;
      this.toast(t('customer.changedLive', { name: await nameOf(env.actorId, t('common.someone')) }));
    },

    onPresence(p: PresenceChanged) {
      const state = stateOf(this);
      if (p.resource !== `customer:${state.id}` || !state.leavePresence) return;
      this.setData(viewersOf(p.viewers, state.myId));
    },

    onNoteInput(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ noteDraft: e.detail.value });
    },

    /** Shown at once; the Idempotency-Key stays with the note, so a retry never saves it twice. */
    onAddNote() {
      const state = stateOf(this);
      const content = this.data.noteDraft.trim();
      if (!content || !state.timeline || state.id === null) return;
      const key = newIdempotencyKey();
      this.patch(state.timeline.addPending(key, content, state.names.get(state.myId) ?? ''));
      this.setData({ noteDraft: '' });
      void this.saveNote(key, content);
    },

    async saveNote(key: string, content: string) {
      const state = stateOf(this);
      const timeline = state.timeline;
      if (!timeline || state.id === null) return;
      try {
        const res = await saveNote(state.id, content, key);
        this.patch(res.queued ? timeline.queued(key) : timeline.settle(key, res.value));
      } catch (err) {
        this.patch(timeline.fail(key));
        this.toast(errorText(err), 'error');
      }
    },

    /** A queued note reached the server: the pending line becomes the note; a refusal is told by the queue. */
    onNoteSync(sync: NoteSync) {
      const timeline = stateOf(this).timeline;
      if (timeline) this.patch(sync.kind === 'applied' ? timeline.settle(sync.key, sync.note) : timeline.fail(sync.key));
    },

    onEntryTap(e: WechatMiniprogram.BaseEvent<Record<string, never>, { key?: string; state?: string }>) {
      const { key, state: entryState } = e.currentTarget.dataset;
      const timeline = stateOf(this).timeline;
      if (entryState !== 'failed' || !key?.startsWith('pending:') || !timeline) return;
      const localKey = key.slice('pending:'.length);
      const content = timeline.pendingContent(localKey);
      if (content === null) return;
      this.patch(timeline.retrying(localKey));
      void this.saveNote(localKey, content);
    },

    async onCall() {
      const c = stateOf(this).customer;
      if (!c?.phone) {
        this.toast(t('customers.noPhone'));
        return;
      }
      // A pool customer's number is masked until someone claims it.
      if (c.phone.includes('*')) {
        this.toast(t('pool.claimFirst'));
        return;
      }
      try {
        const timeline = stateOf(this).timeline;
        const result = await callCustomer(c, (communication) =>
          this.patch(timeline?.prepend({ kind: 'communication', communication }) ?? null),
        );
        if (result === 'logged') this.afterCall();
        else if (result === 'queued') this.toast(t('offline.queued'));
        else if (result === 'failed') this.toast(t('call.failed'), 'error');
      } catch (err) {
        this.toast(errorText(err), 'error');
      }
    },

    /** A call just ended: the natural moment to write down what was said. */
    afterCall() {
      this.toast(t('call.logged'), 'success');
      wx.showModal({
        content: t('record.afterCall'),
        confirmText: t('record.write'),
        cancelText: t('common.cancel'),
        success: (res) => {
          const id = stateOf(this).id;
          if (res.confirm && id !== null) wx.navigateTo({ url: `/pages/record-form/index?customerId=${id}&type=call` });
        },
      });
    },

    onMessage() {
      const c = stateOf(this).customer;
      if (c) wx.navigateTo({ url: `/pages/message/index?customerId=${c.id}&name=${encodeURIComponent(c.name)}` });
    },

    onEdit() {
      const id = stateOf(this).id;
      if (id !== null) wx.navigateTo({ url: `/pages/customer-form/index?id=${id}` });
    },

    onShareAppMessage(): ShareCard {
      const { id, customer } = stateOf(this);
      return { title: customer ? t('share.customer', { name: customer.name }) : t('customer.title'), path: sharedCustomerPath(id ?? 0) };
    },
  },
});
