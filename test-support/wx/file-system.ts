import { accessSync, copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The app's own files (wx.env.USER_DATA_PATH): they outlive the app run, unlike temp files, which
 * WeChat may delete once the app closes. One directory per phone, handed from run to run with its
 * storage (see MemoryStorage.userData).
 */
export class UserDataDir {
  private dir: string | null = null;

  get path(): string {
    return (this.dir ??= mkdtempSync(join(tmpdir(), 'wx-usr-')));
  }

  /** The files the app keeps there, relative to it (what a test checks was cleaned up). */
  files(): string[] {
    if (!this.dir) return [];
    return (
      readdirSync(this.dir, { recursive: true, withFileTypes: true }) as Array<{ isFile(): boolean; parentPath: string; name: string }>
    )
      .filter((e) => e.isFile())
      .map((e) => join(e.parentPath, e.name).slice(this.dir!.length + 1))
      .sort();
  }

  remove(): void {
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
    this.dir = null;
  }
}

/** WeChat's sync errors are thrown as Error with its errMsg shape. */
function wxFail(name: string, err: unknown): Error {
  const code = (err as NodeJS.ErrnoException).code;
  const why = code === 'ENOENT' ? 'no such file or directory' : code === 'EEXIST' ? 'file already exists' : String((err as Error).message);
  return new Error(`${name}:fail ${why}`);
}

function wrap<A extends unknown[], R>(name: string, fn: (...args: A) => R): (...args: A) => R {
  return (...args) => {
    try {
      return fn(...args);
    } catch (err) {
      throw wxFail(name, err);
    }
  };
}

/** wx.getFileSystemManager()'s sync calls the app uses, on real files, and wx.env. */
export function fileSystemApi(userData: UserDataDir) {
  const manager = {
    accessSync: wrap('accessSync', (path: string) => accessSync(path)),
    mkdirSync: wrap('mkdirSync', (path: string, recursive: boolean = false) => {
      mkdirSync(path, { recursive });
    }),
    copyFileSync: wrap('copyFileSync', (src: string, dest: string) => copyFileSync(src, dest)),
    unlinkSync: wrap('unlinkSync', (path: string) => unlinkSync(path)),
    readdirSync: wrap('readdirSync', (path: string) => readdirSync(path)),
  };
  return {
    env: {
      get USER_DATA_PATH() {
        return userData.path;
      },
    },
    getFileSystemManager: () => manager,
  };
}
