import busboy from 'busboy';
import type { Request } from 'express';
import type { AttachmentMime } from '@live-crm/shared-types';
import { AppError } from '../../core/app-error.js';

/** ARCHITECTURE 9.3: at most 10 MB a photo. */
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

export interface Upload {
  mime: AttachmentMime;
  data: Buffer;
}

/** The type a file's first bytes prove, whatever its name or declared type says; null for anything else. */
export function sniffImage(head: Buffer): AttachmentMime | null {
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'image/jpeg';
  if (head.length >= 8 && head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (head.length >= 12 && head.toString('latin1', 0, 4) === 'RIFF' && head.toString('latin1', 8, 12) === 'WEBP') return 'image/webp';
  return null;
}

const tooLarge = () => new AppError('payload_too_large', 'A photo may be at most 10 MB; compress it and try again');

/**
 * Reads the one `file` field of a `multipart/form-data` body (what `wx.uploadFile` sends). The body
 * is always read to its end, so the refusal (400 or 413) reaches the client rather than a reset.
 */
export function readUpload(req: Request, maxBytes = MAX_ATTACHMENT_BYTES): Promise<Upload> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: req.headers, limits: { files: 1, fileSize: maxBytes + 1, fields: 20, fieldSize: 1024 } });
    } catch {
      req.resume();
      reject(new AppError('validation', 'Send the photo as multipart/form-data with the field "file"'));
      return;
    }
    const chunks: Buffer[] = [];
    let found = false;
    let truncated = false;
    let failed: AppError | null = null;
    parser.on('file', (field, stream) => {
      if (field !== 'file' || found) {
        stream.resume();
        return;
      }
      found = true;
      stream.on('data', (chunk: Buffer) => {
        if (!truncated) chunks.push(chunk);
      });
      stream.on('limit', () => {
        truncated = true;
        chunks.length = 0;
      });
    });
    parser.on('error', () => {
      failed ??= new AppError('validation', 'The upload could not be read as multipart/form-data');
      req.unpipe(parser);
      req.resume();
      req.once('end', () => reject(failed));
    });
    parser.on('close', () => {
      if (failed) return;
      if (truncated) return reject(tooLarge());
      if (!found) return reject(new AppError('validation', 'No photo: send it in the field "file"'));
      const data = Buffer.concat(chunks);
      // busboy stops one byte past the limit: exactly 10 MB passes, a byte more does not.
      if (data.length > maxBytes) return reject(tooLarge());
      if (data.length === 0) return reject(new AppError('validation', 'The photo is empty'));
      const mime = sniffImage(data.subarray(0, 12));
      if (!mime) return reject(new AppError('validation', 'Only JPEG, PNG or WebP photos can be attached'));
      resolve({ mime, data });
    });
    req.pipe(parser);
  });
}
