import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { actorOf } from '../../core/http.js';
import { parse } from '../../core/validate.js';
import type { AuthService } from './auth.service.js';

const DevLogin = z.object({ login: z.string().trim().min(1).max(64) });
const WechatLogin = z.object({ code: z.string().trim().min(1).max(256) });

/** Public routes: sign in. */
export function authRoutes(auth: AuthService): Router {
  const r = Router();
  r.post('/dev-login', async (req, res) => {
    res.json(await auth.devLogin(parse(DevLogin, req.body, 'login').login));
  });
  r.get('/dev-logins', (_req, res) => {
    res.json(auth.devLogins());
  });
  r.post('/wechat-login', async (req, res) => {
    res.json(await auth.wechatLogin(parse(WechatLogin, req.body, 'login').code));
  });
  return r;
}

/** Resolves the bearer token to an actor for every route behind it. */
export function requireAuth(auth: AuthService): RequestHandler {
  return async (req, res, next) => {
    const header = req.get('Authorization') ?? '';
    // RFC 7235: the scheme name is case-insensitive.
    const match = /^bearer +(\S+)$/i.exec(header);
    res.locals['actor'] = await auth.authenticate(match?.[1]);
    next();
  };
}

export function meRoutes(auth: AuthService): Router {
  const r = Router();
  r.get('/', async (_req, res) => {
    res.json(await auth.me(actorOf(res)));
  });
  return r;
}
