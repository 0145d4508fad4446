import type { Id, TeamEventEnvelope } from '@live-crm/shared-types';
import { keepLive, livePage, reloadOnReset } from '../../behaviors/live-page';
import { t } from '../../i18n/index';
import { newIdempotencyKey } from '../../services/api';
import { copyText } from '../../services/clipboard';
import { listMessages, sendMessage } from '../../services/communications';
import { realtime } from '../../services/realtime';
import { errorText, numberParam, pageState } from '../../utils/page';
import { Thread } from './thread';
import type { Bubble, Patch } from './thread';
import { pageKit } from '../../behaviors/page-kit';

interface State {
  customerId: Id | null;
  myId: Id;
  myName: string;
  thread: Thread | null;
}
const stateOf = pageState<State>(() => ({ customerId: null, myId: 0, myName: '', thread: null }));

Component({
  behaviors: [pageKit, livePage],
  data: {
    text: {
      notice: t('message.notice'),
      placeholder: t('message.placeholder'),
      send: t('message.send'),
      empty: t('message.empty'),
      copy: t('message.copy'),
      loading: t('common.loading'),
      retry: t('common.retry'),
    },
    loading: true,
    error: '',
    bubbles: [] as Bubble[],
    empty: false,
    draft: '',
  },

  methods: {
    onLoad(query: Record<string, string | undefined>) {
      const session = this.signedIn();
      if (!session) return;
      const state = stateOf(this);
      Object.assign(state, { customerId: numberParam(query.customerId), myId: session.user.id, myName: session.user.name });
      const name = query.name ? decodeURIComponent(query.name) : '';
      wx.setNavigationBarTitle({ title: name || t('message.title') });
      keepLive(
        this,
        realtime.on('message:created', (env) => this.onLive(env)),
      );
      reloadOnReset(this);
      realtime.start();
      void this.load();
    },

    async load() {
      const state = stateOf(this);
      if (state.customerId === null) {
        this.setData({ loading: false, error: t('error.not_found') });
        return;
      }
      try {
        const messages = await listMessages(state.customerId, 100);
        const thread = new Thread(state.myId);
        const bubbles = thread.initial(messages);
        state.thread = thread;
        this.setData({ loading: false, error: '', bubbles, empty: bubbles.length === 0 }, () => this.toBottom());
      } catch (err) {
        if (state.thread) this.toast(errorText(err));
        else this.setData({ loading: false, error: errorText(err) });
      }
    },

    onLive(env: TeamEventEnvelope<'message:created'>) {
      const state = stateOf(this);
      if (env.data.message.customerId !== state.customerId || !state.thread) return;
      this.patch(state.thread.append(env.data.message));
    },

    patch(patch: Patch | null) {
      if (patch) this.setData(patch, () => this.toBottom());
    },

    toBottom() {
      if (typeof wx.pageScrollTo === 'function') wx.pageScrollTo({ scrollTop: 1e6, duration: 0, fail: () => undefined });
    },

    onInput(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ draft: e.detail.value });
    },

    /** Shown at once; the Idempotency-Key stays with the message, so a retry never sends it twice. */
    onSend() {
      const state = stateOf(this);
      const content = this.data.draft.trim();
      if (!content || !state.thread) return;
      const key = newIdempotencyKey();
      this.patch(state.thread.addPending(key, content, state.myName));
      this.setData({ draft: '' });
      void this.deliver(key, content);
    },

    async deliver(key: string, content: string) {
      const state = stateOf(this);
      const thread = state.thread;
      if (!thread || state.customerId === null) return;
      try {
        this.patch(thread.settle(key, await sendMessage(state.customerId, content, key)));
      } catch (err) {
        this.patch(thread.fail(key));
        this.toast(errorText(err), 'error');
      }
    },

    onBubbleTap(e: WechatMiniprogram.BaseEvent<Record<string, never>, { key?: string; state?: string }>) {
      const { key, state: bubbleState } = e.currentTarget.dataset;
      const thread = stateOf(this).thread;
      if (bubbleState !== 'failed' || !key?.startsWith('pending:') || !thread) return;
      const localKey = key.slice('pending:'.length);
      const retry = thread.retrying(localKey);
      if (!retry) return;
      this.patch(retry.patch);
      void this.deliver(localKey, retry.content);
    },

    /** Nothing here reaches the customer: the rep copies the text and sends it in WeChat themselves. */
    async onCopy(e: WechatMiniprogram.BaseEvent<Record<string, never>, { index?: number }>) {
      const bubble = this.data.bubbles[Number(e.currentTarget.dataset.index)];
      if (!bubble) return;
      // The clipboard is a privacy API: the first copy asks for consent through the page's sheet.
      const result = await copyText(bubble.content);
      // WeChat shows its own "copied" toast; ours says where to paste it.
      if (result === 'copied') this.toast(t('message.copied'));
      else if (result === 'failed') this.toast(t('error.generic'), 'error');
    },
  },
});
