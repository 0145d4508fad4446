import type { Writable } from 'node:stream';
import { AppError } from '../../core/app-error.js';

/** The parts of a writable stream pacing needs; exceljs's zip input is a readable-stream v2 PassThrough. */
interface Drainable {
  destroyed?: boolean;
  writableNeedDrain?: boolean;
  _writableState?: { needDrain?: boolean };
  once(event: string, fn: () => void): unknown;
  off(event: string, fn: () => void): unknown;
}

const needsDrain = (s: Drainable): boolean => s.writableNeedDrain ?? s._writableState?.needDrain ?? false;

/**
 * exceljs's streaming sheet (a StreamBuf) writes its XML into the zip's input stream without heeding
 * that stream's backpressure, so when compression is the slow part the XML piles up there. This finds
 * that input (`sheet.stream.pipes[0]`) so the writer can pace on it; null if exceljs ever changes shape.
 */
export function zipInputOf(sheet: unknown): Drainable | null {
  const input = (sheet as { stream?: { pipes?: unknown[] } }).stream?.pipes?.[0] as Drainable | undefined;
  return input && typeof input.once === 'function' && (input.writableNeedDrain !== undefined || input._writableState) ? input : null;
}

function drainOf(s: Drainable): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      for (const e of ['drain', 'close', 'error']) s.off(e, done);
      resolve();
    };
    for (const e of ['drain', 'close', 'error']) s.once(e, done);
  });
}

/**
 * Waits until both the zip input and the HTTP response have room, so at most about one batch of rows
 * is ever in flight however slow the client or the compression is. Throws once the client is gone.
 */
export async function paced(out: Writable, zipInput: Drainable | null): Promise<void> {
  for (const s of [zipInput, out as Drainable]) {
    if (out.destroyed) break;
    if (s && needsDrain(s)) await drainOf(s);
  }
  if (out.destroyed) throw new AppError('unavailable', 'The download was closed by the client');
}
