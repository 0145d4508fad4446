/**
 * What `sync:resume` costs everyone else: `npx tsx realtime-server/bench/resume-cost.ts`.
 * One node (its own process) on a throwaway database with the demo data and 5,200 envelopes in
 * team East's log. Four users (ray, rita, mia, will) read their pipeline over REST 8 times a second
 * each, first alone, then while admin ada (another process) sends bursts of 60 `sync:resume`
 * asking for the last 5,000 envelopes each, a burst every 3 s (the per-user limiter's burst refills
 * in that time). Prints their p50/p99/max per phase and what ada got. Budget: p99 under 100 ms.
 */
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { QueryTypes } from 'sequelize';
import WebSocket from 'ws';
import { createDatabase } from '@live-crm/models';
import type { PipelineResponse } from '@live-crm/shared-types';
import { createTokenSigner } from '../src/modules/auth/jwt.js';
import { RESUME_PAGE_SIZE } from '../src/modules/sync/sync.service.js';
import { createTemplate, dropDatabase, uniqueName, urlFor } from '../test/support/databases.js';
import { JWT_SECRET, startServers, type ServerSet } from './cluster.js';
import { BenchChild, serve } from './ipc.js';
import { percentile } from './stats.js';

const EVENTS = 5000;
const BURST = 60;
const BURST_EVERY_MS = 3000;
const PHASE_MS = Number(process.env['BENCH_PHASE_S'] ?? 12) * 1000;
const BUDGET_MS = 100;
const READ_EVERY_MS = 125;
/** The other users whose REST answers are timed, each on their own schedule. */
const READERS = ['ray', 'rita', 'mia', 'will'];

interface AttackOutcome {
  asked: number;
  answered: number;
  refused: number;
  envelopes: number;
  bytes: number;
}

/**
 * The attacker's process: bursts of resumes until `ms` has passed, answers what came back. It speaks
 * the Socket.IO wire format over a bare WebSocket and reads acks without parsing them, so what it
 * costs is the server's work, not a client's JSON parsing on the same machine.
 */
async function attack({
  url,
  token,
  lastSeq,
  ms,
}: {
  url: string;
  token: string;
  lastSeq: Record<string, number>;
  ms: number;
}): Promise<AttackOutcome> {
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`);
  const out: AttackOutcome = { asked: 0, answered: 0, refused: 0, envelopes: 0, bytes: 0 };
  const acked = new Set<number>();
  let connected: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => {
    connected = resolve;
  });
  ws.on('message', (raw: Buffer) => {
    const frame = raw.toString('latin1', 0, Math.min(raw.length, 64));
    if (frame.startsWith('0{')) ws.send(`40${JSON.stringify({ token })}`);
    else if (frame.startsWith('40')) connected();
    else if (frame === '2') ws.send('3');
    else if (frame.startsWith('43')) {
      acked.add(Number(/^43(\d+)/.exec(frame)![1]));
      out.bytes += raw.length;
      if (frame.includes('"ok":true')) {
        out.answered++;
        out.envelopes += countEnvelopes(raw);
      } else out.refused++;
    }
  });
  await ready;
  const payload = JSON.stringify(['sync:resume', { lastSeq }]);
  const end = Date.now() + ms;
  while (Date.now() < end) {
    for (let i = 0; i < BURST; i++) ws.send(`42${out.asked++}${payload}`);
    await new Promise((r) => setTimeout(r, BURST_EVERY_MS));
  }
  for (let waited = 0; acked.size < out.asked && waited < 30_000; waited += 100) await new Promise((r) => setTimeout(r, 100));
  ws.close();
  return out;
}

/** Envelopes in an ack, counted by their `"eventId":` keys (no parse). */
function countEnvelopes(raw: Buffer): number {
  let n = 0;
  for (let at = raw.indexOf('"eventId":'); at >= 0; at = raw.indexOf('"eventId":', at + 1)) n++;
  return n;
}

/** Each reader asks for their pipeline every 125 ms (under the per-user limit) for `ms`; answers each request's time. */
async function readers(url: string, tokens: string[], ms: number): Promise<number[]> {
  const times: number[] = [];
  const read = async (token: string): Promise<void> => {
    const t0 = performance.now();
    const res = await fetch(`${url}/api/crm/pipeline`, { headers: { authorization: `Bearer ${token}` } });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`pipeline answered ${res.status}`);
    times.push(performance.now() - t0);
  };
  const inFlight: Array<Promise<void>> = [];
  const end = Date.now() + ms;
  for (let tick = 0; Date.now() < end; tick++) {
    for (const token of tokens) inFlight.push(read(token));
    await new Promise((r) => setTimeout(r, Math.max(0, tick * READ_EVERY_MS + READ_EVERY_MS - (Date.now() - end + ms))));
  }
  await Promise.all(inFlight);
  return times;
}

function line(label: string, times: number[], cpu: Busy): number {
  const sorted = [...times].sort((a, b) => a - b);
  const p99 = percentile(sorted, 99);
  console.log(
    `${label.padEnd(34)} n ${String(sorted.length).padStart(5)}   p50 ${percentile(sorted, 50).toFixed(1).padStart(6)} ms   ` +
      `p99 ${p99.toFixed(1).padStart(7)} ms   max ${sorted.at(-1)!.toFixed(1).padStart(7)} ms   ${cpu.text}`,
  );
  return p99;
}

interface Busy {
  text: string;
  nodeMicros: number;
  dbMicros: number;
}

/** CPU the node and its PostgreSQL backends spent since the previous call, as a share of one core. */
function busy(servers: ServerSet): () => Promise<Busy> {
  let last = { at: performance.now(), node: 0, db: 0 };
  return async () => {
    const [[stats], db] = await Promise.all([servers.stats(), servers.dbCpu()]);
    const now = { at: performance.now(), node: stats!.cpuMicros, db };
    const wallMicros = (now.at - last.at) * 1000;
    const share = (micros: number) => `${((100 * micros) / wallMicros).toFixed(0)}%`;
    const [nodeMicros, dbMicros] = [now.node - last.node, now.db - last.db];
    last = now;
    return { text: `node CPU ${share(nodeMicros)}, PostgreSQL ${share(dbMicros)} of a core`, nodeMicros, dbMicros };
  };
}

/** 5,200 envelopes in East's log: one real move through the API, then the same move at the next seqs. */
async function fillLog(databaseUrl: string, url: string, token: string, teamId: number): Promise<number> {
  const pipeline = (await (
    await fetch(`${url}/api/crm/pipeline`, { headers: { authorization: `Bearer ${token}` } })
  ).json()) as PipelineResponse;
  const deal = pipeline.opportunities[0]!;
  const moved = await fetch(`${url}/api/crm/opportunities/${deal.id}/move`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ stageId: pipeline.stages.find((s) => s.id !== deal.stageId)!.id, version: deal.version }),
  });
  if (moved.status !== 200) throw new Error(`move answered ${moved.status}`);
  const db = createDatabase({ url: databaseUrl, poolMax: 1 });
  try {
    const [{ head }] = (await db.sequelize.query<{ head: number }>('SELECT last_seq AS head FROM teams WHERE id = :teamId', {
      replacements: { teamId },
      type: QueryTypes.SELECT,
    })) as [{ head: number }];
    const more = EVENTS + 200 - 1;
    await db.sequelize.query(
      `INSERT INTO team_events (team_id, seq, event_id, type, actor_id, data, at)
       SELECT team_id, seq + i, gen_random_uuid(), type, actor_id, data, at FROM team_events, generate_series(1, :more) AS i
       WHERE team_id = :teamId AND seq = :head;
       UPDATE teams SET last_seq = :last WHERE id = :teamId`,
      { replacements: { teamId, head, more, last: head + more } },
    );
    return head + more;
  } finally {
    await db.close();
  }
}

async function main(): Promise<void> {
  const name = uniqueName('livecrm_bench');
  let servers: ServerSet | null = null;
  try {
    await createTemplate(name);
    const db = createDatabase({ url: urlFor(name), poolMax: 1 });
    const users = await db.models.User.findAll({ where: { login: [...READERS, 'ada'] } }).finally(() => db.close());
    const byLogin = (login: string) => users.find((u) => u.login === login)!;
    const [ray, ada] = [byLogin('ray'), byLogin('ada')];
    servers = await startServers('ours', { databaseUrl: urlFor(name), nodes: 1 });
    const url = servers.urls[0]!;
    const signer = createTokenSigner(JWT_SECRET);
    const tokens = READERS.map((login) => signer.sign(byLogin(login).id, byLogin(login).tenantId));
    const head = await fillLog(urlFor(name), url, tokens[0]!, ray.teamId!);

    await readers(url, tokens, 2000);
    const cpu = busy(servers);
    await cpu();
    const quiet = { times: await readers(url, tokens, PHASE_MS), cpu: await cpu() };
    const alone = line(`${READERS.length} users alone`, quiet.times, quiet.cpu);

    const attacker = BenchChild.start('attacker', import.meta.filename, { RESUME_COST_ROLE: 'attacker' });
    await attacker.ready;
    const attack = (ms: number) =>
      attacker.call<AttackOutcome>('attack', {
        url,
        token: signer.sign(ada.id, ada.tenantId),
        lastSeq: { [String(ray.teamId)]: head - EVENTS },
        ms,
      });
    // CPU time is what a busy machine does not distort: what one read and one resume answer cost, each alone.
    const solo = { outcome: await attack(PHASE_MS), cpu: await cpu() };
    await new Promise((r) => setTimeout(r, BURST_EVERY_MS));
    await cpu();
    const [outcome, times] = await Promise.all([attack(PHASE_MS), readers(url, tokens, PHASE_MS)]);
    const during = line(`${READERS.length} users during ada's resumes`, times, await cpu());
    await attacker.stop();

    // A pooled backend that exits takes its CPU count with it: a negative difference reads as about 0.
    const perMs = (micros: number, n: number) => `${(Math.max(micros, 0) / 1000 / Math.max(n, 1)).toFixed(2)} ms`;
    console.log(
      `CPU per pipeline read: node ${perMs(quiet.cpu.nodeMicros, quiet.times.length)}, PostgreSQL ${perMs(quiet.cpu.dbMicros, quiet.times.length)}; ` +
        `per resume answer (${RESUME_PAGE_SIZE} envelopes): node ${perMs(solo.cpu.nodeMicros, solo.outcome.answered)}, PostgreSQL ${perMs(solo.cpu.dbMicros, solo.outcome.answered)}`,
    );
    console.log(
      `ada: ${outcome.asked} sync:resume of ${EVENTS} missed (bursts of ${BURST} every ${BURST_EVERY_MS / 1000} s): ` +
        `${outcome.answered} answered, ${outcome.refused} refused (rate limit), ${outcome.envelopes} envelopes, ${(outcome.bytes / 1e6).toFixed(1)} MB`,
    );
    console.log(
      `machine load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')} (1, 5, 15 min) on ${cpus().length} cores`,
    );
    console.log(
      `other users' REST p99 ${alone.toFixed(1)} ms alone, ${during.toFixed(1)} ms during: ${during < BUDGET_MS ? 'within' : 'OVER'} the ${BUDGET_MS} ms budget`,
    );
  } finally {
    await servers?.stop();
    await dropDatabase(name);
  }
}

if (process.env['RESUME_COST_ROLE'] === 'attacker') {
  serve({ attack, stop: () => void setImmediate(() => process.exit(0)) });
} else {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
