import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { later, settle } from './callbacks';
import type { Callbacks, ErrorReporter } from './callbacks';

/** What one offscreen canvas was asked to draw, and the file it was saved to. */
export interface Drawing {
  width: number;
  height: number;
  /** the sources of the images drawn on it, in order */
  images: string[];
  /** the text drawn on it, in order */
  texts: string[];
  rects: number;
  /** the temp file wx.canvasToTempFilePath wrote, once saved */
  output?: string;
}

export interface CanvasLog {
  drawings: Drawing[];
}

/** An image's size from its header: PNG's IHDR, or a JPEG's start-of-frame marker. */
export function imageSize(bytes: Buffer): { width: number; height: number } | null {
  if (bytes.subarray(0, 8).toString('hex') === '89504e470d0a1a0a') return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
  if (bytes[0] !== 0xff || bytes[1] !== 0xd8) return null;
  for (let i = 2; i + 9 < bytes.length;) {
    if (bytes[i] !== 0xff) return null;
    const marker = bytes[i + 1]!;
    if (marker >= 0xc0 && marker <= 0xc3) return { width: bytes.readUInt16BE(i + 7), height: bytes.readUInt16BE(i + 5) };
    i += 2 + bytes.readUInt16BE(i + 2);
  }
  return null;
}

/**
 * wx.createOffscreenCanvas (2d), wx.getImageInfo and wx.canvasToTempFilePath without a rasterizer:
 * the canvas records what it is asked to draw (a test reads it in `drawings`), and the saved file is
 * a copy of the image drawn on it (its own format), so what goes up is still a real photo.
 */
export function canvasApi(report: ErrorReporter, log: CanvasLog) {
  let dir: string | null = null;
  const tempDir = () => (dir ??= mkdtempSync(join(tmpdir(), 'wx-canvas-')));
  let count = 0;
  const canvases = new WeakMap<object, Drawing>();

  function createOffscreenCanvas(o: { type: '2d'; width: number; height: number }) {
    const drawing: Drawing = { width: o.width, height: o.height, images: [], texts: [], rects: 0 };
    log.drawings.push(drawing);
    const ctx = {
      fillStyle: '',
      font: '',
      drawImage: (img: { src: string }) => drawing.images.push(img.src),
      fillRect: () => {
        drawing.rects += 1;
      },
      fillText: (text: string) => drawing.texts.push(text),
    };
    const canvas = {
      width: o.width,
      height: o.height,
      getContext: (type: string) => (type === '2d' ? ctx : null),
      createImage: () => {
        const image = { onload: null as (() => void) | null, onerror: null as (() => void) | null, _src: '' };
        return Object.defineProperty(image, 'src', {
          get: () => image._src,
          set: (src: string) => {
            image._src = src;
            later(() => (existsSync(src) ? image.onload?.() : image.onerror?.()));
          },
        });
      },
    };
    canvases.set(canvas, drawing);
    return canvas;
  }

  const api = {
    createOffscreenCanvas,
    getImageInfo: (o: { src: string } & Callbacks<{ width: number; height: number; path: string; errMsg: string }>) =>
      new Promise((resolve) =>
        later(() => {
          const size = existsSync(o.src) ? imageSize(readFileSync(o.src)) : null;
          resolve(
            settle(
              o,
              report,
              'getImageInfo',
              size ? { ok: true, res: { ...size, path: o.src, errMsg: 'getImageInfo:ok' } } : { ok: false, errMsg: 'getImageInfo:fail' },
            ),
          );
        }),
      ),
    canvasToTempFilePath: (o: { canvas: object } & Callbacks<{ tempFilePath: string; errMsg: string }>) =>
      new Promise((resolve) =>
        later(() => {
          const drawing = canvases.get(o.canvas);
          const source = drawing?.images.at(-1);
          if (!drawing || !source)
            return resolve(settle(o, report, 'canvasToTempFilePath', { ok: false, errMsg: 'canvasToTempFilePath:fail' }));
          const tempFilePath = join(tempDir(), `canvas_${++count}${extname(source)}`);
          copyFileSync(source, tempFilePath);
          drawing.output = tempFilePath;
          resolve(settle(o, report, 'canvasToTempFilePath', { ok: true, res: { tempFilePath, errMsg: 'canvasToTempFilePath:ok' } }));
        }),
      ),
  };
  return {
    api,
    cleanup: () => {
      if (dir) rmSync(dir, { recursive: true, force: true });
      dir = null;
    },
  };
}
