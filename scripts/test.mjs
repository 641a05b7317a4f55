// `npm test`: install, build, then every check and test. .ci/run calls exactly this.
import { readFileSync, mkdirSync } from 'node:fs';
import { build, ensurePnpm, installWorkspace, must, run } from './lib.mjs';

ensurePnpm();
installWorkspace();
build(); // tsc -b: type checks the packages and builds the server the journey tests start
must('pnpm', ['exec', 'tsc', '-p', 'tests']);
must('pnpm', ['run', 'lint']);
must('pnpm', ['run', 'cycles']);

mkdirSync('test-output', { recursive: true });
const status = run('pnpm', ['exec', 'vitest', 'run', '--reporter=default', '--reporter=json', '--outputFile.json=test-output/vitest.json']);
try {
  const r = JSON.parse(readFileSync('test-output/vitest.json', 'utf8'));
  // The plain closing line CI reads.
  console.log(`\ntests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`);
} catch {
  console.log('\ntests: no report written');
}
process.exit(status);
