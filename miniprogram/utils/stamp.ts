import { formatDateTime } from './format';

/**
 * A visit photo with when and where drawn on it (拜访水印), on an offscreen 2d canvas on the phone, so
 * the stamp is part of the picture the team sees. Where the base library has no offscreen canvas
 * (old WeChat, the test runtime), the photo goes as it was taken.
 */
export async function stampPhoto(path: string, place: string, now = Date.now()): Promise<string> {
  const make = (wx as unknown as { createOffscreenCanvas?: (o: { type: '2d'; width: number; height: number }) => OffscreenCanvasLike })
    .createOffscreenCanvas;
  if (typeof make !== 'function') return path;
  try {
    const info = await new Promise<{ width: number; height: number }>((resolve, reject) =>
      wx.getImageInfo({ src: path, success: resolve, fail: reject }),
    );
    const canvas = make({ type: '2d', width: info.width, height: info.height });
    const image = canvas.createImage();
    await new Promise<void>((resolve, reject) => {
      image.onload = () => resolve();
      image.onerror = () => reject(new Error('image'));
      image.src = path;
    });
    const ctx = canvas.getContext('2d');
    ctx.drawImage(image, 0, 0, info.width, info.height);
    const size = Math.max(18, Math.round(info.width / 28));
    const band = size * 3.2;
    ctx.fillStyle = 'rgba(0, 0, 0, 0.45)';
    ctx.fillRect(0, info.height - band, info.width, band);
    ctx.fillStyle = '#ffffff';
    ctx.font = `${size}px sans-serif`;
    ctx.fillText(formatDateTime(new Date(now).toISOString()), size * 0.8, info.height - band + size * 1.3);
    ctx.fillText(place, size * 0.8, info.height - band + size * 2.6);
    return await new Promise<string>((resolve, reject) =>
      wx.canvasToTempFilePath({
        canvas,
        fileType: 'jpg',
        quality: 0.8,
        success: (r: { tempFilePath: string }) => resolve(r.tempFilePath),
        fail: reject,
      } as never),
    );
  } catch {
    return path;
  }
}

interface OffscreenCanvasLike {
  createImage(): { onload: (() => void) | null; onerror: (() => void) | null; src: string };
  getContext(type: '2d'): {
    drawImage(img: unknown, x: number, y: number, w: number, h: number): void;
    fillRect(x: number, y: number, w: number, h: number): void;
    fillText(text: string, x: number, y: number): void;
    fillStyle: string;
    font: string;
  };
}
