// Deployment. Collections: apps, forms, form_versions, counters, history,
// entities, throttle (one each), and one `records_<formId>` per form, holding
// that form's records with its own indexes (`created` plus syncIndexes'
// `f_<key>` / `u_<key>`), so the 64-indexes-per-collection limit applies per
// form, not per workspace.
// Transactions (record + history + serial counters in one commit) need a
// replica set or a sharded cluster; a standalone server works without them.
// Sharding: shard each large `records_<formId>` on `{ _id: 'hashed' }` (ids
// are time-ordered, so a ranged `_id` key would send every insert to one
// shard), and `history` on `{ recordId: 'hashed' }`. Honest limit: MongoDB
// enforces a unique index on a sharded collection only when the shard key is a
// prefix of it, and a hashed `_id` key can never be such a prefix. So a form
// with unique fields must keep its `records_<formId>` unsharded (it lives
// whole on the database's primary shard or wherever moveCollection puts it;
// syncIndexes on a sharded one fails rather than silently not enforcing), or
// be sharded on that unique field itself (`{ 'data.<key>': 1 }`, possible for
// one unique field only, with that field's skew). Queries on a hashed-`_id`
// collection go to every shard except lookups by id. `entities` and `throttle`
// are small: keep them unsharded.
import { TrellisError, type AppInput, type FormDefinition } from '@trellis/core';
import { MongoClient, ObjectId, type ClientSession, type Db } from 'mongodb';
import type {
  AppEntity, AppRepo, CounterRepo, FormEntity, FormRepo, FormVersionEntity, Store,
} from '../port.js';
import { escapeRegex } from './compile-filter.js';
import { ENTITY_INDEXES, THROTTLE_INDEXES, createEntityRepo, createThrottleRepo } from './mongo-entities.js';
import { isDuplicateKey } from './mongo-errors.js';
import { recordsCollectionName } from './mongo-form-collections.js';
import { createRecordRepo, nextCounter } from './mongo-records.js';
import {
  collections, type AppDoc, type Collections, type FormDoc, type FormVersionDoc, type RunAtomic,
} from './mongo-docs.js';

export interface MongoStoreOptions {
  url: string;
  /** defaults to the database named in the URL, else "trellis" */
  dbName?: string;
}

/** Opens the MongoDB store. Call `migrate()` before use (it creates the collections' indexes). */
export async function createMongoStore(options: MongoStoreOptions): Promise<Store> {
  const client = new MongoClient(options.url, { ignoreUndefined: true });
  await client.connect();
  const db = client.db(options.dbName ?? (dbNameFromUrl(options.url) || 'trellis'));
  // Transactions need a replica set or a sharded cluster; a standalone server runs the steps one by one.
  const hello = await db.admin().command({ hello: 1 }).catch(() => ({}) as Record<string, unknown>);
  const transactions = typeof hello.setName === 'string' || hello.msg === 'isdbgrid';
  const atomic: RunAtomic = async <T>(fn: (session: ClientSession | undefined) => Promise<T>): Promise<T> => {
    if (!transactions) return fn(undefined);
    return client.withSession((session) => session.withTransaction(() => fn(session)));
  };
  return mongoStoreOver(db, atomic, () => client.close());
}

/** The store over an open database; `createMongoStore` is the way in, tests pass a stand-in `db`. */
export function mongoStoreOver(db: Db, atomic: RunAtomic, close: () => Promise<void>): Store {
  const c = collections(db);
  return {
    kind: 'mongo',
    apps: createAppRepo(c),
    forms: createFormRepo(c, atomic),
    records: createRecordRepo(c, atomic),
    counters: createCounterRepo(c),
    entities: createEntityRepo(c),
    throttle: createThrottleRepo(c),
    async migrate() {
      await c.apps.createIndexes([{ key: { workspaceId: 1, seq: 1 }, name: 'workspace' }]);
      await c.forms.createIndexes([{ key: { appId: 1, seq: 1 }, name: 'app' }]);
      await c.formVersions.createIndexes([{ key: { formId: 1, version: 1 }, name: 'form_version', unique: true }]);
      await c.history.createIndexes([
        { key: { recordId: 1, _id: 1 }, name: 'record' },
        // app deletion removes history by form
        { key: { formId: 1 }, name: 'form' },
      ]);
      await c.entities.createIndexes(ENTITY_INDEXES);
      await c.throttle.createIndexes(THROTTLE_INDEXES);
      // each form's `records_<formId>` is created on its first write or syncIndexes
      // the counters collection needs no index besides _id; touching it creates it before any transaction
      await db.createCollection('counters').catch(() => undefined);
    },
    async ping() {
      try {
        await db.command({ ping: 1 });
        return true;
      } catch {
        return false;
      }
    },
    async close() {
      await close();
    },
  };
}

function dbNameFromUrl(url: string): string {
  const match = /^mongodb(?:\+srv)?:\/\/[^/]+\/([^?]*)/.exec(url);
  return decodeURIComponent(match?.[1] ?? '');
}

function fromAppDoc(d: AppDoc): AppEntity {
  const { _id, seq: _seq, ...rest } = d;
  return { ...rest, id: _id };
}

function createAppRepo(c: Collections): AppRepo {
  return {
    async create(app) {
      const { id, ...rest } = app;
      try {
        await c.apps.insertOne({ ...rest, _id: id, seq: new ObjectId() });
      } catch (e) {
        if (isDuplicateKey(e)) throw new TrellisError('CONFLICT', 'App already exists');
        throw e;
      }
    },
    async get(id) {
      const doc = await c.apps.findOne({ _id: { $eq: id } });
      return doc ? fromAppDoc(doc) : null;
    },
    async list(workspaceId) {
      const docs = await c.apps.find({ workspaceId: { $eq: workspaceId } }).sort({ seq: 1 }).toArray();
      return docs.map(fromAppDoc);
    },
    async update(id, expectedVersion, patch) {
      // only the app's own input fields and updatedAt are writable here
      const set: Partial<AppInput> & { updatedAt: string } = { updatedAt: patch.updatedAt };
      if (patch.name !== undefined) set.name = patch.name;
      if (patch.description !== undefined) set.description = patch.description;
      if (patch.icon !== undefined) set.icon = patch.icon;
      if (patch.color !== undefined) set.color = patch.color;
      const filter = expectedVersion === null ? { _id: { $eq: id } } : { _id: { $eq: id }, version: { $eq: expectedVersion } };
      const doc = await c.apps.findOneAndUpdate(filter, { $set: set, $inc: { version: 1 } }, { returnDocument: 'after' });
      if (doc) return fromAppDoc(doc);
      const current = await c.apps.findOne({ _id: { $eq: id } }, { projection: { version: 1 } });
      if (!current) return null;
      throw new TrellisError('VERSION_CONFLICT', 'The app was changed by someone else', { expected: expectedVersion, actual: current.version });
    },
    async delete(id) {
      const res = await c.apps.deleteOne({ _id: { $eq: id } });
      if (res.deletedCount === 0) return false;
      const formIds = (await c.forms.find({ appId: { $eq: id } }, { projection: { _id: 1 } }).toArray()).map((f) => f._id);
      if (formIds.length > 0) {
        await c.history.deleteMany({ formId: { $in: formIds } });
        await c.formVersions.deleteMany({ formId: { $in: formIds } });
        for (const formId of formIds) await c.counters.deleteMany({ _id: { $regex: `^${escapeRegex(formId)}:` } });
        await c.forms.deleteMany({ _id: { $in: formIds } });
        // dropping a form's collection takes its records and its per-field indexes with it
        for (const formId of formIds) await c.records.drop(formId);
      }
      return true;
    },
  };
}

function fromFormDoc(d: FormDoc): FormEntity {
  return {
    id: d._id, appId: d.appId, draft: JSON.parse(d.draftJson) as FormDefinition, publishedVersion: d.publishedVersion,
    version: d.version, createdAt: d.createdAt, updatedAt: d.updatedAt,
  };
}

function fromVersionDoc(d: FormVersionDoc): FormVersionEntity {
  return { formId: d.formId, version: d.version, definition: JSON.parse(d.definitionJson) as FormDefinition, publishedAt: d.publishedAt, publishedBy: d.publishedBy ?? null };
}

function createFormRepo(c: Collections, atomic: RunAtomic): FormRepo {
  return {
    async create(form) {
      // its records will live in `records_<id>`: refuse an id that cannot name a collection now, not at the first record
      recordsCollectionName(form.id);
      try {
        await c.forms.insertOne({
          _id: form.id, appId: form.appId, draftJson: JSON.stringify(form.draft), publishedVersion: form.publishedVersion,
          version: form.version, createdAt: form.createdAt, updatedAt: form.updatedAt, seq: new ObjectId(),
        });
      } catch (e) {
        if (isDuplicateKey(e)) throw new TrellisError('CONFLICT', 'Form already exists');
        throw e;
      }
    },
    async get(id) {
      const doc = await c.forms.findOne({ _id: { $eq: id } });
      return doc ? fromFormDoc(doc) : null;
    },
    async listByApp(appId) {
      const docs = await c.forms.find({ appId: { $eq: appId } }).sort({ seq: 1 }).toArray();
      return docs.map(fromFormDoc);
    },
    async saveDraft(id, draft, expectedVersion, updatedAt) {
      const filter = expectedVersion === null ? { _id: { $eq: id } } : { _id: { $eq: id }, version: { $eq: expectedVersion } };
      const doc = await c.forms.findOneAndUpdate(
        filter,
        { $set: { draftJson: JSON.stringify(draft), updatedAt }, $inc: { version: 1 } },
        { returnDocument: 'after' },
      );
      if (doc) return fromFormDoc(doc);
      const current = await c.forms.findOne({ _id: { $eq: id } }, { projection: { version: 1 } });
      if (!current) return null;
      throw new TrellisError('VERSION_CONFLICT', 'The form was changed by someone else', { expected: expectedVersion, actual: current.version });
    },
    async publish(id, definition, by, at) {
      return atomic(async (session) => {
        // $inc hands out each version number once, even to concurrent publishers
        const form = await c.forms.findOneAndUpdate({ _id: { $eq: id } }, { $inc: { publishedVersion: 1 }, $set: { updatedAt: at } }, { returnDocument: 'after', session });
        if (!form) throw new TrellisError('NOT_FOUND', `Form ${id} not found`);
        const doc: FormVersionDoc = { formId: id, version: form.publishedVersion, definitionJson: JSON.stringify(definition), publishedAt: at, publishedBy: by };
        await c.formVersions.insertOne({ ...doc }, { session });
        return fromVersionDoc(doc);
      });
    },
    async getVersion(formId, version) {
      const doc = await c.formVersions.findOne({ formId: { $eq: formId }, version: { $eq: version } });
      return doc ? fromVersionDoc(doc) : null;
    },
    async listVersions(formId) {
      const docs = await c.formVersions.find({ formId: { $eq: formId } }).sort({ version: 1 }).toArray();
      return docs.map(fromVersionDoc);
    },
  };
}

function createCounterRepo(c: Collections): CounterRepo {
  return {
    next: (key) => nextCounter(c, key),
    async peek(key) {
      const doc = await c.counters.findOne({ _id: { $eq: key } });
      return doc?.value ?? 0;
    },
  };
}
