// `pnpm bench`: builds, then runs the benchmarks in tests/bench (not tests: they print figures).
import { build, must } from './lib.mjs';

build();
must('pnpm', ['exec', 'tsx', 'tests/bench/run.ts', ...process.argv.slice(2)]);
