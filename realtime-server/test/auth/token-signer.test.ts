import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import jwt from 'jsonwebtoken';
import { createTokenSigner } from '../../src/modules/auth/jwt.js';

// verify() remembers tokens it has checked; remembering must never outlive exp or admit a forgery.
const SECRET = 'a-test-secret-that-is-long-enough-for-hs256-0123';
const signer = createTokenSigner(SECRET);
const nowSec = (): number => Math.floor(Date.now() / 1000);

describe('token signer', () => {
  it('answers the same claims for a token it has already verified', () => {
    const token = signer.sign(7, 3);
    expect(signer.verify(token)).toMatchObject({ sub: '7', tid: 3 });
    expect(signer.verify(token)).toMatchObject({ sub: '7', tid: 3 });
  });

  it('refuses a remembered token once it expires', async () => {
    // exp is whole seconds after a floored iat: 2 s leaves at least 1 s to verify it first.
    const token = signer.sign(8, 3, 2);
    expect(signer.verify(token)).toMatchObject({ sub: '8', tid: 3 });
    await sleep(2100);
    expect(signer.verify(token)).toBeNull();
  });

  it('refuses a forged token even after the genuine one was verified', () => {
    const token = signer.sign(9, 3);
    expect(signer.verify(token)).not.toBeNull();
    const [head, , sig] = token.split('.');
    const forged = `${head}.${Buffer.from(JSON.stringify({ tid: 4, sub: '9', exp: 9_999_999_999 })).toString('base64url')}.${sig}`;
    expect(signer.verify(forged)).toBeNull();
    expect(createTokenSigner('another-secret-that-is-long-enough-for-hs256-xyz').verify(token)).toBeNull();
  });

  it('refuses a correctly signed token that never expires', () => {
    const token = jwt.sign({ tid: 3, sub: '7', iat: nowSec() }, SECRET, { algorithm: 'HS256' });
    expect(signer.verify(token)).toBeNull();
  });

  it('refuses a correctly signed token whose user id is not written the one way sign writes it', () => {
    for (const sub of ['01', '1.0', ' 1', '1 ', '+1', '1e0', '0x1', '0', '-1', '2147483648', '']) {
      const token = jwt.sign({ tid: 3, sub, exp: nowSec() + 600 }, SECRET, { algorithm: 'HS256' });
      expect(signer.verify(token), JSON.stringify(sub)).toBeNull();
    }
    expect(signer.verify(jwt.sign({ tid: 3, sub: '2147483647', exp: nowSec() + 600 }, SECRET, { algorithm: 'HS256' }))).toMatchObject({
      sub: '2147483647',
    });
  });
});
