import busboy from 'busboy';
import type { Request } from 'express';
import { refused } from './import.reader.js';

export const MAX_UPLOAD_BYTES = 5 * 1024 * 1024;
/** Room for the multipart framing around the file: boundaries, part headers, a few small fields. */
const FRAMING_BYTES = 64 * 1024;

export interface Upload {
  fileName: string;
  bytes: Buffer;
  fields: Record<string, string>;
}

const tooLarge = (maxBytes: number) =>
  refused('too_large', `The file is larger than ${maxBytes / 1024 / 1024} MB: split it into smaller files; nothing was imported`, {
    limit: maxBytes,
  });

/**
 * The one file of a multipart upload (field `file`), held in memory up to `maxBytes`. A larger body
 * is refused as soon as that is known: from its Content-Length before a byte is read, else when the
 * file passes the limit; what follows is never kept.
 */
export function readUpload(req: Request, maxBytes = MAX_UPLOAD_BYTES): Promise<Upload> {
  if (!/^multipart\/form-data/i.test(req.get('content-type') ?? '')) {
    return Promise.reject(refused('no_file', 'Send the spreadsheet as multipart/form-data in the field "file"'));
  }
  const declared = Number(req.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes + FRAMING_BYTES) return Promise.reject(tooLarge(maxBytes));
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: req.headers,
        defParamCharset: 'utf8',
        limits: { fileSize: maxBytes, files: 1, fields: 10, fieldSize: 1024, parts: 12 },
      });
    } catch {
      reject(refused('no_file', 'The upload could not be read: send it as multipart/form-data with a boundary'));
      return;
    }
    const chunks: Buffer[] = [];
    const fields: Record<string, string> = {};
    let fileName: string | null = null;
    let settled = false;
    const fail = (err: Error) => {
      if (settled) return;
      settled = true;
      req.unpipe(parser);
      reject(err);
    };
    parser.on('file', (name, stream, info) => {
      if (name !== 'file' || fileName !== null) {
        stream.resume();
        return;
      }
      fileName = (info.filename || 'upload').slice(0, 255);
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('limit', () => fail(tooLarge(maxBytes)));
    });
    parser.on('field', (name, value) => {
      fields[name] = value;
    });
    parser.on('error', () => fail(refused('no_file', 'The upload could not be read: the multipart body is broken')));
    parser.on('close', () => {
      if (settled) return;
      settled = true;
      if (fileName === null) reject(refused('no_file', 'No file in the upload: send it in the field "file"'));
      else resolve({ fileName, bytes: Buffer.concat(chunks), fields });
    });
    req.pipe(parser);
  });
}
