import { describe, expect, it } from 'vitest';
import { loadSettings } from '../../bench/bench-config.js';
import { nextRate } from '../../bench/capacity.js';

/** Runs the search against a server whose true capacity is `limit` moves/s; answers the rates tried. */
function search(limit: number, start: number, maxSteps = 9): number[] {
  const steps: Array<{ rate: number; pass: boolean }> = [];
  for (let r = nextRate(steps, start, { maxSteps, gap: 0.125 }); r !== null; r = nextRate(steps, start, { maxSteps, gap: 0.125 }))
    steps.push({ rate: r, pass: r <= limit });
  return steps.map((s) => s.rate);
}

describe('capacity search', () => {
  it('doubles until a step misses, runs that miss again, then bisects to within the gap', () => {
    expect(search(200, 40)).toEqual([40, 80, 160, 320, 320, 240, 200, 220]);
  });

  it('halves while nothing passes', () => {
    expect(search(5, 40)).toEqual([40, 40, 20, 10, 5, 8, 7, 6]);
  });

  it('lets the rerun of the first miss decide', () => {
    const steps = [
      { rate: 40, pass: true },
      { rate: 80, pass: false },
    ];
    expect(nextRate(steps, 40, { maxSteps: 9, gap: 0.125 })).toBe(80);
    expect(nextRate([...steps, { rate: 80, pass: true }], 40, { maxSteps: 9, gap: 0.125 })).toBe(160);
    expect(nextRate([...steps, { rate: 80, pass: false }], 40, { maxSteps: 9, gap: 0.125 })).toBe(60);
  });

  it('stops at the step cap, leaving a lower bound', () => {
    expect(search(10_000, 40, 4)).toEqual([40, 80, 160, 320]);
  });

  it('gives up below one move a second', () => {
    expect(search(0, 4)).toEqual([4, 4, 2, 1]);
  });
});

describe('bench phase selection', () => {
  const names = (env: Record<string, string>) =>
    loadSettings(env).groups.flatMap((g) => [...g.phases.map((p) => p.name), ...g.searches.map((c) => c.name)]);

  it('runs the capacity searches by default but not the gated nodes phases', () => {
    expect(names({})).toEqual(['design', 'sat-100', 'cap-100', 'big-teams', 'sat-500', 'cap-500', 'sat-10']);
  });

  it('selects a family by its prefix and names the file after the selection', () => {
    const s = loadSettings({ BENCH_ONLY: 'nodes' });
    expect(s.groups.map((g) => [g.phases[0]!.name, g.nodes, g.adapter, g.seed])).toEqual([
      ['nodes-2-classic', 2, 'classic', 'c2000x100'],
      ['nodes-4-classic', 4, 'classic', 'c2000x100'],
      ['nodes-2-sharded', 2, 'sharded', 'c2000x100'],
      ['nodes-4-sharded', 4, 'sharded', 'c2000x100'],
    ]);
    expect(s.suffix).toBe('-nodes');
    expect(names({ BENCH_ONLY: 'cap' })).toEqual(['cap-100', 'cap-500']);
    expect(loadSettings({ BENCH_ONLY: 'cap-100,sat-10' }).suffix).toBe('-partial');
  });
});
