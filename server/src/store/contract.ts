import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isTrellisError, type FormDefinition, type NormListQuery, type NormSort, type RecordData } from '@trellis/core';
import {
  CONTRACT_CASES, FIXTURE_FORM_ID, FIXTURE_RECORDS, closeEnough, referenceFind, sortValues, type ListCase,
} from './contract-fixtures.js';
import type {
  AppEntity, AuditEntry, DepartmentEntity, EntityListOptions, FieldChange, FormEntity, HistoryEntry, RecordEntity, RoleEntity, SerialAllocation,
  SessionEntity, ShareLinkEntity, Store, UserEntity,
} from './port.js';

export interface StoreContractOptions {
  /** closes `store` and opens the same data again; given by adapters that keep data in files */
  reopen?: (store: Store) => Promise<Store>;
  /**
   * false for a database without transactions (a standalone MongoDB): a failed insert
   * racing others may then leave a gap in a serial sequence, and a failed insertMany
   * may leave the records before the failing one
   */
  transactions?: boolean;
}

const NOW = '2026-01-02T03:04:05.006Z';
let seq = 0;
const uid = (prefix: string): string => `${prefix}${Date.now().toString(36)}${(seq++).toString(36).padStart(4, '0')}`;

function app(id: string, workspaceId = 'ws1'): AppEntity {
  return { id, workspaceId, name: `App ${id}`, version: 1, createdAt: NOW, updatedAt: NOW, createdBy: 'u1' };
}

function definition(title: string): FormDefinition {
  return { name: title, fields: [{ key: 'title', type: 'text', label: 'Title' }] } as FormDefinition;
}

function form(id: string, appId: string): FormEntity {
  return { id, appId, draft: definition('Draft'), publishedVersion: 0, version: 1, createdAt: NOW, updatedAt: NOW };
}

function record(formId: string, data: RecordData, id = uid('r'), createdAt = NOW): RecordEntity {
  return { id, formId, formVersion: 1, version: 1, data, createdBy: 'u1', createdAt, updatedAt: createdAt, status: 'submitted' };
}

function history(r: Pick<RecordEntity, 'id' | 'formId'>, action: HistoryEntry['action'], version: number, changes: FieldChange[] = []): HistoryEntry {
  return { id: uid('h'), recordId: r.id, formId: r.formId, action, by: 'u1', at: NOW, version, changes };
}

function created(r: RecordEntity): HistoryEntry {
  return history(r, 'create', 1, Object.entries(r.data).map(([field, to]) => ({ field, from: null, to })));
}

function serial(formId: string, field = 'no'): SerialAllocation {
  return { field, counter: `${formId}:${field}:all`, render: (n) => `NO-${String(n).padStart(4, '0')}` };
}

function user(id: string, email = `${id}@example.com`): UserEntity {
  return {
    id, email, name: `User ${id}`, status: 'active', admin: false, departments: [], roles: [], partner: null,
    passwordHash: null, version: 1, createdAt: NOW, updatedAt: NOW,
  };
}

function session(id: string, userId: string): SessionEntity {
  return { id, userId, createdAt: NOW, expiresAt: '2026-01-03T03:04:05.006Z', revokedAt: null, address: '127.0.0.1', userAgent: null };
}

function department(id: string, parentId: string | null): DepartmentEntity {
  return { id, name: { en: 'Sales', zh: '销售' }, parentId, leaderId: null, order: 0, version: 1, createdAt: NOW, updatedAt: NOW };
}

function audit(id: string, actorId: string | null): AuditEntry {
  // free-form details: keys MongoDB would refuse as field names must come back as written
  return { id, at: NOW, event: 'user.signIn', actorId, subject: null, address: null, details: { n: id, '$where': 'x', 'a.b': [1, { c: null }] } };
}

function shareLink(id: string, formId: string, tokenHash: string): ShareLinkEntity {
  return {
    id, kind: 'submit', tokenHash, formId, recordId: null, expiresAt: null, passwordHash: null, createdBy: 'u1', createdAt: NOW, revokedAt: null,
  };
}

function role(id: string, appId: string | null): RoleEntity {
  return { id, appId, name: 'Clerks', forms: { f1: { actions: ['submit', 'view'], scope: 'own' } }, version: 1, createdAt: NOW, updatedAt: NOW };
}

async function rejects(p: Promise<unknown>, code: string, details?: Record<string, unknown>): Promise<void> {
  let caught: unknown = null;
  try {
    await p;
  } catch (e) {
    caught = e;
  }
  expect(isTrellisError(caught), `expected TrellisError ${code}, got ${String(caught)}`).toBe(true);
  if (!isTrellisError(caught)) return;
  expect(caught.code).toBe(code);
  if (details) expect(caught.details).toMatchObject(details);
}

/**
 * The behaviour every Store adapter must show. `makeStore` returns a fresh,
 * migrated, empty store each call; each group of tests takes its own.
 */
export function runStoreContract(name: string, makeStore: () => Promise<Store>, options: StoreContractOptions = {}): void {
  describe(`store contract: ${name}`, () => {
    let store: Store;
    beforeAll(async () => {
      store = await makeStore();
    });
    afterAll(async () => {
      await store.close();
    });

    describe('apps', () => {
      it('creates, reads, lists by workspace, updates with a version and deletes', async () => {
        const a = app(uid('a'));
        await store.apps.create(a);
        await store.apps.create(app(uid('a'), 'other-ws'));
        expect(await store.apps.get(a.id)).toEqual(a);
        expect((await store.apps.list('ws1')).map((x) => x.id)).toContain(a.id);
        expect((await store.apps.list('other-ws')).map((x) => x.id)).not.toContain(a.id);

        const u = await store.apps.update(a.id, 1, { name: 'Renamed', updatedAt: '2026-02-01T00:00:00.000Z' });
        expect(u).toMatchObject({ id: a.id, version: 2, updatedAt: '2026-02-01T00:00:00.000Z', name: 'Renamed', createdAt: NOW });
        expect(await store.apps.get(a.id)).toEqual(u);
        await rejects(store.apps.update(a.id, 1, { updatedAt: NOW }), 'VERSION_CONFLICT', { expected: 1, actual: 2 });
        expect((await store.apps.update(a.id, null, { updatedAt: NOW }))?.version).toBe(3);
        expect(await store.apps.update('no-such-app', 1, { updatedAt: NOW })).toBeNull();

        expect(await store.apps.delete(a.id)).toBe(true);
        expect(await store.apps.get(a.id)).toBeNull();
        expect(await store.apps.delete(a.id)).toBe(false);
      });
    });

    describe('forms', () => {
      it('saves drafts with a version and publishes numbered versions', async () => {
        const a = app(uid('a'));
        await store.apps.create(a);
        const fm = form(uid('f'), a.id);
        await store.forms.create(fm);
        expect(await store.forms.get(fm.id)).toEqual(fm);
        expect((await store.forms.listByApp(a.id)).map((x) => x.id)).toEqual([fm.id]);

        const saved = await store.forms.saveDraft(fm.id, definition('Second'), 1, '2026-03-01T00:00:00.000Z');
        expect(saved).toMatchObject({ version: 2, draft: definition('Second'), updatedAt: '2026-03-01T00:00:00.000Z', publishedVersion: 0 });
        await rejects(store.forms.saveDraft(fm.id, definition('Stale'), 1, NOW), 'VERSION_CONFLICT', { expected: 1, actual: 2 });
        expect((await store.forms.saveDraft(fm.id, definition('Forced'), null, NOW))?.version).toBe(3);
        expect(await store.forms.saveDraft('no-such-form', definition('x'), null, NOW)).toBeNull();
        expect((await store.forms.get(fm.id))?.draft).toEqual(definition('Forced'));

        const v1 = await store.forms.publish(fm.id, definition('One'), 'u1', '2026-03-02T00:00:00.000Z');
        const v2 = await store.forms.publish(fm.id, definition('Two'), null, '2026-03-03T00:00:00.000Z');
        expect(v1).toEqual({ formId: fm.id, version: 1, definition: definition('One'), publishedAt: '2026-03-02T00:00:00.000Z', publishedBy: 'u1' });
        expect(v2.version).toBe(2);
        expect((await store.forms.get(fm.id))?.publishedVersion).toBe(2);
        expect(await store.forms.getVersion(fm.id, 1)).toEqual(v1);
        expect(await store.forms.getVersion(fm.id, 3)).toBeNull();
        expect((await store.forms.listVersions(fm.id)).map((v) => [v.version, v.definition])).toEqual([[1, definition('One')], [2, definition('Two')]]);
      });
    });

    describe('records', () => {
      it('inserts with a history entry and reads back', async () => {
        const formId = uid('f');
        const r = record(formId, { title: 'Hello', amount: 12.5, tags: ['a'], sub: [{ q: 1 }] });
        const h = created(r);
        expect(await store.records.insert(r, h, [])).toEqual(r);
        expect(await store.records.get(formId, r.id)).toEqual(r);
        expect(await store.records.get(formId, 'nope')).toBeNull();
        expect(await store.records.get(uid('f'), r.id)).toBeNull();
        expect(await store.records.history(r.id)).toEqual([h]);
      });

      it('rejects a second record with the same id', async () => {
        const formId = uid('f');
        const r = record(formId, { title: 'x' });
        await store.records.insert(r, created(r), []);
        await expect(store.records.insert({ ...r, data: { title: 'y' } }, created(r), [])).rejects.toThrow();
        expect((await store.records.get(formId, r.id))?.data).toEqual({ title: 'x' });
      });

      it('allocates serial numbers inside the insert, without gaps after a failed insert', async () => {
        const formId = uid('f');
        await store.records.syncIndexes(formId, [{ key: 'code', unique: true }]);
        const a = record(formId, { code: 'X' });
        const ra = await store.records.insert(a, created(a), [serial(formId)]);
        expect(ra.data).toEqual({ code: 'X', no: 'NO-0001' });
        expect((await store.records.get(formId, a.id))?.data).toEqual({ code: 'X', no: 'NO-0001' });

        const b = record(formId, { code: 'X' });
        await rejects(store.records.insert(b, created(b), [serial(formId)]), 'UNIQUE_VIOLATION', { field: 'code' });
        expect(await store.records.get(formId, b.id)).toBeNull();
        expect(await store.records.history(b.id)).toEqual([]);
        expect(await store.counters.peek(`${formId}:no:all`)).toBe(1);

        const c = record(formId, { code: 'Y' });
        expect((await store.records.insert(c, created(c), [serial(formId)])).data.no).toBe('NO-0002');
      });

      it('gives 200 concurrent inserts the numbers 1..200', async () => {
        const formId = uid('f');
        const rs = Array.from({ length: 200 }, (_, i) => record(formId, { i }));
        const out = await Promise.all(rs.map((r) => store.records.insert(r, created(r), [serial(formId)])));
        const numbers = out.map((r) => Number(String(r.data.no).slice(3))).sort((x, y) => x - y);
        expect(numbers).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
        expect(await store.counters.peek(`${formId}:no:all`)).toBe(200);
        expect(await store.records.count(formId, { filter: { kind: 'true' } })).toBe(200);
      });

      // Without transactions the counter cannot be handed back once a later number was taken.
      it.skipIf(options.transactions === false)('fails only the duplicate among concurrent inserts, leaving no gap in the serials', async () => {
        const formId = uid('f');
        await store.records.syncIndexes(formId, [{ key: 'code', unique: true }]);
        const codes = ['a', 'b', 'c', 'b', 'd', 'e'];
        const rs = codes.map((code) => record(formId, { code }));
        const out = await Promise.allSettled(rs.map((r) => store.records.insert(r, created(r), [serial(formId)])));
        expect(out.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
        const failed = out[3] as PromiseRejectedResult;
        expect(isTrellisError(failed.reason) && failed.reason.code).toBe('UNIQUE_VIOLATION');
        const nos = out.flatMap((o) => (o.status === 'fulfilled' ? [o.value.data.no] : [])).sort();
        expect(nos).toEqual(['NO-0001', 'NO-0002', 'NO-0003', 'NO-0004', 'NO-0005']);
        expect(await store.records.get(formId, rs[3]!.id)).toBeNull();
        expect(await store.records.history(rs[3]!.id)).toEqual([]);
        expect(await store.records.count(formId, { filter: { kind: 'true' } })).toBe(5);
      });

      it('inserts many records with their serials in order', async () => {
        const formId = uid('f');
        const rs = Array.from({ length: 50 }, (_, i) => record(formId, { i }));
        const out = await store.records.insertMany(formId, rs.map((r) => ({ record: r, history: created(r), serials: [serial(formId)] })));
        expect(out.map((r) => r.data.no)).toEqual(rs.map((_, i) => `NO-${String(i + 1).padStart(4, '0')}`));
        expect(await store.records.count(formId, { filter: { kind: 'true' } })).toBe(50);
        expect((await store.records.history(rs[7]!.id)).map((h) => h.action)).toEqual(['create']);
      });

      it.skipIf(options.transactions === false)('inserts many all or nothing: one duplicate stores none and uses no numbers', async () => {
        const formId = uid('f');
        await store.records.syncIndexes(formId, [{ key: 'code', unique: true }]);
        const rs = ['a', 'b', 'a', 'c'].map((code) => record(formId, { code }));
        const err = await store.records.insertMany(formId, rs.map((r) => ({ record: r, history: created(r), serials: [serial(formId)] }))).catch((e: unknown) => e);
        expect(isTrellisError(err) && err.code).toBe('UNIQUE_VIOLATION');
        expect(await store.records.count(formId, { filter: { kind: 'true' } })).toBe(0);
        expect(await store.records.history(rs[0]!.id)).toEqual([]);
        expect(await store.counters.peek(`${formId}:no:all`)).toBe(0);
      });

      it('counters count from 1 per key', async () => {
        const key = `${uid('f')}:n:2026`;
        expect(await store.counters.peek(key)).toBe(0);
        expect(await store.counters.next(key)).toBe(1);
        expect(await store.counters.next(key)).toBe(2);
        expect(await store.counters.next(`${key}x`)).toBe(1);
        expect(await store.counters.peek(key)).toBe(2);
      });

      it('enforces unique fields on insert and update; missing values may repeat', async () => {
        const formId = uid('f');
        await store.records.syncIndexes(formId, [{ key: 'email', unique: true }, { key: 'dept', unique: false }]);
        const a = record(formId, { email: 'a@x.io', dept: 'd1' });
        const b = record(formId, { email: 'b@x.io', dept: 'd1' });
        await store.records.insert(a, created(a), []);
        await store.records.insert(b, created(b), []);
        const c = record(formId, { email: 'a@x.io' });
        await rejects(store.records.insert(c, created(c), []), 'UNIQUE_VIOLATION', { field: 'email' });
        for (const data of [{ dept: 'd2' }, { email: null }, { email: null }, {}]) {
          const r = record(formId, data);
          await store.records.insert(r, created(r), []);
        }
        await rejects(
          store.records.update({ ...b, version: 2, data: { email: 'a@x.io' } }, 1, history(b, 'update', 2)),
          'UNIQUE_VIOLATION', { field: 'email' },
        );
        expect((await store.records.get(formId, b.id))?.data).toEqual({ email: 'b@x.io', dept: 'd1' });
        expect(await store.records.history(b.id)).toHaveLength(1);
        expect(await store.records.count(formId, { filter: { kind: 'true' } })).toBe(6);
      });

      it('fails cleanly to add a unique index over duplicate data, and drops indexes no longer wanted', async () => {
        const formId = uid('f');
        for (const code of ['A', 'A', 'B']) {
          const r = record(formId, { code });
          await store.records.insert(r, created(r), []);
        }
        await rejects(store.records.syncIndexes(formId, [{ key: 'code', unique: true }]), 'UNIQUE_VIOLATION', { field: 'code' });
        // nothing half-done: duplicates still go in, reads still work
        const d = record(formId, { code: 'B' });
        await store.records.insert(d, created(d), []);
        expect(await store.records.count(formId, { filter: { kind: 'true' } })).toBe(4);

        const other = uid('f');
        await store.records.syncIndexes(other, [{ key: 'code', unique: true }]);
        const x = record(other, { code: 'Q' });
        await store.records.insert(x, created(x), []);
        const y = record(other, { code: 'Q' });
        await rejects(store.records.insert(y, created(y), []), 'UNIQUE_VIOLATION', { field: 'code' });
        await store.records.syncIndexes(other, [{ key: 'code', unique: false }]);
        await store.records.insert(y, created(y), []);
        await store.records.syncIndexes(other, []);
        expect(await store.records.count(other, { filter: { kind: 'cmp', path: { source: 'data', key: 'code', storage: 'text' }, op: 'eq', value: 'Q' } })).toBe(2);
      });

      it('updates with the expected version, deletes, and keeps the history in order', async () => {
        const formId = uid('f');
        const r = record(formId, { title: 'v1', n: 1 });
        await store.records.insert(r, created(r), []);
        const h2 = history(r, 'update', 2, [{ field: 'title', from: 'v1', to: 'v2' }]);
        const next = { ...r, version: 2, data: { title: 'v2', n: 1 }, updatedAt: '2026-06-01T00:00:00.000Z', status: 'approved' };
        const u = await store.records.update(next, 1, h2);
        expect(u).toEqual(next);
        expect(await store.records.get(formId, r.id)).toEqual(next);
        await rejects(store.records.update({ ...next, version: 2, data: { title: 'stale' } }, 1, history(r, 'update', 2)), 'VERSION_CONFLICT', { expected: 1, actual: 2 });
        expect(await store.records.update({ ...next, id: 'missing' }, 1, history({ id: 'missing', formId }, 'update', 2))).toBeNull();

        const h3 = history(r, 'delete', 2);
        expect(await store.records.delete(formId, r.id, h3)).toBe(true);
        expect(await store.records.get(formId, r.id)).toBeNull();
        expect(await store.records.delete(formId, r.id, history(r, 'delete', 2))).toBe(false);
        const hs = await store.records.history(r.id);
        expect(hs.map((h) => h.action)).toEqual(['create', 'update', 'delete']);
        expect(hs[1]!.changes).toEqual([{ field: 'title', from: 'v1', to: 'v2' }]);
        expect(hs[2]).toEqual(h3);
      });

      it('answers existing, getMany and count', async () => {
        const formId = uid('f');
        const rs = ['a', 'b', 'c'].map((t) => record(formId, { t }));
        for (const r of rs) await store.records.insert(r, created(r), []);
        expect((await store.records.existing(formId, [rs[2]!.id, 'nope', rs[0]!.id])).sort()).toEqual([rs[0]!.id, rs[2]!.id].sort());
        expect(await store.records.existing(formId, [])).toEqual([]);
        const many = await store.records.getMany(formId, [rs[1]!.id, 'nope', rs[0]!.id]);
        expect(many.map((r) => r.id).sort()).toEqual([rs[0]!.id, rs[1]!.id].sort());
        expect(many.find((r) => r.id === rs[1]!.id)).toEqual(rs[1]);
        expect(await store.records.count(formId, { filter: { kind: 'true' } })).toBe(3);
        expect(await store.records.count(formId, { filter: { kind: 'cmp', path: { source: 'data', key: 't', storage: 'text' }, op: 'ne', value: 'b' } })).toBe(2);
      });

      it('stores values that look like query operators as plain data', async () => {
        const formId = uid('f');
        const evil = { title: { $gt: '' }, where: '$where', nested: [{ $ne: null }], 'a.b': 1 } as RecordData;
        const r = record(formId, evil);
        const plain = record(formId, { title: 'plain' });
        await store.records.insert(r, created(r), []);
        await store.records.insert(plain, created(plain), []);
        expect((await store.records.get(formId, r.id))?.data).toEqual(evil);
        const page = await store.records.find(formId, {
          filter: { kind: 'cmp', path: { source: 'data', key: 'where', storage: 'text' }, op: 'eq', value: '$where' },
          sort: [], limit: 10, after: null, count: false,
        });
        expect(page.items.map((x) => x.id)).toEqual([r.id]);
        // an operator-looking filter value is a plain value too
        expect(await store.records.count(formId, { filter: { kind: 'cmp', path: { source: 'data', key: 'title', storage: 'text' }, op: 'eq', value: '$gt' } })).toBe(0);
      });

      it('deleting an app removes its forms, versions, records, history and counters', async () => {
        const a = app(uid('a'));
        const keep = app(uid('a'));
        await store.apps.create(a);
        await store.apps.create(keep);
        const fm = form(uid('f'), a.id);
        const kept = form(uid('f'), keep.id);
        await store.forms.create(fm);
        await store.forms.create(kept);
        await store.forms.publish(fm.id, definition('One'), null, NOW);
        await store.records.syncIndexes(fm.id, [{ key: 'code', unique: true }]);
        const r = record(fm.id, { code: 'Z' });
        const k = record(kept.id, { code: 'Z' });
        await store.records.insert(r, created(r), [serial(fm.id)]);
        await store.records.insert(k, created(k), [serial(kept.id)]);

        expect(await store.apps.delete(a.id)).toBe(true);
        expect(await store.forms.get(fm.id)).toBeNull();
        expect(await store.forms.listByApp(a.id)).toEqual([]);
        expect(await store.forms.getVersion(fm.id, 1)).toBeNull();
        expect(await store.records.get(fm.id, r.id)).toBeNull();
        expect(await store.records.count(fm.id, { filter: { kind: 'true' } })).toBe(0);
        expect(await store.records.history(r.id)).toEqual([]);
        expect(await store.counters.peek(`${fm.id}:no:all`)).toBe(0);
        // the other app is untouched
        expect(await store.forms.get(kept.id)).not.toBeNull();
        expect(await store.records.get(kept.id, k.id)).toEqual({ ...k, data: { code: 'Z', no: 'NO-0001' } });
        expect(await store.counters.peek(`${kept.id}:no:all`)).toBe(1);
        // a form id used again starts from nothing (no stale unique index)
        for (let i = 0; i < 2; i++) {
          const again = record(fm.id, { code: 'Z' });
          await store.records.insert(again, created(again), []);
        }
      });

      it('answers ping', async () => {
        expect(await store.ping()).toBe(true);
      });
    });

    describe('queries over the fixtures', () => {
      let q: Store;
      beforeAll(async () => {
        q = await makeStore();
        await q.records.syncIndexes(FIXTURE_FORM_ID, [{ key: 'dept', unique: false }, { key: 'amount', unique: false }, { key: 'title', unique: false }]);
        for (const r of FIXTURE_RECORDS) await q.records.insert(r, created(r), []);
      });
      afterAll(async () => {
        await q.close();
      });

      it('stores the fixtures as given', async () => {
        for (const r of FIXTURE_RECORDS) expect(await q.records.get(FIXTURE_FORM_ID, r.id)).toEqual(r);
      });

      for (const c of CONTRACT_CASES) {
        if (c.kind === 'list') {
          it(`find: ${c.name}`, async () => {
            const page = await q.records.find(FIXTURE_FORM_ID, c.query);
            expect(page.items.map((r) => r.id)).toEqual(c.expectIds);
            expect(page.hasMore).toBe(c.expectHasMore);
            if (c.expectTotal !== undefined) expect(page.total).toBe(c.expectTotal);
            expect(await q.records.count(FIXTURE_FORM_ID, { filter: c.query.filter })).toBe(
              referenceFind(FIXTURE_RECORDS, { ...c.query, after: null, limit: 1000 }).total,
            );
          });
        } else {
          it(`aggregate: ${c.name}`, async () => {
            const rows = await q.records.aggregate(FIXTURE_FORM_ID, c.query);
            expect(rows.map((r) => r.group)).toEqual(c.expectRows.map((r) => r.group));
            rows.forEach((row, i) => {
              const want = c.expectRows[i]!.values;
              expect(Object.keys(row.values).sort()).toEqual(Object.keys(want).sort());
              for (const k of Object.keys(want)) {
                expect(closeEnough(row.values[k], want[k]), `${JSON.stringify(row.group)} ${k}: got ${row.values[k]}, want ${want[k]}`).toBe(true);
              }
            });
          });
        }
      }

      // every distinct sort among the cases, paged 7 at a time, gives the unpaged order
      const sorts = new Map<string, ListCase>();
      for (const c of CONTRACT_CASES) if (c.kind === 'list' && c.query.sort.length > 0) sorts.set(JSON.stringify([c.query.sort, c.query.filter]), c);
      for (const c of sorts.values()) {
        it(`pages by 7 in the unpaged order: ${c.name}`, async () => {
          const whole: NormListQuery = { ...c.query, after: null, limit: 1000, count: false };
          const want = (await q.records.find(FIXTURE_FORM_ID, whole)).items.map((r) => r.id);
          expect(want).toEqual(referenceFind(FIXTURE_RECORDS, whole).ids);
          const got: string[] = [];
          let after: NormListQuery['after'] = null;
          for (let guard = 0; guard < 20; guard++) {
            const page = await q.records.find(FIXTURE_FORM_ID, { ...whole, limit: 7, after });
            got.push(...page.items.map((r) => r.id));
            const last = page.items[page.items.length - 1];
            if (!page.hasMore || !last) break;
            after = { values: sortValues(last, c.query.sort as NormSort[]), id: last.id };
          }
          expect(got).toEqual(want);
        });
      }
    });

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

    if (options.reopen) {
      const reopen = options.reopen;
      describe('durability', () => {
        it('keeps apps, forms, records, indexes, history and counters across close and reopen', async () => {
          let s = await makeStore();
          const a = app(uid('a'));
          await s.apps.create(a);
          const fm = form(uid('f'), a.id);
          await s.forms.create(fm);
          await s.forms.publish(fm.id, definition('One'), null, NOW);
          await s.records.syncIndexes(fm.id, [{ key: 'code', unique: true }]);
          const r = record(fm.id, { code: 'K' });
          const stored = await s.records.insert(r, created(r), [serial(fm.id)]);
          s = await reopen(s);
          try {
            expect(await s.apps.get(a.id)).toEqual(a);
            expect((await s.forms.get(fm.id))?.publishedVersion).toBe(1);
            expect(await s.records.get(fm.id, r.id)).toEqual(stored);
            expect(await s.records.history(r.id)).toHaveLength(1);
            expect(await s.counters.peek(`${fm.id}:no:all`)).toBe(1);
            const dup = record(fm.id, { code: 'K' });
            await rejects(s.records.insert(dup, created(dup), []), 'UNIQUE_VIOLATION', { field: 'code' });
            const next = record(fm.id, { code: 'L' });
            expect((await s.records.insert(next, created(next), [serial(fm.id)])).data.no).toBe('NO-0002');
          } finally {
            await s.close();
          }
        });

        it('keeps entities, their unique keys and throttle windows across close and reopen', async () => {
          let s = await makeStore();
          const u = user(uid('u'));
          const sess = session(uid('s'), u.id);
          await s.entities.insert('user', u);
          await s.entities.insert('session', sess);
          await s.throttle.hit('login:k', 60_000, 1_000);
          await s.throttle.hit('login:k', 60_000, 2_000);
          s = await reopen(s);
          try {
            expect(await s.entities.get('user', u.id)).toEqual(u);
            expect(await s.entities.getByKey('user', u.email)).toEqual(u);
            expect(await s.entities.list('session', { ref: u.id })).toEqual([sess]);
            await rejects(s.entities.insert('user', user(uid('u'), u.email)), 'UNIQUE_VIOLATION', { field: 'key' });
            expect(await s.throttle.peek('login:k', 3_000)).toEqual({ count: 2, resetAt: 61_000 });
            expect(await s.throttle.hit('login:k', 60_000, 3_000)).toEqual({ count: 3, resetAt: 61_000 });
          } finally {
            await s.close();
          }
        });
      });
    }
  });
}
