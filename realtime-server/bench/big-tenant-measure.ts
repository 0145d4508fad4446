/**
 * How big-tenant.ts asks and times: one user's requests one after another (latency, not
 * throughput), paced under the per-user rate limit, over real HTTP with a bearer token.
 */
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ExportResponse } from '@live-crm/shared-types';
import { rssSampler, type ServerSet } from './cluster.js';
import { percentile } from './stats.js';
import { countRows } from './xlsx-rows.js';

/**
 * Requests a user sends per second at most: under the production limit of 20 a second per user
 * (RATE_LIMIT_PER_SEC), so nothing is refused and a slow answer is never a queue behind a 429.
 */
const PACE_PER_SEC = 16;

export interface Api {
  get<T>(path: string): Promise<T>;
  send<T>(method: 'POST' | 'PATCH', path: string, body: unknown): Promise<T>;
}

/** A user's view of one node: every answer read to the end, anything but 2xx thrown. */
export function apiFor(base: string, token: string): Api {
  const call = async <T>(path: string, init: RequestInit = {}): Promise<T> => {
    const res = await fetch(`${base}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, ...init.headers } });
    const text = await res.text();
    if (res.status >= 300) throw new Error(`${init.method ?? 'GET'} ${path} answered ${res.status}: ${text.slice(0, 300)}`);
    return JSON.parse(text) as T;
  };
  return {
    get: (path) => call(path),
    send: (method, path, body) => call(path, { method, body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
  };
}

export interface Timed {
  /** Each measured sample's time, ms, in order. */
  times: number[];
  /** Times of named parts of a sample (a dashboard's three requests, a search's keyword). */
  parts: Map<string, number[]>;
}

/** A series stops early past this time once it has this many samples, so a slow figure cannot take an hour. */
export interface SeriesLimit {
  seconds: number;
  minSamples: number;
}

/**
 * `warmup` samples, then `count` measured ones, one at a time; a sample of `cost` requests waits
 * until the user's pace allows it. `run` may answer the times of its parts by name.
 */
export async function paced(
  count: number,
  warmup: number,
  cost: number,
  limit: SeriesLimit,
  run: (i: number) => Promise<Record<string, number> | void>,
): Promise<Timed> {
  const out: Timed = { times: [], parts: new Map() };
  const start = performance.now();
  let next = start;
  for (let i = 0; i < warmup + count; i++) {
    if (performance.now() - start > limit.seconds * 1000 && out.times.length >= limit.minSamples) break;
    const wait = next - performance.now();
    if (wait > 0) await sleep(wait);
    const t0 = performance.now();
    next = t0 + (cost * 1000) / PACE_PER_SEC;
    const parts = await run(i);
    if (i < warmup) continue;
    out.times.push(performance.now() - t0);
    for (const [name, ms] of Object.entries(parts ?? {})) out.parts.set(name, [...(out.parts.get(name) ?? []), ms]);
  }
  return out;
}

/** Times one request inside a sample. */
export async function timed<T>(work: Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const result = await work;
  return [result, performance.now() - t0];
}

export interface Summary {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export function summarize(times: number[]): Summary {
  const s = [...times].sort((a, b) => a - b);
  return { n: s.length, p50: percentile(s, 50), p95: percentile(s, 95), p99: percentile(s, 99), max: s.at(-1) ?? NaN };
}

export interface ExportOutcome {
  seconds: number;
  bytes: number;
  rows: number;
  /** RSS just before the export, and the highest of it and the samples (every 100 ms) during it. */
  rssBefore: number;
  rssPeak: number;
}

/**
 * One export as the phone does it: POST /api/crm/export for a signed link, then a plain GET of
 * the link (wx.downloadFile sends no bearer) read to the end; the time covers both. The link is
 * built on PUBLIC_URL, so it is sent to the node's own port. Rows are counted in the file itself.
 */
export async function measureExport(servers: ServerSet, api: Api, body: unknown): Promise<ExportOutcome> {
  const base = servers.urls[0]!;
  const dir = await mkdtemp(join(tmpdir(), 'bench-data-'));
  const file = join(dir, 'export.xlsx');
  try {
    const [before] = await servers.stats();
    const rss = rssSampler(servers);
    const t0 = performance.now();
    const { downloadUrl } = await api.send<ExportResponse>('POST', '/api/crm/export', body);
    const signed = new URL(downloadUrl);
    const res = await fetch(`${base}${signed.pathname}${signed.search}`);
    if (res.status !== 200 || !res.body) throw new Error(`export download answered ${res.status}: ${await res.text()}`);
    await pipeline(Readable.fromWeb(res.body as WebReadableStream), createWriteStream(file));
    const seconds = (performance.now() - t0) / 1000;
    // One more sample after the last byte, then stop.
    await sleep(150);
    rss.stop();
    return {
      seconds,
      bytes: (await stat(file)).size,
      rows: await countRows(file),
      rssBefore: before!.rss,
      rssPeak: Math.max(before!.rss, rss.peak()),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
