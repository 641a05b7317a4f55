import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { http, PROCESS_ADMIN, startServerProcess, type ServerProcess } from '../support/process.js';

// An operator starts the built server for the first time: there must be an
// administrator to sign in as, and never one with a password anybody could know.

const PRINTED = /password:\s+(\S+)/;

function printedPasswords(output: string): string[] {
  return [...output.matchAll(new RegExp(PRINTED, 'g'))].map((m) => m[1]!);
}

// The banner is written before the server listens, but pipes may deliver it a moment later.
async function waitForOutput(server: ServerProcess, re: RegExp, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!re.test(server.output()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
}

const signIn = (server: ServerProcess, username: string, password: string) =>
  http(server.url, 'POST', '/api/auth/login', { username, password });

describe('the first start creates the first administrator', () => {
  const dirs: string[] = [];
  const running: ServerProcess[] = [];
  const freshDir = () => {
    const d = mkdtempSync(path.join(tmpdir(), 'trellis-first-admin-'));
    dirs.push(d);
    return d;
  };
  const start = async (env: Record<string, string>) => {
    const s = await startServerProcess(env);
    running.push(s);
    return s;
  };
  afterEach(async () => {
    for (const s of running.splice(0)) await s.stop('SIGKILL');
  });
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  let random = '';
  let printed = '';
  const dataDir = mkdtempSync(path.join(tmpdir(), 'trellis-first-admin-'));
  dirs.push(dataDir);

  it('without TRELLIS_ADMIN_PASSWORD prints a random password once, and it signs in', async () => {
    const server = await start({ DATA_DIR: dataDir, TRELLIS_ADMIN_PASSWORD: '' });
    await waitForOutput(server, PRINTED);
    const passwords = printedPasswords(server.output());
    expect(passwords, server.output()).toHaveLength(1);
    random = passwords[0]!;
    printed = random;
    expect(printed.length).toBeGreaterThanOrEqual(16);
    expect(printed).not.toBe(PROCESS_ADMIN.password);
    expect(server.output()).toContain(PROCESS_ADMIN.email);
    // the password shows once in the output, not again in a log line
    expect(server.output().split(printed)).toHaveLength(2);

    const login = await signIn(server, PROCESS_ADMIN.email, printed);
    expect(login.status).toBe(200);
    expect(login.body.user).toMatchObject({ email: PROCESS_ADMIN.email, admin: true });
    // what the banner promises: the administrator can change it
    const change = await http(server.url, 'POST', '/api/auth/password', { currentPassword: printed, newPassword: 'chosen-by-the-operator' }, login.body.token);
    expect(change.status).toBe(204);
    expect((await signIn(server, PROCESS_ADMIN.email, 'chosen-by-the-operator')).status).toBe(200);
    printed = 'chosen-by-the-operator';
  });

  it('keeps the printed password only as a hash in the data folder', async () => {
    expect(printed).not.toBe('');
    const text = readdirSync(dataDir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => readFileSync(path.join(e.parentPath, e.name)).toString('latin1'))
      .join('\n');
    expect(text).toContain('scrypt$');
    expect(text).not.toContain(printed);
    expect(text).not.toContain(random);
  });

  it('a second start over the same data folder prints nothing and makes no second administrator', async () => {
    expect(printed).not.toBe('');
    const server = await start({ DATA_DIR: dataDir, TRELLIS_ADMIN_PASSWORD: '', TRELLIS_ADMIN_EMAIL: 'second-admin@example.com' });
    await new Promise((r) => setTimeout(r, 200));
    expect(printedPasswords(server.output())).toEqual([]);
    const login = await signIn(server, PROCESS_ADMIN.email, printed);
    expect(login.status).toBe(200);
    const users = await http(server.url, 'GET', '/api/users', undefined, login.body.token);
    expect(users.body.items.map((u: { email: string }) => u.email)).toEqual([PROCESS_ADMIN.email]);
  });

  it('with TRELLIS_ADMIN_PASSWORD set, that password signs in as admin@localhost by default and nothing is printed', async () => {
    const server = await start({ DATA_DIR: freshDir(), TRELLIS_ADMIN_EMAIL: '', TRELLIS_ADMIN_PASSWORD: 'operator-chosen-pw' });
    const login = await signIn(server, 'admin@localhost', 'operator-chosen-pw');
    expect(login.status).toBe(200);
    expect(login.body.user.admin).toBe(true);
    expect(printedPasswords(server.output())).toEqual([]);
    expect(server.output()).not.toContain('operator-chosen-pw');
  });

  it('two fresh data folders get two different random passwords', async () => {
    expect(printed).not.toBe('');
    const server = await start({ DATA_DIR: freshDir(), TRELLIS_ADMIN_EMAIL: '', TRELLIS_ADMIN_PASSWORD: '' });
    await waitForOutput(server, PRINTED);
    const [other] = printedPasswords(server.output());
    expect(other).toBeDefined();
    expect(server.output()).toContain('admin@localhost');
    expect((await signIn(server, 'admin@localhost', other!)).status).toBe(200);
    // the first folder's password (both the random one and the changed one) is not this one
    expect(other).not.toBe(random);
    expect((await signIn(server, 'admin@localhost', random)).status).toBe(401);
  });

  it('refuses to start with a TRELLIS_ADMIN_PASSWORD shorter than 8 characters, saying why', async () => {
    const dir = freshDir();
    const failure = await start({ DATA_DIR: dir, TRELLIS_ADMIN_PASSWORD: 'short' }).then(() => null, (e: Error) => e);
    expect(failure).toBeInstanceOf(Error);
    expect(failure!.message).toMatch(/server exited/);
    expect(failure!.message).toMatch(/TRELLIS_ADMIN_PASSWORD must have 8 to 200 characters/);
    // nothing was created that a later start with a good password would trip over
    const later = await start({ DATA_DIR: dir, TRELLIS_ADMIN_PASSWORD: 'a-long-enough-password' });
    expect(later.token).not.toBe('');
  });

  it('an administrator password the server accepts can also be used to sign in', async () => {
    // a long passphrase: either refused at start with a clear message, or usable at sign-in
    const passphrase = 'correct horse battery staple '.repeat(8).trim();
    expect(passphrase.length).toBeGreaterThan(200);
    const started = await start({ DATA_DIR: freshDir(), TRELLIS_ADMIN_PASSWORD: passphrase }).then((s) => s, (e: Error) => e);
    if (started instanceof Error) {
      expect(started.message).toMatch(/TRELLIS_ADMIN_PASSWORD/);
      return;
    }
    const login = await signIn(started, PROCESS_ADMIN.email, passphrase);
    expect(login.status, `the server started, but its administrator cannot sign in: ${JSON.stringify(login.body)}`).toBe(200);
  });
});
