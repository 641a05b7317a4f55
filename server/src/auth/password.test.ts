import { scryptSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hashPassword, needsRehash, verifyPassword } from './password.js';

// Builds a stored string the way another implementation would, so the format is checked against scrypt itself.
function storedWith(password: string, N: number, r: number, p: number, salt: Buffer, keyBytes = 32): string {
  const hash = scryptSync(password, salt, keyBytes, { N, r, p, maxmem: 256 * 1024 * 1024 });
  return `scrypt$${N}$${r}$${p}$${salt.toString('base64url')}$${hash.toString('base64url')}`;
}

const SALT = Buffer.from('00112233445566778899aabbccddeeff', 'hex');
const SALT_B64 = SALT.toString('base64url');
const HASH_B64 = Buffer.alloc(32, 7).toString('base64url');

describe('hashPassword / verifyPassword', () => {
  it('accepts the right password, refuses a wrong one, and salts every hash', async () => {
    const [a, b] = await Promise.all([hashPassword('correct horse'), hashPassword('correct horse')]);
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(a).not.toBe(b);
    expect(a.split('$')[4]).not.toBe(b.split('$')[4]);
    const results = await Promise.all([
      verifyPassword('correct horse', a),
      verifyPassword('correct horse', b),
      verifyPassword('correct horsf', a),
      verifyPassword('', a),
    ]);
    expect(results).toEqual([true, true, false, false]);
  });

  it('matches an independent scrypt computation with the current parameters', async () => {
    const stored = storedWith('pässwörd', 2 ** 15, 8, 1, SALT);
    expect(await verifyPassword('pässwörd', stored)).toBe(true);
    expect(needsRehash(stored)).toBe(false);
  });

  it('reads the parameters from the stored string, so older or stronger ones still verify', async () => {
    const older = storedWith('secret', 2 ** 14, 8, 1, SALT);
    const longerKey = storedWith('secret', 2 ** 14, 4, 2, SALT, 48);
    const results = await Promise.all([
      verifyPassword('secret', older),
      verifyPassword('Secret', older),
      verifyPassword('secret', longerKey),
    ]);
    expect(results).toEqual([true, false, true]);
    expect(needsRehash(older)).toBe(true);
    expect(needsRehash(longerKey)).toBe(true);
  });

  it('gives false for null, malformed and absurd stored values', async () => {
    const bad = [
      '',
      'scrypt',
      'not a hash',
      `bcrypt$32768$8$1$${SALT_B64}$${HASH_B64}`,
      `scrypt$32768$8$1$${SALT_B64}`,
      `scrypt$32768$8$1$${SALT_B64}$${HASH_B64}$extra`,
      `scrypt$32768$8$1$${SALT_B64}$`,
      `scrypt$32768$8$1$$${HASH_B64}`,
      `scrypt$32768$8$1$${SALT_B64}$${HASH_B64}=`,
      `scrypt$32768$8$1$${SALT_B64.replace(/^./, '+')}$${HASH_B64}`,
      `scrypt$032768$8$1$${SALT_B64}$${HASH_B64}`,
      `scrypt$0x8000$8$1$${SALT_B64}$${HASH_B64}`,
      `scrypt$3.2768e4$8$1$${SALT_B64}$${HASH_B64}`,
      `scrypt$32767$8$1$${SALT_B64}$${HASH_B64}`, // not a power of two
      `scrypt$1$8$1$${SALT_B64}$${HASH_B64}`,
      `scrypt$${2 ** 21}$8$1$${SALT_B64}$${HASH_B64}`,
      `scrypt$${2 ** 20}$8$1$${SALT_B64}$${HASH_B64}`, // within N's bound, but 1 GiB of memory
      `scrypt$32768$0$1$${SALT_B64}$${HASH_B64}`,
      `scrypt$32768$8$0$${SALT_B64}$${HASH_B64}`,
      `scrypt$32768$8$99999$${SALT_B64}$${HASH_B64}`,
      `scrypt$32768$8$1$${Buffer.alloc(4).toString('base64url')}$${HASH_B64}`, // salt too short
      `scrypt$32768$8$1$${SALT_B64}$${Buffer.alloc(8).toString('base64url')}`, // hash too short
      `scrypt$32768$8$1$${SALT_B64}$${Buffer.alloc(4096).toString('base64url')}`, // hash too long
    ];
    const results = await Promise.all([verifyPassword('x', null), ...bad.map((stored) => verifyPassword('x', stored))]);
    expect(results.every((ok) => ok === false)).toBe(true);
    for (const stored of bad) expect(needsRehash(stored)).toBe(true);
  });

  it('spends about as long on a missing hash as on a wrong password', async () => {
    const stored = await hashPassword('secret');
    const time = async (run: () => Promise<boolean>): Promise<number> => {
      const start = performance.now();
      await run();
      return performance.now() - start;
    };
    // Best of three on each side keeps a busy machine from deciding the result.
    const real: number[] = [];
    const missing: number[] = [];
    for (let i = 0; i < 3; i++) {
      real.push(await time(() => verifyPassword('wrong', stored)));
      missing.push(await time(() => verifyPassword('wrong', null)));
    }
    expect(Math.min(...missing)).toBeGreaterThan(Math.min(...real) * 0.5);
  });
});
