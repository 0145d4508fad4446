import type { Id } from '@live-crm/shared-types';
import { pullToRefresh } from '../../behaviors/live-page';
import { t } from '../../i18n/index';
import { getWeeklyReport } from '../../services/analytics';
import { exportButtons, isExportType, runExport } from '../../utils/export-flow';
import { errorText, numberParam, pageState } from '../../utils/page';
import { addDays, generatedAt, reportColumns, reportRows, weekRange } from './view';
import type { ReportRow } from './view';
import { pageKit } from '../../behaviors/page-kit';

/** Per page instance, outside `data`. */
interface State {
  teamId: Id | null;
  /** Monday shown; null until the server has said which week is running */
  weekStart: string | null;
  currentWeek: string | null;
  loadSeq: number;
}

const stateOf = pageState<State>(() => ({ teamId: null, weekStart: null, currentWeek: null, loadSeq: 0 }));

function texts() {
  return {
    prev: t('report.prevWeek'),
    next: t('report.nextWeek'),
    empty: t('report.empty'),
    exportTitle: t('report.exportTitle'),
    exportHint: t('dashboard.exportHint'),
    legend: t('report.legend'),
    retry: t('common.retry'),
    loading: t('common.loading'),
  };
}

Component({
  behaviors: [pageKit, pullToRefresh],
  data: {
    text: texts(),
    columns: reportColumns(),
    exportButtons: exportButtons(),
    loading: true,
    error: '',
    range: '',
    generated: '',
    isCurrentWeek: true,
    rows: [] as ReportRow[],
  },

  methods: {
    onLoad(query: Record<string, string | undefined> = {}) {
      if (!this.signedIn()) return;
      wx.setNavigationBarTitle({ title: t('report.title') });
      stateOf(this).teamId = numberParam(query['teamId']);
      void this.load();
    },

    onUnload() {
      stateOf(this).loadSeq += 1;
    },

    async load() {
      const state = stateOf(this);
      const seq = ++state.loadSeq;
      try {
        const report = await getWeeklyReport(state.weekStart, state.teamId);
        if (seq !== state.loadSeq) return;
        state.weekStart = report.weekStart;
        state.currentWeek ??= report.weekStart;
        this.setData({
          loading: false,
          error: '',
          range: weekRange(report),
          generated: generatedAt(report),
          isCurrentWeek: report.weekStart === state.currentWeek,
          rows: reportRows(report),
        });
      } catch (err) {
        if (seq !== state.loadSeq) return;
        if (this.data.loading || this.data.error) this.setData({ loading: false, error: errorText(err) });
        else this.toast(errorText(err), 'error');
      }
    },

    onPrevWeek() {
      this.moveWeek(-7);
    },

    onNextWeek() {
      if (!this.data.isCurrentWeek) this.moveWeek(7);
    },

    moveWeek(days: number) {
      const state = stateOf(this);
      if (!state.weekStart) return;
      state.weekStart = addDays(state.weekStart, days);
      void this.load();
    },

    async onExportTap(e: WechatMiniprogram.BaseEvent<Record<string, never>, { type?: string }>) {
      const type = e.currentTarget.dataset.type;
      if (!isExportType(type)) return;
      const teamId = stateOf(this).teamId;
      const failed = await runExport(type, teamId === null ? {} : { teamId });
      if (failed) this.toast(failed, 'error');
    },
  },
});
