import type { Customer, Id } from '@live-crm/shared-types';
import { showToast } from '../../behaviors/page-kit';
import { t } from '../../i18n/index';
import { isApiError } from '../../services/api';
import { conflictCustomer } from '../../services/customers';
import { claimCustomer, releaseCustomer } from '../../services/ownership';
import { getSession } from '../../services/session';
import { errorText } from '../../utils/page';

/** Which owner actions the signed-in user has on this customer (ARCHITECTURE 9.2). */
export interface OwnerActions {
  claim: boolean;
  release: boolean;
  reassign: boolean;
  busy: boolean;
}

interface Host {
  data: { ownerActions: OwnerActions; release: { reason: string } };
  setData(data: Record<string, unknown>): void;
  currentCustomer(): Customer | null;
  onReassigned(c: Customer): void;
  openReassign(kind: 'customer', id: Id, ownerId: Id | null): Promise<void>;
}
const host = (page: unknown): Host => page as Host;

/** 领取 from the pool, 退回公海 with a reason, and a manager's 转交 from the owner cell. */
export const ownerMethods = Behavior({
  data: {
    ownerActions: { claim: false, release: false, reassign: false, busy: false } as OwnerActions,
    release: { visible: false, reason: '' },
    ownerText: {
      claim: t('pool.claim'),
      release: t('owner.release'),
      releaseTitle: t('owner.releaseTitle'),
      reasonPlaceholder: t('owner.reasonPlaceholder'),
      releaseSubmit: t('owner.releaseSubmit'),
    },
  },
  methods: {
    ownerActionsFor(c: Customer, myId: Id): OwnerActions {
      const role = getSession()?.user.role ?? 'rep';
      return {
        claim: c.ownerId === null && role !== 'admin',
        release: c.ownerId !== null && (c.ownerId === myId || role !== 'rep'),
        reassign: role !== 'rep',
        busy: false,
      };
    },

    onOwnerTap() {
      const h = host(this);
      const c = h.currentCustomer();
      if (c && h.data.ownerActions.reassign) void h.openReassign('customer', c.id, c.ownerId);
    },

    async onClaim() {
      const h = host(this);
      const c = h.currentCustomer();
      if (!c) return;
      h.setData({ 'ownerActions.busy': true });
      try {
        h.onReassigned(await claimCustomer(c.id));
        showToast(this, t('pool.claimed', { name: c.name }), 'success');
      } catch (err) {
        const current = isApiError(err) ? conflictCustomer(err) : null;
        if (current) h.onReassigned(current);
        showToast(this, current ? t('pool.takenDetail') : errorText(err), current ? 'warning' : 'error');
      } finally {
        h.setData({ 'ownerActions.busy': false });
      }
    },

    onReleaseTap() {
      host(this).setData({ release: { visible: true, reason: '' } });
    },

    onReasonInput(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      host(this).setData({ 'release.reason': e.detail.value });
    },

    async onReleaseSubmit() {
      const h = host(this);
      const c = h.currentCustomer();
      const reason = h.data.release.reason.trim();
      if (!c || !reason) return;
      h.setData({ 'ownerActions.busy': true });
      try {
        h.onReassigned(await releaseCustomer(c.id, reason));
        h.setData({ 'release.visible': false });
        showToast(this, t('owner.released'), 'success');
      } catch (err) {
        showToast(this, errorText(err), 'error');
      } finally {
        h.setData({ 'ownerActions.busy': false });
      }
    },
  },
});
