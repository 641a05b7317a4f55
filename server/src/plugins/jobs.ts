import fp from 'fastify-plugin';
import type { Config } from '../config.js';
import { openJobs } from '../jobs/open-jobs.js';
import type { JobQueue } from '../jobs/port.js';

declare module 'fastify' {
  interface FastifyInstance {
    jobs: JobQueue;
  }
}

/** External connection: the job queue (BullMQ on REDIS_URL, else the embedded runner on the store). */
export default fp<{ config: Config; jobs?: JobQueue }>(
  async (app, opts) => {
    const { config } = opts;
    const jobs = opts.jobs ?? (await openJobs(config, app.store, {
      leaseMs: config.jobLeaseMs,
      prefix: config.redisPrefix,
      onError: (err) => app.log.error({ err }, 'background job error'),
    }));
    app.decorate('jobs', jobs);
    // closes before the store (hooks run in reverse order of registration)
    app.addHook('onClose', async () => {
      await jobs.close();
    });
  },
  { name: 'jobs', dependencies: ['store'] },
);
