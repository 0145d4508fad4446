import type { Id, NotificationPayload, NotificationsResponse, SubscriptionStatusResponse } from '@live-crm/shared-types';
import { api } from './api';
import { send } from './commands';
import { realtime } from './realtime';
import type { Unsubscribe } from './realtime';
import { getSession, onSessionCleared } from './session';

/**
 * The notification centre's app-wide state: the unread count, kept live from the one realtime
 * client (subscribed once, here, not per page) and shown as the badge of the 动态 tab.
 */

/** The team feed tab (动态), where the bell to the notification centre lives. */
const TEAM_TAB_INDEX = 3;
const PAGE_SIZE = 30;

let started = false;
let unread = 0;
/** text the tab bar shows now ('' none); null when unknown (a call failed, e.g. on a non-tab page) */
let shownBadge: string | null = null;
/** live notifications seen while a count request is in flight: its answer may predate them */
let duringFetch: Id[] | null = null;
const countListeners = new Set<(unread: number) => void>();
const arrivalListeners = new Set<(n: NotificationPayload) => void>();

function badgeText(n: number): string {
  if (n <= 0) return '';
  return n > 99 ? '99+' : String(n);
}

let retry: ReturnType<typeof setTimeout> | null = null;
const RETRY_MS = 2000;

/**
 * Shows the count on the tab bar. WeChat refuses while a page without the tab bar is on top
 * ("not TabBar page"): it is tried again shortly, and by every tab page of ours when it shows.
 */
export function showTabBadge(): void {
  const text = getSession() ? badgeText(unread) : '';
  if (text === shownBadge) return;
  const failed = (): void => {
    shownBadge = null;
    if (getSession())
      retry ??= setTimeout(() => {
        retry = null;
        showTabBadge();
      }, RETRY_MS);
  };
  const done = {
    success: () => {
      shownBadge = text;
    },
    fail: failed,
  };
  if (text) wx.setTabBarBadge({ index: TEAM_TAB_INDEX, text, ...done });
  else wx.removeTabBarBadge({ index: TEAM_TAB_INDEX, ...done });
}

function setUnread(next: number): void {
  const value = Math.max(0, next);
  if (value !== unread) {
    unread = value;
    for (const h of [...countListeners]) h(unread);
  }
  showTabBadge();
}

/** A server answer's count, plus live arrivals newer than its newest notification. */
function settleCount(res: NotificationsResponse, live: Id[]): number {
  const newest = res.notifications[0]?.id ?? 0;
  return res.unread + live.filter((id) => id > newest).length;
}

async function fetchPage(before?: Id): Promise<NotificationsResponse> {
  const first = before === undefined;
  if (first) duringFetch = [];
  try {
    const res = await api.get<NotificationsResponse>('/api/crm/notifications', { limit: PAGE_SIZE, ...(first ? {} : { before }) });
    if (first) setUnread(settleCount(res, duringFetch ?? []));
    return res;
  } finally {
    if (first) duringFetch = null;
  }
}

function arrived(n: NotificationPayload): void {
  duringFetch?.push(n.id);
  setUnread(unread + 1);
  for (const h of [...arrivalListeners]) h(n);
}

/** The count once the socket is (back) online: notifications are not replayed like team events. */
async function refreshCount(): Promise<void> {
  try {
    await fetchPage();
  } catch {
    /* keep the last count; the next reconnect tries again */
  }
}

/** Idempotent: called by app.ts at launch and by the pages that show the count. */
export function startNotifications(): void {
  if (started) return;
  started = true;
  realtime.onNotification(arrived);
  realtime.onStatus((status) => {
    if (status === 'online') void refreshCount();
  });
  if (realtime.status() === 'online') void refreshCount();
}

onSessionCleared(() => {
  unread = 0;
  showTabBadge();
});

export function unreadCount(): number {
  return unread;
}

export function onUnreadChange(handler: (unread: number) => void): Unsubscribe {
  countListeners.add(handler);
  return () => {
    countListeners.delete(handler);
  };
}

/** A notification as it arrives live (the count is already updated). */
export function onNotificationArrived(handler: (n: NotificationPayload) => void): Unsubscribe {
  arrivalListeners.add(handler);
  return () => {
    arrivalListeners.delete(handler);
  };
}

/** Newest first; without `before` also refreshes the unread count. */
export function listNotifications(before?: Id): Promise<NotificationsResponse> {
  return fetchPage(before);
}

/** Marks the given notifications read (all without ids) and answers the fresh first page. */
export async function markRead(ids?: Id[]): Promise<NotificationsResponse> {
  const res = await send('notifications.markRead', ids ? { ids } : {});
  setUnread(res.unread);
  return res;
}

let template: Promise<string | null> | null = null;
onSessionCleared(() => {
  template = null;
});

/** The reminder template the server sends through; null when it cannot send WeChat messages. */
export function reminderTemplateId(): Promise<string | null> {
  template ??= api.get<SubscriptionStatusResponse>('/api/crm/notifications/subscriptions').then(
    (res) => res.templateId,
    () => {
      template = null;
      return null;
    },
  );
  return template;
}

/**
 * Asks for one reminder message (WeChat only shows the dialog when called straight from a tap,
 * so call this before any await in the handler) and records the answer on the server.
 */
export function askReminderConsent(templateId: string): Promise<boolean> {
  return new Promise<boolean | null>((resolve) => {
    wx.requestSubscribeMessage({
      tmplIds: [templateId],
      success: (res) => resolve(res[templateId] === 'accept'),
      fail: () => resolve(null),
    });
  }).then(async (accepted) => {
    if (accepted === null) return false;
    try {
      await send('notifications.consent', { templateId, accepted });
    } catch {
      /* asked again next time */
    }
    return accepted;
  });
}
