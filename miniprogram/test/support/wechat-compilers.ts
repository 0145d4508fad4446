// WeChat's own WXML (wcc) and WXSS (wcsc) compilers from the npm package miniprogram-compiler,
// run one file at a time with cwd at the mini program root, as DevTools runs them. Both only
// see the files named on their command line, so each file is passed with everything it imports.
import { spawnSync } from 'node:child_process';
import { accessSync, chmodSync, constants, existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, posix } from 'node:path';

/** One refusal: the file (relative to the mini program root), where, and the compiler's words. */
export interface CompileError {
  file: string;
  line: number;
  column: number;
  message: string;
}

const pkgDir = dirname(createRequire(import.meta.url).resolve('miniprogram-compiler/package.json'));

/** npm may install the binaries without the exec bit; the package's own wrapper chmods them too. */
function binary(name: 'wcc' | 'wcsc'): string {
  const file = join(pkgDir, 'bin', 'linux', name);
  try {
    accessSync(file, constants.X_OK);
  } catch {
    chmodSync(file, 0o755);
  }
  return file;
}

/** A reference as WeChat resolves it: `/x` from the root, anything else from the file's folder. */
function resolveRef(from: string, ref: string, ext: string): string {
  const path = ref.startsWith('/') ? ref.slice(1) : posix.join(posix.dirname(from), ref);
  return posix.normalize(path.endsWith(ext) ? path : `${path}${ext}`);
}

const blockComments = (text: string) => text.replace(/\/\*[\s\S]*?\*\//g, '');

function wxssRefs(text: string, file: string): string[] {
  return [...blockComments(text).matchAll(/@import\s+(["'])([^"']+)\1/g)].map((m) => resolveRef(file, m[2]!, '.wxss'));
}

const TEMPLATE_SRC = /<(?:import|include)\b[^>]*?\bsrc\s*=\s*(["'])([^"']+)\1/g;

function wxmlRefs(text: string, file: string): string[] {
  const body = text.replace(/<!--[\s\S]*?-->/g, '');
  const templates = [...body.matchAll(TEMPLATE_SRC)].map((m) => resolveRef(file, m[2]!, '.wxml'));
  const wxs = [...body.matchAll(/<wxs\b[^>]*?\bsrc\s*=\s*(["'])([^"']+)\1/g)].map((m) => resolveRef(file, m[2]!, '.wxs'));
  return [...templates, ...wxs];
}

function wxsRefs(text: string, file: string): string[] {
  return [
    ...blockComments(text)
      .replace(/\/\/.*$/gm, '')
      .matchAll(/require\(\s*(["'])([^"']+)\1\s*\)/g),
  ].map((m) => resolveRef(file, m[2]!, '.wxs'));
}

/** `file` and every file it reaches through imports that exist; a missing one is for the compiler to name. */
function closure(root: string, file: string): string[] {
  const seen = new Set<string>([file]);
  const queue = [file];
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    const text = readFileSync(join(root, next), 'utf8');
    const refs = next.endsWith('.wxss') ? wxssRefs(text, next) : next.endsWith('.wxs') ? wxsRefs(text, next) : wxmlRefs(text, next);
    for (const ref of refs) {
      if (seen.has(ref) || !existsSync(join(root, ref))) continue;
      seen.add(ref);
      queue.push(ref);
    }
  }
  return [...seen];
}

function run(name: 'wcc' | 'wcsc', root: string, args: string[]): string | null {
  const out = spawnSync(binary(name), args, { cwd: root, maxBuffer: 64 * 1024 * 1024 });
  if (out.error) throw out.error;
  return out.status === 0 ? null : out.stderr.toString().trim() || `${name} exited with ${out.status}`;
}

/** The line of the first mention of `needle` in a file (1-based; 0 when it is not there). */
function lineOf(root: string, file: string, needle: string): number {
  const text = existsSync(join(root, file)) ? readFileSync(join(root, file), 'utf8') : '';
  const i = text.indexOf(needle);
  return i < 0 ? 0 : text.slice(0, i).split('\n').length;
}

/** wcsc says `ERR: f.wxss(101:17): error at token ...` or `ERR: path `x` not found from `f.wxss`.` */
function wcscErrors(root: string, stderr: string, file: string): CompileError[] {
  const lines = stderr.split('\n').filter((l) => l.startsWith('ERR: '));
  if (lines.length === 0) return [{ file, line: 0, column: 0, message: stderr }];
  return lines.map((l) => {
    const m = /^ERR: (.+?)\((\d+):(\d+)\): (.*)$/.exec(l);
    if (m) return { file: m[1]!, line: Number(m[2]), column: Number(m[3]), message: m[4]! };
    const notFound = /path `(.+?)` not found from `(.+?)`/.exec(l);
    const from = notFound?.[2] ?? file;
    return { file: from, line: notFound ? lineOf(root, from, notFound[1]!) : 0, column: 0, message: l.slice(5) };
  });
}

/** Compiles one .wxss (path relative to `root`) as a page or component stylesheet. */
export function compileWxss(root: string, file: string): CompileError[] {
  const stderr = run('wcsc', root, ['-db', '-pc', '1', ...closure(root, file)]);
  return stderr === null ? [] : wcscErrors(root, stderr, file);
}

/** wcc says `f.wxml:2:11: expect end-tag ...` or `f.wxml:1:44:x.wxs not found from f.wxml`. */
function wccErrors(stderr: string, file: string): CompileError[] {
  const m = /^(.+?):(\d+):(\d+):\s*([\s\S]*)$/.exec(stderr);
  if (!m) return [{ file, line: 0, column: 0, message: stderr }];
  return [{ file: m[1]!, line: Number(m[2]), column: Number(m[3]), message: m[4]!.trim() }];
}

/** `<import>`/`<include>` that resolve nowhere: wcc accepts them, WeChat then renders nothing there. */
function missingTemplates(root: string, file: string): CompileError[] {
  const text = readFileSync(join(root, file), 'utf8');
  return [...text.matchAll(TEMPLATE_SRC)]
    .filter((m) => !existsSync(join(root, resolveRef(file, m[2]!, '.wxml'))))
    .map((m) => ({ file, line: lineOf(root, file, m[0]), column: 0, message: `${m[2]} not found from ${file}` }));
}

/** Compiles one .wxml (path relative to `root`) the way DevTools does, its custom components declared. */
export function compileWxml(root: string, file: string): CompileError[] {
  const json = join(root, file.replace(/\.wxml$/, '.json'));
  const using = existsSync(json) ? Object.keys(JSON.parse(readFileSync(json, 'utf8')).usingComponents ?? {}) : [];
  const components = using.length ? ['1', file, String(using.length), ...using] : ['0'];
  const files = closure(root, file);
  const stderr = run('wcc', root, [
    '-d',
    '-cc',
    components.join(' '),
    ...files.filter((f) => f.endsWith('.wxml')),
    ...files.filter((f) => f.endsWith('.wxs')),
    '-gn',
    '$gwx',
  ]);
  return [...(stderr === null ? [] : wccErrors(stderr, file)), ...missingTemplates(root, file)];
}

export const formatError = (e: CompileError, prefix = '') => `${prefix}${e.file}:${e.line}:${e.column} ${e.message}`;
