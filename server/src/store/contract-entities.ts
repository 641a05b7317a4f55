import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry, DepartmentEntity, EntityListOptions, RoleEntity, SessionEntity, ShareLinkEntity, Store, UserEntity } from './port.js';
import { NOW, rejects, uid } from './contract-support.js';

/** Fixture documents of the organisation kinds. */
export function user(id: string, email = `${id}@example.com`): UserEntity {
  return {
    id, email, name: `User ${id}`, status: 'active', admin: false, departments: [], roles: [], partner: null,
    passwordHash: null, version: 1, createdAt: NOW, updatedAt: NOW,
  };
}

export function session(id: string, userId: string): SessionEntity {
  return { id, userId, createdAt: NOW, expiresAt: '2026-01-03T03:04:05.006Z', revokedAt: null, address: '127.0.0.1', userAgent: null };
}

export function department(id: string, parentId: string | null): DepartmentEntity {
  return { id, name: { en: 'Sales', zh: '销售' }, parentId, leaderId: null, order: 0, version: 1, createdAt: NOW, updatedAt: NOW };
}

export function audit(id: string, actorId: string | null): AuditEntry {
  // free-form details: keys MongoDB would refuse as field names must come back as written
  return { id, at: NOW, event: 'user.signIn', actorId, subject: null, address: null, details: { n: id, '$where': 'x', 'a.b': [1, { c: null }] } };
}

export function shareLink(id: string, formId: string, tokenHash: string): ShareLinkEntity {
  return {
    id, kind: 'submit', tokenHash, formId, recordId: null, expiresAt: null, passwordHash: null, createdBy: 'u1', createdAt: NOW, revokedAt: null,
  };
}

export function role(id: string, appId: string | null): RoleEntity {
  return { id, appId, name: 'Clerks', forms: { f1: { actions: ['submit', 'view'], scope: 'own' } }, version: 1, createdAt: NOW, updatedAt: NOW };
}

/** The entity and throttle part of the store contract; each group opens a store of its own with `makeStore`. */
export function entityContract(makeStore: () => Promise<Store>): void {
  describe('entities', () => {
    // a store of its own: the listings below see every document of a kind in it
    let e: Store;
    beforeAll(async () => {
      e = await makeStore();
    });
    afterAll(async () => {
      await e.close();
    });

    it('inserts and reads back by id and by unique key', async () => {
      const u = user(uid('u'));
      await e.entities.insert('user', u);
      expect(await e.entities.get('user', u.id)).toEqual(u);
      expect(await e.entities.getByKey('user', u.email)).toEqual(u);
      expect(await e.entities.get('user', 'no-such-user')).toBeNull();
      expect(await e.entities.getByKey('user', 'nobody@example.com')).toBeNull();
      // the key is the e-mail, not the id
      expect(await e.entities.getByKey('user', u.id)).toBeNull();
    });

    it('refuses a second document with the same id', async () => {
      const u = user(uid('u'));
      await e.entities.insert('user', u);
      await rejects(e.entities.insert('user', { ...u, email: `other-${u.email}`, name: 'Other' }), 'CONFLICT');
      expect(await e.entities.get('user', u.id)).toEqual(u);
      expect(await e.entities.getByKey('user', `other-${u.email}`)).toBeNull();
    });

    it('keeps kinds apart: the same id in two kinds is two documents, and keys are unique per kind', async () => {
      const id = uid('x');
      const u = user(id);
      const s = session(id, id);
      await e.entities.insert('user', u);
      await e.entities.insert('session', s);
      expect(await e.entities.get('user', id)).toEqual(u);
      expect(await e.entities.get('session', id)).toEqual(s);
      expect(await e.entities.get('apiKey', id)).toBeNull();
      const link = shareLink(uid('l'), 'f1', u.email);
      await e.entities.insert('shareLink', link);
      expect(await e.entities.getByKey('shareLink', u.email)).toEqual(link);
      expect(await e.entities.getByKey('user', u.email)).toEqual(u);
      expect(await e.entities.delete('session', id)).toBe(true);
      expect(await e.entities.get('user', id)).toEqual(u);
    });

    it('takes key and reference from entityKeys: a user is found by e-mail, sessions are listed by user', async () => {
      const u = user(uid('u'));
      const other = user(uid('u'));
      await e.entities.insert('user', u);
      await e.entities.insert('user', other);
      const ids = [uid('s'), uid('s'), uid('s')] as const;
      await e.entities.insert('session', session(ids[0], u.id));
      await e.entities.insert('session', session(ids[1], other.id));
      await e.entities.insert('session', session(ids[2], u.id));
      expect(await e.entities.getByKey('user', u.email)).toEqual(u);
      expect((await e.entities.list('session', { ref: u.id })).map((x) => x.id)).toEqual([ids[2], ids[0]]);
      expect(await e.entities.list('session', { ref: other.id })).toEqual([session(ids[1], other.id)]);
      expect(await e.entities.list('session', { ref: 'nobody' })).toEqual([]);
      // a user has no reference
      expect(await e.entities.list('user', { ref: u.id })).toEqual([]);
      // a share link has both: its token hash is the key, its form the reference
      const link = shareLink(uid('l'), uid('f'), `hash-${uid('h')}`);
      await e.entities.insert('shareLink', link);
      expect(await e.entities.getByKey('shareLink', link.tokenHash)).toEqual(link);
      expect(await e.entities.list('shareLink', { ref: link.formId })).toEqual([link]);
      const appId = uid('a');
      const r = role(uid('r'), appId);
      await e.entities.insert('role', r);
      await e.entities.insert('role', role(uid('r'), null));
      expect(await e.entities.list('role', { ref: appId })).toEqual([r]);
    });

    it('lists newest id first, by reference, and pages with before and limit', async () => {
      // the only test here that writes audit entries, so a listing is exactly these
      const actors = ['u1', 'u2', null] as const;
      const entries = Array.from({ length: 7 }, (_, i) => audit(`a${String(i + 1).padStart(3, '0')}`, actors[i % 3] ?? null));
      for (const i of [3, 0, 6, 1, 5, 2, 4]) await e.entities.insert('audit', entries[i]!);
      const ids = async (options?: EntityListOptions) => (await e.entities.list('audit', options)).map((x) => x.id);

      expect(await e.entities.list('audit')).toEqual([...entries].reverse());
      expect(await ids({ ref: 'u1' })).toEqual(['a007', 'a004', 'a001']);
      expect(await ids({ ref: 'u2' })).toEqual(['a005', 'a002']);
      expect(await ids({ limit: 3 })).toEqual(['a007', 'a006', 'a005']);
      expect(await ids({ before: 'a005', limit: 2 })).toEqual(['a004', 'a003']);
      expect(await ids({ before: 'a004', ref: 'u1' })).toEqual(['a001']);
      expect(await ids({ before: 'a001', ref: 'u1' })).toEqual([]);
      expect(await ids({ before: 'b' })).toHaveLength(7);
      expect(await ids({ limit: 0 })).toEqual([]);

      const paged: string[] = [];
      let before: string | undefined;
      for (let guard = 0; guard < 10; guard++) {
        const page = await ids({ before, limit: 3 });
        paged.push(...page);
        if (page.length < 3) break;
        before = page[page.length - 1];
      }
      expect(paged).toEqual(['a007', 'a006', 'a005', 'a004', 'a003', 'a002', 'a001']);
    });

    it('updates with the expected version; a null version forces; a missing document gives null', async () => {
      const parent = uid('d');
      const moved = uid('d');
      const d = department(uid('d'), parent);
      await e.entities.insert('department', d);
      const v2: DepartmentEntity = { ...d, name: 'Renamed', version: 2, updatedAt: '2026-02-01T00:00:00.000Z' };
      expect(await e.entities.update('department', v2, 1)).toEqual(v2);
      expect(await e.entities.get('department', d.id)).toEqual(v2);
      await rejects(e.entities.update('department', { ...v2, name: 'Stale' }, 1), 'VERSION_CONFLICT', { expected: 1, actual: 2 });
      expect(await e.entities.get('department', d.id)).toEqual(v2);

      // the reference follows the document
      const v5: DepartmentEntity = { ...v2, parentId: moved, version: 5 };
      expect(await e.entities.update('department', v5, null)).toEqual(v5);
      expect(await e.entities.list('department', { ref: parent })).toEqual([]);
      expect(await e.entities.list('department', { ref: moved })).toEqual([v5]);
      await rejects(e.entities.update('department', { ...v5, version: 6 }, 2), 'VERSION_CONFLICT', { expected: 2, actual: 5 });

      expect(await e.entities.update('department', department('no-such-dept', null), 1)).toBeNull();
      expect(await e.entities.update('department', department('no-such-dept', null), null)).toBeNull();
      expect(await e.entities.get('department', 'no-such-dept')).toBeNull();

      // kinds without a version are replaced when no version is expected
      const s = session(uid('s'), 'u1');
      await e.entities.insert('session', s);
      const revoked: SessionEntity = { ...s, revokedAt: NOW };
      expect(await e.entities.update('session', revoked, null)).toEqual(revoked);
      expect(await e.entities.get('session', s.id)).toEqual(revoked);
    });

    it('refuses a taken unique key on insert and on update, and frees it on delete', async () => {
      const a = user(uid('u'));
      const b = user(uid('u'));
      await e.entities.insert('user', a);
      await e.entities.insert('user', b);
      const c = user(uid('u'), a.email);
      await rejects(e.entities.insert('user', c), 'UNIQUE_VIOLATION', { field: 'key' });
      expect(await e.entities.get('user', c.id)).toBeNull();
      await rejects(e.entities.update('user', { ...b, email: a.email, version: 2 }, 1), 'UNIQUE_VIOLATION', { field: 'key' });
      expect(await e.entities.get('user', b.id)).toEqual(b);
      expect(await e.entities.getByKey('user', a.email)).toEqual(a);

      // keeping one's own key is no clash; moving to another frees the old one
      const b2: UserEntity = { ...b, name: 'B', version: 2 };
      expect(await e.entities.update('user', b2, 1)).toEqual(b2);
      const b3: UserEntity = { ...b2, email: `new-${b.email}`, version: 3 };
      expect(await e.entities.update('user', b3, 2)).toEqual(b3);
      expect(await e.entities.getByKey('user', b.email)).toBeNull();
      const d = user(uid('u'), b.email);
      await e.entities.insert('user', d);
      expect(await e.entities.getByKey('user', b.email)).toEqual(d);

      expect(await e.entities.delete('user', a.id)).toBe(true);
      expect(await e.entities.get('user', a.id)).toBeNull();
      expect(await e.entities.getByKey('user', a.email)).toBeNull();
      expect(await e.entities.delete('user', a.id)).toBe(false);
      await e.entities.insert('user', c);
      expect(await e.entities.getByKey('user', a.email)).toEqual(c);

      // documents without a key never clash
      for (let i = 0; i < 3; i++) await e.entities.insert('session', session(uid('s'), a.id));
      expect(await e.entities.list('session', { ref: a.id })).toHaveLength(3);
    });
  });

  describe('throttle', () => {
    let t: Store;
    beforeAll(async () => {
      t = await makeStore();
    });
    afterAll(async () => {
      await t.close();
    });
    // windows of the other tests end long after the purge test's `now`
    const T = 1_800_000_000_000;

    it('counts hits within a window and starts over once it ended', async () => {
      const key = uid('login:');
      expect(await t.throttle.peek(key, T)).toBeNull();
      expect(await t.throttle.hit(key, 60_000, T)).toEqual({ count: 1, resetAt: T + 60_000 });
      expect(await t.throttle.hit(key, 60_000, T + 1_000)).toEqual({ count: 2, resetAt: T + 60_000 });
      // another length on a later hit does not move the end of the running window
      expect(await t.throttle.hit(key, 5_000, T + 2_000)).toEqual({ count: 3, resetAt: T + 60_000 });
      expect(await t.throttle.peek(key, T + 59_999)).toEqual({ count: 3, resetAt: T + 60_000 });
      // a window ends at resetAt
      expect(await t.throttle.peek(key, T + 60_000)).toBeNull();
      expect(await t.throttle.hit(key, 60_000, T + 60_000)).toEqual({ count: 1, resetAt: T + 120_000 });
      expect(await t.throttle.hit(key, 60_000, T + 500_000)).toEqual({ count: 1, resetAt: T + 560_000 });
      expect(await t.throttle.hit(`${key}x`, 60_000, T + 500_000)).toEqual({ count: 1, resetAt: T + 560_000 });
      expect(await t.throttle.peek(key, T + 500_001)).toEqual({ count: 1, resetAt: T + 560_000 });
    });

    it('clears a key', async () => {
      const key = uid('ip:');
      await t.throttle.hit(key, 60_000, T);
      await t.throttle.hit(key, 60_000, T);
      await t.throttle.clear(key);
      expect(await t.throttle.peek(key, T)).toBeNull();
      expect(await t.throttle.hit(key, 60_000, T + 10)).toEqual({ count: 1, resetAt: T + 60_010 });
      await t.throttle.clear(uid('never-hit:'));
    });

    it('purges only the windows that ended', async () => {
      const base = 1_000;
      const [gone1, gone2, live] = [uid('p'), uid('p'), uid('p')];
      await t.throttle.hit(gone1, 100, base);
      await t.throttle.hit(gone2, 400, base);
      await t.throttle.hit(live, 10_000, base);
      expect(await t.throttle.purge(base + 500)).toBe(2);
      expect(await t.throttle.peek(live, base + 500)).toEqual({ count: 1, resetAt: base + 10_000 });
      // still live at `base` had it been kept
      expect(await t.throttle.peek(gone1, base)).toBeNull();
      expect(await t.throttle.purge(base + 500)).toBe(0);
      expect(await t.throttle.hit(gone1, 100, base + 600)).toEqual({ count: 1, resetAt: base + 700 });
    });

    it('gives 20 concurrent hits the counts 1..20, also when they race to start a new window', async () => {
      const key = uid('burst:');
      const burst = (now: number) => Promise.all(Array.from({ length: 20 }, () => t.throttle.hit(key, 1_000, now)));
      const counts = Array.from({ length: 20 }, (_, i) => i + 1);
      const first = await burst(T);
      expect(first.map((w) => w.count).sort((x, y) => x - y)).toEqual(counts);
      expect(new Set(first.map((w) => w.resetAt))).toEqual(new Set([T + 1_000]));
      expect(await t.throttle.peek(key, T)).toEqual({ count: 20, resetAt: T + 1_000 });
      const second = await burst(T + 1_000);
      expect(second.map((w) => w.count).sort((x, y) => x - y)).toEqual(counts);
      expect(new Set(second.map((w) => w.resetAt))).toEqual(new Set([T + 2_000]));
    });
  });
}
