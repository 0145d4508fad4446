import { pageKit } from '../../behaviors/page-kit';
import { t } from '../../i18n/index';
import { isApiError, LOGIN_PAGE } from '../../services/api';
import { joinWithInvitation } from '../../services/auth';
import { realtime } from '../../services/realtime';
import { errorText, pageState } from '../../utils/page';

const HOME_PAGE = '/pages/pipeline/index';

/** form: name and the join button; gone: expired, revoked or used up; invalid: no such invitation. */
type View = 'form' | 'gone' | 'invalid';

/** The invitation's code, from the shared card's path; the view never shows it. */
const stateOf = pageState<{ code: string }>(() => ({ code: '' }));

/**
 * Opened from an invitation card in a WeChat chat (`pages/join/index?code=...`), signed out like the
 * login page: the new member types the name the team will see, then wx.login signs them in on the
 * team's live pipeline.
 */
Component({
  behaviors: [pageKit],
  data: {
    text: {
      appName: t('app.name'),
      title: t('join.heading'),
      body: t('join.body'),
      name: t('join.name'),
      namePlaceholder: t('join.namePlaceholder'),
      join: t('join.submit'),
      goneTitle: t('join.goneTitle'),
      goneBody: t('join.goneBody'),
      invalidTitle: t('join.invalidTitle'),
      invalidBody: t('join.invalidBody'),
      toLogin: t('join.toLogin'),
    },
    view: 'form' as View,
    name: '',
    nameError: '',
    busy: false,
  },

  methods: {
    onLoad(query: Record<string, string | undefined> = {}) {
      wx.setNavigationBarTitle({ title: t('join.title') });
      const code = (query.code ?? '').trim();
      stateOf(this).code = code;
      if (!code) this.setData({ view: 'invalid' });
    },

    onNameChange(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ name: e.detail.value, nameError: '' });
    },

    async onJoin() {
      if (this.data.busy) return;
      const name = this.data.name.trim();
      if (!name) {
        this.setData({ nameError: t('join.nameRequired') });
        return;
      }
      this.setData({ busy: true });
      try {
        const session = await joinWithInvitation(stateOf(this).code, name);
        this.toast(t('login.welcome', { name: session.user.name }), 'success');
        realtime.start();
        wx.reLaunch({ url: HOME_PAGE });
      } catch (err) {
        if (isApiError(err) && err.code === 'gone') this.setData({ view: 'gone' });
        else if (isApiError(err) && err.code === 'not_found') this.setData({ view: 'invalid' });
        else this.toast(`${t('join.failed')}: ${errorText(err)}`, 'error');
      } finally {
        this.setData({ busy: false });
      }
    },

    onToLogin() {
      wx.reLaunch({ url: LOGIN_PAGE });
    },
  },
});
