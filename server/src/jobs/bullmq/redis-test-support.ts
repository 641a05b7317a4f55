// Helpers for tests that need Redis (the BullMQ contract run, the crash and restart tests).
import { connect } from 'node:net';
import { Redis } from 'ioredis';

/** REDIS_URL, or the local server `npm test` starts */
export const TEST_REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';

/** A key prefix of its own per test file and run: parallel files and leftovers never collide. */
export function uniquePrefix(tag: string): string {
  return `trellis-test:${tag}:${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
}

/** true when something at `url` answers a RESP PING (an auth error counts: it is Redis). */
export function redisAnswers(url: string, timeoutMs = 1000): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname || '127.0.0.1', port: Number(port || 6379) });
    const finish = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.once('error', () => finish(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (d: Buffer) => finish(/^[+-]/.test(d.toString())));
  });
}

export async function requireRedis(url = TEST_REDIS_URL): Promise<void> {
  if (!(await redisAnswers(url))) throw new Error(`No Redis answers at ${url}: run the tests with "npm test" (it starts one) or set REDIS_URL`);
}

/** Deletes every key under `prefix` (a test run's leftovers). */
export async function deleteKeys(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    const stream = redis.scanStream({ match: `${prefix}:*`, count: 500 });
    for await (const keys of stream as AsyncIterable<string[]>) {
      if (keys.length > 0) await redis.unlink(...keys);
    }
  } finally {
    await redis.quit().catch(() => redis.disconnect());
  }
}
