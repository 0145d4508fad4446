/* global process, URL */
/**
 * `npm start`. Production (`NODE_ENV=production`) runs the compiled build from `npm run build` with
 * plain Node; anything else runs the TypeScript sources through tsx, so `npm install && npm start`
 * needs no build step while developing.
 */
import { existsSync } from 'node:fs';

if (process.env.NODE_ENV === 'production') {
  const compiled = new URL('./dist/main.js', import.meta.url);
  if (!existsSync(compiled)) {
    process.stderr.write('No compiled server: run `npm run build` first (production runs JavaScript, not TypeScript).\n');
    process.exit(1);
  }
  // Stack traces name the TypeScript lines (dist/main.js.map).
  process.setSourceMapsEnabled(true);
  await import(compiled.href);
} else {
  await import('tsx');
  await import(new URL('./src/main.ts', import.meta.url).href);
}
