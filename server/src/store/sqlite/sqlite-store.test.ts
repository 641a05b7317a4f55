import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runStoreContract } from '../contract.js';
import { CONTRACT_CASES, FIXTURE_FORM_ID, FIXTURE_RECORDS, closeEnough } from '../contract-fixtures.js';
import type { Store } from '../port.js';
import { isoWeekOf } from './compile-aggregate.js';
import { compileFilter } from './compile-filter.js';
import { compileOrderBy } from './compile-sort.js';
import { MIGRATIONS, runMigrations } from './migrations.js';
import { SqliteDb } from './sqlite-db.js';
import { createSqliteStore } from './sqlite-store.js';
import { recordTable } from './sql-names.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trellis-sqlite-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

let n = 0;
const files = new WeakMap<Store, string>();
async function open(file: string): Promise<Store> {
  const s = await createSqliteStore({ file });
  files.set(s, file);
  return s;
}

runStoreContract('sqlite', () => open(path.join(dir, `nested/db-${n++}.sqlite`)), {
  reopen: async (s) => {
    const file = files.get(s)!;
    await s.close();
    return open(file);
  },
});

describe('sqlite store specifics', () => {
  for (const strategy of ['sql', 'hash'] as const) {
    it(`answers every fixture aggregate with ${strategy} grouping`, async () => {
      const store = await createSqliteStore({ file: ':memory:', aggregate: strategy });
      try {
        for (const r of FIXTURE_RECORDS) {
          await store.records.insert(r, { id: `h${r.id}`, recordId: r.id, formId: r.formId, action: 'create', by: null, at: r.createdAt, version: 1, changes: [] }, []);
        }
        for (const c of CONTRACT_CASES) {
          if (c.kind !== 'aggregate') continue;
          const rows = await store.records.aggregate(FIXTURE_FORM_ID, c.query);
          expect(rows.map((r) => r.group), c.name).toEqual(c.expectRows.map((r) => r.group));
          rows.forEach((row, i) => {
            for (const [k, v] of Object.entries(c.expectRows[i]!.values)) expect(closeEnough(row.values[k], v), `${c.name} ${k}`).toBe(true);
          });
        }
      } finally {
        await store.close();
      }
    });
  }

  it('uses the expression index for an equality filter in the default order', async () => {
    const file = path.join(dir, 'plan.sqlite');
    const store = await createSqliteStore({ file });
    await store.records.syncIndexes('plan-form', [{ key: 'dept', unique: false }]);
    await store.close();
    const db = new SqliteDb(file);
    try {
      const table = recordTable('plan-form');
      const where = compileFilter({ kind: 'cmp', path: { source: 'data', key: 'dept', storage: 'ref' }, op: 'eq', value: 'd1' });
      const order = compileOrderBy([{ path: { source: 'system', column: 'createdAt', storage: 'datetime' }, dir: 'desc' }]);
      const plan = db.raw.prepare(`EXPLAIN QUERY PLAN SELECT id, json(data), created_at FROM ${table} WHERE ${where.sql} ORDER BY ${order} LIMIT 51`).all(...where.params) as { detail: string }[];
      const text = plan.map((p) => p.detail).join('\n');
      expect(text).toMatch(/USING (COVERING )?INDEX ix_/);
      expect(text).not.toMatch(/TEMP B-TREE/);
    } finally {
      db.close();
    }
  });

  it('buckets ISO weeks in JS exactly as strftime %G-W%V does', () => {
    const db = new SqliteDb(':memory:');
    try {
      const days: string[] = [];
      for (let t = Date.UTC(1999, 0, 1); t <= Date.UTC(2031, 11, 31); t += 86_400_000) days.push(new Date(t).toISOString().slice(0, 10));
      const sql = db.raw.prepare("SELECT value AS d, strftime('%G-W%V', value) AS w FROM json_each(?)").all(JSON.stringify(days)) as { d: string; w: string }[];
      expect(sql.filter((r) => isoWeekOf(r.d) !== r.w)).toEqual([]);
      expect(isoWeekOf('2025-13-01')).toBeNull();
      expect(isoWeekOf('not a day')).toBeNull();
    } finally {
      db.close();
    }
  });

  it('runs migrations once and again without change', () => {
    const db = new SqliteDb(':memory:');
    try {
      expect(runMigrations(db)).toEqual(MIGRATIONS.map((m) => m.id));
      expect(runMigrations(db)).toEqual([]);
      const extra = [...MIGRATIONS, { id: 999, name: 'test step', sql: 'CREATE TABLE probe (x INTEGER)' }];
      expect(runMigrations(db, extra)).toEqual([999]);
      expect(runMigrations(db, extra)).toEqual([]);
      const broken = [...extra, { id: 1000, name: 'broken', sql: 'CREATE TABLE half (x INTEGER); NOT SQL' }];
      expect(() => runMigrations(db, broken)).toThrow();
      // the failed step left nothing behind and is not marked as done
      expect(db.raw.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'half'").get()).toEqual({ n: 0 });
      expect(db.raw.prepare('SELECT max(id) AS m FROM migrations').get()).toEqual({ m: 999 });
    } finally {
      db.close();
    }
  });

  it('keeps form ids that differ only in case apart and refuses unsafe ids', async () => {
    expect(recordTable('Ab-c_d')).not.toBe(recordTable('ab-c_d'));
    expect(recordTable('a-b')).not.toBe(recordTable('a_b'));
    expect(() => recordTable('x"; DROP TABLE apps; --')).toThrow();
    const store = await createSqliteStore({ file: ':memory:' });
    try {
      const rec = (formId: string, id: string) => ({ id, formId, formVersion: 1, version: 1, data: {}, createdBy: null, createdAt: 'x', updatedAt: 'x', status: 's' });
      const hist = (formId: string, id: string) => ({ id: `h${id}`, recordId: id, formId, action: 'create' as const, by: null, at: 'x', version: 1, changes: [] });
      await store.records.insert(rec('Form', '1'), hist('Form', '1'), []);
      await store.records.insert(rec('form', '2'), hist('form', '2'), []);
      expect((await store.records.find('Form', { filter: { kind: 'true' }, sort: [], limit: 10, after: null, count: true })).total).toBe(1);
      await expect(store.records.get('bad id', '1')).rejects.toThrow(/Invalid form id/);
      await expect(store.records.count('f', { filter: { kind: 'empty', path: { source: 'data', key: "x') OR 1=1 --", storage: 'text' }, negate: false } })).rejects.toThrow(/Invalid field key/);
    } finally {
      await store.close();
    }
  });
});
