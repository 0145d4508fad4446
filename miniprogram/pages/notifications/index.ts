import type { Id, Notification, NotificationKind, NotificationPayload } from '@live-crm/shared-types';
import { keepLive, livePage, pullToRefresh } from '../../behaviors/live-page';
import { t } from '../../i18n/index';
import {
  listNotifications,
  markRead,
  onNotificationArrived,
  onUnreadChange,
  startNotifications,
  unreadCount,
} from '../../services/notifications';
import { openLink } from '../../utils/links';
import { errorText, idFrom, pageState } from '../../utils/page';
import { notificationText } from '../../utils/server-text';
import type { TapEvent } from '../../utils/page';
import { formatAgo } from '../../utils/when';
import { pageKit } from '../../behaviors/page-kit';

/** One row; newest first by flex `order`, so an arrival is one new slot, never a resent list. */
interface Row {
  id: Id;
  icon: string;
  title: string;
  body: string;
  time: string;
  unread: boolean;
  order: number;
}

interface State {
  slots: Map<Id, number>;
  links: Map<Id, string | null>;
  length: number;
  oldest: Id | null;
  more: boolean;
  loadingMore: boolean;
  /** arrivals while the first page is loading: its answer may predate them */
  duringLoad: NotificationPayload[] | null;
}
const stateOf = pageState<State>(() => ({
  slots: new Map(),
  links: new Map(),
  length: 0,
  oldest: null,
  more: true,
  loadingMore: false,
  duringLoad: null,
}));
const PAGE_SIZE = 30;
const icons: Record<NotificationKind, string> = {
  'task-assigned': 'task',
  'task-reminder': 'time',
  'follow-up-due': 'call',
  mention: 'chat',
  handover: 'usergroup',
  'reassigned-to-you': 'user-add',
  'reassigned-away': 'user-arrow-right',
  'recycle-warning': 'error-circle',
  'customer-recycled': 'rollback',
};

function rowOf(n: NotificationPayload & { readAt?: string | null }, now: number): Row {
  return {
    id: n.id,
    icon: icons[n.kind] ?? 'notification',
    ...notificationText(n, now),
    time: formatAgo(n.at, now),
    unread: !n.readAt,
    order: -n.id,
  };
}

function texts() {
  return {
    markAll: t('notifications.markAll'),
    empty: t('notifications.empty'),
    allRead: t('notifications.allRead'),
    noMore: t('notifications.noMore'),
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
    items: [] as Row[],
    unread: 0,
    unreadLabel: '',
    end: false,
  },

  methods: {
    onLoad() {
      if (!this.signedIn()) return;
      wx.setNavigationBarTitle({ title: t('notifications.title') });
      startNotifications();
      keepLive(
        this,
        onNotificationArrived((n) => this.onArrived(n)),
      );
      keepLive(
        this,
        onUnreadChange((n) => this.showUnread(n)),
      );
      this.showUnread(unreadCount());
      void this.load();
    },

    onReachBottom() {
      void this.loadMore();
    },

    showUnread(unread: number) {
      this.setData({ unread, unreadLabel: unread > 0 ? t('notifications.unread', { count: unread }) : t('notifications.allRead') });
    },

    async load() {
      const state = stateOf(this);
      state.duringLoad = [];
      try {
        const res = await listNotifications();
        state.slots.clear();
        state.links.clear();
        state.length = 0;
        const now = Date.now();
        const items = res.notifications.map((n) => this.remember(n, now));
        for (const n of state.duringLoad ?? []) if (!state.slots.has(n.id)) items.push(this.remember(n, now));
        state.oldest = res.notifications[res.notifications.length - 1]?.id ?? null;
        state.more = res.notifications.length >= PAGE_SIZE;
        this.setData({ loading: false, error: '', items, end: !state.more && items.length > 0 });
      } catch (err) {
        if (this.data.items.length) this.toast(errorText(err));
        else this.setData({ loading: false, error: errorText(err) });
      } finally {
        state.duringLoad = null;
      }
    },

    /** Gives the notification a slot and answers its row. */
    remember(n: Notification | NotificationPayload, now: number): Row {
      const state = stateOf(this);
      state.slots.set(n.id, state.length);
      state.links.set(n.id, n.link);
      state.length += 1;
      return rowOf(n, now);
    },

    async loadMore() {
      const state = stateOf(this);
      if (!state.more || state.loadingMore || state.oldest === null) return;
      state.loadingMore = true;
      try {
        const res = await listNotifications(state.oldest);
        const now = Date.now();
        const patch: Record<string, unknown> = {};
        for (const n of res.notifications) {
          if (state.slots.has(n.id)) continue;
          const slot = state.length;
          patch[`items[${slot}]`] = this.remember(n, now);
        }
        state.oldest = res.notifications[res.notifications.length - 1]?.id ?? state.oldest;
        state.more = res.notifications.length >= PAGE_SIZE;
        this.setData({ ...patch, end: !state.more });
      } catch (err) {
        this.toast(errorText(err));
      } finally {
        state.loadingMore = false;
      }
    },

    /** A live notification: one new slot, shown on top by its order. */
    onArrived(n: NotificationPayload) {
      const state = stateOf(this);
      if (state.duringLoad) {
        state.duringLoad.push(n);
        return;
      }
      if (state.slots.has(n.id)) return;
      const slot = state.length;
      this.setData({ [`items[${slot}]`]: this.remember(n, Date.now()) });
    },

    onRowTap(e: TapEvent) {
      const id = idFrom(e);
      const state = stateOf(this);
      const slot = state.slots.get(id);
      if (slot !== undefined && this.data.items[slot]?.unread) {
        this.setData({ [`items[${slot}].unread`]: false });
        void markRead([id]).catch(() => undefined);
      }
      openLink(state.links.get(id) ?? null);
    },

    async onMarkAll() {
      const patch: Record<string, boolean> = {};
      this.data.items.forEach((row, i) => {
        if (row?.unread) patch[`items[${i}].unread`] = false;
      });
      if (Object.keys(patch).length) this.setData(patch);
      try {
        await markRead();
      } catch (err) {
        this.toast(errorText(err));
        void this.load();
      }
    },
  },
});
