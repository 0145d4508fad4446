import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Ack, AnyTeamEvent, ClientToServerEvents, TeamEventType } from '@live-crm/shared-types';
import { socketApi, type TestSocketTask } from '../../../test-support/wx/socket.js';

const require = createRequire(import.meta.url);
const LIB = readFileSync(require.resolve('weapp.socket.io'), 'utf8');

interface WeappSocket {
  connected: boolean;
  on(event: string, fn: (...args: any[]) => void): void;
  onAny(fn: (event: string, ...args: any[]) => void): void;
  emit(event: string, ...args: unknown[]): void;
  close(): void;
}
type WeappIo = (url: string, opts: Record<string, unknown>) => WeappSocket;

/**
 * One phone: its own copy of the real weapp.socket.io bundle evaluated against its own `wx`
 * (a faithful wx.connectSocket over `ws`), so several phones can live in one test process.
 */
export function phoneLibrary(): { io: WeappIo; tasks: TestSocketTask[]; errors: unknown[] } {
  const tasks: TestSocketTask[] = [];
  const errors: unknown[] = [];
  const wx = socketApi((_where, err) => errors.push(err), tasks);
  const mod: { exports: unknown } = { exports: {} };
  new Function('module', 'exports', 'wx', 'window', LIB)(mod, mod.exports, wx, globalThis);
  const io = mod.exports as WeappIo;
  return { io, tasks, errors };
}

export interface WeappClient {
  socket: WeappSocket;
  tasks: TestSocketTask[];
  /** Resolves with the next envelope of that type (or one already received and not yet taken). */
  next<K extends TeamEventType>(type: K, timeoutMs?: number): Promise<Extract<AnyTeamEvent, { type: K }>>;
  received(type: string): any[];
  /** Everything the phone heard, in order: event names and payloads. */
  heard(): ReadonlyArray<{ event: string; payload: any }>;
  command<K extends keyof ClientToServerEvents>(name: K, payload: unknown, timeoutMs?: number): Promise<Ack<any>>;
  close(): void;
}

export function connectWeapp(url: string, token: string | undefined, opts: Record<string, unknown> = {}): Promise<WeappClient> {
  const { io, tasks } = phoneLibrary();
  const socket = io(url, { transports: ['websocket'], auth: token === undefined ? {} : { token }, reconnection: false, ...opts });
  const log: Array<{ event: string; payload: any }> = [];
  const waiters: Array<{ event: string; resolve: (v: any) => void }> = [];
  let taken = 0;
  socket.onAny((event, payload) => {
    log.push({ event, payload });
    const i = waiters.findIndex((w) => w.event === event);
    if (i >= 0) {
      taken = log.length;
      waiters.splice(i, 1)[0]!.resolve(payload);
    }
  });

  const client: WeappClient = {
    socket,
    tasks,
    next(type, timeoutMs = 5000) {
      const pending = log.slice(taken).find((e) => e.event === type);
      if (pending) {
        taken = log.indexOf(pending) + 1;
        return Promise.resolve(pending.payload);
      }
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`no ${type} within ${timeoutMs} ms`)), timeoutMs);
        waiters.push({
          event: type,
          resolve: (v) => {
            clearTimeout(t);
            resolve(v);
          },
        });
      });
    },
    received: (type) => log.filter((e) => e.event === type).map((e) => e.payload),
    heard: () => log,
    // weapp.socket.io has no timeout()/emitWithAck: time the ack ourselves.
    command: (name, payload, timeoutMs = 5000) =>
      new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`no ack for ${name} within ${timeoutMs} ms`)), timeoutMs);
        socket.emit(name, payload, (res: Ack<any>) => {
          clearTimeout(t);
          resolve(res);
        });
      }),
    close: () => socket.close(),
  };
  return new Promise((resolve, reject) => {
    socket.on('connect', () => resolve(client));
    socket.on('connect_error', (err: Error) => {
      socket.close();
      reject(new Error(err.message));
    });
  });
}
