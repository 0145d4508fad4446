import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(import.meta.dirname, '../../src');

/**
 * Interpolations reviewed and accepted: each inserts a fragment chosen from fixed text in the same
 * file (an ORDER BY, a list of WHERE clauses), never a value; values there are bind parameters.
 * Any other `${...}` in SQL, or a new one in these files, fails the test.
 */
const REVIEWED: Record<string, string[]> = {
  'modules/customers/customer-list.ts': ['order.key', 'order.orderBy', 'all', 'scope', 'keyword', 'matched', 'after'],
  // The recycle rule's fixed fragments (last activity, the customer's own dates, due), written once and used by its statements.
  'modules/ownership/recycle.scheduler.ts': ['LAST_ACTIVITY', 'OWN_DATES', 'WARN_DAYS', 'STILL_DUE'],
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** The template literal starting at `start` (a backtick): its text and the `${...}` expressions in it. */
function templateAt(src: string, start: number): { end: number; interpolations: string[] } {
  const interpolations: string[] = [];
  let i = start + 1;
  while (i < src.length && src[i] !== '`') {
    if (src[i] === '\\') {
      i += 2;
      continue;
    }
    if (src.startsWith('${', i)) {
      let depth = 1;
      const from = i + 2;
      i = from;
      while (depth > 0 && i < src.length) {
        if (src[i] === '{') depth++;
        else if (src[i] === '}') depth--;
        i++;
      }
      interpolations.push(src.slice(from, i - 1).trim());
      continue;
    }
    i++;
  }
  return { end: i, interpolations };
}

/** Interpolations in the SQL handed to each `.query(` / `.literal(` call, following a same-file const. */
function sqlInterpolations(src: string): Array<{ line: number; expr: string }> {
  const out: Array<{ line: number; expr: string }> = [];
  const call = /\.(query|literal)\s*(<[^()]*?>)?\s*\(\s*/g;
  for (let m = call.exec(src); m; m = call.exec(src)) {
    let at = m.index + m[0].length;
    const ident = /^[A-Za-z_$][\w$]*/.exec(src.slice(at))?.[0];
    if (ident && src[at + ident.length] !== '(' && src[at + ident.length] !== '.') {
      const decl = new RegExp(`(?:const|let)\\s+${ident}\\s*(?::[^=]+)?=\\s*\``).exec(src);
      if (!decl) continue;
      at = decl.index + decl[0].length - 1;
    }
    if (src[at] !== '`') continue;
    const line = src.slice(0, at).split('\n').length;
    for (const expr of templateAt(src, at).interpolations) out.push({ line, expr });
  }
  return out;
}

describe('no SQL built from strings', () => {
  it('finds no ${...} in SQL passed to sequelize.query / .query / .literal under realtime-server/src', () => {
    const found: string[] = [];
    let calls = 0;
    for (const file of sourceFiles(SRC)) {
      const rel = relative(SRC, file).split('\\').join('/');
      const src = readFileSync(file, 'utf8');
      calls += (src.match(/\.query\s*(<[^()]*?>)?\s*\(/g) ?? []).length;
      for (const { line, expr } of sqlInterpolations(src)) {
        if (!REVIEWED[rel]?.includes(expr)) found.push(`${rel}:${line} \${${expr}}`);
      }
    }
    expect(calls, 'the scan saw the query calls').toBeGreaterThan(15);
    expect(found, 'use replacements or bind parameters instead').toEqual([]);
  });

  it('catches the pattern it looks for', () => {
    const direct = 'await db.sequelize.query(`SELECT * FROM t WHERE id = ${id}`, {});';
    const viaConst = "const SQL = `DELETE FROM t WHERE name = '${name}'`;\nawait sequelize.query<Row>(SQL, {});";
    const safe = 'const SQL = `SELECT * FROM t WHERE id = :id`;\nawait sequelize.query(SQL, { replacements: { id } });';
    expect(sqlInterpolations(direct).map((f) => f.expr)).toEqual(['id']);
    expect(sqlInterpolations(viaConst).map((f) => f.expr)).toEqual(['name']);
    expect(sqlInterpolations(safe)).toEqual([]);
  });
});
