import { Router } from 'express';
import { actorOf, idempotencyOf } from '../../core/http.js';
import { parse } from '../../core/validate.js';
import { SettingsPatch, SettingsQuery } from './team-settings.schemas.js';
import type { TeamSettingsService } from './team-settings.service.js';

export function teamSettingsRoutes(settings: TeamSettingsService): Router {
  const r = Router();
  r.get('/team/settings', async (req, res) => {
    const { teamId } = parse(SettingsQuery, req.query, 'query');
    res.json({ settings: await settings.get(actorOf(res), teamId) });
  });
  r.patch('/team/settings', async (req, res) => {
    const patch = parse(SettingsPatch, req.body, 'settings');
    res.json({ settings: await settings.update(actorOf(res), patch, idempotencyOf(req, patch)) });
  });
  return r;
}
