import WebSocket from 'ws';
import { later, settle } from './callbacks';
import type { Callbacks, ErrorReporter } from './callbacks';
import { OFFLINE_ERROR } from './network';

type Listener<T> = (res: T) => void;
export type SocketData = string | ArrayBuffer;

export interface ConnectSocketOptions extends Callbacks<{ errMsg: string }> {
  url: string;
  header?: Record<string, string>;
  protocols?: string[];
  perMessageDeflate?: boolean;
  tcpNoDelay?: boolean;
  timeout?: number;
}

/** WeChat allows five SocketTasks at once. */
export const MAX_SOCKETS = 5;

function toArrayBuffer(data: WebSocket.RawData): ArrayBuffer {
  if (data instanceof ArrayBuffer) return data;
  const buf = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
  return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer;
}

/** A SocketTask backed by a real `ws` connection. */
export class TestSocketTask {
  readonly url: string;
  readonly sent: SocketData[] = [];
  readonly received: SocketData[] = [];
  closed = false;
  private readonly ws: WebSocket | null;
  private readonly listeners = {
    open: [] as Array<Listener<{ header: Record<string, string>; profile: object }>>,
    close: [] as Array<Listener<{ code: number; reason: string }>>,
    error: [] as Array<Listener<{ errMsg: string }>>,
    message: [] as Array<Listener<{ data: SocketData }>>,
  };

  constructor(
    opts: ConnectSocketOptions,
    private readonly report: ErrorReporter,
    refused?: string,
    /** app.json's networkTimeout.connectSocket: WeChat gives up a handshake after it (60 s by default) */
    defaultTimeoutMs = 60_000,
  ) {
    this.url = opts.url;
    if (refused) {
      this.ws = null;
      this.closed = true;
      later(() => this.emit('error', { errMsg: refused }));
      return;
    }
    this.ws = new WebSocket(opts.url, opts.protocols ?? [], {
      headers: opts.header ?? {},
      perMessageDeflate: opts.perMessageDeflate ?? false,
      handshakeTimeout: opts.timeout ?? defaultTimeoutMs,
    });
    this.ws.binaryType = 'arraybuffer';
    this.ws.on('open', () => this.emit('open', { header: {}, profile: {} }));
    this.ws.on('message', (raw, isBinary) => {
      const data: SocketData = isBinary ? toArrayBuffer(raw) : Buffer.from(toArrayBuffer(raw)).toString('utf8');
      this.received.push(data);
      this.emit('message', { data });
    });
    this.ws.on('error', (err) => this.emit('error', { errMsg: err.message }));
    this.ws.on('close', (code, reason) => {
      this.closed = true;
      this.emit('close', { code, reason: reason.toString() });
    });
  }

  get readyState(): number {
    return this.ws ? this.ws.readyState : WebSocket.CLOSED;
  }

  /** Each listener runs alone; an exception is reported, never thrown into `ws` (WeChat does the same). */
  private emit<K extends keyof TestSocketTask['listeners']>(kind: K, res: Parameters<TestSocketTask['listeners'][K][number]>[0]): void {
    for (const listener of [...this.listeners[kind]] as Array<Listener<typeof res>>) {
      try {
        listener(res);
      } catch (err) {
        this.report(`SocketTask.on${kind[0]!.toUpperCase()}${kind.slice(1)} listener`, err);
      }
    }
  }

  onOpen(fn: TestSocketTask['listeners']['open'][number]): void {
    this.listeners.open.push(fn);
  }
  onClose(fn: TestSocketTask['listeners']['close'][number]): void {
    this.listeners.close.push(fn);
  }
  onError(fn: TestSocketTask['listeners']['error'][number]): void {
    this.listeners.error.push(fn);
  }
  onMessage(fn: TestSocketTask['listeners']['message'][number]): void {
    this.listeners.message.push(fn);
  }

  send(opts: { data: unknown } & Callbacks<{ errMsg: string }>): void {
    const ws = this.ws;
    const fail = (errMsg: string) => later(() => settle(opts, this.report, 'SocketTask.send', { ok: false, errMsg }));
    if (!ws || ws.readyState !== WebSocket.OPEN) return fail('sendSocketMessage:fail WebSocket is not connected');
    // WeChat takes a string or an ArrayBuffer only (a Uint8Array is refused).
    if (typeof opts.data !== 'string' && !(opts.data instanceof ArrayBuffer)) {
      return fail('sendSocketMessage:fail parameter error: data should be String or ArrayBuffer');
    }
    const data = opts.data;
    this.sent.push(data);
    ws.send(typeof data === 'string' ? data : Buffer.from(data), (err) => {
      settle(
        opts,
        this.report,
        'SocketTask.send',
        err ? { ok: false, errMsg: `sendSocketMessage:fail ${err.message}` } : { ok: true, res: { errMsg: 'sendSocketMessage:ok' } },
      );
    });
  }

  close(opts: { code?: number; reason?: string } & Callbacks<{ errMsg: string }> = {}): void {
    const ws = this.ws;
    if (ws && ws.readyState !== WebSocket.CLOSED && ws.readyState !== WebSocket.CLOSING) {
      if (ws.readyState === WebSocket.CONNECTING) ws.terminate();
      else ws.close(opts.code ?? 1000, opts.reason ?? '');
    }
    later(() => settle(opts, this.report, 'SocketTask.close', { ok: true, res: { errMsg: 'closeSocket:ok' } }));
  }

  /** Test control: drop the connection as a lost network would (no close frame). */
  dropConnection(): void {
    this.ws?.terminate();
  }
}

export function socketApi(
  report: ErrorReporter,
  tasks: TestSocketTask[],
  maxSockets = MAX_SOCKETS,
  network: { offline: boolean } = { offline: false },
  timeoutMs?: number,
) {
  const live = () => tasks.filter((t) => !t.closed).length;
  const refusal = () =>
    network.offline
      ? `connectSocket:fail ${OFFLINE_ERROR}`
      : live() >= maxSockets
        ? `connectSocket:fail exceed max task count ${maxSockets}`
        : undefined;
  return {
    connectSocket(opts: ConnectSocketOptions): TestSocketTask {
      const refused = refusal();
      const task = new TestSocketTask(opts, report, refused, timeoutMs);
      tasks.push(task);
      // connectSocket answers a SocketTask, never a Promise: a refusal without callbacks is not a rejection.
      later(
        () =>
          void settle(
            opts,
            report,
            'connectSocket',
            refused ? { ok: false, errMsg: refused } : { ok: true, res: { errMsg: 'connectSocket:ok' } },
          )?.catch(() => undefined),
      );
      return task;
    },
    liveSocketCount: live,
  };
}
