import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Child, freePort, REPO, spawnChild, waitFor } from './children.js';

/**
 * The operator's deploy/haproxy.cfg with only its addresses changed: where it listens, and the
 * nodes it balances (primaries and their unchecked fallbacks, as the file lists them). Every
 * timeout, check and rule is the file's own.
 */
export function haproxyConfigFor(text: string, opts: { bind: string; servers: string[] }): string {
  const lines = text.split('\n');
  const bind = lines.findIndex((l) => /^\s+bind :80$/.test(l));
  const primaries = lines.filter((l) => /^\s+server node\d+ \S+ check$/.test(l)).length;
  const fallbacks = lines.filter((l) => /^\s+server node\d+-fallback \S+ backup$/.test(l)).length;
  if (bind < 0 || primaries === 0 || fallbacks !== primaries)
    throw new Error('deploy/haproxy.cfg no longer has the bind and server lines this test replaces');
  lines[bind] = `    bind ${opts.bind}`;
  const out: string[] = [];
  let wroteServers = false;
  for (const line of lines) {
    const m = /^(\s+)server node\d+(-fallback)? /.exec(line);
    if (!m) {
      // No syslog socket in a test: HAProxy's own notices go to stderr (-db), request logs nowhere.
      out.push(line.replace(/^(\s+)log \/dev\/log local0$/, '$1log stderr format raw local0 notice'));
      continue;
    }
    if (wroteServers) continue;
    wroteServers = true;
    const indent = m[1]!;
    opts.servers.forEach((addr, i) => out.push(`${indent}server node${i + 1} ${addr} check`));
    // `option allbackups` sits between the primaries and the fallbacks in the file; order does not matter to HAProxy.
    opts.servers.forEach((addr, i) => out.push(`${indent}server node${i + 1}-fallback ${addr} backup`));
  }
  return out.join('\n');
}

export interface Balancer {
  port: number;
  url: string;
  child: Child;
  /** Resolves once HAProxy has logged `Server nodes/<name> is <state>` more times than `since` lines ago. */
  waitForServer(name: string, state: 'UP' | 'DOWN', sinceLine: number, timeoutMs?: number): Promise<number>;
  stop(): Promise<void>;
}

/** HAProxy from Debian's package in the foreground, on a free loopback port, in front of `backendPorts`. */
export async function startHaproxy(backendPorts: number[]): Promise<Balancer> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'livecrm-haproxy-'));
  const file = join(dir, 'haproxy.cfg');
  const operator = readFileSync(join(REPO, 'deploy/haproxy.cfg'), 'utf8');
  writeFileSync(file, haproxyConfigFor(operator, { bind: `127.0.0.1:${port}`, servers: backendPorts.map((p) => `127.0.0.1:${p}`) }));
  const child = spawnChild('haproxy', 'haproxy', ['-db', '-f', file]);
  const url = `http://127.0.0.1:${port}`;
  await waitFor(
    'haproxy answering',
    async () => {
      if (!child.alive()) throw new Error(`haproxy exited: ${child.lines.join('\n')}`);
      return (await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1000) })).status === 200;
    },
    15_000,
    100,
  );
  return {
    port,
    url,
    child,
    waitForServer: (name, state, sinceLine, timeoutMs = 15_000) =>
      waitFor(
        `haproxy: ${name} ${state}`,
        () => child.lines.slice(sinceLine).some((l) => l.includes(`Server nodes/${name} is ${state}`)),
        timeoutMs,
        50,
      ),
    async stop() {
      await child.kill('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
