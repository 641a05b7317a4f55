import { TrellisError, type AggregateRow, type NormAggregateQuery, type NormListQuery } from '@trellis/core';
import type { ClientSession, Collection, Filter, IndexDescription } from 'mongodb';
import type { HistoryEntry, IndexSpec, ListPage, RecordEntity, RecordRepo, SerialAllocation } from '../port.js';
import { compileAggregate } from './compile-aggregate.js';
import { compileFilter } from './compile-filter.js';
import { compileSort } from './compile-sort.js';
import { INDEX_PREFIX, UNIQUE_PREFIX, isDuplicateKey, rethrowDuplicate } from './mongo-errors.js';
import { assertSafeDataKey, literal } from './mongo-field.js';
import {
  fromHistoryDoc, fromRecordDoc, toHistoryDoc, toRecordDoc,
  type Collections, type CounterDoc, type RecordDoc, type RunAtomic,
} from './mongo-docs.js';

// A unique index only covers records that hold a value: null, missing (and
// arrays, which MongoDB would index per element) stay out, like SQLite's NULLs.
const UNIQUE_TYPES = ['string', 'number', 'bool'];

/**
 * The per-field indexes syncIndexes wants in a form's collection, unique ones
 * first (when existing data breaks one, nothing else has been built yet).
 * `f_<key>` ends in the list order so an equality filter plus the default
 * sort is served by one index.
 */
export function fieldIndexes(specs: readonly IndexSpec[]): Map<string, IndexDescription> {
  const wanted = new Map<string, IndexDescription>();
  for (const spec of specs) {
    assertSafeDataKey(spec.key);
    if (!spec.unique) continue;
    const path = `data.${spec.key}`;
    wanted.set(`${UNIQUE_PREFIX}${spec.key}`, {
      name: `${UNIQUE_PREFIX}${spec.key}`,
      key: { [path]: 1 },
      unique: true,
      partialFilterExpression: { [path]: { $exists: true, $type: UNIQUE_TYPES } },
    });
  }
  for (const spec of specs) {
    wanted.set(`${INDEX_PREFIX}${spec.key}`, { name: `${INDEX_PREFIX}${spec.key}`, key: { [`data.${spec.key}`]: 1, createdAt: -1, _id: -1 } });
  }
  return wanted;
}

function owned(name: string): boolean {
  return name.startsWith(INDEX_PREFIX) || name.startsWith(UNIQUE_PREFIX);
}

// Same key (in order) and uniqueness: an index under a wanted name that differs is rebuilt.
function sameIndex(existing: Record<string, unknown>, wanted: IndexDescription): boolean {
  return JSON.stringify(existing.key) === JSON.stringify(wanted.key) && Boolean(existing.unique) === Boolean(wanted.unique);
}

export async function nextCounter(c: Collections, key: string, session?: ClientSession): Promise<number> {
  const doc = await c.counters.findOneAndUpdate(
    { _id: key },
    { $inc: { value: 1 } },
    { upsert: true, returnDocument: 'after', session },
  );
  return (doc as CounterDoc | null)?.value ?? 1;
}

function ids(values: string[]): string[] {
  return [...new Set(values.map((v) => literal(v)).filter((v): v is string => typeof v === 'string'))];
}

/** One record with its serials and history entry, in `session` when the server has transactions. */
async function insertOne(
  c: Collections, collection: Collection<RecordDoc>, record: RecordEntity, history: HistoryEntry,
  serials: SerialAllocation[], session: ClientSession | undefined,
): Promise<RecordEntity> {
  const data = { ...record.data };
  let changes = history.changes;
  const taken: { counter: string; n: number }[] = [];
  try {
    for (const s of serials) {
      assertSafeDataKey(s.field);
      const n = await nextCounter(c, s.counter, session);
      taken.push({ counter: s.counter, n });
      const value = s.render(n);
      data[s.field] = value;
      changes = [...changes.filter((ch) => ch.field !== s.field), { field: s.field, from: null, to: value }];
    }
    const stored = { ...record, data };
    try {
      await collection.insertOne(toRecordDoc(stored), { session });
    } catch (e) {
      rethrowDuplicate(e, 'Record');
    }
    await c.history.insertOne(toHistoryDoc({ ...history, changes }), { session });
    return stored;
  } catch (e) {
    if (!session) {
      for (const t of taken.reverse()) {
        await c.counters.updateOne({ _id: { $eq: t.counter }, value: { $eq: t.n } }, { $inc: { value: -1 } }).catch(() => undefined);
      }
    }
    throw e;
  }
}

export function createRecordRepo(c: Collections, atomic: RunAtomic): RecordRepo {
  const records = c.records;

  return {
    async syncIndexes(formId: string, specs: IndexSpec[]): Promise<void> {
      const wanted = fieldIndexes(specs);
      const collection = await records.ready(formId);
      const existing = new Map((await collection.listIndexes().toArray()).map((i) => [String(i.name), i as Record<string, unknown>]));
      // Build what is missing before dropping what is no longer wanted: a unique index that the
      // data breaks fails first and leaves the collection as it was.
      for (const [name, index] of wanted) {
        const current = existing.get(name);
        if (current && sameIndex(current, index)) continue;
        if (current) await collection.dropIndex(name);
        try {
          await collection.createIndexes([index]);
        } catch (e) {
          // existing records already share a value: the unique index cannot be built
          if (isDuplicateKey(e)) {
            const field = name.slice(UNIQUE_PREFIX.length);
            throw new TrellisError('UNIQUE_VIOLATION', `Value of "${field}" must be unique`, { field });
          }
          throw e;
        }
      }
      for (const name of existing.keys()) {
        if (owned(name) && !wanted.has(name)) await collection.dropIndex(name);
      }
    },

    async insert(record: RecordEntity, history: HistoryEntry, serials: SerialAllocation[]): Promise<RecordEntity> {
      // created outside the transaction: an index build cannot run inside one
      const collection = await records.ready(record.formId);
      // With transactions (replica set or sharded cluster) the counters, the record and its history
      // commit together, so a failed insert leaves no gap. On a standalone server they run one after
      // another: a failed insert hands its numbers back when no later number was taken meanwhile,
      // else it leaves a gap; a crash between the record and its history loses that history entry.
      return atomic((session) => insertOne(c, collection, record, history, serials, session));
    },

    async insertMany(formId, items) {
      const collection = await records.ready(formId);
      // all or nothing with transactions; one after another on a standalone server
      return atomic(async (session) => {
        const out: RecordEntity[] = [];
        for (const { record, history, serials } of items) out.push(await insertOne(c, collection, record, history, serials, session));
        return out;
      });
    },

    async get(formId: string, id: string): Promise<RecordEntity | null> {
      const doc = await records.of(formId).findOne({ _id: { $eq: literal(id) as string } });
      return doc ? fromRecordDoc(doc, formId) : null;
    },

    async existing(formId: string, wantedIds: string[]): Promise<string[]> {
      if (wantedIds.length === 0) return [];
      const docs = await records.of(formId).find({ _id: { $in: ids(wantedIds) } }, { projection: { _id: 1 } }).toArray();
      const found = new Set(docs.map((d) => d._id));
      return ids(wantedIds).filter((id) => found.has(id));
    },

    async getMany(formId: string, wantedIds: string[]): Promise<RecordEntity[]> {
      if (wantedIds.length === 0) return [];
      const docs = await records.of(formId).find({ _id: { $in: ids(wantedIds) } }).toArray();
      const byId = new Map(docs.map((d) => [d._id, fromRecordDoc(d, formId)]));
      return ids(wantedIds).flatMap((id) => byId.get(id) ?? []);
    },

    async update(next: RecordEntity, expectedVersion: number, history: HistoryEntry): Promise<RecordEntity | null> {
      const collection = records.of(next.formId);
      return atomic(async (session) => {
        // the store owns the version: it becomes expectedVersion + 1 whatever `next` says; id, form and creation stay
        const stored = toRecordDoc({ ...next, version: expectedVersion + 1 });
        let doc: RecordDoc | null;
        try {
          doc = await collection.findOneAndUpdate(
            { _id: { $eq: next.id }, version: { $eq: expectedVersion } },
            { $set: { formVersion: stored.formVersion, version: stored.version, data: stored.data, updatedAt: stored.updatedAt, status: stored.status } },
            { session, returnDocument: 'after' },
          );
        } catch (e) {
          rethrowDuplicate(e, 'Record');
        }
        if (!doc) {
          const current = await collection.findOne({ _id: { $eq: next.id } }, { session, projection: { version: 1 } });
          if (!current) return null;
          throw new TrellisError('VERSION_CONFLICT', 'The record was changed by someone else', { expected: expectedVersion, actual: current.version });
        }
        await c.history.insertOne(toHistoryDoc({ ...history, version: doc.version }), { session });
        return fromRecordDoc(doc, next.formId);
      });
    },

    async delete(formId: string, id: string, history: HistoryEntry): Promise<boolean> {
      const collection = records.of(formId);
      return atomic(async (session) => {
        const res = await collection.deleteOne({ _id: { $eq: literal(id) as string } }, { session });
        if (res.deletedCount === 0) return false;
        await c.history.insertOne(toHistoryDoc(history), { session });
        return true;
      });
    },

    async find(formId: string, query: NormListQuery): Promise<ListPage> {
      const collection = records.of(formId);
      const filter = compileFilter(query.filter) as Filter<RecordDoc>;
      const { sort, after } = compileSort(query.sort, query.after);
      const where = after ? ({ $and: [filter, after] } as Filter<RecordDoc>) : filter;
      const docs = await collection.find(where).sort(sort).limit(query.limit + 1).toArray();
      const page: ListPage = { items: docs.slice(0, query.limit).map((d) => fromRecordDoc(d, formId)), hasMore: docs.length > query.limit };
      if (query.count) page.total = await collection.countDocuments(filter);
      return page;
    },

    async count(formId: string, query: Pick<NormListQuery, 'filter'>): Promise<number> {
      return records.of(formId).countDocuments(compileFilter(query.filter) as Filter<RecordDoc>);
    },

    async aggregate(formId: string, query: NormAggregateQuery): Promise<AggregateRow[]> {
      const { pipeline, toRows } = compileAggregate(query);
      const docs = await records.of(formId).aggregate(pipeline, { allowDiskUse: true }).toArray();
      return toRows(docs);
    },

    async history(recordId: string): Promise<HistoryEntry[]> {
      // ObjectIds grow with insertion (per process), the order the embedded store keeps
      const docs = await c.history.find({ recordId: { $eq: literal(recordId) as string } }).sort({ _id: 1 }).toArray();
      return docs.map(fromHistoryDoc);
    },
  };
}
