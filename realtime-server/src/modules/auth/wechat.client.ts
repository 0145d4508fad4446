import { AppError } from '../../core/app-error.js';

export interface WechatConfig {
  appId: string | undefined;
  secret: string | undefined;
  apiBase: string;
}

export interface Code2SessionResult {
  openId: string;
  unionId?: string;
}

/** `subscribeMessage.send` body: `data` keys are the template's fields (`thing1`, `time2`, ...). */
export interface SubscribeMessage {
  toUser: string;
  templateId: string;
  page?: string;
  data: Record<string, { value: string }>;
}

/** WeChat answered with an errcode; `code` lets callers tell a refused user from an outage. */
export class WechatApiError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(`WeChat errcode ${code}: ${message}`);
    this.name = 'WechatApiError';
  }
}

// Token invalid or expired (40001, 40014, 42001): fetch a fresh one and retry once.
const STALE_TOKEN = new Set([40001, 40014, 42001]);
// Renew a little before WeChat's expiry so an in-flight send never carries a just-expired token.
const TOKEN_MARGIN_MS = 5 * 60_000;

/** WeChat server API; `apiBase` points at a local server in tests. */
export function createWechatClient(config: WechatConfig) {
  let token: { value: string; until: number } | null = null;
  let pending: Promise<string> | null = null;

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
    /** Server-to-server calls (access token, subscription messages) need the app id and secret. */
    canSend: Boolean(config.appId && config.secret),
    getAccessToken,

    /** `subscribeMessage.send`; throws WechatApiError on an errcode, AppError when unreachable. */
    async sendSubscribeMessage(msg: SubscribeMessage): Promise<void> {
      const body = JSON.stringify({
        touser: msg.toUser,
        template_id: msg.templateId,
        data: msg.data,
        lang: 'zh_CN',
        ...(msg.page ? { page: msg.page } : {}),
      });
      for (let attempt = 0; ; attempt++) {
        const accessToken = await getAccessToken();
        const res = await call(`/cgi-bin/message/subscribe/send?access_token=${encodeURIComponent(accessToken)}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        });
        const code = typeof res['errcode'] === 'number' ? res['errcode'] : 0;
        if (code === 0) return;
        if (STALE_TOKEN.has(code) && attempt === 0) {
          // Forget only the token WeChat refused: a concurrent send may already hold a newer one.
          if (token?.value === accessToken) token = null;
          continue;
        }
        throw new WechatApiError(code, String(res['errmsg'] ?? 'unknown error'));
      }
    },
  };

  /** Server access token, cached until shortly before it expires; concurrent callers share one fetch. */
  async function getAccessToken(): Promise<string> {
    if (token && token.until > Date.now()) return token.value;
    pending ??= fetchToken().finally(() => {
      pending = null;
    });
    return pending;
  }

  /**
   * `stable_token`, not `/cgi-bin/token`: every node asking gets the same token while it is valid,
   * where each `/cgi-bin/token` call would invalidate the token the other nodes hold. No
   * force_refresh: that too would invalidate the other nodes' copy.
   */
  async function fetchToken(): Promise<string> {
    if (!config.appId || !config.secret) throw new AppError('unavailable', 'WeChat is not configured on this server');
    const body = await call('/cgi-bin/stable_token', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'client_credential', appid: config.appId, secret: config.secret, force_refresh: false }),
    });
    if (typeof body['access_token'] !== 'string') {
      throw new WechatApiError(Number(body['errcode'] ?? -1), String(body['errmsg'] ?? 'no access_token'));
    }
    // A stable token may be handed out late in its life: expires_in is what is left of it.
    const ttlMs = Number(body['expires_in'] ?? 7200) * 1000;
    token = { value: body['access_token'], until: Date.now() + Math.max(ttlMs - TOKEN_MARGIN_MS, ttlMs / 2) };
    return token.value;
  }
}

export type WechatClient = ReturnType<typeof createWechatClient>;
