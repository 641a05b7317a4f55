import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openJobs } from '@trellis/server/jobs/open-jobs';
import type { JobQueue } from '@trellis/server/jobs/port';
import { TEST_REDIS_URL, deleteKeys, redisAnswers, requireRedis, uniquePrefix } from '@trellis/server/jobs/bullmq/redis-test-support';
import { openStore } from '@trellis/server/store/open-store';
import type { Store } from '@trellis/server/store/port';
import { ROOT } from '../support/process.js';

// The worker runs the BUILT server code (as `pnpm start` would), under tsx for the fixture itself.
const FIXTURE = path.join(ROOT, 'tests/jobs/fixtures/payment-worker.ts');
const BUILT = path.join(ROOT, 'server/dist/jobs/open-jobs.js');
const LEASE_MS = 1000;

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'trellis-crash-'));
const prefix = uniquePrefix('crash');
afterAll(async () => {
  fs.rmSync(tmp, { recursive: true, force: true });
  if (await redisAnswers(TEST_REDIS_URL)) await deleteKeys(TEST_REDIS_URL, prefix);
});

interface Worker {
  child: ChildProcess;
  waitFor(text: string, timeoutMs?: number): Promise<void>;
  exited: Promise<void>;
}

function startWorker(env: Record<string, string>): Worker {
  const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    exited,
    async waitFor(text, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      while (!out.includes(text)) {
        if (child.exitCode !== null || child.signalCode !== null) throw new Error(`worker exited before "${text}":\n${out}`);
        if (Date.now() > deadline) throw new Error(`worker did not print "${text}":\n${out}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
  };
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('a worker killed mid-job', () => {
  for (const driver of ['embedded', 'bullmq'] as const) {
    it(`${driver}: the job runs again in a new worker and its effect happens once`, async () => {
      if (!fs.existsSync(BUILT)) throw new Error(`${BUILT} is missing: run "pnpm build" first (npm test does)`);
      if (driver === 'bullmq') await requireRedis();
      const dataDir = path.join(tmp, driver, 'data');
      const workDir = path.join(tmp, driver, 'work');
      fs.mkdirSync(path.join(workDir, 'receipts'), { recursive: true });
      const redisUrl = driver === 'bullmq' ? TEST_REDIS_URL : '';
      const env = { DATA_DIR: dataDir, REDIS_URL: redisUrl, JOBS_PREFIX: prefix, LEASE_MS: String(LEASE_MS), WORK_DIR: workDir };

      // this process only adds and watches; the workers are children
      let store: Store | null = null;
      let jobs: JobQueue | null = null;
      const workers: Worker[] = [];
      try {
        store = await openStore({ dataDir, mongoUrl: null });
        jobs = await openJobs({ redisUrl: redisUrl || null }, store, { prefix });
        const id = await jobs.add('payments', 'charge', { orderId: 'order-1001', amount: 250 }, { jobId: 'charge:order-1001' });

        const first = startWorker({ ...env, HOLD_MS: '60000' });
        workers.push(first);
        await first.waitFor(`running ${id}`);
        first.child.kill('SIGKILL');
        await first.exited;
        expect((await jobs.get('payments', id))?.state).toBe('active'); // nobody finished it

        const second = startWorker({ ...env, HOLD_MS: '0' });
        workers.push(second);
        await until('the job completes in the second worker', async () => (await jobs!.get('payments', id))?.state === 'completed');
        second.child.kill('SIGTERM');
        await second.exited;

        // at least once: two tries, one per worker; exactly once: one charge, by the first
        const tries = fs.readFileSync(path.join(workDir, 'tries.log'), 'utf8').trim().split('\n');
        expect(tries).toHaveLength(2);
        expect(tries[0]).toContain(`pid=${first.child.pid} charged`);
        expect(tries[1]).toContain(`pid=${second.child.pid} already charged`);
        expect(fs.readdirSync(path.join(workDir, 'receipts'))).toEqual(['order-1001']);
        const receipt = JSON.parse(fs.readFileSync(path.join(workDir, 'receipts/order-1001'), 'utf8'));
        expect(receipt).toEqual({ orderId: 'order-1001', amount: 250, pid: first.child.pid });
      } finally {
        for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
        await jobs?.close();
        await store?.close();
      }
    });
  }
});
