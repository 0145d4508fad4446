/**
 * Loaded into a server node with `--import` (see `armCrashAfterCommit`): once armed by SIGUSR2, the
 * next transaction that wrote a team event SIGKILLs its own process the moment PostgreSQL confirms
 * the COMMIT, before the node gets to publish. The commit-then-crash window, hit on purpose.
 */
import { createRequire } from 'node:module';
import type pgTypes from 'pg';

const pg = createRequire(import.meta.url)('pg') as typeof pgTypes;
const IN_TX = Symbol('inside a transaction');
const WROTE_EVENT = Symbol('wrote a team event in this transaction');
type Client = pgTypes.Client & { [IN_TX]?: boolean; [WROTE_EVENT]?: boolean };
type Callback = (err: unknown, res: unknown) => void;

let armed = false;
process.on('SIGUSR2', () => {
  armed = true;
  process.stdout.write('crash-after-commit armed\n');
});
const die = () => process.kill(process.pid, 'SIGKILL');

/** Whether this statement's success means a team event is committed, tracking the client's transaction. */
function commitsEvent(client: Client, text: string): boolean {
  const writes = /INSERT INTO team_events/i.test(text);
  if (/^\s*(BEGIN|START TRANSACTION)\b/i.test(text)) client[IN_TX] = true;
  if (writes && client[IN_TX]) client[WROTE_EVENT] = true;
  // The move's hot path is one autocommit statement: its answer is its commit.
  if (writes && !client[IN_TX]) return true;
  const commit = /^\s*COMMIT\b/i.test(text);
  if (!commit && !/^\s*ROLLBACK\b/i.test(text)) return false;
  const wrote = client[WROTE_EVENT] === true;
  client[IN_TX] = false;
  client[WROTE_EVENT] = false;
  return commit && wrote;
}

const query = pg.Client.prototype.query as (this: Client, ...args: unknown[]) => unknown;
pg.Client.prototype.query = function crashAfterCommit(this: Client, ...args: unknown[]): unknown {
  const first = args[0];
  const text = typeof first === 'string' ? first : (first as { text?: unknown } | undefined)?.text;
  if (typeof text !== 'string' || !commitsEvent(this, text) || !armed) return query.apply(this, args);
  // Dying in the first callback (or the first continuation) of the answer: nothing after the commit runs.
  const cb = args.at(-1);
  if (typeof cb === 'function') {
    args[args.length - 1] = (err: unknown, res: unknown) => {
      if (!err) die();
      (cb as Callback)(err, res);
    };
    return query.apply(this, args);
  }
  return (query.apply(this, args) as Promise<unknown>).then((res) => {
    die();
    return res;
  });
} as typeof pg.Client.prototype.query;
