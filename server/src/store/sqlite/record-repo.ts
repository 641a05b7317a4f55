import { TrellisError, type AggregateRow, type NormAggregateQuery, type NormListQuery, type RecordData, type Scalar } from '@trellis/core';
import type { HistoryEntry, RecordEntity, RecordRepo, SerialAllocation } from '../port.js';
import { compileAggregate, compileHashAggregate } from './compile-aggregate.js';
import { finishHashAgg, withHashAggSpec } from './hash-aggregate.js';

type HashAggRow = ReturnType<typeof finishHashAgg>[number];
import { compileFilter, type SqlParam } from './compile-filter.js';
import { compileAfter, compileOrderBy } from './compile-sort.js';
import { nextCounter } from './counter-repo.js';
import { DATA_IN, DATA_OUT, fieldOfIndex, type RecordTables } from './record-tables.js';
import type { SqliteDb } from './sqlite-db.js';

interface RecordRow {
  id: string;
  form_version: number;
  version: number;
  data: string;
  created_by: string | null;
  created_at: string;
  updated_at: string;
  status: string;
}

interface HistoryRow {
  id: string;
  record_id: string;
  form_id: string;
  action: HistoryEntry['action'];
  by: string | null;
  at: string;
  version: number;
  changes: string;
}

const COLS = `id, form_version, version, ${DATA_OUT} AS data, created_by, created_at, updated_at, status`;
const INSERT_HISTORY = 'INSERT INTO history (id, record_id, form_id, action, by, at, version, changes) VALUES (?, ?, ?, ?, ?, ?, ?, ?)';

function toEntity(formId: string, r: RecordRow): RecordEntity {
  return {
    id: r.id, formId, formVersion: r.form_version, version: r.version, data: JSON.parse(r.data) as RecordData,
    createdBy: r.created_by, createdAt: r.created_at, updatedAt: r.updated_at, status: r.status,
  };
}

function toHistory(r: HistoryRow): HistoryEntry {
  return {
    id: r.id, recordId: r.record_id, formId: r.form_id, action: r.action, by: r.by, at: r.at, version: r.version,
    changes: JSON.parse(r.changes) as HistoryEntry['changes'],
  };
}

function historyParams(h: HistoryEntry): SqlParam[] {
  return [h.id, h.recordId, h.formId, h.action, h.by, h.at, h.version, JSON.stringify(h.changes)];
}

// SQLite's order: NULL, numbers, text by UTF-8 bytes (= code points; JS `<` compares UTF-16 units, which differs only past surrogates)
const SURROGATE = /[\uD800-\uDFFF]/;
function compareKey(a: string | number | null, b: string | number | null): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  if (typeof a === 'number') return typeof b === 'number' ? a - b : -1;
  if (typeof b === 'number') return 1;
  if (SURROGATE.test(a) || SURROGATE.test(b)) return Buffer.compare(Buffer.from(a), Buffer.from(b));
  return a < b ? -1 : 1;
}

function compareKeys(a: HashAggRow[0], b: HashAggRow[0]): number {
  for (let i = 0; i < a.length; i++) {
    const c = compareKey(a[i] ?? null, b[i] ?? null);
    if (c !== 0) return c;
  }
  return 0;
}

function errorCode(e: unknown): string {
  return e instanceof Error && 'code' in e ? String(e.code) : '';
}

/**
 * SQLite's GROUP BY sorts every row; it is fast only with no groups (one
 * pass) or when it can walk an index of the one group field and needs
 * nothing but the count. Everything else groups in a hash (hash-aggregate.ts).
 */
function sqlGroupingFits(table: string, q: NormAggregateQuery, tables: RecordTables): boolean {
  if (q.groupBy.length === 0) return true;
  if (q.groupBy.length > 1 || q.metrics.some((m) => m.op !== 'count' || m.path)) return false;
  const g = q.groupBy[0]!;
  return !g.bucket && g.path.source === 'data' && tables.isIndexed(table, g.path.key);
}

/** How aggregates group: `auto` picks per query; the others exist so tests can check both paths. */
export type AggregateStrategy = 'auto' | 'sql' | 'hash';

/** Records in one table per form, history in a shared table. */
export function sqliteRecordRepo(db: SqliteDb, tables: RecordTables, grouping: AggregateStrategy = 'auto'): RecordRepo {
  // a unique index failure names its index; turn it into the field's error
  const translate = (e: unknown, table: string, recordId: string): unknown => {
    const code = errorCode(e);
    if (code === 'SQLITE_CONSTRAINT_PRIMARYKEY') return new TrellisError('CONFLICT', `Record "${recordId}" already exists`, { id: recordId });
    if (code === 'SQLITE_CONSTRAINT_UNIQUE') {
      const field = fieldOfIndex((e as Error).message, table, tables.uniqueFields(table));
      if (field) return new TrellisError('UNIQUE_VIOLATION', `Value of "${field}" must be unique`, { field });
    }
    return e;
  };

  const sqlAggregate = (table: string, q: NormAggregateQuery): HashAggRow[] => {
    const { sql, params } = compileAggregate(table, q);
    return db.all<Record<string, Scalar>>(sql, params).map((r) => [
      q.groupBy.map((_, i) => r[`g${i}`] ?? null) as HashAggRow[0],
      q.metrics.map((_, i) => r[`m${i}`] ?? null) as HashAggRow[1],
    ]);
  };
  const hashAggregate = (table: string, q: NormAggregateQuery): HashAggRow[] => {
    const { sql, params, spec } = compileHashAggregate(table, q);
    const json = withHashAggSpec(spec, () => db.get<{ rows: string | null }>(sql, params)?.rows ?? null);
    return finishHashAgg(json, spec).sort((a, b) => compareKeys(a[0], b[0]));
  };

  const insertRow = (table: string, record: RecordEntity, history: HistoryEntry, serials: SerialAllocation[]): RecordEntity => {
    let data = record.data;
    let changes = history.changes;
    if (serials.length > 0) {
      data = { ...data };
      for (const s of serials) {
        const value = s.render(nextCounter(db, s.counter));
        data[s.field] = value;
        changes = [...changes.filter((c) => c.field !== s.field), { field: s.field, from: null, to: value }];
      }
    }
    db.run(
      `INSERT INTO ${table} (id, form_version, version, data, created_by, created_at, updated_at, status) VALUES (?, ?, ?, ${DATA_IN}, ?, ?, ?, ?)`,
      [record.id, record.formVersion, record.version, JSON.stringify(data), record.createdBy, record.createdAt, record.updatedAt, record.status],
    );
    db.run(INSERT_HISTORY, historyParams({ ...history, changes }));
    return { ...record, data };
  };

  return {
    async syncIndexes(formId, specs) {
      tables.sync(formId, specs);
    },

    async insert(record, history, serials: SerialAllocation[]) {
      const table = tables.ensure(record.formId);
      try {
        return await db.batchedWrite(() => insertRow(table, record, history, serials));
      } catch (e) {
        throw translate(e, table, record.id);
      }
    },

    async insertMany(formId, items) {
      const table = tables.ensure(formId);
      let current = '';
      try {
        return db.write(() => items.map(({ record, history, serials }) => {
          current = record.id;
          return insertRow(table, record, history, serials);
        }));
      } catch (e) {
        throw translate(e, table, current);
      }
    },

    async get(formId, id) {
      const table = tables.ensure(formId);
      const row = db.get<RecordRow>(`SELECT ${COLS} FROM ${table} WHERE id = ?`, [id]);
      return row ? toEntity(formId, row) : null;
    },

    async existing(formId, ids) {
      if (ids.length === 0) return [];
      const table = tables.ensure(formId);
      return db.all<{ id: string }>(`SELECT id FROM ${table} WHERE id IN (SELECT value FROM json_each(?))`, [JSON.stringify(ids)]).map((r) => r.id);
    },

    async getMany(formId, ids) {
      if (ids.length === 0) return [];
      const table = tables.ensure(formId);
      const rows = db.all<RecordRow>(`SELECT ${COLS} FROM ${table} WHERE id IN (SELECT value FROM json_each(?))`, [JSON.stringify(ids)]);
      const byId = new Map(rows.map((r) => [r.id, toEntity(formId, r)]));
      return [...new Set(ids)].flatMap((id) => byId.get(id) ?? []);
    },

    async update(next, expectedVersion, history) {
      const table = tables.ensure(next.formId);
      const sql = `UPDATE ${table} SET form_version = ?, version = ?, data = ${DATA_IN}, updated_at = ?, status = ? WHERE id = ? AND version = ? RETURNING ${COLS}`;
      try {
        return await db.batchedWrite(() => {
          const row = db.get<RecordRow>(sql, [next.formVersion, expectedVersion + 1, JSON.stringify(next.data), next.updatedAt, next.status, next.id, expectedVersion]);
          if (!row) {
            const cur = db.get<{ version: number }>(`SELECT version FROM ${table} WHERE id = ?`, [next.id]);
            if (!cur) return null;
            throw new TrellisError('VERSION_CONFLICT', 'The record was changed by someone else', { expected: expectedVersion, actual: cur.version });
          }
          db.run(INSERT_HISTORY, historyParams({ ...history, version: row.version }));
          return toEntity(next.formId, row);
        });
      } catch (e) {
        throw translate(e, table, next.id);
      }
    },

    async delete(formId, id, history) {
      const table = tables.ensure(formId);
      return db.batchedWrite(() => {
        if (db.run(`DELETE FROM ${table} WHERE id = ?`, [id]).changes === 0) return false;
        db.run(INSERT_HISTORY, historyParams(history));
        return true;
      });
    },

    async find(formId, q: NormListQuery) {
      const table = tables.ensure(formId);
      const where = compileFilter(q.filter);
      const conds = [where.sql];
      const params = [...where.params];
      if (q.after) {
        const after = compileAfter(q.sort, q.after);
        conds.push(after.sql);
        params.push(...after.params);
      }
      const rows = db.all<RecordRow>(
        `SELECT ${COLS} FROM ${table} WHERE ${conds.join(' AND ')} ORDER BY ${compileOrderBy(q.sort)} LIMIT ?`,
        [...params, q.limit + 1],
      );
      const hasMore = rows.length > q.limit;
      const items = rows.slice(0, q.limit).map((r) => toEntity(formId, r));
      if (!q.count) return { items, hasMore };
      const total = db.get<{ n: number }>(`SELECT count(*) AS n FROM ${table} WHERE ${where.sql}`, where.params)!.n;
      return { items, hasMore, total };
    },

    async count(formId, q) {
      const table = tables.ensure(formId);
      const where = compileFilter(q.filter);
      return db.get<{ n: number }>(`SELECT count(*) AS n FROM ${table} WHERE ${where.sql}`, where.params)!.n;
    },

    async aggregate(formId, q: NormAggregateQuery) {
      const table = tables.ensure(formId);
      const useSql = grouping === 'auto' ? sqlGroupingFits(table, q, tables) : grouping === 'sql';
      const raw = useSql ? sqlAggregate(table, q) : hashAggregate(table, q);
      return raw.map(([keys, vals]): AggregateRow => {
        const group: AggregateRow['group'] = {};
        q.groupBy.forEach((g, i) => {
          const v = keys[i] ?? null;
          // JSON booleans come out of `->>` as 1/0
          group[g.alias] = g.path.storage === 'boolean' && v !== null && !g.bucket ? v === 1 : v;
        });
        const values: AggregateRow['values'] = {};
        // min/max of a date field is its string; AggregateRow types values as numbers (see store report)
        q.metrics.forEach((m, i) => { values[m.alias] = (vals[i] ?? null) as number | null; });
        return { group, values };
      });
    },

    async history(recordId) {
      return db.all<HistoryRow>('SELECT * FROM history WHERE record_id = ? ORDER BY rowid', [recordId]).map(toHistory);
    },
  };
}
