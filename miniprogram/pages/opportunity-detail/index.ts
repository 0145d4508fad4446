import type { Id, Opportunity, Stage, TeamEventEnvelope } from '@live-crm/shared-types';
import { keepLive, livePage, reloadOnReset } from '../../behaviors/live-page';
import { stageLabel, t } from '../../i18n/index';
import { isApiError } from '../../services/api';
import { conflictOpportunity, getOpportunity, getStages, onDealSync, saveMove } from '../../services/pipeline';
import type { DealSync } from '../../services/pipeline';
import { realtime } from '../../services/realtime';
import { getSession } from '../../services/session';
import { lastActorOf, nameOf } from '../../services/team';
import { formatDate, formatDateTime, formatMoney } from '../../utils/format';
import { errorText, isMissing, numberParam, pageState } from '../../utils/page';
import { enableShareMenu, openedFromShare, sharedOpportunityPath } from '../../utils/share';
import type { ShareCard } from '../../utils/share';
import { pathOf } from '../../utils/links';
import { pageKit } from '../../behaviors/page-kit';
import { reassignSheet } from '../../behaviors/reassign';

/** What changes a deal on a teammate's screen: a move, an edit, a new owner (handover, reassignment). */
type LiveType = 'opportunity:moved' | 'opportunity:updated' | 'opportunity:owner-changed';

/** `choices`: the stages the open sheet lists, in its order. */
interface State {
  id: Id | null;
  deal: Opportunity | null;
  stages: Stage[];
  choices: Stage[];
  shown: boolean;
}
const stateOf = pageState<State>(() => ({ id: null, deal: null, stages: [], choices: [], shown: false }));

const isClosed = (stage: Stage | undefined): boolean => !!stage && stage.outcome !== 'open';

function view(deal: Opportunity, stages: Stage[]) {
  const stage = stages.find((s) => s.id === deal.stageId);
  const outcome = stage?.outcome ?? 'open';
  const closed = isClosed(stage);
  return {
    closed,
    closedHint: closed && stage ? t('opportunity.closedHint', { stage: stageLabel(stage) }) : '',
    title: deal.title,
    customer: deal.customerName,
    value: formatMoney(deal.valueCents),
    stage: stage ? stageLabel(stage) : '',
    stageTheme: outcome === 'won' ? 'success' : outcome === 'lost' ? 'danger' : 'primary',
    probability: stage ? `${stage.probability}%` : '',
    owner: deal.ownerName ?? t('common.unassigned'),
    closeDate: formatDate(deal.expectedCloseDate) || t('common.none'),
    updatedAt: formatDateTime(deal.updatedAt),
  };
}

Component({
  behaviors: [pageKit, livePage, reassignSheet],
  data: {
    text: {
      customer: t('opportunity.customer'),
      value: t('opportunity.value'),
      stage: t('opportunity.stage'),
      probability: t('opportunity.probability'),
      owner: t('opportunity.owner'),
      closeDate: t('opportunity.expectedClose'),
      updatedAt: t('opportunity.updatedAt'),
      move: t('opportunity.move'),
      edit: t('common.edit'),
      record: t('opportunity.record'),
      retry: t('common.retry'),
      loading: t('common.loading'),
      cancel: t('common.cancel'),
      reopen: t('opportunity.reopen'),
    },
    loading: true,
    error: '',
    /** deleted, another team's, or a bad link: the one not-found screen, no retry */
    missing: false,
    /** opened from a card shared in a chat */
    shared: false,
    moving: false,
    /** A manager (or admin) may give the deal to another member (转交). */
    canReassign: false,
    deal: null as ReturnType<typeof view> | null,
    sheet: { visible: false, title: '', items: [] as Array<{ label: string; disabled: boolean }> },
  },

  methods: {
    onLoad(query: Record<string, string | undefined>) {
      if (!this.signedIn(pathOf('/pages/opportunity-detail/index', query))) return;
      wx.setNavigationBarTitle({ title: t('opportunity.title') });
      enableShareMenu();
      const state = stateOf(this);
      state.id = numberParam(query.id);
      this.setData({ shared: openedFromShare(query), canReassign: getSession()?.user.role !== 'rep' });
      const onLive = (env: TeamEventEnvelope<LiveType>) => this.onLive(env);
      keepLive(
        this,
        realtime.on('opportunity:moved', onLive),
        realtime.on('opportunity:updated', onLive),
        realtime.on('opportunity:owner-changed', onLive),
      );
      reloadOnReset(this);
      keepLive(
        this,
        onDealSync((sync) => this.onDealSync(sync)),
      );
      realtime.start();
      void this.load();
    },

    onShow() {
      // Back from the edit form: show what was saved.
      const state = stateOf(this);
      if (state.shown) void this.load();
      state.shown = true;
    },

    async load() {
      const state = stateOf(this);
      if (state.id === null) {
        this.setData({ loading: false, missing: true });
        return;
      }
      try {
        const [deal, stages] = await Promise.all([getOpportunity(state.id), getStages()]);
        state.stages = stages;
        // A live change may have landed while this answer was on its way: keep the newer one.
        if (!this.show(deal, !state.deal)) this.setData({ loading: false, error: '' });
      } catch (err) {
        this.setData({ loading: false, error: errorText(err), missing: isMissing(err) });
      }
    },

    show(deal: Opportunity, force = false) {
      const state = stateOf(this);
      if (!force && state.deal && deal.version <= state.deal.version) return false;
      state.deal = deal;
      this.setData({ loading: false, error: '', deal: view(deal, state.stages) });
      return true;
    },

    async onLive(env: TeamEventEnvelope<LiveType>) {
      const opp = env.data.opportunity;
      if (opp.id !== stateOf(this).id || !this.show(opp)) return;
      if (env.actorId === getSession()?.user.id) return;
      const name = await nameOf(env.actorId, t('common.someone'));
      this.toast(t('opportunity.changedLive', { name }));
    },

    /** The card a teammate opens from the chat; no amount in the title, a chat may hold outsiders. */
    onShareAppMessage(): ShareCard {
      const { id, deal } = stateOf(this);
      return { title: deal ? t('share.opportunity', { title: deal.title }) : t('opportunity.title'), path: sharedOpportunityPath(id ?? 0) };
    },

    /** 写跟进 on this deal: the record form with the deal already chosen. */
    onRecord() {
      const deal = stateOf(this).deal;
      if (deal) wx.navigateTo({ url: `/pages/record-form/index?customerId=${deal.customerId}&opportunityId=${deal.id}` });
    },

    onEdit() {
      wx.navigateTo({ url: `/pages/opportunity-form/index?id=${stateOf(this).id}` });
    },

    onOwnerTap() {
      const deal = stateOf(this).deal;
      if (deal && this.data.canReassign) void this.openReassign('opportunity', deal.id, deal.ownerId);
    },

    onReassigned(deal: Opportunity) {
      this.show(deal);
    },

    /** Any stage for an open deal; a closed (won/lost) one is reopened into an open stage. */
    onMoveTap() {
      const state = stateOf(this);
      const deal = state.deal;
      if (!deal) return;
      const reopening = isClosed(state.stages.find((s) => s.id === deal.stageId));
      state.choices = reopening ? state.stages.filter((s) => s.outcome === 'open') : state.stages;
      const items = state.choices.map((s) => ({ label: stageLabel(s), disabled: s.id === deal.stageId }));
      this.setData({ sheet: { visible: true, title: reopening ? t('opportunity.reopenTitle') : '', items } });
    },

    async onSheetSelected(e: WechatMiniprogram.CustomEvent<{ index: number }>) {
      this.onSheetClose();
      const { deal, choices } = stateOf(this);
      const stage = choices[e.detail.index];
      if (!deal || !stage || stage.id === deal.stageId) return;
      const reopening = !!this.data.deal?.closed;
      this.setData({ moving: true });
      try {
        const res = await saveMove(deal, stage);
        if (res.queued) {
          this.showPending(stage);
          this.toast(t('offline.queued'));
          return;
        }
        this.show(res.value);
        this.toast(t(reopening ? 'opportunity.reopened' : 'pipeline.moved', { stage: stageLabel(stage) }), 'success');
      } catch (err) {
        const current = isApiError(err) ? conflictOpportunity(err) : null;
        if (current) this.show(current, true);
        const name = current ? await nameOf(await lastActorOf(current.id), t('common.someone')) : '';
        this.toast(current ? t('pipeline.conflict', { name, title: current.title }) : errorText(err), 'warning');
      } finally {
        this.setData({ moving: false });
      }
    },

    /** Queued without a connection: shown in its new stage until the queue settles it (onDealSync). */
    showPending(stage: Stage) {
      const state = stateOf(this);
      if (!state.deal) return;
      state.deal = { ...state.deal, stageId: stage.id };
      this.setData({ deal: view(state.deal, state.stages) });
    },

    /** A queued move of this deal reached the server: show what it saved, or the fresh deal it was refused for. */
    onDealSync(sync: DealSync) {
      const id = sync.kind === 'applied' ? sync.opportunity.id : sync.id;
      if (id !== stateOf(this).id) return;
      if (sync.kind === 'applied') this.show(sync.opportunity);
      else if (sync.current) this.show(sync.current, true);
      else void this.load();
    },
  },
});
