import { type Child, freePort, spawnChild, waitFor } from './children.js';

export const FAULT_JWT_SECRET = 'fault-test-secret-that-is-long-enough-for-hs256-0123456789';

export interface ServerNode {
  id: string;
  port: number;
  url: string;
  child: Child;
  /** Log lines at error level or worse (pino level >= 50), and anything that is not a log line. */
  problems(): string[];
  health(): Promise<{ status: number; body: { ok: boolean; db: boolean; redis: boolean | null } | null }>;
}

/** A preload for `imports`: after `armCrashAfterCommit`, the node dies between a commit and its publish. */
export const CRASH_AFTER_COMMIT = new URL('./crash-after-commit.preload.ts', import.meta.url).href;

/** Arms the CRASH_AFTER_COMMIT preload of a node: its next committed team event is never published. */
export async function armCrashAfterCommit(node: ServerNode): Promise<void> {
  const armedBefore = node.child.lines.filter((l) => l === 'crash-after-commit armed').length;
  node.child.proc.kill('SIGUSR2');
  await waitFor(`${node.id} armed`, () => node.child.lines.filter((l) => l === 'crash-after-commit armed').length > armedBefore, 5000, 20);
}

/**
 * One server node as its own process: `node --import tsx realtime-server/src/main.ts`, with
 * `imports` (module URLs) preloaded after tsx; or, `compiled`, the production build as an operator
 * runs it (`NODE_ENV=production node realtime-server/start.mjs`, after `npm run build`). `port`: a
 * node restarted where the balancer expects it.
 */
export async function startServerNode(
  id: string,
  env: Record<string, string>,
  timeoutMs = 60_000,
  imports: string[] = [],
  opts: { port?: number; compiled?: boolean } = {},
): Promise<ServerNode> {
  const port = opts.port ?? (await freePort());
  const preload = imports.flatMap((m) => ['--import', m]);
  const args = opts.compiled ? ['realtime-server/start.mjs'] : ['--import', 'tsx', ...preload, 'realtime-server/src/main.ts'];
  const child = spawnChild(id, process.execPath, args, {
    NODE_ENV: opts.compiled ? 'production' : 'test',
    ...(opts.compiled ? { PUBLIC_URL: 'https://crm.example.cn' } : {}),
    HOST: '127.0.0.1',
    PORT: String(port),
    NODE_ID: id,
    JWT_SECRET: FAULT_JWT_SECRET,
    LOG_LEVEL: 'warn',
    ...env,
  });
  const url = `http://127.0.0.1:${port}`;
  const node: ServerNode = {
    id,
    port,
    url,
    child,
    problems: () =>
      child.lines.filter((line) => {
        if (!line.startsWith('{')) return /error|unhandled|exception/i.test(line);
        try {
          return (JSON.parse(line) as { level?: number }).level! >= 50;
        } catch {
          return true;
        }
      }),
    async health() {
      try {
        const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(3000) });
        return { status: res.status, body: (await res.json()) as never };
      } catch {
        return { status: 0, body: null };
      }
    },
  };
  await waitFor(
    `${id} healthy`,
    async () => {
      if (!child.alive()) throw new Error(`${id} exited: ${child.lines.slice(-20).join('\n')}`);
      return (await node.health()).status === 200;
    },
    timeoutMs,
    200,
  );
  return node;
}
