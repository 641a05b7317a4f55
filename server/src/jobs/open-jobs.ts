import type { Config } from '../config.js';
import type { Store } from '../store/port.js';
import { JobsError } from './jobs-error.js';
import type { JobDriverOptions, JobQueue } from './port.js';

export interface OpenJobsOptions extends JobDriverOptions {
  /** BullMQ only: prefix of every Redis key (default "trellis") */
  prefix?: string;
  /** embedded only: how often a worked queue looks for jobs other processes added (default 100 ms) */
  pollMs?: number;
}

/**
 * Opens the job runner the configuration asks for: BullMQ when REDIS_URL is set,
 * else the embedded runner in the SQLite store's file. Close it before the store.
 */
export async function openJobs(config: Pick<Config, 'redisUrl'>, store: Store, options: OpenJobsOptions = {}): Promise<JobQueue> {
  const { prefix, pollMs, ...driver } = options;
  if (config.redisUrl) {
    const { createBullmqQueue } = await import('./bullmq/bullmq-queue.js');
    return createBullmqQueue({ ...driver, url: config.redisUrl, prefix });
  }
  // loaded on demand, like the store adapters: a MongoDB deployment never loads better-sqlite3
  const { sqliteDbOf } = await import('../store/sqlite/sqlite-store.js');
  const db = sqliteDbOf(store);
  if (!db) {
    // The embedded runner keeps jobs in the SQLite file; there is no MongoDB variant (yet):
    // a deployment on MongoDB is one that scales out, and runs its jobs on Redis.
    throw new JobsError('JOBS_NOT_CONFIGURED', `REDIS_URL is required with MONGO_URL: background jobs run on BullMQ (Redis) when the store is MongoDB`);
  }
  const { createEmbeddedQueue } = await import('./embedded/embedded-queue.js');
  return createEmbeddedQueue(db, { ...driver, pollMs });
}
