import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadSecret } from './secret.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'trellis-secret-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('loadSecret from the environment', () => {
  it('uses the value as UTF-8 bytes and leaves the data folder alone', () => {
    const value = 'ä'.repeat(32);
    expect(loadSecret(value, dir)).toEqual(Buffer.from(value, 'utf8'));
    expect(readdirSync(dir)).toEqual([]);
  });

  it('accepts exactly 32 characters and refuses 31 with a clear message', () => {
    expect(loadSecret('x'.repeat(32), dir).length).toBe(32);
    expect(() => loadSecret('x'.repeat(31), dir)).toThrow(/at least 32 characters/);
    // Counted in characters: 31 two-byte characters are still too short.
    expect(() => loadSecret('é'.repeat(31), dir)).toThrow(/at least 32 characters/);
  });

  it('treats an empty value as unset', () => {
    expect(loadSecret('', dir).length).toBe(64);
    expect(readdirSync(dir)).toEqual(['secret']);
  });
});

describe('loadSecret from the secret file', () => {
  it('creates 64 random bytes as hex, readable by the owner only, and reuses them', () => {
    const dataDir = path.join(dir, 'nested', 'data');
    const first = loadSecret(undefined, dataDir);
    const file = path.join(dataDir, 'secret');
    expect(first.length).toBe(64);
    expect(readFileSync(file, 'utf8').trim()).toBe(first.toString('hex'));
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(loadSecret(undefined, dataDir)).toEqual(first);
    expect(readdirSync(dataDir)).toEqual(['secret']);
    const other = mkdtempSync(path.join(tmpdir(), 'trellis-secret-'));
    try {
      expect(loadSecret(undefined, other)).not.toEqual(first);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('reads a file an operator wrote, in either case, with or without a newline', () => {
    const hex = 'AB'.repeat(32) + 'cd'.repeat(32);
    writeFileSync(path.join(dir, 'secret'), hex);
    expect(loadSecret(undefined, dir)).toEqual(Buffer.from(hex, 'hex'));
    writeFileSync(path.join(dir, 'secret'), `${hex}\n`);
    expect(loadSecret(undefined, dir)).toEqual(Buffer.from(hex, 'hex'));
  });

  it('refuses a corrupt file, naming it, instead of replacing it', () => {
    const file = path.join(dir, 'secret');
    for (const content of ['', 'not hex at all', 'ab'.repeat(63), `${'ab'.repeat(64)}a`, `${'ab'.repeat(63)}zz`, `0x${'ab'.repeat(64)}`]) {
      writeFileSync(file, content);
      expect(() => loadSecret(undefined, dir)).toThrow(file);
      expect(readFileSync(file, 'utf8')).toBe(content);
    }
  });

  it('gives every process the same secret when several start on a fresh folder at once', async () => {
    const root = fileURLToPath(new URL('../../..', import.meta.url));
    const moduleUrl = new URL('./secret.ts', import.meta.url).href;
    const dataDir = path.join(dir, 'fresh');
    // Each child spins until the same moment so the creations overlap.
    const script = `
      import { loadSecret } from ${JSON.stringify(moduleUrl)};
      const start = Number(process.env.START_AT);
      while (Date.now() < start) {}
      process.stdout.write(loadSecret(undefined, process.env.DATA_DIR).toString('hex'));
    `;
    const startAt = String(Date.now() + 2000);
    const run = (): Promise<string> =>
      new Promise((resolve, reject) => {
        const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
          cwd: root,
          env: { ...process.env, START_AT: startAt, DATA_DIR: dataDir },
        });
        let out = '';
        let err = '';
        child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
        child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
        child.on('error', reject);
        child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`child exited with ${code}: ${err}`))));
      });
    const secrets = await Promise.all(Array.from({ length: 8 }, run));
    expect(secrets[0]).toMatch(/^[0-9a-f]{128}$/);
    expect(new Set(secrets).size).toBe(1);
    expect(readFileSync(path.join(dataDir, 'secret'), 'utf8').trim()).toBe(secrets[0]);
    expect(readdirSync(dataDir)).toEqual(['secret']);
  });
});
