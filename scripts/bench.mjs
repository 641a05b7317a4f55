// `pnpm bench`: builds, then runs the benchmarks in tests/bench (not tests: they print figures).
//   pnpm bench            everything (about 15 minutes)
//   pnpm bench --quick    up to 100,000 records
//   pnpm bench --web      only the runtime form page in chromium
import { build, must } from './lib.mjs';

const args = process.argv.slice(2);
build();
must('pnpm', ['exec', 'tsx', 'tests/bench/run.ts', ...args]);
if (!args.includes('--web')) {
  // dashboard refresh over a large form (seeds its own data folder)
  must('pnpm', ['exec', 'tsx', 'tests/bench/dashboard-bench.ts', `--size=${args.includes('--quick') ? 100_000 : 1_000_000}`, '--runs=3']);
  // import of 100,000 CSV rows, export of 100,000 records (time and server peak memory)
  must('pnpm', ['exec', 'tsx', 'tests/bench/import-export-bench.ts']);
  // installing each bundled pack with its sample data on a fresh server
  must('pnpm', ['exec', 'tsx', 'tests/bench/pack-bench.ts', '--runs=3']);
}
