import type { SqliteDb } from './sqlite-db.js';

interface Migration {
  id: number;
  name: string;
  sql: string;
}

/** Schema steps in order; never edit an applied one, append a new one. */
export const MIGRATIONS: Migration[] = [
  {
    id: 1,
    name: 'core tables',
    sql: `
      CREATE TABLE apps (
        id TEXT PRIMARY KEY,
        workspace_id TEXT NOT NULL,
        version INTEGER NOT NULL,
        doc TEXT NOT NULL
      );
      CREATE INDEX apps_workspace ON apps(workspace_id);
      CREATE TABLE forms (
        id TEXT PRIMARY KEY,
        app_id TEXT NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
        version INTEGER NOT NULL,
        doc TEXT NOT NULL
      );
      CREATE INDEX forms_app ON forms(app_id);
      CREATE TABLE form_versions (
        form_id TEXT NOT NULL REFERENCES forms(id) ON DELETE CASCADE,
        version INTEGER NOT NULL,
        doc TEXT NOT NULL,
        PRIMARY KEY (form_id, version)
      ) WITHOUT ROWID;
      CREATE TABLE counters (
        key TEXT PRIMARY KEY,
        value INTEGER NOT NULL
      ) WITHOUT ROWID;
      CREATE TABLE history (
        id TEXT PRIMARY KEY,
        record_id TEXT NOT NULL,
        form_id TEXT NOT NULL,
        action TEXT NOT NULL,
        by TEXT,
        at TEXT NOT NULL,
        version INTEGER NOT NULL,
        changes TEXT NOT NULL
      );
      CREATE INDEX history_record ON history(record_id);
      CREATE INDEX history_form ON history(form_id);
    `,
  },
  {
    id: 2,
    name: 'entities and throttle',
    // entities keep rowids: a role's grants can make a document too large for a WITHOUT ROWID row
    sql: `
      CREATE TABLE entities (
        kind TEXT NOT NULL,
        id TEXT NOT NULL,
        key TEXT,
        ref TEXT,
        version INTEGER,
        doc TEXT NOT NULL,
        PRIMARY KEY (kind, id)
      );
      CREATE UNIQUE INDEX entities_key ON entities(kind, key) WHERE key IS NOT NULL;
      CREATE INDEX entities_ref ON entities(kind, ref, id);
      CREATE TABLE throttle (
        key TEXT PRIMARY KEY,
        count INTEGER NOT NULL,
        reset_at INTEGER NOT NULL
      ) WITHOUT ROWID;
      CREATE INDEX throttle_reset ON throttle(reset_at);
    `,
  },
  {
    id: 3,
    name: 'jobs',
    // The embedded job runner (jobs/embedded). A delayed job is stored as 'waiting' with a
    // future run_at, so picking the next due job is one range of one partial index; the
    // port reports it as 'delayed'. lock_token names the claim, so a worker whose lease
    // expired cannot finish a job another worker has picked up since. Times are epoch ms.
    // One partial index per state: SQLite uses a partial index only when the query's WHERE
    // has the index's condition term for term (state = 'failed' does not imply state IN (…)).
    sql: `
      CREATE TABLE jobs (
        queue TEXT NOT NULL,
        id TEXT NOT NULL,
        name TEXT NOT NULL,
        data TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('waiting', 'active', 'completed', 'failed')),
        attempts_made INTEGER NOT NULL DEFAULT 0,
        max_attempts INTEGER NOT NULL,
        backoff_ms INTEGER NOT NULL,
        run_at INTEGER NOT NULL,
        locked_until INTEGER,
        lock_token TEXT,
        error TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (queue, id)
      );
      CREATE INDEX jobs_due ON jobs(queue, run_at) WHERE state = 'waiting';
      CREATE INDEX jobs_lease ON jobs(queue, locked_until) WHERE state = 'active';
      CREATE INDEX jobs_completed ON jobs(queue, updated_at) WHERE state = 'completed';
      CREATE INDEX jobs_failed ON jobs(queue, updated_at) WHERE state = 'failed';
    `,
  },
];

/** Applies pending migrations, each in its own transaction; safe to call again. */
export function runMigrations(db: SqliteDb, migrations: Migration[] = MIGRATIONS): number[] {
  db.raw.exec('CREATE TABLE IF NOT EXISTS migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
  const done = new Set(db.raw.prepare('SELECT id FROM migrations').pluck().all() as number[]);
  const applied: number[] = [];
  for (const m of [...migrations].sort((a, b) => a.id - b.id)) {
    if (done.has(m.id)) continue;
    db.write(() => {
      // re-check inside the lock: another process may have applied it meanwhile
      if (db.raw.prepare('SELECT 1 FROM migrations WHERE id = ?').get(m.id)) return;
      db.raw.exec(m.sql);
      db.raw.prepare('INSERT INTO migrations (id, name, applied_at) VALUES (?, ?, ?)').run(m.id, m.name, new Date().toISOString());
      applied.push(m.id);
    });
  }
  if (applied.length > 0) db.clearStatements();
  return applied;
}
