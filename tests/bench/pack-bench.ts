/**
 * Installing the bundled packs: `pnpm exec tsx tests/bench/pack-bench.ts [--runs=3]`.
 * For each run, starts the built server on a fresh data folder (embedded store and job runner, as
 * the README's run command does) and installs every bundled pack with its sample data through
 * POST /api/packs/:id/install, timed from the request to the 201 (forms published, workflows,
 * automations, roles, dashboards and sample records stored, their automations run).
 * Needs `pnpm build` first (the built server runs as its own process).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { http, startServerProcess } from '../support/process.js';

const runsArg = process.argv.find((x) => x.startsWith('--runs='));
const RUNS = runsArg ? Number(runsArg.slice('--runs='.length)) : 3;

async function main(): Promise<void> {
  const times = new Map<string, number[]>();
  for (let run = 0; run < RUNS; run++) {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'trellis-pack-bench-'));
    const server = await startServerProcess({ DATA_DIR: dataDir });
    try {
      const packs = await http(server.url, 'GET', '/api/packs', undefined, server.token);
      if (packs.status !== 200) throw new Error(`GET /api/packs: ${packs.status}`);
      for (const pack of packs.body.items as { id: string }[]) {
        const t0 = performance.now();
        const res = await http(server.url, 'POST', `/api/packs/${pack.id}/install`, { withSampleData: true }, server.token);
        const ms = performance.now() - t0;
        if (res.status !== 201) throw new Error(`install ${pack.id}: ${res.status} ${JSON.stringify(res.body).slice(0, 500)}`);
        times.set(pack.id, [...(times.get(pack.id) ?? []), ms]);
      }
    } finally {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
  console.log(`\npack install with sample data on a fresh server (embedded store), ${RUNS} runs:`);
  for (const [id, ms] of times) {
    const sorted = [...ms].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)]!;
    console.log(`  ${id.padEnd(6)} median ${(median / 1000).toFixed(2)} s (${(sorted[0]! / 1000).toFixed(2)}–${(sorted.at(-1)! / 1000).toFixed(2)} s)`);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
