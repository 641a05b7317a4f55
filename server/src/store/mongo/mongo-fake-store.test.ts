import { describe, expect, it } from 'vitest';
import { Query, aggregate, find, updateOne } from 'mingo';
import { ObjectId, type Db } from 'mongodb';
import { isTrellisError, type FormDefinition, type NormListQuery } from '@trellis/core';
import type { HistoryEntry, RecordEntity } from '../port.js';
import { CONTRACT_CASES, FIXTURE_FORM_ID, FIXTURE_RECORDS, closeEnough, type ListCase } from '../contract-fixtures.js';
import { collections, toRecordDoc, type RunAtomic } from './mongo-docs.js';
import { createRecordRepo } from './mongo-records.js';
import { mongoStoreOver } from './mongo-store.js';
import { runStoreContract } from '../contract.js';
import type { MongoDoc } from './mongo-field.js';

type Sort = [string, 1 | -1][] | Record<string, 1 | -1>;
/** operators (`{ $set: … }`) or an aggregation pipeline (`[{ $set: … }]`), both applied by mingo */
type Update = MongoDoc | MongoDoc[];
interface Index { name: string; key: Record<string, number>; unique?: boolean; partialFilterExpression?: MongoDoc }

// keeps ObjectId instances (apps' and forms' `seq`), copies plain data
function clone<T>(v: T): T {
  if (v instanceof ObjectId) return v;
  if (Array.isArray(v)) return v.map(clone) as T;
  if (typeof v === 'object' && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, clone(x)])) as T;
  return v;
}

function at(doc: MongoDoc, path: string): unknown {
  let v: unknown = doc;
  for (const part of path.split('.')) v = typeof v === 'object' && v !== null ? (v as MongoDoc)[part] : undefined;
  return v;
}

// like the server, an upsert starts from the filter's equality terms (`v` or `{ $eq: v }`)
function upsertSeed(filter: MongoDoc): MongoDoc {
  const doc: MongoDoc = {};
  for (const [k, v] of Object.entries(filter)) {
    if (k.startsWith('$') || k.includes('.')) continue;
    const ops = typeof v === 'object' && v !== null && !(v instanceof ObjectId) && Object.keys(v).some((x) => x.startsWith('$'));
    if (!ops) doc[k] = clone(v);
    else if ('$eq' in (v as MongoDoc)) doc[k] = clone((v as MongoDoc).$eq);
  }
  return doc;
}

// mingo changes an operator update in place but puts a pipeline's result in the array slot
function updated(doc: MongoDoc, update: Update): MongoDoc {
  const slot = [doc];
  updateOne(slot, {}, update as Parameters<typeof updateOne>[2]);
  return slot[0]!;
}

function duplicateKey(index: Index): Error {
  return Object.assign(new Error(`E11000 duplicate key error collection: test index: ${index.name} dup key`), { code: 11000, keyPattern: index.key });
}

/**
 * The `Collection` methods the store calls, over an array and evaluated by
 * mingo, with `_id` and unique partial indexes enforced. Only for tests: it
 * lets the adapter's own code run where no MongoDB server can.
 */
class MingoCollection {
  private seq = 0;
  readonly indexes = new Map<string, Index>();

  constructor(
    readonly docs: MongoDoc[] = [],
    private readonly onDrop: () => void = () => undefined,
  ) {}

  private matching(filter: MongoDoc): MongoDoc[] {
    return find(this.docs, filter).all() as MongoDoc[];
  }

  private assertUnique(candidate: MongoDoc, docs: MongoDoc[] = this.docs): void {
    if (docs.some((d) => d !== candidate && d._id === candidate._id)) throw duplicateKey({ name: '_id_', key: { _id: 1 } });
    for (const index of this.indexes.values()) {
      if (!index.unique) continue;
      const inIndex = (d: MongoDoc) => !index.partialFilterExpression || new Query(index.partialFilterExpression).test(d);
      if (!inIndex(candidate)) continue;
      const key = (d: MongoDoc) => JSON.stringify(Object.keys(index.key).map((p) => at(d, p) ?? null));
      if (docs.some((d) => d !== candidate && d._id !== candidate._id && inIndex(d) && key(d) === key(candidate))) throw duplicateKey(index);
    }
  }

  private apply(hit: MongoDoc, update: Update): MongoDoc {
    const next = updated(clone(hit), update);
    this.assertUnique(next, this.docs.filter((d) => d !== hit));
    this.docs[this.docs.indexOf(hit)] = next;
    return next;
  }

  find(filter: MongoDoc) {
    let sort: Record<string, 1 | -1> | null = null;
    let limit = Number.POSITIVE_INFINITY;
    const cursor = {
      sort: (s: Sort) => ((sort = Array.isArray(s) ? Object.fromEntries(s) : s), cursor),
      limit: (n: number) => ((limit = n), cursor),
      toArray: async () => {
        let c = find(this.docs, filter);
        if (sort) c = c.sort(sort);
        return clone(c.all().slice(0, limit) as MongoDoc[]);
      },
    };
    return cursor;
  }

  async findOne(filter: MongoDoc) {
    return clone(this.matching(filter)[0] ?? null);
  }

  // runs to the end without awaiting, so concurrent calls apply one after another, as on the server
  async findOneAndUpdate(filter: MongoDoc, update: Update, options: { upsert?: boolean; returnDocument?: 'before' | 'after' } = {}) {
    const after = options.returnDocument === 'after';
    const hit = this.matching(filter)[0];
    if (hit) {
      const next = this.apply(hit, update);
      return clone(after ? next : hit);
    }
    if (!options.upsert) return null;
    const seed = upsertSeed(filter);
    seed._id ??= `oid-${String(++this.seq).padStart(8, '0')}`;
    const doc = updated(seed, update);
    this.assertUnique(doc, [...this.docs, doc]);
    this.docs.push(doc);
    return after ? clone(doc) : null;
  }

  async updateOne(filter: MongoDoc, update: Update) {
    const hit = this.matching(filter)[0];
    if (hit) this.apply(hit, update);
    return { matchedCount: hit ? 1 : 0 };
  }

  async insertOne(doc: MongoDoc) {
    // like the driver, a document without _id gets an increasing one
    const stored = clone({ _id: `oid-${String(++this.seq).padStart(8, '0')}`, ...doc });
    this.assertUnique(stored, [...this.docs, stored]);
    this.docs.push(stored);
    return { acknowledged: true };
  }

  async deleteOne(filter: MongoDoc) {
    const hit = this.matching(filter)[0];
    if (hit) this.docs.splice(this.docs.indexOf(hit), 1);
    return { deletedCount: hit ? 1 : 0 };
  }

  async deleteMany(filter: MongoDoc) {
    const hits = new Set(this.matching(filter));
    const before = this.docs.length;
    this.docs.splice(0, this.docs.length, ...this.docs.filter((d) => !hits.has(d)));
    return { deletedCount: before - this.docs.length };
  }

  async countDocuments(filter: MongoDoc) {
    return this.matching(filter).length;
  }

  aggregate(pipeline: MongoDoc[]) {
    return { toArray: async () => aggregate(this.docs, pipeline) as MongoDoc[] };
  }

  async createIndexes(list: Index[]) {
    for (const index of list) {
      const same = this.indexes.get(index.name);
      // like MongoDB: the same index again is a no-op, another one under a taken name an error
      if (same && JSON.stringify(same) === JSON.stringify(index)) continue;
      if (same) throw Object.assign(new Error(`Index with name: ${index.name} already exists with different options`), { code: 86 });
      this.indexes.set(index.name, index);
      try {
        for (const d of this.docs) this.assertUnique(d);
      } catch (e) {
        this.indexes.delete(index.name);
        throw e;
      }
    }
  }

  listIndexes() {
    return { toArray: async () => [{ name: '_id_', key: { _id: 1 } }, ...this.indexes.values()] };
  }

  async dropIndex(name: string) {
    if (!this.indexes.delete(name)) throw Object.assign(new Error(`index not found with name [${name}]`), { code: 27 });
  }

  async drop() {
    this.onDrop();
    return true;
  }
}

/** A stand-in `Db` of MingoCollections (created on first use): a standalone server without transactions. */
function fakeDb(): { db: Db; cols: Map<string, MingoCollection> } {
  const cols = new Map<string, MingoCollection>();
  const collection = (name: string): MingoCollection => {
    let col = cols.get(name);
    if (!col) {
      col = new MingoCollection([], () => cols.delete(name));
      cols.set(name, col);
    }
    return col;
  };
  const db = {
    collection,
    admin: () => ({ command: async () => ({}) }),
    command: async () => ({ ok: 1 }),
    createCollection: async (name: string) => collection(name),
  } as unknown as Db;
  return { db, cols };
}

const direct: RunAtomic = (fn) => fn(undefined);

// The whole store contract, over mingo instead of a server: it checks the adapter's own logic
// (version checks, serials, unique-index mapping, app deletion) but not MongoDB itself.
// The stand-in has no transactions, like a standalone MongoDB server.
runStoreContract('mongo adapter over mingo', async () => {
  const store = mongoStoreOver(fakeDb().db, direct, async () => undefined);
  await store.migrate();
  return store;
}, { transactions: false });

function setup() {
  const { db, cols } = fakeDb();
  const c = collections(db);
  const mingo = (name: string) => db.collection(name) as unknown as MingoCollection;
  mingo(`records_${FIXTURE_FORM_ID}`).docs.push(...FIXTURE_RECORDS.map((r) => toRecordDoc(r) as unknown as MongoDoc));
  // the same record id in another form's collection
  mingo('records_other').docs.push(toRecordDoc({ ...FIXTURE_RECORDS[0]!, id: 'other-1', formId: 'other' }) as unknown as MongoDoc);
  mingo('records_other').docs.push(toRecordDoc({ ...FIXTURE_RECORDS[0]!, formId: 'other' }) as unknown as MongoDoc);
  return { repo: createRecordRepo(c, direct), history: mingo('history'), counters: mingo('counters'), cols, mingo };
}

function entry(record: RecordEntity, action: HistoryEntry['action']): HistoryEntry {
  return { id: `h-${record.id}-${record.version}-${action}`, recordId: record.id, formId: record.formId, action, by: 'u1', at: record.updatedAt, version: record.version, changes: [] };
}

describe('MongoDB record repository over a mingo-backed collection', () => {
  const lists = CONTRACT_CASES.filter((c): c is ListCase => c.kind === 'list');

  it.each(lists.map((c) => [c.name, c] as const))('find: %s', async (_name, c) => {
    const { repo } = setup();
    const page = await repo.find(FIXTURE_FORM_ID, c.query);
    expect(page.items.map((r) => r.id)).toEqual(c.expectIds);
    expect(page.hasMore).toBe(c.expectHasMore);
    if (c.expectTotal !== undefined) expect(page.total).toBe(c.expectTotal);
  });

  it('aggregates and counts inside the form only', async () => {
    const { repo } = setup();
    const q: NormListQuery = { filter: { kind: 'true' }, sort: [], limit: 5, after: null, count: false };
    expect(await repo.count(FIXTURE_FORM_ID, q)).toBe(FIXTURE_RECORDS.length);
    expect(await repo.count('other', q)).toBe(2);
    expect(await repo.count('never-written', q)).toBe(0);
    const rows = await repo.aggregate(FIXTURE_FORM_ID, {
      filter: { kind: 'true' }, groupBy: [], metrics: [{ op: 'count', path: null, alias: 'count' }, { op: 'sum', path: { source: 'data', key: 'qty', storage: 'number' }, alias: 'q' }],
    });
    const qty = FIXTURE_RECORDS.reduce((s, r) => s + (typeof r.data.qty === 'number' ? r.data.qty : 0), 0);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.values.count).toBe(FIXTURE_RECORDS.length);
    expect(closeEnough(rows[0]!.values.q, qty)).toBe(true);
  });

  it('reads records back as written, including operator-looking keys inside values', async () => {
    const { repo } = setup();
    const r07 = FIXTURE_RECORDS.find((r) => r.id === 'r07')!;
    expect(await repo.get(FIXTURE_FORM_ID, 'r07')).toEqual(r07);
    expect(await repo.get('other', 'r07')).toBeNull();
    expect((await repo.get('other', 'r01'))?.formId).toBe('other');
    expect((await repo.get(FIXTURE_FORM_ID, 'r01'))?.formId).toBe(FIXTURE_FORM_ID);
    expect((await repo.getMany(FIXTURE_FORM_ID, ['r03', 'nope', 'r01', 'other-1'])).map((r) => r.id)).toEqual(['r03', 'r01']);
    expect(await repo.existing(FIXTURE_FORM_ID, ['r02', 'x', 'other-1'])).toEqual(['r02']);
  });

  it('inserts with serials from counters and writes history', async () => {
    const { repo, history } = setup();
    const base: RecordEntity = { ...FIXTURE_RECORDS[0]!, id: 'n1', data: { title: 'new' } };
    const serial = { field: 'no', counter: `${FIXTURE_FORM_ID}:no:2026`, render: (n: number) => `NO-${String(n).padStart(3, '0')}` };
    const a = await repo.insert(base, entry(base, 'create'), [serial]);
    const b = await repo.insert({ ...base, id: 'n2' }, entry({ ...base, id: 'n2' }, 'create'), [serial]);
    expect([a.data.no, b.data.no]).toEqual(['NO-001', 'NO-002']);
    expect((await repo.get(FIXTURE_FORM_ID, 'n2'))?.data.no).toBe('NO-002');
    expect(history.docs).toHaveLength(2);
    expect((await repo.history('n2'))[0]!.changes).toEqual([{ field: 'no', from: null, to: 'NO-002' }]);
    expect((await repo.history('n1')).map((h) => h.action)).toEqual(['create']);
    await expect(repo.insert(base, entry(base, 'create'), [])).rejects.toMatchObject({ code: 'CONFLICT' });
    // without a transaction, a failed insert hands its number back when nobody took a later one
    await expect(repo.insert(base, entry(base, 'create'), [serial])).rejects.toMatchObject({ code: 'CONFLICT' });
    const c = await repo.insert({ ...base, id: 'n3' }, entry({ ...base, id: 'n3' }, 'create'), [serial]);
    expect(c.data.no).toBe('NO-003');
  });

  it('updates only at the expected version', async () => {
    const { repo } = setup();
    const r01 = FIXTURE_RECORDS[0]!;
    const next = { ...r01, version: 2, data: { ...r01.data, title: 'changed' } };
    expect(await repo.update({ ...next, version: 99, createdAt: 'ignored' }, 1, entry(next, 'update'))).toEqual(next);
    const stale = await repo.update({ ...next, version: 3 }, 1, entry(next, 'update')).catch((e: unknown) => e);
    expect(isTrellisError(stale) && stale.code).toBe('VERSION_CONFLICT');
    expect(await repo.update({ ...next, id: 'missing' }, 1, entry(next, 'update'))).toBeNull();
    expect((await repo.get(FIXTURE_FORM_ID, 'r01'))?.data.title).toBe('changed');
    expect((await repo.history('r01')).map((h) => [h.action, h.version])).toEqual([['update', 2]]);
  });

  it('deletes within the form and records history', async () => {
    const { repo } = setup();
    const r02 = FIXTURE_RECORDS[1]!;
    expect(await repo.delete('other', 'r02', entry(r02, 'delete'))).toBe(false);
    expect(await repo.delete(FIXTURE_FORM_ID, 'r02', entry(r02, 'delete'))).toBe(true);
    expect(await repo.delete('other', 'r02', entry(r02, 'delete'))).toBe(false);
    expect(await repo.get(FIXTURE_FORM_ID, 'r02')).toBeNull();
    expect((await repo.history('r02')).map((h) => h.action)).toEqual(['delete']);
  });
});

describe('one collection per form', () => {
  const indexNames = (col: MingoCollection | undefined) => [...(col?.indexes.keys() ?? [])].sort();

  it('creates a form\'s collection with its built-in index on the first write', async () => {
    const { repo, cols } = setup();
    const r = { ...FIXTURE_RECORDS[0]!, id: 'x1', formId: 'f-new_1' };
    expect(cols.has('records_f-new_1')).toBe(false);
    await repo.insert(r, entry(r, 'create'), []);
    const col = cols.get('records_f-new_1');
    expect(col?.indexes.get('created')?.key).toEqual({ createdAt: -1, _id: -1 });
    expect(col?.docs.map((d) => d._id)).toEqual(['x1']);
    expect(col?.docs[0]).not.toHaveProperty('formId');
  });

  it('syncIndexes builds f_/u_ indexes per form, rebuilds changed ones and drops only its own obsolete ones', async () => {
    const { repo, cols, mingo } = setup();
    await repo.syncIndexes('fa', [{ key: 'email', unique: true }, { key: 'dept', unique: false }]);
    const fa = cols.get('records_fa')!;
    expect(indexNames(fa)).toEqual(['created', 'f_dept', 'f_email', 'u_email']);
    expect(fa.indexes.get('f_dept')!.key).toEqual({ 'data.dept': 1, createdAt: -1, _id: -1 });
    expect(fa.indexes.get('u_email')).toMatchObject({
      key: { 'data.email': 1 }, unique: true, partialFilterExpression: { 'data.email': { $exists: true, $type: ['string', 'number', 'bool'] } },
    });
    // another form's indexes live in its own collection, so many forms never share the 64-index limit
    for (let i = 0; i < 30; i++) {
      await repo.syncIndexes(`many${i}`, [{ key: 'email', unique: true }, { key: 'a', unique: false }, { key: 'b', unique: false }]);
    }
    expect(indexNames(cols.get('records_many29'))).toEqual(['created', 'f_a', 'f_b', 'f_email', 'u_email']);
    expect(indexNames(fa)).toEqual(['created', 'f_dept', 'f_email', 'u_email']);

    // an index someone else made stays; an owned one under a wanted name but another shape is rebuilt
    await fa.createIndexes([{ name: 'ops_manual', key: { status: 1 } }]);
    fa.indexes.set('f_dept', { name: 'f_dept', key: { 'data.dept': 1 } });
    await repo.syncIndexes('fa', [{ key: 'dept', unique: false }]);
    expect(indexNames(fa)).toEqual(['created', 'f_dept', 'ops_manual']);
    expect(fa.indexes.get('f_dept')!.key).toEqual({ 'data.dept': 1, createdAt: -1, _id: -1 });

    // unique over duplicates fails before anything else changes
    const dup = mingo('records_fd');
    dup.docs.push({ _id: 'd1', data: { code: 'A' } }, { _id: 'd2', data: { code: 'A' } });
    await repo.syncIndexes('fd', [{ key: 'old', unique: false }]);
    await expect(repo.syncIndexes('fd', [{ key: 'code', unique: true }])).rejects.toMatchObject({ code: 'UNIQUE_VIOLATION', details: { field: 'code' } });
    expect(indexNames(dup)).toEqual(['created', 'f_old']);
  });

  it('refuses form ids that cannot name a collection', async () => {
    const { repo } = setup();
    const q: NormListQuery = { filter: { kind: 'true' }, sort: [], limit: 5, after: null, count: false };
    for (const bad of ['', 'a.b', 'a$b', 'a b', 'x'.repeat(65), 'ü']) {
      await expect(repo.count(bad, q)).rejects.toMatchObject({ code: 'BAD_REQUEST' });
      await expect(repo.syncIndexes(bad, [])).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    }
    const store = mongoStoreOver(fakeDb().db, direct, async () => undefined);
    const form = { id: 'bad.id', appId: 'a1', draft: { name: 'x', fields: [] } as unknown as FormDefinition, publishedVersion: 0, version: 1, createdAt: 'now', updatedAt: 'now' };
    await expect(store.forms.create(form)).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect(await store.forms.get('bad.id')).toBeNull();
  });

  it('deleting an app drops its forms\' collections and no other', async () => {
    const { db, cols } = fakeDb();
    const store = mongoStoreOver(db, direct, async () => undefined);
    await store.migrate();
    const now = '2026-01-01T00:00:00.000Z';
    for (const appId of ['a1', 'a2']) {
      await store.apps.create({ id: appId, workspaceId: 'ws', name: appId, version: 1, createdAt: now, updatedAt: now, createdBy: null });
      await store.forms.create({ id: `${appId}-f`, appId, draft: { name: 'x', fields: [] } as unknown as FormDefinition, publishedVersion: 0, version: 1, createdAt: now, updatedAt: now });
      await store.records.syncIndexes(`${appId}-f`, [{ key: 'code', unique: true }]);
      const r = { ...FIXTURE_RECORDS[0]!, id: `${appId}-r`, formId: `${appId}-f` };
      await store.records.insert(r, entry(r, 'create'), []);
    }
    expect(cols.has('records_a1-f') && cols.has('records_a2-f')).toBe(true);
    expect(await store.apps.delete('a1')).toBe(true);
    expect(cols.has('records_a1-f')).toBe(false);
    expect(cols.get('records_a2-f')?.docs).toHaveLength(1);
    // the form id used again starts a fresh collection with the built-in index only
    const again = { ...FIXTURE_RECORDS[0]!, id: 'again', formId: 'a1-f' };
    await store.records.insert(again, entry(again, 'create'), []);
    expect(indexNames(cols.get('records_a1-f'))).toEqual(['created']);
  });
});
