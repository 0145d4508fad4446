import type { Id, Opportunity, TeamEventEnvelope, TeamMember } from '@live-crm/shared-types';
import { keepLive, livePage, pullToRefresh, reloadOnReset, showOnline } from '../../behaviors/live-page';
import { stageLabel, t } from '../../i18n/index';
import { isApiError } from '../../services/api';
import { offlineQueue } from '../../services/offline-queue';
import { conflictOpportunity, getPipeline, onDealSync, queuedMoves, saveMove } from '../../services/pipeline';
import type { DealSync } from '../../services/pipeline';
import { realtime } from '../../services/realtime';
import { lastActorOf, nameOf, teamMembers, teamNames } from '../../services/team';
import { errorText, idFrom, pageState } from '../../utils/page';
import type { TapEvent } from '../../utils/page';
import { localizeTabBar } from '../../utils/tab-bar';
import { Board } from './board';
import type { Patch } from './board';
import { pageKit } from '../../behaviors/page-kit';

/** Per page instance, outside `data`: never sent to the view. */
interface State {
  board: Board | null;
  /** who last moved each deal, from live envelopes (a 409 toast names them) */
  movedBy: Map<Id, Id>;
  /** teammates' names by id (GET /api/me), filled in the background */
  names: Map<Id, string>;
  sheetDealId: Id | null;
  /** live changes seen while a load is in flight: its answer may predate them */
  duringLoad: Opportunity[] | null;
  loadsInFlight: number;
  /** A manager's rep filter (null: the whole team) and the members the sheet lists. */
  ownerId: Id | null;
  members: TeamMember[];
  sheetKind: 'move' | 'owner';
}

// owner-changed: a handover, claim or reassignment shows the new owner on the card.
const LIVE_EVENTS = ['opportunity:created', 'opportunity:updated', 'opportunity:moved', 'opportunity:owner-changed'] as const;

const stateOf = pageState<State>(() => ({
  board: null,
  movedBy: new Map(),
  names: new Map(),
  sheetDealId: null,
  duringLoad: null,
  loadsInFlight: 0,
  ownerId: null,
  members: [],
  sheetKind: 'move',
}));

function texts() {
  return {
    total: t('pipeline.totalValue'),
    weighted: t('pipeline.weightedValue'),
    newDeal: t('pipeline.newDeal'),
    move: t('pipeline.move'),
    stageEmpty: t('pipeline.stageEmpty'),
    emptyTitle: t('pipeline.emptyTitle'),
    retry: t('common.retry'),
    loading: t('common.loading'),
    cancel: t('common.cancel'),
    live: t('pipeline.live'),
    offline: t('pipeline.offline'),
    ownerFilter: t('pipeline.ownerFilter'),
  };
}

Component({
  behaviors: [pageKit, livePage, pullToRefresh],
  data: {
    text: texts(),
    loading: true,
    error: '',
    empty: false,
    online: false,
    /** '待同步 N' while changes made offline wait for the server; '' hides the tag */
    queued: '',
    columns: [] as ReturnType<Board['columns']>,
    summary: { total: '', weighted: '' },
    activeStage: '',
    /** Managers and admins filter the board by rep. */
    canFilter: false,
    /** the empty board's words while filtered to one member */
    emptyText: '',
    ownerLabel: t('pipeline.everyone'),
    sheet: { visible: false, title: '', items: [] as Array<{ label: string; disabled: boolean }> },
  },

  methods: {
    onLoad() {
      const session = this.signedIn();
      if (!session) return;
      wx.setNavigationBarTitle({ title: t('pipeline.title') });
      const state = stateOf(this);
      state.names.set(session.user.id, session.user.name);
      this.setData({ canFilter: session.user.role !== 'rep' });
      void teamNames().then((names) => names.forEach((name, id) => state.names.set(id, name)));
      for (const type of LIVE_EVENTS)
        keepLive(
          this,
          realtime.on(type, (env) => this.onLiveDeal(env)),
        );
      reloadOnReset(this);
      showOnline(this);
      keepLive(
        this,
        offlineQueue.subscribe(() => this.showQueued()),
      );
      keepLive(
        this,
        onDealSync((sync) => this.onDealSync(sync)),
      );
      this.showQueued();
      realtime.start();
      void this.load();
    },

    onShow() {
      localizeTabBar();
    },

    async load() {
      const state = stateOf(this);
      if (!state.board) this.setData({ loading: true });
      if (state.loadsInFlight++ === 0) state.duringLoad = [];
      try {
        const board = new Board(await getPipeline(), state.ownerId);
        // Replayed by version: a change newer than the answer wins, an older one is ignored.
        for (const opp of state.duringLoad ?? []) board.apply(opp);
        state.board = board;
        const columns = board.columns();
        const active = columns.some((c) => String(c.stageId) === this.data.activeStage);
        this.setData({
          loading: false,
          error: '',
          empty: board.dealCount === 0,
          columns,
          summary: board.summary(),
          activeStage: active ? this.data.activeStage : String(columns[0]?.stageId ?? ''),
        });
        this.markQueued(board);
      } catch (err) {
        // Keep showing what we had; only an empty page turns into the error state.
        if (state.board) this.toast(errorText(err));
        else this.setData({ loading: false, error: errorText(err) });
      } finally {
        if (--state.loadsInFlight === 0) state.duringLoad = null;
      }
    },

    /** A teammate's create/update/move/owner change: patch the changed paths only. */
    onLiveDeal(env: TeamEventEnvelope<(typeof LIVE_EVENTS)[number]>) {
      const state = stateOf(this);
      if (env.type === 'opportunity:moved') state.movedBy.set(env.data.opportunity.id, env.actorId);
      state.duringLoad?.push(env.data.opportunity);
      if (!state.board || env.teamId !== state.board.teamId) return;
      this.patch(state.board.apply(env.data.opportunity));
    },

    patch(patch: Patch | null) {
      if (patch) this.setData(patch);
    },

    onTabChange(e: WechatMiniprogram.CustomEvent<{ value: string | number }>) {
      this.setData({ activeStage: String(e.detail.value) });
    },

    onCardTap(e: TapEvent) {
      wx.navigateTo({ url: `/pages/opportunity-detail/index?id=${idFrom(e)}` });
    },

    onNewDeal() {
      wx.navigateTo({ url: '/pages/opportunity-form/index' });
    },

    onMoveTap(e: TapEvent) {
      const state = stateOf(this);
      const deal = state.board?.get(idFrom(e));
      if (!state.board || !deal) return;
      state.sheetDealId = deal.id;
      state.sheetKind = 'move';
      const items = state.board.stageList().map((s) => ({ label: stageLabel(s), disabled: s.id === deal.stageId }));
      this.setData({ sheet: { visible: true, title: t('pipeline.moveTitle', { title: deal.title }), items } });
    },

    /** 负责人 filter (managers): everyone, or one member's deals. */
    async onOwnerFilterTap() {
      const state = stateOf(this);
      try {
        state.members = (await teamMembers()).filter((m) => m.role !== 'admin');
      } catch (err) {
        this.toast(errorText(err));
        return;
      }
      state.sheetKind = 'owner';
      const items = [{ label: t('pipeline.everyone'), disabled: state.ownerId === null }].concat(
        state.members.map((m) => ({ label: m.name, disabled: m.id === state.ownerId })),
      );
      this.setData({ sheet: { visible: true, title: t('pipeline.ownerFilter'), items } });
    },

    onSheetSelected(e: WechatMiniprogram.CustomEvent<{ index: number }>) {
      const state = stateOf(this);
      if (state.sheetKind === 'owner') {
        this.onSheetClose();
        const member = e.detail.index === 0 ? null : state.members[e.detail.index - 1];
        if (member === undefined) return;
        state.ownerId = member?.id ?? null;
        this.setData({
          ownerLabel: member?.name ?? t('pipeline.everyone'),
          emptyText: member ? t('pipeline.emptyFor', { name: member.name }) : '',
        });
        void this.load();
        return;
      }
      const stage = state.board?.stageList()[e.detail.index];
      const dealId = state.sheetDealId;
      this.onSheetClose();
      if (stage && dealId !== null) void this.move(dealId, stage.id);
    },

    /**
     * Optimistic move, then the REST move with `version`; a 409 rolls back to the server's record.
     * Offline it stays pending in the queue; onDealSync settles it when the server has it.
     */
    async move(id: Id, stageId: Id) {
      const board = stateOf(this).board;
      const before = board?.get(id);
      const target = board?.stageList().find((s) => s.id === stageId);
      if (!board || !before || !target || before.stageId === stageId) return;
      this.patch(board.apply({ ...before, stageId }, true));
      this.patch(board.pendingPatch(id, true));
      try {
        const res = await saveMove(before, target);
        if (res.queued) {
          this.toast(t('offline.queued'));
          return;
        }
        this.patch(board.apply(res.value) ?? board.pendingPatch(id, false));
        this.toast(t('pipeline.moved', { stage: stageLabel(target) }), 'success');
      } catch (err) {
        await this.rollBack(board, before, err);
      }
    },

    showQueued() {
      const count = offlineQueue.pending().length;
      const queued = count ? t('offline.pending', { count }) : '';
      if (queued !== this.data.queued) this.setData({ queued });
    },

    /** After a load (or a relaunch): moves still queued show in their new stage, pending. */
    markQueued(board: Board) {
      for (const [id, stageId] of queuedMoves()) {
        const deal = board.get(id);
        if (!deal || deal.stageId === stageId) continue;
        this.patch(board.apply({ ...deal, stageId }, true));
        this.patch(board.pendingPatch(id, true));
      }
    },

    /** A queued move or edit reached the server: show what it saved, or roll back what it refused (the queue says why). */
    onDealSync(sync: DealSync) {
      const board = stateOf(this).board;
      if (!board) return;
      if (sync.kind === 'applied') {
        this.patch(board.apply(sync.opportunity) ?? board.pendingPatch(sync.opportunity.id, false));
        return;
      }
      if (!sync.current) {
        void this.load();
        return;
      }
      this.patch(board.apply(sync.current, true));
      this.patch(board.pendingPatch(sync.id, false));
    },

    async rollBack(board: Board, before: Opportunity, err: unknown) {
      const current = isApiError(err) ? conflictOpportunity(err) : null;
      this.patch(board.apply(current ?? before, true));
      this.patch(board.pendingPatch(before.id, false));
      if (!current) {
        this.toast(errorText(err), 'error');
        return;
      }
      const name = await this.moverName(current);
      this.toast(t('pipeline.conflict', { name, title: current.title }), 'warning');
    },

    /** The live envelope may already have told us; otherwise the team feed does. */
    async moverName(opp: Opportunity): Promise<string> {
      const state = stateOf(this);
      const actor = state.movedBy.get(opp.id) ?? (await lastActorOf(opp.id));
      return (actor !== null && state.names.get(actor)) || nameOf(actor, t('common.someone'));
    },
  },
});
