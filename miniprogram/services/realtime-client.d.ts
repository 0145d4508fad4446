import type { Ack, ClientToServerEvents, NotificationPayload, ServerToClientEvents, TeamEventEnvelope, TeamEventType } from '@live-crm/shared-types';
import type { ManagerOptions, Socket, SocketOptions } from 'weapp.socket.io';
import type { SeqStore } from './realtime-sequencer';
export type RealtimeSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
export type Connect = (url: string, opts: Partial<ManagerOptions & SocketOptions>) => RealtimeSocket;
export type Unsubscribe = () => void;
export type ConnectionStatus = 'idle' | 'connecting' | 'online' | 'offline' | 'unauthorized';
/** fresh: no memory of where we were; too-old: the server no longer keeps the gap; failed: resume did not answer. */
export type ResetReason = 'fresh' | 'too-old' | 'failed' | 'gap';
export interface ResetInfo {
    teamIds: number[];
    reason: ResetReason;
}
export interface RealtimeDeps {
    connect: Connect;
    url: () => string;
    token: () => string | null;
    store: SeqStore;
    /** weapp.socket.io has no timeout()/emitWithAck: our own limit for acks */
    ackTimeoutMs?: number;
    reconnectionDelayMax?: number;
}
type CommandName = 'sync:resume' | 'opportunity:move';
type CommandArgs<K extends CommandName> = ClientToServerEvents[K] extends (req: infer R, ack: (res: Ack<infer T>) => void) => void ? {
    req: R;
    res: T;
} : never;
export declare class AckTimeoutError extends Error {
    constructor(event: string);
}
export declare function createRealtimeClient(deps: RealtimeDeps): {
    start: () => void;
    stop: () => void;
    on: <K extends TeamEventType>(type: K, handler: (event: TeamEventEnvelope<K>) => void) => Unsubscribe;
    onReset: (h: (info: ResetInfo) => void) => Unsubscribe;
    onStatus: (h: (s: ConnectionStatus) => void) => Unsubscribe;
    onNotification: (h: (n: NotificationPayload) => void) => Unsubscribe;
    status: () => ConnectionStatus;
    /** true once connected and caught up (no resume in flight) */
    isSynced: () => boolean;
    lastSeq: (teamId: number) => number | undefined;
    moveOpportunity: (cmd: CommandArgs<"opportunity:move">["req"]) => Promise<import("@live-crm/shared-types").OpportunityMoveResult>;
    /** sign-out: drop the socket and where we were */
    forget: () => void;
};
export type RealtimeClient = ReturnType<typeof createRealtimeClient>;
export {};
