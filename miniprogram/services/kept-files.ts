import type { QueuedCommand } from './queued-command';

/**
 * A queued record's photos outlive the app run: a photo from wx.chooseMedia is a temp file, which
 * WeChat may delete once the app closes, and the record may wait days for a connection. The queue
 * keeps a copy in the app's own files and removes it when the server has the record (or refused it).
 */

const keptDir = (): string => `${wx.env.USER_DATA_PATH}/offline-photos`;

function extensionOf(path: string): string {
  const match = /\.[a-z0-9]{1,5}$/i.exec(path);
  return match ? match[0] : '.jpg';
}

function ensureDir(fs: WechatMiniprogram.FileSystemManager): void {
  try {
    fs.accessSync(keptDir());
  } catch {
    fs.mkdirSync(keptDir(), true);
  }
}

/** The item with its photos copied into the app's own files; a photo that cannot be copied stays where it was. */
export function keepFiles(item: QueuedCommand): QueuedCommand {
  const command = item.command;
  if (command.type !== 'activity.log' || !command.req.photos?.length) return item;
  const fs = wx.getFileSystemManager();
  const photos = command.req.photos.map((src, i) => {
    if (src.startsWith(keptDir())) return src;
    try {
      ensureDir(fs);
      const dest = `${keptDir()}/${item.key}.p${i}${extensionOf(src)}`;
      fs.copyFileSync(src, dest);
      return dest;
    } catch (err) {
      console.warn('[offline-queue] could not keep a photo; it stays a temp file', err);
      return src;
    }
  });
  return { ...item, command: { ...command, req: { ...command.req, photos } } };
}

/** Removes the copies `keepFiles` made for an item the queue is done with. */
export function releaseFiles(item: QueuedCommand): void {
  const command = item.command;
  if (command.type !== 'activity.log') return;
  const fs = wx.getFileSystemManager();
  for (const path of command.req.photos ?? []) {
    if (!path.startsWith(keptDir())) continue;
    try {
      fs.unlinkSync(path);
    } catch {
      /* already gone */
    }
  }
}
