import type { Id, Opportunity, PipelineResponse, Stage } from '@live-crm/shared-types';
import { stageLabel, t } from '../../i18n/index';
import { formatMoneyCompact } from '../../utils/format';

/** What one deal card shows; kept small because live events send it across threads. */
export interface Card {
  id: Id;
  title: string;
  customer: string;
  value: string;
  owner: string;
  /** flex `order`: arrivals get a lower rank, so they show on top */
  rank: number;
  pending: boolean;
}

export interface Column {
  stageId: Id;
  name: string;
  tabLabel: string;
  headline: string;
  count: number;
  /** removed cards stay as null until the next full load, so a move never resends a whole list */
  items: Array<Card | null>;
}

export interface Summary {
  total: string;
  weighted: string;
}

export type Patch = Record<string, unknown>;

/**
 * The pipeline as the page holds it, plus the bookkeeping that turns one changed opportunity into
 * a setData patch of the paths that changed (never the whole list).
 */
export class Board {
  readonly teamId: Id | null;
  private readonly stages: Stage[];
  private readonly deals = new Map<Id, Opportunity>();
  private readonly where = new Map<Id, { col: number; idx: number }>();
  private readonly lengths: number[];
  private readonly ranks = new Map<Id, number>();
  private nextTopRank = -1;

  /** `ownerId`: a manager looking at one rep's deals only (null: everyone's). */
  constructor(
    res: PipelineResponse,
    readonly ownerId: Id | null = null,
  ) {
    this.stages = [...res.stages].sort((a, b) => a.position - b.position);
    this.teamId = this.stages[0]?.teamId ?? null;
    this.lengths = this.stages.map(() => 0);
    for (const opp of res.opportunities) if (this.shows(opp)) this.place(opp);
  }

  private shows(opp: Opportunity): boolean {
    return this.ownerId === null || opp.ownerId === this.ownerId;
  }

  get dealCount(): number {
    return this.deals.size;
  }

  stageList(): Stage[] {
    return [...this.stages];
  }

  get(id: Id): Opportunity | undefined {
    return this.deals.get(id);
  }

  columns(): Column[] {
    return this.stages.map((stage, col) => ({
      stageId: stage.id,
      name: stageLabel(stage),
      ...this.columnTexts(col),
      items: [...this.where.entries()]
        .filter(([, loc]) => loc.col === col)
        .sort((a, b) => a[1].idx - b[1].idx)
        .map(([id]) => this.card(id)),
    }));
  }

  summary(): Summary {
    let total = 0;
    let weighted = 0;
    for (const opp of this.deals.values()) {
      const stage = this.stages.find((s) => s.id === opp.stageId);
      if (!stage || stage.outcome !== 'open') continue;
      total += opp.valueCents;
      weighted += opp.valueCents * stage.probability;
    }
    return { total: formatMoneyCompact(total), weighted: formatMoneyCompact(Math.round(weighted / 100)) };
  }

  /**
   * Takes a newer version of a deal (or, with `force`, any version: rollbacks) and answers the
   * setData patch, or null when there is nothing to change.
   */
  apply(opp: Opportunity, force = false): Patch | null {
    const held = this.deals.get(opp.id);
    if (held && !force && opp.version <= held.version) return null;
    const col = this.stageIndex(opp.stageId);
    if (col < 0) return null;
    const from = this.where.get(opp.id);
    if (!this.shows(opp)) return from ? this.remove(opp.id, from) : null;
    const patch: Patch = {};
    if (from && from.col === col) {
      this.deals.set(opp.id, opp);
      patch[`columns[${col}].items[${from.idx}]`] = this.card(opp.id);
    } else {
      if (from) patch[`columns[${from.col}].items[${from.idx}]`] = null;
      this.ranks.set(opp.id, this.nextTopRank--);
      const idx = this.place(opp);
      patch[`columns[${col}].items[${idx}]`] = this.card(opp.id);
    }
    const touched = new Set([col, from?.col ?? col]);
    for (const c of touched) Object.assign(patch, this.columnPatch(c));
    return Object.assign(patch, { summary: this.summary() });
  }

  /** A deal that left the filter (given to another rep): its card goes, its column's totals follow. */
  private remove(id: Id, from: { col: number; idx: number }): Patch {
    this.deals.delete(id);
    this.where.delete(id);
    return { [`columns[${from.col}].items[${from.idx}]`]: null, ...this.columnPatch(from.col), summary: this.summary() };
  }

  /** Shows a spinner on a card while its move is in flight. */
  pendingPatch(id: Id, pending: boolean): Patch {
    const loc = this.where.get(id);
    return loc ? { [`columns[${loc.col}].items[${loc.idx}].pending`]: pending } : {};
  }

  private place(opp: Opportunity): number {
    const col = this.stageIndex(opp.stageId);
    if (col < 0) return -1;
    const idx = this.lengths[col] ?? 0;
    this.lengths[col] = idx + 1;
    this.deals.set(opp.id, opp);
    this.where.set(opp.id, { col, idx });
    if (!this.ranks.has(opp.id)) this.ranks.set(opp.id, idx);
    return idx;
  }

  private stageIndex(stageId: Id): number {
    return this.stages.findIndex((s) => s.id === stageId);
  }

  private card(id: Id): Card | null {
    const opp = this.deals.get(id);
    if (!opp) return null;
    return {
      id,
      title: opp.title,
      customer: opp.customerName,
      value: formatMoneyCompact(opp.valueCents),
      owner: opp.ownerName ?? t('common.unassigned'),
      rank: this.ranks.get(id) ?? 0,
      pending: false,
    };
  }

  private columnTexts(col: number): Pick<Column, 'tabLabel' | 'headline' | 'count'> {
    const stage = this.stages[col];
    let count = 0;
    let value = 0;
    for (const opp of this.deals.values()) {
      if (opp.stageId !== stage?.id) continue;
      count += 1;
      value += opp.valueCents;
    }
    const name = stage ? stageLabel(stage) : '';
    const probability = stage ? `${t('opportunity.probability')} ${stage.probability}%` : '';
    return {
      count,
      tabLabel: `${name} ${count}`,
      headline: `${t('pipeline.dealCount', { count })} · ${formatMoneyCompact(value)} · ${probability}`,
    };
  }

  private columnPatch(col: number): Patch {
    const texts = this.columnTexts(col);
    return {
      [`columns[${col}].count`]: texts.count,
      [`columns[${col}].tabLabel`]: texts.tabLabel,
      [`columns[${col}].headline`]: texts.headline,
    };
  }
}
