import { realtime } from '../services/realtime';
import type { Unsubscribe } from '../services/realtime-client';

const kept = new WeakMap<object, Unsubscribe[]>();

/** Keeps a page's subscriptions (realtime, offline queue, notifications) until the page goes away. */
export function keepLive(page: object, ...offs: Unsubscribe[]): void {
  kept.set(page, [...(kept.get(page) ?? []), ...offs]);
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

/** Drops what the page kept; a page with an onUnload of its own (which replaces livePage's) calls it first. */
export function releaseLive(page: object): void {
  for (const off of kept.get(page) ?? []) off();
  kept.delete(page);
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
