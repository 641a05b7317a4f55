import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { InjectOptions } from 'fastify';
import { startHarness, type Harness, type Reply } from '../support/harness.js';

// An administrator opens a feedback form to the public and a front-desk clerk
// shares one case with a customer; strangers holding those links try to do
// more than the links allow.

type Person = { id: string; email: string; password: string; token: string };

const feedbackForm = {
  name: { en: 'Customer feedback', zh: '客户反馈' },
  titleField: 'title',
  fields: [
    { key: 'title', type: 'text', label: 'Title', required: true, maxLength: 200 },
    { key: 'contact', type: 'email', label: 'Contact' },
    { key: 'internalNote', type: 'text', label: 'Internal note' },
  ],
};

let addressSeq = 0;
// each test uses links from its own address, so the per-address limits of one do not touch the next
const freshAddress = () => `10.77.${Math.floor(++addressSeq / 250)}.${addressSeq % 250}`;

describe('a form opened to the public, and one record shared by link', () => {
  let h: Harness;
  let formId: string;
  let roleId: string;
  let clerk: Person;
  let outsider: Person;
  let caseId: string;
  let otherCaseId: string;

  async function inject(method: InjectOptions['method'], url: string, options: { body?: unknown; headers?: Record<string, string>; address?: string } = {}): Promise<Reply> {
    const { body, headers = {}, address = '127.0.0.1' } = options;
    const res = await h.app.inject({
      method, url, remoteAddress: address,
      headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
      payload: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.statusCode, body: res.body ? JSON.parse(res.body) : null, headers: res.headers };
  }
  // what a stranger with the link does: no sign-in at all
  const open = (token: string, address: string, password?: string) =>
    inject('GET', `/api/share/${token}`, { address, headers: password === undefined ? {} : { 'x-share-password': password } });
  const submit = (token: string, data: unknown, address: string, password?: string) =>
    inject('POST', `/api/share/${token}/records`, { body: { data }, address, headers: password === undefined ? {} : { 'x-share-password': password } });

  async function person(name: string, roles: string[]): Promise<Person> {
    const email = `${name.toLowerCase()}@example.com`;
    const password = `${name}-password-123`;
    const u = await h.call('POST', '/api/users', { email, name, password, roles });
    expect(u.status, JSON.stringify(u.body)).toBe(201);
    return { id: u.body.id, email, password, token: await h.login(email, password) };
  }
  async function submitLink(options: Record<string, unknown> = {}): Promise<{ id: string; token: string; url: string }> {
    const r = await h.call('POST', `/api/forms/${formId}/share-links`, options);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body;
  }
  async function recordsByTitle(title: string): Promise<any[]> {
    const r = await h.call('GET', `/api/forms/${formId}/records?filter=${encodeURIComponent(JSON.stringify({ field: 'title', op: 'eq', value: title }))}`);
    expect(r.status).toBe(200);
    return r.body.items;
  }

  beforeAll(async () => {
    h = await startHarness();
    const appId = (await h.call('POST', '/api/apps', { name: 'Service desk' })).body.id;
    const form = await h.call('POST', `/api/apps/${appId}/forms`, feedbackForm);
    expect(form.status).toBe(201);
    formId = form.body.id;
    expect((await h.call('POST', `/api/forms/${formId}/publish`)).status).toBe(200);
    // the clerk reads and takes feedback, but never sees internal notes
    const role = await h.call('POST', '/api/roles', { name: 'Front desk', forms: { [formId]: { actions: ['submit', 'view'], fields: { internalNote: 'hidden' } } } });
    expect(role.status).toBe(201);
    roleId = role.body.id;
    clerk = await person('Clerk', [roleId]);
    outsider = await person('Outsider', []);
    const c1 = await h.call('POST', `/api/forms/${formId}/records`, { data: { title: 'Broken chair', contact: 'kim@example.com', internalNote: 'difficult customer' } });
    const c2 = await h.call('POST', `/api/forms/${formId}/records`, { data: { title: 'Late delivery', contact: 'joe@example.com', internalNote: 'refund approved' } });
    expect([c1.status, c2.status]).toEqual([201, 201]);
    caseId = c1.body.id;
    otherCaseId = c2.body.id;
  });
  afterAll(async () => h.close());
  afterEach(() => {
    vi.useRealTimers();
  });

  describe('public submission', () => {
    it('the administrator opens the form; a stranger fills it in and learns nothing back', async () => {
      const link = await submitLink();
      expect(link.token).toMatch(/^[A-Za-z0-9_-]{40,}$/);
      expect(link.url).toBe(`/share/${link.token}`);
      expect(link).not.toHaveProperty('tokenHash');

      const address = freshAddress();
      const form = await open(link.token, address);
      expect(form.status).toBe(200);
      expect(form.body.kind).toBe('submit');
      expect(form.body.form.id).toBe(formId);
      expect(form.body.form.jsonSchema.properties.title).toBeDefined();
      expect(form.body).not.toHaveProperty('record');
      expect(form.body).not.toHaveProperty('items');

      const sent = await submit(link.token, { title: 'Great service', contact: 'ann@example.com' }, address);
      expect(sent.status).toBe(201);
      expect(Object.keys(sent.body).sort()).toEqual(['at', 'received']);
      expect(sent.body.received).toBe(true);

      const stored = await recordsByTitle('Great service');
      expect(stored).toHaveLength(1);
      expect(stored[0].createdBy).toBeNull();
      expect(stored[0].data.contact).toBe('ann@example.com');
    });

    it('an invalid submission gets 422 and stores nothing', async () => {
      const link = await submitLink();
      const r = await submit(link.token, { contact: 'not-an-email' }, freshAddress());
      expect(r.status).toBe(422);
      expect(JSON.stringify(r.body)).not.toMatch(/Broken chair|difficult customer/);
    });

    it('a stranger cannot pose as a member or set system fields through the link', async () => {
      const link = await submitLink();
      const r = await submit(link.token, { title: 'Posing', createdBy: clerk.id, id: caseId, status: 'approved' }, freshAddress());
      expect(r.status).toBeGreaterThanOrEqual(201);
      const stored = await recordsByTitle('Posing');
      if (r.status === 201) {
        expect(stored).toHaveLength(1);
        expect(stored[0].createdBy).toBeNull();
        expect(stored[0].id).not.toBe(caseId);
      } else {
        expect(stored).toHaveLength(0);
      }
      // the case whose id was sent is untouched
      expect((await h.call('GET', `/api/forms/${formId}/records/${caseId}`)).body.data.title).toBe('Broken chair');
    });

    it('the link token opens no other door: not as Bearer, not as X-API-Key, on any route', async () => {
      const link = await submitLink();
      const asBearer = await inject('GET', `/api/forms/${formId}/records`, { headers: { authorization: `Bearer ${link.token}` } });
      expect(asBearer.status).toBe(401);
      expect(asBearer.body.error.code).toBe('UNAUTHORIZED');
      expect((await inject('GET', `/api/forms/${formId}/records`, { headers: { 'x-api-key': link.token } })).status).toBe(401);

      const doc = await inject('GET', '/api/openapi.json');
      const routes = Object.entries(doc.body.paths as Record<string, Record<string, unknown>>);
      // the only share routes: what a link opens, submitting it, and uploading a file for that submission; nothing lists records
      const shareRoutes = routes.filter(([p]) => p.startsWith('/api/share/')).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m} ${p}`)).sort();
      expect(shareRoutes).toEqual(['get /api/share/{token}', 'post /api/share/{token}/files', 'post /api/share/{token}/records']);
      expect((await inject('GET', `/api/share/${link.token}/records`)).status).not.toBeLessThan(300);

      for (const [template, ops] of routes) {
        if (template === '/healthz' || template === '/api/auth/login' || template.startsWith('/api/share/')) continue;
        const url = template.replace('{formId}', formId).replace('{recordId}', caseId).replace(/\{[^}]+\}/g, 'x0000000000000000000000');
        for (const method of Object.keys(ops)) {
          const r = await inject(method.toUpperCase() as InjectOptions['method'], url, { headers: { authorization: `Bearer ${link.token}` }, ...(method === 'get' || method === 'delete' ? {} : { body: {} }) });
          expect(r.status, `${method} ${url}`).toBe(401);
        }
      }
    });

    it('a link that expired in the past is refused at creation; one that runs out stops working', async () => {
      const past = await h.call('POST', `/api/forms/${formId}/share-links`, { expiresAt: new Date(Date.now() - 60_000).toISOString() });
      expect(past.status).toBe(400);
      expect((await h.call('POST', `/api/forms/${formId}/share-links`, { expiresAt: 'next tuesday' })).status).toBe(400);

      const expiresAt = new Date(Date.now() + 3600_000).toISOString();
      const link = await submitLink({ expiresAt });
      const address = freshAddress();
      const before = await open(link.token, address);
      expect(before.status).toBe(200);
      expect(before.body.expiresAt).toBe(expiresAt);

      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(Date.parse(expiresAt) + 1000);
      const gone = await open(link.token, address);
      expect(gone.status).toBe(404);
      expect((await submit(link.token, { title: 'Too late' }, address)).status).toBe(404);
      vi.useRealTimers();
      expect(await recordsByTitle('Too late')).toHaveLength(0);
    });

    it('a password link: no password or a wrong one gets 401, the right one opens it, ten wrong ones lock that address out', async () => {
      const link = await submitLink({ password: 'open-sesame' });
      const address = freshAddress();
      const none = await open(link.token, address);
      expect(none.status).toBe(401);
      expect(none.body.error.details).toMatchObject({ passwordRequired: true });
      expect(none.body.error.message).not.toMatch(/open-sesame/);
      expect((await open(link.token, address, 'open-sesamE')).status).toBe(401);
      expect((await submit(link.token, { title: 'No password' }, address)).status).toBe(401);
      expect((await open(link.token, address, 'open-sesame')).status).toBe(200);
      expect((await submit(link.token, { title: 'With password' }, address, 'open-sesame')).status).toBe(201);
      expect(await recordsByTitle('No password')).toHaveLength(0);

      const guesser = freshAddress();
      const guesses = await Promise.all(Array.from({ length: 10 }, (_, i) => open(link.token, guesser, `guess-${i}`)));
      expect(guesses.map((r) => r.status)).toEqual(Array(10).fill(401));
      const locked = await open(link.token, guesser, 'open-sesame');
      expect(locked.status).toBe(429);
      expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
      // someone else with the password is not shut out by the guesser
      expect((await open(link.token, freshAddress(), 'open-sesame')).status).toBe(200);
    });

    it('twenty wrong passwords fired at once get no more than ten checked', async () => {
      // the password limit must hold under concurrency, or a burst of parallel guesses is a way around it
      const link = await submitLink({ password: 'burst-proof' });
      const guesser = freshAddress();
      const burst = await Promise.all(Array.from({ length: 20 }, (_, i) => open(link.token, guesser, `burst-${i}`)));
      const statuses = burst.map((r) => r.status);
      expect(statuses.filter((s) => s !== 401 && s !== 429)).toEqual([]);
      expect(statuses.filter((s) => s === 401).length, `answers: ${statuses.join(',')}`).toBeLessThanOrEqual(10);
    });

    it('a revoked link answers exactly like one that never existed', async () => {
      const link = await submitLink();
      const address = freshAddress();
      expect((await open(link.token, address)).status).toBe(200);
      expect((await h.call('DELETE', `/api/share-links/${link.id}`)).status).toBe(204);
      const revoked = await open(link.token, address);
      const unknown = await open('A'.repeat(43), address);
      expect(revoked.status).toBe(404);
      expect(revoked.body).toEqual(unknown.body);
      expect((await submit(link.token, { title: 'After revoke' }, address)).status).toBe(404);
      const list = await h.call('GET', `/api/forms/${formId}/share-links`);
      expect(list.body.items.map((l: { id: string }) => l.id)).not.toContain(link.id);
      expect((await h.call('DELETE', `/api/share-links/${link.id}`)).status).toBe(404);
    });

    it('sixty uses a minute from one address are fine, the sixty-first gets 429', async () => {
      const link = await submitLink();
      const address = freshAddress();
      for (let i = 0; i < 60; i++) {
        const r = await open(link.token, address);
        expect(r.status, `use ${i + 1}`).toBe(200);
      }
      const r = await open(link.token, address);
      expect(r.status).toBe(429);
      expect(r.body.error.code).toBe('RATE_LIMITED');
      expect(Number(r.headers['retry-after'])).toBeGreaterThan(0);
      expect(Number(r.headers['retry-after'])).toBeLessThanOrEqual(60);
      expect((await submit(link.token, { title: 'Flood' }, address)).status).toBe(429);
      expect(await recordsByTitle('Flood')).toHaveLength(0);
      expect((await open(link.token, freshAddress())).status).toBe(200);
    });

    it('keeps only a hash of the link token: the data folder never holds it', async () => {
      const link = await submitLink();
      const text = readdirSync(h.dataDir, { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile())
        .map((e) => readFileSync(path.join(e.parentPath, e.name)).toString('latin1'))
        .join('\n');
      expect(text).toContain(link.id);
      expect(text).not.toContain(link.token);
    });
  });

  describe('who may open links', () => {
    it('a clerk without manage cannot open the form to the public (403); an outsider does not even see it (404)', async () => {
      const clerkTry = await h.as(clerk.token)('POST', `/api/forms/${formId}/share-links`, {});
      expect(clerkTry.status).toBe(403);
      const outsiderTry = await h.as(outsider.token)('POST', `/api/forms/${formId}/share-links`, {});
      expect(outsiderTry.status).toBe(404);
      expect((await h.as(outsider.token)('POST', `/api/forms/${formId}/records/${caseId}/share-links`, {})).status).toBe(404);
      expect((await h.as(outsider.token)('GET', `/api/forms/${formId}/share-links`)).status).toBe(404);
    });

    it("a clerk cannot revoke the administrator's link, and sees only her own links", async () => {
      const adminLink = await submitLink();
      expect((await h.as(clerk.token)('DELETE', `/api/share-links/${adminLink.id}`)).status).toBe(404);
      expect((await open(adminLink.token, freshAddress())).status).toBe(200);
      const own = await h.as(clerk.token)('POST', `/api/forms/${formId}/records/${caseId}/share-links`, {});
      expect(own.status).toBe(201);
      const list = await h.as(clerk.token)('GET', `/api/forms/${formId}/share-links`);
      expect(list.status).toBe(200);
      expect(list.body.items.map((l: { id: string }) => l.id)).toEqual([own.body.id]);
      // listings never show a token or its hash
      const all = await h.call('GET', `/api/forms/${formId}/share-links`);
      expect(all.body.items.length).toBeGreaterThan(1);
      expect(JSON.stringify(all.body)).not.toMatch(/token/i);
    });
  });

  describe('a record shared by link', () => {
    it('shows that one record as the clerk sees it, without her hidden fields, and cannot submit', async () => {
      const created = await h.as(clerk.token)('POST', `/api/forms/${formId}/records/${caseId}/share-links`, {});
      expect(created.status).toBe(201);
      expect(created.body.kind).toBe('record');
      const address = freshAddress();
      const shown = await open(created.body.token, address);
      expect(shown.status).toBe(200);
      expect(shown.body.kind).toBe('record');
      expect(shown.body.record.id).toBe(caseId);
      expect(shown.body.record.data).toEqual({ title: 'Broken chair', contact: 'kim@example.com' });
      expect(shown.body.form.definition.fields.map((f: { key: string }) => f.key)).not.toContain('internalNote');
      expect(JSON.stringify(shown.body)).not.toMatch(/difficult customer|refund approved|Late delivery/);

      const count = async () => (await h.call('GET', `/api/forms/${formId}/records?count=true&limit=1`)).body.total as number;
      const before = await count();
      const r = await submit(created.body.token, { title: 'Through a record link' }, address);
      expect(r.status).toBe(404);
      expect(await count()).toBe(before);
      // and the token is no key to the record list either
      expect((await inject('GET', `/api/forms/${formId}/records/${otherCaseId}`, { headers: { authorization: `Bearer ${created.body.token}` } })).status).toBe(401);
    });

    it('stops working when the clerk who shared it is disabled', async () => {
      const sharer = await person('Sharer', [roleId]);
      const created = await h.as(sharer.token)('POST', `/api/forms/${formId}/records/${caseId}/share-links`, {});
      expect(created.status).toBe(201);
      const address = freshAddress();
      expect((await open(created.body.token, address)).status).toBe(200);
      expect((await h.call('DELETE', `/api/users/${sharer.id}`)).status).toBe(200);
      const after = await open(created.body.token, address);
      expect(after.status).toBe(404);
      expect(JSON.stringify(after.body)).not.toContain('Broken chair');
    });

    it('stops working when the clerk who shared it loses the right to read the form', async () => {
      const sharer = await person('Temp', [roleId]);
      const created = await h.as(sharer.token)('POST', `/api/forms/${formId}/records/${caseId}/share-links`, {});
      expect(created.status).toBe(201);
      const address = freshAddress();
      expect((await open(created.body.token, address)).status).toBe(200);
      expect((await h.call('PATCH', `/api/users/${sharer.id}`, { roles: [] })).status).toBe(200);
      expect((await open(created.body.token, address)).status).toBe(404);
    });
  });

  describe('the audit log', () => {
    it('lists security events with who did what to whom, for administrators only', async () => {
      // a few more events of the kinds the log must hold
      expect((await h.as('')('POST', '/api/auth/login', { username: clerk.email, password: 'wrong-password' })).status).toBe(401);
      const key = await h.as(clerk.token)('POST', '/api/api-keys', { name: 'desk script', password: clerk.password });
      expect(key.status).toBe(201);
      expect((await h.call('PATCH', `/api/roles/${roleId}`, { description: 'Takes feedback at the desk' })).status).toBe(200);
      const link = await submitLink();
      const adminId = (await h.call('GET', '/api/auth/me')).body.user.id as string;

      const r = await h.call('GET', '/api/audit?limit=500');
      expect(r.status).toBe(200);
      type Entry = { id: string; at: string; event: string; actorId: string | null; subject: string | null; details: Record<string, unknown> };
      const items = r.body.items as Entry[];
      const find = (event: string, subject: string) => items.find((e) => e.event === event && e.subject === subject);
      expect(find('sharelink.create', link.id)).toMatchObject({ actorId: adminId, details: { kind: 'submit', formId } });
      expect(find('login.success', clerk.id)).toMatchObject({ actorId: clerk.id });
      expect(find('login.failure', clerk.email)).toBeDefined();
      expect(find('apikey.create', key.body.id)).toMatchObject({ actorId: clerk.id });
      expect(find('role.create', roleId)).toMatchObject({ actorId: adminId });
      expect(find('role.update', roleId)).toMatchObject({ actorId: adminId });
      expect(find('user.create', clerk.id)).toMatchObject({ actorId: adminId });
      expect(items.some((e) => e.event === 'user.update' && e.actorId === adminId && e.details.status === 'disabled')).toBe(true);
      expect(items.some((e) => e.event === 'sharelink.revoke' && e.actorId === adminId)).toBe(true);
      // newest first
      const times = items.map((e) => e.at);
      expect([...times].sort().reverse()).toEqual(times);
      // nothing secret is logged
      expect(JSON.stringify(r.body)).not.toMatch(/scrypt\$|Clerk-password-123|trk_/);

      expect((await h.as(clerk.token)('GET', '/api/audit')).status).toBe(403);
      expect((await h.as(outsider.token)('GET', '/api/audit')).status).toBe(403);
      expect((await h.as('')('GET', '/api/audit')).status).toBe(401);
    });

    it('pages through the log and filters it by actor', async () => {
      const first = await h.call('GET', '/api/audit?limit=3');
      expect(first.body.items).toHaveLength(3);
      expect(first.body.next).toBe(first.body.items[2].id);
      const second = await h.call('GET', `/api/audit?limit=3&before=${first.body.next}`);
      expect(second.body.items).toHaveLength(3);
      const ids = [...first.body.items, ...second.body.items].map((e: { id: string }) => e.id);
      expect(new Set(ids).size).toBe(6);
      const byClerk = await h.call('GET', `/api/audit?actorId=${clerk.id}&limit=500`);
      expect(byClerk.body.items.length).toBeGreaterThan(0);
      expect(byClerk.body.items.every((e: { actorId: string }) => e.actorId === clerk.id)).toBe(true);
    });
  });
});
