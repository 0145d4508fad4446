import { Router, type Response } from 'express';
import type { Logger } from 'pino';
import { actorOf } from '../../core/http.js';
import { parse } from '../../core/validate.js';
import { DownloadQuery, ExportBody } from './export.schemas.js';
import type { DownloadGate } from '../../core/download-gate.js';
import type { ExportFile, ExportService } from './export.service.js';

/**
 * Behind bearer auth: answers a short-lived signed link to the spreadsheet, built on the configured
 * public URL, never on the request's Host (a forged Host would send the link somewhere else).
 */
export function exportRoutes(exports: ExportService, publicUrl: () => string): Router {
  const r = Router();
  r.post('/export', async (req, res) => {
    const input = parse(ExportBody, req.body, 'export');
    res.json(await exports.createLink(actorOf(res), input, publicUrl()));
  });
  return r;
}

/**
 * `GET /api/crm/export/download?token=`: opened by `wx.downloadFile`, which cannot send an
 * Authorization header, so the signature alone authenticates it. Mount it before the bearer-auth router.
 */
export function exportDownloadRoutes(exports: ExportService, gate: DownloadGate, logger: Logger): Router {
  const r = Router();
  r.get('/api/crm/export/download', async (req, res) => {
    const { token } = parse(DownloadQuery, req.query, 'query');
    const claims = exports.verify(token);
    // The signed link's user pays for it: rate limit and a few downloads at a time.
    const release = await gate.admit(claims.userId, res);
    try {
      await send(await exports.open(claims), res, logger);
    } finally {
      release();
    }
  });
  return r;
}

async function send(file: ExportFile, res: Response, logger: Logger): Promise<void> {
  res.status(200).set({
    'Content-Type': file.contentType,
    'Content-Disposition': `attachment; filename="${file.filename}"`,
    'Cache-Control': 'no-store',
  });
  try {
    await file.write(res);
  } catch (err) {
    // Bytes are already on the wire: the only honest signal left is a cut connection.
    logger.warn({ err }, 'export stream aborted');
    res.destroy();
  }
}
