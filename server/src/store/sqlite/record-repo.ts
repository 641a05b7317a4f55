import { TrellisError, type AggregateRow, type NormAggregateQuery, type NormListQuery, type RecordData } from '@trellis/core';
import type { HistoryEntry, RecordEntity, RecordRepo, SerialAllocation } from '../port.js';
import { compileAggregate } from './compile-aggregate.js';
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

function errorCode(e: unknown): string {
  return e instanceof Error && 'code' in e ? String(e.code) : '';
}

/** Records in one table per form, history in a shared table. */
export function sqliteRecordRepo(db: SqliteDb, tables: RecordTables): RecordRepo {
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

  return {
    async syncIndexes(formId, specs) {
      tables.sync(formId, specs);
    },

    async insert(record, history, serials: SerialAllocation[]) {
      const table = tables.ensure(record.formId);
      const sql = `INSERT INTO ${table} (id, form_version, version, data, created_by, created_at, updated_at, status) VALUES (?, ?, ?, ${DATA_IN}, ?, ?, ?, ?)`;
      try {
        return db.write(() => {
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
          db.run(sql, [record.id, record.formVersion, record.version, JSON.stringify(data), record.createdBy, record.createdAt, record.updatedAt, record.status]);
          db.run(INSERT_HISTORY, historyParams({ ...history, changes }));
          return { ...record, data };
        });
      } catch (e) {
        throw translate(e, table, record.id);
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
        return db.write(() => {
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
      return db.write(() => {
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
      const { sql, params } = compileAggregate(table, q);
      const rows = db.all<Record<string, string | number | null>>(sql, params);
      return rows.map((r): AggregateRow => {
        const group: AggregateRow['group'] = {};
        q.groupBy.forEach((g, i) => {
          const v = r[`g${i}`] ?? null;
          // JSON booleans come out of `->>` as 1/0
          group[g.alias] = g.path.storage === 'boolean' && v !== null && !g.bucket ? v === 1 : v;
        });
        const values: AggregateRow['values'] = {};
        q.metrics.forEach((m, i) => {
          // min/max of a date field is its string; AggregateRow types values as numbers (see store report)
          values[m.alias] = (r[`m${i}`] ?? null) as number | null;
        });
        return { group, values };
      });
    },

    async history(recordId) {
      return db.all<HistoryRow>('SELECT * FROM history WHERE record_id = ? ORDER BY rowid', [recordId]).map(toHistory);
    },
  };
}
