import Toast from 'tdesign-miniprogram/toast/index';

export type ToastTheme = 'success' | 'warning' | 'error';

/** Shows the page's `#t-toast`; no theme is the plain toast. */
export function showToast(page: object, message: string, theme?: ToastTheme): void {
  Toast({ context: page as WechatMiniprogram.Component.TrivialInstance, selector: '#t-toast', message, ...(theme ? { theme } : {}) });
}

/** Parts every page shares: retry after a failed load goes back through the page's own `load()`. */
export const pageKit = Behavior({
  methods: {
    onRetry() {
      const page = this as unknown as { setData(d: object): void; load(): Promise<void> };
      page.setData({ loading: true, error: '' });
      void page.load();
    },
  },
});
