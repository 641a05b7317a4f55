import { randomFillSync } from 'node:crypto';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz'; // Crockford base32, lower case

// Random bytes are drawn 4 KiB at a time: one system call per 512 ids instead of one per id.
const pool = Buffer.alloc(4096);
let poolAt = pool.length;

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
  let id = '';
  for (let i = 0; i < 10; i++) {
    id = ALPHABET[t % 32] + id;
    t = Math.floor(t / 32);
  }
  id += ALPHABET[seq >> 5]! + ALPHABET[seq & 31]!;
  if (poolAt + 8 > pool.length) {
    randomFillSync(pool);
    poolAt = 0;
  }
  for (let i = 0; i < 8; i++) id += ALPHABET[pool[poolAt++]! & 31];
  return id;
}
