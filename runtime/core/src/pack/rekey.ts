import type { Field, FormDefinition, SubField } from '../schema/form.js';
import type { Pack, PackRecord } from '../schema/pack.js';
import type { Action, Assignee, WorkflowDefinition, WorkflowNode } from '../schema/workflow.js';

/**
 * A renaming of a pack's names: pack-local keys → ids on install, ids → keys on
 * export. A name missing from the table is left as it is (a link to a form of
 * another app, a workspace user).
 */
export interface RekeyTable {
  forms?: Readonly<Record<string, string>>;
  roles?: Readonly<Record<string, string>>;
  dashboards?: Readonly<Record<string, string>>;
  /** form (as the source pack names it) → record key or id → the new one */
  records?: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

// own properties only: a key may be "constructor"
const pick = (table: Readonly<Record<string, string>> | undefined, name: string): string =>
  table && Object.hasOwn(table, name) ? table[name]! : name;

function mapEntries<T>(obj: Readonly<Record<string, T>>, key: (k: string) => string, value: (v: T, k: string) => T): Record<string, T> {
  const out: Record<string, T> = {};
  for (const [k, v] of Object.entries(obj)) out[key(k)] = value(v, k);
  return out;
}

/**
 * Renames every form, role, dashboard and record name in a pack through `table`:
 * the keys of forms, roles, dashboards and records themselves and every
 * reference to them (link fields, fills, workflow action targets, role
 * assignees, widget forms, role grants, link values in records). Pure: the
 * pack is not changed.
 */
export function rekeyPack(pack: Pack, table: RekeyTable): Pack {
  const form = (k: string) => pick(table.forms, k);
  const role = (k: string) => pick(table.roles, k);
  const definitions = new Map(pack.forms.map((f) => [f.key, f.definition]));

  const out: Pack = {
    manifest: pack.manifest,
    forms: pack.forms.map((f) => ({ key: form(f.key), definition: rekeyForm(f.definition, form) })),
  };
  if (pack.workflows) out.workflows = mapEntries(pack.workflows, form, (wf) => rekeyWorkflow(wf, form, role));
  if (pack.dashboards) {
    out.dashboards = pack.dashboards.map((d) => ({
      key: pick(table.dashboards, d.key),
      definition: { ...d.definition, widgets: d.definition.widgets.map((w) => ({ ...w, form: form(w.form) })) },
    }));
  }
  if (pack.roles) {
    out.roles = pack.roles.map((r) => (r.forms ? { ...r, key: role(r.key), forms: mapEntries(r.forms, form, (g) => g) } : { ...r, key: role(r.key) }));
  }
  if (pack.printTemplates) out.printTemplates = mapEntries(pack.printTemplates, form, (t) => t);
  if (pack.records) {
    const recordsOf = table.records ?? {};
    const record = (formName: string, k: string) => pick(Object.hasOwn(recordsOf, formName) ? recordsOf[formName] : undefined, k);
    out.records = mapEntries(pack.records, form, (list, formName) => {
      const def = definitions.get(formName);
      return list.map((r): PackRecord => ({ ...r, key: record(formName, r.key), data: def ? rekeyData(r.data, def.fields, record) : r.data }));
    });
  }
  return out;
}

/** Keys → ids: what install does with a checked pack once the new ids are known. */
export const remapPack = rekeyPack;

/** Ids → keys: turns an app read from the store (named by ids) into a pack, given the key of each id. */
export function localisePack(pack: Pack, keysOfIds: RekeyTable): Pack {
  return rekeyPack(pack, keysOfIds);
}

/** The table that undoes `table` (key → id becomes id → key). */
export function invertTable(table: RekeyTable): RekeyTable {
  const flip = (t: Readonly<Record<string, string>> | undefined) => Object.fromEntries(Object.entries(t ?? {}).map(([k, v]) => [v, k]));
  const records: Record<string, Record<string, string>> = {};
  for (const [formName, t] of Object.entries(table.records ?? {})) records[pick(table.forms, formName)] = flip(t);
  return { forms: flip(table.forms), roles: flip(table.roles), dashboards: flip(table.dashboards), records };
}

function rekeyFields<F extends Field | SubField>(fields: F[], form: (k: string) => string): F[] {
  return fields.map((f) => {
    let next: F = f.type === 'link' && f.form !== undefined ? { ...f, form: form(f.form) } : f;
    if ('fields' in f && Array.isArray(f.fields)) next = { ...next, fields: rekeyFields(f.fields, form) };
    return next;
  });
}

function rekeyForm(def: FormDefinition, form: (k: string) => string): FormDefinition {
  const out: FormDefinition = { ...def, fields: rekeyFields(def.fields, form) };
  if (def.rules) out.rules = def.rules.map((r) => (r.fill ? { ...r, fill: { ...r.fill, form: form(r.fill.form) } } : r));
  return out;
}

// generic over the action types: any `form` names a form, any `to` or `among` lists assignees
function rekeyAction(a: Action, form: (k: string) => string, role: (k: string) => string): Action {
  let out: Action = a;
  if ('form' in a && typeof a.form === 'string') out = { ...out, form: form(a.form) } as Action;
  if ('to' in a && Array.isArray(a.to)) out = { ...out, to: rekeyAssignees(a.to as Assignee[], role) } as Action;
  if ('among' in a && Array.isArray(a.among)) out = { ...out, among: rekeyAssignees(a.among as Assignee[], role) } as Action;
  return out;
}

function rekeyAssignees(list: Assignee[], role: (k: string) => string): Assignee[] {
  return list.map((a) => (a.type === 'role' ? { ...a, role: role(a.role) } : a));
}

function rekeyNode(n: WorkflowNode, form: (k: string) => string, role: (k: string) => string): WorkflowNode {
  switch (n.type) {
    case 'action':
      return { ...n, action: rekeyAction(n.action, form, role) };
    case 'cc':
      return { ...n, assignees: rekeyAssignees(n.assignees, role) };
    case 'approval': {
      const out = { ...n, assignees: rekeyAssignees(n.assignees, role) };
      if (n.timeout?.escalateTo) out.timeout = { ...n.timeout, escalateTo: rekeyAssignees(n.timeout.escalateTo, role) };
      return out;
    }
    default:
      return n;
  }
}

function rekeyWorkflow(wf: WorkflowDefinition, form: (k: string) => string, role: (k: string) => string): WorkflowDefinition {
  const out: WorkflowDefinition = { ...wf, nodes: wf.nodes.map((n) => rekeyNode(n, form, role)) };
  if (wf.automations) out.automations = wf.automations.map((a) => ({ ...a, actions: a.actions.map((x) => rekeyAction(x, form, role)) }));
  return out;
}

/** Link values name records of the linked form: each is renamed through that form's record table. */
function rekeyData(
  data: Record<string, unknown>, fields: readonly (Field | SubField)[], record: (formName: string, k: string) => string,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...data };
  for (const f of fields) {
    if (!Object.hasOwn(data, f.key)) continue;
    const v = data[f.key];
    if (f.type === 'link' && f.form !== undefined) {
      const target = f.form;
      if (typeof v === 'string') out[f.key] = record(target, v);
      else if (Array.isArray(v)) out[f.key] = v.map((x) => (typeof x === 'string' ? record(target, x) : x));
    } else if (f.type === 'subtable' && 'fields' in f && Array.isArray(f.fields) && Array.isArray(v)) {
      const sub = f.fields;
      out[f.key] = v.map((row) => (row && typeof row === 'object' && !Array.isArray(row) ? rekeyData(row as Record<string, unknown>, sub, record) : row));
    }
  }
  return out;
}
