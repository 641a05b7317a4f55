export const JOBS_ERROR_CODES = [
  'JOBS_BAD_INPUT', // a queue name, job id or option the drivers cannot take
  'JOBS_ALREADY_WORKING', // work() twice for one queue in one driver
  'JOBS_CLOSED', // the driver was closed
  'JOBS_NOT_CONFIGURED', // no driver fits the configuration (MongoDB without REDIS_URL)
] as const;
export type JobsErrorCode = (typeof JOBS_ERROR_CODES)[number];

/** A misuse of the jobs port or a configuration it cannot run with; never a handler's failure. */
export class JobsError extends Error {
  constructor(
    readonly code: JobsErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'JobsError';
  }
}
