import { afterEach, describe, expect, it } from 'vitest';
import { JobsError } from './jobs-error.js';
import { PermanentJobError, type Job, type JobQueue } from './port.js';

export interface JobContractOptions {
  /** closes `jobs` and what it runs on (the store, the connections) and opens the same data again */
  reopen?: (jobs: JobQueue) => Promise<JobQueue>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `check` until it holds; fails with `what` after `timeoutMs`. */
export async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await sleep(10);
  }
}

let queueSeq = 0;
/** a queue of its own per test, so tests sharing a backend never see each other's jobs */
const queueName = (tag: string) => `${tag}-${process.pid}-${Date.now().toString(36)}-${queueSeq++}`;

async function rejectsWith(p: Promise<unknown>, code: JobsError['code']): Promise<void> {
  await expect(p).rejects.toSatisfy((e) => e instanceof JobsError && e.code === code);
}

/**
 * The behaviour every JobQueue driver must show. `make` returns a new driver
 * over the same data each call (the same SQLite file, the same Redis prefix).
 * Delays and backoffs are tens of milliseconds, so the suite stays fast.
 */
export function runJobContract(name: string, make: () => Promise<JobQueue>, options: JobContractOptions = {}): void {
  describe(`jobs contract: ${name}`, () => {
    const opened: JobQueue[] = [];
    const fresh = async () => {
      const jobs = await make();
      opened.push(jobs);
      return jobs;
    };
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((j) => j.close()));
    });

    it('runs a job once with its name and data, then reports it completed', async () => {
      const jobs = await fresh();
      const q = queueName('once');
      const seen: Job[] = [];
      const t0 = Date.now();
      const a = await jobs.add(q, 'send-mail', { to: 'a@example.com', lines: [1, 2] });
      const b = await jobs.add(q, 'notify', 'plain text');
      expect(a).not.toBe(b);
      await jobs.work(q, async (job) => {
        seen.push(job);
      });
      await jobs.drain(q);
      await sleep(100); // nothing runs a second time
      expect(seen).toHaveLength(2);
      expect(seen.find((j) => j.id === a)).toEqual({ id: a, name: 'send-mail', data: { to: 'a@example.com', lines: [1, 2] }, attempt: 1 });
      expect(seen.find((j) => j.id === b)).toEqual({ id: b, name: 'notify', data: 'plain text', attempt: 1 });
      const info = await jobs.get(q, a);
      expect(info).toMatchObject({ id: a, queue: q, name: 'send-mail', state: 'completed', attemptsMade: 1, error: null, runAt: null });
      expect(info!.createdAt).toBeGreaterThanOrEqual(t0);
      expect(info!.createdAt).toBeLessThanOrEqual(Date.now());
      expect(await jobs.get(q, 'no-such-job')).toBeNull();
    });

    it('runs jobs added before work() once work starts', async () => {
      const jobs = await fresh();
      const q = queueName('before');
      const ids = await Promise.all([1, 2, 3, 4, 5].map((n) => jobs.add(q, 'early', { n })));
      await sleep(50);
      expect((await jobs.get(q, ids[0]!))?.state).toBe('waiting');
      const seen: string[] = [];
      await jobs.work(q, async (job) => {
        seen.push(job.id);
      });
      await jobs.drain(q);
      expect(seen.sort()).toEqual([...ids].sort());
    });

    it('dedupes by jobId while a job waits, is delayed, or is completed and kept', async () => {
      const jobs = await fresh();
      const q = queueName('dedupe');
      // ids BullMQ cannot take as they are: a ':' and an integer
      expect(await jobs.add(q, 'charge', { v: 1 }, { jobId: 'order:42' })).toBe('order:42');
      expect(await jobs.add(q, 'charge', { v: 2 }, { jobId: 'order:42' })).toBe('order:42');
      expect(await jobs.add(q, 'timer', { v: 1 }, { jobId: '42', delayMs: 80 })).toBe('42');
      expect(await jobs.add(q, 'timer', { v: 2 }, { jobId: '42', delayMs: 80 })).toBe('42');
      expect((await jobs.get(q, '42'))?.state).toBe('delayed');
      const seen: Job[] = [];
      await jobs.work(q, async (job) => {
        seen.push(job);
      });
      await jobs.drain(q, 1000);
      expect(seen.map((j) => [j.id, j.data]).sort()).toEqual([['42', { v: 1 }], ['order:42', { v: 1 }]]);
      // completed and kept: still deduped
      expect(await jobs.add(q, 'charge', { v: 3 }, { jobId: 'order:42' })).toBe('order:42');
      await sleep(100);
      await jobs.drain(q);
      expect(seen).toHaveLength(2);
      expect((await jobs.get(q, 'order:42'))?.data).toEqual({ v: 1 });
    });

    it('honours a delay: the job is delayed, then runs no earlier than asked', async () => {
      const jobs = await fresh();
      const q = queueName('delay');
      let ranAt = 0;
      await jobs.work(q, async () => {
        ranAt = Date.now();
      });
      const t0 = Date.now();
      const id = await jobs.add(q, 'later', null, { delayMs: 250 });
      const info = await jobs.get(q, id);
      expect(info?.state).toBe('delayed');
      expect(info!.runAt).toBeGreaterThanOrEqual(t0 + 250);
      expect(info!.runAt).toBeLessThanOrEqual(Date.now() + 250);
      await until('the delayed job runs', () => ranAt > 0);
      expect(ranAt - t0).toBeGreaterThanOrEqual(250);
      expect(ranAt - t0).toBeLessThan(1500);
      // the handler has run; the runner marks the job completed just after it returns
      await expect.poll(async () => (await jobs.get(q, id))?.state, { timeout: 5000, interval: 20 }).toBe('completed');
    });

    it('retries with a growing backoff, fails for good, lists it in failed() and retry() runs it again', async () => {
      const jobs = await fresh();
      const q = queueName('retry');
      const tries: { attempt: number; at: number }[] = [];
      let broken = true;
      await jobs.work(q, async (job) => {
        tries.push({ attempt: job.attempt, at: Date.now() });
        if (broken) throw new Error(`boom ${job.attempt}`);
      });
      const id = await jobs.add(q, 'flaky', { x: 1 }, { attempts: 3, backoffMs: 50 });
      await until('the job fails for good', async () => (await jobs.get(q, id))?.state === 'failed');
      expect(tries.map((t) => t.attempt)).toEqual([1, 2, 3]);
      const gap1 = tries[1]!.at - tries[0]!.at;
      const gap2 = tries[2]!.at - tries[1]!.at;
      expect(gap1).toBeGreaterThanOrEqual(48); // 50, a clock tick of slack
      expect(gap2).toBeGreaterThanOrEqual(98); // 100: doubled
      expect(await jobs.get(q, id)).toMatchObject({ state: 'failed', attemptsMade: 3, error: 'boom 3', data: { x: 1 } });
      const dead = await jobs.failed(q);
      expect(dead.map((j) => j.id)).toEqual([id]);
      expect(dead[0]).toMatchObject({ queue: q, name: 'flaky', state: 'failed', error: 'boom 3' });

      broken = false;
      expect(await jobs.retry(q, id)).toBe(true);
      await until('the retried job completes', async () => (await jobs.get(q, id))?.state === 'completed');
      expect(tries.map((t) => t.attempt)).toEqual([1, 2, 3, 1]); // attempts start over
      expect(await jobs.failed(q)).toEqual([]);
      expect(await jobs.retry(q, id)).toBe(false); // not failed
      expect(await jobs.retry(q, 'no-such-job')).toBe(false);
    });

    it('fails a PermanentJobError at once, and lists failures newest first', async () => {
      const jobs = await fresh();
      const q = queueName('permanent');
      let calls = 0;
      await jobs.work(q, async (job) => {
        calls++;
        throw new PermanentJobError(`form of ${job.name} is gone`);
      });
      const ids: string[] = [];
      for (const n of ['a', 'b', 'c']) {
        const id = await jobs.add(q, n, {}, { attempts: 5, backoffMs: 10 });
        ids.push(id);
        await until(`job ${n} fails`, async () => (await jobs.get(q, id))?.state === 'failed');
        await sleep(5); // distinct finish times
      }
      expect(calls).toBe(3);
      expect(await jobs.get(q, ids[0]!)).toMatchObject({ state: 'failed', attemptsMade: 1, error: 'form of a is gone' });
      expect((await jobs.failed(q, 2)).map((j) => j.id)).toEqual([ids[2], ids[1]]);
      expect(await jobs.failed(q, 0)).toEqual([]);
    });

    it('cancels a waiting or delayed job, and nothing else', async () => {
      const jobs = await fresh();
      const q = queueName('cancel');
      const timer = await jobs.add(q, 'timeout', {}, { delayMs: 200, jobId: 'timer:wf1:approve' });
      const waiting = await jobs.add(q, 'now', {});
      expect(await jobs.cancel(q, timer)).toBe(true);
      expect(await jobs.cancel(q, waiting)).toBe(true);
      expect(await jobs.get(q, timer)).toBeNull();
      expect(await jobs.cancel(q, timer)).toBe(false);
      expect(await jobs.cancel(q, 'no-such-job')).toBe(false);

      const seen: string[] = [];
      await jobs.work(q, async (job) => {
        seen.push(job.id);
      });
      const done = await jobs.add(q, 'done', {});
      await jobs.drain(q);
      expect(await jobs.cancel(q, done)).toBe(false); // completed
      await sleep(300); // past the cancelled timer's time
      expect(seen).toEqual([done]);
      // a cancelled id is free again
      expect(await jobs.add(q, 'timeout', {}, { jobId: 'timer:wf1:approve' })).toBe('timer:wf1:approve');
      await jobs.drain(q);
      expect(seen).toEqual([done, 'timer:wf1:approve']);
    });

    it('runs up to `concurrency` jobs of a queue at once', async () => {
      const jobs = await fresh();
      const q = queueName('concurrency');
      for (let i = 0; i < 7; i++) await jobs.add(q, 'slow', { i });
      let running = 0;
      let most = 0;
      let done = 0;
      await jobs.work(
        q,
        async () => {
          running++;
          most = Math.max(most, running);
          await sleep(80);
          running--;
          done++;
        },
        { concurrency: 3 },
      );
      await jobs.drain(q);
      expect(done).toBe(7);
      expect(most).toBe(3);
    });

    it('close() lets the active job finish first', async () => {
      const jobs = await fresh();
      const q = queueName('close');
      let finished = false;
      let started!: () => void;
      const startedP = new Promise<void>((r) => (started = r));
      await jobs.work(q, async () => {
        started();
        await sleep(250);
        finished = true;
      });
      const id = await jobs.add(q, 'long', {});
      await startedP;
      await jobs.close();
      expect(finished).toBe(true);
      await rejectsWith(jobs.add(q, 'late', {}), 'JOBS_CLOSED');
      const other = await fresh();
      expect((await other.get(q, id))?.state).toBe('completed');
    });

    it('drain() does not wait for delayed jobs beyond its horizon', async () => {
      const jobs = await fresh();
      const q = queueName('drain');
      await jobs.work(q, async () => {});
      const far = await jobs.add(q, 'far', {}, { delayMs: 60_000 });
      const t0 = Date.now();
      await jobs.drain(q);
      await jobs.drain(q, 1000);
      expect(Date.now() - t0).toBeLessThan(1000);
      expect((await jobs.get(q, far))?.state).toBe('delayed');
      expect(await jobs.cancel(q, far)).toBe(true);
    });

    it('refuses a second worker for a queue, bad queue names and bad options', async () => {
      const jobs = await fresh();
      const q = queueName('refuse');
      await jobs.work(q, async () => {});
      await rejectsWith(jobs.work(q, async () => {}), 'JOBS_ALREADY_WORKING');
      await rejectsWith(jobs.add('has:colon', 'x', {}), 'JOBS_BAD_INPUT');
      await rejectsWith(jobs.add('', 'x', {}), 'JOBS_BAD_INPUT');
      await rejectsWith(jobs.add(q, 'x', {}, { attempts: 0 }), 'JOBS_BAD_INPUT');
      await rejectsWith(jobs.add(q, 'x', {}, { delayMs: -1 }), 'JOBS_BAD_INPUT');
      await rejectsWith(jobs.add(q, 'x', {}, { jobId: '' }), 'JOBS_BAD_INPUT');
      await rejectsWith(jobs.work(queueName('c'), async () => {}, { concurrency: 0 }), 'JOBS_BAD_INPUT');
    });

    if (options.reopen) {
      const reopen = options.reopen;
      it('keeps waiting, delayed and failed jobs across a close and reopen', async () => {
        let jobs = await fresh();
        const q = queueName('durable');
        const dead = queueName('durable-dead');
        await jobs.work(dead, async () => {
          throw new PermanentJobError('bad metadata');
        });
        const deadId = await jobs.add(dead, 'bad', {});
        await until('the bad job fails', async () => (await jobs.get(dead, deadId))?.state === 'failed');
        const now = await jobs.add(q, 'now', { n: 1 });
        const later = await jobs.add(q, 'later', { n: 2 }, { delayMs: 150, jobId: 'later:1' });

        jobs = await reopen(jobs);
        opened.push(jobs);
        expect((await jobs.failed(dead)).map((j) => j.id)).toEqual([deadId]);
        expect((await jobs.get(q, later))?.state).toBe('delayed');
        const seen: Job[] = [];
        await jobs.work(q, async (job) => {
          seen.push(job);
        });
        await jobs.drain(q, 1000);
        expect(seen.map((j) => [j.id, j.data]).sort()).toEqual([[later, { n: 2 }], [now, { n: 1 }]].sort());
      });
    }
  });
}
