import { realtime } from '../services/realtime';
import type { ConnectionStatus } from '../services/realtime';
import type { Unsubscribe } from '../services/realtime-client';
import { pageState } from '../utils/page';

const keptOf = pageState<{ offs: Unsubscribe[] }>(() => ({ offs: [] }));

/** Keeps a page's subscriptions (realtime, offline queue, notifications) until the page goes away. */
export function keepLive(page: object, ...offs: Unsubscribe[]): void {
  keptOf(page).offs.push(...offs);
}

/** After a reset (a gap beyond catch-up, a failed resume) the page reloads through its own `load()`. */
export function reloadOnReset(page: { load(): Promise<void> }): void {
  keepLive(
    page,
    realtime.onReset(() => {
      void page.load();
    }),
  );
}

/** The page's `online` flag (its live / offline tag) follows the app's connection while the page lives. */
export function showOnline(page: { data: { online: boolean }; setData(d: { online: boolean }): void }): void {
  const show = (status: ConnectionStatus) => {
    const online = status === 'online';
    if (online !== page.data.online) page.setData({ online });
  };
  keepLive(page, realtime.onStatus(show));
  show(realtime.status());
}

/** Drops what the page kept; a page with an onUnload of its own (which replaces livePage's) calls it first. */
export function releaseLive(page: object): void {
  for (const off of keptOf(page).offs.splice(0)) off();
}

/** A page that listens live: unsubscribes in onUnload everything it kept with keepLive. */
export const livePage = Behavior({
  methods: {
    onUnload() {
      releaseLive(this);
    },
  },
});

/** Pull-down refresh (`enablePullDownRefresh` in the page's json): reload through the page's `load()`. */
export const pullToRefresh = Behavior({
  methods: {
    async onPullDownRefresh() {
      await (this as unknown as { load(): Promise<void> }).load();
      wx.stopPullDownRefresh();
    },
  },
});
