import { locale, t } from '../i18n/index';
import type { MessageKey } from '../i18n/index';

/** app.json's tabBar list, in its order (the texts there are the Chinese defaults). */
const TAB_KEYS: MessageKey[] = ['tab.pipeline', 'tab.customers', 'tab.tasks', 'tab.team', 'tab.dashboard'];

/**
 * app.json cannot be translated, so an English phone gets the tab texts set at run time. Call it
 * from a tab page's onShow (WeChat refuses it on other pages); tabs not in app.json fail silently.
 */
export function localizeTabBar(): void {
  if (locale() === 'zh-CN' || typeof wx.setTabBarItem !== 'function') return;
  TAB_KEYS.forEach((key, index) => {
    wx.setTabBarItem({ index, text: t(key), fail: () => undefined });
  });
}
