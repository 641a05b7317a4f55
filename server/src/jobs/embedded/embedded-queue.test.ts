import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Store } from '../../store/port.js';
import { createSqliteStore, sqliteDbOf } from '../../store/sqlite/sqlite-store.js';
import { runJobContract, until } from '../contract.js';
import { openJobs } from '../open-jobs.js';
import type { Job, JobQueue } from '../port.js';
import { createEmbeddedQueue, type EmbeddedQueueOptions } from './embedded-queue.js';
import { JobTable } from './job-table.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trellis-jobs-'));
const file = path.join(dir, 'contract/trellis.db');
const stores: Store[] = [];
afterAll(async () => {
  await Promise.all(stores.map((s) => s.close()));
  fs.rmSync(dir, { recursive: true, force: true });
});

async function openStore(at = file): Promise<Store> {
  const store = await createSqliteStore({ file: at });
  stores.push(store);
  return store;
}

// every driver of the contract run works on one file, as processes sharing DATA_DIR would
let shared: Store | null = null;
const queueOn = (store: Store, options: EmbeddedQueueOptions = {}) => createEmbeddedQueue(sqliteDbOf(store)!, { pollMs: 20, ...options });

runJobContract(
  'embedded (SQLite)',
  async () => {
    shared ??= await openStore();
    return queueOn(shared);
  },
  {
    reopen: async (jobs) => {
      await jobs.close();
      await shared!.close();
      shared = await openStore();
      return queueOn(shared);
    },
  },
);

describe('embedded jobs specifics', () => {
  const drivers: JobQueue[] = [];
  afterEach(async () => {
    await Promise.all(drivers.splice(0).map((d) => d.close()));
  });
  let n = 0;
  async function setup(options: EmbeddedQueueOptions = {}) {
    const store = await openStore(path.join(dir, `specific-${n++}.db`));
    const db = sqliteDbOf(store)!;
    const driver = () => {
      const d = createEmbeddedQueue(db, { pollMs: 20, ...options });
      drivers.push(d);
      return d;
    };
    return { store, table: new JobTable(db), driver };
  }

  it('runs a job again when its worker died mid-job (the lease ran out)', async () => {
    const { table, driver } = await setup();
    const jobs = driver();
    const id = await jobs.add('q', 'charge', { order: 7 });
    // a worker claims it and dies: no completion, no renewal
    const t0 = Date.now();
    expect(table.claim('q', 1, t0, t0 + 150, 'dead-worker').map((r) => r.id)).toEqual([id]);
    expect((await jobs.get('q', id))?.state).toBe('active');
    const seen: { job: Job; at: number }[] = [];
    await jobs.work('q', async (job) => {
      seen.push({ job, at: Date.now() });
    });
    await until('the job runs again', () => seen.length === 1);
    expect(seen[0]!.job).toMatchObject({ id, data: { order: 7 }, attempt: 2 });
    expect(seen[0]!.at - t0).toBeGreaterThanOrEqual(150);
    await until('it completes', async () => (await jobs.get('q', id))?.state === 'completed');
    // the dead worker's late outcome is refused: its claim is no longer the job's
    expect(await table.complete('q', id, 'dead-worker', Date.now(), true)).toBe(false);
  });

  it('fails a job whose worker died during its last try', async () => {
    const { table, driver } = await setup();
    const jobs = driver();
    const id = await jobs.add('q', 'once', {}, { attempts: 1 });
    table.claim('q', 1, Date.now(), Date.now() + 100, 'dead-worker');
    let calls = 0;
    await jobs.work('q', async () => {
      calls++;
    });
    await until('the job fails', async () => (await jobs.get('q', id))?.state === 'failed');
    expect(calls).toBe(0);
    expect((await jobs.get('q', id))?.error).toMatch(/lease expired/);
  });

  it('renews the lease of a long job, so a second worker does not run it too', async () => {
    const { driver } = await setup({ leaseMs: 150 });
    const a = driver();
    const b = driver();
    let runs = 0;
    const slow = async () => {
      runs++;
      await new Promise((r) => setTimeout(r, 600));
    };
    await a.work('q', slow);
    await b.work('q', slow);
    await a.add('q', 'long', {});
    await new Promise((r) => setTimeout(r, 100));
    await a.drain('q');
    expect(runs).toBe(1);
  });

  it('with keepCompletedMs 0 deletes a completed job, freeing its id', async () => {
    const { driver } = await setup({ keepCompletedMs: 0 });
    const jobs = driver();
    let runs = 0;
    await jobs.work('q', async () => {
      runs++;
    });
    await jobs.add('q', 'x', {}, { jobId: 'k' });
    await jobs.drain('q');
    expect(await jobs.get('q', 'k')).toBeNull();
    await jobs.add('q', 'x', {}, { jobId: 'k' });
    await jobs.drain('q');
    expect(runs).toBe(2);
  });

  it('purges completed and failed jobs past their keeping time', async () => {
    const { table, driver } = await setup();
    const jobs = driver();
    await jobs.work('q', async (job) => {
      if (job.name === 'bad') throw new Error('no');
    });
    const ok = await jobs.add('q', 'ok', {});
    const bad = await jobs.add('q', 'bad', {}, { attempts: 1 });
    const waiting = await jobs.add('q', 'later', {}, { delayMs: 60_000 });
    await jobs.drain('q');
    const now = Date.now() + 1;
    expect(await table.purge('q', now - 60_000, now - 60_000)).toBe(0); // still young
    expect(await table.purge('q', now, now - 60_000)).toBe(1);
    expect(await jobs.get('q', ok)).toBeNull();
    expect(await table.purge('q', now, now)).toBe(1);
    expect(await jobs.get('q', bad)).toBeNull();
    expect((await jobs.get('q', waiting))?.state).toBe('delayed'); // never purged
  });

  it('picks due jobs and expired leases through the partial indexes', async () => {
    const { store } = await setup();
    const db = sqliteDbOf(store)!;
    const plan = (sql: string, ...params: (string | number)[]) =>
      db.raw.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params).map((r) => (r as { detail: string }).detail).join('; ');
    const due = `SELECT rowid FROM jobs WHERE queue = ? AND state = 'waiting' AND run_at <= ? ORDER BY run_at, rowid LIMIT ?`;
    const lease = `SELECT rowid FROM jobs WHERE queue = ? AND state = 'active' AND locked_until <= ? ORDER BY locked_until LIMIT ?`;
    const failed = `SELECT * FROM jobs WHERE queue = ? AND state = 'failed' ORDER BY updated_at DESC, rowid DESC LIMIT ?`;
    expect(plan(due, 'q', 0, 1)).toMatch(/INDEX jobs_due/);
    expect(plan(lease, 'q', 0, 1)).toMatch(/INDEX jobs_lease/);
    expect(plan(failed, 'q', 1)).toMatch(/INDEX jobs_failed/);
    expect(plan(`DELETE FROM jobs WHERE queue = ? AND state = 'completed' AND updated_at < ?`, 'q', 0)).toMatch(/INDEX jobs_completed/);
    expect(plan(due, 'q', 0, 1)).not.toMatch(/TEMP B-TREE/);
  });

  it('openJobs picks the embedded runner for a SQLite store and BullMQ for REDIS_URL', async () => {
    const { store } = await setup();
    const embedded = await openJobs({ redisUrl: null }, store);
    drivers.push(embedded);
    expect(embedded.kind).toBe('embedded');
    const bullmq = await openJobs({ redisUrl: 'redis://127.0.0.1:1' }, store, { onError: () => {} });
    expect(bullmq.kind).toBe('bullmq');
    await bullmq.close();
    const mongoLike = { ...store, kind: 'mongo' } as Store; // any store that is not the SQLite one
    await expect(openJobs({ redisUrl: null }, mongoLike)).rejects.toThrow(/REDIS_URL is required with MONGO_URL/);
  });
});
