import { showToast } from '../../behaviors/page-kit';
import { t } from '../../i18n/index';
import { copyText } from '../../services/clipboard';

type CopyEvent = WechatMiniprogram.BaseEvent<Record<string, never>, { value?: string }>;

/**
 * A tap on the phone, e-mail or address copies it (to add the customer on WeChat, paste into a map).
 * The clipboard is a privacy API: the first copy asks for consent through the page's privacy sheet.
 */
export const copyFacts = Behavior({
  methods: {
    async onCopy(e: CopyEvent) {
      const value = e.currentTarget.dataset.value;
      if (!value) return;
      if ((await copyText(value)) === 'failed') showToast(this, t('error.generic'), 'error');
    },
  },
});
