/* global fetch, console, FormData, Blob */
// Starts the real realtime server for the previews (server-child.mts, in its own process), acts out
// a few things people do in the app through its REST API (scene.mjs), and signs the demo people in.
import { fork } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PREVIEW_NOW, realNow, shiftIso } from './clock.mjs';
import { playScene } from './scene.mjs';

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'server-child.mts');
const LOGINS = ['ray', 'rita', 'mia', 'ada', 'nick', 'wes'];
/** The seed runs two hours before the pictures' moment and the scene twenty minutes before. */
const SEED_LEAD_MS = 2 * 3_600_000;
const SCENE_LEAD_MS = 20 * 60_000;

/** A signed-in REST client for one person. */
export async function signIn(url, login) {
  const { token, user } = await call(url, null, 'POST', '/api/auth/dev-login', { login });
  return {
    token,
    user,
    call: (method, route, body) => call(url, token, method, route, body),
    upload: (route, bytes, filename) => upload(url, token, route, bytes, filename),
  };
}

/** multipart/form-data with the bytes in the field `file`, as wx.uploadFile sends a photo. */
async function upload(url, token, route, bytes, filename) {
  const form = new FormData();
  form.append('file', new Blob([bytes]), filename);
  const res = await fetch(url + route, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
  const data = await res.json().catch(() => null);
  if (res.status >= 300) throw new Error(`previews: upload ${route} answered ${res.status} ${JSON.stringify(data)}`);
  return data;
}

async function call(url, token, method, route, body) {
  const res = await fetch(url + route, {
    method, headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const data = await res.json().catch(() => null);
  if (res.status >= 300) throw new Error(`previews: ${method} ${route} answered ${res.status} ${JSON.stringify(data)}`);
  return data;
}

/**
 * `databaseUrl`: use that database as it is (a clone of the seeded test template), on the real
 * clock. Without it: embedded PGlite seeded under a clock frozen at PREVIEW_NOW, so pictures stay
 * the same from run to run. Answers { url, frozen, people, ids, setClock(iso), stop() }.
 */
export async function startPreviewServer({ databaseUrl } = {}) {
  const child = fork(CHILD, [], {
    execArgv: ['--import', 'tsx'],
    env: { ...globalThis.process.env, PREVIEW_NOW: shiftIso(PREVIEW_NOW, -SEED_LEAD_MS), ...(databaseUrl ? { PREVIEW_DATABASE_URL: databaseUrl } : {}) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const url = await new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`previews: the server stopped while starting (exit ${code})`)));
    child.on('message', (message) => { if (message?.ready) resolve(message.ready); });
  });
  const frozen = !databaseUrl;
  const stop = () => new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.send({ stop: true });
  });
  try {
    const people = Object.fromEntries(await Promise.all(LOGINS.map(async (login) => [login, await signIn(url, login)])));
    // Answered once the child's clock has moved, so no request overtakes it.
    const setClock = (iso) => (frozen ? new Promise((resolve) => {
      const moved = (message) => { if (message?.clock === iso) { child.off('message', moved); resolve(); } };
      child.on('message', moved);
      child.send({ clock: iso });
    }) : Promise.resolve());
    await setClock(shiftIso(PREVIEW_NOW, -SCENE_LEAD_MS));
    const ids = await playScene(people, frozen ? Date.parse(PREVIEW_NOW) - SCENE_LEAD_MS : realNow());
    return {
      url, frozen, people, ids, stop,
      /** The pictures' moment: PREVIEW_NOW when frozen, else the real clock runs on. */
      setClock: () => setClock(PREVIEW_NOW),
    };
  } catch (error) {
    console.error(error);
    await stop();
    throw error;
  }
}
