import { later, settle } from './callbacks';
import type { Callbacks, ErrorReporter } from './callbacks';

export interface UiLog {
  toasts: Array<{ title: string; icon?: string; duration?: number }>;
  modals: Array<{ title?: string; content?: string }>;
  actionSheets: Array<{ itemList: string[] }>;
  navigations: Array<{ kind: 'navigateTo' | 'redirectTo' | 'reLaunch' | 'switchTab' | 'navigateBack'; url?: string; delta?: number }>;
  titles: string[];
  phoneCalls: string[];
  pullDownStops: number;
  loading: boolean;
  /** tab bar badges by tab index, as setTabBarBadge / removeTabBarBadge left them */
  tabBarBadges: Record<number, string>;
  /** tab texts by tab index, as setTabBarItem left them (app.json's own texts are not listed) */
  tabBarTexts: Record<number, string>;
  /** template ids of each wx.requestSubscribeMessage call */
  subscribeRequests: string[][];
  /** each wx.showShareMenu call: the menus the page put in its ··· menu */
  shareMenus: Array<{ menus: string[]; withShareTicket: boolean }>;
}

/** Scripted user answers: the next modal confirms or cancels, the next action sheet taps an index or cancels. */
export interface UiScript {
  modalAnswers: boolean[];
  actionSheetAnswers: Array<number | 'cancel'>;
  /** the next subscription dialog's answer for every template asked (default 'accept') */
  subscribeAnswers: Array<'accept' | 'reject'>;
  /** a page without the tab bar is on top: WeChat refuses tab bar badges then */
  offTabBarPage?: boolean;
}

type Ok = { errMsg: string };

export function uiApi(report: ErrorReporter, log: UiLog, script: UiScript) {
  const ok = (name: string, extra: object = {}) => ({ ok: true as const, res: { errMsg: `${name}:ok`, ...extra } });
  // Callback shapes differ per API; the outcome built next to each call matches its own.
  const reply = (o: object | undefined, name: string, outcome: { ok: true; res: unknown } | { ok: false; errMsg: string }) =>
    new Promise<unknown>((resolve) =>
      later(() => {
        const p = settle(o as Callbacks<unknown> | undefined, report, name, outcome);
        if (p) p.then(resolve, () => resolve(undefined));
        else resolve(undefined);
      }),
    );
  const navigate = (kind: UiLog['navigations'][number]['kind']) => (o: { url?: string; delta?: number } & Callbacks<Ok>) => {
    log.navigations.push({ kind, ...(o.url !== undefined ? { url: o.url } : {}), ...(o.delta !== undefined ? { delta: o.delta } : {}) });
    return reply(o, kind, ok(kind));
  };
  return {
    showToast: (o: { title: string; icon?: string; duration?: number } & Callbacks<Ok>) => {
      log.toasts.push({ title: o.title, ...(o.icon ? { icon: o.icon } : {}), ...(o.duration ? { duration: o.duration } : {}) });
      return reply(o, 'showToast', ok('showToast'));
    },
    hideToast: (o?: Callbacks<Ok>) => reply(o, 'hideToast', ok('hideToast')),
    showLoading: (o: { title: string } & Callbacks<Ok>) => {
      log.loading = true;
      return reply(o, 'showLoading', ok('showLoading'));
    },
    hideLoading: (o?: Callbacks<Ok>) => {
      log.loading = false;
      return reply(o, 'hideLoading', ok('hideLoading'));
    },
    showModal: (o: { title?: string; content?: string } & Callbacks<Ok & { confirm: boolean; cancel: boolean }>) => {
      log.modals.push({ ...(o.title ? { title: o.title } : {}), ...(o.content ? { content: o.content } : {}) });
      const confirm = script.modalAnswers.shift() ?? true;
      return reply(o, 'showModal', ok('showModal', { confirm, cancel: !confirm }));
    },
    showActionSheet: (o: { itemList: string[] } & Callbacks<Ok & { tapIndex: number }>) => {
      log.actionSheets.push({ itemList: [...o.itemList] });
      const answer = script.actionSheetAnswers.shift() ?? 'cancel';
      return reply(
        o,
        'showActionSheet',
        answer === 'cancel' ? { ok: false, errMsg: 'showActionSheet:fail cancel' } : ok('showActionSheet', { tapIndex: answer }),
      );
    },
    navigateTo: navigate('navigateTo'),
    redirectTo: navigate('redirectTo'),
    reLaunch: navigate('reLaunch'),
    switchTab: navigate('switchTab'),
    navigateBack: navigate('navigateBack'),
    setNavigationBarTitle: (o: { title: string } & Callbacks<Ok>) => {
      log.titles.push(o.title);
      return reply(o, 'setNavigationBarTitle', ok('setNavigationBarTitle'));
    },
    startPullDownRefresh: (o?: Callbacks<Ok>) => reply(o, 'startPullDownRefresh', ok('startPullDownRefresh')),
    stopPullDownRefresh: (o?: Callbacks<Ok>) => {
      log.pullDownStops += 1;
      return reply(o, 'stopPullDownRefresh', ok('stopPullDownRefresh'));
    },
    setTabBarBadge: (o: { index: number; text: string } & Callbacks<Ok>) => {
      if (script.offTabBarPage) return reply(o, 'setTabBarBadge', { ok: false, errMsg: 'setTabBarBadge:fail not TabBar page' });
      if (typeof o.text !== 'string' || o.text === '')
        return reply(o, 'setTabBarBadge', { ok: false, errMsg: 'setTabBarBadge:fail parameter error' });
      log.tabBarBadges[o.index] = o.text;
      return reply(o, 'setTabBarBadge', ok('setTabBarBadge'));
    },
    removeTabBarBadge: (o: { index: number } & Callbacks<Ok>) => {
      if (script.offTabBarPage) return reply(o, 'removeTabBarBadge', { ok: false, errMsg: 'removeTabBarBadge:fail not TabBar page' });
      delete log.tabBarBadges[o.index];
      return reply(o, 'removeTabBarBadge', ok('removeTabBarBadge'));
    },
    setTabBarItem: (o: { index: number; text?: string } & Callbacks<Ok>) => {
      if (script.offTabBarPage) return reply(o, 'setTabBarItem', { ok: false, errMsg: 'setTabBarItem:fail not TabBar page' });
      if (o.text !== undefined) log.tabBarTexts[o.index] = o.text;
      return reply(o, 'setTabBarItem', ok('setTabBarItem'));
    },
    requestSubscribeMessage: (o: { tmplIds: string[] } & Callbacks<Ok & Record<string, string>>) => {
      log.subscribeRequests.push([...o.tmplIds]);
      const answer = script.subscribeAnswers.shift() ?? 'accept';
      const res = Object.fromEntries(o.tmplIds.map((id) => [id, answer]));
      return reply(o, 'requestSubscribeMessage', ok('requestSubscribeMessage', res));
    },
    showShareMenu: (o: { menus?: string[]; withShareTicket?: boolean } & Callbacks<Ok> = {}) => {
      log.shareMenus.push({ menus: [...(o.menus ?? ['shareAppMessage'])], withShareTicket: !!o.withShareTicket });
      return reply(o, 'showShareMenu', ok('showShareMenu'));
    },
    makePhoneCall: (o: { phoneNumber: string } & Callbacks<Ok>) => {
      log.phoneCalls.push(o.phoneNumber);
      return reply(o, 'makePhoneCall', ok('makePhoneCall'));
    },
  };
}
