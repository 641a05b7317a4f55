// Data migrations of a pack upgrade (Pack.migrations): the only way an upgrade
// changes records. Each runs once, when an app moves from a version before its
// `since` to one at or after it, over the records of its form that match its
// filter, each record changed through the record engine (rules, formulas,
// validation, history) as the system.
import { createHash } from 'node:crypto';
import { applyLogic, compareVersions, normalizeFilter, ruleScope, TrellisError, type Pack, type PackMigration, type RecordData } from '@trellis/core';
import type { PackDeps } from './pack-writer.js';

export interface MigrationReport {
  id: string;
  form: string;
  since: string;
  description?: { en: string; zh: string };
  /** records it changes (preview: that match now) */
  records: number;
  /** records the form refused, with the reason (the rest are migrated) */
  failed: { recordId: string; message: string }[];
}

const PAGE = 500;

/** The migrations an upgrade from `from` to the pack's version runs, in version order (pack order within a version). */
export function pendingMigrations(pack: Pack, from: string): PackMigration[] {
  const to = pack.manifest.version;
  return (pack.migrations ?? [])
    .map((m, i) => ({ m, i }))
    .filter(({ m }) => compareVersions(m.since, from) > 0 && compareVersions(m.since, to) <= 0)
    .sort((a, b) => compareVersions(a.m.since, b.m.since) || a.i - b.i)
    .map(({ m }) => m);
}

/**
 * Counts (preview) or carries out (`apply`) the migrations over the app whose
 * forms `formIds` names by key. A record the form refuses is reported and left
 * as it was; a run again (after a crash) skips the records a migration changed
 * already, found by the history entry named after the migration.
 */
export async function runMigrations(
  deps: PackDeps, migrations: readonly PackMigration[], formIds: Readonly<Record<string, string>>, apply: boolean,
): Promise<MigrationReport[]> {
  const reports: MigrationReport[] = [];
  const clock = deps.records.clock();
  for (const m of migrations) {
    const report: MigrationReport = { id: m.id, form: m.form, since: m.since, ...(m.description ? { description: m.description } : {}), records: 0, failed: [] };
    reports.push(report);
    const formId = Object.hasOwn(formIds, m.form) ? formIds[m.form] : undefined;
    const published = formId ? await deps.catalog.published(formId).catch(() => null) : null;
    if (!formId || !published) continue; // a form the upgrade brings has no records yet
    let filter;
    try {
      filter = normalizeFilter(m.filter, published.compiled.definition, clock);
    } catch (e) {
      // before the upgrade the form may not have the fields the filter names yet
      if (!apply) continue;
      throw new TrellisError('INVALID_DEFINITION', `Migration "${m.id}": the filter does not fit form "${m.form}": ${e instanceof Error ? e.message : String(e)}`);
    }
    if (!apply) {
      report.records = await deps.store.records.count(formId, { filter });
      continue;
    }
    let after: { values: []; id: string } | null = null;
    for (;;) {
      const page = await deps.store.records.find(formId, { filter, sort: [], limit: PAGE, after, count: false });
      for (const r of page.items) {
        const historyId = `m${createHash('sha256').update(`${m.id}\n${r.id}`).digest('hex').slice(0, 23)}`;
        if ((await deps.store.records.history(r.id)).some((h) => h.id === historyId)) continue;
        const scope = { ...ruleScope(r.data, { user: null, ...clock }), id: r.id, createdAt: r.createdAt, updatedAt: r.updatedAt, createdBy: r.createdBy, status: r.status };
        const patch: RecordData = {};
        for (const [field, logic] of Object.entries(m.values)) patch[field] = applyLogic(logic as never, scope);
        try {
          await deps.records.update(formId, r.id, patch, r.version, { kind: 'system', onBehalfOf: null }, { historyId });
          report.records++;
        } catch (e) {
          if (!(e instanceof TrellisError) || !['VALIDATION_FAILED', 'UNIQUE_VIOLATION', 'VERSION_CONFLICT'].includes(e.code)) throw e;
          report.failed.push({ recordId: r.id, message: e.message });
        }
      }
      const last = page.items.at(-1);
      if (!page.hasMore || !last) break;
      after = { values: [], id: last.id };
    }
  }
  return reports;
}
