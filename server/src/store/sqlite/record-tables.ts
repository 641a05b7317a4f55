import { TrellisError } from '@trellis/core';
import type { IndexSpec } from '../port.js';
import type { SqliteDb } from './sqlite-db.js';
import { checkFieldKey, recordTable, valueExpr } from './sql-names.js';

/**
 * How record data is kept: JSONB (SQLite's binary JSON) in, JSON text out.
 * Chosen by measurement (see the store report): `->>` on JSONB skips parsing.
 */
export const DATA_IN = 'jsonb(?)';
export const DATA_OUT = 'json(data)';

const INDEX_PREFIX = { plain: 'ix', unique: 'ux' } as const;

/** Index name for a field; the key is validated, the table name is [a-z0-9_]. */
function indexName(table: string, key: string, unique: boolean): string {
  return `${unique ? INDEX_PREFIX.unique : INDEX_PREFIX.plain}_${table}__${key.toLowerCase()}_${keyCaseTag(key)}`;
}

// index names are case-insensitive too: tag upper-case positions so `Amount` and `amount` differ
function keyCaseTag(key: string): string {
  let bits = 0n;
  for (let i = 0; i < key.length; i++) if (key[i]! >= 'A' && key[i]! <= 'Z') bits |= 1n << BigInt(i);
  return bits.toString(36);
}

/** Field key of a unique index named in a SQLite constraint message, or null. */
export function fieldOfIndex(message: string, table: string, keys: string[]): string | null {
  for (const key of keys) {
    if (message.includes(indexName(table, key, true))) return key;
  }
  return null;
}

/** Creates record tables on first use and keeps their field indexes. */
export class RecordTables {
  private readonly ready = new Set<string>();
  /** indexed field keys per table: unique ones name the field of a violation, plain ones steer aggregates */
  private readonly indexed = new Map<string, { unique: string[]; plain: string[] }>();

  constructor(private readonly db: SqliteDb) {}

  /** The form's table, created when missing. */
  ensure(formId: string): string {
    const table = recordTable(formId);
    if (this.ready.has(table)) return table;
    this.db.raw.exec(`
      CREATE TABLE IF NOT EXISTS ${table} (
        id TEXT PRIMARY KEY,
        form_version INTEGER NOT NULL,
        version INTEGER NOT NULL,
        data BLOB NOT NULL,
        created_by TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        status TEXT NOT NULL
      );
      CREATE INDEX IF NOT EXISTS ${table}__created ON ${table}(created_at, id);
    `);
    this.ready.add(table);
    this.indexed.set(table, this.readIndexed(table));
    return table;
  }

  uniqueFields(table: string): string[] {
    return this.indexed.get(table)?.unique ?? [];
  }

  /** Whether `key` leads a plain or unique index of the table. */
  isIndexed(table: string, key: string): boolean {
    const ix = this.indexed.get(table);
    return !!ix && (ix.plain.includes(key) || ix.unique.includes(key));
  }

  private readIndexed(table: string): { unique: string[]; plain: string[] } {
    const sqls = this.db.raw.prepare("SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL").pluck().all(table) as string[];
    const out = { unique: [] as string[], plain: [] as string[] };
    for (const sql of sqls) {
      const m = /^CREATE (UNIQUE )?INDEX [iu]x_\S+ ON \S+\s*\(data->>'\$\.([A-Za-z0-9_]+)'/.exec(sql);
      if (m) (m[1] ? out.unique : out.plain).push(m[2]!);
    }
    return out;
  }

  /**
   * Makes the table's field indexes exactly `specs`: a plain field gets
   * (value, created_at, id) so an equality filter is served in the default
   * createdAt order; a unique field gets a UNIQUE index on its value (NULL,
   * i.e. missing, may repeat). All or nothing: DDL runs in one transaction.
   */
  sync(formId: string, specs: IndexSpec[]): void {
    const table = this.ensure(formId);
    const wanted = new Map<string, string>();
    for (const s of specs) {
      const expr = valueExpr({ source: 'data', key: checkFieldKey(s.key), storage: 'text' });
      const name = indexName(table, s.key, s.unique);
      wanted.set(name, s.unique
        ? `CREATE UNIQUE INDEX ${name} ON ${table}(${expr})`
        : `CREATE INDEX ${name} ON ${table}(${expr}, created_at, id)`);
    }
    const existing = this.db.raw.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL").pluck().all(table) as string[];
    const ours = existing.filter((n) => n.startsWith(`${INDEX_PREFIX.plain}_`) || n.startsWith(`${INDEX_PREFIX.unique}_`));
    const failing: { key: string } = { key: '' };
    try {
      this.db.write(() => {
        for (const name of ours) if (!wanted.has(name)) this.db.raw.exec(`DROP INDEX ${name}`);
        for (const [name, sql] of wanted) {
          if (ours.includes(name)) continue;
          failing.key = specs.find((s) => indexName(table, s.key, s.unique) === name)!.key;
          this.db.raw.exec(sql);
        }
      });
    } catch (e) {
      if (e instanceof Error && 'code' in e && String(e.code).startsWith('SQLITE_CONSTRAINT')) {
        throw new TrellisError('UNIQUE_VIOLATION', `Value of "${failing.key}" must be unique`, { field: failing.key });
      }
      throw e;
    } finally {
      this.db.clearStatements();
      this.indexed.set(table, this.readIndexed(table));
    }
  }

  /** Drops the form's table and its indexes. */
  drop(formId: string): void {
    const table = recordTable(formId);
    this.db.raw.exec(`DROP TABLE IF EXISTS ${table}`);
    this.ready.delete(table);
    this.indexed.delete(table);
  }

  /** Forgets what it knows (after a drop inside a transaction that may roll back). */
  reset(): void {
    this.ready.clear();
    this.indexed.clear();
  }
}
