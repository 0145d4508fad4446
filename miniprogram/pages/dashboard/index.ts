import type { AnalyticsPeriod, Id, Stage, TeamEventEnvelope, TeamEventType } from '@live-crm/shared-types';
import { keepLive, livePage, pullToRefresh, releaseLive, reloadOnReset, showOnline } from '../../behaviors/live-page';
import { locale, t } from '../../i18n/index';
import { getTeams } from '../../services/analytics';
import { realtime } from '../../services/realtime';
import { diffData } from '../../utils/diff';
import { exportButtons, isExportType, runExport } from '../../utils/export-flow';
import { errorText, idFrom, pageState } from '../../utils/page';
import { localizeTabBar } from '../../utils/tab-bar';
import type { TapEvent } from '../../utils/page';
import { drawActivityChart, emptyView, loadDashboard } from './load';
import type { ChartData, DashboardView } from './load';
import { pageKit } from '../../behaviors/page-kit';
import { getLeaderboard } from '../../services/ownership';
import { getStages } from '../../services/pipeline';
import { Leaderboard } from './leaderboard';
import type { BoardRow } from './leaderboard';

/** Per page instance, outside `data`: never sent to the view. */
interface State {
  timer: ReturnType<typeof setTimeout> | null;
  /** first live event of the current burst, so a steady stream still refreshes */
  burstStart: number;
  /** bumps on every load: a slower, older answer must not overwrite a newer one */
  loadSeq: number;
  /** teams the numbers on screen cover: events of other teams change nothing here */
  teamIds: Id[];
  chart: ChartData | null;
  teams: Array<{ id: Id; name: string }>;
  /** an admin's pick; null: their whole tenant (everyone else always sees their own team) */
  teamId: Id | null;
  /** a tab page stays alive behind other tabs: while hidden, live events only mark it stale */
  hidden: boolean;
  stale: boolean;
  /** The month's ranking and the stages that say which moves win a deal. */
  board: Leaderboard | null;
  stages: Stage[];
}

/** A burst of moves settles into one refresh ~1.5 s after the last event, at most 5 s after the first. */
export const LIVE_DEBOUNCE_MS = 1500;
const LIVE_MAX_WAIT_MS = 5000;
const LIVE_EVENTS: TeamEventType[] = ['opportunity:created', 'opportunity:updated', 'opportunity:moved', 'activity:created'];
const PERIODS: AnalyticsPeriod[] = ['7d', '30d', '90d', '365d'];

const stateOf = pageState<State>(() => ({
  timer: null,
  burstStart: 0,
  loadSeq: 0,
  teamIds: [],
  chart: null,
  teams: [],
  teamId: null,
  hidden: false,
  stale: false,
  board: null,
  stages: [],
}));

function texts() {
  return {
    funnel: t('dashboard.funnel'),
    activities: t('dashboard.activities'),
    rotting: t('dashboard.rotting'),
    noActivities: t('dashboard.noActivities'),
    noRotting: t('dashboard.noRotting'),
    noDeals: t('dashboard.noDeals'),
    report: t('dashboard.report'),
    visits: t('visits.title'),
    export: t('dashboard.export'),
    exportHint: t('dashboard.exportHint'),
    retry: t('common.retry'),
    loading: t('common.loading'),
    cancel: t('common.cancel'),
    live: t('pipeline.live'),
    offline: t('pipeline.offline'),
    leaderboard: t('leaderboard.title'),
    settings: t('settings.open'),
    noRanks: t('leaderboard.empty'),
  };
}

Component({
  behaviors: [pageKit, livePage, pullToRefresh],
  data: {
    text: texts(),
    periods: PERIODS.map((value) => ({ value, label: t(`dashboard.period${value}`) })),
    period: '30d' as AnalyticsPeriod,
    exportButtons: exportButtons(),
    /** English stage names need a wider label column in the funnel */
    wideLabels: locale() === 'en',
    isAdmin: false,
    /** managers and admins open the team settings from here */
    isManager: false,
    teamLabel: '',
    teamSheet: { visible: false, items: [] as Array<{ label: string }> },
    loading: true,
    error: '',
    online: false,
    view: emptyView() as DashboardView,
    leaderboard: [] as BoardRow[],
    month: '',
  },

  methods: {
    onLoad() {
      const session = this.signedIn();
      if (!session) return;
      wx.setNavigationBarTitle({ title: t('dashboard.title') });
      const isAdmin = session.user.role === 'admin';
      this.setData({ isAdmin, isManager: session.user.role !== 'rep', teamLabel: isAdmin ? t('dashboard.allTeams') : '' });
      if (isAdmin) void this.loadTeams();
      for (const type of LIVE_EVENTS)
        keepLive(
          this,
          realtime.on(type, (env) => this.onLiveEvent(env.teamId)),
        );
      keepLive(
        this,
        realtime.on('opportunity:moved', (env) => this.onDealMoved(env)),
      );
      reloadOnReset(this);
      showOnline(this);
      realtime.start();
      void this.load();
    },

    /** A deal won (or reopened) moves the leaderboard at once, on every manager's phone. */
    onDealMoved(env: TeamEventEnvelope<'opportunity:moved'>) {
      const { board, stages } = stateOf(this);
      const stage = (id: Id) => stages.find((s) => s.id === id);
      if (board?.applyMove(env.data.opportunity, stage(env.data.fromStageId), stage(env.data.toStageId))) {
        this.setData({ leaderboard: board.view() });
      }
    },

    async loadLeaderboard() {
      const state = stateOf(this);
      try {
        const [res, stages] = await Promise.all([getLeaderboard(), state.stages.length ? state.stages : getStages()]);
        state.stages = stages;
        state.board = new Leaderboard(res);
        this.setData({ leaderboard: state.board.view(), month: res.month });
      } catch {
        // The rest of the dashboard stands without it; the next load tries again.
      }
    },

    onUnload() {
      releaseLive(this);
      const state = stateOf(this);
      if (state.timer) clearTimeout(state.timer);
      state.timer = null;
      state.loadSeq += 1;
    },

    onShow() {
      localizeTabBar();
      const state = stateOf(this);
      state.hidden = false;
      if (state.stale) {
        state.stale = false;
        void this.load();
      }
    },

    onHide() {
      stateOf(this).hidden = true;
    },

    /** Fetches the period's numbers; after the first load only the changed paths go to the view. */
    async load() {
      const state = stateOf(this);
      const seq = ++state.loadSeq;
      void this.loadLeaderboard();
      try {
        const loaded = await loadDashboard(this.data.period, this.selectedTeam(), this.data.view.rotting);
        if (seq !== state.loadSeq) return;
        state.teamIds = loaded.teamIds;
        state.chart = loaded.chart;
        const patch =
          this.data.loading || this.data.error ? { view: loaded.view } : diffData({ view: this.data.view }, { view: loaded.view });
        this.setData({ ...patch, loading: false, error: '' }, () => this.drawChart());
      } catch (err) {
        if (seq !== state.loadSeq) return;
        // Keep showing what we had; only an empty page turns into the error state.
        if (this.data.loading || this.data.error) this.setData({ loading: false, error: errorText(err) });
        else this.toast(errorText(err));
      }
    },

    drawChart() {
      const chart = stateOf(this).chart;
      if (!chart || this.data.view.activityEmpty) return;
      this.createSelectorQuery()
        .select('#activity-chart')
        .fields({ node: true, size: true })
        .exec((res: unknown[]) => {
          drawActivityChart(res[0], chart);
        });
    },

    /** Debounced: a teammate dragging several deals costs one refetch, not one per move. */
    onLiveEvent(teamId: Id) {
      const state = stateOf(this);
      if (!state.teamIds.includes(teamId)) return;
      if (state.hidden) {
        state.stale = true;
        return;
      }
      const now = Date.now();
      if (!state.timer) state.burstStart = now;
      else clearTimeout(state.timer);
      const wait = Math.min(LIVE_DEBOUNCE_MS, Math.max(0, state.burstStart + LIVE_MAX_WAIT_MS - now));
      state.timer = setTimeout(() => {
        state.timer = null;
        void this.load();
      }, wait);
    },

    onPeriodChange(e: WechatMiniprogram.CustomEvent<{ value: AnalyticsPeriod }>) {
      if (e.detail.value === this.data.period) return;
      this.setData({ period: e.detail.value });
      void this.load();
    },

    async loadTeams() {
      try {
        stateOf(this).teams = await getTeams();
      } catch {
        // the picker then offers "all teams" only
      }
    },

    /** Null: the caller's own team, or for an admin every team of the tenant. */
    selectedTeam(): Id | null {
      return stateOf(this).teamId;
    },

    onTeamTap() {
      const items = [{ label: t('dashboard.allTeams') }, ...stateOf(this).teams.map((team) => ({ label: team.name }))];
      this.setData({ teamSheet: { visible: true, items } });
    },

    onTeamSelected(e: WechatMiniprogram.CustomEvent<{ index: number }>) {
      const state = stateOf(this);
      const team = e.detail.index === 0 ? null : (state.teams[e.detail.index - 1] ?? null);
      state.teamId = team ? team.id : null;
      this.setData({ 'teamSheet.visible': false, teamLabel: team ? team.name : t('dashboard.allTeams') });
      void this.load();
    },

    onDealTap(e: TapEvent) {
      wx.navigateTo({ url: `/pages/opportunity-detail/index?id=${idFrom(e)}` });
    },

    /** The visit log: a manager's team by rep and day, a rep's own. */
    onVisitsTap() {
      wx.navigateTo({ url: '/pages/visits/index' });
    },

    onSettingsTap() {
      wx.navigateTo({ url: '/pages/team-settings/index' });
    },

    onReportTap() {
      const team = this.selectedTeam();
      wx.navigateTo({ url: `/pages/report/index${team === null ? '' : `?teamId=${team}`}` });
    },

    async onExportTap(e: WechatMiniprogram.BaseEvent<Record<string, never>, { type?: string }>) {
      const type = e.currentTarget.dataset.type;
      if (!isExportType(type)) return;
      const team = this.selectedTeam();
      const filters: Record<string, string | number> = team === null ? {} : { teamId: team };
      // Activities follow the period on screen; the other sheets are the team's current records.
      const range = this.data.view.days;
      if (type === 'activities' && range) Object.assign(filters, { from: range.first, to: range.last });
      const failed = await runExport(type, filters);
      if (failed) this.toast(failed, 'error');
    },
  },
});
