/* global process, URL */
/**
 * `npm run build`: compiles the server and the workspace code it runs (models; shared-types is
 * types only) into one ES module, `realtime-server/dist/main.js`, for `NODE_ENV=production npm start`
 * to run with plain Node, no TypeScript loader. Packages from node_modules stay imports, loaded
 * at run time as usual. Type errors are `npm run typecheck`'s job; this only compiles.
 */
import { mkdirSync, renameSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));
const dist = here('../dist');
const staging = `${dist}.${process.pid}.tmp`;

/** Workspace packages (@live-crm/*) are compiled in; every other bare import stays external. */
const externalPackages = {
  name: 'external-packages',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => (args.path.startsWith('@live-crm/') ? undefined : { path: args.path, external: true }));
  },
};

const started = Date.now();
await build({
  entryPoints: [here('../src/main.ts')],
  outfile: `${staging}/main.js`,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: 'linked',
  sourcesContent: false,
  legalComments: 'none',
  logLevel: 'warning',
  plugins: [externalPackages],
});
// Renamed into place so a node starting while another build runs never reads half a file.
mkdirSync(dist, { recursive: true });
for (const file of ['main.js.map', 'main.js']) renameSync(`${staging}/${file}`, `${dist}/${file}`);
rmSync(staging, { recursive: true, force: true });
process.stdout.write(`built ${dist}/main.js in ${Date.now() - started} ms\n`);
