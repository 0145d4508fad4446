import { createHash } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { assertManager } from '../../core/actor.js';
import { actorOf, idParam, idempotencyOf } from '../../core/http.js';
import { parse } from '../../core/validate.js';
import { XLSX_CONTENT_TYPE } from '../export/export.service.js';
import type { ImportService } from './import.service.js';
import { buildTemplate, TEMPLATE_FILE_NAME } from './import.template.js';
import { readUpload } from './import.upload.js';

const UploadFields = z.object({
  teamId: z.coerce.number().int().positive().max(2_147_483_647).optional(),
});

const ApplyBody = z.object({
  duplicates: z.enum(['skip', 'merge'], { error: 'duplicates must be "skip" or "merge"' }),
  toPool: z.boolean().optional(),
});

/** A refusal sent before the body was read closes the connection, so the rest of a large upload is never taken in. */
async function answering(req: Request, res: Response, run: () => Promise<void>): Promise<void> {
  try {
    await run();
  } catch (err) {
    if (!req.complete) res.set('Connection', 'close');
    throw err;
  }
}

export function importRoutes(imports: ImportService): Router {
  const r = Router();
  let template: Promise<Buffer> | null = null;

  r.get('/imports/template', async (_req, res) => {
    template ??= buildTemplate().catch((err: unknown) => {
      template = null;
      throw err;
    });
    const body = await template;
    res
      .status(200)
      .set({
        'Content-Type': XLSX_CONTENT_TYPE,
        'Content-Disposition': `attachment; filename="customers-template.xlsx"; filename*=UTF-8''${encodeURIComponent(TEMPLATE_FILE_NAME)}`,
        'Cache-Control': 'no-store',
      })
      .send(body);
  });

  r.post('/imports', (req, res) =>
    answering(req, res, async () => {
      const actor = actorOf(res);
      assertManager(actor);
      const upload = await readUpload(req);
      const { teamId } = parse(UploadFields, upload.fields, 'upload');
      const file = { fileName: upload.fileName, bytes: upload.bytes, ...(teamId ? { teamId } : {}) };
      // The key is bound to the file's bytes, its name and the team, not to how the multipart was framed.
      const sha256 = createHash('sha256').update(upload.bytes).digest('hex');
      const accepted = await imports.start(actor, file, idempotencyOf(req, { sha256, fileName: upload.fileName, teamId: teamId ?? null }));
      res.status(202).json(accepted);
    }),
  );

  r.get('/imports/:id', async (req, res) => {
    res.json(await imports.get(actorOf(res), idParam(req)));
  });

  r.post('/imports/:id/apply', async (req, res) => {
    const input = parse(ApplyBody, req.body, 'apply');
    const id = idParam(req);
    res.json(await imports.apply(actorOf(res), id, input, idempotencyOf(req, { id, ...input })));
  });
  return r;
}
