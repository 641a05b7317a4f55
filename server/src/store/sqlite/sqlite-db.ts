import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { SqlParam } from './compile-filter.js';
import { registerHashAggregate } from './hash-aggregate.js';

type Stmt = Database.Statement<SqlParam[], unknown>;

const CACHE_LIMIT = 500;
const BATCH_LIMIT = 256;

/**
 * One better-sqlite3 connection with a cache of prepared statements keyed by
 * SQL text (table names are part of the text, so the key is table + SQL).
 */
export class SqliteDb {
  readonly raw: Database.Database;
  private readonly cache = new Map<string, Stmt>();
  // one reusable wrapper: building a transaction function per call measurably slows single writes
  private readonly runner: Database.Transaction<(fn: () => unknown) => unknown>;
  private queue: { fn: () => unknown; resolve: (v: unknown) => void; reject: (e: unknown) => void }[] = [];
  private flushScheduled = false;

  constructor(file: string) {
    if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    this.raw = new Database(file);
    if (file !== ':memory:') this.raw.pragma('journal_mode = WAL');
    this.raw.pragma('synchronous = NORMAL');
    this.raw.pragma('foreign_keys = ON');
    this.raw.pragma('busy_timeout = 5000');
    this.raw.pragma('cache_size = -65536'); // 64 MiB page cache
    // No memory map: a full scan of a large form would map the whole file into the process
    // (1M records: RSS 880 MB). Reads go through the page cache above and the OS cache instead.
    this.raw.pragma('mmap_size = 0');
    registerHashAggregate(this.raw);
    this.runner = this.raw.transaction((fn: () => unknown) => fn());
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
    return this.runner.immediate(fn) as T;
  }

  /**
   * Group commit: writes submitted in the same turn of the event loop share
   * one transaction, each inside its own savepoint, so one that throws (a
   * unique violation, say) is undone alone and the others still commit. The
   * promise settles after the COMMIT. A commit costs far more than a row here.
   */
  batchedWrite<T>(fn: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ fn, resolve: resolve as (v: unknown) => void, reject });
      if (this.queue.length >= BATCH_LIMIT) this.flush();
      else if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.flushScheduled = false;
    const batch = this.queue;
    this.queue = [];
    if (batch.length === 0) return;
    // Fast path: the whole batch in one transaction, no savepoints (they cost a quarter of
    // insert throughput). Any failure rolls the batch back, and the slow path then runs each
    // job again in a savepoint of its own, so a failing job is undone alone. Jobs are
    // functions of the database state, so running them again gives the same writes.
    let values: unknown[] | null = null;
    try {
      values = this.write(() => batch.map((job) => job.fn()));
    } catch {
      values = null;
    }
    if (values) {
      batch.forEach((job, i) => job.resolve(values[i]));
      return;
    }
    const outcomes: { ok: boolean; value: unknown }[] = [];
    try {
      this.write(() => {
        for (const job of batch) {
          try {
            // a transaction function called inside a transaction runs as a savepoint
            outcomes.push({ ok: true, value: this.runner(job.fn) });
          } catch (e) {
            outcomes.push({ ok: false, value: e });
          }
        }
      });
    } catch (e) {
      for (const job of batch) job.reject(e);
      return;
    }
    batch.forEach((job, i) => {
      const o = outcomes[i]!;
      if (o.ok) job.resolve(o.value);
      else job.reject(o.value);
    });
  }

  /** Forget prepared statements after schema changes (dropped tables and indexes). */
  clearStatements(): void {
    this.cache.clear();
  }

  close(): void {
    this.flush();
    this.cache.clear();
    if (this.raw.open) this.raw.close();
  }
}
