import { TrellisError } from '@trellis/core';
import type { AppEntity, AppRepo } from '../port.js';
import type { RecordTables } from './record-tables.js';
import type { SqliteDb } from './sqlite-db.js';

interface AppRow { doc: string }

/** Apps kept as JSON documents with their id, workspace and version as columns. */
export function sqliteAppRepo(db: SqliteDb, tables: RecordTables): AppRepo {
  const read = (id: string): AppEntity | null => {
    const row = db.get<AppRow>('SELECT doc FROM apps WHERE id = ?', [id]);
    return row ? (JSON.parse(row.doc) as AppEntity) : null;
  };
  return {
    async create(app) {
      try {
        db.run('INSERT INTO apps (id, workspace_id, version, doc) VALUES (?, ?, ?, ?)', [app.id, app.workspaceId, app.version, JSON.stringify(app)]);
      } catch (e) {
        if (e instanceof Error && 'code' in e && e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
          throw new TrellisError('CONFLICT', `App "${app.id}" already exists`, { id: app.id });
        }
        throw e;
      }
    },
    async get(id) {
      return read(id);
    },
    async list(workspaceId) {
      return db.all<AppRow>('SELECT doc FROM apps WHERE workspace_id = ? ORDER BY rowid', [workspaceId]).map((r) => JSON.parse(r.doc) as AppEntity);
    },
    async update(id, expectedVersion, patch) {
      return db.write(() => {
        const cur = read(id);
        if (!cur) return null;
        if (expectedVersion !== null && cur.version !== expectedVersion) {
          throw new TrellisError('VERSION_CONFLICT', 'The app was changed by someone else', { expected: expectedVersion, actual: cur.version });
        }
        const next: AppEntity = { ...cur, ...patch, id: cur.id, workspaceId: cur.workspaceId, version: cur.version + 1 };
        db.run('UPDATE apps SET version = ?, doc = ? WHERE id = ?', [next.version, JSON.stringify(next), id]);
        return next;
      });
    },
    async delete(id) {
      try {
        return db.write(() => {
          const formIds = db.all<{ id: string }>('SELECT id FROM forms WHERE app_id = ?', [id]).map((r) => r.id);
          for (const formId of formIds) {
            tables.drop(formId);
            db.run('DELETE FROM history WHERE form_id = ?', [formId]);
            // counter keys start with `${formId}:`
            db.run("DELETE FROM counters WHERE key >= ? AND key < ?", [`${formId}:`, `${formId};`]);
          }
          // forms and form_versions go by ON DELETE CASCADE
          return db.run('DELETE FROM apps WHERE id = ?', [id]).changes > 0;
        });
      } catch (e) {
        tables.reset(); // a rolled-back DROP TABLE leaves the table in place
        throw e;
      } finally {
        db.clearStatements();
      }
    },
  };
}
