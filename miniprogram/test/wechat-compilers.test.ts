import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ensureBuilt, ROOT } from './support/build';
import { compileWxml, compileWxss, formatError, type CompileError } from './support/wechat-compilers';

const MP = join(ROOT, 'miniprogram');
const toPosix = (p: string) => p.split(sep).join('/');

function* walk(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(full);
    else yield full;
  }
}

/** Every file of a kind in the built mini program, relative to its root, ours or packed npm. */
function filesOf(root: string, ext: string, packed: boolean): string[] {
  return [...walk(root)]
    .map((f) => toPosix(relative(root, f)))
    .filter((f) => f.endsWith(ext) && f.startsWith('miniprogram_npm/') === packed);
}

/** Compiles each file alone; answers `miniprogram/<file>:<line>:<col> <message>` per refusal. */
function refusals(root: string, files: string[], compile: (root: string, file: string) => CompileError[]): string[] {
  return files.flatMap((file) => compile(root, file).map((e) => formatError(e, 'miniprogram/')));
}

let built: string;
beforeAll(async () => {
  // The page tests' build: our files copied as they are, npm packed as `npm run build:npm` packs it.
  built = await ensureBuilt();
});

const compilers = [
  {
    what: 'stylesheet',
    tool: 'wcsc',
    ext: '.wxss',
    compile: compileWxss,
    ours: 'pages/task-detail/index.wxss',
    npm: 'tdesign-miniprogram/button/button.wxss',
  },
  {
    what: 'template',
    tool: 'wcc',
    ext: '.wxml',
    compile: compileWxml,
    ours: 'pages/tasks/index.wxml',
    npm: 'tdesign-miniprogram/button/button.wxml',
  },
];

describe.each(compilers)('WeChat compiles every $what ($tool)', ({ ext, compile, ours, npm }) => {
  test.each([
    { where: 'our app, pages and components', packed: false, sample: ours },
    { where: 'the packed miniprogram_npm', packed: true, sample: `miniprogram_npm/${npm}` },
  ])('in $where', ({ packed, sample }) => {
    const files = filesOf(built, ext, packed);
    expect(files).toContain(sample);
    expect(refusals(built, files, compile)).toEqual([]);
  });
});

describe("what WeChat refuses is reported with file, line and the compiler's message", () => {
  const scratch = mkdtempSync(join(tmpdir(), 'wx-compilers-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));
  /** Writes one file into a scratch mini program and answers what WeChat's compiler says of it. */
  const refused = (file: string, text: string) => {
    mkdirSync(dirname(join(scratch, file)), { recursive: true });
    writeFileSync(join(scratch, file), text);
    return (file.endsWith('.wxss') ? compileWxss : compileWxml)(scratch, file).map((e) => formatError(e));
  };

  test('a universal selector (Chromium draws it, WeChat refuses the whole app)', () => {
    expect(refused('pages/a/index.wxss', '.row {\n  display: flex;\n}\n.row > * {\n  flex: 1;\n}\n')).toEqual([
      'pages/a/index.wxss:4:8 error at token `*`',
    ]);
  });

  test('an @import resolves from the importing file, not from the root', () => {
    expect(refused('styles/card.wxss', '.card { color: red; }\n')).toEqual([]);
    expect(refused('pages/b/index.wxss', '.x { color: blue; }\n@import "styles/card.wxss";\n')).toEqual([
      'pages/b/index.wxss:2:0 path `styles/card.wxss` not found from `pages/b/index.wxss`.',
    ]);
    expect(refused('pages/c/index.wxss', '@import "../../styles/card.wxss";\n')).toEqual([]);
  });

  test('an unclosed tag, a missing wxs module and a missing template', () => {
    expect(refused('pages/d/index.wxml', '<view>\n  <text>hi</view>\n')).toEqual([
      'pages/d/index.wxml:2:13 expect end-tag `text`., near `view`',
    ]);
    expect(refused('pages/e/index.wxml', '<view/>\n<wxs src="./nope.wxs" module="n"/>\n')).toEqual([
      'pages/e/index.wxml:2:1 ./nope.wxs not found from pages/e/index.wxml',
    ]);
    expect(refused('pages/f/index.wxml', '<view/>\n<import src="../shared/card.wxml"/>\n')).toEqual([
      'pages/f/index.wxml:2:0 ../shared/card.wxml not found from pages/f/index.wxml',
    ]);
  });
});

describe("TypeScript compiles one file at a time, as DevTools' TypeScript plugin does", () => {
  const config = ts.getParsedCommandLineOfConfigFile(
    join(MP, 'tsconfig.json'),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      },
    },
  )!;
  const sources = config.fileNames.filter((f) => !f.endsWith('.d.ts'));
  // `npm run build:npm` packs exactly the root package's runtime dependencies.
  const packedNpm = Object.keys(JSON.parse(ts.sys.readFile(join(ROOT, 'package.json'))!).dependencies as object);

  test("the mini program's tsconfig makes tsc refuse what a one-file compile cannot see", () => {
    expect(config.options.isolatedModules).toBe(true);
    expect(sources.map((f) => toPosix(relative(MP, f)))).toContain('pages/tasks/index.ts');
  });

  test('each file transpiles alone, and requires only files and packages the mini program has', () => {
    const problems: string[] = [];
    for (const file of sources) {
      const rel = toPosix(relative(ROOT, file));
      const out = ts.transpileModule(ts.sys.readFile(file)!, {
        compilerOptions: { ...config.options, noEmit: false },
        fileName: file,
        reportDiagnostics: true,
      });
      for (const d of out.diagnostics ?? []) problems.push(`${rel}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
      for (const [, spec] of out.outputText.matchAll(/require\("([^"]+)"\)/g)) {
        const found = spec!.startsWith('.')
          ? ['.ts', '.js', '/index.ts'].some((ext) => existsSync(join(dirname(file), spec!) + ext))
          : packedNpm.some((pkg) => spec === pkg || spec!.startsWith(`${pkg}/`));
        if (!found) problems.push(`${rel}: require("${spec}") is not in the mini program`);
      }
    }
    expect(problems).toEqual([]);
  });
});
