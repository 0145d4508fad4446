import { settle } from './callbacks';
import type { Callbacks, ErrorReporter } from './callbacks';
import { UserDataDir } from './file-system';

/**
 * wx storage in memory. Pass the same instance to a second installWx() to "relaunch the app"
 * and keep what the first run stored. Values are copied through JSON as WeChat serializes them.
 * The app's files (wx.env.USER_DATA_PATH) travel with it: they survive a relaunch too.
 */
export class MemoryStorage {
  readonly data = new Map<string, string>();
  readonly userData = new UserDataDir();

  set(key: string, value: unknown): void {
    if (value === undefined) throw new Error('setStorageSync:fail parameter error: data should not be undefined');
    this.data.set(key, JSON.stringify(value));
  }

  /** WeChat answers '' for a missing key. */
  get(key: string): unknown {
    const raw = this.data.get(key);
    return raw === undefined ? '' : JSON.parse(raw);
  }

  has(key: string): boolean {
    return this.data.has(key);
  }

  remove(key: string): void {
    this.data.delete(key);
  }

  clear(): void {
    this.data.clear();
  }
}

type KeyOpts = { key: string } & Callbacks<{ errMsg: string; data?: unknown }>;

export function storageApi(storage: MemoryStorage, report: ErrorReporter) {
  const ok = (name: string, extra: object = {}) => ({ ok: true as const, res: { errMsg: `${name}:ok`, ...extra } });
  return {
    setStorageSync: (key: string, data: unknown) => storage.set(key, data),
    getStorageSync: (key: string) => storage.get(key),
    removeStorageSync: (key: string) => storage.remove(key),
    clearStorageSync: () => storage.clear(),
    getStorageInfoSync: () => ({ keys: [...storage.data.keys()], currentSize: 0, limitSize: 10240 }),
    setStorage: (o: KeyOpts & { data: unknown }) => {
      storage.set(o.key, o.data);
      return settle(o, report, 'setStorage', ok('setStorage'));
    },
    getStorage: (o: KeyOpts) =>
      settle(
        o,
        report,
        'getStorage',
        storage.has(o.key) ? ok('getStorage', { data: storage.get(o.key) }) : { ok: false, errMsg: 'getStorage:fail data not found' },
      ),
    removeStorage: (o: KeyOpts) => {
      storage.remove(o.key);
      return settle(o, report, 'removeStorage', ok('removeStorage'));
    },
    clearStorage: (o?: Callbacks<{ errMsg: string }>) => {
      storage.clear();
      return settle(o, report, 'clearStorage', ok('clearStorage'));
    },
  };
}
