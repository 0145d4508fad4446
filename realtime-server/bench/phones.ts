/**
 * Bench phones for connections.ts: each is the mini program's own realtime client
 * (miniprogram/services/realtime-client.ts) as the app runs it, reconnecting by itself with the
 * library's backoff and calling `sync:resume` with its last seq per team on every connect, over the
 * bench's client path (bench-client.ts: weapp.socket.io over test-support/wx).
 */
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import type { BenchSocket, ClientFactory } from './bench-client.js';

// Loaded at run time: the mini program compiles with its own settings (extensionless imports).
const CLIENT_ENTRY = resolve(import.meta.dirname, '../../miniprogram/services/realtime-client.ts');

type SeqMap = Record<string, number>;
/** The slice of the mini program's realtime client the bench uses. */
interface RealtimeClient {
  start(): void;
  stop(): void;
  status(): string;
  isSynced(): boolean;
  onStatus(h: (status: string) => void): () => void;
  onReset(h: (info: { teamIds: number[]; reason: string }) => void): () => void;
}
type CreateClient = (deps: {
  connect: (url: string, opts: Record<string, unknown>) => BenchSocket;
  url: () => string;
  token: () => string | null;
  store: { load(): SeqMap; save(seqs: SeqMap): void; clear(): void };
}) => RealtimeClient;

export interface PhoneSpec {
  userId: number;
  teamId: number;
  token: string;
  url: string;
}

/** What one phone went through; times are wall clock ms, comparable across bench processes. */
export interface Phone {
  spec: PhoneSpec;
  client: RealtimeClient;
  /** The last seq of its team the client took in (live, from a resume, or a resume's head). */
  seq: number;
  advancedAt: number;
  connectedAt: number;
  /** Connection attempts: connects and connect errors. */
  attempts: number;
  resets: string[];
}

export const wallClock = (): number => performance.timeOrigin + performance.now();

/** Makes phones; `onError` hears every connect error (message, when). */
export async function phoneMaker(factory: ClientFactory, onError: (message: string, at: number) => void) {
  const { createRealtimeClient } = (await import(pathToFileURL(CLIENT_ENTRY).href)) as { createRealtimeClient: CreateClient };
  return (spec: PhoneSpec, seq = 0): Phone => {
    const phone = { spec, seq, advancedAt: NaN, connectedAt: NaN, attempts: 0, resets: [] as string[] } as Phone;
    const team = String(spec.teamId);
    const store = {
      load: () => ({ [team]: seq }),
      // The client saves on every advance, whichever path brought the seq.
      save: (seqs: SeqMap) => {
        phone.seq = seqs[team] ?? phone.seq;
        phone.advancedAt = wallClock();
      },
      clear: () => undefined,
    };
    const connect = (url: string, opts: Record<string, unknown>) => {
      const socket = factory.open(url, opts);
      socket.on('connect', () => {
        phone.attempts++;
        phone.connectedAt = wallClock();
      });
      socket.on('connect_error', (err: Error) => {
        phone.attempts++;
        onError(err.message, wallClock());
      });
      return socket;
    };
    phone.client = createRealtimeClient({ connect, url: () => spec.url, token: () => spec.token, store });
    phone.client.onReset((info) => phone.resets.push(info.reason));
    return phone;
  };
}

/** Starts the phone; true once it is online and its first `sync:resume` answered, false after `timeoutMs`. */
export async function bringOnline(phone: Phone, timeoutMs = 30_000): Promise<boolean> {
  const until = performance.now() + timeoutMs;
  phone.client.start();
  // Polled: 'online' is announced just before the client sends its resume.
  while (performance.now() < until) {
    await sleep(20);
    if (phone.client.isSynced()) return true;
    if (phone.client.status() === 'unauthorized') break;
  }
  phone.client.stop();
  return false;
}
