import { AppError } from '../../core/app-error.js';

export interface WechatConfig { appId: string | undefined; secret: string | undefined; apiBase: string }

export interface Code2SessionResult { openId: string; unionId?: string }

/** WeChat server API; `apiBase` points at a local server in tests. */
export function createWechatClient(config: WechatConfig) {
  async function call(path: string, init?: RequestInit): Promise<Record<string, unknown>> {
    let res: Response;
    try {
      res = await fetch(new URL(path, config.apiBase), { ...init, signal: AbortSignal.timeout(5000) });
    } catch {
      throw new AppError('unavailable', 'WeChat is not reachable right now; please retry');
    }
    const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
    if (!res.ok) throw new AppError('unavailable', `WeChat answered HTTP ${res.status}`);
    return body;
  }

  return {
    /** Exchanges a wx.login code; the session_key stays here and is never returned. */
    async code2Session(code: string): Promise<Code2SessionResult> {
      if (!config.appId || !config.secret) throw new AppError('unavailable', 'WeChat login is not configured on this server');
      const q = new URLSearchParams({ appid: config.appId, secret: config.secret, js_code: code, grant_type: 'authorization_code' });
      const body = await call(`/sns/jscode2session?${q}`);
      if (typeof body['errcode'] === 'number' && body['errcode'] !== 0) {
        throw new AppError('unauthorized', 'The WeChat login code is invalid or expired');
      }
      if (typeof body['openid'] !== 'string') throw new AppError('unavailable', 'WeChat answered without an openid');
      return typeof body['unionid'] === 'string' ? { openId: body['openid'], unionId: body['unionid'] } : { openId: body['openid'] };
    },
    call,
  };
}

export type WechatClient = ReturnType<typeof createWechatClient>;
