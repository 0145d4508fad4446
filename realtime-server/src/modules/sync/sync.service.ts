import { Op, QueryTypes } from 'sequelize';
import type { Database } from '@live-crm/models';
import type { AnyTeamEvent, SyncResumeResult, TeamFeedResponse } from '@live-crm/shared-types';
import { assertTeamAccess, resolveTeam, type Actor } from '../../core/actor.js';
import { audienceOf, inAudience, redact, type Owners } from '../../core/audience.js';
import type { VisibilityRules } from '../ownership/visibility.js';

export interface SyncServiceDeps {
  db: Database;
  visibility: VisibilityRules;
  maxEvents: number;
  retentionDays: number;
  /** Hours an Idempotency-Key is kept for replays. */
  idempotencyHours?: number;
}

/** Most envelopes one `sync:resume` answer carries (over all teams); the client asks again while `hasMore`. */
export const RESUME_PAGE_SIZE = 500;

/** Rows deleted per statement, so a large backlog never holds long locks or one huge WAL burst. */
const PRUNE_BATCH = 5000;

const PRUNE_EVENTS_SQL = `
  DELETE FROM team_events WHERE ctid = ANY(ARRAY(
    SELECT ctid FROM team_events WHERE at < :cutoff LIMIT :batch))`;

const PRUNE_KEYS_SQL = `
  DELETE FROM idempotency_keys WHERE ctid = ANY(ARRAY(
    SELECT ctid FROM idempotency_keys WHERE created_at < :cutoff LIMIT :batch))`;

// Every team's gap in one statement: rows with after < seq <= upTo, per team.
const RANGES_SQL = `
  SELECT e.team_id, e.seq, e.event_id, e.type, e.actor_id, e.data, e.at, e.owners, ts.visibility
  FROM team_events e
  JOIN unnest(ARRAY[:teams]::int[], ARRAY[:after]::int[], ARRAY[:upTo]::int[]) AS g(team_id, after, up_to)
    ON e.team_id = g.team_id AND e.seq > g.after AND e.seq <= g.up_to
  LEFT JOIN team_settings ts ON ts.team_id = e.team_id
  ORDER BY e.team_id, e.seq`;

// Each team's head and when it was committed (null: no event kept), by primary keys.
const HEADS_SQL = `
  SELECT t.id AS team_id, t.last_seq AS head, e.at
  FROM teams t LEFT JOIN team_events e ON e.team_id = t.id AND e.seq = t.last_seq
  WHERE t.id IN (:teams)`;

/** A team's last committed seq and its commit time. */
export interface TeamHead {
  teamId: number;
  head: number;
  at: Date | null;
}

/** A stretch of one team's log: the envelopes with after < seq <= upTo. */
export interface SeqRange {
  teamId: number;
  after: number;
  upTo: number;
}

interface EventRow {
  team_id: number;
  seq: number;
  event_id: string;
  type: string;
  actor_id: number;
  data: unknown;
  at: Date;
  owners: number[] | null;
}

function toEnvelope(r: EventRow): AnyTeamEvent {
  return {
    seq: r.seq,
    eventId: r.event_id,
    teamId: r.team_id,
    type: r.type,
    actorId: r.actor_id,
    at: new Date(r.at).toISOString(),
    data: r.data,
  } as AnyTeamEvent;
}

/** Reads the team event log: catch-up after a reconnect, and the team feed. */
export function createSyncService({ db, visibility, maxEvents, retentionDays, idempotencyHours = 48 }: SyncServiceDeps) {
  const { sequelize } = db;

  /** Deletes in batches until a batch comes back short; answers the rows removed. */
  async function pruneBefore(sql: string, cutoff: Date): Promise<number> {
    let total = 0;
    for (;;) {
      const count: number = await sequelize.query(sql, { replacements: { cutoff, batch: PRUNE_BATCH }, type: QueryTypes.BULKDELETE });
      total += count;
      if (count < PRUNE_BATCH) return total;
    }
  }

  async function latest(teamIds: number[]): Promise<Map<number, number>> {
    const teams = await db.models.Team.findAll({ where: { id: teamIds }, attributes: ['id', 'lastSeq'] });
    return new Map(teams.map((t) => [t.id, t.lastSeq]));
  }

  async function missed(teamId: number, after: number, limit: number): Promise<EventRow[]> {
    return sequelize.query<EventRow>(
      `SELECT team_id, seq, event_id, type, actor_id, data, at, owners FROM team_events
       WHERE team_id = :teamId AND seq > :after ORDER BY seq LIMIT :limit`,
      { replacements: { teamId, after, limit }, type: QueryTypes.SELECT },
    );
  }

  return {
    /**
     * Missed envelopes per team, in seq order, at most `RESUME_PAGE_SIZE` per answer (`hasMore`:
     * ask again from the last seq received), so one call costs about what any other command does.
     * `reset` when a gap cannot be replayed: beyond retention (the first kept row is not
     * lastSeq + 1), too many, or a seq from the future.
     */
    async resume(actor: Actor, lastSeq: Record<string, number>): Promise<SyncResumeResult> {
      const latestSeq = await latest(actor.teamIds);
      // A rep in an `owner` visibility team gets the seq only of what is not theirs to see.
      const modes = actor.role === 'rep' ? await visibility.modes(actor.teamIds) : null;
      const events: SyncResumeResult['events'] = [];
      let reset = false;
      let hasMore = false;
      for (const [key, seen] of Object.entries(lastSeq)) {
        const teamId = Number(key);
        const head = latestSeq.get(teamId);
        if (head === undefined || seen === head) continue;
        if (seen > head || head - seen > maxEvents) {
          reset = true;
          continue;
        }
        const room = RESUME_PAGE_SIZE - events.length;
        if (room <= 0) {
          hasMore = true;
          continue;
        }
        const rows = await missed(teamId, seen, Math.min(head - seen, room));
        if (rows[0]?.seq !== seen + 1) {
          reset = true;
          continue;
        }
        if (rows.length < head - seen) hasMore = true;
        const mode = modes?.get(teamId) ?? null;
        for (const row of rows) {
          events.push(inAudience(audienceOf(mode, row.owners), actor.userId) ? toEnvelope(row) : redact(toEnvelope(row)));
        }
      }
      return { events, reset, hasMore, latestSeq: Object.fromEntries(latestSeq) };
    },

    /** The team's history, newest first, paged by `before` (a seq). */
    async feed(actor: Actor, opts: { teamId?: number; before?: number; limit: number }): Promise<TeamFeedResponse> {
      const teamId = resolveTeam(actor, opts.teamId);
      assertTeamAccess(actor, teamId, 'Team');
      // In `owner` visibility a rep's feed leaves out what is not theirs (the feed need not be gap-free).
      const own = (await visibility.scopeFor(actor, teamId)) !== null;
      const mine = own ? { [Op.or]: [{ owners: null }, { owners: { [Op.contains]: [actor.userId] } }] } : {};
      const rows = await db.models.TeamEvent.findAll({
        where: { teamId, ...(opts.before !== undefined ? { seq: { [Op.lt]: opts.before } } : {}), ...mine },
        order: [['seq', 'DESC']],
        limit: opts.limit,
      });
      return { events: rows.map((r) => r.toEnvelope()), teamId };
    },

    /** Drops envelopes older than retention; clients further behind get `reset: true`. */
    async prune(now = new Date()): Promise<number> {
      return pruneBefore(PRUNE_EVENTS_SQL, new Date(now.getTime() - retentionDays * 86_400_000));
    },

    /** Each team's head (its last committed seq) and its time; one indexed read for any number of teams. */
    async heads(teamIds: number[]): Promise<TeamHead[]> {
      if (teamIds.length === 0) return [];
      const rows = await sequelize.query<{ team_id: number; head: number; at: Date | null }>(HEADS_SQL, {
        replacements: { teams: teamIds },
        type: QueryTypes.SELECT,
      });
      return rows.map((r) => ({ teamId: r.team_id, head: r.head, at: r.at }));
    },

    /** The envelopes of several stretches with who may see each, per team in seq order, in one query. */
    async ranges(ranges: SeqRange[]): Promise<Array<{ envelope: AnyTeamEvent; audience: Owners }>> {
      if (ranges.length === 0) return [];
      const rows = await sequelize.query<EventRow & { visibility: string | null }>(RANGES_SQL, {
        replacements: { teams: ranges.map((r) => r.teamId), after: ranges.map((r) => r.after), upTo: ranges.map((r) => r.upTo) },
        type: QueryTypes.SELECT,
      });
      return rows.map((r) => ({ envelope: toEnvelope(r), audience: audienceOf(r.visibility, r.owners) }));
    },

    /** Forgets Idempotency-Keys older than their window; a retry after that runs as a new request. */
    async pruneIdempotencyKeys(now = new Date()): Promise<number> {
      return pruneBefore(PRUNE_KEYS_SQL, new Date(now.getTime() - idempotencyHours * 3_600_000));
    },
  };
}

export type SyncService = ReturnType<typeof createSyncService>;
