/**
 * The part of weapp.socket.io@3.0.0 (socket.io-client 3 over wx.connectSocket) that Live CRM uses.
 * The package ships no types; these follow socket.io-client 3's public API.
 */
declare module 'weapp.socket.io' {
  type Args<F> = F extends (...args: infer A) => unknown ? A : never;

  export interface ManagerOptions {
    path: string;
    reconnection: boolean;
    reconnectionAttempts: number;
    reconnectionDelay: number;
    reconnectionDelayMax: number;
    randomizationFactor: number;
    /** handshake timeout, ms; `false` arms no timer (the Manager checks `false !== timeout`, as socket.io-client does) */
    timeout: number | false;
    autoConnect: boolean;
    /** ignored when the URL already carries a query string */
    query: Record<string, string>;
    transports: Array<'websocket'>;
    /** a new Manager instead of the cached one for this URL */
    forceNew: boolean;
  }

  export interface SocketOptions {
    /** sent on the handshake and again on every reconnect; a function is asked each time */
    auth: Record<string, unknown> | ((cb: (data: Record<string, unknown>) => void) => void);
  }

  export type ConnectError = Error & { data?: unknown };

  export interface Manager {
    on(event: 'reconnect_attempt' | 'reconnect', listener: (attempt: number) => void): this;
    on(event: 'reconnect_error' | 'error', listener: (err: Error) => void): this;
    on(event: 'reconnect_failed', listener: () => void): this;
    off(event?: string, listener?: (...args: never[]) => void): this;
    /** turns automatic reconnection on or off */
    reconnection(enabled: boolean): this;
  }

  export interface Socket<Listen extends object, Emit extends object> {
    readonly id: string | undefined;
    readonly connected: boolean;
    readonly disconnected: boolean;
    readonly io: Manager;
    auth: SocketOptions['auth'];
    on(event: 'connect', listener: () => void): this;
    on(event: 'disconnect', listener: (reason: string) => void): this;
    on(event: 'connect_error', listener: (err: ConnectError) => void): this;
    on<K extends keyof Listen & string>(event: K, listener: Listen[K]): this;
    off(event?: string, listener?: (...args: never[]) => void): this;
    emit<K extends keyof Emit & string>(event: K, ...args: Args<Emit[K]>): this;
    connect(): this;
    disconnect(): this;
    close(): this;
  }

  export function io<Listen extends object = object, Emit extends object = object>(
    uri: string,
    opts?: Partial<ManagerOptions & SocketOptions>,
  ): Socket<Listen, Emit>;
}
