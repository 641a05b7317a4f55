import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isTrellisError, type FormDefinition, type NormListQuery, type NormSort, type RecordData } from '@trellis/core';
import {
  CONTRACT_CASES, FIXTURE_FORM_ID, FIXTURE_RECORDS, closeEnough, referenceFind, sortValues, type ListCase,
} from './contract-fixtures.js';
import type { AppEntity, FieldChange, FormEntity, HistoryEntry, RecordEntity, SerialAllocation, Store } from './port.js';

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

import { NOW, rejects, uid } from './contract-support.js';
import { entityContract, session, user } from './contract-entities.js';

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

      // All or nothing across many inserts needs a transaction; the mingo stand-in for MongoDB has none (a real replica set runs it with MONGO_URL).
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

    entityContract(makeStore);

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
