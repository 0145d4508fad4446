/**
 * The setData paths that turn `before` into `after`: plain objects and equally long arrays are
 * compared member by member (`metrics[2].value`), anything else that differs is sent whole.
 * A refresh that changes one number then costs a few bytes across the thread boundary.
 */
function diffPaths(before: unknown, after: unknown, path: string, out: Record<string, unknown> = {}): Record<string, unknown> {
  if (Object.is(before, after)) return out;
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
    after.forEach((item, i) => diffPaths(before[i], item, `${path}[${i}]`, out));
    return out;
  }
  if (isPlain(before) && isPlain(after) && sameKeys(before, after)) {
    for (const key of Object.keys(after)) diffPaths(before[key], after[key], `${path}.${key}`, out);
    return out;
  }
  out[path] = after;
  return out;
}

/** diffPaths over several top-level keys of a page's data. */
export function diffData(before: Record<string, unknown>, after: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(after)) diffPaths(before[key], after[key], key, out);
  return out;
}

function isPlain(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function sameKeys(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => k in b);
}
