import type { AnyTeamEvent } from '@live-crm/shared-types';
import {
  type Connect,
  createRealtimeClient,
  type ConnectionStatus,
  type RealtimeClient,
  type ResetInfo,
  TEAM_EVENT_TYPES,
} from '../../../miniprogram/services/realtime-client';
import { memorySeqStore } from '../../../miniprogram/services/realtime-sequencer';
import type { TestSocketTask } from '../../../test-support/wx/socket.js';
import { phoneLibrary } from '../../../realtime-server/test/support/weapp.js';

export interface PhoneUser {
  id: number;
  tenantId: number;
  teamIds: number[];
  token: string;
}

/**
 * One phone: its own copy of weapp.socket.io over a faithful wx.connectSocket, driven by the mini
 * program's own realtime client (services/realtime-client.ts), exactly as the app uses it: it
 * reconnects by itself and calls `sync:resume` with its last seq per team on every connect.
 */
export interface Phone {
  user: PhoneUser;
  client: RealtimeClient;
  /** When each seq was handed to the page handlers, per team. */
  received: Map<number, Map<number, number>>;
  /** Handlers called twice for one seq (the sequencer must prevent it). */
  duplicates: number;
  resets: ResetInfo[];
  statuses: Array<{ status: ConnectionStatus; at: number }>;
  /** Listener exceptions weapp.socket.io threw inside wx callbacks (WeChat catches and logs them). */
  reportedErrors: unknown[];
  /** Every wx SocketTask the phone opened (one per connection attempt). */
  tasks: TestSocketTask[];
}

export function startPhone(url: string, user: PhoneUser): Phone {
  const { io, errors, tasks } = phoneLibrary();
  // The phone starts having seen nothing of its teams: it must end up with every seq from 1.
  const store = memorySeqStore(Object.fromEntries(user.teamIds.map((t) => [String(t), 0])));
  const client = createRealtimeClient({ connect: io as unknown as Connect, url: () => url, token: () => user.token, store });
  const phone: Phone = { user, client, received: new Map(), duplicates: 0, resets: [], statuses: [], reportedErrors: errors, tasks };
  for (const team of user.teamIds) phone.received.set(team, new Map());
  const onEvent = (e: AnyTeamEvent) => {
    const seen = phone.received.get(e.teamId) ?? new Map<number, number>();
    phone.received.set(e.teamId, seen);
    if (seen.has(e.seq)) phone.duplicates += 1;
    else seen.set(e.seq, Date.now());
  };
  for (const type of TEAM_EVENT_TYPES) client.on(type, onEvent as never);
  client.onReset((info) => phone.resets.push(info));
  client.onStatus((status) => phone.statuses.push({ status, at: Date.now() }));
  client.start();
  return phone;
}

/** Seqs of 1..head the phone never showed, per team. */
export function missing(phone: Phone, heads: Map<number, number>): number {
  let lost = 0;
  for (const team of phone.user.teamIds) {
    const seen = phone.received.get(team)!;
    for (let seq = 1; seq <= (heads.get(team) ?? 0); seq++) if (!seen.has(seq)) lost += 1;
  }
  return lost;
}

export const caughtUp = (phone: Phone, heads: Map<number, number>): boolean =>
  phone.user.teamIds.every((t) => (phone.client.lastSeq(t) ?? 0) >= (heads.get(t) ?? 0));

/** First time the phone was online again after `since` (null: it never dropped, or never came back). */
export function backOnlineAt(phone: Phone, since: number): { droppedAt: number; onlineAt: number | null } | null {
  const drop = phone.statuses.find((s) => s.at >= since && s.status === 'offline');
  if (!drop) return null;
  const back = phone.statuses.find((s) => s.at >= drop.at && s.status === 'online');
  return { droppedAt: drop.at, onlineAt: back?.at ?? null };
}

/** When the phone had shown every seq up to each team's head (null: not yet). */
export function caughtUpAt(phone: Phone, heads: Map<number, number>): number | null {
  let latest = 0;
  for (const team of phone.user.teamIds) {
    const head = heads.get(team) ?? 0;
    if (head === 0) continue;
    const at = phone.received.get(team)!.get(head);
    if (at === undefined) return null;
    latest = Math.max(latest, at);
  }
  return latest;
}
