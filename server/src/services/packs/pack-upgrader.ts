import {
  assertPack, checkPack, compareVersions, describePackPath, jsonEqual, mergePack, remapPack, TrellisError,
  type BiText, type MergeConflict, type Pack, type PackChange, type PrintTemplateDefinition, type Resolution,
} from '@trellis/core';
import type { PackKeys } from '../../store/port.js';
import type { UserActor } from '../access/actor.js';
import { exportApp } from './pack-exporter.js';
import { withoutRecords } from './pack-installer.js';
import { pendingMigrations, runMigrations, type MigrationReport } from './pack-migrations.js';
import { createEmptyForm, publishForms, roleInput, type PackDeps } from './pack-writer.js';

export interface UpgradeResult {
  packId: string;
  from: string;
  to: string;
  /** what the upgrade changes (or changed) in the app, by path in the pack, and that path in words */
  changes: (PackChange & { where: BiText })[];
  /** conflicts no resolution decides (an upgrade is applied only when there are none), each path also in words */
  conflicts: (MergeConflict & { where: BiText })[];
  /** forms the new pack no longer has: kept with their records (an upgrade never removes data) */
  kept: string[];
  /** the pack's data migrations this upgrade runs: records they change (preview: match now), records refused */
  migrations: MigrationReport[];
  applied: boolean;
}

export { compareVersions };

/**
 * Upgrades an app to a newer version of the pack it came from: a three-way
 * merge of the pack as installed, the app as it is now and the new pack.
 * Without `apply` it only answers what would change and what conflicts; with
 * it (and every conflict resolved) it saves and publishes new versions of the
 * changed forms and workflows and writes roles and dashboards. Records are
 * never touched. The merged pack is checked as a whole before anything is
 * written.
 */
export async function upgradeApp(
  deps: PackDeps, actor: UserActor, appId: string, theirs: Pack,
  options: { resolutions?: Record<string, Resolution>; apply?: boolean } = {},
): Promise<UpgradeResult> {
  assertPack(theirs);
  const current = await exportApp(deps.store, appId);
  const install = current.install;
  if (!install) throw new TrellisError('CONFLICT', 'This app was not installed from a pack, so there is nothing to upgrade', { appId });
  if (theirs.manifest.id !== install.packId) {
    throw new TrellisError('BAD_REQUEST', `The app came from pack "${install.packId}", not "${theirs.manifest.id}"`, { packId: theirs.manifest.id });
  }
  if (compareVersions(theirs.manifest.version, install.packVersion) <= 0) {
    throw new TrellisError('BAD_REQUEST', `Version ${theirs.manifest.version} is not newer than the installed ${install.packVersion}`, { installed: install.packVersion });
  }
  const mine = current.pack;
  const merge = mergePack(install.base, mine, withoutRecords(theirs), options.resolutions ?? {});
  const { merged } = merge;
  // names come from the merged app first, then from each side (an item one side removed)
  const named = <T extends { path: string }>(list: T[]) => list.map((c) => ({ ...c, where: describePackPath(c.path, [merged, mine, theirs]) }));
  const changes = named(merge.changes);
  const conflicts = named(merge.conflicts);
  const mergedKeys = new Set(merged.forms.map((f) => f.key));
  const kept = mine.forms.filter((f) => !mergedKeys.has(f.key)).map((f) => f.key);
  const pending = pendingMigrations(theirs, install.packVersion);
  const result: UpgradeResult = { packId: install.packId, from: install.packVersion, to: theirs.manifest.version, changes, conflicts, kept, migrations: [], applied: false };
  if (!options.apply) return { ...result, migrations: await runMigrations(deps, pending, current.keys.forms, false) };
  if (conflicts.length) {
    throw new TrellisError('CONFLICT', `${conflicts.length} conflict(s) need a resolution ('mine' or 'theirs') before the upgrade can be applied`, { conflicts });
  }
  // forms the pack dropped stay (with their records): the merged app keeps them as they are
  const whole: Pack = { ...merged, forms: [...merged.forms, ...mine.forms.filter((f) => !mergedKeys.has(f.key))] };
  const problems = checkPack(whole);
  if (problems.length) {
    throw new TrellisError('INVALID_DEFINITION', `The merged app would not be valid: ${problems.slice(0, 5).map((p) => p.message).join('; ')}`, { problems });
  }
  const keys = await write(deps, actor, appId, mine, whole, current.keys);
  // records change only here, after the definitions they must fit; the install still names the old version until
  // they ran, so an upgrade interrupted here is simply asked for again (each record is migrated once)
  const migrations = await runMigrations(deps, pending, keys.forms, true);
  const now = new Date().toISOString();
  await deps.store.entities.update('packInstall', {
    ...install, packVersion: theirs.manifest.version, base: withoutRecords(theirs), keys: { ...keys, records: install.keys.records },
    version: install.version + 1, updatedAt: now,
  }, install.version);
  return { ...result, migrations, applied: true };
}

type Undo = () => Promise<unknown>;

/**
 * Writes the difference between `mine` and `next` (both in pack keys) into the
 * app; answers the key → id tables afterwards. The steps that can fail (a
 * unique index over existing records, a workflow's people) come first, each
 * leaving a way back: when one fails, the earlier ones are undone (as new
 * versions of the previous definitions) before the error is answered. Forms
 * the upgrade added stay behind, empty and unpublished (forms cannot be deleted
 * yet). Deletions come last.
 */
async function write(deps: PackDeps, actor: UserActor, appId: string, mine: Pack, next: Pack, known: PackKeys): Promise<Omit<PackKeys, 'records'>> {
  const { store } = deps;
  // without a prototype: a key may be "constructor"
  const table = (t: Record<string, string>) => Object.assign(Object.create(null) as Record<string, string>, t);
  const own = <T>(o: Record<string, T> | undefined, k: string): T | undefined => (o && Object.hasOwn(o, k) ? o[k] : undefined);
  const keys = { forms: table(known.forms), roles: table(known.roles), dashboards: table(known.dashboards) };
  const before = {
    roles: new Map((mine.roles ?? []).map((r) => [r.key, r])),
    dashboards: new Map((mine.dashboards ?? []).map((d) => [d.key, d.definition])),
  };
  const undo: Undo[] = [];

  try {
    for (const f of next.forms) if (!keys.forms[f.key]) keys.forms[f.key] = await createEmptyForm(deps, actor, appId, f.definition.name);
    const previous = new Map(remapPack(mine, { forms: keys.forms }).forms.map((f) => [f.key, f.definition]));
    const byForms = remapPack(next, { forms: keys.forms });
    const changed = byForms.forms.filter((f) => !jsonEqual(previous.get(f.key), f.definition));
    for (const f of changed) {
      const old = previous.get(f.key);
      if (!old) continue;
      undo.push(async () => {
        if (jsonEqual((await store.forms.get(f.key))?.draft, old)) return;
        await deps.forms.saveDraft(actor, f.key, old, null);
        await deps.forms.publish(actor, f.key);
      });
    }
    const unchanged = new Set(byForms.forms.filter((f) => !changed.includes(f)).map((f) => f.key));
    await publishForms(deps, actor, changed.map((f) => ({ id: f.key, definition: f.definition })), unchanged);

    // roles: only the app's own roles are written (a workspace role a workflow names is the workspace's)
    const appRoles = new Set((await store.entities.list('role', { ref: appId })).map((r) => r.id));
    for (const [i, r] of (byForms.roles ?? []).entries()) {
      const key = next.roles![i]!.key;
      const id = keys.roles[key];
      if (!id) {
        const role = await deps.roles.create(actor, roleInput(r, appId));
        keys.roles[key] = role.id;
        undo.push(() => deps.roles.delete(actor, role.id));
      } else if (appRoles.has(id) && !jsonEqual(before.roles.get(key), next.roles![i])) {
        const old = await store.entities.get('role', id);
        const { appId: _appId, ...patch } = roleInput(r, appId);
        await deps.roles.update(actor, id, { ...patch, apps: patch.apps ?? {}, forms: patch.forms ?? {} });
        if (old) undo.push(() => deps.roles.update(actor, id, { name: old.name, description: old.description, apps: old.apps ?? {}, forms: old.forms ?? {} }));
      }
    }

    const ids = remapPack(next, { forms: keys.forms, roles: keys.roles });
    for (const [formId, wf] of Object.entries(ids.workflows ?? {})) {
      const key = Object.entries(keys.forms).find(([, id]) => id === formId)?.[0];
      if (key !== undefined && jsonEqual(own(mine.workflows, key), own(next.workflows, key))) continue;
      const old = await store.entities.get('workflow', formId);
      await deps.workflows.saveDraft(actor, formId, wf, null);
      await deps.workflows.publish(actor, formId);
      // a workflow the form did not have goes back to none: an empty one, which starts nothing
      undo.push(async () => {
        await deps.workflows.saveDraft(actor, formId, old?.draft ?? { nodes: [], edges: [] }, null);
        if (!old || old.publishedVersion > 0) await deps.workflows.publish(actor, formId);
      });
    }

    for (const [i, d] of (ids.dashboards ?? []).entries()) {
      const key = next.dashboards![i]!.key;
      const id = keys.dashboards[key];
      if (!id) {
        const dashboard = await deps.dashboards.create(actor, appId, d.definition);
        keys.dashboards[key] = dashboard.id;
        undo.push(() => deps.dashboards.delete(actor, dashboard.id));
      } else if (!jsonEqual(before.dashboards.get(key), next.dashboards![i]!.definition)) {
        const old = await store.entities.get('dashboard', id);
        await deps.dashboards.update(actor, id, d.definition, null);
        if (old) undo.push(() => deps.dashboards.update(actor, id, old.definition, null));
      }
    }
  } catch (e) {
    for (const step of undo.reverse()) await step().catch(() => undefined);
    throw e;
  }

  // a form's print templates have no keys of their own: when they changed, the merged list replaces them
  const formKeys = new Set([...Object.keys(mine.printTemplates ?? {}), ...Object.keys(next.printTemplates ?? {})]);
  for (const key of formKeys) {
    const formId = keys.forms[key];
    if (!formId || jsonEqual(own(mine.printTemplates, key), own(next.printTemplates, key))) continue;
    for (const t of await store.entities.list('printTemplate', { ref: formId })) await deps.printing.delete(actor, t.id);
    for (const def of own(next.printTemplates, key) ?? []) await deps.printing.create(actor, formId, def as PrintTemplateDefinition);
  }
  const appRoles = new Set((await store.entities.list('role', { ref: appId })).map((r) => r.id));
  const nextRoles = new Set((next.roles ?? []).map((r) => r.key));
  for (const key of before.roles.keys()) {
    const id = keys.roles[key];
    if (!nextRoles.has(key) && id && appRoles.has(id)) {
      await deps.roles.delete(actor, id);
      delete keys.roles[key];
    }
  }
  const nextDashboards = new Set((next.dashboards ?? []).map((d) => d.key));
  for (const key of before.dashboards.keys()) {
    const id = keys.dashboards[key];
    if (!nextDashboards.has(key) && id) {
      await deps.dashboards.delete(actor, id);
      delete keys.dashboards[key];
    }
  }
  return keys;
}
