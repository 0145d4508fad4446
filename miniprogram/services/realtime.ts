import { io } from 'weapp.socket.io';
import type { ClientToServerEvents, ServerToClientEvents } from '@live-crm/shared-types';
import { getBaseUrl } from './config';
import { createRealtimeClient } from './realtime-client';
import type { Connect, RealtimeDeps } from './realtime-client';
import type { SeqMap, SeqStore } from './realtime-sequencer';
import { getToken, onSessionCleared } from './session';

export type { ConnectionStatus, Unsubscribe } from './realtime-client';

const LAST_SEQ_KEY = 'liveCrm.realtime.lastSeq';

/** Last seq per team survives a relaunch, so the next connect resumes instead of refetching. */
function wxSeqStore(key = LAST_SEQ_KEY): SeqStore {
  return {
    load: () => {
      const stored: unknown = wx.getStorageSync(key);
      return stored && typeof stored === 'object' ? (stored as SeqMap) : {};
    },
    save: (seqs) => wx.setStorageSync(key, seqs),
    clear: () => wx.removeStorageSync(key),
  };
}

const connectWeappSocket: Connect = (url, opts) => io<ServerToClientEvents, ClientToServerEvents>(url, opts);

function defaultRealtimeDeps(): RealtimeDeps {
  return { connect: connectWeappSocket, url: getBaseUrl, token: getToken, store: wxSeqStore() };
}

/** The app's one socket (a mini program may hold at most five; we keep exactly one). */
export const realtime = createRealtimeClient(defaultRealtimeDeps());

onSessionCleared(() => realtime.forget());
