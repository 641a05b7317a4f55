/**
 * Import and export of a large form: `pnpm exec tsx tests/bench/import-export-bench.ts [--size=100000]`.
 * Imports a generated CSV of `size` rows through POST /api/forms/:id/import (the background job,
 * timed until GET /api/jobs/:id says completed), restarts the server, then exports every record
 * through GET /api/forms/:id/export (CSV, then XLSX) and reads the server's peak memory (VmHWM) from /proc.
 * Needs `pnpm build` first (the built server runs as its own process).
 * BENCH_CPU_PROF_DIR=dir writes a V8 CPU profile of the importing server into dir (import.cpuprofile).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { http, startServerProcess, type ServerProcess } from '../support/process.js';

const arg = (name: string, fallback: number) => {
  const a = process.argv.find((x) => x.startsWith(`--${name}=`));
  return a ? Number(a.slice(name.length + 3)) : fallback;
};
const SIZE = arg('size', 100_000);

const form = {
  name: { en: 'Bench import', zh: '导入基准' },
  titleField: 'code',
  fields: [
    { key: 'no', type: 'serial', label: { en: 'No.', zh: '编号' }, pattern: 'B-{000000}' },
    { key: 'code', type: 'text', label: { en: 'Code', zh: '代码' }, required: true, unique: true },
    { key: 'qty', type: 'number', label: { en: 'Quantity', zh: '数量' }, min: 0 },
    { key: 'price', type: 'number', label: { en: 'Price', zh: '单价' } },
    { key: 'total', type: 'formula', label: { en: 'Total', zh: '合计' }, formula: { '*': [{ var: 'qty' }, { var: 'price' }] } },
    { key: 'kind', type: 'select', label: { en: 'Kind', zh: '类型' }, options: ['a', 'b', 'c'] },
    { key: 'due', type: 'date', label: { en: 'Due', zh: '到期' } },
    { key: 'note', type: 'text', label: { en: 'Note', zh: '备注' } },
  ],
};

function csv(size: number): string {
  const lines = ['Code,Quantity,Price,Kind,Due,Note'];
  for (let i = 0; i < size; i++) {
    const day = String((i % 28) + 1).padStart(2, '0');
    lines.push(`C${i},${i % 500},${(i % 97) + 0.5},${'abc'[i % 3]},2026-02-${day},"note ${i}, 备注"`);
  }
  return `${lines.join('\r\n')}\r\n`;
}

const peakKb = (pid: number) => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN);

async function main(): Promise<void> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'trellis-ie-bench-'));
  const profile: Record<string, string> = process.env.BENCH_CPU_PROF_DIR
    ? {
      // Node 20 refuses --cpu-prof in NODE_OPTIONS; the preload runs the profiler instead
      NODE_OPTIONS: `--import=${pathToFileURL(path.join(import.meta.dirname, 'cpu-profile.mjs')).href}`,
      TRELLIS_CPU_PROFILE: path.resolve(process.env.BENCH_CPU_PROF_DIR, 'import.cpuprofile'),
    }
    : {};
  let server: ServerProcess = await startServerProcess({ DATA_DIR: dataDir, ...profile });
  try {
    const api = async (method: string, url: string, body?: unknown) => {
      const r = await http(server.url, method, url, body, server.token);
      if (r.status >= 300) throw new Error(`${method} ${url}: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body;
    };
    const appId = (await api('POST', '/api/apps', { name: 'Bench' })).id;
    const formId = (await api('POST', `/api/apps/${appId}/forms`, form)).id;
    await api('POST', `/api/forms/${formId}/publish`);

    const text = csv(SIZE);
    const body = new FormData();
    body.append('options', '{}');
    body.append('file', new Blob([text], { type: 'text/csv' }), 'bench.csv');
    const t0 = performance.now();
    const res = await fetch(`${server.url}/api/forms/${formId}/import`, { method: 'POST', headers: { authorization: `Bearer ${server.token}` }, body });
    if (res.status !== 202) throw new Error(`import: ${res.status} ${await res.text()}`);
    const { jobId } = (await res.json()) as { jobId: string };
    let job: any;
    for (;;) {
      job = await api('GET', `/api/jobs/${jobId}`);
      if (job.state === 'completed' || job.state === 'failed') break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const importMs = performance.now() - t0;
    if (job.state !== 'completed') throw new Error(`import failed: ${JSON.stringify(job).slice(0, 500)}`);
    const importPeak = peakKb(server.child.pid!);
    console.log(`\nimport of ${SIZE.toLocaleString('en')} CSV rows (${(text.length / 1e6).toFixed(1)} MB): ${(importMs / 1000).toFixed(1)} s (${job.done} stored), server VmHWM ${(importPeak / 1024).toFixed(0)} MB`);

    // export on a fresh server process, so its peak memory is the export's own
    await server.stop();
    server = await startServerProcess({ DATA_DIR: dataDir });
    const before = peakKb(server.child.pid!);
    const t1 = performance.now();
    const exp = await fetch(`${server.url}/api/forms/${formId}/export?format=csv`, { headers: { authorization: `Bearer ${server.token}` } });
    if (exp.status !== 200 || !exp.body) throw new Error(`export: ${exp.status} ${await exp.text()}`);
    let bytes = 0;
    let lines = 0;
    for await (const chunk of exp.body as unknown as AsyncIterable<Uint8Array>) {
      bytes += chunk.length;
      for (const b of chunk) if (b === 10) lines++;
    }
    const exportMs = performance.now() - t1;
    const exportPeak = peakKb(server.child.pid!);
    if (lines !== SIZE + 1) throw new Error(`export gave ${lines} lines, expected ${SIZE + 1}`);
    console.log(`export of ${SIZE.toLocaleString('en')} records (${(bytes / 1e6).toFixed(1)} MB CSV): ${(exportMs / 1000).toFixed(1)} s, server VmHWM ${(exportPeak / 1024).toFixed(0)} MB (${(before / 1024).toFixed(0)} MB after start)`);

    const t2 = performance.now();
    const xl = await fetch(`${server.url}/api/forms/${formId}/export?format=xlsx`, { headers: { authorization: `Bearer ${server.token}` } });
    if (xl.status !== 200 || !xl.body) throw new Error(`xlsx export: ${xl.status} ${await xl.text()}`);
    let xlBytes = 0;
    for await (const chunk of xl.body as unknown as AsyncIterable<Uint8Array>) xlBytes += chunk.length;
    console.log(`XLSX export of ${SIZE.toLocaleString('en')} records (${(xlBytes / 1e6).toFixed(1)} MB): ${((performance.now() - t2) / 1000).toFixed(1)} s, server VmHWM ${(peakKb(server.child.pid!) / 1024).toFixed(0)} MB`);
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
