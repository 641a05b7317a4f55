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
