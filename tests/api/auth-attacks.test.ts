import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { InjectOptions } from 'fastify';
import { buildApp } from '@trellis/server';
import { loadSecret } from '@trellis/server/auth/secret';
import { signToken } from '@trellis/server/auth/token';
import { readConfig } from '@trellis/server/config';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startHarness, type Harness, type Reply } from '../support/harness.js';

// Someone without a good credential pokes at every door of the API: no token,
// forged or stale tokens, stolen sessions after a password change or a
// disabled account, brute-forced passwords, API keys and self-promotion.

type App = Harness['app'];

interface Send {
  method: InjectOptions['method'];
  url: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** the caller's address (inject's remoteAddress); sign-in limits count per address */
  address?: string;
}

async function send(app: App, { method, url, body, headers = {}, address = '127.0.0.1' }: Send): Promise<Reply> {
  const res = await app.inject({
    method, url, remoteAddress: address,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    payload: body === undefined ? undefined : JSON.stringify(body),
  });
  let parsed: unknown = null;
  try {
    parsed = res.body ? JSON.parse(res.body) : null;
  } catch {
    parsed = res.body; // left as text: tests that expect JSON fail on it with the text shown
  }
  return { status: res.statusCode, body: parsed, headers: res.headers };
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

// Every sign-in here comes from its own address unless a test says otherwise, so
// the per-address limits of one test do not spill into the next.
let addressSeq = 0;
const freshAddress = () => {
  addressSeq++;
  return `10.${100 + Math.floor(addressSeq / 250)}.${addressSeq % 250}.1`;
};

const signIn = (app: App, email: string, password: string, address = freshAddress()) =>
  send(app, { method: 'POST', url: '/api/auth/login', body: { username: email, password }, address });

async function tokenOf(app: App, email: string, password: string): Promise<string> {
  const r = await signIn(app, email, password);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body.token as string;
}

const me = (app: App, headers: Record<string, string>) => send(app, { method: 'GET', url: '/api/auth/me', headers });

function expectUnauthorized(r: Reply, what: string): void {
  expect(r.status, `${what}: ${JSON.stringify(r.body)}`).toBe(401);
  expect(String(r.headers['content-type']), what).toMatch(/^application\/json/);
  expect(r.body?.error?.code, what).toBe('UNAUTHORIZED');
  expect(r.body?.error?.message, what).toEqual(expect.any(String));
  expect(r.body.error.message.length, what).toBeGreaterThan(5);
}

let userSeq = 0;
/** A plain member, made by the administrator through the API. */
async function createUser(h: Harness, name: string): Promise<{ id: string; email: string; password: string }> {
  userSeq++;
  const email = `${name.toLowerCase()}-${userSeq}@example.com`;
  const password = `${name}-password-${userSeq}`;
  const r = await h.call('POST', '/api/users', { email, name, password });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return { id: r.body.id, email, password };
}

// The token format is `tr1.<payload>.<signature>` (base64url).
function parts(token: string): [string, string, string] {
  const p = token.split('.');
  expect(p).toHaveLength(3);
  return p as [string, string, string];
}
const claimsOf = (token: string) => JSON.parse(Buffer.from(parts(token)[1], 'base64url').toString('utf8')) as { sid: string; uid: string; exp: number };
const flip = (s: string, i: number) => s.slice(0, i) + (s[i] === 'A' ? 'B' : 'A') + s.slice(i + 1);

// Texts of every file in the data folder (SQLite database, WAL, secret): what a stolen backup would hold.
function dataFolderText(dataDir: string): string {
  return readdirSync(dataDir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => readFileSync(path.join(e.parentPath, e.name)).toString('latin1'))
    .join('\n');
}

describe('a stranger without a token finds every door closed', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h.close());

  it('walks every route of the OpenAPI document without signing in and gets 401 everywhere but health, sign-in and share links', async () => {
    const doc = await send(h.app, { method: 'GET', url: '/api/openapi.json' });
    expect(doc.status).toBe(200);
    const opened: string[] = [];
    let walked = 0;
    for (const [template, operations] of Object.entries(doc.body.paths as Record<string, Record<string, unknown>>)) {
      // dummy ids that pass every id pattern (share tokens need 20+ characters)
      const url = template.replace(/\{[^}]+\}/g, 'x0000000000000000000000');
      for (const method of Object.keys(operations).map((m) => m.toUpperCase())) {
        const methods = method === 'GET' ? ['GET', 'HEAD'] : [method];
        for (const m of methods) {
          walked++;
          // a body that passes the share route's schema, so that route answers for its token
          const body = ['POST', 'PUT', 'PATCH'].includes(m) ? { data: {} } : undefined;
          const r = await send(h.app, { method: m as InjectOptions['method'], url, ...(body ? { body } : {}) });
          if (r.status !== 401) opened.push(`${m} ${template} → ${r.status}`);
          else if (m !== 'HEAD') expectUnauthorized(r, `${m} ${template}`);
        }
      }
    }
    expect(walked).toBeGreaterThan(40);
    // only these answer without sign-in, and none with data: the share tokens are dummies
    expect(opened.sort()).toEqual([
      'GET /api/share/{token} → 404',
      'GET /healthz → 200',
      'HEAD /api/share/{token} → 404',
      'HEAD /healthz → 200',
      'POST /api/auth/login → 400',
      'POST /api/share/{token}/files → 404',
      'POST /api/share/{token}/records → 404',
    ]);
  });

  it('is not let in by a token in the query string or a cookie', async () => {
    for (const url of [`/api/apps?token=${h.adminToken}`, `/api/apps?access_token=${h.adminToken}`]) {
      expectUnauthorized(await send(h.app, { method: 'GET', url }), url);
    }
    expectUnauthorized(await send(h.app, { method: 'GET', url: '/api/apps', headers: { cookie: `token=${h.adminToken}` } }), 'cookie');
  });
});

describe('an attacker forges, mangles and replays tokens', () => {
  let h: Harness;
  let member: { id: string; email: string; password: string };
  let memberToken: string;
  beforeAll(async () => {
    h = await startHarness();
    member = await createUser(h, 'Mia');
    memberToken = await tokenOf(h.app, member.email, member.password);
  });
  afterAll(async () => h.close());

  it('flips one character of the payload and is refused', async () => {
    const [prefix, payload, sig] = parts(h.adminToken);
    for (const i of [0, Math.floor(payload.length / 2), payload.length - 1]) {
      expectUnauthorized(await me(h.app, bearer(`${prefix}.${flip(payload, i)}.${sig}`)), `payload char ${i}`);
    }
  });

  it('flips one character of the signature, including every spelling of its last one, and is refused', async () => {
    const [prefix, payload, sig] = parts(h.adminToken);
    for (const i of [0, Math.floor(sig.length / 2)]) {
      expectUnauthorized(await me(h.app, bearer(`${prefix}.${payload}.${flip(sig, i)}`)), `signature char ${i}`);
    }
    // the last base64url character carries unused bits: a lenient decoder takes several spellings as the same bytes
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    for (const c of alphabet) {
      if (c === sig.at(-1)) continue;
      const r = await me(h.app, bearer(`${prefix}.${payload}.${sig.slice(0, -1)}${c}`));
      expect(r.status, `last signature char ${c}`).toBe(401);
    }
  });

  it("puts another session's payload under a signature and is refused", async () => {
    const [prefix, adminPayload, adminSig] = parts(h.adminToken);
    const [, memberPayload, memberSig] = parts(memberToken);
    expectUnauthorized(await me(h.app, bearer(`${prefix}.${adminPayload}.${memberSig}`)), 'admin payload, member signature');
    expectUnauthorized(await me(h.app, bearer(`${prefix}.${memberPayload}.${adminSig}`)), 'member payload, admin signature');
  });

  it('sends garbage, an unsigned token, another scheme, odd spacing and a huge header, and gets a clear 401 each time', async () => {
    const [, payload, sig] = parts(h.adminToken);
    const attempts: Record<string, string> = {
      'garbage': 'Bearer not-a-token',
      'empty bearer': 'Bearer ',
      'bare scheme': 'Bearer',
      'no scheme': h.adminToken,
      'basic': `Basic ${Buffer.from(`${ADMIN_EMAIL}:${ADMIN_PASSWORD}`).toString('base64')}`,
      'unsigned': `Bearer tr1.${payload}.`,
      'other version': `Bearer tr2.${payload}.${sig}`,
      'extra part': `Bearer ${h.adminToken}.x`,
      'two spaces': `Bearer  ${h.adminToken}`,
      'tab': `Bearer\t${h.adminToken}`,
      'trailing word': `Bearer ${h.adminToken} extra`,
      'two tokens': `Bearer ${h.adminToken}, Bearer ${memberToken}`,
      'huge': `Bearer ${'A'.repeat(200_000)}`,
      'huge token shape': `Bearer tr1.${'A'.repeat(5000)}.${sig}`,
      'api key shape': `Bearer trk_${'A'.repeat(22)}_${'A'.repeat(43)}`,
      'json payload': `Bearer tr1.${Buffer.from('{"sid":"x","uid":"y","exp":1e400}').toString('base64url')}.${sig}`,
    };
    for (const [what, authorization] of Object.entries(attempts)) {
      expectUnauthorized(await send(h.app, { method: 'GET', url: '/api/apps', headers: { authorization } }), what);
    }
    // the real token still works: none of that hurt it
    expect((await me(h.app, bearer(h.adminToken))).status).toBe(200);
  });

  it('signs a token with a secret of their own and is refused', async () => {
    const c = claimsOf(h.adminToken);
    const forged = signToken({ sid: c.sid, uid: c.uid, exp: c.exp }, randomBytes(64));
    expectUnauthorized(await me(h.app, bearer(forged)), 'foreign secret');
  });

  it("holds the server's secret and re-signs a member's session as the administrator, and is refused", async () => {
    // even with the signing key, a token only opens the session it names, for that session's own user
    const secret = loadSecret(undefined, h.dataDir);
    const m = claimsOf(memberToken);
    const admin = claimsOf(h.adminToken);
    const forged = signToken({ sid: m.sid, uid: admin.uid, exp: m.exp }, secret);
    expectUnauthorized(await me(h.app, bearer(forged)), 'member session, admin uid');
    const invented = signToken({ sid: 'no-such-session', uid: admin.uid, exp: admin.exp }, secret);
    expectUnauthorized(await me(h.app, bearer(invented)), 'invented session');
  });
});

describe('tokens end when they expire, on sign-out, on a password change and when the account is disabled', () => {
  let h: Harness;
  afterEach(() => {
    vi.useRealTimers();
  });
  beforeAll(async () => {
    h = await startHarness({ TRELLIS_TOKEN_TTL: '60' });
  });
  afterAll(async () => h.close());

  it('a member whose one-minute token runs out is asked to sign in again', async () => {
    const user = await createUser(h, 'Ted');
    vi.useFakeTimers({ toFake: ['Date'] });
    const token = await tokenOf(h.app, user.email, user.password);
    vi.setSystemTime(Date.now() + 50_000);
    expect((await me(h.app, bearer(token))).status).toBe(200);
    vi.setSystemTime(Date.now() + 11_000);
    const r = await me(h.app, bearer(token));
    expectUnauthorized(r, 'expired token');
    expect(r.body.error.message).toMatch(/sign in/i);
    // signing in again gives a fresh minute
    expect((await me(h.app, bearer(await tokenOf(h.app, user.email, user.password)))).status).toBe(200);
  });

  it('a token signed with the real secret but an expiry in the past is refused', async () => {
    const c = claimsOf(h.adminToken);
    const secret = loadSecret(undefined, h.dataDir);
    const stale = signToken({ sid: c.sid, uid: c.uid, exp: Math.floor(Date.now() / 1000) - 1 }, secret);
    expectUnauthorized(await me(h.app, bearer(stale)), 'past exp');
  });

  it('a token re-signed to live for years still ends with its session', async () => {
    const user = await createUser(h, 'Lee');
    const token = await tokenOf(h.app, user.email, user.password);
    const c = claimsOf(token);
    const longLived = signToken({ ...c, exp: c.exp + 10 * 365 * 86400 }, loadSecret(undefined, h.dataDir));
    expect((await me(h.app, bearer(longLived))).status).toBe(200);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 120_000);
    expectUnauthorized(await me(h.app, bearer(longLived)), 'session past its end');
  });

  it('signing out ends that token at once but not the same person’s other session', async () => {
    const user = await createUser(h, 'Sam');
    const laptop = await tokenOf(h.app, user.email, user.password);
    const phone = await tokenOf(h.app, user.email, user.password);
    const out = await send(h.app, { method: 'POST', url: '/api/auth/logout', headers: bearer(laptop) });
    expect(out.status).toBe(204);
    expectUnauthorized(await me(h.app, bearer(laptop)), 'signed-out token');
    expectUnauthorized(await send(h.app, { method: 'POST', url: '/api/auth/logout', headers: bearer(laptop) }), 'second sign-out');
    expect((await me(h.app, bearer(phone))).status).toBe(200);
  });

  it('a member ends one of their sessions from the list; another member cannot end theirs', async () => {
    const user = await createUser(h, 'Ada');
    const other = await createUser(h, 'Bob');
    const desk = await tokenOf(h.app, user.email, user.password);
    const tablet = await tokenOf(h.app, user.email, user.password);
    const bobToken = await tokenOf(h.app, other.email, other.password);
    const list = await send(h.app, { method: 'GET', url: '/api/auth/sessions', headers: bearer(desk) });
    expect(list.status).toBe(200);
    expect(list.body.items).toHaveLength(2);
    const current = list.body.items.find((s: { current: boolean }) => s.current);
    expect(current.id).toBe(claimsOf(desk).sid);
    const tabletSid = claimsOf(tablet).sid;

    // Bob cannot even tell whether Ada's session exists
    const theft = await send(h.app, { method: 'DELETE', url: `/api/auth/sessions/${tabletSid}`, headers: bearer(bobToken) });
    expect(theft.status).toBe(404);
    expect((await me(h.app, bearer(tablet))).status).toBe(200);

    expect((await send(h.app, { method: 'DELETE', url: `/api/auth/sessions/${tabletSid}`, headers: bearer(desk) })).status).toBe(204);
    expectUnauthorized(await me(h.app, bearer(tablet)), 'ended session');
    expect((await me(h.app, bearer(desk))).status).toBe(200);
    const after = await send(h.app, { method: 'GET', url: '/api/auth/sessions', headers: bearer(desk) });
    expect(after.body.items.map((s: { id: string }) => s.id)).toEqual([current.id]);
  });

  it('changing the password ends the other sessions, keeps this one, and the old password stops working', async () => {
    const user = await createUser(h, 'Pat');
    const mine = await tokenOf(h.app, user.email, user.password);
    const stolen = await tokenOf(h.app, user.email, user.password);
    const wrong = await send(h.app, { method: 'POST', url: '/api/auth/password', headers: bearer(mine), body: { currentPassword: 'not-it-at-all', newPassword: 'a-brand-new-password' } });
    expect(wrong.status).toBe(403);
    expect((await me(h.app, bearer(stolen))).status).toBe(200);
    const tooShort = await send(h.app, { method: 'POST', url: '/api/auth/password', headers: bearer(mine), body: { currentPassword: user.password, newPassword: 'short' } });
    expect(tooShort.status).toBe(400);

    const ok = await send(h.app, { method: 'POST', url: '/api/auth/password', headers: bearer(mine), body: { currentPassword: user.password, newPassword: 'a-brand-new-password' } });
    expect(ok.status).toBe(204);
    expect((await me(h.app, bearer(mine))).status).toBe(200);
    expectUnauthorized(await me(h.app, bearer(stolen)), 'other session after password change');
    expect((await signIn(h.app, user.email, user.password)).status).toBe(401);
    expect((await signIn(h.app, user.email, 'a-brand-new-password')).status).toBe(200);
  });

  it("an administrator's password reset ends every session of that user", async () => {
    const user = await createUser(h, 'Rae');
    const token = await tokenOf(h.app, user.email, user.password);
    expect((await h.call('PATCH', `/api/users/${user.id}`, { password: 'reset-by-the-admin' })).status).toBe(200);
    expectUnauthorized(await me(h.app, bearer(token)), 'token after admin reset');
    expect((await signIn(h.app, user.email, user.password)).status).toBe(401);
  });

  it("a disabled member's token and API key stop on the next request, and re-enabling does not revive the old token", async () => {
    const user = await createUser(h, 'Dan');
    const token = await tokenOf(h.app, user.email, user.password);
    const key = await send(h.app, { method: 'POST', url: '/api/api-keys', headers: bearer(token), body: { name: 'script', password: user.password } });
    expect(key.status).toBe(201);
    expect((await me(h.app, { 'x-api-key': key.body.key })).status).toBe(200);

    const off = await h.call('DELETE', `/api/users/${user.id}`);
    expect(off.status).toBe(200);
    expect(off.body.status).toBe('disabled');
    expectUnauthorized(await me(h.app, bearer(token)), 'disabled token');
    expectUnauthorized(await send(h.app, { method: 'GET', url: '/api/apps', headers: bearer(token) }), 'disabled token on apps');
    expectUnauthorized(await me(h.app, bearer(key.body.key)), 'disabled API key as Bearer');
    expectUnauthorized(await me(h.app, { 'x-api-key': key.body.key }), 'disabled API key as X-API-Key');
    // the right password of a disabled account answers like a wrong one
    const right = await signIn(h.app, user.email, user.password);
    const wrongPw = await signIn(h.app, user.email, 'not-the-password');
    expect(right.status).toBe(401);
    expect(right.body).toEqual(wrongPw.body);

    expect((await h.call('PATCH', `/api/users/${user.id}`, { status: 'active' })).status).toBe(200);
    expectUnauthorized(await me(h.app, bearer(token)), 'old token after re-enable');
    expect((await me(h.app, bearer(await tokenOf(h.app, user.email, user.password)))).status).toBe(200);
  });

  it('the audit log records the sign-outs, ended sessions and password changes', async () => {
    const r = await h.call('GET', '/api/audit?limit=500');
    expect(r.status).toBe(200);
    const events = r.body.items as { event: string; actorId: string | null; subject: string | null; details: Record<string, unknown> }[];
    const kinds = new Set(events.map((e) => e.event));
    for (const kind of ['logout', 'session.revoke', 'password.change', 'password.change.failure', 'user.create', 'user.update', 'apikey.create', 'login.success']) {
      expect(kinds, kind).toContain(kind);
    }
    for (const e of events.filter((x) => ['logout', 'session.revoke', 'password.change'].includes(x.event))) {
      expect(e.actorId).toEqual(expect.any(String));
      expect(e.subject).toEqual(expect.any(String));
    }
    // the administrator's reset and the disabling are recorded against the user, with what changed
    expect(events.some((e) => e.event === 'user.update' && (e.details.changed as string[]).includes('password'))).toBe(true);
    expect(events.some((e) => e.event === 'user.update' && e.details.status === 'disabled')).toBe(true);
  });
});

describe('a script tries to guess passwords', () => {
  let h: Harness;
  let victim: { id: string; email: string; password: string };
  let bystander: { id: string; email: string; password: string };
  beforeAll(async () => {
    h = await startHarness();
    victim = await createUser(h, 'Vic');
    bystander = await createUser(h, 'Bea');
  });
  afterAll(async () => h.close());

  it('an unknown e-mail and a wrong password get the very same answer', async () => {
    const unknown = await signIn(h.app, 'nobody-here@example.com', 'whatever-password');
    const wrong = await signIn(h.app, bystander.email, 'whatever-password');
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect(unknown.body).toEqual(wrong.body);
    expect(unknown.headers['content-type']).toEqual(wrong.headers['content-type']);
    expect(JSON.stringify(wrong.body)).not.toMatch(/password is wrong|no such|unknown|not found/i);
  });

  it('five wrong passwords lock the account: the sixth try, even right and from elsewhere, gets 429 with Retry-After', async () => {
    const attacker = freshAddress();
    for (let i = 0; i < 5; i++) expect((await signIn(h.app, victim.email, `guess-${i}`, attacker)).status).toBe(401);
    const locked = await signIn(h.app, victim.email, victim.password, freshAddress());
    expect(locked.status).toBe(429);
    expect(locked.body.error.code).toBe('RATE_LIMITED');
    const retryAfter = Number(locked.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    // the e-mail's case does not open a side door
    expect((await signIn(h.app, victim.email.toUpperCase(), victim.password)).status).toBe(429);
    // other accounts, even from the attacker's address, are unaffected
    expect((await signIn(h.app, bystander.email, bystander.password, attacker)).status).toBe(200);
  });

  it('twenty guesses fired at once, from twenty addresses, get no more than five passwords checked', async () => {
    // the lockout must hold under concurrency too, or a burst of parallel requests is a way around it
    const target = await createUser(h, 'Tara');
    const burst = await Promise.all(Array.from({ length: 20 }, (_, i) => signIn(h.app, target.email, `burst-guess-${i}`, freshAddress())));
    const statuses = burst.map((r) => r.status);
    expect(statuses.filter((s) => s !== 401 && s !== 429)).toEqual([]);
    expect(statuses.filter((s) => s === 401).length, `answers: ${statuses.join(',')}`).toBeLessThanOrEqual(5);
    expect((await signIn(h.app, target.email, target.password)).status).toBe(429);
  });

  it('twenty failures from one address shut that address out for every account, and only that address', async () => {
    const attacker = freshAddress();
    // spread over many e-mails so that no single account locks first
    const failures = await Promise.all(Array.from({ length: 20 }, (_, i) => signIn(h.app, `spray-${i}@example.com`, 'Winter2026!', attacker)));
    expect(failures.map((r) => r.status)).toEqual(Array(20).fill(401));
    const shut = await signIn(h.app, ADMIN_EMAIL, ADMIN_PASSWORD, attacker);
    expect(shut.status).toBe(429);
    expect(Number(shut.headers['retry-after'])).toBeGreaterThan(0);
    expect((await signIn(h.app, ADMIN_EMAIL, ADMIN_PASSWORD, freshAddress())).status).toBe(200);
  });

  it('more than thirty sign-ins a minute from one address are slowed down, right passwords or not', async () => {
    const busy = freshAddress();
    // one after another: sign-ins of one account at the same moment count against its failure limit until they succeed
    const first = [];
    for (let i = 0; i < 30; i++) first.push(await signIn(h.app, bystander.email, bystander.password, busy));
    expect(first.map((r) => r.status)).toEqual(Array(30).fill(200));
    const r = await signIn(h.app, bystander.email, bystander.password, busy);
    expect(r.status).toBe(429);
    expect(Number(r.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(r.headers['retry-after'])).toBeLessThanOrEqual(60);
  });

  // a locked account answers without checking a password, so each try is cheap for the attacker
  async function hammerLocked(name: string): Promise<string> {
    const locked = await createUser(h, name);
    for (let i = 0; i < 5; i++) expect((await signIn(h.app, locked.email, `guess-${i}`)).status).toBe(401);
    const hammer = freshAddress();
    for (let i = 0; i < 60; i++) expect((await signIn(h.app, locked.email, `again-${i}`, hammer)).status).toBe(429);
    return hammer;
  }

  it('hammering a locked account still counts against the address: thirty tries a minute, good or bad', async () => {
    const hammer = await hammerLocked('Lou');
    expect((await signIn(h.app, bystander.email, bystander.password, hammer)).status).toBe(429);
  });

  it('hammering a locked account does not write an audit row per try', async () => {
    const hammer = await hammerLocked('Liv');
    const audit = await h.call('GET', '/api/audit?limit=500');
    const rows = (audit.body.items as { event: string; address: string | null }[]).filter((e) => e.event === 'login.locked' && e.address === hammer);
    // unauthenticated requests must not grow the log without bound
    expect(rows.length).toBeLessThanOrEqual(30);
  });

  it('the failed sign-ins and the lockout are in the audit log', async () => {
    const audit = await h.call('GET', `/api/audit?limit=500`);
    expect(audit.status).toBe(200);
    const events = audit.body.items as { event: string; subject: string | null; address: string | null }[];
    expect(events.filter((e) => e.event === 'login.failure' && e.subject === victim.email)).toHaveLength(5);
    expect(events.some((e) => e.event === 'login.lockout' && e.subject === victim.email)).toBe(true);
    expect(events.some((e) => e.event === 'login.failure' && e.subject === 'spray-0@example.com' && e.address?.startsWith('10.'))).toBe(true);
  });
});

describe('a lockout outlives a restart and ends with its window', () => {
  let dataDir = '';
  afterEach(() => {
    vi.useRealTimers();
  });
  afterAll(() => {
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('an account locked before a restart is still locked after it, and opens again after fifteen minutes', async () => {
    const h = await startHarness();
    dataDir = h.dataDir;
    for (let i = 0; i < 5; i++) expect((await signIn(h.app, ADMIN_EMAIL, `guess-${i}`)).status).toBe(401);
    expect((await signIn(h.app, ADMIN_EMAIL, ADMIN_PASSWORD)).status).toBe(429);
    await h.app.close();

    const again = await buildApp({ config: readConfig({ DATA_DIR: dataDir, TRELLIS_ADMIN_EMAIL: ADMIN_EMAIL, TRELLIS_ADMIN_PASSWORD: ADMIN_PASSWORD }) });
    try {
      await again.ready();
      const r = await signIn(again, ADMIN_EMAIL, ADMIN_PASSWORD);
      expect(r.status).toBe(429);
      expect(Number(r.headers['retry-after'])).toBeGreaterThan(0);
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(Date.now() + 15 * 60_000 + 1000);
      expect((await signIn(again, ADMIN_EMAIL, ADMIN_PASSWORD)).status).toBe(200);
    } finally {
      vi.useRealTimers();
      await again.close();
    }
  });
});

describe('a member works with API keys', () => {
  let h: Harness;
  let alice: { id: string; email: string; password: string };
  let bob: { id: string; email: string; password: string };
  let aliceToken: string;
  let bobToken: string;
  beforeAll(async () => {
    h = await startHarness();
    alice = await createUser(h, 'Alice');
    bob = await createUser(h, 'Bob');
    aliceToken = await tokenOf(h.app, alice.email, alice.password);
    bobToken = await tokenOf(h.app, bob.email, bob.password);
  });
  afterAll(async () => h.close());

  const createKey = (token: string, name: string) => send(h.app, { method: 'POST', url: '/api/api-keys', headers: bearer(token), body: { name, password: alice.password } });

  it('a key takes the current password to create, and a key cannot create keys', async () => {
    const mia = await createUser(h, 'Mia');
    const miaToken = await tokenOf(h.app, mia.email, mia.password);
    const create = (headers: Record<string, string>, body: unknown) => send(h.app, { method: 'POST', url: '/api/api-keys', headers, body });
    expect((await create(bearer(miaToken), { name: 'x', password: 'not-her-password' })).status).toBe(403);
    expect((await create(bearer(miaToken), { name: 'x' })).status).toBe(400);
    const made = await create(bearer(miaToken), { name: 'minting', password: mia.password });
    expect(made.status).toBe(201);
    expect((await create({ 'x-api-key': made.body.key as string }, { name: 'child', password: mia.password })).status).toBe(403);
  });

  it('creates a key that is shown once, works as Bearer and as X-API-Key, and is never listed again', async () => {
    const created = await createKey(aliceToken, 'nightly export');
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: expect.any(String), userId: alice.id, name: 'nightly export', key: expect.stringMatching(/^trk_[A-Za-z0-9]{22}_[A-Za-z0-9_-]{43}$/) });
    const key = created.body.key as string;
    const secret = key.slice(-43);

    const list = await send(h.app, { method: 'GET', url: '/api/api-keys', headers: bearer(aliceToken) });
    expect(list.status).toBe(200);
    expect(list.body.items).toEqual([{ id: created.body.id, userId: alice.id, name: 'nightly export', createdAt: created.body.createdAt }]);
    expect(JSON.stringify(list.body)).not.toContain(secret);

    const viaBearer = await me(h.app, bearer(key));
    expect(viaBearer.status).toBe(200);
    expect(viaBearer.body).toMatchObject({ user: { id: alice.id }, via: 'apiKey' });
    const viaHeader = await me(h.app, { 'x-api-key': key });
    expect(viaHeader.status).toBe(200);
    expect(viaHeader.body.via).toBe('apiKey');
    // a key cannot sign out: it is revoked instead
    expect((await send(h.app, { method: 'POST', url: '/api/auth/logout', headers: bearer(key) })).status).toBe(400);
  });

  it('a key with one character of its secret changed is refused', async () => {
    const key = (await createKey(aliceToken, 'guessable?')).body.key as string;
    const i = key.length - 10;
    expectUnauthorized(await me(h.app, bearer(flip(key, i))), 'tampered key');
    expectUnauthorized(await me(h.app, { 'x-api-key': flip(key, i) }), 'tampered key header');
    expectUnauthorized(await me(h.app, { 'x-api-key': 'garbage' }), 'garbage key header');
  });

  it('a revoked key stops at once, as Bearer and as X-API-Key', async () => {
    const created = await createKey(aliceToken, 'short-lived');
    const key = created.body.key as string;
    expect((await me(h.app, bearer(key))).status).toBe(200);
    expect((await send(h.app, { method: 'DELETE', url: `/api/api-keys/${created.body.id}`, headers: bearer(aliceToken) })).status).toBe(204);
    expectUnauthorized(await me(h.app, bearer(key)), 'revoked key as Bearer');
    expectUnauthorized(await me(h.app, { 'x-api-key': key }), 'revoked key as X-API-Key');
    const list = await send(h.app, { method: 'GET', url: '/api/api-keys', headers: bearer(aliceToken) });
    expect(list.body.items.map((k: { id: string }) => k.id)).not.toContain(created.body.id);
    expect((await send(h.app, { method: 'DELETE', url: `/api/api-keys/${created.body.id}`, headers: bearer(aliceToken) })).status).toBe(404);
  });

  it("another member can neither revoke nor list Alice's keys; an administrator can", async () => {
    const created = await createKey(aliceToken, 'shared drive sync');
    const key = created.body.key as string;
    const revoke = await send(h.app, { method: 'DELETE', url: `/api/api-keys/${created.body.id}`, headers: bearer(bobToken) });
    expect(revoke.status).toBe(404);
    expect((await me(h.app, bearer(key))).status).toBe(200);
    const peek = await send(h.app, { method: 'GET', url: `/api/api-keys?userId=${alice.id}`, headers: bearer(bobToken) });
    expect(peek.status).toBe(403);
    // Bob's own list never shows Alice's keys
    const bobs = await send(h.app, { method: 'GET', url: '/api/api-keys', headers: bearer(bobToken) });
    expect(bobs.body.items).toEqual([]);

    const adminList = await h.call('GET', `/api/api-keys?userId=${alice.id}`);
    expect(adminList.status).toBe(200);
    expect(adminList.body.items.map((k: { id: string }) => k.id)).toContain(created.body.id);
    expect((await h.call('DELETE', `/api/api-keys/${created.body.id}`)).status).toBe(204);
    expectUnauthorized(await me(h.app, bearer(key)), 'key revoked by the administrator');
    const audit = await h.call('GET', '/api/audit?limit=500');
    expect(audit.body.items).toContainEqual(expect.objectContaining({ event: 'apikey.create', actorId: alice.id, subject: created.body.id }));
    expect(audit.body.items).toContainEqual(expect.objectContaining({ event: 'apikey.revoke', subject: created.body.id }));
  });

  it('keeps neither API keys nor passwords in clear in the data folder', async () => {
    const key = (await createKey(aliceToken, 'at rest')).body.key as string;
    const text = dataFolderText(h.dataDir);
    expect(text.length).toBeGreaterThan(1000);
    expect(text).not.toContain(key.slice(-43));
    expect(text).not.toContain(alice.password);
    expect(text).not.toContain(ADMIN_PASSWORD);
    expect(text).toContain('scrypt$');
  });
});

describe('a member tries to make themselves more powerful', () => {
  let h: Harness;
  let mallory: { id: string; email: string; password: string };
  let malloryToken: string;
  let adminId: string;
  let roleId: string;
  let formId: string;
  let otherFormId: string;
  let designedAppId: string;
  let closedAppId: string;
  const as = (method: InjectOptions['method'], url: string, body?: unknown) => send(h.app, { method, url, headers: bearer(malloryToken), ...(body === undefined ? {} : { body }) });

  beforeAll(async () => {
    h = await startHarness();
    adminId = (await h.call('GET', '/api/auth/me')).body.user.id;
    // Mallory designs one app; another app is closed to her
    designedAppId = (await h.call('POST', '/api/apps', { name: 'Mallory designs this' })).body.id;
    formId = (await h.call('POST', `/api/apps/${designedAppId}/forms`, { name: 'Notes', fields: [{ key: 'title', type: 'text', label: 'Title' }] })).body.id;
    expect((await h.call('POST', `/api/forms/${formId}/publish`)).status).toBe(200);
    closedAppId = (await h.call('POST', '/api/apps', { name: 'Payroll' })).body.id;
    otherFormId = (await h.call('POST', `/api/apps/${closedAppId}/forms`, { name: 'Salaries', fields: [{ key: 'amount', type: 'number', label: 'Amount' }] })).body.id;
    expect((await h.call('POST', `/api/forms/${otherFormId}/publish`)).status).toBe(200);
    const role = await h.call('POST', '/api/roles', { name: 'Note designers', apps: { [designedAppId]: { design: true } }, forms: { [formId]: { actions: ['view'] } } });
    expect(role.status).toBe(201);
    roleId = role.body.id;
    mallory = await createUser(h, 'Mallory');
    expect((await h.call('PATCH', `/api/users/${mallory.id}`, { roles: [roleId] })).status).toBe(200);
    malloryToken = await tokenOf(h.app, mallory.email, mallory.password);
  });
  afterAll(async () => h.close());

  it('cannot make herself an administrator, give herself roles, or change her own status', async () => {
    for (const patch of [{ admin: true }, { roles: [] }, { roles: [roleId] }, { status: 'active' }, { name: 'Just a name' }]) {
      const r = await as('PATCH', `/api/users/${mallory.id}`, patch);
      expect(r.status, JSON.stringify(patch)).toBe(403);
    }
    const self = await as('GET', '/api/auth/me');
    expect(self.body.user.admin).toBe(false);
    expect(self.body.user.roles).toEqual([roleId]);
  });

  it('cannot create users, least of all administrators', async () => {
    const r = await as('POST', '/api/users', { email: 'sock-puppet@example.com', name: 'Puppet', password: 'puppet-password', admin: true });
    expect(r.status).toBe(403);
    const users = await h.call('GET', '/api/users');
    expect(users.body.items.map((u: { email: string }) => u.email)).not.toContain('sock-puppet@example.com');
  });

  it("cannot take over the administrator: no password reset, no disabling, no reading the admin's keys", async () => {
    expect((await as('PATCH', `/api/users/${adminId}`, { password: 'mallory-owns-this' })).status).toBe(403);
    expect((await as('DELETE', `/api/users/${adminId}`)).status).toBe(403);
    expect((await as('GET', `/api/api-keys?userId=${adminId}`)).status).toBe(403);
    expect((await signIn(h.app, ADMIN_EMAIL, 'mallory-owns-this')).status).toBe(401);
    const adminSeen = await as('GET', `/api/users/${adminId}`);
    expect(adminSeen.body.admin).toBe(false); // colleagues do not learn who the administrators are
  });

  it('cannot widen the workspace role she holds, nor create a workspace role', async () => {
    expect((await as('PATCH', `/api/roles/${roleId}`, { forms: { [formId]: { actions: ['manage'] }, [otherFormId]: { actions: ['manage'] } } })).status).toBe(403);
    expect((await as('POST', '/api/roles', { name: 'Mine', forms: { [otherFormId]: { actions: ['manage'] } } })).status).toBe(403);
    const role = await h.call('GET', `/api/roles/${roleId}`);
    expect(role.body.forms).toEqual({ [formId]: { actions: ['view'] } });
  });

  it('as the designer of one app, cannot make a role of it that reaches into another app', async () => {
    const across = await as('POST', '/api/roles', { name: 'Reach', appId: designedAppId, forms: { [otherFormId]: { actions: ['manage'] } } });
    expect(across.status).toBe(422);
    const foreign = await as('POST', '/api/roles', { name: 'Foreign', appId: closedAppId, forms: { [otherFormId]: { actions: ['manage'] } } });
    expect([403, 404]).toContain(foreign.status);
    // whatever she tried, the other form stays closed to her
    expect((await as('GET', `/api/forms/${otherFormId}/records`)).status).toBe(404);
  });

  it('cannot read the audit log', async () => {
    const r = await as('GET', '/api/audit');
    expect(r.status).toBe(403);
    expect(JSON.stringify(r.body)).not.toContain('login.success');
  });

  it('the last active administrator cannot be disabled or demoted', async () => {
    expect((await h.call('DELETE', `/api/users/${adminId}`)).status).toBe(409);
    expect((await h.call('PATCH', `/api/users/${adminId}`, { admin: false })).status).toBe(409);
    expect((await h.call('PATCH', `/api/users/${adminId}`, { status: 'disabled' })).status).toBe(409);
    const admin = await h.call('GET', `/api/users/${adminId}`);
    expect(admin.body).toMatchObject({ admin: true, status: 'active' });
    expect((await h.call('GET', '/api/auth/me')).status).toBe(200);
  });

  it('no reply ever carries a password hash', async () => {
    const replies = [
      await signIn(h.app, mallory.email, mallory.password),
      await h.call('GET', '/api/users'),
      await h.call('GET', `/api/users/${mallory.id}`),
      await h.call('GET', '/api/auth/me'),
      await as('GET', '/api/users'),
      await as('GET', '/api/auth/me'),
      await h.call('POST', '/api/users', { email: 'new-hire@example.com', name: 'New hire', password: 'new-hire-password' }),
      await h.call('PATCH', `/api/users/${mallory.id}`, { name: 'Mallory M.' }),
      await h.call('GET', '/api/audit?limit=500'),
    ];
    for (const r of replies) {
      expect(r.status, JSON.stringify(r.body)).toBeLessThan(300);
      const json = JSON.stringify(r.body);
      expect(json).not.toContain('passwordHash');
      expect(json).not.toContain('scrypt$');
      expect(json).not.toContain(mallory.password);
      expect(json).not.toContain('new-hire-password');
    }
  });
});
