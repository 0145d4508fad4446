import type { Id, LeaderboardResponse, LeaderboardRow, Opportunity, Stage } from '@live-crm/shared-types';
import { t } from '../../i18n/index';
import { formatMoneyCompact } from '../../utils/format';
import { percent } from './view';

/** YYYY-MM of an instant in China time (the tenant's month, as the server counts it). */
const shanghaiMonth = (iso: string): string => new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 7);

/** One rank as the dashboard shows it (ARCHITECTURE 9.4). */
export interface BoardRow {
  userId: Id;
  rank: number;
  name: string;
  won: string;
  target: string;
  completion: string;
  /** the completion bar, capped at 100% */
  width: string;
  deals: string;
}

/** The month's ranking as the page holds it; a deal won or reopened live moves it without a refetch. */
export class Leaderboard {
  private rows: LeaderboardRow[];

  constructor(readonly res: LeaderboardResponse) {
    this.rows = res.rows.map((r) => ({ ...r }));
  }

  view(): BoardRow[] {
    return this.rows.map((r, i) => ({
      userId: r.userId,
      rank: i + 1,
      name: r.name,
      won: formatMoneyCompact(r.wonValueCents),
      target: r.targetCents > 0 ? t('leaderboard.target', { value: formatMoneyCompact(r.targetCents) }) : t('leaderboard.noTarget'),
      completion: r.completion === null ? '' : percent(r.completion),
      width: `${Math.min(100, Math.round((r.completion ?? 0) * 100))}%`,
      deals: t('leaderboard.deals', { count: r.wonCount }),
    }));
  }

  /**
   * A move into a won stage adds the deal to its owner's month (closed this month, as the server
   * counts it); a move out of one takes it back. Answers whether anything changed.
   */
  applyMove(opp: Opportunity, from: Stage | undefined, to: Stage | undefined): boolean {
    const won = (s: Stage | undefined) => s?.outcome === 'won';
    if (won(from) === won(to) || opp.ownerId === null || opp.teamId !== this.res.teamId) return false;
    const row = this.rows.find((r) => r.userId === opp.ownerId);
    if (!row) return false;
    if (won(to) && !(opp.closedAt && shanghaiMonth(opp.closedAt) === this.res.month)) return false;
    const sign = won(to) ? 1 : -1;
    row.wonValueCents += sign * opp.valueCents;
    row.wonCount += sign;
    row.completion = row.targetCents > 0 ? Math.round((row.wonValueCents / row.targetCents) * 10_000) / 10_000 : null;
    this.rows.sort((a, b) => b.wonValueCents - a.wonValueCents || a.userId - b.userId);
    return true;
  }
}
