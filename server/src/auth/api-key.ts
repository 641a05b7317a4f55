import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { decodeBase64Url } from './base64url.js';

export interface NewApiKey {
  /** public, stored in clear to find the key's row */
  id: string;
  /** shown to the user once, never stored */
  secret: string;
  /** what the user sends: `trk_<id>_<secret>` */
  key: string;
  /** sha256 of the secret, hex: what is stored */
  hash: string;
}

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
// 22 characters of 62 carry just over 128 bits, as much as 16 random bytes.
const ID_LENGTH = 22;
const SECRET_BYTES = 32;
const API_KEY = /^trk_([A-Za-z0-9]{22})_([A-Za-z0-9_-]{43})$/;
const SHA256_HEX = /^[0-9a-f]{64}$/;

export function newApiKey(): NewApiKey {
  const id = randomAlnum(ID_LENGTH);
  const secret = randomBytes(SECRET_BYTES).toString('base64url');
  return { id, secret, key: `trk_${id}_${secret}`, hash: sha256Hex(secret) };
}

/** The id and secret of a well-formed API key; null for anything else. */
export function parseApiKey(text: string): { id: string; secret: string } | null {
  if (typeof text !== 'string') return null;
  const match = API_KEY.exec(text);
  if (match === null) return null;
  const id = match[1]!;
  const secret = match[2]!;
  // Only the spelling newApiKey produces, so one key has exactly one text form.
  if (decodeBase64Url(secret)?.length !== SECRET_BYTES) return null;
  return { id, secret };
}

/** True when the secret hashes to the stored hex hash, compared in constant time. */
export function verifyApiKeySecret(secret: string, hash: string): boolean {
  if (typeof secret !== 'string' || typeof hash !== 'string' || !SHA256_HEX.test(hash)) return false;
  return timingSafeEqual(createHash('sha256').update(secret, 'utf8').digest(), Buffer.from(hash, 'hex'));
}

/** A share-link token (32 random bytes, base64url) and the hash to store for it. */
export function newShareToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashShareToken(token) };
}

export function hashShareToken(token: string): string {
  return sha256Hex(token);
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

// Rejection sampling: taking every byte modulo 62 would make the first 8 characters 25% more likely.
function randomAlnum(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248 && out.length < length) out += ID_ALPHABET[byte % 62]!;
    }
  }
  return out;
}
