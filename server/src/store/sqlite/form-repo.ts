import { TrellisError } from '@trellis/core';
import type { FormEntity, FormRepo, FormVersionEntity } from '../port.js';
import type { SqliteDb } from './sqlite-db.js';

interface DocRow { doc: string }

/** Forms and their published versions, kept as JSON documents. */
export function sqliteFormRepo(db: SqliteDb): FormRepo {
  const read = (id: string): FormEntity | null => {
    const row = db.get<DocRow>('SELECT doc FROM forms WHERE id = ?', [id]);
    return row ? (JSON.parse(row.doc) as FormEntity) : null;
  };
  const write = (f: FormEntity): void => {
    db.run('UPDATE forms SET version = ?, doc = ? WHERE id = ?', [f.version, JSON.stringify(f), f.id]);
  };
  return {
    async create(form) {
      try {
        db.run('INSERT INTO forms (id, app_id, version, doc) VALUES (?, ?, ?, ?)', [form.id, form.appId, form.version, JSON.stringify(form)]);
      } catch (e) {
        if (e instanceof Error && 'code' in e && e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
          throw new TrellisError('CONFLICT', `Form "${form.id}" already exists`, { id: form.id });
        }
        if (e instanceof Error && 'code' in e && e.code === 'SQLITE_CONSTRAINT_FOREIGNKEY') {
          throw new TrellisError('NOT_FOUND', `App "${form.appId}" not found`, { appId: form.appId });
        }
        throw e;
      }
    },
    async get(id) {
      return read(id);
    },
    async listByApp(appId) {
      return db.all<DocRow>('SELECT doc FROM forms WHERE app_id = ? ORDER BY rowid', [appId]).map((r) => JSON.parse(r.doc) as FormEntity);
    },
    async saveDraft(id, draft, expectedVersion, updatedAt) {
      return db.write(() => {
        const cur = read(id);
        if (!cur) return null;
        if (expectedVersion !== null && cur.version !== expectedVersion) {
          throw new TrellisError('VERSION_CONFLICT', 'The form was changed by someone else', { expected: expectedVersion, actual: cur.version });
        }
        const next: FormEntity = { ...cur, draft, version: cur.version + 1, updatedAt };
        write(next);
        return next;
      });
    },
    async publish(id, definition, by, at) {
      return db.write(() => {
        const cur = read(id);
        if (!cur) throw new TrellisError('NOT_FOUND', `Form "${id}" not found`, { id });
        const v: FormVersionEntity = { formId: id, version: cur.publishedVersion + 1, definition, publishedAt: at, publishedBy: by };
        db.run('INSERT INTO form_versions (form_id, version, doc) VALUES (?, ?, ?)', [id, v.version, JSON.stringify(v)]);
        write({ ...cur, publishedVersion: v.version, updatedAt: at });
        return v;
      });
    },
    async getVersion(formId, version) {
      const row = db.get<DocRow>('SELECT doc FROM form_versions WHERE form_id = ? AND version = ?', [formId, version]);
      return row ? (JSON.parse(row.doc) as FormVersionEntity) : null;
    },
    async listVersions(formId) {
      return db.all<DocRow>('SELECT doc FROM form_versions WHERE form_id = ? ORDER BY version', [formId]).map((r) => JSON.parse(r.doc) as FormVersionEntity);
    },
  };
}
