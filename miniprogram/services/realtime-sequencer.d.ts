import type { AnyTeamEvent } from '@live-crm/shared-types';
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
export declare class Sequencer {
    private readonly store;
    private seqs;
    constructor(store: SeqStore);
    snapshot(): SeqMap;
    isFresh(): boolean;
    last(teamId: number): number | undefined;
    verdict(event: AnyTeamEvent): Verdict;
    advance(teamId: number, seq: number): void;
    forget(): void;
}
/** Envelopes in the order they must be applied: per team by seq. */
export declare function inSeqOrder(events: readonly AnyTeamEvent[]): AnyTeamEvent[];
export declare function memorySeqStore(initial?: SeqMap): SeqStore;
