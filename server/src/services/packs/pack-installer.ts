import { assertPack, remapPack, type Label, type Pack, type PrintTemplateDefinition } from '@trellis/core';
import type { AppEntity, PackInstallEntity, PackKeys } from '../../store/port.js';
import type { UserActor } from '../access/actor.js';
import { deleteAppWithRemains } from '../app-remains.js';
import { newId } from '../ids.js';
import { createEmptyForm, insertRecords, publishForms, roleInput, type PackDeps } from './pack-writer.js';

export interface InstallOptions {
  /** also store the pack's sample records */
  withSampleData?: boolean;
  /** the app's name (default: the pack's) */
  name?: Label;
}

/** An app's description holds at most 200 characters per language. */
const short = (text: string) => (text.length > 200 ? `${text.slice(0, 199)}…` : text);

/** The pack without its sample records: what an app keeps as the base of its next upgrade. */
export function withoutRecords(pack: Pack): Pack {
  const { records: _records, ...rest } = pack;
  return rest;
}

/**
 * Installs a pack as a new app with fresh ids: forms (published after the
 * forms they link to), roles, dashboards, print templates, sample records on
 * request and workflows, each through its service. All or nothing: when a step fails, what
 * the earlier steps created is removed and the error stands.
 */
export async function installPack(deps: PackDeps, actor: UserActor, pack: Pack, options: InstallOptions = {}): Promise<AppEntity> {
  assertPack(pack);
  const { manifest } = pack;
  const app = await deps.apps.create({ name: options.name ?? manifest.name, description: { en: short(manifest.description.en), zh: short(manifest.description.zh) } }, actor);
  try {
    const keys: PackKeys = { forms: {}, roles: {}, dashboards: {}, records: {} };
    for (const f of pack.forms) keys.forms[f.key] = await createEmptyForm(deps, actor, app.id, f.definition.name);
    if (options.withSampleData) {
      for (const [formKey, list] of Object.entries(pack.records ?? {})) keys.records[formKey] = Object.fromEntries(list.map((r) => [r.key, newId()]));
    }

    // forms and roles name forms only; workflows also name roles, known once the roles exist
    const byForms = remapPack(pack, { forms: keys.forms, records: keys.records });
    await publishForms(deps, actor, byForms.forms.map((f) => ({ id: f.key, definition: f.definition })), new Set());
    for (const r of byForms.roles ?? []) {
      const role = await deps.roles.create(actor, roleInput(r, app.id));
      keys.roles[r.key] = role.id;
    }
    const ids = remapPack(pack, { forms: keys.forms, roles: keys.roles, records: keys.records });
    for (const [i, d] of (ids.dashboards ?? []).entries()) {
      const dashboard = await deps.dashboards.create(actor, app.id, d.definition);
      keys.dashboards[pack.dashboards![i]!.key] = dashboard.id;
    }
    // print templates are checked by the print service (the pack schema keeps them opaque)
    for (const [formId, list] of Object.entries(ids.printTemplates ?? {})) {
      for (const def of list) await deps.printing.create(actor, formId, def as PrintTemplateDefinition);
    }
    if (options.withSampleData) {
      const keyOf = new Map(Object.entries(keys.forms).map(([k, id]) => [id, k]));
      await insertRecords(deps, actor, ids, (formId) => keyOf.get(formId) ?? formId);
    }
    // last: a published workflow starts on new records and schedules its automations
    for (const [formId, wf] of Object.entries(ids.workflows ?? {})) {
      await deps.workflows.saveDraft(actor, formId, wf, null);
      await deps.workflows.publish(actor, formId);
    }

    const now = new Date().toISOString();
    const install: PackInstallEntity = {
      id: app.id, appId: app.id, packId: manifest.id, packVersion: manifest.version, base: withoutRecords(pack), keys,
      version: 1, createdAt: now, updatedAt: now,
    };
    await deps.store.entities.insert('packInstall', install);
    return app;
  } catch (e) {
    // what the install wrote goes as a deleted app's does; the install's own error is what the caller
    // needs, so a failing clean-up must not replace it
    await deleteAppWithRemains(deps.store, deps.catalog, deps.access, app.id).catch(() => undefined);
    throw e;
  }
}
