import type { Opportunity, PipelineResponse, User } from '@live-crm/shared-types';
import { devLogin, http } from '../../realtime-server/test/support/clients.js';
import { installWx, MemoryStorage, type WxHandles } from '../../test-support/wx/index';
import { appModule } from '../../miniprogram/test/support/page';

/** The built app's shared realtime client, as the pages hold it. */
export interface AppRealtime {
  start(): void;
  stop(): void;
  status(): string;
  isSynced(): boolean;
  forget(): void;
}

export const SESSION_KEY = 'liveCrm.session';
export const BASE_URL_KEY = 'liveCrm.baseUrl';

/** A phone with the app installed and `login` signed in against `serverUrl`. */
export async function signedInPhone(
  root: string,
  serverUrl: string,
  login: string,
  opts: { language?: string; storage?: MemoryStorage } = {},
) {
  const storage = opts.storage ?? new MemoryStorage();
  const wx: WxHandles = installWx({ storage, ...(opts.language ? { language: opts.language } : {}) });
  const { token, user } = await devLogin(serverUrl, login);
  storage.set(BASE_URL_KEY, serverUrl);
  storage.set(SESSION_KEY, { token, user });
  appModule<{ resetLocale(): void }>(root, 'i18n/index.js').resetLocale();
  const realtime = appModule<{ realtime: AppRealtime }>(root, 'services/realtime.js').realtime;
  return { wx, storage, token, user: user as User, realtime };
}

/** The phone is put down before another is picked up: its page closed, socket forgotten, wx runtime removed. */
export function putDown(root: string, wx: WxHandles | null, page?: { close(): void } | null): void {
  page?.close();
  appModule<{ realtime: AppRealtime }>(root, 'services/realtime.js').realtime.forget();
  wx?.uninstall();
}

/** A teammate acting from another phone, through plain REST. */
export async function teammate(serverUrl: string, login: string) {
  const { token, user } = await devLogin(serverUrl, login);
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await http<T>(serverUrl, method, path, { token, ...(body === undefined ? {} : { body }) });
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  return {
    user: user as User,
    pipeline: () => call<PipelineResponse>('GET', '/api/crm/pipeline'),
    move: async (opp: Opportunity, stageId: number) =>
      (await call<{ opportunity: Opportunity }>('PUT', `/api/crm/opportunities/${opp.id}/move`, { stageId, version: opp.version }))
        .opportunity,
    rename: async (opp: Opportunity, title: string) =>
      (await call<{ opportunity: Opportunity }>('PATCH', `/api/crm/opportunities/${opp.id}`, { title, version: opp.version })).opportunity,
    create: async (body: { customerId: number; title: string; valueCents: number; stageId: number }) =>
      (await call<{ opportunity: Opportunity }>('POST', '/api/crm/opportunities', body)).opportunity,
    get: async (id: number) => (await call<{ opportunity: Opportunity }>('GET', `/api/crm/opportunities/${id}`)).opportunity,
  };
}

/** Resolves once every wx.request sent so far has been answered. */
export async function requestsSettled(wx: WxHandles, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (wx.requests.some((r) => r.statusCode === undefined && r.errMsg === undefined)) {
    if (Date.now() > deadline) throw new Error('requests still pending');
    await new Promise((r) => setTimeout(r, 10));
  }
}
