/**
 * Loaded into a bench node with `--import` (BENCH_NODE_FLAGS) by light-load-stall.ts: writes what
 * could stall the event loop to STALL_TRACE as JSON lines `{ kind, at, ms, detail }` (`at`: epoch
 * ms), so the script can line each slow delivery up with its cause. Kinds: `gc`, `pg-connect` (a
 * new pooled connection, from connect to the first answer), `pg-end`, `reminders` (the scheduler's
 * claim), `query` (any statement over 5 ms), `loop` (a 2 ms timer that fired over 8 ms late).
 */
import { appendFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { performance, PerformanceObserver } from 'node:perf_hooks';
import type pgTypes from 'pg';

const out = process.env['STALL_TRACE'];
if (!out) throw new Error('STALL_TRACE: the file to write the trace to');
let buffer: string[] = [];
const mark = (kind: string, at: number, ms: number, detail?: unknown) =>
  buffer.push(JSON.stringify({ kind, at: Math.round(at * 10) / 10, ms: Math.round(ms * 100) / 100, detail }));
setInterval(() => {
  if (buffer.length === 0) return;
  appendFileSync(out, `${buffer.join('\n')}\n`);
  buffer = [];
}, 250).unref();

const GC_KINDS: Record<number, string> = { 1: 'minor', 2: 'major', 4: 'incremental', 8: 'weakcb' };
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    const kind = (e as unknown as { detail?: { kind?: number } }).detail?.kind ?? 0;
    mark('gc', performance.timeOrigin + e.startTime, e.duration, GC_KINDS[kind] ?? kind);
  }
}).observe({ entryTypes: ['gc'] });

let expected = Date.now() + 2;
setInterval(() => {
  const now = Date.now();
  if (now - expected > 8) mark('loop', expected, now - expected);
  expected = now + 2;
}, 2).unref();

type Callback = (err: unknown, res?: unknown) => void;
const pg = createRequire(import.meta.url)('pg') as typeof pgTypes;
const proto = pg.Client.prototype as unknown as Record<string, (...args: unknown[]) => unknown>;
const connect = proto['connect']!;
proto['connect'] = function traced(this: unknown, ...args: unknown[]) {
  const t0 = Date.now();
  const cb = args.at(-1);
  if (typeof cb === 'function') {
    args[args.length - 1] = (err: unknown, res: unknown) => {
      mark('pg-connect', t0, Date.now() - t0, err ? String(err) : undefined);
      (cb as Callback)(err, res);
    };
    return connect.apply(this, args);
  }
  return (connect.apply(this, args) as Promise<unknown>).finally(() => mark('pg-connect', t0, Date.now() - t0));
};
const end = proto['end']!;
proto['end'] = function traced(this: unknown, ...args: unknown[]) {
  mark('pg-end', Date.now(), 0);
  return end.apply(this, args);
};
const query = proto['query']!;
proto['query'] = function traced(this: unknown, ...args: unknown[]) {
  const first = args[0] as string | { text?: string } | undefined;
  const text = typeof first === 'string' ? first : (first?.text ?? '');
  const t0 = Date.now();
  const done = () => {
    const ms = Date.now() - t0;
    if (text.includes('WITH due AS MATERIALIZED')) mark('reminders', t0, ms);
    else if (ms > 5) mark('query', t0, ms, text.replace(/\s+/g, ' ').slice(0, 80));
  };
  const cb = args.at(-1);
  if (typeof cb === 'function') {
    args[args.length - 1] = (err: unknown, res: unknown) => {
      done();
      (cb as Callback)(err, res);
    };
    return query.apply(this, args);
  }
  const result = query.apply(this, args);
  if (result && typeof (result as Promise<unknown>).then === 'function') (result as Promise<unknown>).then(done, done);
  return result;
};
