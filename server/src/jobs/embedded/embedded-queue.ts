import { randomUUID } from 'node:crypto';
import type { SqliteDb } from '../../store/sqlite/sqlite-db.js';
import { checkConcurrency, checkJobOptions, checkQueueName, resolveDriverOptions } from '../job-options.js';
import { JobsError } from '../jobs-error.js';
import type { JobDriverOptions, JobHandler, JobInfo, JobOptions, JobQueue } from '../port.js';
import { JobTable, rowToInfo } from './job-table.js';
import { QueueRunner, type RunnerSettings } from './queue-runner.js';

export interface EmbeddedQueueOptions extends JobDriverOptions {
  /** how often a worked queue looks for jobs that other processes added (default 100 ms) */
  pollMs?: number;
}

const DRAIN_POLL_MS = 20;
const PURGE_EVERY_MS = 60_000;

/**
 * The embedded job runner: jobs live in the `jobs` table of the embedded store's
 * SQLite file, so they survive a restart or a killed process. A worker claims a
 * job with a lease it renews while the handler runs; a job whose lease ran out
 * (its process died) is claimed again. Several processes may work one file.
 * The driver does not own `db`: close it before closing the store.
 */
export function createEmbeddedQueue(db: SqliteDb, options: EmbeddedQueueOptions = {}): JobQueue {
  return new EmbeddedQueue(new JobTable(db), options);
}

class EmbeddedQueue implements JobQueue {
  readonly kind = 'embedded' as const;
  private readonly runners = new Map<string, QueueRunner>();
  private readonly settings: RunnerSettings;
  private closed: Promise<void> | null = null;

  constructor(
    private readonly table: JobTable,
    options: EmbeddedQueueOptions,
  ) {
    const pollMs = options.pollMs ?? 100;
    if (!Number.isSafeInteger(pollMs) || pollMs < 1) throw new JobsError('JOBS_BAD_INPUT', `pollMs must be a whole number ≥ 1, not ${pollMs}`);
    this.settings = { ...resolveDriverOptions(options), pollMs, purgeEveryMs: PURGE_EVERY_MS };
  }

  async add(queue: string, name: string, data: unknown, options?: JobOptions): Promise<string> {
    this.assertOpen();
    checkQueueName(queue);
    const o = checkJobOptions(options);
    const id = o.jobId ?? randomUUID();
    const now = Date.now();
    const inserted = await this.table.insert({
      queue, id, name, data: JSON.stringify(data ?? null), maxAttempts: o.attempts, backoffMs: o.backoffMs, runAt: now + o.delayMs, now,
    });
    if (inserted) this.runners.get(queue)?.wake();
    return id;
  }

  async work(queue: string, handler: JobHandler, options: { concurrency?: number } = {}): Promise<void> {
    this.assertOpen();
    checkQueueName(queue);
    const concurrency = checkConcurrency(options.concurrency);
    if (this.runners.has(queue)) throw new JobsError('JOBS_ALREADY_WORKING', `Queue "${queue}" is worked already by this driver`);
    this.runners.set(queue, new QueueRunner(this.table, queue, handler, concurrency, this.settings));
  }

  async cancel(queue: string, jobId: string): Promise<boolean> {
    this.assertOpen();
    return this.table.cancel(queue, jobId);
  }

  async get(queue: string, jobId: string): Promise<JobInfo | null> {
    this.assertOpen();
    const row = this.table.get(queue, jobId);
    return row ? rowToInfo(row, Date.now()) : null;
  }

  async failed(queue: string, limit = 50): Promise<JobInfo[]> {
    this.assertOpen();
    const now = Date.now();
    return this.table.failed(queue, Math.max(0, Math.floor(limit))).map((row) => rowToInfo(row, now));
  }

  async retry(queue: string, jobId: string): Promise<boolean> {
    this.assertOpen();
    const done = await this.table.retry(queue, jobId, Date.now());
    if (done) this.runners.get(queue)?.wake();
    return done;
  }

  async drain(queue: string, horizonMs = 0): Promise<void> {
    while (!this.closed && this.table.open && this.table.busy(queue, Date.now() + horizonMs)) {
      await new Promise((r) => setTimeout(r, DRAIN_POLL_MS));
    }
  }

  close(): Promise<void> {
    this.closed ??= Promise.all([...this.runners.values()].map((r) => r.close())).then(() => undefined);
    return this.closed;
  }

  private assertOpen(): void {
    if (this.closed) throw new JobsError('JOBS_CLOSED', 'The job queue is closed');
  }
}
