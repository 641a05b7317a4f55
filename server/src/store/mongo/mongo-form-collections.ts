import { TrellisError } from '@trellis/core';
import type { Collection, Db, IndexDescription } from 'mongodb';
import type { RecordEntity } from '../port.js';

/** A record as stored in its form's collection: the id is `_id`, the form is the collection. */
export type RecordDoc = Omit<RecordEntity, 'id' | 'formId'> & { _id: string };

// Characters MongoDB accepts in a collection name without escaping; the store's own ids are base32.
const FORM_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** Built-in index of every form's collection: the default list order (newest first) and its keyset. */
export const RECORD_BASE_INDEX: IndexDescription = { key: { createdAt: -1, _id: -1 }, name: 'created' };

/** Name of the collection holding a form's records; throws BAD_REQUEST for a form id that cannot name one. */
export function recordsCollectionName(formId: string): string {
  if (typeof formId !== 'string' || !FORM_ID.test(formId)) {
    throw new TrellisError('BAD_REQUEST', `Form id "${String(formId)}" cannot name a MongoDB collection (letters, digits, "_" and "-", at most 64)`);
  }
  return `records_${formId}`;
}

/** The per-form record collections of one database. */
export interface FormCollections {
  /** the form's collection, which may not exist yet (reads of it then find nothing) */
  of(formId: string): Collection<RecordDoc>;
  /** the form's collection, created with its built-in index on first use by this process */
  ready(formId: string): Promise<Collection<RecordDoc>>;
  /** drops the form's collection with all its records and indexes */
  drop(formId: string): Promise<void>;
}

export function formCollections(db: Db): FormCollections {
  // Forms this process has already set up. Another process dropping a form's collection (app
  // delete) is not seen here; a later write to that form id only lacks the built-in index until
  // the next syncIndexes, which always creates it.
  const ready = new Map<string, Promise<void>>();
  const of = (formId: string) => db.collection<RecordDoc>(recordsCollectionName(formId));
  return {
    of,
    async ready(formId) {
      const collection = of(formId);
      let setup = ready.get(formId);
      if (!setup) {
        // createIndexes creates the collection too, and is a no-op when the index is there
        setup = collection.createIndexes([RECORD_BASE_INDEX]).then(() => undefined);
        ready.set(formId, setup);
        setup.catch(() => ready.delete(formId));
      }
      await setup;
      return collection;
    },
    async drop(formId) {
      const collection = of(formId);
      ready.delete(formId);
      // the driver treats a missing collection as dropped
      await collection.drop();
    },
  };
}
