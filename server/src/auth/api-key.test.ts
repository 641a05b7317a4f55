import { describe, expect, it } from 'vitest';
import { hashShareToken, newApiKey, newShareToken, parseApiKey, sha256Hex, verifyApiKeySecret } from './api-key.js';

describe('sha256Hex', () => {
  it('matches the standard test vectors', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });
});

describe('newApiKey / parseApiKey / verifyApiKeySecret', () => {
  it('round-trips a new key and verifies its secret against the stored hash', () => {
    const created = newApiKey();
    expect(created.id).toMatch(/^[A-Za-z0-9]{22}$/);
    expect(created.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(created.secret, 'base64url').length).toBe(32);
    expect(created.key).toBe(`trk_${created.id}_${created.secret}`);
    expect(created.hash).toBe(sha256Hex(created.secret));
    expect(parseApiKey(created.key)).toEqual({ id: created.id, secret: created.secret });
    expect(verifyApiKeySecret(created.secret, created.hash)).toBe(true);
  });

  it('refuses a wrong secret or a malformed stored hash', () => {
    const a = newApiKey();
    const b = newApiKey();
    expect(verifyApiKeySecret(b.secret, a.hash)).toBe(false);
    expect(verifyApiKeySecret(`${a.secret}x`, a.hash)).toBe(false);
    expect(verifyApiKeySecret('', a.hash)).toBe(false);
    expect(verifyApiKeySecret(a.secret, a.hash.toUpperCase())).toBe(false);
    expect(verifyApiKeySecret(a.secret, a.hash.slice(0, 63))).toBe(false);
    expect(verifyApiKeySecret(a.secret, `${a.hash}00`)).toBe(false);
    // Buffer.from(…, 'hex') stops at the first bad digit; the check must not compare a truncated buffer.
    expect(verifyApiKeySecret(a.secret, `${a.hash.slice(0, 62)}zz`)).toBe(false);
    expect(verifyApiKeySecret(a.secret, '')).toBe(false);
    expect(verifyApiKeySecret(undefined as unknown as string, a.hash)).toBe(false);
    expect(verifyApiKeySecret(a.secret, null as unknown as string)).toBe(false);
  });

  it('parses keys whose secret contains "_" and "-"', () => {
    const id = 'AbCdEfGhIjKlMnOpQrStU9';
    const secret = Buffer.alloc(32, 0xff).toString('base64url');
    expect(secret).toMatch(/[_]/);
    expect(parseApiKey(`trk_${id}_${secret}`)).toEqual({ id, secret });
    const dashes = Buffer.alloc(32, 0xfb).toString('base64url');
    expect(dashes).toMatch(/-/);
    expect(parseApiKey(`trk_${id}_${dashes}`)).toEqual({ id, secret: dashes });
  });

  it('rejects near-misses', () => {
    const { id, secret, key } = newApiKey();
    // The last of 43 characters carries 4 bits; flipping its lowest bit keeps the decoded bytes.
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const nonCanonical = secret.slice(0, -1) + alphabet[alphabet.indexOf(secret.at(-1)!) ^ 1]!;
    expect(Buffer.from(nonCanonical, 'base64url')).toEqual(Buffer.from(secret, 'base64url'));
    const nearMisses = [
      '',
      'trk_',
      `trk_${id}`,
      `trk_${id}_`,
      `TRK_${id}_${secret}`,
      `trk-${id}_${secret}`,
      `tr_${id}_${secret}`,
      `trk__${id}_${secret}`,
      `trk_${id}-${secret}`,
      `trk_${id.slice(1)}_${secret}`,
      `trk_${id}x_${secret}`,
      `trk_${id.slice(0, -1)}-_${secret}`,
      `trk_${id.slice(0, -1)}_${'A'}${secret}`,
      `trk_${id}_${secret.slice(1)}`,
      `trk_${id}_${secret}A`,
      `trk_${id}_${secret}=`,
      `trk_${id}_${secret.slice(0, -1)}+`,
      `trk_${id}_${nonCanonical}`,
      ` ${key}`,
      `${key} `,
      `${key}\n`,
      `Bearer ${key}`,
      `${key}_${secret}`,
    ];
    expect(parseApiKey(key)).not.toBeNull();
    for (const text of nearMisses) expect(parseApiKey(text)).toBeNull();
    expect(parseApiKey(undefined as unknown as string)).toBeNull();
  });

  it('draws ids from all 62 characters without favouring any', () => {
    const counts = new Map<string, number>();
    const ids = new Set<string>();
    for (let i = 0; i < 10_000; i++) {
      const { id } = newApiKey();
      ids.add(id);
      for (const char of id) counts.set(char, (counts.get(char) ?? 0) + 1);
    }
    expect(ids.size).toBe(10_000);
    expect(counts.size).toBe(62);
    // Reducing bytes modulo 62 would make the first 8 characters of the alphabet 25% more common.
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
    const mean = (chars: string): number => [...chars].reduce((sum, c) => sum + counts.get(c)!, 0) / chars.length;
    const ratio = mean(alphabet.slice(0, 8)) / mean(alphabet.slice(8));
    expect(ratio).toBeGreaterThan(0.95);
    expect(ratio).toBeLessThan(1.05);
  });
});

describe('newShareToken / hashShareToken', () => {
  it('gives a url-safe 32-byte token and the hash to store', () => {
    const { token, hash } = newShareToken();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token, 'base64url').length).toBe(32);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).toBe(hashShareToken(token));
    expect(hash).toBe(sha256Hex(token));
    expect(hashShareToken(`${token}x`)).not.toBe(hash);
  });

  it('does not repeat tokens', () => {
    const tokens = new Set(Array.from({ length: 1000 }, () => newShareToken().token));
    expect(tokens.size).toBe(1000);
  });
});
