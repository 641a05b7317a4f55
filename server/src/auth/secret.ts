import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';

const MIN_ENV_CHARS = 32;
const FILE_BYTES = 64;
const HEX = /^(?:[0-9a-fA-F]{2})+$/;

/**
 * The server's signing secret: the environment value when one is given,
 * otherwise `<dataDir>/secret` (hex), created with 64 random bytes on first use.
 */
export function loadSecret(envSecret: string | undefined, dataDir: string): Buffer {
  // An empty value counts as unset, as for the other settings in config.ts.
  if (envSecret !== undefined && envSecret !== '') {
    const chars = [...envSecret].length;
    if (chars < MIN_ENV_CHARS) throw new Error(`The secret from the environment must be at least ${MIN_ENV_CHARS} characters long, but it has ${chars}`);
    return Buffer.from(envSecret, 'utf8');
  }
  const file = path.join(dataDir, 'secret');
  return readSecretFile(file) ?? createSecretFile(file);
}

function readSecretFile(file: string): Buffer | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
  // Tolerate the newline an editor adds; anything else wrong is an operator's mistake to look at, not to overwrite.
  const hex = text.trim();
  if (!HEX.test(hex)) throw new Error(`The secret file ${file} is corrupt: it must hold hexadecimal digits only`);
  if (hex.length < FILE_BYTES * 2) throw new Error(`The secret file ${file} is corrupt: it must hold at least ${FILE_BYTES} bytes (${FILE_BYTES * 2} hex digits), but it has ${hex.length} digits`);
  return Buffer.from(hex, 'hex');
}

function createSecretFile(file: string): Buffer {
  mkdirSync(path.dirname(file), { recursive: true });
  const secret = randomBytes(FILE_BYTES);
  const temp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  const fd = openSync(temp, 'wx', 0o600);
  try {
    writeSync(fd, `${secret.toString('hex')}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    publish(temp, file, secret);
    return secret;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    const winner = readSecretFile(file);
    if (winner === null) throw new Error(`The secret file ${file} disappeared while it was being created`);
    return winner;
  } finally {
    try {
      unlinkSync(temp);
    } catch {
      // A leftover temp file is harmless; the secret itself is in place.
    }
  }
}

// link, unlike rename, fails with EEXIST when the name is taken: the first
// process to publish wins and every other one reads the winner's file, which is
// complete because it was written before it got its name.
function publish(temp: string, file: string, secret: Buffer): void {
  try {
    linkSync(temp, file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS') throw e;
    // Some mounts have no hard links; an exclusive create still gives one winner.
    writeFileSync(file, `${secret.toString('hex')}\n`, { flag: 'wx', mode: 0o600 });
  }
}
