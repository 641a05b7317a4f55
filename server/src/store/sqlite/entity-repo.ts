import { TrellisError } from '@trellis/core';
import { entityKeys, type EntityKind, type EntityRepo, type EntityTypes } from '../port.js';
import type { SqlParam } from './compile-filter.js';
import type { SqliteDb } from './sqlite-db.js';

interface DocRow { doc: string }

function errorCode(e: unknown): string {
  return e instanceof Error && 'code' in e ? String(e.code) : '';
}

// sessions, API keys, share links and audit entries have no version: the column holds NULL
function versionOf(doc: EntityTypes[EntityKind]): number | null {
  return 'version' in doc && typeof doc.version === 'number' ? doc.version : null;
}

// the primary key is (kind, id); the only other unique index is (kind, key)
function translate(e: unknown, kind: EntityKind, id: string): unknown {
  const code = errorCode(e);
  if (code === 'SQLITE_CONSTRAINT_PRIMARYKEY') return new TrellisError('CONFLICT', `The ${kind} "${id}" already exists`, { id });
  if (code === 'SQLITE_CONSTRAINT_UNIQUE') return new TrellisError('UNIQUE_VIOLATION', `Another ${kind} has the same key`, { field: 'key' });
  return e;
}

function parse<K extends EntityKind>(row: DocRow | undefined): EntityTypes[K] | null {
  return row ? (JSON.parse(row.doc) as EntityTypes[K]) : null;
}

/** Organisation and security documents as JSON, with kind, id, unique key, reference and version as columns. */
export function sqliteEntityRepo(db: SqliteDb): EntityRepo {
  return {
    async insert(kind, doc) {
      const { key, ref } = entityKeys(kind, doc);
      try {
        await db.batchedWrite(() => db.run(
          'INSERT INTO entities (kind, id, key, ref, version, doc) VALUES (?, ?, ?, ?, ?, ?)',
          [kind, doc.id, key, ref, versionOf(doc), JSON.stringify(doc)],
        ));
      } catch (e) {
        throw translate(e, kind, doc.id);
      }
    },
    async get(kind, id) {
      return parse(db.get<DocRow>('SELECT doc FROM entities WHERE kind = ? AND id = ?', [kind, id]));
    },
    async getByKey(kind, key) {
      return parse(db.get<DocRow>('SELECT doc FROM entities WHERE kind = ? AND key = ?', [kind, key]));
    },
    async list(kind, options = {}) {
      const conds = ['kind = ?'];
      const params: SqlParam[] = [kind];
      if (options.ref !== undefined) {
        conds.push('ref = ?');
        params.push(options.ref);
      }
      if (options.before !== undefined) {
        conds.push('id < ?');
        params.push(options.before);
      }
      // LIMIT -1 is no limit
      params.push(options.limit ?? -1);
      return db.all<DocRow>(`SELECT doc FROM entities WHERE ${conds.join(' AND ')} ORDER BY id DESC LIMIT ?`, params)
        .map((row) => JSON.parse(row.doc) as EntityTypes[typeof kind]);
    },
    async update(kind, doc, expectedVersion) {
      const { key, ref } = entityKeys(kind, doc);
      const json = JSON.stringify(doc);
      try {
        return await db.batchedWrite(() => {
          const cur = db.get<{ version: number | null }>('SELECT version FROM entities WHERE kind = ? AND id = ?', [kind, doc.id]);
          if (!cur) return null;
          if (expectedVersion !== null && cur.version !== expectedVersion) {
            throw new TrellisError('VERSION_CONFLICT', `The ${kind} was changed by someone else`, { expected: expectedVersion, actual: cur.version });
          }
          db.run('UPDATE entities SET key = ?, ref = ?, version = ?, doc = ? WHERE kind = ? AND id = ?', [key, ref, versionOf(doc), json, kind, doc.id]);
          return JSON.parse(json) as typeof doc;
        });
      } catch (e) {
        throw translate(e, kind, doc.id);
      }
    },
    async delete(kind, id) {
      return db.batchedWrite(() => db.run('DELETE FROM entities WHERE kind = ? AND id = ?', [kind, id]).changes > 0);
    },
  };
}
