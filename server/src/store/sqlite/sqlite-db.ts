import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { SqlParam } from './compile-filter.js';

type Stmt = Database.Statement<SqlParam[], unknown>;

const CACHE_LIMIT = 500;

/**
 * One better-sqlite3 connection with a cache of prepared statements keyed by
 * SQL text (table names are part of the text, so the key is table + SQL).
 */
export class SqliteDb {
  readonly raw: Database.Database;
  private readonly cache = new Map<string, Stmt>();

  constructor(file: string) {
    if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    this.raw = new Database(file);
    if (file !== ':memory:') this.raw.pragma('journal_mode = WAL');
    this.raw.pragma('synchronous = NORMAL');
    this.raw.pragma('foreign_keys = ON');
    this.raw.pragma('busy_timeout = 5000');
    this.raw.pragma('temp_store = MEMORY');
    this.raw.pragma('cache_size = -65536'); // 64 MiB page cache
    this.raw.pragma('mmap_size = 268435456');
  }

  /** A cached prepared statement for `sql`. */
  stmt(sql: string): Stmt {
    let s = this.cache.get(sql);
    if (s) {
      // refresh its place so the least recently used statement is evicted first
      this.cache.delete(sql);
      this.cache.set(sql, s);
      return s;
    }
    s = this.raw.prepare<SqlParam[], unknown>(sql);
    this.cache.set(sql, s);
    if (this.cache.size > CACHE_LIMIT) this.cache.delete(this.cache.keys().next().value!);
    return s;
  }

  all<T>(sql: string, params: SqlParam[] = []): T[] {
    return this.stmt(sql).all(...params) as T[];
  }

  get<T>(sql: string, params: SqlParam[] = []): T | undefined {
    return this.stmt(sql).get(...params) as T | undefined;
  }

  run(sql: string, params: SqlParam[] = []): Database.RunResult {
    return this.stmt(sql).run(...params);
  }

  /** Runs `fn` in a write transaction that takes the lock up front (no busy upgrade under concurrency). */
  write<T>(fn: () => T): T {
    return this.raw.transaction(fn).immediate();
  }

  /** Forget prepared statements after schema changes (dropped tables and indexes). */
  clearStatements(): void {
    this.cache.clear();
  }

  close(): void {
    this.cache.clear();
    if (this.raw.open) this.raw.close();
  }
}
