import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The slice of a Socket.IO client socket the load generator uses (same for both libraries). */
export interface BenchSocket {
  connected: boolean;
  on(event: string, fn: (...args: any[]) => void): unknown;
  once(event: string, fn: (...args: any[]) => void): unknown;
  emit(event: string, ...args: unknown[]): unknown;
  disconnect(): unknown;
}

export interface ClientFactory {
  /** Which client path carried the bench, for the report. */
  library: string;
  connect(url: string, auth: Record<string, unknown>): Promise<BenchSocket>;
  /** The library's own `io()`, for a client that brings its own options (the mini program's realtime client). */
  open(url: string, opts: Record<string, unknown>): BenchSocket;
  /** Drops what the client path keeps per message (the wx test double records every frame). */
  forget(): void;
}

type IoFn = (url: string, opts: Record<string, unknown>) => BenchSocket;
interface WxHandles {
  sockets: Array<{ sent: unknown[]; received: unknown[]; closed: boolean }>;
  reportedErrors: unknown[];
}

const WX_ENTRY = resolve(import.meta.dirname, '../../test-support/wx/index.ts');
// One Manager per client (no multiplexing), no reconnection: a lost socket shows up as missed deliveries.
const OPTIONS = { transports: ['websocket'], forceNew: true, reconnection: false, timeout: 30_000 };

function opened(socket: BenchSocket, timeoutMs = 30_000): Promise<BenchSocket> {
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error('connect timeout')), timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      resolvePromise(socket);
    });
    socket.once('connect_error', (err: Error) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

/**
 * The mini program's own path (weapp.socket.io over the `wx.connectSocket` test implementation)
 * when `test-support/wx` exists; socket.io-client 4 otherwise, or when BENCH_CLIENT asks for it.
 */
export async function clientFactory(choice = process.env['BENCH_CLIENT'] ?? 'weapp'): Promise<ClientFactory> {
  const require = createRequire(import.meta.url);
  if (choice === 'weapp' && existsSync(WX_ENTRY)) {
    const wxModule = (await import(pathToFileURL(WX_ENTRY).href)) as { installWx(o: object): WxHandles };
    // A handshake WeChat gives up after app.json's networkTimeout.connectSocket (20 s), as on a phone.
    const handles = wxModule.installWx({ maxSockets: 1_000_000, connectSocketTimeoutMs: 20_000 });
    const io = require('weapp.socket.io') as IoFn;
    return {
      library: 'weapp.socket.io 3.0.0 over test-support/wx (ws)',
      connect: (url, auth) => opened(io(url, { ...OPTIONS, auth })),
      open: io,
      forget() {
        // Closed tasks (failed attempts, dropped connections) are kept for tests to inspect; and the
        // test double counts open ones by scanning them all on every connect.
        const open = handles.sockets.filter((s) => !s.closed);
        handles.sockets.splice(0, handles.sockets.length, ...open);
        handles.reportedErrors.length = 0;
        for (const s of open) {
          s.sent.length = 0;
          s.received.length = 0;
        }
      },
    };
  }
  const { io } = (await import('socket.io-client')) as unknown as { io: IoFn };
  return {
    library: 'socket.io-client 4 (ws)',
    connect: (url, auth) => opened(io(url, { ...OPTIONS, auth })),
    open: io,
    forget: () => undefined,
  };
}

/**
 * Bytes of the WebSocket text frame Socket.IO 4 sends for a broadcast event, a command with an ack id
 * or its ack (`4` message, `2` event or `3` ack, a one-digit ack id, the JSON arguments).
 */
export function frameBytes(kind: 'event' | 'command' | 'ack', args: unknown[]): number {
  const prefix = { event: '42', command: '421', ack: '431' }[kind];
  return Buffer.byteLength(prefix + JSON.stringify(args));
}
