import { TrellisError, type AppInput } from '@trellis/core';
import type { ClientSession, Collection, Db } from 'mongodb';
import type { HistoryEntry, RecordEntity } from '../port.js';

/** Documents as stored. Ids are the entities' string ids, kept in `_id`. */
export interface AppDoc extends AppInput {
  _id: string;
  workspaceId: string;
  version: number;
  createdAt: string;
  updatedAt: string;
  createdBy: string | null;
}

// Definitions are kept as JSON text: a definition may hold free-form values
// (field defaults) whose keys MongoDB would refuse or reinterpret, and nobody
// queries inside a definition.
export interface FormDoc {
  _id: string;
  appId: string;
  draftJson: string;
  publishedVersion: number;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface FormVersionDoc {
  formId: string;
  version: number;
  definitionJson: string;
  publishedAt: string;
  publishedBy: string | null;
}

export type RecordDoc = Omit<RecordEntity, 'id'> & { _id: string };
export type HistoryDoc = Omit<HistoryEntry, 'id'> & { hid: string };

export interface CounterDoc {
  _id: string;
  value: number;
}

export interface Collections {
  apps: Collection<AppDoc>;
  forms: Collection<FormDoc>;
  formVersions: Collection<FormVersionDoc>;
  counters: Collection<CounterDoc>;
  history: Collection<HistoryDoc>;
  records: Collection<RecordDoc>;
}

export function collections(db: Db): Collections {
  return {
    apps: db.collection<AppDoc>('apps'),
    forms: db.collection<FormDoc>('forms'),
    formVersions: db.collection<FormVersionDoc>('form_versions'),
    counters: db.collection<CounterDoc>('counters'),
    history: db.collection<HistoryDoc>('history'),
    records: db.collection<RecordDoc>('records'),
  };
}

/** Runs `fn` in a transaction when the deployment has them (replica set, sharded), else directly. */
export type RunAtomic = <T>(fn: (session: ClientSession | undefined) => Promise<T>) => Promise<T>;

export function toRecordDoc(r: RecordEntity): RecordDoc {
  assertStorableData(r.data);
  return {
    _id: r.id, formId: r.formId, formVersion: r.formVersion, version: r.version, data: r.data,
    createdBy: r.createdBy, createdAt: r.createdAt, updatedAt: r.updatedAt, status: r.status,
  };
}

export function fromRecordDoc(d: RecordDoc): RecordEntity {
  return {
    id: d._id, formId: d.formId, formVersion: d.formVersion, version: d.version, data: d.data ?? {},
    createdBy: d.createdBy ?? null, createdAt: d.createdAt, updatedAt: d.updatedAt, status: d.status,
  };
}

export function toHistoryDoc(h: HistoryEntry): HistoryDoc {
  for (const c of h.changes) assertStorableData({ [c.field]: c.from }, { [c.field]: c.to });
  return { hid: h.id, recordId: h.recordId, formId: h.formId, action: h.action, by: h.by, at: h.at, version: h.version, changes: h.changes };
}

export function fromHistoryDoc(d: HistoryDoc): HistoryEntry {
  return { id: d.hid, recordId: d.recordId, formId: d.formId, action: d.action, by: d.by ?? null, at: d.at, version: d.version, changes: d.changes };
}

/**
 * Record data reaches MongoDB as field names; the engine only lets field keys
 * through, but a key starting with `$` or holding `.` (at any depth) would be
 * read as an operator or a path, so refuse it here as well.
 */
export function assertStorableData(...values: unknown[]): void {
  const stack: unknown[] = [...values];
  while (stack.length > 0) {
    const v = stack.pop();
    if (Array.isArray(v)) {
      stack.push(...v);
    } else if (typeof v === 'object' && v !== null) {
      for (const [k, inner] of Object.entries(v)) {
        if (k.startsWith('$') || k.includes('.') || k.includes('\0')) {
          throw new TrellisError('BAD_REQUEST', `Key "${k}" cannot be stored`, { key: k });
        }
        stack.push(inner);
      }
    }
  }
}
