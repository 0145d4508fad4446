/**
 * `npm run bench`: our fan-out path (a rep's move -> PostgreSQL -> Socket.IO room -> Redis -> teammates)
 * against plain Socket.IO + Redis on the same machine, same clients, same payload. See bench-config.ts.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { groupLabel, loadSettings, type GroupDef } from './bench-config.js';
import { checkFileLimit, commitLine, machineLine, REPO } from './machine.js';
import { createBenchDatabase, currentTeams, type BenchDatabase } from './bench-db.js';
import { searchCapacity, type CapacityOutcome } from './capacity.js';
import { startLoadgens, startServers, type Kind, type Loadgens, type ServerSet } from './cluster.js';
import { moveTransport } from './senders.js';
import { measureRun, perConnection, quiesce, type RunMetrics } from './measure.js';
import { summarizeProfiles } from './profile-summary.js';
import { renderReport, phaseVerdict, type MemoryOutcome, type PhaseOutcome } from './report.js';
import { measureResume, type ResumeResult } from './resume.js';
import { busyBefore, medianOf } from './stats.js';

const log = (line: string) => process.stdout.write(`${line}\n`);

const settings = loadSettings();

/** Server samples after the connection churn settles and a full GC. */
async function settled(servers: ServerSet) {
  await sleep(1500);
  return servers.stats(true);
}

interface GroupRun {
  outcomes: PhaseOutcome[];
  capacity: CapacityOutcome[];
  memory: MemoryOutcome;
  resume: ResumeResult | null;
  library: string;
}

async function runGroup(g: GroupDef, db: BenchDatabase, tenantId: number, wantResume: boolean, profileDir?: string): Promise<GroupRun> {
  const s = settings;
  const teams = await currentTeams(db.url, db.groups.get(g.seed ?? g.key)!);
  const topology = { databaseUrl: db.url, nodes: g.nodes, adapter: g.adapter };
  const servers: Record<Kind, ServerSet> = {
    ours: await startServers('ours', topology),
    bare: await startServers('bare', topology),
  };
  const lgs: Partial<Record<Kind, Loadgens>> = {};
  try {
    // Memory per connection is the slope between half and all clients connected, after full GCs,
    // so what a process allocates while starting up does not count.
    const memory = { group: g } as MemoryOutcome;
    for (const kind of ['ours', 'bare'] as const) {
      const l = (lgs[kind] = await startLoadgens(kind, servers[kind], teams, tenantId, s.loadgens));
      await l.connect(0);
      const half = await settled(servers[kind]);
      const all = await l.connect(1);
      memory[kind] = perConnection(half, await settled(servers[kind]));
      log(
        `  ${kind}: ${all.connected}/${g.clients} clients connected (second half in ${(all.ms / 1000).toFixed(1)} s)${all.failed ? `, ${all.failed} failed` : ''}`,
      );
    }
    const resume = wantResume ? await measureResume(servers.ours, db, tenantId, s.resumeEvents, s.resumeRuns) : null;
    const outcomes: PhaseOutcome[] = [];
    let sample: unknown;
    for (const phase of g.phases) {
      const runs: Record<Kind, RunMetrics[]> = { ours: [], bare: [] };
      for (let rep = 0; rep < s.reps; rep++) {
        for (const kind of ['ours', 'bare'] as const) {
          const profile = profileDir
            ? { file: (i: number) => resolve(profileDir, kind, `${phase.name}-${rep + 1}-node${i + 1}.cpuprofile`) }
            : undefined;
          await quiesce([...servers.ours.procs, ...servers.bare.procs, ...lgs.ours!.procs, ...lgs.bare!.procs]);
          const out = await measureRun(servers[kind], lgs[kind]!, phase, s, sample, profile);
          sample ??= out.sample;
          const m = out.metrics;
          runs[kind].push(m);
          log(
            `  ${phase.label} ${kind} #${rep + 1}: p50 ${m.p50.toFixed(1)} p99 ${m.p99.toFixed(1)} max ${m.max.toFixed(1)} ms, ` +
              `${Math.round(m.deliveriesPerSec)} deliveries/s, ${(m.completion * 100).toFixed(2)}% delivered, ${m.cpuUsPerDelivery.toFixed(1)} µs CPU/delivery, machine ${m.machineBusyPct.toFixed(0)}% (other work ${m.otherBusyPct.toFixed(0)}%)` +
              `${m.failed ? `, ${m.failed} moves failed` : ''}${m.lost ? `, ${m.lost} sockets lost` : ''}`,
          );
        }
      }
      const outcome = { group: g, phase, ours: medianOf(runs.ours), bare: medianOf(runs.bare) };
      log(`  => ${phase.label}: ${phaseVerdict(outcome).text}`);
      outcomes.push(outcome);
    }
    const capacity: CapacityOutcome[] = [];
    for (const def of g.searches) {
      const out = await searchCapacity(g, def, servers, lgs as Record<Kind, Loadgens>, s, sample, log);
      sample = out.sample;
      capacity.push(out.outcome);
      const best = (k: Kind) => out.outcome[k].best?.rate ?? 0;
      log(`  => ${def.label} capacity at p99 < ${s.capacity.goalP99Ms} ms: ours ${best('ours')}/s, bare ${best('bare')}/s`);
    }
    return { outcomes, capacity, memory, resume, library: lgs.ours!.library };
  } finally {
    await Promise.all(Object.values(lgs).map((l) => l.stop()));
    await Promise.all([servers.ours.stop(), servers.bare.stop()]);
  }
}

async function main(): Promise<void> {
  const s = settings;
  const started = new Date();
  const maxClients = Math.max(...s.groups.map((g) => g.clients));
  checkFileLimit(maxClients);
  const quiet = await busyBefore();
  const names = s.groups.flatMap((g) => [...g.phases.map((p) => p.label), ...g.searches.map((c) => `${c.label} capacity`)]);
  log(`Live CRM fan-out bench${s.quick ? ' (quick)' : ''}: ${names.join('; ')}`);
  log(quiet);
  // Groups that differ in topology only share one seed.
  const seeds = new Map(s.groups.map((g) => [g.seed ?? g.key, { key: g.seed ?? g.key, clients: g.clients, teamSize: g.teamSize }]));
  const db = await createBenchDatabase([...seeds.values()], s.resumeEvents);
  const tenantId = db.tenantId;
  const stamp = started.toISOString().replace(/[:.]/g, '-');
  const profileDir = s.profile ? resolve(REPO, 'bench/results/profiles', stamp) : undefined;
  const phases: PhaseOutcome[] = [];
  const capacity: CapacityOutcome[] = [];
  const memory: MemoryOutcome[] = [];
  let resume: ResumeResult | null = null;
  let library = '';
  try {
    for (const g of s.groups) {
      log(`Group ${g.key}: ${groupLabel(g)}, ${g.nodes} nodes per side, ${g.adapter} adapter`);
      const out = await runGroup(g, db, tenantId, resume === null, profileDir);
      phases.push(...out.outcomes);
      capacity.push(...out.capacity);
      memory.push(out.memory);
      resume ??= out.resume;
      library = out.library;
    }
  } finally {
    await db.drop();
  }
  const notes: string[] = [];
  if (profileDir) {
    for (const kind of ['ours', 'bare'])
      notes.push(
        `CPU profiles (${kind}, measured windows): ${resolve(profileDir, kind)}`,
        ...summarizeProfiles(resolve(profileDir, kind), 25),
      );
  }
  const md = renderReport({
    settings: s,
    started,
    seconds: (Date.now() - started.getTime()) / 1000,
    library,
    quiet,
    moveTransport: moveTransport(),
    machine: machineLine(),
    commit: commitLine(),
    phases,
    capacity,
    memory,
    resume,
    notes,
  });
  const dir = resolve(REPO, 'bench/results');
  mkdirSync(dir, { recursive: true });
  const file = resolve(dir, `${started.toISOString().slice(0, 10)}${s.suffix}.md`);
  writeFileSync(file, md);
  log(`\n${md}\nWritten to ${file}`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
