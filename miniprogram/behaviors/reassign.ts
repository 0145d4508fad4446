import type { Customer, Id, Opportunity, TeamMember } from '@live-crm/shared-types';
import { t } from '../i18n/index';
import { reassignCustomer, reassignOpportunity } from '../services/ownership';
import { teamMembers } from '../services/team';
import { errorText, pageState } from '../utils/page';
import { showToast } from './page-kit';

/** What the sheet acts on: a customer or a deal, and who may take it (the team's reps and managers). */
interface State {
  record: { kind: 'customer' | 'opportunity'; id: Id } | null;
  members: TeamMember[];
}
const stateOf = pageState<State>(() => ({ record: null, members: [] }));

/** The page that uses it shows the record it gets back (a newer version than the one shown). */
interface Host {
  onReassigned(record: Customer | Opportunity): void;
  setData(data: Record<string, unknown>): void;
}

/**
 * A manager's 转交 (ARCHITECTURE 9.2): a sheet of the team's members; the choice reassigns the
 * customer or deal, and both reps hear of it live.
 */
export const reassignSheet = Behavior({
  data: {
    reassign: { visible: false, items: [] as Array<{ label: string }>, title: t('owner.reassignTitle'), cancel: t('common.cancel') },
  },
  methods: {
    async openReassign(kind: 'customer' | 'opportunity', id: Id, ownerId: Id | null) {
      const state = stateOf(this);
      try {
        const members = (await teamMembers()).filter((m) => m.role !== 'admin' && m.id !== ownerId);
        Object.assign(state, { record: { kind, id }, members });
        (this as unknown as Host).setData({ 'reassign.visible': true, 'reassign.items': members.map((m) => ({ label: m.name })) });
      } catch (err) {
        showToast(this, errorText(err), 'error');
      }
    },

    async onReassignSelected(e: WechatMiniprogram.CustomEvent<{ index: number }>) {
      const state = stateOf(this);
      const member = state.members[e.detail.index];
      const record = state.record;
      (this as unknown as Host).setData({ 'reassign.visible': false });
      if (!member || !record) return;
      try {
        const saved =
          record.kind === 'customer' ? await reassignCustomer(record.id, member.id) : await reassignOpportunity(record.id, member.id);
        (this as unknown as Host).onReassigned(saved);
        showToast(this, t('owner.reassigned', { name: member.name }), 'success');
      } catch (err) {
        showToast(this, errorText(err), 'error');
      }
    },
  },
});
