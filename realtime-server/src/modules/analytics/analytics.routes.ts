import { Router } from 'express';
import { actorOf } from '../../core/http.js';
import { parse } from '../../core/validate.js';
import { AnalyticsQuery, PipelineAnalyticsQuery, ReportBody } from './analytics.schemas.js';
import type { AnalyticsService } from './analytics.service.js';

export function analyticsRoutes(analytics: AnalyticsService): Router {
  const r = Router();
  r.get('/analytics/sales', async (req, res) => {
    res.json(await analytics.sales(actorOf(res), parse(AnalyticsQuery, req.query, 'query')));
  });
  r.get('/analytics/pipeline', async (req, res) => {
    res.json(await analytics.pipeline(actorOf(res), parse(PipelineAnalyticsQuery, req.query, 'query')));
  });
  r.get('/analytics/customers', async (req, res) => {
    res.json(await analytics.customers(actorOf(res), parse(AnalyticsQuery, req.query, 'query')));
  });
  r.get('/analytics/activities', async (req, res) => {
    res.json(await analytics.activities(actorOf(res), parse(AnalyticsQuery, req.query, 'query')));
  });
  r.get('/analytics/teams', async (_req, res) => {
    res.json(await analytics.teams(actorOf(res)));
  });
  r.post('/reports/generate', async (req, res) => {
    res.json(await analytics.report(actorOf(res), parse(ReportBody, req.body, 'report')));
  });
  return r;
}
