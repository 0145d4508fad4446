import { t } from '../../i18n/index';

const HOME_PAGE = '/pages/pipeline/index';

/**
 * The one screen for a record the phone may not show: deleted, another team's or tenant's, or a bad
 * link. Retrying cannot help, so it offers only the way back. `shared`: opened from a link someone
 * shared in a chat, so it says who can help.
 */
Component({
  properties: {
    shared: { type: Boolean, value: false },
  },

  data: {
    text: { title: '', body: '', sharedTitle: '', sharedBody: '', back: '' },
  },

  lifetimes: {
    attached() {
      this.setData({
        text: {
          title: t('notFound.title'),
          body: t('notFound.body'),
          sharedTitle: t('notFound.sharedTitle'),
          sharedBody: t('notFound.sharedBody'),
          back: t('notFound.back'),
        },
      });
    },
  },

  methods: {
    /** A shared link opens as the only page: there is nothing to go back to, so go home. */
    onBack() {
      wx.navigateBack({
        delta: 1,
        fail: () => {
          wx.switchTab({ url: HOME_PAGE });
        },
      });
    },
  },
});
