import { randomUUID } from 'node:crypto';
import { Queue, UnrecoverableError, Worker, type Job as BullJob, type JobState } from 'bullmq';
import { Redis } from 'ioredis';
import { checkConcurrency, checkJobOptions, checkQueueName, errorMessage, resolveDriverOptions, type ResolvedDriverOptions } from '../job-options.js';
import { JobsError } from '../jobs-error.js';
import { isPermanent, type JobDriverOptions, type JobHandler, type JobInfo, type JobOptions, type JobQueue } from '../port.js';
import { decodeJobId, encodeJobId } from './bullmq-ids.js';

export interface BullmqQueueOptions extends JobDriverOptions {
  /** REDIS_URL */
  url: string;
  /** prefix of every Redis key (default "trellis"); tests take one per run so they never collide */
  prefix?: string;
}

// BullMQ trims finished jobs by age and by count; the counts bound Redis memory under a burst.
const KEEP_COMPLETED_COUNT = 10_000;
const KEEP_FAILED_COUNT = 100_000;
// A job whose worker stopped renewing its lock goes back to wait this many times, then fails.
const MAX_STALLS = 2;
const DRAIN_POLL_MS = 20;
// BullMQ's delayed set scores a job as (run-at ms) * 0x1000 + a sequence number.
const DELAYED_SCORE_SCALE = 0x1000;

/**
 * The jobs port on BullMQ (Redis): one Queue and at most one Worker per queue name.
 * Producers and workers use separate connections: a worker's connection must retry
 * forever (`maxRetriesPerRequest: null`), while an add during a Redis outage should
 * fail after a few retries rather than hang the request that made it.
 */
export function createBullmqQueue(options: BullmqQueueOptions): JobQueue {
  return new BullmqQueue(options);
}

class BullmqQueue implements JobQueue {
  readonly kind = 'bullmq' as const;
  private readonly settings: ResolvedDriverOptions;
  private readonly prefix: string;
  private readonly producer: Redis;
  private consumer: Redis | null = null;
  private readonly queues = new Map<string, Queue>();
  private readonly workers = new Map<string, Worker>();
  private closed: Promise<void> | null = null;

  constructor(private readonly options: BullmqQueueOptions) {
    this.settings = resolveDriverOptions(options);
    this.prefix = options.prefix ?? 'trellis';
    this.producer = this.connect({});
  }

  async add(queue: string, name: string, data: unknown, options?: JobOptions): Promise<string> {
    this.assertOpen();
    checkQueueName(queue);
    const o = checkJobOptions(options);
    const id = o.jobId ?? randomUUID();
    const { keepCompletedMs, keepFailedMs } = this.settings;
    // an existing id (waiting, delayed, active or still kept) makes BullMQ return that job unchanged
    await this.queue(queue).add(name, data ?? null, {
      jobId: encodeJobId(id),
      delay: o.delayMs,
      attempts: o.attempts,
      backoff: { type: 'exponential', delay: o.backoffMs },
      removeOnComplete: keepCompletedMs > 0 ? { age: Math.ceil(keepCompletedMs / 1000), count: KEEP_COMPLETED_COUNT } : true,
      removeOnFail: { age: Math.ceil(keepFailedMs / 1000), count: KEEP_FAILED_COUNT },
    });
    return id;
  }

  async work(queue: string, handler: JobHandler, options: { concurrency?: number } = {}): Promise<void> {
    this.assertOpen();
    checkQueueName(queue);
    const concurrency = checkConcurrency(options.concurrency);
    if (this.workers.has(queue)) throw new JobsError('JOBS_ALREADY_WORKING', `Queue "${queue}" is worked already by this driver`);
    this.consumer ??= this.connect({ maxRetriesPerRequest: null });
    const { leaseMs, onError } = this.settings;
    const worker = new Worker(
      queue,
      async (job: BullJob) => {
        try {
          await handler({ id: decodeJobId(job.id!), name: job.name, data: job.data as unknown, attempt: job.attemptsMade + 1 });
        } catch (e) {
          if (isPermanent(e)) throw new UnrecoverableError(errorMessage(e));
          throw e instanceof Error ? e : new Error(errorMessage(e));
        }
      },
      {
        connection: this.consumer,
        prefix: this.prefix,
        concurrency,
        lockDuration: leaseMs,
        // the stalled check finds jobs whose lock ran out: check as often as a lease lasts, up to 30 s
        stalledInterval: Math.min(30_000, leaseMs),
        maxStalledCount: MAX_STALLS,
      },
    );
    worker.on('error', onError);
    this.workers.set(queue, worker);
    await worker.waitUntilReady();
  }

  async cancel(queue: string, jobId: string): Promise<boolean> {
    this.assertOpen();
    const q = this.queue(queue);
    const job = await q.getJob(encodeJobId(jobId));
    if (!job) return false;
    if (!['waiting', 'delayed', 'prioritized'].includes(await job.getState())) return false;
    // 0 when it became active meanwhile (locked by a worker)
    return (await q.remove(job.id!)) === 1;
  }

  async get(queue: string, jobId: string): Promise<JobInfo | null> {
    this.assertOpen();
    const job = await this.queue(queue).getJob(encodeJobId(jobId));
    if (!job) return null;
    return this.info(queue, job, await job.getState());
  }

  async failed(queue: string, limit = 50): Promise<JobInfo[]> {
    this.assertOpen();
    const n = Math.max(0, Math.floor(limit));
    if (n === 0) return [];
    // newest first: BullMQ reads the failed set by finish time, descending
    const jobs = await this.queue(queue).getFailed(0, n - 1);
    const infos = await Promise.all(jobs.filter((j): j is BullJob => !!j).map((j) => this.info(queue, j, 'failed')));
    return infos.filter((i): i is JobInfo => i !== null);
  }

  async retry(queue: string, jobId: string): Promise<boolean> {
    this.assertOpen();
    const job = await this.queue(queue).getJob(encodeJobId(jobId));
    if (!job || !(await job.isFailed())) return false;
    try {
      await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
      return true;
    } catch {
      return false; // retried by someone else meanwhile
    }
  }

  async drain(queue: string, horizonMs = 0): Promise<void> {
    this.assertOpen();
    const q = this.queue(queue);
    for (;;) {
      // One script reads every state at once: read apart, a job could move from delayed to
      // active between two reads and be seen in neither. Delayed counts jobs due before the time.
      const counts = await q.getBackend().getCounts(['active', 'waiting', 'prioritized', 'waiting-children', 'delayed'], Date.now() + horizonMs + 1);
      if (counts.every((n) => n === 0)) return;
      await new Promise((r) => setTimeout(r, DRAIN_POLL_MS));
    }
  }

  close(): Promise<void> {
    this.closed ??= (async () => {
      // workers first: they finish their active jobs, which still need the connections
      await Promise.all([...this.workers.values()].map((w) => w.close()));
      await Promise.all([...this.queues.values()].map((q) => q.close()));
      await Promise.all([this.producer, this.consumer].map((c) => c && quit(c)));
    })();
    return this.closed;
  }

  private connect(extra: { maxRetriesPerRequest?: null }): Redis {
    const redis = new Redis(this.options.url, { ...extra });
    redis.on('error', this.settings.onError);
    return redis;
  }

  private queue(name: string): Queue {
    checkQueueName(name);
    let q = this.queues.get(name);
    if (!q) {
      q = new Queue(name, { connection: this.producer, prefix: this.prefix });
      q.on('error', this.settings.onError);
      this.queues.set(name, q);
    }
    return q;
  }

  private async info(queue: string, job: BullJob, state: JobState | 'unknown'): Promise<JobInfo | null> {
    let mapped: JobInfo['state'];
    let runAt: number | null = null;
    switch (state) {
      case 'active':
      case 'completed':
      case 'failed':
        mapped = state;
        break;
      case 'delayed': {
        mapped = 'delayed';
        // a retry's due time is only in the delayed set's score (job.delay is relative to an unrecorded moment)
        const score = await this.producer.zscore(this.queue(queue).toKey('delayed'), job.id!);
        runAt = score === null ? job.timestamp + job.delay : Math.floor(Number(score) / DELAYED_SCORE_SCALE);
        break;
      }
      case 'unknown':
        return null; // removed meanwhile
      default:
        mapped = 'waiting'; // waiting, prioritized, waiting-children
    }
    return {
      id: decodeJobId(job.id!),
      queue,
      name: job.name,
      data: job.data as unknown,
      state: mapped,
      attemptsMade: job.attemptsMade,
      error: job.failedReason || null,
      createdAt: job.timestamp,
      runAt,
    };
  }

  private assertOpen(): void {
    if (this.closed) throw new JobsError('JOBS_CLOSED', 'The job queue is closed');
  }
}

async function quit(redis: Redis): Promise<void> {
  if (redis.status !== 'ready') {
    redis.disconnect(); // not connected (Redis down): a QUIT would wait for a reconnect
    return;
  }
  try {
    await redis.quit();
  } catch {
    redis.disconnect(); // already gone (Redis down): nothing to flush
  }
}
