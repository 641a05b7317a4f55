// `pnpm bench`: throughput and latency of the built server on the embedded store,
// beside a bare Fastify route (the ceiling). Not a test: it prints figures.
//   pnpm bench              all steps, up to 1,000,000 records (~10 min)
//   pnpm bench --quick      up to 100,000 records
//   pnpm bench --web        only the runtime form page in chromium (initial JS, time to interactive)
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { createSqliteStore } from '@trellis/server/store/sqlite/sqlite-store';
import type { HistoryEntry, RecordEntity, SerialAllocation } from '@trellis/server/store/port';
import { benchForm, DEPARTMENTS, makeRecordData, rng } from './generator.js';
import { workflowBenches, type BenchRow } from './workflow-bench.js';
import { webBench } from './web-bench.js';
import { freePort, http, ROOT, startServerProcess, type ServerProcess } from '../support/process.js';

const quick = process.argv.includes('--quick');
const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);

const rows: BenchRow[] = [];

function peakRssMb(child: ChildProcess): number | null {
  try {
    const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
    const m = /VmHWM:\s+(\d+) kB/.exec(status);
    return m ? Math.round(Number(m[1]) / 1024) : null;
  } catch {
    return null;
  }
}

async function cannon(opts: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon({ connections: CONNECTIONS, duration: DURATION, ...opts }, (err, res) => (err ? reject(err) : resolve(res)));
  });
}

function record(name: string, res: autocannon.Result, child: ChildProcess, target: string): void {
  const bad = res.non2xx + res.errors + res.timeouts;
  rows.push({ name, rps: Math.round(res.requests.average), p50: res.latency.p50, p99: res.latency.p99, rssMb: peakRssMb(child), target, note: bad ? `${bad} failed` : undefined });
  console.log(`  ${name}: ${Math.round(res.requests.average)} req/s, p50 ${res.latency.p50} ms, p99 ${res.latency.p99} ms${bad ? `, ${bad} FAILED` : ''}`);
}

function bodies(seed: number, n: number): string[] {
  const next = rng(seed);
  return Array.from({ length: n }, () => JSON.stringify({ data: makeRecordData(next) }));
}

async function ceiling(): Promise<autocannon.Result> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'tests/bench/bare-server.ts')], { env: { ...process.env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve) => child.stdout!.once('data', () => resolve()));
  const pool = bodies(1, 1000);
  let i = 0;
  const res = await cannon({
    url: `http://127.0.0.1:${port}`,
    requests: [{ method: 'POST', path: '/bare', headers: { 'content-type': 'application/json' }, setupRequest: (req) => ({ ...req, body: pool[i++ % pool.length] }) }],
  });
  record('bare Fastify, validate body (ceiling)', res, child, '—');
  child.kill('SIGKILL');
  return res;
}

/** Adds records straight through the store port (as an import would) until the form holds `total`, written in turn by `authors`. */
async function seed(dataDir: string, formId: string, from: number, total: number, authors: string[]): Promise<void> {
  const store = await createSqliteStore({ file: path.join(dataDir, 'trellis.db') });
  const next = rng(1000 + from);
  const start = Date.parse('2025-01-01T00:00:00Z');
  const span = Date.parse('2026-11-01T00:00:00Z') - start;
  const t0 = Date.now();
  for (let n = from; n < total; ) {
    const batch: { record: RecordEntity; history: HistoryEntry; serials: SerialAllocation[] }[] = [];
    for (let j = 0; j < 10_000 && n < total; j++, n++) {
      const at = new Date(start + Math.floor((n / 1_000_000) * span)).toISOString();
      const data = makeRecordData(next);
      data.total = Math.round((data.qty as number) * (data.price as number) * 100) / 100;
      const id = `seed${String(n).padStart(9, '0')}`;
      batch.push({
        record: { id, formId, formVersion: 1, version: 1, data, createdBy: authors[n % authors.length]!, createdAt: at, updatedAt: at, status: 'active' },
        history: { id: `h${id}`, recordId: id, formId, action: 'create', by: authors[n % authors.length]!, at, version: 1, changes: [] },
        serials: [],
      });
    }
    await store.records.insertMany(formId, batch);
  }
  await store.close();
  console.log(`  seeded ${total - from} records in ${((Date.now() - t0) / 1000).toFixed(1)} s (now ${total})`);
}

/** List and aggregate benches as one signed-in person (`who` names them in the figures). */
async function readBenches(server: ServerProcess, formId: string, size: string, token: string, who: string): Promise<void> {
  const auth = { authorization: `Bearer ${token}` };
  let i = 0;
  const listPath = () => {
    const filter = encodeURIComponent(JSON.stringify({ field: 'dept', op: 'eq', value: DEPARTMENTS[i++ % DEPARTMENTS.length] }));
    return `/api/forms/${formId}/records?filter=${filter}&sort=-createdAt&limit=50`;
  };
  // once for latency (one client at a time), once for throughput (the server saturated: p99 is then mostly queueing)
  const one = await cannon({ url: server.url, connections: 1, requests: [{ method: 'GET', headers: auth, setupRequest: (req) => ({ ...req, path: listPath() }) }] });
  record(`${who}: list page of 50, filter dept (indexed), sort -createdAt, ${size} records, 1 connection`, one, server.child, 'p99 < 20 ms (at 1M)');
  const list = await cannon({ url: server.url, requests: [{ method: 'GET', headers: auth, setupRequest: (req) => ({ ...req, path: listPath() }) }] });
  record(`${who}: list page of 50, same, ${size} records, ${CONNECTIONS} connections`, list, server.child, '—');

  const agg = JSON.stringify({ groupBy: [{ field: 'dept' }], metrics: [{ op: 'count' }, { op: 'sum', field: 'amount' }, { op: 'avg', field: 'total' }] });
  const aggRes = await cannon({ url: `${server.url}/api/forms/${formId}/aggregate`, connections: 1, amount: 10, method: 'POST', headers: { 'content-type': 'application/json', ...auth }, body: agg });
  record(`${who}: aggregate: group by dept, count+sum+avg, ${size} records`, aggRes, server.child, '< 500 ms (at 1M)');

  const monthly = JSON.stringify({ groupBy: [{ field: 'createdAt', bucket: 'month' }], metrics: [{ op: 'count' }, { op: 'sum', field: 'amount' }] });
  const monRes = await cannon({ url: `${server.url}/api/forms/${formId}/aggregate`, connections: 1, amount: 10, method: 'POST', headers: { 'content-type': 'application/json', ...auth }, body: monthly });
  record(`${who}: aggregate: group by month of createdAt, ${size} records`, monRes, server.child, '< 500 ms (at 1M)');
}

async function main(): Promise<void> {
  console.log(`Trellis bench (${quick ? 'quick' : 'full'}; ${DURATION} s per load, ${CONNECTIONS} connections)`);
  const bare = await ceiling();

  const dataDir = mkdtempSync(path.join(tmpdir(), 'trellis-bench-'));
  let server = await startServerProcess({ DATA_DIR: dataDir });
  const admin = server.token;
  const api = (method: string, url: string, body?: unknown) => http(server.url, method, url, body, admin);
  const appId = (await api('POST', '/api/apps', { name: 'Bench' })).body.id;
  const formId = (await api('POST', `/api/apps/${appId}/forms`, benchForm)).body.id;
  await api('POST', `/api/forms/${formId}/publish`);

  // An organisation: 4 departments of 5 people; employees submit and see their department's records, notes hidden.
  const role = (await api('POST', '/api/roles', { name: 'Bench employee', forms: { [formId]: { actions: ['submit', 'view'], scope: 'department', fields: { notes: 'hidden' } } } })).body.id;
  const authors: string[] = [];
  for (let d = 0; d < 4; d++) {
    const dept = (await api('POST', '/api/departments', { name: `Department ${d}` })).body.id;
    for (let u = 0; u < 5; u++) {
      const user = await api('POST', '/api/users', { email: `e${d}-${u}@bench.test`, name: `Employee ${d}-${u}`, departments: [dept], roles: [role], ...(d === 0 && u === 0 ? { password: 'bench-password' } : {}) });
      authors.push(user.body.id);
    }
  }
  const employee = (await http(server.url, 'POST', '/api/auth/login', { username: 'e0-0@bench.test', password: 'bench-password' })).body.token as string;

  const submitAs = async (token: string, who: string, seed: number) => {
    const pool = bodies(seed, 1000);
    let i = 0;
    const res = await cannon({
      url: server.url,
      requests: [{ method: 'POST', path: `/api/forms/${formId}/records`, headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, setupRequest: (req) => ({ ...req, body: pool[i++ % pool.length] }) }],
    });
    record(`${who}: submit a record (validate, rules, formula, store)`, res, server.child, '≥ 3,000/s, p99 < 50 ms');
    return res;
  };
  const submit = await submitAs(admin, 'admin', 2);
  await submitAs(employee, 'employee (department scope, a hidden field)', 3);
  const submitted = (await api('GET', `/api/forms/${formId}/records?count=true&limit=1`)).body.total as number;
  await server.stop();

  const sizes = quick ? [100_000] : [100_000, 1_000_000];
  let have = submitted;
  for (const size of sizes) {
    await seed(dataDir, formId, have, size, authors);
    have = size;
    server = await startServerProcess({ DATA_DIR: dataDir });
    // the tokens signed in before still hold: sessions and the signing secret live in DATA_DIR
    await readBenches(server, formId, size.toLocaleString('en'), admin, 'admin');
    await readBenches(server, formId, size.toLocaleString('en'), employee, 'employee (department scope)');
    await server.stop();
  }
  rmSync(dataDir, { recursive: true, force: true });

  // approval transitions and job pickup, on each job driver (BullMQ needs Redis: REDIS_URL or 127.0.0.1:6379)
  rows.push(...(await workflowBenches({ connections: CONNECTIONS })));

  console.log('\n| benchmark | req/s | p50 ms | p99 ms | server peak RSS MB | target | note |');
  console.log('|---|---|---|---|---|---|---|');
  for (const r of rows) console.log(`| ${r.name} | ${r.rps ?? '—'} | ${r.p50 ?? '—'} | ${r.p99 ?? '—'} | ${r.rssMb ?? '?'} | ${r.target} | ${r.note ?? ''} |`);
  console.log(`\nsubmit vs ceiling: ${((submit.requests.average / bare.requests.average) * 100).toFixed(0)} % of the bare Fastify route`);

  // the runtime's form page on a throttled phone (initial JS, time to interactive)
  await webBench();
}

// --web: only the browser figures
if (process.argv.includes('--web')) await webBench();
else await main();
