import fs from 'node:fs'; import os from 'node:os'; import path from 'node:path';
import { createSqliteStore, sqliteDbOf } from '../src/store/sqlite/sqlite-store.ts';
import { createEmbeddedQueue } from '../src/jobs/embedded/embedded-queue.ts';
import { createBullmqQueue } from '../src/jobs/bullmq/bullmq-queue.ts';
import { deleteKeys } from '../src/jobs/bullmq/redis-test-support.ts';
import type { JobQueue } from '../src/jobs/port.ts';
const N = 5000;
async function bench(label: string, jobs: JobQueue, conc: number) {
  const q = `b${conc}`;
  let t = Date.now();
  for (let i = 0; i < N; i += 500) await Promise.all(Array.from({ length: 500 }, (_, k) => jobs.add(q, 'x', { i: i + k })));
  const addMs = Date.now() - t;
  let done = 0;
  t = Date.now();
  await jobs.work(q, async () => { done++; }, { concurrency: conc });
  while (done < N) await new Promise((r) => setTimeout(r, 5));
  const runMs = Date.now() - t;
  console.log(`${label} c=${conc}: add ${Math.round(N / addMs * 1000)}/s, run ${Math.round(N / runMs * 1000)}/s`);
}
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-'));
const store = await createSqliteStore({ file: path.join(dir, 'b.db') });
for (const c of [1, 50]) { const j = createEmbeddedQueue(sqliteDbOf(store)!); await bench('embedded', j, c); await j.close(); }
await store.close();
const prefix = 'bench-' + Date.now();
for (const c of [1, 50]) { const j = createBullmqQueue({ url: 'redis://127.0.0.1:6379', prefix }); await bench('bullmq', j, c); await j.close(); }
await deleteKeys('redis://127.0.0.1:6379', prefix);
fs.rmSync(dir, { recursive: true });
