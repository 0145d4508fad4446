import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * WeChat's code2Session (`GET /sns/jscode2session`), the one WeChat server API a sign-in or a join
 * needs: a `wx.login` code `wx:<openid>` answers that openid, anything else errcode 40029 as WeChat
 * does for a bad or spent code. Counts the calls.
 */
export async function startFakeCode2Session() {
  let calls = 0;
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== '/sns/jscode2session') return void res.writeHead(404).end();
    calls++;
    const code = url.searchParams.get('js_code') ?? '';
    const openid = code.startsWith('wx:') ? code.slice(3) : null;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(openid ? { openid, session_key: 'secret-session-key' } : { errcode: 40029, errmsg: 'invalid code' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    calls: () => calls,
    /** The environment a node needs to send code2Session here. */
    env: { WECHAT_API_BASE: url, WECHAT_APPID: 'wx-test-appid', WECHAT_SECRET: 'wx-test-secret' } as Record<string, string>,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
