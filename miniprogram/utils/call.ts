import type { Communication, CommunicationInput, Customer } from '@live-crm/shared-types';
import { t } from '../i18n/index';
import { saveCallLog } from '../services/offline-saves';

/** `queued`: logged while offline; the log waits in the offline queue and is sent when back online. */
export type CallResult = 'logged' | 'queued' | 'cancelled' | 'failed';

function dial(phoneNumber: string): Promise<{ ok: true } | { ok: false; errMsg: string }> {
  return new Promise((resolve) => {
    wx.makePhoneCall({
      phoneNumber,
      success: () => resolve({ ok: true }),
      fail: (res) => resolve({ ok: false, errMsg: res.errMsg }),
    });
  });
}

/** WeChat cannot tell whether the call connected; the rep says so when back (or skips). */
function askOutcome(): Promise<'completed' | 'missed' | null> {
  return new Promise((resolve) => {
    wx.showActionSheet({
      alertText: t('call.outcomeTitle'),
      itemList: [t('call.connected'), t('call.missed')],
      success: (res) => resolve(res.tapIndex === 0 ? 'completed' : 'missed'),
      fail: () => resolve(null),
    });
  });
}

/**
 * Opens the dialer and logs the call (`initiated`); a refused dial is logged as `failed`, a
 * cancelled one not at all. Then the rep may mark the outcome, logged as a second entry.
 * `onLogged` sees each saved log, so the page can show it before the live echo arrives; a log made
 * without a connection is queued instead (the echo shows it once the queue has sent it).
 */
export async function callCustomer(customer: Pick<Customer, 'id' | 'phone'>, onLogged?: (c: Communication) => void): Promise<CallResult> {
  const phoneNumber = customer.phone;
  if (!phoneNumber) return 'failed';
  const base = { customerId: customer.id, type: 'call' as const, direction: 'outbound' as const, phoneNumber };
  let queued = false;
  const log = async (input: Pick<CommunicationInput, 'status' | 'error'>): Promise<void> => {
    const res = await saveCallLog({ ...base, ...input });
    if (res.queued) queued = true;
    else if (onLogged) onLogged(res.value);
  };
  const dialled = await dial(phoneNumber);
  if (!dialled.ok) {
    if (/cancel/i.test(dialled.errMsg)) return 'cancelled';
    await log({ status: 'failed', error: dialled.errMsg.slice(0, 500) });
    return 'failed';
  }
  await log({ status: 'initiated' });
  const outcome = await askOutcome();
  if (outcome) await log({ status: outcome });
  return queued ? 'queued' : 'logged';
}
