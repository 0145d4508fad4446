import { createHash } from 'node:crypto';
import { Router } from 'express';
import { AppError } from '../../core/app-error.js';
import { actorOf, idParam, idempotencyOf } from '../../core/http.js';
import type { AttachmentService } from './attachment.service.js';
import { MAX_ATTACHMENT_BYTES, readUpload } from './attachment.upload.js';

/** A body declared this far past the limit is refused before it is read. */
const DECLARED_SLACK = 1024 * 1024;

export function attachmentRoutes(attachments: AttachmentService): Router {
  const r = Router();
  r.post('/attachments', async (req, res) => {
    const declared = Number(req.get('content-length') ?? 0);
    if (declared > MAX_ATTACHMENT_BYTES + DECLARED_SLACK) {
      res.set('Connection', 'close');
      throw new AppError('payload_too_large', 'A photo may be at most 10 MB; compress it and try again');
    }
    const file = await readUpload(req);
    // The photo's bytes are the request: a retry of the same bytes under one key is one photo.
    const idem = idempotencyOf(req, { mime: file.mime, size: file.data.length, sha: createHash('sha256').update(file.data).digest('hex') });
    res.status(201).json({ attachment: await attachments.upload(actorOf(res), file, idem) });
  });
  r.get('/attachments/:id', async (req, res) => {
    const file = await attachments.open(actorOf(res), idParam(req));
    res
      .status(200)
      .set({ 'Content-Type': file.mime, 'Content-Length': String(file.data.length), 'Cache-Control': 'private, max-age=86400' })
      .end(file.data);
  });
  return r;
}
