import { pageKit } from '../../behaviors/page-kit';
import { t } from '../../i18n/index';
import { listDevLogins, loginAsDevUser, loginWithWechat } from '../../services/auth';
import type { DevLogin } from '../../services/auth';
import { getBaseUrl, isDevelopmentBuild, setBaseUrl } from '../../services/config';
import { realtime } from '../../services/realtime';
import { getSession } from '../../services/session';
import { errorText, pageState } from '../../utils/page';
import type { TapEvent } from '../../utils/page';
import { returnTarget } from '../../utils/sign-in';

const HOME_PAGE = '/pages/pipeline/index';

interface DevLoginView {
  login: string;
  name: string;
  detail: string;
}

/** The page to open after sign-in (a shared record), kept outside `data`: the view never shows it. */
const stateOf = pageState<{ target: string | null }>(() => ({ target: null }));

function roleText(role: DevLogin['role']): string {
  return t(role === 'admin' ? 'role.admin' : role === 'manager' ? 'role.manager' : 'role.rep');
}

/** The login id goes on the right of the row, so a long role/team line ends with an ellipsis, never a dangling "·". */
function toView(entry: DevLogin): DevLoginView {
  return { login: entry.login, name: entry.name, detail: [roleText(entry.role), entry.team, entry.tenant].filter(Boolean).join(' · ') };
}

Component({
  behaviors: [pageKit],
  data: {
    text: {
      appName: t('app.name'),
      tagline: t('app.tagline'),
      wechat: t('login.wechat'),
      devTitle: t('login.devTitle'),
      devHint: t('login.devHint'),
      server: t('login.server'),
    },
    /** only a development build lets a tester point the app at another server */
    showServer: false,
    baseUrl: '',
    devLogins: [] as DevLoginView[],
    busy: '',
  },

  methods: {
    onLoad(query: Record<string, string | undefined> = {}) {
      stateOf(this).target = returnTarget(query.next);
      if (getSession()) {
        this.enter();
        return;
      }
      wx.setNavigationBarTitle({ title: t('login.title') });
      this.setData({ showServer: isDevelopmentBuild(), baseUrl: getBaseUrl() });
      void this.loadDevLogins();
    },

    /** Dev login is offered only when the server says it allows it. */
    async loadDevLogins() {
      try {
        this.setData({ devLogins: (await listDevLogins()).map(toView) });
      } catch {
        this.setData({ devLogins: [] });
      }
    },

    onServerChange(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      const url = e.detail.value.trim();
      if (!isDevelopmentBuild() || !/^https?:\/\/\S+$/.test(url) || url === getBaseUrl()) return;
      setBaseUrl(url);
      this.setData({ baseUrl: getBaseUrl() });
      void this.loadDevLogins();
    },

    async onWechatLogin() {
      await this.signIn('wechat', () => loginWithWechat());
    },

    async onDevLogin(e: TapEvent) {
      const login = String(e.currentTarget.dataset.id ?? '');
      if (login) await this.signIn(login, () => loginAsDevUser(login));
    },

    async signIn(busy: string, attempt: () => Promise<{ user: { name: string } }>) {
      if (this.data.busy) return;
      this.setData({ busy });
      try {
        const session = await attempt();
        this.toast(t('login.welcome', { name: session.user.name }), 'success');
        this.enter();
      } catch (err) {
        this.toast(`${t('login.failed')}: ${errorText(err)}`, 'error');
      } finally {
        this.setData({ busy: '' });
      }
    },

    /** Home, or the record a shared card (or an expired session) was opening. */
    enter() {
      realtime.start();
      wx.reLaunch({ url: stateOf(this).target ?? HOME_PAGE });
    },
  },
});
