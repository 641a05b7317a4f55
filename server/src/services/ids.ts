import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz'; // Crockford base32, lower case

let lastMs = 0;
let seq = 0;

/**
 * A new id: 10 characters of millisecond time, 2 of a per-millisecond sequence
 * and 8 random, so ids created by one process sort by creation and never
 * collide across processes in practice.
 */
export function newId(): string {
  const now = Date.now();
  if (now === lastMs) seq = (seq + 1) % 1024;
  else {
    lastMs = now;
    seq = 0;
  }
  let t = now;
  let time = '';
  for (let i = 0; i < 10; i++) {
    time = ALPHABET[t % 32] + time;
    t = Math.floor(t / 32);
  }
  const bytes = randomBytes(8);
  let rand = ALPHABET[seq >> 5]! + ALPHABET[seq & 31]!;
  for (const b of bytes) rand += ALPHABET[b & 31];
  return time + rand;
}
