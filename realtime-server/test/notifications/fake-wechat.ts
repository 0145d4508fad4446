import { createServer, type IncomingMessage } from 'node:http';
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

/**
 * The WeChat server API as far as reminders use it: `cgi-bin/token` and `subscribeMessage.send`.
 * Records every message; can revoke tokens (errcode 40001) or refuse users (errcode 43101).
 */
export async function startFakeWechat() {
  const sent: SentMessage[] = [];
  const valid = new Set<string>();
  const refused = new Set<string>();
  let tokenFetches = 0;

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const reply = (body: unknown) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (req.method === 'GET' && url.pathname === '/cgi-bin/token') {
      const ok = url.searchParams.get('grant_type') === 'client_credential'
        && url.searchParams.get('appid') === FAKE_APPID && url.searchParams.get('secret') === FAKE_SECRET;
      if (!ok) return reply({ errcode: 40125, errmsg: 'invalid appsecret' });
      const token = `token-${++tokenFetches}`;
      valid.add(token);
      return reply({ access_token: token, expires_in: 7200 });
    }
    if (req.method === 'POST' && url.pathname === '/cgi-bin/message/subscribe/send') {
      const accessToken = url.searchParams.get('access_token') ?? '';
      void readBody(req).then((text) => {
        if (!valid.has(accessToken)) return reply({ errcode: 40001, errmsg: 'invalid credential, access_token is invalid' });
        const msg = JSON.parse(text) as Omit<SentMessage, 'accessToken'>;
        if (refused.has(msg.touser)) return reply({ errcode: 43101, errmsg: 'user refuse to accept the msg' });
        sent.push({ ...msg, accessToken });
        return reply({ errcode: 0, errmsg: 'ok' });
      });
      return undefined;
    }
    return res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    sent,
    tokenFetches: () => tokenFetches,
    /** Every issued token stops working, as when another process fetched a new one long ago. */
    revokeTokens: () => valid.clear(),
    refuse: (openId: string) => refused.add(openId),
    /** The environment a node needs to talk to this server. */
    env: (templateId: string): Record<string, string> => ({
      WECHAT_API_BASE: `http://127.0.0.1:${port}`, WECHAT_APPID: FAKE_APPID, WECHAT_SECRET: FAKE_SECRET,
      WECHAT_REMINDER_TEMPLATE_ID: templateId,
    }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type FakeWechat = Awaited<ReturnType<typeof startFakeWechat>>;
