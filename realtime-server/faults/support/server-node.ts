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

/** One server node as its own process: `node --import tsx realtime-server/src/main.ts`. */
export async function startServerNode(id: string, env: Record<string, string>, timeoutMs = 60_000): Promise<ServerNode> {
  const port = await freePort();
  const child = spawnChild(id, process.execPath, ['--import', 'tsx', 'realtime-server/src/main.ts'], {
    NODE_ENV: 'test', HOST: '127.0.0.1', PORT: String(port), NODE_ID: id, JWT_SECRET: FAULT_JWT_SECRET, LOG_LEVEL: 'warn',
    ...env,
  });
  const url = `http://127.0.0.1:${port}`;
  const node: ServerNode = {
    id, port, url, child,
    problems: () => child.lines.filter((line) => {
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
        return { status: res.status, body: await res.json() as never };
      } catch {
        return { status: 0, body: null };
      }
    },
  };
  await waitFor(`${id} healthy`, async () => {
    if (!child.alive()) throw new Error(`${id} exited: ${child.lines.slice(-20).join('\n')}`);
    return (await node.health()).status === 200;
  }, timeoutMs, 200);
  return node;
}
