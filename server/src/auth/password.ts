import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { decodeBase64Url } from './base64url.js';

interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

interface StoredHash extends ScryptParams {
  salt: Buffer;
  hash: Buffer;
}

const CURRENT: ScryptParams = { N: 2 ** 15, r: 8, p: 1 };
const SALT_BYTES = 16;
const KEY_BYTES = 32;

// Limits for parameters read back from storage: a tampered or corrupt row must
// not make one sign-in allocate gigabytes or run for minutes.
const MAX_N = 2 ** 20;
const MAX_R = 32;
const MAX_P = 16;
const MAX_MEMORY = 256 * 1024 * 1024;
const MIN_BYTES = 16;
const MAX_BYTES = 64;

// Hashed against when there is no usable stored hash, so that a missing
// account costs the same time as a wrong password.
const DUMMY_SALT = Buffer.alloc(SALT_BYTES, 0x5a);

const DECIMAL = /^[1-9][0-9]{0,7}$/;

/** Hashes a password as `scrypt$N$r$p$<salt>$<hash>` (salt and hash base64url). */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const hash = await derive(password, salt, KEY_BYTES, CURRENT);
  return `scrypt$${CURRENT.N}$${CURRENT.r}$${CURRENT.p}$${salt.toString('base64url')}$${hash.toString('base64url')}`;
}

/**
 * True when the password matches the stored hash. A missing or unreadable
 * stored value gives false after the same work as a real check.
 */
export async function verifyPassword(password: string, stored: string | null): Promise<boolean> {
  const parsed = stored === null ? null : parseStored(stored);
  if (parsed === null || typeof password !== 'string') {
    await derive(typeof password === 'string' ? password : '', DUMMY_SALT, KEY_BYTES, CURRENT);
    return false;
  }
  const actual = await derive(password, parsed.salt, parsed.hash.length, parsed);
  return timingSafeEqual(actual, parsed.hash);
}

/** True when the stored hash was not made with the current parameters and should be replaced at the next sign-in. */
export function needsRehash(stored: string): boolean {
  const parsed = parseStored(stored);
  return (
    parsed === null ||
    parsed.N !== CURRENT.N ||
    parsed.r !== CURRENT.r ||
    parsed.p !== CURRENT.p ||
    parsed.salt.length !== SALT_BYTES ||
    parsed.hash.length !== KEY_BYTES
  );
}

function parseStored(stored: string): StoredHash | null {
  if (typeof stored !== 'string') return null;
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return null;
  const [, n, r, p, salt, hash] = parts as [string, string, string, string, string, string];
  if (!DECIMAL.test(n) || !DECIMAL.test(r) || !DECIMAL.test(p)) return null;
  const params = { N: Number(n), r: Number(r), p: Number(p) };
  if (!saneParams(params)) return null;
  const saltBytes = decodeBase64Url(salt);
  const hashBytes = decodeBase64Url(hash);
  if (saltBytes === null || hashBytes === null) return null;
  if (saltBytes.length < MIN_BYTES || saltBytes.length > MAX_BYTES) return null;
  if (hashBytes.length < MIN_BYTES || hashBytes.length > MAX_BYTES) return null;
  return { ...params, salt: saltBytes, hash: hashBytes };
}

function saneParams({ N, r, p }: ScryptParams): boolean {
  const powerOfTwo = (N & (N - 1)) === 0;
  return N >= 2 && N <= MAX_N && powerOfTwo && r >= 1 && r <= MAX_R && p >= 1 && p <= MAX_P && memoryOf({ N, r, p }) <= MAX_MEMORY;
}

// OpenSSL's own estimate, which it checks against maxmem: 128·r·(N+2) for V plus 128·r·p for B.
function memoryOf({ N, r, p }: ScryptParams): number {
  return 128 * r * (N + 2 + p);
}

function derive(password: string, salt: Buffer, keyBytes: number, { N, r, p }: ScryptParams): Promise<Buffer> {
  // Promisified by hand: util.promisify picks the wrong overload of scrypt's types.
  return new Promise((resolve, reject) => {
    scrypt(password, salt, keyBytes, { N, r, p, maxmem: MAX_MEMORY }, (err, key) => (err ? reject(err) : resolve(key)));
  });
}
