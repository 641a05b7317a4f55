import { randomUUID } from 'node:crypto';
import { backoffDelay, errorMessage, type ResolvedDriverOptions } from '../job-options.js';
import { isPermanent, type Job, type JobHandler } from '../port.js';
import type { JobRow, JobTable } from './job-table.js';

export interface RunnerSettings extends ResolvedDriverOptions {
  pollMs: number;
  purgeEveryMs: number;
}

/**
 * Works one queue of the embedded driver: claims due jobs up to `concurrency`,
 * runs them while renewing their leases, and records the outcome. It sleeps
 * until the next due job, at most `pollMs` (other processes add jobs too), and
 * wakes at once on `wake()` (an add in this process, a finished job).
 */
export class QueueRunner {
  private readonly active = new Set<Promise<void>>();
  private closing = false;
  private wakeUp: (() => void) | null = null;
  private wokenEarly = false;
  private lastPurge = 0;
  private readonly loopDone: Promise<void>;

  constructor(
    private readonly table: JobTable,
    private readonly queue: string,
    private readonly handler: JobHandler,
    private readonly concurrency: number,
    private readonly settings: RunnerSettings,
  ) {
    this.loopDone = this.loop();
  }

  wake(): void {
    if (this.wakeUp) this.wakeUp();
    else this.wokenEarly = true;
  }

  /** stops claiming, then waits for the jobs running now */
  async close(): Promise<void> {
    this.closing = true;
    this.wake();
    await this.loopDone;
    while (this.active.size > 0) await Promise.all([...this.active]);
  }

  private async loop(): Promise<void> {
    const { pollMs, leaseMs, onError } = this.settings;
    while (!this.closing && this.table.open) {
      let sleepMs = pollMs;
      try {
        const now = Date.now();
        this.purge(now);
        const free = this.concurrency - this.active.size;
        const next = this.table.nextWake(this.queue);
        if (free > 0 && next !== null && next <= now) {
          // one token per claim: a worker that lost its lease cannot finish the job afterwards
          const rows = this.table.claim(this.queue, free, now, now + leaseMs, randomUUID());
          for (const row of rows) this.start(row);
          sleepMs = 0; // look again at once: more may be due
        } else if (free > 0 && next !== null) {
          sleepMs = Math.min(pollMs, next - now);
        }
      } catch (e) {
        if (!this.table.open) break;
        onError(e);
      }
      await this.sleep(sleepMs);
    }
  }

  private sleep(ms: number): Promise<void> {
    if (this.closing) return Promise.resolve();
    if (this.wokenEarly || ms <= 0) {
      this.wokenEarly = false;
      return new Promise((resolve) => setImmediate(resolve)); // still let I/O and handlers run
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakeUp = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeUp = done;
    });
  }

  private start(row: JobRow): void {
    const run = this.run(row).finally(() => {
      this.active.delete(run);
      this.wake();
    });
    this.active.add(run);
  }

  private async run(row: JobRow): Promise<void> {
    const { leaseMs, keepCompletedMs, onError } = this.settings;
    const token = row.lock_token!;
    const lost = () => onError(new Error(`Job ${this.queue}/${row.id}: its lease expired and another worker took it over; this try's outcome is dropped`));
    let outcome: { ok: true } | { ok: false; error: unknown };
    if (row.attempts_made > row.max_attempts) {
      // its last try's worker died (the lease ran out): no tries left
      outcome = { ok: false, error: new Error(`The worker stopped during the last of ${row.max_attempts} tries (its lease expired)`) };
    } else {
      // renew well before expiry, so a busy event loop does not lose a healthy job
      const renewal = setInterval(() => {
        try {
          if (!this.table.renew(this.queue, row.id, token, Date.now() + leaseMs)) {
            clearInterval(renewal);
            lost();
          }
        } catch (e) {
          onError(e);
        }
      }, Math.max(20, Math.floor(leaseMs / 3)));
      try {
        const job: Job = { id: row.id, name: row.name, data: JSON.parse(row.data) as unknown, attempt: row.attempts_made };
        await this.handler(job);
        outcome = { ok: true };
      } catch (error) {
        outcome = { ok: false, error };
      } finally {
        clearInterval(renewal);
      }
    }
    try {
      const now = Date.now();
      let recorded: boolean;
      if (outcome.ok) recorded = await this.table.complete(this.queue, row.id, token, now, keepCompletedMs > 0);
      else if (isPermanent(outcome.error) || row.attempts_made >= row.max_attempts) {
        recorded = await this.table.fail(this.queue, row.id, token, now, errorMessage(outcome.error));
      } else {
        const runAt = now + backoffDelay(row.backoff_ms, row.attempts_made);
        recorded = await this.table.retryLater(this.queue, row.id, token, now, runAt, errorMessage(outcome.error));
      }
      if (!recorded) lost();
    } catch (e) {
      onError(e);
    }
  }

  private purge(now: number): void {
    if (now - this.lastPurge < this.settings.purgeEveryMs) return;
    this.lastPurge = now;
    const { keepCompletedMs, keepFailedMs, onError } = this.settings;
    this.table.purge(this.queue, now - keepCompletedMs, now - keepFailedMs).catch(onError);
  }
}
