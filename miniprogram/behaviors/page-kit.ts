import Toast from 'tdesign-miniprogram/toast/index';
import { loginUrl } from '../services/api';
import { getSession } from '../services/session';
import type { Session } from '../services/session';

export type ToastTheme = 'success' | 'warning' | 'error';

/** Shows the page's `#t-toast`; no theme is the plain toast. For a behaviour of its own (pages call `this.toast`). */
export function showToast(page: object, message: string, theme?: ToastTheme): void {
  Toast({ context: page as WechatMiniprogram.Component.TrivialInstance, selector: '#t-toast', message, ...(theme ? { theme } : {}) });
}

/** A popup's close, cancel or overlay tap; `data-sheet` names the data path of its `{ visible }`. */
export type SheetCloseEvent = WechatMiniprogram.BaseEvent<Record<string, never>, { sheet?: string }>;

/**
 * Parts every page shares: the signed-in guard, the toast, retry after a failed load, and closing
 * a popup (action sheet, picker, dialog) whichever way the user dismissed it.
 */
export const pageKit = Behavior({
  methods: {
    /**
     * The session; signed out, the page goes to the login page instead. `back` is the page (with its
     * query) sign-in returns to: a record page opened from a shared card or a link.
     */
    signedIn(back?: string): Session | null {
      const session = getSession();
      if (!session) wx.reLaunch({ url: loginUrl(back) });
      return session;
    },

    toast(message: string, theme?: ToastTheme) {
      showToast(this, message, theme);
    },

    /** The retry button of the error state: back through the page's own `load()`. */
    onRetry() {
      const page = this as unknown as { setData(d: object): void; load(): Promise<void> };
      page.setData({ loading: true, error: '' });
      void page.load();
    },

    /** Hides the popup its `data-sheet` names; `sheet` when called without one (e.g. after a pick). */
    onSheetClose(e?: SheetCloseEvent) {
      const name = e?.currentTarget?.dataset?.sheet || 'sheet';
      this.setData({ [`${name}.visible`]: false });
    },
  },
});
