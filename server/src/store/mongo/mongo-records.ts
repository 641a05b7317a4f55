import { TrellisError, type AggregateRow, type NormAggregateQuery, type NormListQuery } from '@trellis/core';
import type { ClientSession, Filter, IndexDescription } from 'mongodb';
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
 * Built-in index of `records`. All forms share the collection, so per-field
 * indexes are named per form and field and kept partial on `formId`. Limits:
 * MongoDB allows 64 indexes per collection, so about 60 indexed or unique
 * fields across all forms; and a sharded collection only accepts unique
 * indexes prefixed by the shard key, so unique fields need shard key
 * `{ formId: 1 }` (a `{ formId: 1, _id: 1 }` key suits the rest).
 */
export const RECORD_BASE_INDEX: IndexDescription = { key: { formId: 1, createdAt: -1, _id: -1 }, name: 'form_created' };

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

export function createRecordRepo(c: Collections, atomic: RunAtomic): RecordRepo {
  const baseFilter = (formId: string, compiled: Filter<RecordDoc>): Filter<RecordDoc> => ({ $and: [{ formId: { $eq: formId } }, compiled] }) as Filter<RecordDoc>;

  return {
    async syncIndexes(formId: string, specs: IndexSpec[]): Promise<void> {
      const wanted = new Map<string, IndexDescription>();
      for (const spec of specs) {
        assertSafeDataKey(spec.key);
        const path = `data.${spec.key}`;
        // unique ones first: when existing data breaks one, nothing else has been built yet
        if (spec.unique) {
          wanted.set(`${UNIQUE_PREFIX}${formId}:${spec.key}`, {
            name: `${UNIQUE_PREFIX}${formId}:${spec.key}`,
            key: { formId: 1, [path]: 1 },
            unique: true,
            partialFilterExpression: { formId, [path]: { $exists: true, $type: UNIQUE_TYPES } },
          });
        }
      }
      for (const spec of specs) {
        // partial on the form: other forms' records stay out of this form's indexes
        wanted.set(`${INDEX_PREFIX}${formId}:${spec.key}`, {
          name: `${INDEX_PREFIX}${formId}:${spec.key}`,
          key: { formId: 1, [`data.${spec.key}`]: 1, createdAt: -1 },
          partialFilterExpression: { formId },
        });
      }
      const existing = await c.records.listIndexes().toArray().catch(() => []);
      const names = new Set(existing.map((i) => String(i.name)));
      for (const name of names) {
        if (ownedBy(name, formId) && !wanted.has(name)) await c.records.dropIndex(name);
      }
      for (const [name, index] of wanted) {
        if (names.has(name)) continue;
        try {
          await c.records.createIndexes([index]);
        } catch (e) {
          // existing records already share a value: the unique index cannot be built
          if (isDuplicateKey(e)) {
            const field = name.slice(name.lastIndexOf(':') + 1);
            throw new TrellisError('UNIQUE_VIOLATION', `Value of "${field}" must be unique`, { field });
          }
          throw e;
        }
      }
    },

    async insert(record: RecordEntity, history: HistoryEntry, serials: SerialAllocation[]): Promise<RecordEntity> {
      // With transactions (replica set or sharded cluster) the counters, the record and its history
      // commit together, so a failed insert leaves no gap. On a standalone server they run one after
      // another: a failed insert hands its numbers back when no later number was taken meanwhile,
      // else it leaves a gap; a crash between the record and its history loses that history entry.
      return atomic(async (session) => {
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
            await c.records.insertOne(toRecordDoc(stored), { session });
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
      });
    },

    async get(formId: string, id: string): Promise<RecordEntity | null> {
      const doc = await c.records.findOne({ _id: { $eq: literal(id) as string }, formId: { $eq: formId } });
      return doc ? fromRecordDoc(doc) : null;
    },

    async existing(formId: string, wantedIds: string[]): Promise<string[]> {
      if (wantedIds.length === 0) return [];
      const docs = await c.records.find({ _id: { $in: ids(wantedIds) }, formId: { $eq: formId } }, { projection: { _id: 1 } }).toArray();
      const found = new Set(docs.map((d) => d._id));
      return ids(wantedIds).filter((id) => found.has(id));
    },

    async getMany(formId: string, wantedIds: string[]): Promise<RecordEntity[]> {
      if (wantedIds.length === 0) return [];
      const docs = await c.records.find({ _id: { $in: ids(wantedIds) }, formId: { $eq: formId } }).toArray();
      const byId = new Map(docs.map((d) => [d._id, fromRecordDoc(d)]));
      return ids(wantedIds).flatMap((id) => byId.get(id) ?? []);
    },

    async update(next: RecordEntity, expectedVersion: number, history: HistoryEntry): Promise<RecordEntity | null> {
      return atomic(async (session) => {
        // the store owns the version: it becomes expectedVersion + 1 whatever `next` says; id, form and creation stay
        const stored = toRecordDoc({ ...next, version: expectedVersion + 1 });
        let doc: RecordDoc | null;
        try {
          doc = await c.records.findOneAndUpdate(
            { _id: { $eq: next.id }, formId: { $eq: next.formId }, version: { $eq: expectedVersion } },
            { $set: { formVersion: stored.formVersion, version: stored.version, data: stored.data, updatedAt: stored.updatedAt, status: stored.status } },
            { session, returnDocument: 'after' },
          );
        } catch (e) {
          rethrowDuplicate(e, 'Record');
        }
        if (!doc) {
          const current = await c.records.findOne({ _id: { $eq: next.id }, formId: { $eq: next.formId } }, { session, projection: { version: 1 } });
          if (!current) return null;
          throw new TrellisError('VERSION_CONFLICT', 'The record was changed by someone else', { expected: expectedVersion, actual: current.version });
        }
        await c.history.insertOne(toHistoryDoc({ ...history, version: doc.version }), { session });
        return fromRecordDoc(doc);
      });
    },

    async delete(formId: string, id: string, history: HistoryEntry): Promise<boolean> {
      return atomic(async (session) => {
        const res = await c.records.deleteOne({ _id: { $eq: literal(id) as string }, formId: { $eq: formId } }, { session });
        if (res.deletedCount === 0) return false;
        await c.history.insertOne(toHistoryDoc(history), { session });
        return true;
      });
    },

    async find(formId: string, query: NormListQuery): Promise<ListPage> {
      const filter = compileFilter(query.filter);
      const { sort, after } = compileSort(query.sort, query.after);
      const where = baseFilter(formId, (after ? { $and: [filter, after] } : filter) as Filter<RecordDoc>);
      const docs = await c.records.find(where).sort(sort).limit(query.limit + 1).toArray();
      const page: ListPage = { items: docs.slice(0, query.limit).map(fromRecordDoc), hasMore: docs.length > query.limit };
      if (query.count) page.total = await c.records.countDocuments(baseFilter(formId, filter as Filter<RecordDoc>));
      return page;
    },

    async count(formId: string, query: Pick<NormListQuery, 'filter'>): Promise<number> {
      return c.records.countDocuments(baseFilter(formId, compileFilter(query.filter) as Filter<RecordDoc>));
    },

    async aggregate(formId: string, query: NormAggregateQuery): Promise<AggregateRow[]> {
      const { pipeline, toRows } = compileAggregate(query);
      // scope the first $match to the form so the { formId, … } indexes apply
      const [first, ...rest] = pipeline;
      const scoped = [{ $match: baseFilter(formId, (first?.$match ?? {}) as Filter<RecordDoc>) }, ...rest];
      const docs = await c.records.aggregate(scoped, { allowDiskUse: true }).toArray();
      return toRows(docs);
    },

    async history(recordId: string): Promise<HistoryEntry[]> {
      // ObjectIds grow with insertion (per process), the order the embedded store keeps
      const docs = await c.history.find({ recordId: { $eq: literal(recordId) as string } }).sort({ _id: 1 }).toArray();
      return docs.map(fromHistoryDoc);
    },
  };
}

/** Whether an index name is one of this form's per-field indexes (the form id itself may hold ':'). */
export function ownedBy(name: string, formId: string): boolean {
  for (const prefix of [INDEX_PREFIX, UNIQUE_PREFIX]) {
    if (!name.startsWith(prefix)) continue;
    const rest = name.slice(prefix.length);
    return rest.slice(0, rest.lastIndexOf(':')) === formId;
  }
  return false;
}
