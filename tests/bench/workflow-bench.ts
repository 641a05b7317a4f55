// Workflow benchmarks on each job driver (embedded runner; BullMQ on a real Redis): approval
// transitions per second, and how long a background job takes to be picked up. Not a test: it prints figures.
//   pnpm bench                                     runs these after the other benches
//   pnpm exec tsx tests/bench/workflow-bench.ts    these alone (build first: pnpm build)
// BENCH_APPROVALS (default 10,000) open tasks are approved; BENCH_CONNECTIONS (default 32) clients;
// BENCH_CPU_PROF_DIR=dir writes a V8 CPU profile of each server into dir (when it stops).
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import type { ChildProcess } from 'node:child_process';
import autocannon from 'autocannon';
import { openJobs } from '@trellis/server/jobs/open-jobs';
import type { JobQueue } from '@trellis/server/jobs/port';
import { deleteKeys, redisAnswers } from '@trellis/server/jobs/bullmq/redis-test-support';
import { createSqliteStore } from '@trellis/server/store/sqlite/sqlite-store';
import type { Store } from '@trellis/server/store/port';
import { benchForm, makeRecordData, rng } from './generator.js';
import { http, startServerProcess, type ServerProcess } from '../support/process.js';

/** A row of the `pnpm bench` table; `rps` is null for a latency-only figure, all three for a skipped one. */
export interface BenchRow { name: string; rps: number | null; p50: number | null; p99: number | null; rssMb: number | null; target: string; note?: string }

export interface WorkflowBenchOptions {
  /** open tasks seeded, then approved (default BENCH_APPROVALS or 10,000) */
  approvals?: number;
  /** autocannon clients (default BENCH_CONNECTIONS or 32) */
  connections?: number;
  /** sequential submits of the submit → action job → task latency (default 200) */
  latencySubmits?: number;
  /** add → handler start samples on the jobs port (default 1000) */
  portSamples?: number;
}

type Driver = 'embedded' | 'bullmq';
const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
// the flow engine's safety jobs run 3 s after each write; waiting this long past "now" lets them all finish
const SAFETY_HORIZON_MS = 3500;
const PASSWORD = 'bench-approver-password';

const orderForm = {
  name: 'Purchase order (bench)',
  fields: [
    { key: 'subject', type: 'text', label: 'Subject', required: true },
    { key: 'request', type: 'text', label: 'Request id', indexed: true },
  ],
};

const requestForm = {
  name: 'Request with an action (bench)',
  fields: [{ key: 'title', type: 'text', label: 'Title', required: true }],
};

function peakRssMb(child: ChildProcess): number | null {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 1024) : null;
  } catch {
    return null;
  }
}

function percentile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

const round = (ms: number) => Math.round(ms * 100) / 100;

const PROF_DIR = process.env.BENCH_CPU_PROF_DIR ? path.resolve(process.env.BENCH_CPU_PROF_DIR) : null;
const monoUs = () => Number(process.hrtime.bigint() / 1000n);

/**
 * When profiling, notes a load's window on the monotonic clock (the clock of a V8 profile's
 * startTime and timeDeltas, in µs) in phases.jsonl, so the profile can be cut to it.
 */
function notePhase(driver: Driver, phase: string, res: { startUs: number; endUs: number }): void {
  if (PROF_DIR) appendFileSync(path.join(PROF_DIR, 'phases.jsonl'), `${JSON.stringify({ driver, phase, startUs: res.startUs, endUs: res.endUs })}\n`);
}

/**
 * autocannon with `amount`; `perSecond` is requests over the time to the last response. (autocannon
 * notices the end only at its next 1 s sample tick, so its `duration` is rounded up to whole seconds.)
 */
function cannon(opts: autocannon.Options): Promise<autocannon.Result & { perSecond: number; startUs: number; endUs: number }> {
  return new Promise((resolve, reject) => {
    const startUs = monoUs();
    let endUs = startUs;
    const tracker = autocannon(opts, (err, res) => (err ? reject(err) : resolve({ ...res, perSecond: Math.round(res.requests.total / ((endUs - startUs) / 1e6)), startUs, endUs })));
    tracker.on('response', () => (endUs = monoUs()));
  });
}

/** Runs `fn` over `items` with at most `width` at a time. */
async function pool<T, R>(items: T[], width: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  }));
  return out;
}

/**
 * The server's job queue seen from here: the same SQLite file (embedded) or Redis prefix (BullMQ),
 * without working it. Used only to wait until background work has settled between phases, so one
 * phase's leftovers (safety jobs due 3 s after each write) are not billed to the next.
 */
async function probe(driver: Driver, dataDir: string, prefix: string): Promise<{ jobs: JobQueue; store: Store; close(): Promise<void> }> {
  const store = await createSqliteStore({ file: path.join(dataDir, 'trellis.db') });
  const jobs = await openJobs({ redisUrl: driver === 'bullmq' ? REDIS_URL : null }, store, { prefix });
  return { jobs, store, close: async () => { await jobs.close(); await store.close(); } };
}

async function settle(jobs: JobQueue): Promise<number> {
  const t0 = performance.now();
  await jobs.drain('workflow', SAFETY_HORIZON_MS);
  return performance.now() - t0;
}

interface Setup { approvalForm: string; requestForm: string; orderForm: string; approver: string; approverToken: string }

async function setUp(server: ServerProcess): Promise<Setup> {
  const api = async (method: string, url: string, body?: unknown) => {
    const r = await http(server.url, method, url, body, server.token);
    if (r.status >= 300) throw new Error(`${method} ${url}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };
  const app = (await api('POST', '/api/apps', { name: 'Workflow bench' })).id as string;
  const approvalForm = (await api('POST', `/api/apps/${app}/forms`, { ...benchForm, name: 'Purchase request with approval (bench)' })).id as string;
  const reqForm = (await api('POST', `/api/apps/${app}/forms`, requestForm)).id as string;
  const ordForm = (await api('POST', `/api/apps/${app}/forms`, orderForm)).id as string;
  for (const f of [approvalForm, reqForm, ordForm]) await api('POST', `/api/forms/${f}/publish`);
  const approver = (await api('POST', '/api/users', { email: 'approver@bench.test', name: 'Approver', password: PASSWORD })).id as string;
  const approverToken = (await http(server.url, 'POST', '/api/auth/login', { username: 'approver@bench.test', password: PASSWORD })).body.token as string;

  const approve = { id: 'approve', type: 'approval', name: 'Approve', assignees: [{ type: 'users', users: [approver] }], mode: 'any' };
  const done = { id: 'done', type: 'end', status: 'approved' };
  await api('PUT', `/api/forms/${approvalForm}/workflow`, {
    nodes: [{ id: 'start', type: 'start' }, approve, done],
    edges: [{ from: 'start', to: 'approve' }, { from: 'approve', to: 'done' }],
  });
  await api('POST', `/api/forms/${approvalForm}/workflow/publish`);
  // the first step is an action: it runs as a background job, and only then is the approval task opened
  await api('PUT', `/api/forms/${reqForm}/workflow`, {
    nodes: [
      { id: 'start', type: 'start' },
      { id: 'order', type: 'action', action: { type: 'createRecord', form: ordForm, values: { subject: { cat: ['PO for ', { var: 'title' }] }, request: { var: 'record.id' } } } },
      approve,
      done,
    ],
    edges: [{ from: 'start', to: 'order' }, { from: 'order', to: 'approve' }, { from: 'approve', to: 'done' }],
  });
  await api('POST', `/api/forms/${reqForm}/workflow/publish`);
  return { approvalForm, requestForm: reqForm, orderForm: ordForm, approver, approverToken };
}

async function countRecords(server: ServerProcess, formId: string, filter?: unknown): Promise<number> {
  const q = filter ? `filter=${encodeURIComponent(JSON.stringify(filter))}&` : '';
  const r = await http(server.url, 'GET', `/api/forms/${formId}/records?${q}count=true&limit=1`, undefined, server.token);
  if (r.status !== 200) throw new Error(`count of ${formId}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.total as number;
}

/** Seeds `n` open approval tasks through the API, then approves them all as fast as the server takes it. */
async function approvalBench(server: ServerProcess, jobs: JobQueue, s: Setup, driver: Driver, n: number, connections: number, rows: BenchRow[]): Promise<void> {
  const next = rng(7);
  const bodies = Array.from({ length: 1000 }, () => JSON.stringify({ data: makeRecordData(next) }));
  const recordIds: string[] = [];
  let b = 0;
  const submit = await cannon({
    url: server.url,
    connections,
    amount: n,
    requests: [{
      method: 'POST',
      path: `/api/forms/${s.approvalForm}/records`,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${server.token}` },
      setupRequest: (req) => ({ ...req, body: bodies[b++ % bodies.length] }),
      onResponse: (status, body) => {
        if (status === 201) recordIds.push((JSON.parse(body) as { id: string }).id);
      },
    }],
  });
  notePhase(driver, 'submit', submit);
  const submitBad = submit.non2xx + submit.errors + submit.timeouts;
  rows.push({
    name: `${driver} jobs: submit a record that starts a 1-step approval workflow (${n.toLocaleString('en')} records, ${connections} connections)`,
    rps: submit.perSecond, p50: submit.latency.p50, p99: submit.latency.p99, rssMb: peakRssMb(server.child),
    target: '≥ 3,000/s, p99 < 50 ms', note: submitBad ? `${submitBad} failed` : undefined,
  });
  console.log(`  ${driver}: submitted ${recordIds.length} records at ${submit.perSecond}/s`);
  const settled = await settle(jobs);
  console.log(`  ${driver}: background jobs settled ${(settled / 1000).toFixed(1)} s after the last submit`);

  // The list of my tasks has no cursor (at most 500, newest first): it checks the tasks are there,
  // and each record's instance names its task.
  const listed = (await http(server.url, 'GET', '/api/tasks?limit=500', undefined, s.approverToken)).body.items as unknown[];
  const taskIds = (await pool(recordIds, 16, async (id) => {
    const r = await http(server.url, 'GET', `/api/records/${id}/workflow`, undefined, server.token);
    const tasks = (r.body?.tasks ?? []) as { id: string; status: string; assignee: string }[];
    return tasks.find((t) => t.status === 'open' && t.assignee === s.approver)?.id;
  })).filter((id): id is string => !!id);
  console.log(`  ${driver}: ${taskIds.length} open tasks (the approver's list shows ${listed.length} of at most 500)`);
  if (taskIds.length === 0) throw new Error(`${driver}: no open tasks to approve`);

  let t = 0;
  const approve = await cannon({
    url: server.url,
    connections: Math.min(connections, taskIds.length),
    amount: taskIds.length, // one request per task: the run ends when the list is used up
    requests: [{
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${s.approverToken}` },
      body: '{}',
      // past the end (it should not happen) a made-up id answers 404 and shows as a failure
      setupRequest: (req) => ({ ...req, path: `/api/tasks/${taskIds[t++] ?? 'no-such-task'}/approve` }),
    }],
  });
  notePhase(driver, 'approve', approve);
  const afterApprovals = await settle(jobs);
  const ok = approve.statusCodeStats?.['200']?.count ?? 0;
  const approved = await countRecords(server, s.approvalForm, { field: 'status', op: 'eq', value: 'approved' });
  const problems = [
    ok !== taskIds.length ? `${taskIds.length - ok} answered other than 200 (${JSON.stringify(approve.statusCodeStats)}, ${approve.errors} errors)` : '',
    approved !== taskIds.length ? `${approved} of ${taskIds.length} records approved` : '',
    taskIds.length !== n ? `${n - taskIds.length} tasks missing after the submits` : '',
  ].filter(Boolean);
  const rps = approve.perSecond;
  rows.push({
    name: `${driver} jobs: approve a task, 1-step flow → record approved (${taskIds.length.toLocaleString('en')} tasks, ${connections} connections)`,
    rps, p50: approve.latency.p50, p99: approve.latency.p99, rssMb: peakRssMb(server.child),
    target: driver === 'bullmq' ? '≥ 1,000/s' : '—',
    note: [...(problems.length ? problems : [`every approval 200, all ${approved} records approved`]), `their safety jobs drained ${(afterApprovals / 1000).toFixed(1)} s after the last approval`].join('; '),
  });
  console.log(`  ${driver}: approved ${ok}/${taskIds.length} at ${rps}/s, p50 ${approve.latency.p50} ms, p99 ${approve.latency.p99} ms; ${approved} records approved${problems.length ? `; PROBLEMS: ${problems.join('; ')}` : ''}`);
}

/**
 * Submit → the action job (createRecord into another form) ran → the approval task is in the
 * approver's list, one record at a time over HTTP. The task is polled about every millisecond
 * (newest task first: ids sort by time), so the figure includes the submit's own round trip.
 */
async function jobLatencyBench(server: ServerProcess, jobs: JobQueue, s: Setup, driver: Driver, n: number, rows: BenchRow[]): Promise<void> {
  const total: number[] = [];
  const submitOnly: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const r = await http(server.url, 'POST', `/api/forms/${s.requestForm}/records`, { data: { title: `Request ${i}` } }, server.token);
    if (r.status !== 201) throw new Error(`submit: ${r.status} ${JSON.stringify(r.body)}`);
    submitOnly.push(performance.now() - t0);
    const id = r.body.id as string;
    for (;;) {
      const top = (await http(server.url, 'GET', '/api/tasks?limit=1', undefined, s.approverToken)).body.items as { recordId: string }[];
      if (top[0]?.recordId === id) break;
      if (performance.now() - t0 > 30_000) throw new Error(`${driver}: no task for record ${id} after 30 s`);
      await new Promise((res) => setTimeout(res, 1));
    }
    total.push(performance.now() - t0);
  }
  await settle(jobs);
  const orders = await countRecords(server, s.orderForm);
  total.sort((a, b) => a - b);
  submitOnly.sort((a, b) => a - b);
  rows.push({
    name: `${driver} jobs: submit → action job (createRecord) ran → approval task listed, over HTTP, ${n} sequential submits (the submit alone: p50 ${round(percentile(submitOnly, 0.5))} ms)`,
    rps: null, p50: round(percentile(total, 0.5)), p99: round(percentile(total, 0.99)), rssMb: peakRssMb(server.child), target: '—',
    note: orders === n ? undefined : `${orders} of ${n} order records created`,
  });
  console.log(`  ${driver}: submit → task p50 ${round(percentile(total, 0.5))} ms, p99 ${round(percentile(total, 0.99))} ms (submit alone p50 ${round(percentile(submitOnly, 0.5))} ms); ${orders} orders`);
}

/** The jobs port alone, in this process: add a job, time until its handler starts; one at a time, idle queue. */
async function portPickupBench(driver: Driver, samples: number, rows: BenchRow[]): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'trellis-bench-jobs-'));
  const prefix = `trellis-bench:port:${process.pid}-${Date.now().toString(36)}`;
  const store = await createSqliteStore({ file: path.join(dir, 'trellis.db') });
  const jobs = await openJobs({ redisUrl: driver === 'bullmq' ? REDIS_URL : null }, store, { prefix });
  let started: ((at: number) => void) | null = null;
  await jobs.work('bench', async () => started?.(performance.now()), { concurrency: 8 });
  const pickup: number[] = [];
  const addOnly: number[] = [];
  const warmup = 50;
  try {
    for (let i = 0; i < samples + warmup; i++) {
      const ran = new Promise<number>((resolve) => (started = resolve));
      const t0 = performance.now();
      await jobs.add('bench', 'ping', { i });
      const t1 = performance.now();
      const at = await ran;
      if (i >= warmup) {
        pickup.push(at - t0);
        addOnly.push(t1 - t0);
      }
    }
    await jobs.drain('bench');
  } finally {
    await jobs.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
    if (driver === 'bullmq') await deleteKeys(REDIS_URL, prefix);
  }
  pickup.sort((a, b) => a - b);
  addOnly.sort((a, b) => a - b);
  rows.push({
    name: `${driver} jobs: jobs port in-process, add → handler starts, ${samples} jobs one at a time (add alone: p50 ${round(percentile(addOnly, 0.5))} ms)`,
    rps: null, p50: round(percentile(pickup, 0.5)), p99: round(percentile(pickup, 0.99)), rssMb: null, target: '—',
  });
  console.log(`  ${driver}: port add → start p50 ${round(percentile(pickup, 0.5))} ms, p99 ${round(percentile(pickup, 0.99))} ms`);
}

async function onDriver(driver: Driver, o: Required<WorkflowBenchOptions>, rows: BenchRow[]): Promise<void> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'trellis-bench-wf-'));
  const prefix = `trellis-bench:${process.pid}-${Date.now().toString(36)}`;
  // the server inherits this process's environment: an empty REDIS_URL keeps the embedded run embedded,
  // an empty MONGO_URL keeps the store the SQLite file the probe opens
  const env: Record<string, string> = { DATA_DIR: dataDir, MONGO_URL: '', REDIS_URL: driver === 'bullmq' ? REDIS_URL : '' };
  if (driver === 'bullmq') env.TRELLIS_REDIS_PREFIX = prefix;
  // the profile is written when the server is stopped (SIGTERM)
  if (PROF_DIR) {
    mkdirSync(PROF_DIR, { recursive: true });
    // Node 20 refuses --cpu-prof in NODE_OPTIONS; the preload runs the profiler instead
    env.NODE_OPTIONS = `--import=${pathToFileURL(path.join(import.meta.dirname, 'cpu-profile.mjs')).href}`;
    env.TRELLIS_CPU_PROFILE = path.join(PROF_DIR, `server-${driver}.cpuprofile`);
  }
  let server: ServerProcess | null = null;
  let p: Awaited<ReturnType<typeof probe>> | null = null;
  try {
    server = await startServerProcess(env);
    p = await probe(driver, dataDir, prefix);
    const s = await setUp(server);
    await approvalBench(server, p.jobs, s, driver, o.approvals, o.connections, rows);
    await jobLatencyBench(server, p.jobs, s, driver, o.latencySubmits, rows);
  } finally {
    await p?.close();
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
    if (driver === 'bullmq') await deleteKeys(REDIS_URL, prefix);
  }
  await portPickupBench(driver, o.portSamples, rows);
}

/** The workflow benches on each job driver; BullMQ is skipped (with a row saying so) when no Redis answers. */
export async function workflowBenches(options: WorkflowBenchOptions = {}): Promise<BenchRow[]> {
  const o: Required<WorkflowBenchOptions> = {
    // 10,000 at ~1,300/s outlast the 3 s after which each approval's safety job runs, so the figure
    // includes that background work, as a steady load would; 3,000 would finish before any of it
    approvals: options.approvals ?? Number(process.env.BENCH_APPROVALS ?? 10_000),
    connections: options.connections ?? Number(process.env.BENCH_CONNECTIONS ?? 32),
    latencySubmits: options.latencySubmits ?? 200,
    portSamples: options.portSamples ?? 1000,
  };
  const rows: BenchRow[] = [];
  for (const driver of ['embedded', 'bullmq'] as const) {
    if (driver === 'bullmq' && !(await redisAnswers(REDIS_URL))) {
      console.log(`  bullmq: skipped, no Redis answers at ${REDIS_URL} (npm test starts one; or set REDIS_URL)`);
      rows.push({ name: 'bullmq jobs: workflow benches', rps: null, p50: null, p99: null, rssMb: null, target: '≥ 1,000/s', note: `skipped: no Redis at ${REDIS_URL}` });
      continue;
    }
    console.log(`workflow benches on ${driver} jobs`);
    await onDriver(driver, o, rows);
  }
  return rows;
}

export function printRows(rows: BenchRow[]): void {
  console.log('\n| benchmark | req/s | p50 ms | p99 ms | server peak RSS MB | target | note |');
  console.log('|---|---|---|---|---|---|---|');
  for (const r of rows) console.log(`| ${r.name} | ${r.rps ?? '—'} | ${r.p50 ?? '—'} | ${r.p99 ?? '—'} | ${r.rssMb ?? '—'} | ${r.target} | ${r.note ?? ''} |`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  console.log('Trellis workflow bench');
  printRows(await workflowBenches());
}
