import { JobsError } from './jobs-error.js';
import { JOB_DEFAULTS, type JobDriverOptions, type JobOptions } from './port.js';

export interface CheckedJobOptions {
  jobId: string | undefined;
  delayMs: number;
  attempts: number;
  backoffMs: number;
}

// One rule for both drivers, so a name that works on the embedded runner also works on BullMQ
// (which refuses ':' in queue names).
const QUEUE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
const MAX_JOB_ID = 500;

export function checkQueueName(queue: string): void {
  if (!QUEUE_NAME.test(queue)) throw new JobsError('JOBS_BAD_INPUT', `Queue name "${queue}" must be 1–100 letters, digits, ".", "_" or "-", starting with a letter or digit`);
}

const wholeAtLeast = (value: number, min: number) => Number.isSafeInteger(value) && value >= min;

export function checkJobOptions(options: JobOptions = {}): CheckedJobOptions {
  const { jobId, delayMs = 0, attempts = JOB_DEFAULTS.attempts, backoffMs = JOB_DEFAULTS.backoffMs } = options;
  if (jobId !== undefined && (typeof jobId !== 'string' || jobId.length === 0 || jobId.length > MAX_JOB_ID)) {
    throw new JobsError('JOBS_BAD_INPUT', `A job id must be a string of 1 to ${MAX_JOB_ID} characters`);
  }
  if (!wholeAtLeast(delayMs, 0)) throw new JobsError('JOBS_BAD_INPUT', `delayMs must be a whole number ≥ 0, not ${delayMs}`);
  if (!wholeAtLeast(attempts, 1)) throw new JobsError('JOBS_BAD_INPUT', `attempts must be a whole number ≥ 1, not ${attempts}`);
  if (!wholeAtLeast(backoffMs, 0)) throw new JobsError('JOBS_BAD_INPUT', `backoffMs must be a whole number ≥ 0, not ${backoffMs}`);
  return { jobId, delayMs, attempts, backoffMs };
}

export function checkConcurrency(concurrency = 1): number {
  if (!wholeAtLeast(concurrency, 1) || concurrency > 1000) throw new JobsError('JOBS_BAD_INPUT', `concurrency must be a whole number from 1 to 1000, not ${concurrency}`);
  return concurrency;
}

export type ResolvedDriverOptions = Required<JobDriverOptions>;

export function resolveDriverOptions(options: JobDriverOptions = {}): ResolvedDriverOptions {
  const leaseMs = options.leaseMs ?? JOB_DEFAULTS.leaseMs;
  // below ~100 ms a busy event loop would lose leases of healthy workers
  if (!wholeAtLeast(leaseMs, 100)) throw new JobsError('JOBS_BAD_INPUT', `leaseMs must be a whole number ≥ 100, not ${leaseMs}`);
  return {
    leaseMs,
    keepCompletedMs: options.keepCompletedMs ?? JOB_DEFAULTS.keepCompletedMs,
    keepFailedMs: options.keepFailedMs ?? JOB_DEFAULTS.keepFailedMs,
    onError: options.onError ?? ((e: unknown) => console.error('[jobs]', e)),
  };
}

/** The wait before try `attempt + 1` after try `attempt` failed: backoffMs, then doubling. */
export function backoffDelay(backoffMs: number, attempt: number): number {
  return backoffMs * 2 ** Math.max(0, attempt - 1);
}

export function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message || e.name;
  return typeof e === 'string' ? e : JSON.stringify(e) ?? String(e);
}
