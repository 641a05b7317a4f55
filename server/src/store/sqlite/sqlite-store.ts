import type { Store } from '../port.js';
import { sqliteAppRepo } from './app-repo.js';
import { sqliteCounterRepo } from './counter-repo.js';
import { sqliteEntityRepo } from './entity-repo.js';
import { sqliteFormRepo } from './form-repo.js';
import { runMigrations } from './migrations.js';
import { RecordTables } from './record-tables.js';
import { sqliteRecordRepo, type AggregateStrategy } from './record-repo.js';
import { SqliteDb } from './sqlite-db.js';
import { sqliteThrottleRepo } from './throttle-repo.js';

export interface SqliteStoreOptions {
  /** database file (its folder is created when missing), or ":memory:" */
  file: string;
  /** grouping strategy of aggregates; tests force each path, everything else keeps `auto` */
  aggregate?: AggregateStrategy;
}

// The connection under each embedded store, for the embedded job runner (jobs/embedded), which
// keeps its table in the same file. Jobs are a port of their own, so the Store port stays free of them.
const connections = new WeakMap<Store, SqliteDb>();

/** The SQLite connection of a store made by createSqliteStore; undefined for any other store. */
export function sqliteDbOf(store: Store): SqliteDb | undefined {
  return connections.get(store);
}

/**
 * The embedded store: SQLite through better-sqlite3 (synchronous inside,
 * async at the port). Opening runs pending migrations.
 */
export async function createSqliteStore(options: SqliteStoreOptions): Promise<Store> {
  const db = new SqliteDb(options.file);
  runMigrations(db);
  const tables = new RecordTables(db);
  const store: Store = {
    kind: 'sqlite',
    apps: sqliteAppRepo(db, tables),
    forms: sqliteFormRepo(db),
    records: sqliteRecordRepo(db, tables, options.aggregate),
    counters: sqliteCounterRepo(db),
    entities: sqliteEntityRepo(db),
    throttle: sqliteThrottleRepo(db),
    async migrate() {
      runMigrations(db);
    },
    async ping() {
      return db.raw.open && db.raw.prepare('SELECT 1 AS ok').get() !== undefined;
    },
    async close() {
      if (!db.raw.open) return;
      try {
        db.raw.pragma('optimize');
      } finally {
        db.close();
      }
    },
  };
  connections.set(store, db);
  return store;
}
