import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signToken, verifyToken } from './token.js';

const SECRET = Buffer.from('0123456789abcdef0123456789abcdef0123456789abcdef');
const NOW = 1_750_000_000;
const CLAIMS = { sid: 'sess1', uid: 'user1', exp: NOW + 3600 };

// Signs any payload text the way signToken does, to reach the checks that come after the signature.
function forge(payloadText: string, secret = SECRET, prefix = 'tr1'): string {
  const payload = Buffer.from(payloadText).toString('base64url');
  const signature = createHmac('sha256', secret).update(`${prefix}.${payload}`).digest('base64url');
  return `${prefix}.${payload}.${signature}`;
}

function replaceAt(text: string, index: number, char: string): string {
  return text.slice(0, index) + char + text.slice(index + 1);
}

describe('signToken / verifyToken', () => {
  it('round-trips the claims', () => {
    const token = signToken(CLAIMS, SECRET);
    expect(token).toMatch(/^tr1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString())).toEqual(CLAIMS);
    expect(verifyToken(token, SECRET, NOW)).toEqual(CLAIMS);
  });

  it('agrees with an independent HMAC over "tr1.<payload>"', () => {
    const token = signToken(CLAIMS, SECRET);
    expect(token).toBe(forge(JSON.stringify(CLAIMS)));
  });

  it('refuses a token signed with another secret', () => {
    const token = signToken(CLAIMS, SECRET);
    expect(verifyToken(token, Buffer.from('another secret of enough length......'), NOW)).toBeNull();
    expect(verifyToken(token, Buffer.alloc(0), NOW)).toBeNull();
  });

  it('refuses a tampered payload', () => {
    const [prefix, , signature] = signToken(CLAIMS, SECRET).split('.');
    const payload = Buffer.from(JSON.stringify({ ...CLAIMS, uid: 'admin' })).toString('base64url');
    expect(verifyToken(`${prefix}.${payload}.${signature}`, SECRET, NOW)).toBeNull();
  });

  it('refuses a tampered signature, however small the change', () => {
    const token = signToken(CLAIMS, SECRET);
    const at = token.lastIndexOf('.') + 5;
    expect(verifyToken(replaceAt(token, at, token[at] === 'A' ? 'B' : 'A'), SECRET, NOW)).toBeNull();
    expect(verifyToken(token.slice(0, -1), SECRET, NOW)).toBeNull();
    expect(verifyToken(`${token.slice(0, token.lastIndexOf('.'))}.`, SECRET, NOW)).toBeNull();
  });

  it('refuses a non-canonical spelling of the signature', () => {
    const token = signToken(CLAIMS, SECRET);
    // The last of 43 characters carries 4 bits; changing its low 2 bits keeps the decoded bytes.
    const last = token.at(-1)!;
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const twin = alphabet[alphabet.indexOf(last) ^ 1]!;
    expect(Buffer.from(token.slice(-43, -1) + twin, 'base64url')).toEqual(Buffer.from(token.slice(-43), 'base64url'));
    expect(verifyToken(token.slice(0, -1) + twin, SECRET, NOW)).toBeNull();
  });

  it('refuses an expired token: exp equal to now is already expired', () => {
    const token = signToken({ ...CLAIMS, exp: NOW }, SECRET);
    expect(verifyToken(token, SECRET, NOW - 1)).not.toBeNull();
    expect(verifyToken(token, SECRET, NOW)).toBeNull();
    expect(verifyToken(token, SECRET, NOW + 1)).toBeNull();
  });

  it('refuses when the clock value is not a number', () => {
    const token = signToken(CLAIMS, SECRET);
    expect(verifyToken(token, SECRET, Number.NaN)).toBeNull();
    expect(verifyToken(token, SECRET, Number.NEGATIVE_INFINITY)).toBeNull();
  });

  it('refuses bad shapes and prefixes', () => {
    const token = signToken(CLAIMS, SECRET);
    const [, payload, signature] = token.split('.');
    for (const bad of [
      '',
      '.',
      '..',
      'tr1',
      `tr1.${payload}`,
      `tr1.${payload}.${signature}.`,
      `tr1.${payload}.${signature}.x`,
      `.${payload}.${signature}`,
      `TR1.${payload}.${signature}`,
      ` ${token}`,
      `${token}\n`,
    ]) {
      expect(verifyToken(bad, SECRET, NOW)).toBeNull();
    }
    // A correct HMAC under another prefix is still refused.
    expect(verifyToken(forge(JSON.stringify(CLAIMS), SECRET, 'tr2'), SECRET, NOW)).toBeNull();
  });

  it('refuses a payload that is not canonical base64url, even when signed', () => {
    const signedBadBase64 = (payload: string): string =>
      `tr1.${payload}.${createHmac('sha256', SECRET).update(`tr1.${payload}`).digest('base64url')}`;
    const good = Buffer.from(JSON.stringify(CLAIMS)).toString('base64url');
    expect(verifyToken(signedBadBase64(good), SECRET, NOW)).toEqual(CLAIMS);
    expect(verifyToken(signedBadBase64(`${good}=`), SECRET, NOW)).toBeNull();
    expect(verifyToken(signedBadBase64(`${good.slice(0, 4)}+${good.slice(5)}`), SECRET, NOW)).toBeNull();
    expect(verifyToken(signedBadBase64(`${good}A`), SECRET, NOW)).toBeNull();
  });

  it('refuses signed payloads that are not JSON or have the wrong types', () => {
    const payloads = [
      'not json',
      '',
      'null',
      '[]',
      '"sess1"',
      '42',
      JSON.stringify({ uid: 'user1', exp: NOW + 60 }),
      JSON.stringify({ sid: 'sess1', exp: NOW + 60 }),
      JSON.stringify({ sid: 'sess1', uid: 'user1' }),
      JSON.stringify({ sid: 1, uid: 'user1', exp: NOW + 60 }),
      JSON.stringify({ sid: 'sess1', uid: ['user1'], exp: NOW + 60 }),
      JSON.stringify({ sid: '', uid: 'user1', exp: NOW + 60 }),
      JSON.stringify({ sid: 'sess1', uid: 'user1', exp: String(NOW + 60) }),
      JSON.stringify({ sid: 'sess1', uid: 'user1', exp: NOW + 60.5 }),
      JSON.stringify({ sid: 'sess1', uid: 'user1', exp: null }),
      '{"sid":"sess1","uid":"user1","exp":1e400}',
    ];
    for (const text of payloads) expect(verifyToken(forge(text), SECRET, NOW)).toBeNull();
    // The same forge accepts a well-typed payload, so the refusals above are about the contents.
    expect(verifyToken(forge(JSON.stringify({ ...CLAIMS, extra: true })), SECRET, NOW)).toEqual(CLAIMS);
  });

  it('refuses tokens longer than 2 KB even when correctly signed', () => {
    const atLimit = (sidLength: number): string => signToken({ ...CLAIMS, sid: 's'.repeat(sidLength) }, SECRET);
    let sidLength = 1400;
    while (atLimit(sidLength + 1).length <= 2048) sidLength++;
    while (atLimit(sidLength).length > 2048) sidLength--;
    expect(verifyToken(atLimit(sidLength), SECRET, NOW)).not.toBeNull();
    const over = signToken({ ...CLAIMS, sid: 's'.repeat(sidLength + 3) }, SECRET);
    expect(over.length).toBeGreaterThan(2048);
    expect(verifyToken(over, SECRET, NOW)).toBeNull();
    expect(verifyToken('x'.repeat(1_000_000), SECRET, NOW)).toBeNull();
  });

  it('never throws, whatever it is given', () => {
    const inputs: unknown[] = [undefined, null, 42, {}, [], 'tr1.%%%.%%%', 'tr1.\u0000.\u0000', `tr1.${'_'.repeat(100)}.${'-'.repeat(43)}`];
    for (const input of inputs) {
      expect(() => verifyToken(input as string, SECRET, NOW)).not.toThrow();
      expect(verifyToken(input as string, SECRET, NOW)).toBeNull();
    }
    const token = signToken(CLAIMS, SECRET);
    expect(verifyToken(token, undefined as unknown as Buffer, NOW)).toBeNull();
    expect(verifyToken(token, 'secret' as unknown as Buffer, NOW)).toBeNull();
  });

  it('will not sign invalid claims or with an empty secret', () => {
    expect(() => signToken({ ...CLAIMS, sid: '' }, SECRET)).toThrow(TypeError);
    expect(() => signToken({ ...CLAIMS, exp: Number.POSITIVE_INFINITY }, SECRET)).toThrow(TypeError);
    expect(() => signToken({ ...CLAIMS, exp: 1.5 }, SECRET)).toThrow(TypeError);
    expect(() => signToken(CLAIMS, Buffer.alloc(0))).toThrow(TypeError);
  });
});
