/**
 * What a 10,000-row import costs, and what it costs the team: `npm run bench:import -w realtime-server`.
 * One node (its own process, production settings, Redis) on a throwaway database with the demo data.
 * Manager mia uploads a 10,000-row sheet, waits for the report and applies it, while teammate rita
 * moves a deal over her socket (`opportunity:move`, as the phone does) ten times a second. Prints
 * the time to the report and to the applied import, the node's peak RSS, and rita's move p50/p99
 * before, during the check, during the apply and after; writes them to bench/results/<date>-import.md.
 * Not part of `npm run bench`.
 */
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import ExcelJS from 'exceljs';
import { io, type Socket } from 'socket.io-client';
import { createDatabase } from '@live-crm/models';
import type { ImportReport, OpportunityMoveResult, PipelineResponse } from '@live-crm/shared-types';
import { createTokenSigner } from '../src/modules/auth/jwt.js';
import { createTemplate, dropDatabase, uniqueName, urlFor } from '../test/support/databases.js';
import { JWT_SECRET, rssSampler, startServers, type ServerSet } from './cluster.js';
import { percentile } from './stats.js';

const ROWS = Number(process.env['BENCH_IMPORT_ROWS'] ?? 10_000);
const MOVE_EVERY_MS = 100;
const QUIET_MS = 5000;
const MB = 1024 * 1024;
type Phase = 'before' | 'check' | 'apply' | 'after';

/** A sheet as a sales team has it: mostly good rows, a few bad e-mails, a few repeated phones. */
async function sheet(rows: number): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('客户');
  ws.addRow(['姓名', '公司', '电话', '邮箱', '状态', '地址']);
  for (let i = 0; i < rows; i++) {
    const phone = i % 97 === 96 ? `+86 136 ${String(i - 1).padStart(8, '0')}` : `136${String(i).padStart(8, '0')}`;
    const email = i % 101 === 100 ? `bad-address-${i}` : `c${i}@import.example.cn`;
    ws.addRow([
      `导入客户${i}`,
      `宁波明达贸易有限公司 ${i % 997}`,
      phone,
      email,
      ['线索', '潜在客户', '活跃'][i % 3],
      `浙江省宁波市 ${i % 500} 号`,
    ]);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Rita moves one deal back and forth over her socket every 100 ms; each ack's time, by phase. */
function mover(url: string, token: string, pipeline: PipelineResponse, phase: () => Phase) {
  const socket: Socket = io(url, { transports: ['websocket'], auth: { token }, reconnection: false });
  const times: Record<Phase, number[]> = { before: [], check: [], apply: [], after: [] };
  let deal = pipeline.opportunities[0]!;
  const [a, b] = pipeline.stages.filter((s) => s.outcome === 'open').map((s) => s.id);
  let stopped = false;
  let refused = 0;
  const loop = async () => {
    await new Promise<void>((ok, fail) => {
      socket.once('connect', () => ok());
      socket.once('connect_error', fail);
    });
    while (!stopped) {
      const started = performance.now();
      const label = phase();
      const stageId = deal.stageId === a ? b! : a!;
      const ack = await new Promise<{ ok: boolean; data?: OpportunityMoveResult }>((ok) =>
        socket.emit('opportunity:move', { id: deal.id, stageId, version: deal.version }, ok),
      );
      times[label].push(performance.now() - started);
      if (ack.ok && ack.data) deal = ack.data.opportunity;
      else refused += 1;
      await new Promise((r) => setTimeout(r, Math.max(0, MOVE_EVERY_MS - (performance.now() - started))));
    }
  };
  const running = loop();
  return {
    times,
    refused: () => refused,
    async stop() {
      stopped = true;
      await running;
      socket.close();
    },
  };
}

const json = async <T>(res: Response): Promise<T> => {
  const body = (await res.json()) as T;
  if (res.status >= 300) throw new Error(`${res.url} answered ${res.status}: ${JSON.stringify(body)}`);
  return body;
};

async function main(): Promise<void> {
  const name = uniqueName('livecrm_bench_import');
  let servers: ServerSet | null = null;
  try {
    await createTemplate(name);
    const db = createDatabase({ url: urlFor(name), poolMax: 1 });
    const users = await db.models.User.findAll({ where: { login: ['mia', 'rita'] } }).finally(() => db.close());
    const signer = createTokenSigner(JWT_SECRET);
    const token = (login: string) => {
      const u = users.find((x) => x.login === login)!;
      return signer.sign(u.id, u.tenantId);
    };
    const [mia, rita] = [token('mia'), token('rita')];
    const bytes = await sheet(ROWS);
    servers = await startServers('ours', { databaseUrl: urlFor(name), nodes: 1 });
    const url = servers.urls[0]!;
    const auth = (t: string) => ({ authorization: `Bearer ${t}` });
    const pipeline = await json<PipelineResponse>(await fetch(`${url}/api/crm/pipeline`, { headers: auth(rita) }));

    let phase: Phase = 'before';
    const moves = mover(url, rita, pipeline, () => phase);
    const [base] = await servers.stats(true);
    const rss = rssSampler(servers);
    await new Promise((r) => setTimeout(r, QUIET_MS));

    phase = 'check';
    const t0 = performance.now();
    const form = new FormData();
    form.append('file', new Blob([bytes]), 'customers.xlsx');
    const accepted = await json<{ import: { id: number } }>(
      await fetch(`${url}/api/crm/imports`, { method: 'POST', headers: auth(mia), body: form }),
    );
    const answered = performance.now() - t0;
    let report: ImportReport;
    for (;;) {
      report = (await json<{ import: ImportReport }>(await fetch(`${url}/api/crm/imports/${accepted.import.id}`, { headers: auth(mia) })))
        .import;
      if (report.status !== 'checking') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const toReport = performance.now() - t0;

    phase = 'apply';
    const t1 = performance.now();
    const applied = await json<{ import: ImportReport }>(
      await fetch(`${url}/api/crm/imports/${accepted.import.id}/apply`, {
        method: 'POST',
        headers: { ...auth(mia), 'content-type': 'application/json', 'Idempotency-Key': `bench-import-${accepted.import.id}` },
        body: JSON.stringify({ duplicates: 'skip' }),
      }),
    );
    const toApply = performance.now() - t1;
    phase = 'after';
    await new Promise((r) => setTimeout(r, 3000));
    await moves.stop();
    rss.stop();

    const row = (label: string, times: number[]) => {
      const s = [...times].sort((x, y) => x - y);
      return `| ${label} | ${s.length} | ${percentile(s, 50).toFixed(1)} | ${percentile(s, 99).toFixed(1)} | ${(s.at(-1) ?? 0).toFixed(1)} |`;
    };
    const lines = [
      `# Import cost, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`,
      '',
      `\`npm run bench:import -w realtime-server\`: one node (production settings, Redis, its own process), demo data, a sheet of ${ROWS.toLocaleString('en-US')} rows`,
      `(${(bytes.length / MB).toFixed(2)} MB xlsx; ~1% bad e-mails, ~1% repeated phones) uploaded, checked and applied by mia while rita moves a deal over her socket every ${MOVE_EVERY_MS} ms.`,
      '',
      '| what | figure |',
      '| --- | --- |',
      `| upload answered (202, sheet read) | ${(answered / 1000).toFixed(2)} s |`,
      `| time to report (upload to \`ready\`) | ${(toReport / 1000).toFixed(2)} s |`,
      `| time to apply (one transaction, one envelope) | ${(toApply / 1000).toFixed(2)} s |`,
      `| report | ${report.valid} valid, ${report.duplicates} duplicates, ${report.invalid} invalid |`,
      `| applied | ${applied.import.applied?.created} created, ${applied.import.applied?.skipped} skipped |`,
      `| node RSS | ${(base!.rss / MB).toFixed(0)} MB before, peak ${(rss.peak() / MB).toFixed(0)} MB |`,
      '',
      "Rita's live move (`opportunity:move` ack), ms:",
      '',
      '| phase | moves | p50 | p99 | max |',
      '| --- | --- | --- | --- | --- |',
      row('before the import', moves.times.before),
      row('while the rows are checked', moves.times.check),
      row('while it is applied', moves.times.apply),
      row('after', moves.times.after),
      row('during the import (check + apply)', [...moves.times.check, ...moves.times.apply]),
      '',
      `Refused moves: ${moves.refused()}. Machine: ${cpus().length} cores, load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')} (1, 5, 15 min) at the end.`,
      '',
    ];
    const text = lines.join('\n');
    console.log(text);
    const file = resolve(import.meta.dirname, '../../bench/results', `${new Date().toISOString().slice(0, 10)}-import.md`);
    writeFileSync(file, text);
    console.log(`written to ${file}`);
  } finally {
    await servers?.stop();
    await dropDatabase(name);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
