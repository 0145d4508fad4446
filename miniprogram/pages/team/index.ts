import type { AnyTeamEvent, Id } from '@live-crm/shared-types';
import { keepLive, livePage, pullToRefresh, reloadOnReset, showOnline } from '../../behaviors/live-page';
import { stageLabel, t } from '../../i18n/index';
import { customerNames, knownCustomerName, rememberCustomer } from '../../services/customer-names';
import { onUnreadChange, showTabBadge, startNotifications, unreadCount } from '../../services/notifications';
import { getStages } from '../../services/pipeline';
import { realtime } from '../../services/realtime';
import { TEAM_EVENT_TYPES } from '../../services/realtime-client';
import { teamFeed, teamMembers } from '../../services/team';
import { openLink } from '../../utils/links';
import { localizeTabBar } from '../../utils/tab-bar';
import { errorText, pageState } from '../../utils/page';
import { entryOf, said } from './describe';
import type { FeedEntry, Names } from './describe';
import { pageKit } from '../../behaviors/page-kit';

const PAGE_SIZE = 20;

/** Envelopes that carry a customer's name teach it, so entries about that customer need no request. */
function learnCustomers(events: AnyTeamEvent[]): void {
  for (const env of events) {
    if (env.type === 'customer:created' || env.type === 'customer:updated') rememberCustomer(env.data.customer);
    else if ('opportunity' in env.data) rememberCustomer({ id: env.data.opportunity.customerId, name: env.data.opportunity.customerName });
  }
}

interface State {
  teamId: Id | null;
  /** every shown envelope by seq, with its slot in `entries` */
  shown: Map<number, { env: AnyTeamEvent; slot: number }>;
  length: number;
  oldest: number | null;
  more: boolean;
  loadingMore: boolean;
  members: Map<Id, string>;
  stages: Map<Id, string>;
  duringLoad: AnyTeamEvent[] | null;
}
const stateOf = pageState<State>(() => ({
  teamId: null,
  shown: new Map(),
  length: 0,
  oldest: null,
  more: true,
  loadingMore: false,
  members: new Map(),
  stages: new Map(),
  duringLoad: null,
}));

type SeqTap = WechatMiniprogram.BaseEvent<Record<string, never>, { seq?: number }>;

function texts() {
  return {
    live: t('feed.live'),
    offline: t('feed.offline'),
    notifications: t('feed.notifications'),
    members: t('members.link'),
    empty: t('feed.empty'),
    noMore: t('feed.noMore'),
    loadingMore: t('feed.loadingMore'),
    loading: t('common.loading'),
    retry: t('common.retry'),
  };
}

Component({
  behaviors: [pageKit, livePage, pullToRefresh],
  data: {
    text: texts(),
    loading: true,
    error: '',
    entries: [] as Array<FeedEntry | null>,
    unread: 0,
    online: false,
    end: false,
    loadingMore: false,
  },

  methods: {
    onLoad() {
      const session = this.signedIn();
      if (!session) return;
      wx.setNavigationBarTitle({ title: t('feed.title') });
      const state = stateOf(this);
      state.teamId = session.user.teamId;
      state.members.set(session.user.id, session.user.name);
      startNotifications();
      keepLive(
        this,
        onUnreadChange((unread) => this.setData({ unread })),
      );
      for (const type of TEAM_EVENT_TYPES) {
        keepLive(
          this,
          realtime.on(type, (env) => this.onLive(env as AnyTeamEvent)),
        );
      }
      reloadOnReset(this);
      showOnline(this);
      this.setData({ unread: unreadCount() });
      realtime.start();
      void this.load();
    },

    onShow() {
      showTabBadge();
      localizeTabBar();
    },

    onReachBottom() {
      void this.loadMore();
    },

    names(): Names {
      const state = stateOf(this);
      return {
        member: (id) => (id !== null && state.members.get(id)) || t('common.someone'),
        customer: (id) => knownCustomerName(id),
        stage: (id) => state.stages.get(id) ?? '',
      };
    },

    async load() {
      const state = stateOf(this);
      state.duringLoad = [];
      try {
        const [feed, members, stages] = await Promise.all([
          teamFeed(undefined, PAGE_SIZE),
          teamMembers().catch(() => []),
          getStages().catch(() => []),
        ]);
        members.forEach((m) => state.members.set(m.id, m.name));
        stages.forEach((s) => state.stages.set(s.id, stageLabel(s)));
        state.shown.clear();
        state.length = 0;
        // The server says which team this is: an admin (no team of their own) sees their first.
        const { events, teamId } = feed;
        state.teamId = teamId;
        const held = (state.duringLoad ?? []).filter((e) => e.teamId === teamId && !events.some((x) => x.seq === e.seq));
        learnCustomers([...events, ...held]);
        const entries = [...events, ...held].map((env) => this.place(env));
        state.oldest = events[events.length - 1]?.seq ?? null;
        state.more = events.length >= PAGE_SIZE;
        this.setData({ loading: false, error: '', entries, end: !state.more && entries.length > 0 });
        void this.fillCustomers([...events, ...held]);
      } catch (err) {
        if (this.data.entries.length) this.toast(errorText(err));
        else this.setData({ loading: false, error: errorText(err) });
      } finally {
        state.duringLoad = null;
      }
    },

    /** Gives an envelope the next slot and answers its entry. */
    place(env: AnyTeamEvent): FeedEntry {
      const state = stateOf(this);
      learnCustomers([env]);
      // A newcomer's name comes with their joining, before /api/me knows them.
      if (env.type === 'member:joined') state.members.set(env.data.member.id, env.data.member.name);
      state.shown.set(env.seq, { env, slot: state.length });
      state.length += 1;
      return entryOf(env, this.names(), Date.now());
    },

    async loadMore() {
      const state = stateOf(this);
      if (!state.more || state.loadingMore || state.oldest === null) return;
      state.loadingMore = true;
      this.setData({ loadingMore: true });
      try {
        const events = (await teamFeed(state.oldest, PAGE_SIZE)).events.filter((e) => !state.shown.has(e.seq));
        learnCustomers(events);
        const patch: Record<string, unknown> = {};
        for (const env of events) patch[`entries[${state.length}]`] = this.place(env);
        state.oldest = events[events.length - 1]?.seq ?? state.oldest;
        state.more = events.length >= PAGE_SIZE;
        this.setData({ ...patch, end: !state.more, loadingMore: false });
        void this.fillCustomers(events);
      } catch (err) {
        this.setData({ loadingMore: false });
        this.toast(errorText(err));
      } finally {
        state.loadingMore = false;
      }
    },

    /** A teammate's change as it happens: one new slot, shown on top by its order. */
    onLive(env: AnyTeamEvent) {
      const state = stateOf(this);
      if (state.duringLoad) {
        state.duringLoad.push(env);
        return;
      }
      if (env.teamId !== state.teamId) return;
      if (state.shown.has(env.seq) || this.data.loading || this.data.error) return;
      const slot = state.length;
      this.setData({ [`entries[${slot}]`]: this.place(env), ...(this.data.entries.length === 0 ? { end: false } : {}) });
      void this.fillCustomers([env]);
    },

    /** Entries naming a customer we had no name for: described again once the name is known. */
    async fillCustomers(events: AnyTeamEvent[]) {
      const state = stateOf(this);
      const names = this.names();
      const waiting = events.filter((e) => {
        const id = said(e, names).customerId;
        return id !== null && names.customer(id) === undefined;
      });
      if (waiting.length === 0) return;
      await customerNames(waiting.map((e) => said(e, names).customerId as Id));
      const patch: Record<string, string> = {};
      for (const env of waiting) {
        const at = state.shown.get(env.seq);
        if (at) patch[`entries[${at.slot}].text`] = entryOf(env, this.names(), Date.now()).text;
      }
      if (Object.keys(patch).length) this.setData(patch);
    },

    onEntryTap(e: SeqTap) {
      const at = stateOf(this).shown.get(Number(e.currentTarget.dataset.seq));
      if (at) openLink(said(at.env, this.names()).link);
    },

    onBell() {
      wx.navigateTo({ url: '/pages/notifications/index' });
    },

    onMembers() {
      wx.navigateTo({ url: '/pages/members/index' });
    },
  },
});
