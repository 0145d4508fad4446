import type { Logger } from 'pino';
import type { EventBus } from '../../core/event-bus.js';
import { createTicker, type Ticker } from '../../core/ticker.js';
import { deliver, type CrmServer } from '../../io.js';
import type { SeqRange, SyncService, TeamHead } from './sync.service.js';

export interface HeadCheckDeps {
  io: CrmServer;
  bus: EventBus;
  sync: Pick<SyncService, 'heads' | 'ranges'>;
  /** The Redis link: announcements go out only while it is up and publishing. */
  cluster: { isReady(): boolean; droppedPublishes(): number };
  logger: Logger;
  /** 0 turns the check off. */
  intervalMs: number;
  /** How long a committed seq may stay unannounced before this node sends it itself (default 2 intervals). */
  graceMs?: number;
  /** Most envelopes re-sent per team at once; a phone further behind sees the gap and resumes. */
  maxPerTeam?: number;
}

export interface HeadCheck extends Ticker {
  /** One check now (tests call it; the timer calls it every interval). */
  runOnce(now?: number): Promise<void>;
}

const raise = (map: Map<number, number>, teamId: number, seq: number) => {
  if ((map.get(teamId) ?? -1) < seq) map.set(teamId, seq);
};

/**
 * Closes the commit-then-crash window: a node killed between a commit and its publish leaves an
 * event in `team_events` that no phone was sent, and the team would only notice at its next event.
 * Every node announces, once per interval, the heads it published; every node compares the heads of
 * the teams its own sockets follow (one query) with the highest seq announced, and sends what stayed
 * unannounced past the grace time to its own sockets. Phones drop repeats by seq, so a late
 * announcement costs a duplicate, never a wrong screen. The mutation path only gains a map update.
 */
export function createHeadCheck(deps: HeadCheckDeps): HeadCheck {
  const { io, sync, cluster, logger, intervalMs } = deps;
  const graceMs = deps.graceMs ?? intervalMs * 2;
  const maxPerTeam = deps.maxPerTeam ?? 100;
  /** Highest seq per team this node knows was published, by itself or another node. */
  const known = new Map<number, number>();
  /** Own publications not announced yet. */
  const outbox = new Map<number, number>();
  /** A head seen above `known`, and since when. */
  const suspect = new Map<number, { seq: number; since: number }>();
  let dropped = cluster.droppedPublishes();

  const offBus = deps.bus.onPublish(({ envelope }) => {
    raise(known, envelope.teamId, envelope.seq);
    raise(outbox, envelope.teamId, envelope.seq);
  });
  const onAnnounced = (heads: Record<string, number>) => {
    for (const [team, seq] of Object.entries(heads)) if (Number.isInteger(seq)) raise(known, Number(team), seq);
  };
  io.on('heads:published', onAnnounced);

  function announce(): void {
    if (!cluster.isReady()) return;
    // A refused publish means some envelope never left: announce nothing, the others send it.
    const refused = cluster.droppedPublishes() !== dropped;
    dropped = cluster.droppedPublishes();
    if (outbox.size > 0 && !refused) io.serverSideEmit('heads:published', Object.fromEntries(outbox));
    outbox.clear();
  }

  const localTeams = (): number[] =>
    [...io.of('/').adapter.rooms.keys()].filter((r) => r.startsWith('team:')).map((r) => Number(r.slice(5)));

  /** Which stretches stayed unannounced past the grace time; updates the suspects. */
  function overdue(heads: TeamHead[], now: number): SeqRange[] {
    const due: SeqRange[] = [];
    for (const { teamId, head, at } of heads) {
      // First sight: this node's sockets for the team resumed from the database on connect, but a
      // head committed just now may have been missed by that read and never published: suspect it.
      if (!known.has(teamId)) known.set(teamId, at && now - at.getTime() < graceMs ? head - 1 : head);
      const seen = known.get(teamId)!;
      if (head <= seen) {
        suspect.delete(teamId);
        continue;
      }
      const s = suspect.get(teamId);
      if (!s || s.seq <= seen) {
        suspect.set(teamId, { seq: head, since: now });
        continue;
      }
      if (now - s.since < graceMs) continue;
      due.push({ teamId, after: Math.max(seen, s.seq - maxPerTeam), upTo: s.seq });
      suspect.set(teamId, { seq: head, since: now });
    }
    return due;
  }

  async function runOnce(now = Date.now()): Promise<void> {
    announce();
    const teams = localTeams();
    if (teams.length === 0) return;
    const due = overdue(await sync.heads(teams), now);
    if (due.length === 0) return;
    const events = await sync.ranges(due);
    for (const e of events) deliver(io.local, e.envelope, e.audience);
    for (const r of due) raise(known, r.teamId, r.upTo);
    logger.warn({ teams: due.map((r) => r.teamId), events: events.length }, 'sent committed events whose publish never arrived');
  }

  const ticker = createTicker('head check', intervalMs, () => runOnce(), logger);
  return {
    runOnce,
    start: () => ticker.start(),
    async stop() {
      await ticker.stop();
      offBus();
      io.off('heads:published', onAnnounced);
    },
  };
}
