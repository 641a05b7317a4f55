// Shared steps of the two README commands (up.mjs, test.mjs). Plain Node, no dependencies:
// these run before anything is installed.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const PNPM_VERSION = '12.21.0';

export function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts, env: { ...process.env, ...opts.env } });
  if (r.error) throw r.error;
  return r.status ?? 1;
}

export function must(cmd, args, opts) {
  const status = run(cmd, args, opts);
  if (status !== 0) {
    console.error(`\n✗ ${cmd} ${args.join(' ')} failed (exit ${status})`);
    process.exit(status);
  }
}


/** pnpm at the version the workspace is pinned to; npm installs it when missing. */
export function ensurePnpm() {
  const r = spawnSync('pnpm', ['--version'], { encoding: 'utf8' });
  if (!r.error && r.status === 0 && r.stdout.trim() === PNPM_VERSION) return;
  console.log(`→ installing pnpm ${PNPM_VERSION} with npm`);
  must('npm', ['install', '--global', `pnpm@${PNPM_VERSION}`]);
}

/**
 * Installs the workspace. better-sqlite3 compiles from source here; node-gyp would
 * fetch Node's headers from the internet unless told where the local ones are,
 * and pnpm does not read `nodedir` from ~/.npmrc, so we pass it when they exist.
 */
export function installWorkspace() {
  const env = {};
  if (!process.env.npm_config_nodedir && existsSync('/usr/include/node/node.h')) env.npm_config_nodedir = '/usr';
  must('pnpm', ['install', '--frozen-lockfile'], { env });
}

/** tsc -b for the packages and the server, then Vite for the runtime (/app) and the designer (/designer). */
export function build() {
  must('pnpm', ['run', 'build']);
  must('pnpm', ['run', 'build:web']);
}

