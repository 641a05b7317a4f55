import type { ThrottleRepo, ThrottleWindow } from '../port.js';
import type { SqliteDb } from './sqlite-db.js';

// One statement, so concurrent hits never read the same count. In SET every column
// names the row before the update, so both CASEs test the old reset_at.
// Parameters: key, now + windowMs, now, now (better-sqlite3 binds no numbered ?NNN).
const HIT = `
  INSERT INTO throttle (key, count, reset_at) VALUES (?, 1, ?)
  ON CONFLICT (key) DO UPDATE SET
    count = CASE WHEN reset_at <= ? THEN 1 ELSE count + 1 END,
    reset_at = CASE WHEN reset_at <= ? THEN excluded.reset_at ELSE reset_at END
  RETURNING count, reset_at AS resetAt`;

/** Fixed windows as rows of (key, count, reset_at), reset_at in epoch milliseconds. */
export function sqliteThrottleRepo(db: SqliteDb): ThrottleRepo {
  return {
    async hit(key, windowMs, now) {
      // group commit: rate-limited requests hit on every call
      const row = await db.batchedWrite(() => db.get<ThrottleWindow>(HIT, [key, now + windowMs, now, now]));
      return { count: row!.count, resetAt: row!.resetAt };
    },
    async peek(key, now) {
      const row = db.get<ThrottleWindow>('SELECT count, reset_at AS resetAt FROM throttle WHERE key = ? AND reset_at > ?', [key, now]);
      return row ? { count: row.count, resetAt: row.resetAt } : null;
    },
    async clear(key) {
      await db.batchedWrite(() => db.run('DELETE FROM throttle WHERE key = ?', [key]));
    },
    async purge(now) {
      return db.batchedWrite(() => db.run('DELETE FROM throttle WHERE reset_at <= ?', [now]).changes);
    },
  };
}
