/** Cell formatting shared by the bench's markdown tables. */
export const ms = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : '-');
export const int = (v: number) => (Number.isFinite(v) ? Math.round(v).toLocaleString('en-US') : '-');
export const pct = (v: number) => (Number.isFinite(v) ? `${(v * 100).toFixed(2)}%` : '-');
export const kb = (v: number) => (Number.isFinite(v) ? `${(v / 1024).toFixed(1)} KB` : '-');
export const ratio = (a: number, b: number) => (b && Number.isFinite(a) && Number.isFinite(b) ? `${(a / b).toFixed(2)}x` : '-');
export const verdict = (ok: boolean) => (ok ? '**PASS**' : '**FAIL**');
export const row = (cells: Array<string | number>) => `| ${cells.join(' | ')} |`;
/** A table's header row and its separator. */
export const header = (cells: string[]) => [row(cells), row(cells.map(() => '---'))];
