import { createHash, randomUUID } from 'node:crypto';
import { QueryTypes, type Transaction } from 'sequelize';
import type { Database } from '@live-crm/models';
import type { AnyTeamEvent, NotificationPayload, TeamEventDataMap, TeamEventType } from '@live-crm/shared-types';
import type { Actor } from './actor.js';
import { audienceOf, ownersOf, type Owners } from './audience.js';
import { AppError } from './app-error.js';
import type { EventBus, Publication } from './event-bus.js';
import { isUniqueViolation, type SqlRunner } from './sql.js';
import type { AnyTeamFact } from './team-fact.js';

/** Who a write is done for; only the id counts (Idempotency-Keys are per user, envelopes name an actor). */
export type Caller = Pick<Actor, 'userId'>;

export type { AnyTeamFact, TeamFact } from './team-fact.js';

/**
 * What a unit of work hands back: its result, the fact it caused, and who to notify.
 * `fact: null` is for a user's own records (notifications read, consents): no team event, but the
 * same transaction and Idempotency-Key handling. A list is for one decision that changes many
 * records (a leaver's handover): each fact gets its own envelope and seq in the same transaction,
 * and they are published in that order after commit.
 */
export interface Mutation<R> {
  result: R;
  fact: AnyTeamFact | readonly AnyTeamFact[] | null;
  notices?: Array<{ userId: number; notification: NotificationPayload }>;
}

/** Client-supplied `Idempotency-Key` plus a hash of the command it came with. */
export interface IdempotencyRef {
  key: string;
  hash: string;
}

/**
 * What an Idempotency-Key is bound to: a command's type (shared-types' command map, e.g.
 * `opportunity.move`) and its validated request (trimmed, defaults and coercions applied), built
 * alike by every transport that carries the command, so a retry may switch transport.
 */
export interface CanonicalCommand {
  type: string;
  req: unknown;
}

const KEY_PATTERN = /^[A-Za-z0-9_\-:.]{8,128}$/;

/** JSON with object keys sorted at every depth, so `{a,b}` and `{b,a}` read as one request. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value ?? null, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/**
 * A client's key and the command it came with, in canonical key order, so the same key with
 * another command is told apart and a retry that only reorders keys or adds spaces is not.
 */
export function idempotencyRef(key: string | undefined, command: CanonicalCommand): IdempotencyRef | undefined {
  if (key === undefined) return undefined;
  if (!KEY_PATTERN.test(key)) {
    throw new AppError('validation', 'Idempotency-Key must be 8-128 characters of letters, digits, - _ : .');
  }
  return { key, hash: createHash('sha256').update(canonicalJson(command)).digest('hex') };
}

class Replay extends Error {}

/**
 * The first answer to a repeated Idempotency-Key, or undefined when no request with the key has
 * committed. The same key with a different request is refused.
 */
export function createStoredAnswers(db: Database) {
  return async function stored<R>(actor: Caller, idem: IdempotencyRef): Promise<R | undefined> {
    const row = await db.models.IdempotencyKey.findOne({ where: { userId: actor.userId, key: idem.key } });
    if (!row) return undefined;
    if (row.requestHash !== idem.hash) {
      throw new AppError('conflict', 'This Idempotency-Key was already used for a different request');
    }
    return row.response as R;
  };
}

export type StoredAnswers = ReturnType<typeof createStoredAnswers>;

/** The first answer to a key whose first request has committed, or 409 while it has not. */
async function replayOf<R>(stored: StoredAnswers, actor: Caller, idem: IdempotencyRef): Promise<R> {
  const answer = await stored<R>(actor, idem);
  if (answer === undefined) throw new AppError('in_progress', 'A request with this Idempotency-Key is still in progress; retry shortly');
  return answer;
}

const factsOf = (fact: Mutation<unknown>['fact']): readonly AnyTeamFact[] =>
  fact === null ? [] : Array.isArray(fact) ? (fact as readonly AnyTeamFact[]) : [fact as AnyTeamFact];

export function createMutationRunner({ db, bus }: { db: Database; bus: EventBus }) {
  const { sequelize } = db;

  async function claimKey(actor: Caller, idem: IdempotencyRef, tx: Transaction): Promise<void> {
    // A concurrent twin blocks here on the primary key until the first commits, then sees the row.
    const rows = await sequelize.query(
      `INSERT INTO idempotency_keys (user_id, key, request_hash, created_at)
       VALUES (:userId, :key, :hash, now()) ON CONFLICT DO NOTHING RETURNING user_id`,
      { replacements: { userId: actor.userId, key: idem.key, hash: idem.hash }, transaction: tx, type: QueryTypes.SELECT },
    );
    if (rows.length === 0) throw new Replay();
  }

  const stored = createStoredAnswers(db);

  async function appendEvent(actor: Caller, fact: AnyTeamFact, tx: Transaction): Promise<{ envelope: AnyTeamEvent; audience: Owners }> {
    const eventId = randomUUID();
    const at = new Date().toISOString();
    const actorId = fact.actorId ?? actor.userId;
    const owners = await ownersOf(sequelize, fact, tx);
    // One round trip: the team row lock serialises writers per team, so seq is gap-free and
    // commit-ordered, and the event row is written with the seq it got (and whose records it names).
    const [row] = await sequelize.query<{ seq: number; visibility: string | null }>(
      `WITH bumped AS (UPDATE teams SET last_seq = last_seq + 1 WHERE id = :teamId RETURNING last_seq)
       INSERT INTO team_events (team_id, seq, event_id, type, actor_id, data, at, owners)
       SELECT :teamId, last_seq, CAST(:eventId AS uuid), :type, :actorId, CAST(:data AS jsonb), CAST(:at AS timestamptz),
              CAST(:owners AS int[]) FROM bumped
       RETURNING seq, (SELECT visibility FROM team_settings WHERE team_id = :teamId) AS visibility`,
      {
        replacements: {
          teamId: fact.teamId,
          eventId,
          type: fact.type,
          actorId,
          data: JSON.stringify(fact.data),
          at,
          owners: owners === null ? null : `{${owners.join(',')}}`,
        },
        transaction: tx,
        type: QueryTypes.SELECT,
      },
    );
    if (!row) throw new AppError('not_found', 'Team not found');
    const envelope = {
      seq: row.seq,
      eventId,
      teamId: fact.teamId,
      type: fact.type,
      actorId,
      at,
      data: fact.data,
    } as AnyTeamEvent;
    return { envelope, audience: audienceOf(row.visibility, owners) };
  }

  /**
   * Many facts (a handover): one statement per team takes the team row lock once and the next
   * seqs in the facts' order, so a big handover holds the lock for one round trip, not one per record.
   * Answers the envelopes in the facts' order.
   */
  async function appendEvents(
    actor: Caller,
    facts: readonly AnyTeamFact[],
    tx: Transaction,
  ): Promise<Array<{ envelope: AnyTeamEvent; audience: Owners }>> {
    const at = new Date().toISOString();
    const events: Array<{ envelope: AnyTeamEvent; audience: Owners }> = [];
    const byTeam = new Map<number, number[]>();
    facts.forEach((fact, i) => byTeam.set(fact.teamId, [...(byTeam.get(fact.teamId) ?? []), i]));
    for (const [teamId, indexes] of byTeam) {
      const rows = [];
      for (const i of indexes) {
        const fact = facts[i]!;
        const owners = await ownersOf(sequelize, fact, tx);
        rows.push({ eventId: randomUUID(), type: fact.type, actorId: fact.actorId ?? actor.userId, data: fact.data, owners });
      }
      const [row] = await sequelize.query<{ last: number; visibility: string | null }>(
        `WITH bumped AS (UPDATE teams SET last_seq = last_seq + :n WHERE id = :teamId RETURNING last_seq),
         inserted AS (
           INSERT INTO team_events (team_id, seq, event_id, type, actor_id, data, at, owners)
           SELECT :teamId, bumped.last_seq - :n + e.ord, CAST(e.item ->> 'eventId' AS uuid), e.item ->> 'type',
                  CAST(e.item ->> 'actorId' AS int), e.item -> 'data', CAST(:at AS timestamptz),
                  CASE WHEN jsonb_typeof(e.item -> 'owners') = 'array'
                       THEN ARRAY(SELECT CAST(o AS int) FROM jsonb_array_elements_text(e.item -> 'owners') AS o) END
             FROM bumped, jsonb_array_elements(CAST(:rows AS jsonb)) WITH ORDINALITY AS e(item, ord)
         )
         SELECT last_seq AS last, (SELECT visibility FROM team_settings WHERE team_id = :teamId) AS visibility FROM bumped`,
        { replacements: { teamId, n: rows.length, rows: JSON.stringify(rows), at }, transaction: tx, type: QueryTypes.SELECT },
      );
      if (!row) throw new AppError('not_found', 'Team not found');
      const first = row.last - rows.length + 1;
      rows.forEach((r, k) => {
        const envelope = { seq: first + k, eventId: r.eventId, teamId, type: r.type, actorId: r.actorId, at, data: r.data } as AnyTeamEvent;
        events[indexes[k]!] = { envelope, audience: audienceOf(row.visibility, r.owners) };
      });
    }
    return events;
  }

  /**
   * Runs `work` and its team events in one transaction, then publishes them after commit (one
   * event per fact, in order). With an idempotency key, a repeat returns the first answer and
   * changes nothing.
   */
  return async function mutate<R>(
    actor: Caller,
    idem: IdempotencyRef | undefined,
    work: (tx: Transaction) => Promise<Mutation<R>>,
  ): Promise<R> {
    let committed: { mutation: Mutation<R>; published: Publication[] };
    try {
      committed = await sequelize.transaction(async (tx) => {
        if (idem) await claimKey(actor, idem, tx);
        const mutation = await work(tx);
        const facts = factsOf(mutation.fact);
        const events = facts.length === 1 ? [await appendEvent(actor, facts[0]!, tx)] : await appendEvents(actor, facts, tx);
        const published: Publication[] = events.map((event, i) => ({ ...event, alsoToUsers: facts[i]!.alsoToUsers ?? [] }));
        if (idem) {
          await db.models.IdempotencyKey.update(
            { response: mutation.result },
            { where: { userId: actor.userId, key: idem.key }, transaction: tx },
          );
        }
        return { mutation, published };
      });
    } catch (err) {
      if (err instanceof Replay && idem) return replayOf<R>(stored, actor, idem);
      throw err;
    }
    const { mutation, published } = committed;
    for (const p of published) bus.publish(p);
    for (const notice of mutation.notices ?? []) bus.notify(notice);
    return mutation.result;
  };
}

export type MutationRunner = ReturnType<typeof createMutationRunner>;

/**
 * A domain's write as one statement, for a hot path where a transaction's extra round trips cost
 * more than the write. `ctes` are the domain's CTEs (`a AS (...), b AS (...)`, parameters $1..$params)
 * ending in `fact`: at most one row `(team_id int, data json, answer json, owners int[])` when the write applied
 * (`owners` as core/audience.ts defines it),
 * none when it was refused. The runner adds the team seq, the event row and the Idempotency-Key
 * (its own CTEs are named bumped, event and answer).
 */
export interface FactStatement<K extends TeamEventType, R> {
  name: string;
  type: K;
  text: string;
  /** Never set: carries the answer's type to the caller. */
  answer?: R;
}

/** The runner's own parameters a domain's CTEs may read: the acting user and the event's time. */
export interface RunnerParams {
  actor: string;
  at: string;
}

export function factStatement<K extends TeamEventType, R>(
  name: string,
  type: K,
  params: number,
  ctes: string | ((runner: RunnerParams) => string),
): FactStatement<K, R> {
  const [actor, eventId, at, key, hash, eventType] = Array.from({ length: 6 }, (_, i) => `$${params + i + 1}`) as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const domain = typeof ctes === 'string' ? ctes : ctes({ actor, at });
  // The team row lock serialises writers per team, so seq is gap-free and commit-ordered. A key
  // already taken fails the whole statement on the primary key (the runner then replays).
  const text = `WITH ${domain},
  bumped AS (
    UPDATE teams t SET last_seq = t.last_seq + 1 FROM fact WHERE t.id = fact.team_id RETURNING t.last_seq
  ), event AS (
    INSERT INTO team_events (team_id, seq, event_id, type, actor_id, data, at, owners)
    SELECT fact.team_id, bumped.last_seq, ${eventId}::uuid, ${eventType}::varchar, ${actor}::int, fact.data::jsonb, ${at}::timestamptz,
           fact.owners
      FROM fact, bumped
  ), answer AS (
    INSERT INTO idempotency_keys (user_id, key, request_hash, response, created_at)
    SELECT ${actor}::int, ${key}::varchar, ${hash}::varchar, fact.answer::jsonb, now() FROM fact WHERE ${key}::varchar IS NOT NULL
  )
  SELECT bumped.last_seq AS seq, fact.team_id, fact.data, fact.answer, fact.owners,
         (SELECT visibility FROM team_settings WHERE team_id = fact.team_id) AS visibility
    FROM fact, bumped`;
  return { name, type, text };
}

interface FactRow<K extends TeamEventType, R> {
  seq: number;
  team_id: number;
  data: TeamEventDataMap[K];
  answer: R;
  owners: number[] | null;
  visibility: string | null;
}

/**
 * Runs a FactStatement in one round trip (its own implicit transaction) and publishes its one event
 * once it has committed. No row: a repeated key gets its first answer, anything else `refused()`,
 * which says why (404, 400, 409 with `current`).
 */
export function createStatementRunner({ sql, bus, stored }: { sql: SqlRunner; bus: EventBus; stored: StoredAnswers }) {
  return async function runStatement<K extends TeamEventType, R>(
    actor: Actor,
    idem: IdempotencyRef | undefined,
    statement: FactStatement<K, R>,
    values: unknown[],
    refused: () => Promise<R>,
  ): Promise<R> {
    const eventId = randomUUID();
    const at = new Date().toISOString();
    let row: FactRow<K, R> | undefined;
    try {
      [row] = await sql<FactRow<K, R>>(statement.name, statement.text, [
        ...values,
        actor.userId,
        eventId,
        at,
        idem?.key ?? null,
        idem?.hash ?? null,
        statement.type,
      ]);
    } catch (err) {
      // The key's first request committed while this one ran: its answer, or 409 if it differs.
      if (idem && isUniqueViolation(err, 'idempotency_keys_pkey')) return replayOf<R>(stored, actor, idem);
      throw err;
    }
    if (!row) {
      const first = idem && (await stored<R>(actor, idem));
      return first ?? refused();
    }
    const envelope = { seq: row.seq, eventId, teamId: row.team_id, type: statement.type, actorId: actor.userId, at, data: row.data };
    bus.publish({ envelope: envelope as AnyTeamEvent, alsoToUsers: [], audience: audienceOf(row.visibility, row.owners) });
    return row.answer;
  };
}

export type StatementRunner = ReturnType<typeof createStatementRunner>;
