import type { TeamMember, TeamSettingsPatch, Visibility } from '@live-crm/shared-types';
import { t } from '../../i18n/index';
import { getLeaderboard, getTeamSettings, saveTeamSettings, setTarget } from '../../services/ownership';
import { teamMembers } from '../../services/team';
import { centsToYuanInput, parseYuanToCents } from '../../utils/format';
import { errorText, pageState } from '../../utils/page';
import { pageKit } from '../../behaviors/page-kit';

type LimitField = 'recycleAfterDays' | 'claimLimitPerDay' | 'holdLimit';

/** The form as typed: numbers as text, '' for "no limit" / "never". */
interface Form {
  visibility: Visibility;
  recycleAfterDays: string;
  claimLimitPerDay: string;
  holdLimit: string;
}

interface TargetRow {
  userId: number;
  name: string;
  value: string;
}

/** What was loaded, to send only the targets that changed. */
const stateOf = pageState<{ saved: Record<number, string> }>(() => ({ saved: {} }));

const asText = (n: number | null): string => (n === null ? '' : String(n));
const asLimit = (s: string): number | null => (s.trim() === '' ? null : Number(s));

/**
 * 团队设置 (managers and admins): who sees what, the pool's rules (ARCHITECTURE 9.2) and each
 * member's won-value target for this month (9.4).
 */
Component({
  behaviors: [pageKit],
  data: {
    text: {
      visibility: t('settings.visibility'),
      team: t('settings.team'),
      teamHint: t('settings.teamHint'),
      owner: t('settings.owner'),
      ownerHint: t('settings.ownerHint'),
      pool: t('settings.pool'),
      recycle: t('settings.recycle'),
      claimLimit: t('settings.claimLimit'),
      holdLimit: t('settings.holdLimit'),
      never: t('settings.never'),
      noLimit: t('settings.noLimit'),
      days: t('settings.days'),
      perDay: t('settings.perDay'),
      customers: t('settings.customers'),
      poolHint: t('settings.poolHint'),
      targets: t('settings.targets'),
      noTarget: t('leaderboard.noTarget'),
      yuan: t('settings.yuan'),
      save: t('common.save'),
      retry: t('common.retry'),
      loading: t('common.loading'),
    },
    loading: true,
    error: '',
    saving: false,
    month: '',
    form: { visibility: 'team', recycleAfterDays: '', claimLimitPerDay: '', holdLimit: '' } as Form,
    targets: [] as TargetRow[],
  },

  methods: {
    onLoad() {
      if (!this.signedIn()) return;
      wx.setNavigationBarTitle({ title: t('settings.title') });
      void this.load();
    },

    async load() {
      try {
        const [settings, board, members] = await Promise.all([getTeamSettings(), getLeaderboard(), teamMembers()]);
        const targetOf = new Map(board.rows.map((r) => [r.userId, r.targetCents]));
        const targets = members
          .filter((m: TeamMember) => m.role !== 'admin')
          .map((m) => ({ userId: m.id, name: m.name, value: targetOf.get(m.id) ? centsToYuanInput(targetOf.get(m.id)!) : '' }));
        stateOf(this).saved = Object.fromEntries(targets.map((r) => [r.userId, r.value]));
        this.setData({
          loading: false,
          error: '',
          month: board.month,
          form: {
            visibility: settings.visibility,
            recycleAfterDays: asText(settings.recycleAfterDays),
            claimLimitPerDay: asText(settings.claimLimitPerDay),
            holdLimit: asText(settings.holdLimit),
          },
          targets,
        });
      } catch (err) {
        this.setData({ loading: false, error: errorText(err) });
      }
    },

    onVisibilityChange(e: WechatMiniprogram.CustomEvent<{ value: Visibility }>) {
      this.setData({ 'form.visibility': e.detail.value });
    },

    onFieldChange(e: WechatMiniprogram.CustomEvent<{ value: string }, Record<string, never>, { field?: LimitField }>) {
      const field = e.currentTarget.dataset.field;
      if (field) this.setData({ [`form.${field}`]: e.detail.value.replace(/\D/g, '') });
    },

    onTargetChange(e: WechatMiniprogram.CustomEvent<{ value: string }, Record<string, never>, { index?: number }>) {
      const index = e.currentTarget.dataset.index;
      if (typeof index === 'number') this.setData({ [`targets[${index}].value`]: e.detail.value });
    },

    /** The rules, then each changed target; the server checks every number and says which is wrong. */
    async onSave() {
      const { form, month, targets } = this.data;
      const patch: TeamSettingsPatch = {
        visibility: form.visibility,
        recycleAfterDays: asLimit(form.recycleAfterDays),
        claimLimitPerDay: asLimit(form.claimLimitPerDay),
        holdLimit: asLimit(form.holdLimit),
      };
      const saved = stateOf(this).saved;
      const changed = targets.filter((r) => r.value.trim() !== (saved[r.userId] ?? ''));
      for (const r of changed) {
        if (r.value.trim() !== '' && parseYuanToCents(r.value) === null) {
          this.toast(t('settings.badTarget', { name: r.name }), 'error');
          return;
        }
      }
      this.setData({ saving: true });
      try {
        await saveTeamSettings(patch);
        for (const r of changed) {
          await setTarget({ userId: r.userId, month, wonValueCents: r.value.trim() === '' ? 0 : parseYuanToCents(r.value)! });
          saved[r.userId] = r.value.trim();
        }
        this.toast(t('settings.saved'), 'success');
      } catch (err) {
        this.toast(errorText(err), 'error');
      } finally {
        this.setData({ saving: false });
      }
    },
  },
});
