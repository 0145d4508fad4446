import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error -- a plain .mjs script without type declarations
import { BUDGET_BYTES, checkPackageSize } from '../check-package-size.mjs';

interface SizeReport {
  total: number;
  ok: boolean;
  missing: string[];
  files: Map<string, number>;
  groups: Map<string, { bytes: number; files: number }>;
}

const MP = join(import.meta.dirname, '../../miniprogram');
const check = (root?: string) => checkPackageSize(root) as SizeReport;
const scratch: string[] = [];
afterAll(() => scratch.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('mini program main package', () => {
  it('is under 1.5 MB as WeChat would upload it, every reference resolved', () => {
    const r = check();
    expect(r.missing).toEqual([]);
    expect(r.total).toBeLessThan(BUDGET_BYTES);
    expect(r.ok).toBe(true);
  });

  it('counts npm and our pages, never tests, typings or unused tdesign components', () => {
    const paths = [...check().files.keys()];
    expect(paths).toContain('miniprogram_npm/weapp.socket.io/index.js');
    expect(paths.some((p) => p.startsWith('pages/pipeline/'))).toBe(true);
    expect(paths.some((p) => p.startsWith('miniprogram_npm/tdesign-miniprogram/button/'))).toBe(true);
    expect(paths.filter((p) => p.startsWith('test/') || p.startsWith('typings/') || p.endsWith('.d.ts'))).toEqual([]);
    expect(paths.some((p) => p.startsWith('miniprogram_npm/tdesign-miniprogram/calendar/'))).toBe(false);
  });

  it("measures the packages' miniprogram_dist the same way when miniprogram_npm is not built", () => {
    const dir = mkdtempSync(join(tmpdir(), 'mp-size-'));
    scratch.push(dir);
    cpSync(MP, dir, { recursive: true, filter: (src) => !/[\\/](miniprogram_npm|test|node_modules)$/.test(src) });
    const unbuilt = check(dir);
    expect(unbuilt.missing).toEqual([]);
    expect(unbuilt.groups.get('tdesign-miniprogram')?.files).toBeGreaterThan(0);
    expect(unbuilt.total).toBeLessThan(BUDGET_BYTES);
  });
});
