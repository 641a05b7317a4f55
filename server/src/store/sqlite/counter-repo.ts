import type { CounterRepo } from '../port.js';
import type { SqliteDb } from './sqlite-db.js';

const NEXT = 'INSERT INTO counters (key, value) VALUES (?, 1) ON CONFLICT (key) DO UPDATE SET value = value + 1 RETURNING value';

/** Increments a counter in the current transaction and returns the new value. */
export function nextCounter(db: SqliteDb, key: string): number {
  return (db.get<{ value: number }>(NEXT, [key]))!.value;
}

/** Counters as rows of (key, value); one upsert statement increments atomically. */
export function sqliteCounterRepo(db: SqliteDb): CounterRepo {
  return {
    async next(key) {
      return nextCounter(db, key);
    },
    async peek(key) {
      return db.get<{ value: number }>('SELECT value FROM counters WHERE key = ?', [key])?.value ?? 0;
    },
  };
}
