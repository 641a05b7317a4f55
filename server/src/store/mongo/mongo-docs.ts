import { TrellisError, type AppInput, type RecordData } from '@trellis/core';
import type { ClientSession, Collection, Db, ObjectId } from 'mongodb';
import type { EntityKind, HistoryEntry, RecordEntity } from '../port.js';
import { formCollections, type FormCollections, type RecordDoc } from './mongo-form-collections.js';

/** Documents as stored. Ids are the entities' string ids, kept in `_id`. */
export interface AppDoc extends AppInput {
  _id: string;
  workspaceId: string;
  version: number;
  createdAt: string;
  updatedAt: string;
  createdBy: string | null;
  /** insertion order: lists keep the order things were created in */
  seq: ObjectId;
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
  seq: ObjectId;
}

export interface FormVersionDoc {
  formId: string;
  version: number;
  definitionJson: string;
  publishedAt: string;
  publishedBy: string | null;
}

/** A record in its form's collection `records_<formId>`: the form is the collection, so it is not stored again. */
export type { RecordDoc } from './mongo-form-collections.js';
export type HistoryDoc = Omit<HistoryEntry, 'id'> & { hid: string };

export interface CounterDoc {
  _id: string;
  value: number;
}

/** An organisation or security document; `_id` is `${kind}:${id}`, and key, ref and version are copied out for the indexes. */
export interface EntityDoc {
  _id: string;
  kind: EntityKind;
  id: string;
  key: string | null;
  ref: string | null;
  /** null for kinds without a version (sessions, API keys, share links, audit entries) */
  version: number | null;
  /** the entity, keys escaped like record data (an audit entry's details are free-form) */
  doc: Record<string, unknown>;
}

/** A fixed-window hit counter; `_id` is the throttle key, `resetAt` epoch milliseconds. */
export interface ThrottleDoc {
  _id: string;
  count: number;
  resetAt: number;
}

export interface Collections {
  apps: Collection<AppDoc>;
  forms: Collection<FormDoc>;
  formVersions: Collection<FormVersionDoc>;
  counters: Collection<CounterDoc>;
  history: Collection<HistoryDoc>;
  entities: Collection<EntityDoc>;
  throttle: Collection<ThrottleDoc>;
  /** one collection per form: `records_<formId>` */
  records: FormCollections;
}

export function collections(db: Db): Collections {
  return {
    apps: db.collection<AppDoc>('apps'),
    forms: db.collection<FormDoc>('forms'),
    formVersions: db.collection<FormVersionDoc>('form_versions'),
    counters: db.collection<CounterDoc>('counters'),
    history: db.collection<HistoryDoc>('history'),
    entities: db.collection<EntityDoc>('entities'),
    throttle: db.collection<ThrottleDoc>('throttle'),
    records: formCollections(db),
  };
}

/** Runs `fn` in a transaction when the deployment has them (replica set, sharded), else directly. */
export type RunAtomic = <T>(fn: (session: ClientSession | undefined) => Promise<T>) => Promise<T>;

export function toRecordDoc(r: RecordEntity): RecordDoc {
  return {
    _id: r.id, formVersion: r.formVersion, version: r.version, data: encodeData(r.data),
    createdBy: r.createdBy, createdAt: r.createdAt, updatedAt: r.updatedAt, status: r.status,
  };
}

export function fromRecordDoc(d: RecordDoc, formId: string): RecordEntity {
  return {
    id: d._id, formId, formVersion: d.formVersion, version: d.version, data: decodeKeys(d.data ?? {}) as RecordData,
    createdBy: d.createdBy ?? null, createdAt: d.createdAt, updatedAt: d.updatedAt, status: d.status,
  };
}

export function toHistoryDoc(h: HistoryEntry): HistoryDoc {
  return {
    hid: h.id, recordId: h.recordId, formId: h.formId, action: h.action, by: h.by, at: h.at, version: h.version,
    changes: h.changes.map((c) => ({ field: c.field, from: encodeKeys(c.from), to: encodeKeys(c.to) })),
  };
}

export function fromHistoryDoc(d: HistoryDoc): HistoryEntry {
  return {
    id: d.hid, recordId: d.recordId, formId: d.formId, action: d.action, by: d.by ?? null, at: d.at, version: d.version,
    changes: d.changes.map((c) => ({ field: c.field, from: decodeKeys(c.from), to: decodeKeys(c.to) })),
  };
}

/**
 * Record data as stored. Any key starting with `$` or holding `.` (at any
 * depth; a JSON field may hold `{"$gt": ""}`, and the engine only lets field
 * keys through at the top) is escaped, so it never reaches MongoDB as an
 * operator-looking or dotted field name. Queried paths are field keys
 * (`^[A-Za-z][A-Za-z0-9_]*$`), which escaping leaves alone.
 */
export function encodeData(data: RecordData): RecordData {
  const out = encodeKeys(data) as RecordData;
  for (const k of Object.keys(out)) {
    if (k.startsWith('$') || k.includes('.')) throw new TrellisError('INTERNAL', `Key "${k}" escaped badly`);
  }
  return out;
}

// Reversible: `%` is always escaped, so a decoded `%24` can only have come from `$`.
function encodeKey(k: string): string {
  return k.replace(/%/g, '%25').replace(/\./g, '%2E').replace(/\0/g, '%00').replace(/^\$/, '%24');
}

function decodeKey(k: string): string {
  return k.includes('%') ? k.replace(/%(25|2E|00|24)/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))) : k;
}

export function encodeKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(encodeKeys);
  if (typeof v === 'object' && v !== null) {
    return Object.fromEntries(Object.entries(v).map(([k, inner]) => [encodeKey(k), encodeKeys(inner)]));
  }
  return v;
}

export function decodeKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(decodeKeys);
  if (typeof v === 'object' && v !== null) {
    return Object.fromEntries(Object.entries(v).map(([k, inner]) => [decodeKey(k), decodeKeys(inner)]));
  }
  return v;
}
