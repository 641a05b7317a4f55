import type { SqliteDb } from '../../store/sqlite/sqlite-db.js';
import type { JobInfo } from '../port.js';

/** A row of the `jobs` table (migration 3). */
export interface JobRow {
  queue: string;
  id: string;
  name: string;
  data: string;
  state: 'waiting' | 'active' | 'completed' | 'failed';
  attempts_made: number;
  max_attempts: number;
  backoff_ms: number;
  run_at: number;
  locked_until: number | null;
  lock_token: string | null;
  error: string | null;
  created_at: number;
  updated_at: number;
}

export interface NewJob {
  queue: string;
  id: string;
  name: string;
  data: string;
  maxAttempts: number;
  backoffMs: number;
  runAt: number;
  now: number;
}

const RETURNED = 'RETURNING *';

// Each claim takes the earliest jobs of one index range and marks them in the same statement.
// It runs inside BEGIN IMMEDIATE (SqliteDb.write): two processes on one file then queue for the
// write lock instead of both reading the same job from a snapshot.
const CLAIM_EXPIRED = `
  UPDATE jobs SET attempts_made = attempts_made + 1, locked_until = ?, lock_token = ?, updated_at = ?
  WHERE rowid IN (SELECT rowid FROM jobs WHERE queue = ? AND state = 'active' AND locked_until <= ? ORDER BY locked_until LIMIT ?)
  ${RETURNED}`;
const CLAIM_DUE = `
  UPDATE jobs SET state = 'active', attempts_made = attempts_made + 1, locked_until = ?, lock_token = ?, updated_at = ?
  WHERE rowid IN (SELECT rowid FROM jobs WHERE queue = ? AND state = 'waiting' AND run_at <= ? ORDER BY run_at, rowid LIMIT ?)
  ${RETURNED}`;

/**
 * The SQL of the embedded job runner over one connection. Writes that end a try
 * go through the store's group commit; claims are immediate transactions.
 */
export class JobTable {
  constructor(private readonly db: SqliteDb) {}

  get open(): boolean {
    return this.db.raw.open;
  }

  /** false when a job with this id exists already (in any state): the id dedupes */
  insert(job: NewJob): Promise<boolean> {
    return this.db.batchedWrite(
      () =>
        this.db.run(
          `INSERT INTO jobs (queue, id, name, data, state, attempts_made, max_attempts, backoff_ms, run_at, created_at, updated_at)
           VALUES (?, ?, ?, ?, 'waiting', 0, ?, ?, ?, ?, ?) ON CONFLICT (queue, id) DO NOTHING`,
          [job.queue, job.id, job.name, job.data, job.maxAttempts, job.backoffMs, job.runAt, job.now, job.now],
        ).changes === 1,
    );
  }

  /**
   * Marks up to `limit` jobs active under `token` until `lockedUntil`: first jobs whose worker
   * stopped renewing its lease (crash recovery), then due waiting jobs, earliest first.
   */
  claim(queue: string, limit: number, now: number, lockedUntil: number, token: string): JobRow[] {
    return this.db.write(() => {
      const rows = this.db.all<JobRow>(CLAIM_EXPIRED, [lockedUntil, token, now, queue, now, limit]);
      if (rows.length < limit) rows.push(...this.db.all<JobRow>(CLAIM_DUE, [lockedUntil, token, now, queue, now, limit - rows.length]));
      return rows;
    });
  }

  /** The earliest time something of `queue` can be claimed (a due job or an expiring lease), or null. */
  nextWake(queue: string): number | null {
    const due = this.db.get<{ t: number }>(`SELECT run_at AS t FROM jobs WHERE queue = ? AND state = 'waiting' ORDER BY run_at LIMIT 1`, [queue]);
    const lease = this.db.get<{ t: number }>(`SELECT locked_until AS t FROM jobs WHERE queue = ? AND state = 'active' ORDER BY locked_until LIMIT 1`, [queue]);
    if (!due) return lease?.t ?? null;
    return lease ? Math.min(due.t, lease.t) : due.t;
  }

  /** false when the lease was lost (expired and claimed by another worker) */
  renew(queue: string, id: string, token: string, lockedUntil: number): boolean {
    return this.db.run('UPDATE jobs SET locked_until = ? WHERE queue = ? AND id = ? AND lock_token = ?', [lockedUntil, queue, id, token]).changes === 1;
  }

  /** `keep` false deletes the job instead of keeping it as completed */
  complete(queue: string, id: string, token: string, now: number, keep: boolean): Promise<boolean> {
    return this.db.batchedWrite(
      () =>
        (keep
          ? this.db.run(`UPDATE jobs SET state = 'completed', locked_until = NULL, lock_token = NULL, error = NULL, updated_at = ? WHERE queue = ? AND id = ? AND lock_token = ?`, [
              now,
              queue,
              id,
              token,
            ])
          : this.db.run('DELETE FROM jobs WHERE queue = ? AND id = ? AND lock_token = ?', [queue, id, token])
        ).changes === 1,
    );
  }

  /** back to waiting until `runAt` (a retry after backoff) */
  retryLater(queue: string, id: string, token: string, now: number, runAt: number, error: string): Promise<boolean> {
    return this.db.batchedWrite(
      () =>
        this.db.run(
          `UPDATE jobs SET state = 'waiting', run_at = ?, locked_until = NULL, lock_token = NULL, error = ?, updated_at = ? WHERE queue = ? AND id = ? AND lock_token = ?`,
          [runAt, error, now, queue, id, token],
        ).changes === 1,
    );
  }

  fail(queue: string, id: string, token: string, now: number, error: string): Promise<boolean> {
    return this.db.batchedWrite(
      () =>
        this.db.run(
          `UPDATE jobs SET state = 'failed', locked_until = NULL, lock_token = NULL, error = ?, updated_at = ? WHERE queue = ? AND id = ? AND lock_token = ?`,
          [error, now, queue, id, token],
        ).changes === 1,
    );
  }

  /** removes a waiting job (due or delayed) */
  cancel(queue: string, id: string): Promise<boolean> {
    return this.db.batchedWrite(() => this.db.run(`DELETE FROM jobs WHERE queue = ? AND id = ? AND state = 'waiting'`, [queue, id]).changes === 1);
  }

  /** a failed job waits again with its attempts starting over */
  retry(queue: string, id: string, now: number): Promise<boolean> {
    return this.db.batchedWrite(
      () =>
        this.db.run(`UPDATE jobs SET state = 'waiting', attempts_made = 0, run_at = ?, error = NULL, updated_at = ? WHERE queue = ? AND id = ? AND state = 'failed'`, [
          now,
          now,
          queue,
          id,
        ]).changes === 1,
    );
  }

  get(queue: string, id: string): JobRow | undefined {
    return this.db.get<JobRow>('SELECT * FROM jobs WHERE queue = ? AND id = ?', [queue, id]);
  }

  failed(queue: string, limit: number): JobRow[] {
    return this.db.all<JobRow>(`SELECT * FROM jobs WHERE queue = ? AND state = 'failed' ORDER BY updated_at DESC, rowid DESC LIMIT ?`, [queue, limit]);
  }

  /** true while a job of `queue` is active or waiting with run_at ≤ `until` */
  busy(queue: string, until: number): boolean {
    const row = this.db.get<{ busy: number }>(
      `SELECT EXISTS (SELECT 1 FROM jobs WHERE queue = ? AND state = 'active')
           OR EXISTS (SELECT 1 FROM jobs WHERE queue = ? AND state = 'waiting' AND run_at <= ?) AS busy`,
      [queue, queue, until],
    );
    return row?.busy === 1;
  }

  /** deletes completed jobs finished before `completedBefore` and failed ones before `failedBefore` */
  purge(queue: string, completedBefore: number, failedBefore: number): Promise<number> {
    // states as literals, never parameters: a partial index serves only a query whose WHERE has its condition
    return this.db.batchedWrite(
      () =>
        this.db.run(`DELETE FROM jobs WHERE queue = ? AND state = 'completed' AND updated_at < ?`, [queue, completedBefore]).changes +
        this.db.run(`DELETE FROM jobs WHERE queue = ? AND state = 'failed' AND updated_at < ?`, [queue, failedBefore]).changes,
    );
  }
}

export function rowToInfo(row: JobRow, now: number): JobInfo {
  const delayed = row.state === 'waiting' && row.run_at > now;
  return {
    id: row.id,
    queue: row.queue,
    name: row.name,
    data: JSON.parse(row.data) as unknown,
    state: delayed ? 'delayed' : row.state,
    attemptsMade: row.attempts_made,
    error: row.error,
    createdAt: row.created_at,
    runAt: delayed ? row.run_at : null,
  };
}
