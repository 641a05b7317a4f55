import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { connect } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createBullmqQueue } from '@trellis/server/jobs/bullmq/bullmq-queue';
import { redisAnswers, uniquePrefix } from '@trellis/server/jobs/bullmq/redis-test-support';
import type { JobQueue } from '@trellis/server/jobs/port';
import { freePort } from '../support/process.js';

// A private redis-server with an append-only file in a temp folder (never the shared one on
// 6379), restarted under BullMQ's feet: jobs it acknowledged must outlive the restart.
// `npm test` installs redis-server when it is missing; without it this test fails, it does not skip.
const installed = !spawnSync('redis-server', ['--version']).error;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trellis-redis-restart-'));
const servers: ChildProcess[] = [];
afterAll(() => {
  for (const s of servers) if (s.exitCode === null && s.signalCode === null) s.kill('SIGKILL');
  fs.rmSync(dir, { recursive: true, force: true });
});

async function startRedis(port: number): Promise<{ child: ChildProcess; exited: Promise<void> }> {
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--appendfsync', 'always', '--save', '', '--daemonize', 'no'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  servers.push(child);
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 10_000;
  while (!(await redisAnswers(`redis://127.0.0.1:${port}`, 200))) {
    if (child.exitCode !== null) throw new Error(`redis-server exited:\n${out}`);
    if (Date.now() > deadline) throw new Error(`redis-server did not answer:\n${out}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return { child, exited };
}

/** SHUTDOWN over plain RESP: the server writes its append-only file and exits. */
function shutdown(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port }, () => socket.write('SHUTDOWN\r\n'));
    socket.once('close', () => resolve()); // the server closes the connection as it exits
    socket.once('error', reject);
  });
}

async function until(what: string, check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('BullMQ across a Redis restart', () => {
  it('fires delayed jobs added before the restart, once each and not early', async () => {
    if (!installed) throw new Error('redis-server is not installed: run the tests with "npm test" (it installs it) or apt-get install -y redis-server');
    const port = await freePort();
    const url = `redis://127.0.0.1:${port}`;
    const prefix = uniquePrefix('restart');
    let redis = await startRedis(port);
    // connection errors of the outage are expected: collected, not printed
    const errors: unknown[] = [];
    const open = () => createBullmqQueue({ url, prefix, onError: (e) => errors.push(e) });
    let jobs: JobQueue = open();
    try {
      const fired: { id: string; at: number }[] = [];
      await jobs.work('reminders', async (job) => {
        fired.push({ id: job.id, at: Date.now() });
      });
      const t0 = Date.now();
      const delays = [1500, 1800, 2100];
      const ids = await Promise.all(delays.map((delayMs, i) => jobs.add('reminders', 'remind', { i }, { delayMs, jobId: `reminder:${i}` })));

      await shutdown(port);
      await redis.exited;
      expect(fired).toEqual([]); // they were due later: only the append-only file has them now
      expect(fs.existsSync(path.join(dir, 'appendonlydir'))).toBe(true);
      redis = await startRedis(port);

      await until('every delayed job fires', () => fired.length >= 3, 20_000);
      await new Promise((r) => setTimeout(r, 200));
      expect(fired.map((f) => f.id).sort()).toEqual([...ids].sort());
      for (const [i, id] of ids.entries()) expect(fired.find((f) => f.id === id)!.at - t0).toBeGreaterThanOrEqual(delays[i]!);

      // a fresh driver sees the outcome
      await jobs.close();
      jobs = open();
      for (const id of ids) expect((await jobs.get('reminders', id))?.state).toBe('completed');
    } finally {
      await jobs.close();
      await shutdown(port).catch(() => {});
      await redis.exited;
    }
  }, 60_000);
});
