import { randomBytes } from 'node:crypto';
import { sleep } from './children.js';

export interface WriterSpec {
  token: string;
  teamId: number;
  customerId: number;
  /** Open deals of the team and their stages, to move back and forth. */
  deals: Array<{ id: number; version: number }>;
  stageIds: number[];
}

/** One logical write: the same Idempotency-Key on every attempt until one is answered 2xx. */
export interface WriteRecord {
  key: string;
  kind: 'move' | 'note';
  path: string;
  body: unknown;
  attempts: Array<{ status: number | string; ms: number; at: number }>;
  done: boolean;
}

export interface WriteStream {
  records: WriteRecord[];
  /** Stops starting new writes; `finish` also lets every pending one retry until answered. */
  stop(opts?: { finish?: boolean }): Promise<void>;
}

/** The part of an answer the writer reads: a move's new version, or the current one on a 409. */
interface Answer {
  status: number;
  body: { opportunity?: { version: number }; current?: { version: number } } | null;
}

async function attempt(base: () => string, token: string, rec: WriteRecord, timeoutMs: number): Promise<Answer | null> {
  const started = Date.now();
  try {
    const res = await fetch(`${base()}${rec.path}`, {
      method: rec.kind === 'move' ? 'PUT' : 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': rec.key },
      body: JSON.stringify(rec.body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const body = (await res.json().catch(() => null)) as Answer['body'];
    rec.attempts.push({ status: res.status, ms: Date.now() - started, at: started });
    return { status: res.status, body };
  } catch (err) {
    const code = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).name;
    rec.attempts.push({ status: `network:${code}`, ms: Date.now() - started, at: started });
    return null;
  }
}

/**
 * A steady stream of writes per team (a deal move, then a customer note, ...), each retried with its
 * Idempotency-Key on a network error or 5xx, as a careful client does; `base()` is where to send.
 */
export function startWriters(
  base: () => string,
  specs: WriterSpec[],
  opts: { pauseMs?: number; timeoutMs?: number; giveUpMs?: number } = {},
): WriteStream {
  const records: WriteRecord[] = [];
  let stopping = false;
  let finishing = false;

  async function settle(spec: WriterSpec, rec: WriteRecord): Promise<Answer | null> {
    const giveUpAt = Date.now() + (opts.giveUpMs ?? 60_000);
    for (;;) {
      const res = await attempt(base, spec.token, rec, opts.timeoutMs ?? 5000);
      if (res && res.status < 500 && res.status !== 429) {
        rec.done = res.status < 300;
        return res;
      }
      if ((stopping && !finishing) || Date.now() > giveUpAt) return null;
      await sleep(100);
    }
  }

  async function loop(spec: WriterSpec): Promise<void> {
    for (let n = 0; !stopping; n++) {
      const deal = spec.deals[n % spec.deals.length]!;
      const key = `fault-${randomBytes(9).toString('base64url')}`;
      const rec: WriteRecord =
        n % 2 === 0
          ? {
              key,
              kind: 'move',
              path: `/api/crm/opportunities/${deal.id}/move`,
              body: { stageId: spec.stageIds[(deal.version + n) % spec.stageIds.length], version: deal.version },
              attempts: [],
              done: false,
            }
          : {
              key,
              kind: 'note',
              path: `/api/crm/customers/${spec.customerId}/notes`,
              body: { content: `fault note ${key}` },
              attempts: [],
              done: false,
            };
      records.push(rec);
      const res = await settle(spec, rec);
      if (rec.kind === 'move' && res) {
        // A move that lost a race (or was answered from an earlier attempt) tells us the version to use.
        deal.version = res.status === 409 ? (res.body?.current?.version ?? deal.version) : (res.body?.opportunity?.version ?? deal.version);
      }
      await sleep(opts.pauseMs ?? 40);
    }
  }

  const loops = specs.map(loop);
  return {
    records,
    async stop({ finish = true } = {}) {
      finishing = finish;
      stopping = true;
      await Promise.all(loops);
    },
  };
}
