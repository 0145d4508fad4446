import { deflateSync } from 'node:zlib';

// A visit photo for the demo: a small PNG drawn here (a shelf row under a warm sky), uploaded through
// the attachment service like a phone's photo, so the timeline's thumbnails are the product's own.

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** A 240 x 180 RGB PNG; `hue` (0..5) varies the sky so each visit's photo differs. */
export function demoPhoto(hue: number): Buffer {
  const w = 240;
  const h = 180;
  const sky: [number, number, number] = [
    [120, 170, 230],
    [240, 180, 120],
    [150, 210, 180],
    [200, 160, 220],
    [230, 210, 140],
    [140, 190, 210],
  ][hue % 6] as [number, number, number];
  const raw = Buffer.alloc((w * 3 + 1) * h);
  for (let y = 0; y < h; y++) {
    const row = y * (w * 3 + 1);
    raw[row] = 0;
    for (let x = 0; x < w; x++) {
      const shelf = y > 80 && (y % 30 < 4 || x % 60 < 4);
      const box = y > 80 && !shelf && ((x >> 4) + (y >> 4) + hue) % 3 === 0;
      const shade = 1 - y / (h * 2);
      const [r, g, b] = shelf ? [90, 90, 100] : box ? [190, 140, 80] : y > 80 ? [225, 225, 220] : sky.map((c) => Math.round(c * shade));
      raw.set([r!, g!, b!], row + 1 + x * 3);
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(w, 0);
  header.writeUInt32BE(h, 4);
  header.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
