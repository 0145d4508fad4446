import type { Opportunity, PipelineResponse, User } from '@live-crm/shared-types';
import { MemoryStorage, type WxHandles } from '../../../test-support/wx/index';
/** The built app's shared realtime client, as the pages hold it. */
export interface AppRealtime {
    start(): void;
    stop(): void;
    status(): string;
    isSynced(): boolean;
    forget(): void;
}
export declare const SESSION_KEY = "liveCrm.session";
export declare const BASE_URL_KEY = "liveCrm.baseUrl";
/** A phone with the app installed and `login` signed in against `serverUrl`. */
export declare function signedInPhone(root: string, serverUrl: string, login: string, opts?: {
    language?: string;
    storage?: MemoryStorage;
}): Promise<{
    wx: WxHandles;
    storage: MemoryStorage;
    token: string;
    user: User;
    realtime: AppRealtime;
}>;
/** A teammate acting from another phone, through plain REST. */
export declare function teammate(serverUrl: string, login: string): Promise<{
    user: User;
    pipeline: () => Promise<PipelineResponse>;
    move: (opp: Opportunity, stageId: number) => Promise<Opportunity>;
    rename: (opp: Opportunity, title: string) => Promise<Opportunity>;
    create: (body: {
        customerId: number;
        title: string;
        valueCents: number;
        stageId: number;
    }) => Promise<Opportunity>;
    get: (id: number) => Promise<Opportunity>;
}>;
/** Resolves once every wx.request sent so far has been answered. */
export declare function requestsSettled(wx: WxHandles, timeoutMs?: number): Promise<void>;
