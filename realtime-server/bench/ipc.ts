import { fork, type ChildProcess } from 'node:child_process';

/** A request from the orchestrator to a child process, answered by id. */
interface Request {
  id: number;
  cmd: string;
  args: unknown;
}
type Reply = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };
type Handlers = Record<string, (args: any) => Promise<unknown> | unknown>;

/** Child side: answers the orchestrator's commands, and announces `ready` with `info`. */
export function serve(handlers: Handlers, info: Record<string, unknown> = {}): void {
  const send = (msg: unknown) => process.send?.(msg);
  process.on('message', (raw: unknown) => {
    const { id, cmd, args } = raw as Request;
    const handler = handlers[cmd];
    Promise.resolve()
      .then(() => {
        if (!handler) throw new Error(`unknown command ${cmd}`);
        return handler(args);
      })
      .then(
        (result) => send({ id, ok: true, result } satisfies Reply),
        (err: unknown) => send({ id, ok: false, error: err instanceof Error ? (err.stack ?? err.message) : String(err) } satisfies Reply),
      );
  });
  // The orchestrator going away must never leave a bench process behind.
  process.on('disconnect', () => process.exit(0));
  send({ ready: true, ...info });
}

/** Orchestrator side of one bench child process (a node, a bare server or a load generator). */
export class BenchChild {
  private nextId = 1;
  private waiting = new Map<number, { resolve: (v: any) => void; reject: (e: Error) => void }>();
  readonly ready: Promise<Record<string, any>>;
  private exited: Promise<void>;

  private constructor(
    readonly name: string,
    readonly proc: ChildProcess,
  ) {
    this.ready = new Promise((resolve, reject) => {
      proc.once('exit', (code) => reject(new Error(`${name} exited early (code ${code})`)));
      proc.on('message', (msg: any) => {
        if (msg?.ready) return resolve(msg);
        const w = this.waiting.get(msg.id);
        if (!w) return;
        this.waiting.delete(msg.id);
        if (msg.ok) w.resolve(msg.result);
        else w.reject(new Error(`${name}: ${msg.error}`));
      });
    });
    this.exited = new Promise((resolve) => proc.once('exit', () => resolve()));
    this.ready.catch(() => undefined);
  }

  /** Forks a TypeScript entry under tsx; `advanced` serialization carries typed arrays over IPC. */
  static start(name: string, entry: string, env: Record<string, string>, execArgv: string[] = []): BenchChild {
    const proc = fork(entry, [], {
      // tsx resolved from here, so the bench runs from any working directory.
      execArgv: ['--import', import.meta.resolve('tsx'), ...execArgv],
      env: { ...process.env, ...env },
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    return new BenchChild(name, proc);
  }

  call<T = any>(cmd: string, args: unknown = {}): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.proc.send({ id, cmd, args } satisfies Request);
    });
  }

  /** Asks the child to stop cleanly (so `--cpu-prof` gets written); kills it if it does not. */
  async stop(timeoutMs = 10_000): Promise<void> {
    if (this.proc.exitCode !== null) return;
    this.call('stop').catch(() => undefined);
    const timer = setTimeout(() => this.proc.kill('SIGKILL'), timeoutMs);
    await this.exited;
    clearTimeout(timer);
  }
}
