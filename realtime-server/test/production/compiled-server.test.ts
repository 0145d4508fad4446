import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTokenSigner } from '../../src/modules/auth/jwt.js';
import { type Child, freePort, REPO, run, spawnChild, waitFor } from '../support/children.js';
import { cloneDatabase } from '../support/databases.js';
import { REDIS_URL } from '../support/nodes.js';
import { connectWeapp } from '../support/weapp.js';

const STRONG_SECRET = 'q3V9xZ-0pLk_7rT2mWb8YcNf4HsJ1aEuDg6Ri5Ko-compiled';
const PUBLIC_URL = 'https://crm.example.cn';
const COMPILED = join(REPO, 'realtime-server/dist/main.js');

let database: Awaited<ReturnType<typeof cloneDatabase>>;
const children: Child[] = [];

beforeAll(async () => {
  [database] = await Promise.all([cloneDatabase(inject('templateDb')), run('npm', ['run', '--silent', 'build'])]);
}, 120_000);
afterAll(async () => {
  // npm start is npm -> sh -> npm -> sh -> node: a failed test must not leave the node behind.
  for (const c of children) if (c.alive()) for (const p of processTree(c.proc.pid!).reverse()) process.kill(p.pid, 'SIGKILL');
  await Promise.all(children.map((c) => c.kill('SIGKILL')));
  await database?.drop();
});

/** The production environment an operator sets, on a free port of this machine. */
async function productionEnv(extra: Record<string, string> = {}) {
  const port = await freePort();
  return {
    port,
    env: {
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATABASE_URL: database.url,
      JWT_SECRET: STRONG_SECRET,
      PUBLIC_URL,
      LOG_LEVEL: 'info',
      ...extra,
    },
  };
}

function start(command: string, args: string[], env: Record<string, string>): Child {
  const child = spawnChild('compiled', command, args, env);
  children.push(child);
  return child;
}

async function healthy(port: number, child: Child) {
  await waitFor(
    'compiled node healthy',
    async () => {
      if (!child.alive()) throw new Error(`exited: ${child.lines.slice(-20).join('\n')}`);
      return (await fetch(`http://127.0.0.1:${port}/healthz`)).status === 200;
    },
    60_000,
    100,
  );
}

/** A token as the production node signs it (dev login is off in production). */
async function tokenOf(login: string): Promise<string> {
  const db = new pg.Client({ connectionString: database.url });
  await db.connect();
  try {
    const { rows } = await db.query<{ id: number; tenant_id: number }>('SELECT id, tenant_id FROM users WHERE login = $1', [login]);
    return createTokenSigner(STRONG_SECRET).sign(rows[0]!.id, rows[0]!.tenant_id);
  } finally {
    await db.end();
  }
}

/** A process and all its descendants with their command lines (Linux /proc). */
function processTree(pid: number): Array<{ pid: number; cmd: string }> {
  const tree: Array<{ pid: number; cmd: string }> = [];
  const walk = (p: number) => {
    tree.push({ pid: p, cmd: readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0').join(' ').trim() });
    const kids = readFileSync(`/proc/${p}/task/${p}/children`, 'utf8').trim();
    for (const kid of kids ? kids.split(' ') : []) walk(Number(kid));
  };
  walk(pid);
  return tree;
}

describe('npm run build, then NODE_ENV=production npm start', () => {
  it('serves from the compiled JavaScript with no TypeScript loader, and drains on SIGTERM with exit 0', async () => {
    expect(existsSync(COMPILED)).toBe(true);
    const { port, env } = await productionEnv({
      REDIS_URL,
      REDIS_KEY: `compiled-${randomBytes(4).toString('hex')}`,
      NODE_ID: 'compiled-a',
    });
    const child = start('npm', ['start'], env);
    await healthy(port, child);

    const res = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(await res.json()).toEqual({ ok: true, node: 'compiled-a', db: true, redis: true });
    const tree = processTree(child.proc.pid!);
    const server = tree.find((p) => /^\S*node start\.mjs$/.test(p.cmd));
    expect(server, JSON.stringify(tree)).toBeDefined();
    expect(
      tree.filter((p) => /tsx|\.ts\b/.test(p.cmd)),
      'no process runs tsx or a .ts file',
    ).toEqual([]);
    // Production turns dev login off: the demo shortcut is not served.
    const devLogin = await fetch(`http://127.0.0.1:${port}/api/auth/dev-login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login: 'ray' }),
    });
    expect(devLogin.status).toBe(404);

    // SIGTERM to the server itself (npm's shell would not pass it on; systemd signals every process of the unit):
    // it drains, exits 0, and npm start ends with its code.
    process.kill(server!.pid, 'SIGTERM');
    await child.exited;
    expect(child.exit).toEqual({ code: 0, signal: null });
    expect(child.lines.some((l) => l.includes('"msg":"stopped"'))).toBe(true);
  });

  it('refuses to start without PUBLIC_URL, or with a missing or weak JWT_SECRET: a readable reason and a non-zero exit', async () => {
    const { env } = await productionEnv();
    const { PUBLIC_URL: _url, ...noPublicUrl } = env;
    const { JWT_SECRET: _secret, ...noSecret } = env;
    const cases: Array<[Record<string, string>, RegExp]> = [
      [noPublicUrl, /PUBLIC_URL: required in production/],
      [noSecret, /JWT_SECRET: required in production/],
      [{ ...env, JWT_SECRET: 'x'.repeat(48) }, /JWT_SECRET: uses too few different characters/],
    ];
    const refusals = cases.map(async ([environment, reason]) => {
      const child = start(process.execPath, ['realtime-server/start.mjs'], environment);
      await child.exited;
      expect(child.exit?.code, String(reason)).toBe(1);
      expect(child.lines.join('\n')).toMatch(reason);
    });
    await Promise.all(refusals);
  }, 60_000);
});

describe('SHUTDOWN_DEADLINE_MS', () => {
  it('SIGTERM exits within the deadline even while a request and a phone hang on', async () => {
    const deadline = 3000;
    const { port, env } = await productionEnv({ SHUTDOWN_DEADLINE_MS: String(deadline), NODE_ID: 'compiled-deadline' });
    const child = start(process.execPath, ['realtime-server/start.mjs'], env);
    await healthy(port, child);

    // A phone on the socket, and an upload that announced 100 kB and sent 10 bytes: the server would wait 30 s for the rest.
    const stuck = connect({ port, host: '127.0.0.1' });
    let stuckClosedAt = 0;
    stuck.on('close', () => (stuckClosedAt = Date.now()));
    stuck.on('error', () => undefined);
    await new Promise<void>((resolve) => stuck.once('connect', () => resolve()));
    stuck.write(
      'POST /api/auth/dev-login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"login":"',
    );
    const phone = await connectWeapp(`http://127.0.0.1:${port}`, await tokenOf('ray'));
    await new Promise((r) => setTimeout(r, 200));

    const termAt = Date.now();
    child.proc.kill('SIGTERM');
    await child.exited;
    const took = Date.now() - termAt;
    phone.close();

    expect(took, 'SIGTERM to exit').toBeLessThanOrEqual(deadline + 500);
    expect(took, 'the stuck upload was given until shortly before the deadline').toBeGreaterThanOrEqual(deadline - 1500);
    expect(child.exit).toEqual({ code: 0, signal: null });
    expect(stuckClosedAt - termAt).toBeLessThanOrEqual(deadline);
    expect(child.lines.some((l) => l.includes('drain deadline: cutting connections still open'))).toBe(true);
  });
});
