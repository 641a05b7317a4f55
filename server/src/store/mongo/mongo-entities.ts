import { TrellisError } from '@trellis/core';
import type { Filter, IndexDescription } from 'mongodb';
import { entityKeys, type EntityKind, type EntityRepo, type EntityTypes, type ThrottleRepo } from '../port.js';
import { decodeKeys, encodeKeys, type Collections, type EntityDoc } from './mongo-docs.js';
import { isDuplicateKey } from './mongo-errors.js';

const KEY_INDEX = 'kind_key';

/** Indexes `migrate()` creates on `entities` and `throttle`. */
export const ENTITY_INDEXES: IndexDescription[] = [
  // documents without a unique key (key null) stay out, so any number of them may share a kind
  { key: { kind: 1, key: 1 }, name: KEY_INDEX, unique: true, partialFilterExpression: { key: { $type: 'string' } } },
  { key: { kind: 1, ref: 1, id: 1 }, name: 'kind_ref' },
  { key: { kind: 1, id: 1 }, name: 'kind_id' },
];
export const THROTTLE_INDEXES: IndexDescription[] = [{ key: { resetAt: 1 }, name: 'reset' }];

// sessions, API keys, share links and audit entries have no version
function versionOf(doc: EntityTypes[EntityKind]): number | null {
  return 'version' in doc && typeof doc.version === 'number' ? doc.version : null;
}

function toEntityDoc<K extends EntityKind>(kind: K, doc: EntityTypes[K]): EntityDoc {
  const { key, ref } = entityKeys(kind, doc);
  return { _id: `${kind}:${doc.id}`, kind, id: doc.id, key, ref, version: versionOf(doc), doc: encodeKeys(doc) as Record<string, unknown> };
}

function fromEntityDoc<K extends EntityKind>(d: Pick<EntityDoc, 'doc'>): EntityTypes[K] {
  return decodeKeys(d.doc) as EntityTypes[K];
}

/** E11000 on the key index is a taken unique key; on `_id`, a reused id. */
function rethrow(e: unknown, kind: EntityKind, id: string): never {
  if (isDuplicateKey(e)) {
    const pattern = e.keyPattern;
    const onKey = typeof pattern === 'object' && pattern !== null
      ? 'key' in pattern
      : String(e.message ?? e.errmsg ?? '').includes(`index: ${KEY_INDEX} `);
    if (onKey) throw new TrellisError('UNIQUE_VIOLATION', `Another ${kind} has the same key`, { field: 'key' });
    throw new TrellisError('CONFLICT', `The ${kind} "${id}" already exists`, { id });
  }
  throw e;
}

export function createEntityRepo(c: Collections): EntityRepo {
  return {
    async insert(kind, doc) {
      try {
        await c.entities.insertOne(toEntityDoc(kind, doc));
      } catch (e) {
        rethrow(e, kind, doc.id);
      }
    },
    async get(kind, id) {
      const d = await c.entities.findOne({ _id: { $eq: `${kind}:${id}` } });
      return d ? fromEntityDoc(d) : null;
    },
    async getByKey(kind, key) {
      // the $type term lets the planner use the partial unique index
      const d = await c.entities.findOne({ kind: { $eq: kind }, key: { $eq: key, $type: 'string' } });
      return d ? fromEntityDoc(d) : null;
    },
    async list(kind, options = {}) {
      const { ref, before, limit } = options;
      // limit(0) means no limit to MongoDB
      if (limit !== undefined && limit <= 0) return [];
      const filter: Filter<EntityDoc> = {
        kind: { $eq: kind },
        ...(ref !== undefined ? { ref: { $eq: ref } } : {}),
        ...(before !== undefined ? { id: { $lt: before } } : {}),
      };
      const cursor = c.entities.find(filter).sort({ id: -1 });
      const docs = await (limit !== undefined ? cursor.limit(limit) : cursor).toArray();
      return docs.map((d) => fromEntityDoc<typeof kind>(d));
    },
    async update(kind, doc, expectedVersion) {
      const next = toEntityDoc(kind, doc);
      const filter: Filter<EntityDoc> = expectedVersion === null
        ? { _id: { $eq: next._id } }
        : { _id: { $eq: next._id }, version: { $eq: expectedVersion } };
      let matched: number;
      try {
        const res = await c.entities.updateOne(filter, { $set: { key: next.key, ref: next.ref, version: next.version, doc: next.doc } });
        matched = res.matchedCount;
      } catch (e) {
        rethrow(e, kind, doc.id);
      }
      if (matched > 0) return fromEntityDoc(next);
      const current = await c.entities.findOne({ _id: { $eq: next._id } }, { projection: { version: 1 } });
      if (!current) return null;
      throw new TrellisError('VERSION_CONFLICT', `The ${kind} was changed by someone else`, { expected: expectedVersion, actual: current.version ?? null });
    },
    async delete(kind, id) {
      const res = await c.entities.deleteOne({ _id: { $eq: `${kind}:${id}` } });
      return res.deletedCount > 0;
    },
  };
}

export function createThrottleRepo(c: Collections): ThrottleRepo {
  return {
    async hit(key, windowMs, now) {
      // one pipeline update, so concurrent hits never read the same count; a $set stage
      // reads the document as it was, so both $conds test the old resetAt
      const ended = { $lte: [{ $ifNull: ['$resetAt', 0] }, now] };
      const update = [{ $set: { count: { $cond: [ended, 1, { $add: ['$count', 1] }] }, resetAt: { $cond: [ended, now + windowMs, '$resetAt'] } } }];
      // a plain `_id` equality: the upsert takes its `_id` from it
      const run = () => c.throttle.findOneAndUpdate({ _id: key }, update, { upsert: true, returnDocument: 'after' });
      let doc;
      try {
        doc = await run();
      } catch (e) {
        // two first hits may both insert; the server retries such upserts itself, older ones need this
        if (!isDuplicateKey(e)) throw e;
        doc = await run();
      }
      if (!doc) throw new TrellisError('INTERNAL', `Throttle upsert of "${key}" returned nothing`);
      return { count: doc.count, resetAt: doc.resetAt };
    },
    async peek(key, now) {
      const doc = await c.throttle.findOne({ _id: { $eq: key }, resetAt: { $gt: now } });
      return doc ? { count: doc.count, resetAt: doc.resetAt } : null;
    },
    async clear(key) {
      await c.throttle.deleteOne({ _id: { $eq: key } });
    },
    async purge(now) {
      const res = await c.throttle.deleteMany({ resetAt: { $lte: now } });
      return res.deletedCount;
    },
  };
}
