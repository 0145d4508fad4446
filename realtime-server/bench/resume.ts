import { performance } from 'node:perf_hooks';
import type { Ack, SyncResumeResult } from '@live-crm/shared-types';
import { createTokenSigner } from '../src/modules/auth/jwt.js';
import { clientFactory } from './bench-client.js';
import type { BenchDatabase } from './bench-db.js';
import { JWT_SECRET, type ServerSet } from './cluster.js';
import { percentile } from './stats.js';

export interface ResumeResult {
  events: number;
  bytes: number;
  server: { p50: number; p95: number; max: number };
  client: { p50: number; p95: number; max: number };
}

const summary = (times: number[]) => {
  const sorted = [...times].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), max: sorted[sorted.length - 1] ?? NaN };
};

/**
 * `sync:resume` for `events` missed envelopes (every page): timed inside the node (service + ack encoding),
 * then round trip from a client over loopback for comparison.
 */
export async function measureResume(
  ours: ServerSet,
  db: BenchDatabase,
  tenantId: number,
  events: number,
  runs: number,
): Promise<ResumeResult> {
  const token = createTokenSigner(JWT_SECRET).sign(db.resume.userId, tenantId);
  const lastSeq = { [String(db.resume.teamId)]: db.resume.head - events };
  const inside = await ours.procs[0]!.call<{ times: number[]; events: number; bytes: number }>('resume', { token, lastSeq, runs });

  const factory = await clientFactory();
  const socket = await factory.connect(ours.urls[0]!, { token });
  const rtt: number[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      const seen = { ...lastSeq };
      let got = 0;
      for (let more = true; more;) {
        const res = await new Promise<Ack<SyncResumeResult>>((resolve) => socket.emit('sync:resume', { lastSeq: seen }, resolve));
        if (!res.ok) throw new Error(`sync:resume answered ${JSON.stringify(res).slice(0, 200)}`);
        got += res.data.events.length;
        for (const e of res.data.events) seen[String(e.teamId)] = e.seq;
        more = res.data.hasMore && res.data.events.length > 0;
      }
      if (got !== events) throw new Error(`sync:resume caught up ${got} of ${events} envelopes`);
      rtt.push(performance.now() - t0);
      factory.forget();
    }
  } finally {
    socket.disconnect();
  }
  return { events: inside.events, bytes: inside.bytes, server: summary(inside.times), client: summary(rtt) };
}
