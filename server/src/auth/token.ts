import { createHmac, timingSafeEqual } from 'node:crypto';
import { decodeBase64Url } from './base64url.js';

export interface TokenClaims {
  /** session id */
  sid: string;
  /** user id */
  uid: string;
  /** expiry, epoch seconds */
  exp: number;
}

const PREFIX = 'tr1';
const MAX_TOKEN_LENGTH = 2048;

/** A session token `tr1.<payload>.<signature>`: base64url JSON claims and an HMAC-SHA256 over `tr1.<payload>`. */
export function signToken(claims: TokenClaims, secret: Buffer): string {
  if (!validClaims(claims)) throw new TypeError('Token claims need non-empty sid and uid strings and a whole-number exp');
  if (secret.length === 0) throw new TypeError('Token secret is empty');
  const payload = Buffer.from(JSON.stringify({ sid: claims.sid, uid: claims.uid, exp: claims.exp })).toString('base64url');
  const signed = `${PREFIX}.${payload}`;
  return `${signed}.${mac(signed, secret).toString('base64url')}`;
}

/** The claims of a well-formed, correctly signed, unexpired token; null for anything else. Never throws. */
export function verifyToken(token: string, secret: Buffer, nowSeconds: number): TokenClaims | null {
  if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH) return null;
  if (!Buffer.isBuffer(secret) || secret.length === 0 || !Number.isFinite(nowSeconds)) return null;
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== PREFIX) return null;
  const [, payload, signature] = parts as [string, string, string];
  const given = decodeBase64Url(signature);
  if (given === null || given.length !== 32) return null;
  // The signature is checked before the payload is parsed, so JSON.parse only ever sees our own output.
  if (!timingSafeEqual(given, mac(`${PREFIX}.${payload}`, secret))) return null;
  const json = decodeBase64Url(payload);
  if (json === null) return null;
  let claims: unknown;
  try {
    claims = JSON.parse(json.toString('utf8'));
  } catch {
    return null;
  }
  if (!validClaims(claims) || claims.exp <= nowSeconds) return null;
  return { sid: claims.sid, uid: claims.uid, exp: claims.exp };
}

function mac(text: string, secret: Buffer): Buffer {
  return createHmac('sha256', secret).update(text).digest();
}

function validClaims(value: unknown): value is TokenClaims {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const { sid, uid, exp } = value as Record<string, unknown>;
  // A non-integer exp would include Infinity (JSON `1e400`), which never expires.
  return typeof sid === 'string' && sid !== '' && typeof uid === 'string' && uid !== '' && Number.isSafeInteger(exp);
}
