/* global process, console */
// The two Debian packages the screenshots need. Installed when we may (root with apt-get), otherwise the
// command says exactly what to run. Nothing is downloaded outside the package manager.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';

const CHROMIUM = process.env.PREVIEWS_CHROMIUM || '/usr/bin/chromium';
export const INSTALL_COMMAND = 'apt-get update && apt-get install -y chromium fonts-noto-cjk';

function hasCjkFont() {
  try {
    return execFileSync('fc-list', [':lang=zh-cn', 'family'], { encoding: 'utf8' }).trim().length > 0;
  } catch {
    return fs.existsSync('/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc');
  }
}

function missing() {
  const packages = [];
  if (!fs.existsSync(CHROMIUM)) packages.push('chromium');
  if (!hasCjkFont()) packages.push('fonts-noto-cjk');
  return packages;
}

function canInstall() {
  return process.getuid?.() === 0 && spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
}

/** Returns the Chromium path, installing chromium and fonts-noto-cjk first when they are missing. */
export function ensureSystemDeps({ install = true } = {}) {
  let packages = missing();
  if (packages.length && install && canInstall()) {
    console.log(`previews: installing ${packages.join(' ')} (Debian packages)…`);
    const run = spawnSync('sh', ['-c', `apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${packages.join(' ')}`], { stdio: 'inherit' });
    if (run.status !== 0) throw new Error(`apt-get failed; install by hand: ${INSTALL_COMMAND}`);
    packages = missing();
  }
  if (packages.length) {
    const what = packages.length > 1 ? `the Debian packages ${packages.join(' and ')}` : `the Debian package ${packages[0]}`;
    throw new Error(`previews need ${what}. Install with:\n  sudo sh -c '${INSTALL_COMMAND}'\n`
      + `(Chromium is looked for at ${CHROMIUM}; PREVIEWS_CHROMIUM names another binary)`);
  }
  return CHROMIUM;
}
