import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJobContract } from '../contract.js';
import { createBullmqQueue } from './bullmq-queue.js';
import { TEST_REDIS_URL, deleteKeys, requireRedis, uniquePrefix } from './redis-test-support.js';

// Real Redis (REDIS_URL, or the local one npm test starts); every key of this run under one prefix.
const prefix = uniquePrefix('bullmq-contract');
const open = () => createBullmqQueue({ url: TEST_REDIS_URL, prefix });

beforeAll(() => requireRedis());
afterAll(() => deleteKeys(TEST_REDIS_URL, prefix));

runJobContract('bullmq (Redis)', async () => open(), {
  reopen: async (jobs) => {
    await jobs.close();
    return open();
  },
});

describe('bullmq specifics', () => {
  it('keeps every key of a driver under its prefix', async () => {
    const jobs = open();
    try {
      await jobs.add('prefixed', 'x', {}, { jobId: 'a:b' });
      const { Redis } = await import('ioredis');
      const redis = new Redis(TEST_REDIS_URL);
      try {
        expect(await redis.exists(`${prefix}:prefixed:a%3Ab`)).toBe(1);
      } finally {
        await redis.quit();
      }
    } finally {
      await jobs.close();
    }
  });
});
