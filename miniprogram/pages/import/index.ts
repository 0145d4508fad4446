import type { ImportDuplicatesChoice, ImportProgress, ImportReport } from '@live-crm/shared-types';
import { keepLive, releaseLive } from '../../behaviors/live-page';
import { pageKit } from '../../behaviors/page-kit';
import { t } from '../../i18n/index';
import { newIdempotencyKey } from '../../services/api';
import { applyImport, chooseSheet, getImport, MAX_IMPORT_BYTES, openTemplate, uploadSheet } from '../../services/imports';
import { realtime } from '../../services/realtime';
import { errorText, numberParam, pageState } from '../../utils/page';
import { appliedText, applyView, refusalText, reportView } from './report';

/** intro: nothing uploaded yet (or refused); the rest follow the import's status. */
type Phase = 'intro' | 'uploading' | 'checking' | 'report' | 'applying' | 'applied' | 'failed';

interface State {
  importId: number | null;
  /** One key per apply attempt on this import: a retry after a lost answer is applied once. */
  applyKey: string | null;
  /** While checking: asks the server itself when no progress event came for a while (socket away). */
  poll: ReturnType<typeof setInterval> | null;
  lastHeard: number;
  /** The report shown, for redrawing the apply button when the choice changes. */
  report: ImportReport | null;
}

const stateOf = pageState<State>(() => ({ importId: null, applyKey: null, poll: null, lastHeard: 0, report: null }));
const POLL_MS = 2000;

function texts() {
  return {
    intro: t('import.intro'),
    steps: [t('import.step1'), t('import.step2'), t('import.step3')],
    limits: t('import.limits'),
    template: t('import.template'),
    choose: t('import.choose'),
    chooseAgain: t('import.chooseAgain'),
    valid: t('import.valid'),
    duplicates: t('import.duplicates'),
    invalid: t('import.invalid'),
    errorsTitle: t('import.errorsTitle'),
    dupsTitle: t('import.dupsTitle'),
    dupChoice: t('import.dupChoice'),
    mergeHint: t('import.mergeHint'),
    toPool: t('import.toPool'),
    nothing: t('import.nothing'),
    applying: t('import.applying'),
    done: t('import.done'),
    failed: t('import.failed'),
    loading: t('common.loading'),
    retry: t('common.retry'),
  };
}

/**
 * Import customers from a spreadsheet in a WeChat chat (managers and admins; the customers page
 * offers it to them only): template, pick, upload, live check progress, the report by row, apply.
 * `?id=` opens an import already uploaded.
 */
Component({
  behaviors: [pageKit],
  data: {
    text: texts(),
    phase: 'intro' as Phase,
    loading: false,
    error: '',
    refusal: '',
    uploading: '',
    progress: { percent: 0, label: '' },
    report: null as ReturnType<typeof reportView> | null,
    choices: [
      { value: 'skip', label: t('import.skip') },
      { value: 'merge', label: t('import.merge') },
    ],
    choice: 'skip' as ImportDuplicatesChoice,
    toPool: false,
    showPool: true,
    applied: '',
  },

  methods: {
    onLoad(query: Record<string, string | undefined>) {
      const session = this.signedIn();
      if (!session) return;
      wx.setNavigationBarTitle({ title: t('import.title') });
      // An admin belongs to no team: their imports land in the pool whatever they choose.
      this.setData({ showPool: session.user.role !== 'admin' });
      keepLive(
        this,
        realtime.onImportProgress((p) => this.onProgress(p)),
      );
      realtime.start();
      const id = numberParam(query.id);
      if (id !== null) {
        stateOf(this).importId = id;
        this.setData({ loading: true });
        void this.load();
      }
    },

    onUnload() {
      releaseLive(this);
      this.stopPolling();
    },

    /** The import as the server has it now (also the retry of a failed load). */
    async load() {
      const id = stateOf(this).importId;
      if (id === null) return;
      try {
        this.show(await getImport(id));
      } catch (err) {
        if (this.data.loading) this.setData({ loading: false, error: errorText(err) });
        else this.toast(errorText(err), 'error');
      }
    },

    show(report: ImportReport) {
      const phase: Phase = report.status === 'checking' ? 'checking' : report.status === 'ready' ? 'report' : report.status;
      stateOf(this).report = report;
      this.setData({
        loading: false,
        error: '',
        phase,
        progress: this.progressOf(report.processed, report.total),
        report: report.status === 'checking' ? null : reportView(report, this.data.choice),
        applied: appliedText(report),
      });
      if (phase === 'checking') this.startPolling();
      else this.stopPolling();
    },

    progressOf(processed: number, total: number) {
      return { percent: total > 0 ? Math.floor((processed * 100) / total) : 0, label: t('import.checking', { processed, total }) };
    },

    onProgress(p: ImportProgress) {
      const state = stateOf(this);
      if (p.id !== state.importId || this.data.phase !== 'checking') return;
      state.lastHeard = Date.now();
      if (p.status === 'checking') this.setData({ progress: this.progressOf(p.processed, p.total) });
      else void this.load();
    },

    startPolling() {
      const state = stateOf(this);
      if (state.poll) return;
      state.lastHeard = Date.now();
      state.poll = setInterval(() => {
        if (Date.now() - state.lastHeard >= POLL_MS) void this.load();
      }, POLL_MS);
    },

    stopPolling() {
      const state = stateOf(this);
      if (state.poll) clearInterval(state.poll);
      state.poll = null;
    },

    async onTemplateTap() {
      wx.showLoading({ title: t('common.loading'), mask: true });
      try {
        await openTemplate();
      } catch (err) {
        this.toast(t('import.templateFailed', { reason: errorText(err) }), 'error');
      } finally {
        wx.hideLoading();
      }
    },

    async onChooseTap() {
      const file = await chooseSheet().catch(() => null);
      if (!file) return;
      if (file.size > MAX_IMPORT_BYTES) {
        this.setData({ phase: 'intro', refusal: t('import.refused.too_large') });
        return;
      }
      this.setData({ phase: 'uploading', refusal: '', uploading: t('import.uploading', { name: file.name }) });
      try {
        const accepted = await uploadSheet(file.path);
        Object.assign(stateOf(this), { importId: accepted.import.id, applyKey: null });
        this.setData({
          phase: 'checking',
          progress: this.progressOf(0, accepted.import.total),
          report: null,
          choice: 'skip',
          toPool: false,
        });
        this.startPolling();
      } catch (err) {
        this.setData({ phase: 'intro', refusal: refusalText(err) ?? errorText(err) });
      }
    },

    onChoiceChange(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      const choice = e.detail.value === 'merge' ? 'merge' : 'skip';
      // Another request: a new key (the old one stays bound to what it was sent with).
      const state = stateOf(this);
      state.applyKey = null;
      const apply = state.report ? applyView(state.report, choice) : null;
      this.setData({ choice, ...(apply ? { 'report.applyText': apply.applyText, 'report.nothing': apply.nothing } : {}) });
    },

    onPoolChange(e: WechatMiniprogram.CustomEvent<{ value: boolean }>) {
      stateOf(this).applyKey = null;
      this.setData({ toPool: !!e.detail.value });
    },

    async onApplyTap() {
      const state = stateOf(this);
      if (state.importId === null || this.data.phase !== 'report') return;
      state.applyKey ??= newIdempotencyKey();
      this.setData({ phase: 'applying' });
      try {
        this.show(await applyImport(state.importId, { duplicates: this.data.choice, toPool: this.data.toPool }, state.applyKey));
      } catch (err) {
        this.setData({ phase: 'report' });
        this.toast(errorText(err), 'error');
      }
    },

    onDoneTap() {
      wx.switchTab({ url: '/pages/customers/index' });
    },
  },
});
