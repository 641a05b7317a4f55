import {
  TrellisError,
  type DefinitionProblem, type FormDefinition, type Label, type Pack, type PackRecord, type PackRole, type RoleInput,
} from '@trellis/core';
import type { HistoryEntry, RecordEntity, Store } from '../../store/port.js';
import type { UserActor } from '../access/actor.js';
import type { AccessService } from '../access/access-service.js';
import type { AppService } from '../app-service.js';
import type { DashboardService } from '../dashboards/dashboard-service.js';
import type { FormCatalog } from '../form-catalog.js';
import type { FormService } from '../form-service.js';
import type { PrintService } from '../print/print-service.js';
import type { RoleService } from '../org/role-service.js';
import type { RecordService } from '../record-service.js';
import type { WorkflowService } from '../workflow/workflow-service.js';
import { formsNamedBy, withoutReferencesTo } from './publish-order.js';

/** The services a pack is written through, so validation, serials, formulas and audit run as for any admin. */
export interface PackDeps {
  store: Store;
  catalog: FormCatalog;
  access: AccessService;
  apps: AppService;
  forms: FormService;
  roles: RoleService;
  workflows: WorkflowService;
  dashboards: DashboardService;
  records: RecordService;
  printing: PrintService;
}

/** A new, empty form: its id is needed before any definition naming it can be written. */
export async function createEmptyForm(deps: PackDeps, actor: UserActor, appId: string, name: Label): Promise<string> {
  return (await deps.forms.create(actor, appId, { name, fields: [] })).id;
}

/**
 * Saves each form's definition (named by ids) and publishes them so that every
 * form is published after the forms it names; `ready` are published already.
 * In a cycle of links one form is published first without the links into the
 * cycle, then again whole.
 */
export async function publishForms(deps: PackDeps, actor: UserActor, forms: { id: string; definition: FormDefinition }[], ready: Set<string>): Promise<void> {
  const pending = new Map(forms.map((f) => [f.id, f.definition]));
  const needs = new Map(forms.map((f) => [f.id, formsNamedBy(f.id, f.definition)]));
  const again: string[] = [];
  const publish = async (id: string, definition: FormDefinition) => {
    await deps.forms.saveDraft(actor, id, definition, null);
    await deps.forms.publish(actor, id);
  };
  while (pending.size) {
    const now = [...pending.keys()].filter((id) => [...needs.get(id)!].every((n) => ready.has(n) || !pending.has(n)));
    if (now.length) {
      for (const id of now) {
        await publish(id, pending.get(id)!);
        pending.delete(id);
        ready.add(id);
      }
      continue;
    }
    const [id, definition] = pending.entries().next().value!;
    await publish(id, withoutReferencesTo(definition, new Set(pending.keys())));
    pending.delete(id);
    ready.add(id);
    again.push(id);
  }
  for (const id of again) await publish(id, forms.find((f) => f.id === id)!.definition);
}

/** A pack role (named by ids) as the role service takes it: an app role of `appId`. */
export function roleInput(role: PackRole, appId: string): RoleInput {
  const input: RoleInput = { name: role.name, appId };
  if (role.description !== undefined) input.description = role.description;
  if (role.app) input.apps = { [appId]: role.app };
  if (role.forms) input.forms = role.forms;
  return input;
}

/**
 * Stores sample records (a pack named by ids: forms and records by their new
 * ids) through the record engine, as a submit would evaluate them, in layers:
 * each layer links only to records stored before it, and each form's share
 * of a layer goes in one transaction. They start no workflow.
 */
export async function insertRecords(deps: PackDeps, actor: UserActor, ids: Pack, keyOf: (formId: string) => string): Promise<void> {
  const definitions = new Map(ids.forms.map((f) => [f.key, f.definition]));
  const all = new Map<string, { formId: string; index: number; record: PackRecord; needs: Set<string> }>();
  for (const [formId, list] of Object.entries(ids.records ?? {})) {
    const def = definitions.get(formId);
    if (!def) continue;
    list.forEach((record, index) => all.set(record.key, { formId, index, record, needs: linkedIds(record.data, def) }));
  }
  const done = new Set<string>();
  while (done.size < all.size) {
    let layer = [...all.entries()].filter(([id, r]) => !done.has(id) && [...r.needs].every((n) => done.has(n) || !all.has(n) || n === id));
    // a cycle of links between sample records: the rest go together, and the record engine says what it cannot resolve
    if (layer.length === 0) layer = [...all.entries()].filter(([id]) => !done.has(id));
    const byForm = new Map<string, typeof layer>();
    for (const entry of layer) byForm.set(entry[1].formId, [...(byForm.get(entry[1].formId) ?? []), entry]);
    for (const [formId, entries] of byForm) {
      const resolved = await deps.records.importAccess(formId, actor);
      const items: { record: RecordEntity; history: HistoryEntry; serials: Parameters<Store['records']['insert']>[2] }[] = [];
      const problems: DefinitionProblem[] = [];
      for (const [id, r] of entries) {
        // a pack's records carry the values of read-only fields too (a last follow-up date, a counter): the pack is trusted
        const prepared = await deps.records.prepare(formId, r.record.data, actor, id, resolved, { trusted: true });
        if ('errors' in prepared) {
          const at = `records.${keyOf(formId)}[${r.index}].data`;
          for (const e of prepared.errors) problems.push({ path: `${at}.${e.field}`, code: e.code, message: `${at}.${e.field}: ${e.message.en}` });
          continue;
        }
        if (r.record.status) prepared.item.record.status = r.record.status;
        items.push(prepared.item);
      }
      if (problems.length) throw new TrellisError('INVALID_DEFINITION', `A sample record is not valid: ${problems.slice(0, 5).map((p) => p.message).join('; ')}`, { problems });
      await deps.store.records.insertMany(formId, items);
      for (const [id] of entries) done.add(id);
    }
  }
}

function linkedIds(data: Record<string, unknown>, def: { fields: readonly { key: string; type: string; form?: string; fields?: unknown }[] }): Set<string> {
  const out = new Set<string>();
  const walk = (row: Record<string, unknown>, fields: readonly { key: string; type: string; form?: string; fields?: unknown }[]) => {
    for (const f of fields) {
      const v = Object.hasOwn(row, f.key) ? row[f.key] : undefined;
      if (f.type === 'link') for (const x of Array.isArray(v) ? v : [v]) if (typeof x === 'string') out.add(x);
      if (f.type === 'subtable' && Array.isArray(f.fields) && Array.isArray(v)) {
        for (const r of v) if (r && typeof r === 'object') walk(r as Record<string, unknown>, f.fields as typeof fields);
      }
    }
  };
  walk(data, def.fields);
  return out;
}
