import type { Opportunity, PipelineResponse, Stage, StageKey } from '@live-crm/shared-types';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { installWx, type WxHandles } from '../../test-support/wx/index';
import { resetLocale } from '../i18n/index';
import { Board } from '../pages/pipeline/board';

/** A default stage (keyed, named from the phone's tables). */
const stage = (id: number, name: string, probability: number, outcome: Stage['outcome'] = 'open'): Stage => ({
  id,
  teamId: 1,
  key: name.toLowerCase() as StageKey,
  name,
  probability,
  position: id,
  outcome,
});
const deal = (id: number, stageId: number, valueCents: number, version = 1): Opportunity => ({
  id,
  teamId: 1,
  customerId: id,
  customerName: `客户${id}`,
  title: `商机${id}`,
  valueCents,
  currency: 'CNY',
  stageId,
  ownerId: 2,
  ownerName: 'Ray Li',
  expectedCloseDate: null,
  closedAt: null,
  createdAt: '2025-01-01T00:00:00Z',
  updatedAt: '2025-01-01T00:00:00Z',
  version,
});
const pipeline = (opportunities: Opportunity[]): PipelineResponse => ({
  stages: [stage(3, 'Proposal', 50), stage(1, 'Lead', 10), stage(2, 'Won', 100, 'won')],
  opportunities,
  totalValue: 0,
  weightedValue: 0,
});

let wx: WxHandles;
beforeAll(() => {
  wx = installWx();
  resetLocale();
});
afterAll(() => wx.uninstall());

describe('pipeline board', () => {
  test('columns follow stage position; totals count open stages only', () => {
    const board = new Board(pipeline([deal(1, 1, 100_000_00), deal(2, 3, 300_000_00), deal(3, 2, 999_000_00)]));
    const cols = board.columns();
    expect(cols.map((c) => c.tabLabel)).toEqual(['线索 1', '赢单 1', '方案 1']);
    expect(cols[0]!.items[0]).toMatchObject({ title: '商机1', customer: '客户1', value: '¥10万', owner: 'Ray Li' });
    // open: 100k + 300k; weighted: 10% of 100k + 50% of 300k = 160k
    expect(board.summary()).toEqual({ total: '¥40万', weighted: '¥16万' });
  });

  test('a card shows its value in the same compact form as the totals above it, never cents', () => {
    const board = new Board(pipeline([deal(1, 1, 1_280_000_00), deal(2, 1, 95_000_00), deal(3, 1, 8_800_50), deal(4, 3, 1_234_56)]));
    const values = board.columns().flatMap((c) => c.items.map((i) => i?.value));
    expect(values).toEqual(['¥128万', '¥9.5万', '¥8,801', '¥1,235']);
    expect(board.columns()[0]!.headline).toContain('¥138.4万');
  });

  test('a move patches two items, the two column headers and the summary: never a whole list', () => {
    const board = new Board(pipeline([deal(1, 1, 100_000_00), deal(2, 1, 50_000_00), deal(3, 3, 10_00)]));
    const patch = board.apply(deal(1, 3, 100_000_00, 2))!;
    expect(Object.keys(patch).sort()).toEqual([
      'columns[0].count',
      'columns[0].headline',
      'columns[0].items[0]',
      'columns[0].tabLabel',
      'columns[2].count',
      'columns[2].headline',
      'columns[2].items[1]',
      'columns[2].tabLabel',
      'summary',
    ]);
    expect(patch['columns[0].items[0]']).toBeNull();
    expect(patch['columns[2].items[1]']).toMatchObject({ id: 1, rank: -1 });
    expect(patch['columns[0].tabLabel']).toBe('线索 1');
    expect(Buffer.byteLength(JSON.stringify(patch))).toBeLessThan(1024);
  });

  test('stale or repeated versions change nothing; force (rollback) does', () => {
    const board = new Board(pipeline([deal(1, 1, 100, 5)]));
    expect(board.apply(deal(1, 3, 100, 5))).toBeNull();
    expect(board.apply(deal(1, 3, 100, 4))).toBeNull();
    expect(board.apply(deal(1, 3, 100, 5), true)).not.toBeNull();
    expect(board.get(1)!.stageId).toBe(3);
  });

  test('a deal of an unknown stage (another team) is ignored; a new deal lands on top of its column', () => {
    const board = new Board(pipeline([deal(1, 1, 100)]));
    expect(board.apply({ ...deal(9, 77, 100), teamId: 2 })).toBeNull();
    const patch = board.apply(deal(5, 1, 100))!;
    expect(patch['columns[0].items[1]']).toMatchObject({ id: 5, rank: -1 });
    expect(board.columns()[0]!.count).toBe(2);
  });
});
