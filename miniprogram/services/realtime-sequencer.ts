import type { AnyTeamEvent, RedactedEvent } from '@live-crm/shared-types';

/** What holds a place in a team's stream: an envelope, or the seq of one this phone may not see. */
export type StreamEvent = AnyTeamEvent | RedactedEvent;
type Sequenced = Pick<StreamEvent, 'teamId' | 'seq'>;

/** Last seq seen per team id (as a string key, the shape `sync:resume` takes). */
export type SeqMap = Record<string, number>;

export interface SeqStore {
  load(): SeqMap;
  save(seqs: SeqMap): void;
  clear(): void;
}

export type Verdict = 'deliver' | 'duplicate' | 'gap';

/**
 * Decides, per team, whether an envelope is the next one, a repeat, or proof that
 * something was missed. Pure bookkeeping: the client does the talking.
 */
export class Sequencer {
  private seqs: SeqMap;

  constructor(private readonly store: SeqStore) {
    this.seqs = sanitize(store.load());
  }

  snapshot(): SeqMap {
    return { ...this.seqs };
  }

  isFresh(): boolean {
    return Object.keys(this.seqs).length === 0;
  }

  last(teamId: number): number | undefined {
    return this.seqs[String(teamId)];
  }

  verdict(event: Sequenced): Verdict {
    const last = this.last(event.teamId);
    // No baseline for this team yet: the first envelope becomes one.
    if (last === undefined) return 'deliver';
    if (event.seq <= last) return 'duplicate';
    return event.seq === last + 1 ? 'deliver' : 'gap';
  }

  advance(teamId: number, seq: number): void {
    const key = String(teamId);
    const last = this.seqs[key];
    if (last !== undefined && seq <= last) return;
    this.seqs[key] = seq;
    this.store.save(this.seqs);
  }

  forget(): void {
    this.seqs = {};
    this.store.clear();
  }
}

function sanitize(value: unknown): SeqMap {
  const out: SeqMap = {};
  if (!value || typeof value !== 'object') return out;
  for (const [key, seq] of Object.entries(value as Record<string, unknown>)) {
    if (/^\d+$/.test(key) && typeof seq === 'number' && Number.isInteger(seq) && seq >= 0) out[key] = seq;
  }
  return out;
}

/** Envelopes in the order they must be applied: per team by seq. */
export function inSeqOrder<E extends Sequenced>(events: readonly E[]): E[] {
  return [...events].sort((a, b) => a.teamId - b.teamId || a.seq - b.seq);
}

/** Delivers every held envelope that is next in line (in seq order); answers those still waiting for a gap. */
export function deliverInOrder<E extends Sequenced>(seq: Sequencer, held: readonly E[], deliver: (event: E) => void): E[] {
  const waiting: E[] = [];
  for (const event of inSeqOrder(held)) {
    const verdict = seq.verdict(event);
    if (verdict === 'deliver') deliver(event);
    else if (verdict === 'gap') waiting.push(event);
  }
  return waiting;
}

export function memorySeqStore(initial: SeqMap = {}): SeqStore {
  let saved: SeqMap = { ...initial };
  return {
    load: () => ({ ...saved }),
    save: (seqs) => {
      saved = { ...seqs };
    },
    clear: () => {
      saved = {};
    },
  };
}
