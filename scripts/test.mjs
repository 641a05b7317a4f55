// `npm test`: install, build, then every check and test. .ci/run calls exactly this.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, mkdirSync } from 'node:fs';
import { connect } from 'node:net';
import { build, ensurePnpm, installWorkspace, must, run } from './lib.mjs';

/** true when something on host:port answers a RESP PING (plain TCP: no redis-cli needed). */
function redisAnswers(host, port, timeoutMs = 1000) {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const finish = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.once('error', () => finish(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (d) => finish(/^[+-]/.test(d.toString())));
  });
}

/**
 * The BullMQ tests need a real Redis: REDIS_URL when set, else 127.0.0.1:6379, started here;
 * and the redis-server binary, installed when missing and we are root. Without them those tests
 * fail with a message, they never skip.
 */
async function ensureRedis() {
  // the binary is needed even with REDIS_URL: the Redis-restart test runs a private redis-server
  if (spawnSync('redis-server', ['--version']).error) {
    if (process.getuid?.() !== 0) {
      console.error('✗ redis-server is not installed and this is not root: install it (apt-get install -y redis-server); the Redis tests will fail');
      return;
    }
    console.log('→ installing redis-server');
    if (run('apt-get', ['install', '-y', 'redis-server']) !== 0) {
      run('apt-get', ['update']);
      run('apt-get', ['install', '-y', 'redis-server']);
    }
    if (spawnSync('redis-server', ['--version']).error) {
      console.error('✗ redis-server could not be installed; the BullMQ tests will fail');
      return;
    }
  }
  if (process.env.REDIS_URL) return;
  if (await redisAnswers('127.0.0.1', 6379)) return;
  console.log('→ starting redis-server on 127.0.0.1:6379');
  run('redis-server', ['--daemonize', 'yes', '--bind', '127.0.0.1', '--port', '6379', '--save', '', '--appendonly', 'no']);
  for (let i = 0; i < 50; i++) {
    if (await redisAnswers('127.0.0.1', 6379)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  console.error('✗ redis-server did not answer on 127.0.0.1:6379; the BullMQ tests will fail');
}

/** The browser tests drive Debian's chromium (never a downloaded browser): installed here when missing. */
function ensureChromium() {
  const bin = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (existsSync(bin)) return;
  if (process.getuid?.() !== 0) {
    console.error(`✗ ${bin} is missing and this is not root: install it (apt-get install -y chromium); the browser tests will fail`);
    return;
  }
  console.log('→ installing chromium');
  if (run('apt-get', ['install', '-y', 'chromium']) !== 0) {
    run('apt-get', ['update']);
    run('apt-get', ['install', '-y', 'chromium']);
  }
  if (!existsSync(bin)) console.error('✗ chromium could not be installed; the browser tests will fail');
}

ensurePnpm();
installWorkspace();
build(); // tsc -b: type checks the packages and builds the server the journey tests start
must('pnpm', ['exec', 'tsc', '-p', 'tests']);
must('pnpm', ['exec', 'tsc', '-p', 'runtime/app']);
must('pnpm', ['exec', 'tsc', '-p', 'designer']);
must('pnpm', ['run', 'lint']);
must('pnpm', ['run', 'cycles']);

await ensureRedis();
ensureChromium();
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
