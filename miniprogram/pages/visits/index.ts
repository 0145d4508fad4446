import type { Id, TeamMember } from '@live-crm/shared-types';
import { pageKit } from '../../behaviors/page-kit';
import { t } from '../../i18n/index';
import { listVisits } from '../../services/records';
import { teamMembers } from '../../services/team';
import { errorText, pageState } from '../../utils/page';
import { groupVisits, periodStart } from './log';
import type { VisitGroup } from './log';

const PERIODS = [1, 7, 30];
interface State {
  members: TeamMember[];
  days: number;
  userId: Id | null;
}
const stateOf = pageState<State>(() => ({ members: [], days: 7, userId: null }));

/** 拜访记录: visits by rep and day; a rep sees their own, a manager the team's (or one rep's). */
Component({
  behaviors: [pageKit],
  data: {
    text: { empty: t('visits.empty'), loading: t('common.loading'), cancel: t('common.cancel') },
    manager: false,
    loading: true,
    error: '',
    periods: PERIODS.map((days, i) => ({
      days,
      label: t((['visits.today', 'visits.week', 'visits.month'] as const)[i]!),
      active: days === 7,
    })),
    repLabel: t('visits.allReps'),
    groups: [] as VisitGroup[],
    sheet: { visible: false, items: [] as string[] },
  },
  methods: {
    onLoad() {
      const session = this.signedIn();
      if (!session) return;
      wx.setNavigationBarTitle({ title: t('visits.title') });
      this.setData({ manager: session.user.role !== 'rep' });
      void teamMembers().then(
        (m) => (stateOf(this).members = m),
        () => undefined,
      );
      void this.load();
    },

    async load() {
      const state = stateOf(this);
      try {
        const visits = await listVisits({ from: periodStart(state.days), ...(state.userId ? { userId: state.userId } : {}) });
        this.setData({ loading: false, error: '', groups: groupVisits(visits) });
      } catch (err) {
        this.setData({ loading: false, error: errorText(err) });
      }
    },

    onPeriod(e: WechatMiniprogram.BaseEvent<Record<string, never>, { days?: number }>) {
      const days = Number(e.currentTarget.dataset.days);
      stateOf(this).days = days;
      this.setData({ periods: this.data.periods.map((p) => ({ ...p, active: p.days === days })) });
      void this.load();
    },

    onPickRep() {
      this.setData({ sheet: { visible: true, items: [t('visits.allReps'), ...stateOf(this).members.map((m) => m.name)] } });
    },

    onSheetSelected(e: WechatMiniprogram.CustomEvent<{ index: number }>) {
      const state = stateOf(this);
      const member = e.detail.index > 0 ? state.members[e.detail.index - 1] : undefined;
      state.userId = member?.id ?? null;
      this.setData({ 'sheet.visible': false, repLabel: member?.name ?? t('visits.allReps') });
      void this.load();
    },

    onOpen(e: WechatMiniprogram.BaseEvent<Record<string, never>, { customer?: number }>) {
      const id = e.currentTarget.dataset.customer;
      if (id) wx.navigateTo({ url: `/pages/customer-detail/index?id=${id}` });
    },
  },
});
