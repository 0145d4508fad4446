import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export const FAKE_APPID = 'wx-test-appid';
export const FAKE_SECRET = 'wx-test-secret';

export interface SentMessage {
  touser: string;
  template_id: string;
  page?: string;
  data: Record<string, { value: string }>;
  accessToken: string;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

const reply = (res: ServerResponse, body: unknown) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));

const credentialsOk = (grantType: unknown, appid: unknown, secret: unknown): boolean =>
  grantType === 'client_credential' && appid === FAKE_APPID && secret === FAKE_SECRET;

/**
 * The WeChat server API as far as reminders use it, with WeChat's token rules:
 * - `GET /cgi-bin/token` mints a new token and the previous one stops working (WeChat keeps the old
 *   one a few minutes; here at once, so a node that kills another's token shows up immediately);
 * - `POST /cgi-bin/stable_token` answers the current stable token while it is valid and mints a new
 *   one only when it expired or `force_refresh` is true; its tokens are apart from `/cgi-bin/token`'s;
 * - `subscribeMessage.send` with an invalid token answers errcode 40001, with an expired one 42001.
 * Records every message; can expire every token or refuse users (errcode 43101).
 */
export async function startFakeWechat() {
  const sent: SentMessage[] = [];
  const refused = new Set<string>();
  const expired = new Set<string>();
  let plain: string | null = null;
  let stable: string | null = null;
  let issued = 0;
  let rejected = 0;

  const mint = (kind: string): string => `${kind}-token-${++issued}`;

  function tokenGet(url: URL, res: ServerResponse) {
    const q = url.searchParams;
    if (!credentialsOk(q.get('grant_type'), q.get('appid'), q.get('secret')))
      return reply(res, { errcode: 40125, errmsg: 'invalid appsecret' });
    plain = mint('plain');
    return reply(res, { access_token: plain, expires_in: 7200 });
  }

  async function stableToken(req: IncomingMessage, res: ServerResponse) {
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(await readBody(req)) as Record<string, unknown>;
    } catch {
      return reply(res, { errcode: 47001, errmsg: 'data format error' });
    }
    if (!credentialsOk(body['grant_type'], body['appid'], body['secret']))
      return reply(res, { errcode: 40125, errmsg: 'invalid appsecret' });
    if (body['force_refresh'] === true || stable === null || expired.has(stable)) stable = mint('stable');
    return reply(res, { access_token: stable, expires_in: 7200 });
  }

  async function send(url: URL, req: IncomingMessage, res: ServerResponse) {
    const accessToken = url.searchParams.get('access_token') ?? '';
    const text = await readBody(req);
    if (expired.has(accessToken)) {
      rejected++;
      return reply(res, { errcode: 42001, errmsg: 'access_token expired' });
    }
    if (accessToken !== plain && accessToken !== stable) {
      rejected++;
      return reply(res, { errcode: 40001, errmsg: 'invalid credential, access_token is invalid or not latest' });
    }
    const msg = JSON.parse(text) as Omit<SentMessage, 'accessToken'>;
    if (refused.has(msg.touser)) return reply(res, { errcode: 43101, errmsg: 'user refuse to accept the msg' });
    sent.push({ ...msg, accessToken });
    return reply(res, { errcode: 0, errmsg: 'ok' });
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method === 'GET' && url.pathname === '/cgi-bin/token') return tokenGet(url, res);
    if (req.method === 'POST' && url.pathname === '/cgi-bin/stable_token') return void stableToken(req, res);
    if (req.method === 'POST' && url.pathname === '/cgi-bin/message/subscribe/send') return void send(url, req, res);
    return res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    sent,
    /** Access tokens minted so far, by either endpoint. */
    tokensIssued: () => issued,
    /** Sends refused for an invalid or expired token (errcode 40001 or 42001). */
    rejectedSends: () => rejected,
    /** Every token issued so far expires, as two hours after it was fetched. */
    expireTokens: () => {
      for (const t of [plain, stable]) if (t) expired.add(t);
    },
    refuse: (openId: string) => refused.add(openId),
    /** The environment a node needs to talk to this server. */
    env: (templateId: string): Record<string, string> => ({
      WECHAT_API_BASE: `http://127.0.0.1:${port}`,
      WECHAT_APPID: FAKE_APPID,
      WECHAT_SECRET: FAKE_SECRET,
      WECHAT_REMINDER_TEMPLATE_ID: templateId,
    }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type FakeWechat = Awaited<ReturnType<typeof startFakeWechat>>;
