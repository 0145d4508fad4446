import Toast from 'tdesign-miniprogram/toast/index';
import { t } from '../../i18n/index';
import type { MessageKey } from '../../i18n/index';
import {
  addConsentSheet,
  agreePrivacy,
  openPrivacyContract,
  privacyContractName,
  raiseConsentSheet,
  refusePrivacy,
  watchPrivacy,
} from '../../services/privacy';
import type { ConsentSheet } from '../../services/privacy';

/** The id WeChat checks: consent counts only after a tap on this agreePrivacyAuthorization button. */
const AGREE_BUTTON = 'privacy-agree';

/** What the waiting privacy API does for the user, by the API that asked. */
const FEATURES: Record<string, MessageKey> = {
  setClipboardData: 'privacy.featureClipboard',
  getClipboardData: 'privacy.featureClipboard',
  chooseMessageFile: 'privacy.featureFile',
  chooseMedia: 'privacy.featureMedia',
  chooseImage: 'privacy.featureMedia',
  getLocation: 'privacy.featureLocation',
  chooseLocation: 'privacy.featureLocation',
  getFuzzyLocation: 'privacy.featureLocation',
};
const featureOf = (referrer: string): string => t(FEATURES[referrer] ?? 'privacy.featureOther');

const sheets = new WeakMap<object, { sheet: ConsentSheet; remove: () => void; feature: string }>();

/**
 * The privacy consent sheet. Put one on every page that calls a privacy API; it opens by itself
 * when WeChat needs consent, at first use, and answers for every call waiting on it.
 */
Component({
  data: {
    visible: false,
    agreeButton: AGREE_BUTTON,
    body: '',
    contract: '',
    text: { title: '', agree: '', refuse: '' },
  },

  lifetimes: {
    attached() {
      watchPrivacy();
      this.setData({ text: { title: t('privacy.title'), agree: t('privacy.agree'), refuse: t('privacy.refuse') } });
      const sheet: ConsentSheet = {
        ask: (referrer) => {
          void this.ask(referrer);
        },
      };
      sheets.set(this, { sheet, remove: addConsentSheet(sheet), feature: '' });
    },
    detached() {
      sheets.get(this)?.remove();
      sheets.delete(this);
    },
  },

  pageLifetimes: {
    show() {
      const own = sheets.get(this);
      if (own) raiseConsentSheet(own.sheet);
    },
  },

  methods: {
    async ask(referrer: string) {
      const own = sheets.get(this);
      if (!own) return;
      own.feature = featureOf(referrer);
      const contract = (await privacyContractName()) ?? t('privacy.contract');
      this.setData({ visible: true, contract, body: t('privacy.body', { feature: own.feature, contract }) });
    },

    /** WeChat saw the tap on the agree button; now the waiting calls may run. */
    onAgree() {
      this.setData({ visible: false });
      agreePrivacy(AGREE_BUTTON);
    },

    /** Nothing happens; the user is told what does not work without consent. */
    onRefuse() {
      const feature = sheets.get(this)?.feature || t('privacy.featureOther');
      this.setData({ visible: false });
      refusePrivacy();
      Toast({ context: this, selector: '#privacy-toast', message: t('privacy.refused', { feature }), duration: 4000 });
    },

    onVisibleChange(e: WechatMiniprogram.CustomEvent<{ visible: boolean }>) {
      if (!e.detail.visible && this.data.visible) this.onRefuse();
    },

    onContract() {
      openPrivacyContract();
    },
  },
});
