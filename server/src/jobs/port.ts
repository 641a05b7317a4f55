/**
 * The jobs port: durable background work (workflow steps, actions, timers,
 * webhooks, scheduled automations). Two drivers implement it and pass
 * jobs/contract.ts: BullMQ on Redis (`REDIS_URL`) and the embedded driver,
 * which keeps jobs in the store. Delivery is at least once: a handler may
 * run again after a crash, so handlers make their effects idempotent.
 */

export interface JobOptions {
  /**
   * Idempotency key: adding a job whose id is already waiting, delayed, active or
   * completed-and-kept does nothing and returns the existing job's id.
   * Both drivers also keep failed jobs (keepFailedMs), so a failed id dedupes too until
   * it is retried or purged; a cancelled id is free at once. Any string of 1–500
   * characters (the BullMQ driver escapes ':' and integer-looking ids for BullMQ).
   */
  jobId?: string;
  /** run no earlier than this many milliseconds from now */
  delayMs?: number;
  /** total tries before the job is failed for good (default 5) */
  attempts?: number;
  /** first retry waits this long, then doubles (default 1000) */
  backoffMs?: number;
}

export interface JobInfo {
  id: string;
  queue: string;
  name: string;
  data: unknown;
  state: 'waiting' | 'delayed' | 'active' | 'completed' | 'failed';
  attemptsMade: number;
  /** the last error message of a failed try */
  error: string | null;
  /** epoch ms */
  createdAt: number;
  /** epoch ms when a delayed job becomes due */
  runAt: number | null;
}

/** The job a handler receives. */
export interface Job<T = unknown> {
  id: string;
  name: string;
  data: T;
  /** 1 on the first try */
  attempt: number;
}

export type JobHandler = (job: Job) => Promise<void>;

/** Thrown by a handler for a job that can never succeed (bad metadata): it is failed at once, without retries. */
export class PermanentJobError extends Error {
  readonly permanent = true;
}

export function isPermanent(e: unknown): boolean {
  return e instanceof Error && (e as { permanent?: unknown }).permanent === true;
}

export interface JobQueue {
  readonly kind: 'embedded' | 'bullmq';
  /** queues a job of `name` on `queue`; returns its id */
  add(queue: string, name: string, data: unknown, options?: JobOptions): Promise<string>;
  /**
   * Starts working `queue` in this process with `handler` (one per queue).
   * A handler that throws is retried with backoff up to `attempts`, then the
   * job is failed and kept for the dead-letter view.
   */
  work(queue: string, handler: JobHandler, options?: { concurrency?: number }): Promise<void>;
  /** removes a waiting or delayed job (a timer that is no longer needed); false when there is none */
  cancel(queue: string, jobId: string): Promise<boolean>;
  get(queue: string, jobId: string): Promise<JobInfo | null>;
  /** the dead-letter view: jobs failed for good, newest first */
  failed(queue: string, limit?: number): Promise<JobInfo[]>;
  /** puts a failed job back to run again (attempts start over) */
  retry(queue: string, jobId: string): Promise<boolean>;
  /**
   * waits until no job of `queue` is waiting, delayed within `horizonMs`, or active (tests and graceful shutdown).
   * `horizonMs` defaults to 0: delayed jobs not yet due (timers, retries in backoff) are not waited for.
   */
  drain(queue: string, horizonMs?: number): Promise<void>;
  /** stops working (active jobs finish first) and closes connections */
  close(): Promise<void>;
}

/** Settings both drivers take (a deployment tunes them once, whichever driver runs). */
export interface JobDriverOptions {
  /**
   * how long a worker holds a job without renewing its lease (default 30 s); a job
   * whose worker died runs again once this has passed (BullMQ: `lockDuration`)
   */
  leaseMs?: number;
  /** completed jobs are kept this long, so their `jobId` still dedupes (default 24 h) */
  keepCompletedMs?: number;
  /** failed jobs are kept this long for the dead-letter view (default 30 days) */
  keepFailedMs?: number;
  /** background errors (a lost connection, a lease lost to another worker); default: console.error */
  onError?: (error: unknown) => void;
}

export const JOB_DEFAULTS = {
  attempts: 5,
  backoffMs: 1000,
  leaseMs: 30_000,
  keepCompletedMs: 24 * 3600_000,
  keepFailedMs: 30 * 24 * 3600_000,
} as const;
