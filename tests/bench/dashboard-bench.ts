/**
 * Dashboard refresh over a large form: `pnpm exec tsx tests/bench/dashboard-bench.ts [--size=1000000] [--runs=5]`.
 * Seeds the form straight through the store port (as tests/bench/run.ts does), then times
 * GET /api/dashboards/:id/data of a 4-widget dashboard for the administrator (all records)
 * and for an employee (department scope, a hidden field), with and without a date range.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createSqliteStore } from '@trellis/server/store/sqlite/sqlite-store';
import type { HistoryEntry, RecordEntity, SerialAllocation } from '@trellis/server/store/port';
import { benchForm, makeRecordData, rng } from './generator.js';
import { http, startServerProcess, type ServerProcess } from '../support/process.js';

const arg = (name: string, fallback: number) => {
  const a = process.argv.find((x) => x.startsWith(`--${name}=`));
  return a ? Number(a.slice(name.length + 3)) : fallback;
};
const SIZE = arg('size', 1_000_000);
const RUNS = arg('runs', 5);

async function seed(dataDir: string, formId: string, total: number, authors: string[]): Promise<void> {
  const store = await createSqliteStore({ file: path.join(dataDir, 'trellis.db') });
  const next = rng(4242);
  const start = Date.parse('2025-01-01T00:00:00Z');
  const span = Date.parse('2026-11-01T00:00:00Z') - start;
  const t0 = Date.now();
  for (let n = 0; n < total; ) {
    const batch: { record: RecordEntity; history: HistoryEntry; serials: SerialAllocation[] }[] = [];
    for (let j = 0; j < 10_000 && n < total; j++, n++) {
      const at = new Date(start + Math.floor((n / total) * span)).toISOString();
      const data = makeRecordData(next);
      data.total = Math.round((data.qty as number) * (data.price as number) * 100) / 100;
      const id = `seed${String(n).padStart(9, '0')}`;
      const by = authors[n % authors.length]!;
      batch.push({
        record: { id, formId, formVersion: 1, version: 1, data, createdBy: by, createdAt: at, updatedAt: at, status: 'active' },
        history: { id: `h${id}`, recordId: id, formId, action: 'create', by, at, version: 1, changes: [] },
        serials: [],
      });
    }
    await store.records.insertMany(formId, batch);
  }
  await store.close();
  console.log(`seeded ${total.toLocaleString('en')} records in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

const layout = { x: 0, y: 0, w: 6, h: 4 };

/**
 * Each timed refresh follows a submitted record (as an open dashboard refreshes after a change),
 * so it computes every widget; then one more refresh with nothing changed answers from the rows
 * the server keeps (the "kept" column).
 */
async function timeRefresh(server: ServerProcess, token: string, url: string, who: string, change: () => Promise<void>): Promise<void> {
  const ms: number[] = [];
  let body: any = null;
  for (let i = 0; i < RUNS; i++) {
    await change();
    const t0 = performance.now();
    const r = await http(server.url, 'GET', url, undefined, token);
    ms.push(performance.now() - t0);
    if (r.status !== 200) throw new Error(`${url}: ${r.status} ${JSON.stringify(r.body)}`);
    body = r.body;
  }
  ms.sort((a, b) => a - b);
  const t1 = performance.now();
  await http(server.url, 'GET', url, undefined, token);
  const kept = performance.now() - t1;
  const figures = body.widgets.map((w: any) => {
    if (w.error) return `${w.id}: error ${w.error.code}`;
    const f = w.figures;
    if (f.type === 'number') return `${w.id}: ${f.values.map((v: number) => Math.round(v)).join(' / ')}${f.previous ? ` (prev ${f.previous.map((v: number) => Math.round(v)).join(' / ')})` : ''}`;
    if (f.type === 'pivot') return `${w.id}: ${f.rows.length}×${f.columns.length} cells`;
    return `${w.id}: ${f.rows.length} rows`;
  });
  console.log(`| ${who} | ${url.split('?')[1] ?? '—'} | ${ms[0]!.toFixed(0)} | ${ms[Math.floor(ms.length / 2)]!.toFixed(0)} | ${ms.at(-1)!.toFixed(0)} | ${kept.toFixed(0)} | ${figures.join('; ')} |`);
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'trellis-dash-bench-'));
  let server = await startServerProcess({ DATA_DIR: dataDir });
  try {
    const admin = server.token;
    const api = async (method: string, url: string, body?: unknown) => {
      const r = await http(server.url, method, url, body, admin);
      if (r.status >= 300) throw new Error(`${method} ${url}: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body;
    };
    const appId = (await api('POST', '/api/apps', { name: 'Bench' })).id;
    const formId = (await api('POST', `/api/apps/${appId}/forms`, benchForm)).id;
    await api('POST', `/api/forms/${formId}/publish`);
    const role = (await api('POST', '/api/roles', { name: 'Bench employee', forms: { [formId]: { actions: ['submit', 'view'], scope: 'department', fields: { notes: 'hidden' } } } })).id;
    const authors: string[] = [];
    const depts: string[] = [];
    for (let d = 0; d < 4; d++) {
      const dept = (await api('POST', '/api/departments', { name: `Department ${d}` })).id;
      depts.push(dept);
      for (let u = 0; u < 5; u++) {
        const user = await api('POST', '/api/users', { email: `e${d}-${u}@bench.test`, name: `Employee ${d}-${u}`, departments: [dept], roles: [role], ...(d === 0 && u === 0 ? { password: 'bench-password' } : {}) });
        authors.push(user.id);
      }
    }
    const employee = (await http(server.url, 'POST', '/api/auth/login', { username: 'e0-0@bench.test', password: 'bench-password' })).body.token as string;
    const dash = (await api('POST', `/api/apps/${appId}/dashboards`, {
      name: 'Bench',
      filters: { department: true },
      widgets: [
        { id: 'total', type: 'number', title: 'Amount', form: formId, metrics: [{ op: 'count' }, { op: 'sum', field: 'amount' }], compare: 'previousPeriod', layout },
        { id: 'byDept', type: 'bar', title: 'By department', form: formId, groupBy: 'dept', metrics: [{ op: 'sum', field: 'amount' }], sort: { by: 'value', dir: 'desc' }, layout },
        { id: 'monthly', type: 'line', title: 'Monthly', form: formId, groupBy: { field: 'createdAt', bucket: 'month' }, metrics: [{ op: 'count' }, { op: 'avg', field: 'total' }], layout },
        { id: 'pivot', type: 'pivot', title: 'Priority × category', form: formId, groupBy: 'priority', columns: 'category', metrics: [{ op: 'count' }, { op: 'sum', field: 'amount' }], layout },
      ],
    })).id;
    await server.stop();

    await seed(dataDir, formId, SIZE, authors);
    server = await startServerProcess({ DATA_DIR: dataDir });
    console.log(`\nGET /api/dashboards/:id/data after a record is submitted, 4 widgets (number+previous period, bar, line by month, pivot), ${SIZE.toLocaleString('en')} records, ${RUNS} runs\n`);
    console.log('| viewer | query | min ms | median ms | max ms | kept ms (no change) | figures (last run) |');
    console.log('|---|---|---|---|---|---|---|');
    const url = `/api/dashboards/${dash}/data`;
    const next = rng(77);
    const change = async () => {
      const r = await http(server.url, 'POST', `/api/forms/${formId}/records`, { data: makeRecordData(next) }, employee);
      if (r.status !== 201) throw new Error(`submit: ${r.status} ${JSON.stringify(r.body)}`);
    };
    await timeRefresh(server, admin, url, 'admin (all records)', change);
    await timeRefresh(server, admin, `${url}?from=2026-01-01&to=2026-03-31`, 'admin (all records)', change);
    await timeRefresh(server, admin, `${url}?department=${depts[1]}`, 'admin (all records)', change);
    await timeRefresh(server, employee, url, 'employee (department scope, hidden field)', change);
    await timeRefresh(server, employee, `${url}?from=2026-01-01&to=2026-03-31`, 'employee (department scope, hidden field)', change);
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
