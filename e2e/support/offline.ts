import { createRequire } from 'node:module';
import { Op } from 'sequelize';
import type { AnyCommand, Communication, CommunicationInput, Note, Opportunity, Stage, Task, TaskStatus } from '@live-crm/shared-types';
import type { TestNode } from '../../realtime-server/test/support/nodes.js';
import { installWx, type MemoryStorage, type WxHandles } from '../../test-support/wx/index';
import { signedInPhone, type AppRealtime } from './app';
import { appModule } from '../../miniprogram/test/support/page';

const require = createRequire(import.meta.url);

/** The app's offline queue as the built app holds it (services/offline-queue.ts). */
export interface QueuedItem {
  key: string;
  command: AnyCommand;
  label: string;
  attempts: number;
}
export type Submitted<T> = { queued: false; value: T } | { queued: true; item: QueuedItem };
export interface AppQueue {
  pending(): QueuedItem[];
  replay(): Promise<void>;
  stop(): void;
}

/** One run of the app on a phone: from launch until it is killed. */
export interface AppRun {
  wx: WxHandles;
  storage: MemoryStorage;
  app: { onLaunch(): void; onShow(): void };
  realtime: AppRealtime;
  queue: AppQueue;
  pipeline: { saveMove(deal: Opportunity, stage: Stage): Promise<Submitted<Opportunity>> };
  saves: {
    saveNote(customerId: number, content: string, key: string): Promise<Submitted<Note>>;
    saveTaskStatus(task: Task, status: TaskStatus): Promise<Submitted<Task>>;
    saveCallLog(input: CommunicationInput): Promise<Submitted<Communication>>;
  };
}

/** A killed app keeps nothing in memory: the next launch loads every app module afresh. */
function forgetAppModules(root: string): void {
  for (const file of Object.keys(require.cache)) {
    if (file.startsWith(root) && !file.includes('miniprogram_npm')) delete require.cache[file];
  }
}

/**
 * Launches the app (app.js onLaunch + onShow) as `login`, or, given the storage of an earlier run,
 * relaunches it with what that run stored (signed in as before). `offline`: no network from the start.
 */
export async function launchApp(
  root: string,
  server: TestNode,
  opts: { storage?: MemoryStorage; offline?: boolean; login?: string } = {},
): Promise<AppRun> {
  forgetAppModules(root);
  let wx: WxHandles;
  let storage = opts.storage;
  if (storage) wx = installWx({ storage });
  else ({ wx, storage } = await signedInPhone(root, server.url, opts.login ?? 'ray'));
  if (opts.offline) wx.setOffline(true);
  appModule<{ resetLocale(): void }>(root, 'i18n/index.js').resetLocale();
  appModule(root, 'app.js');
  const app = (globalThis as unknown as { getApp(): AppRun['app'] }).getApp();
  app.onLaunch();
  app.onShow();
  return {
    wx,
    storage,
    app,
    realtime: appModule<{ realtime: AppRealtime }>(root, 'services/realtime.js').realtime,
    queue: appModule<{ offlineQueue: AppQueue }>(root, 'services/offline-queue.js').offlineQueue,
    pipeline: appModule<AppRun['pipeline']>(root, 'services/pipeline.js'),
    saves: appModule<AppRun['saves']>(root, 'services/offline-saves.js'),
  };
}

/** The process dies: no timer, socket or listener of this run survives; storage does. */
export function killApp(run: AppRun): void {
  run.queue.stop();
  run.realtime.stop();
  run.wx.uninstall();
}

/** The team's events after `seq`, in order, as the server committed them. */
export async function eventsAfter(server: TestNode, teamId: number, seq: number) {
  const rows = await server.db.models.TeamEvent.findAll({ where: { teamId, seq: { [Op.gt]: seq } }, order: [['seq', 'ASC']] });
  return rows.map((r) => r.toEnvelope());
}

export async function lastSeq(server: TestNode, teamId: number): Promise<number> {
  return (await server.db.models.Team.findByPk(teamId))?.lastSeq ?? 0;
}

/** Requests that reached the server (and were answered) carrying this Idempotency-Key. */
export function answered(wx: WxHandles, key: string) {
  return wx.requests.filter((r) => r.header['Idempotency-Key'] === key && r.statusCode !== undefined);
}

/**
 * From the `after`-th answered request carrying one of `keys` on, the phone loses the network as
 * the answer travels back: the server acted, the phone never hears of it.
 */
export function loseNetworkOnAnswer(wx: WxHandles, keys: Set<string>, after: number): void {
  type Opts = { header?: Record<string, string>; success?: (res: unknown) => void; fail?: (res: { errMsg: string }) => void };
  const original = wx.wx['request'] as (o: Opts) => unknown;
  let seen = 0;
  wx.wx['request'] = (o: Opts) =>
    original({
      ...o,
      success: (res) => {
        const key = o.header?.['Idempotency-Key'];
        if (key && keys.has(key) && ++seen === after) {
          wx.setOffline(true);
          o.fail?.({ errMsg: 'request:fail net::ERR_INTERNET_DISCONNECTED' });
          return;
        }
        o.success?.(res);
      },
    });
}
