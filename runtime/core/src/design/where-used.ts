import type { Label } from '../schema/label.js';
import type { Logic } from '../schema/logic.js';
import type { Field, FormDefinition, Rule, SubField } from '../schema/form.js';
import { actionForm, type Action, type Assignee, type Mapping, type WorkflowDefinition } from '../schema/workflow.js';
import { messageFieldKeys } from '../workflow/message.js';
import { logicRefersTo, parseFieldRef, rewriteRefs, type FieldRef, type LogicLevel } from './logic-refs.js';

/** Where a field is referred to. */
export type UsageKind =
  | 'rule' // a rule's expression reads the field
  | 'ruleTarget' // a rule belongs to the field
  | 'fill' // a value-linkage match reads the field
  | 'formula'
  | 'lookup' // a lookup reads through this link field
  | 'titleField'
  | 'otherLink' // another form's link shows this field
  | 'otherLookup' // another form's lookup copies this field
  | 'otherFill' // another form's value linkage matches on or takes this field
  | 'workflowCondition'
  | 'workflowFields' // an approval node's field permissions
  | 'workflowAssignee'
  | 'workflowDelay'
  | 'workflowAction'
  | 'workflowTrigger'
  | 'dashboard';

export interface Usage {
  kind: UsageKind;
  scope: 'form' | 'otherForm' | 'workflow' | 'dashboard';
  /** path into the definition that holds the reference, e.g. `rules[0].visible`, `fields[2].formula`, `nodes[1].fields` */
  path: string;
  /** the other form or dashboard */
  id?: string;
  name?: Label;
  /** the field key, node id, edge or widget that holds the reference */
  holder?: string;
  holderLabel?: Label;
}

/** A dashboard as far as this check needs it: widgets naming a form and fields (`field`, `fields`, `groupBy[].field`, …). */
export interface DashboardLike {
  id: string;
  name?: Label;
  widgets: readonly unknown[];
}

export interface WhereUsedInput {
  formId: string;
  form: FormDefinition;
  /** "amount", or "lines.qty" for a field of a sub-table */
  field: string;
  /** the app's other forms (published or draft definitions) */
  otherForms?: readonly { id: string; name?: Label; definition: FormDefinition }[];
  /** the form's workflow (draft) */
  workflow?: WorkflowDefinition | null;
  dashboards?: readonly DashboardLike[];
}

type AnyField = Field | SubField;
const RULE_PARTS = ['visible', 'required', 'readOnly', 'default', 'options', 'check'] as const;

function inForm(input: WhereUsedInput, target: FieldRef): Usage[] {
  const out: Usage[] = [];
  const { form } = input;
  const add = (kind: UsageKind, path: string, holder?: AnyField) =>
    out.push({ kind, scope: 'form', path, ...(holder ? { holder: holder.key, holderLabel: holder.label } : {}) });
  const top = (level: LogicLevel, f: AnyField, path: string, isSelf: boolean) => {
    if (!isSelf && f.type === 'formula' && logicRefersTo(f.formula, target, level)) add('formula', `${path}.formula`, f);
  };
  form.fields.forEach((f, i) => {
    const self = target.table === undefined && f.key === target.key;
    top({}, f, `fields[${i}]`, self);
    if (target.table === undefined && f.type === 'lookup' && f.link === target.key) add('lookup', `fields[${i}].link`, f);
    if (f.type !== 'subtable') return;
    (f.fields ?? []).forEach((s, j) => {
      const path = `fields[${i}].fields[${j}]`;
      const sSelf = target.table === f.key && s.key === target.key;
      top({ row: f.key }, s, path, sSelf);
      if (target.table === f.key && s.type === 'lookup' && s.link === target.key) add('lookup', `${path}.link`, s);
    });
  });
  (form.rules ?? []).forEach((r, i) => {
    const holder = form.fields.find((f) => f.key === r.field);
    if (target.table === undefined && r.field === target.key) {
      out.push({ kind: 'ruleTarget', scope: 'form', path: `rules[${i}]`, holder: r.field, ...(holder ? { holderLabel: holder.label } : {}) });
      return;
    }
    for (const part of RULE_PARTS) if (logicRefersTo(r[part], target)) add('rule', `rules[${i}].${part}`, holder);
    for (const [k, m] of Object.entries(r.fill?.match ?? {})) if (logicRefersTo(m, target)) add('fill', `rules[${i}].fill.match.${k}`, holder);
  });
  if (target.table === undefined && form.titleField === target.key) out.push({ kind: 'titleField', scope: 'form', path: 'titleField' });
  return out;
}

function inOtherForms(input: WhereUsedInput, target: FieldRef): Usage[] {
  // other forms see only top-level fields (links show them, lookups and fills read them)
  if (target.table !== undefined) return [];
  const out: Usage[] = [];
  for (const other of input.otherForms ?? []) {
    if (other.id === input.formId) continue;
    const add = (kind: UsageKind, path: string, holder: AnyField | Rule) =>
      out.push({ kind, scope: 'otherForm', id: other.id, ...(other.name !== undefined ? { name: other.name } : {}), path, holder: 'key' in holder ? holder.key : holder.field, ...('label' in holder ? { holderLabel: holder.label } : {}) });
    const level = (fields: readonly AnyField[], base: string) => {
      fields.forEach((f, i) => {
        const path = `${base}[${i}]`;
        if (f.type === 'link' && f.form === input.formId && f.displayField === target.key) add('otherLink', `${path}.displayField`, f);
        if (f.type === 'lookup' && f.field === target.key) {
          const link = fields.find((x) => x.key === f.link);
          if (link?.type === 'link' && link.form === input.formId) add('otherLookup', `${path}.field`, f);
        }
        if ('fields' in f && f.type === 'subtable') level(f.fields ?? [], `${path}.fields`);
      });
    };
    level(other.definition.fields, 'fields');
    (other.definition.rules ?? []).forEach((r, i) => {
      if (r.fill?.form !== input.formId) return;
      if (r.fill.take === target.key || Object.hasOwn(r.fill.match, target.key)) add('otherFill', `rules[${i}].fill`, r);
    });
  }
  return out;
}

function assigneesUse(list: readonly Assignee[] | undefined, target: FieldRef): boolean {
  return target.table === undefined && (list ?? []).some((a) => a.type === 'field' && a.field === target.key);
}

/** Whether a filter tree names the field (`{"field": …}`) or its values' json-logic reads it from the source record. */
function filterUses(filter: unknown, target: FieldRef, ownForm: boolean, depth = 0): { field: boolean; logic: boolean } {
  const res = { field: false, logic: false };
  if (depth > 64 || filter === null || typeof filter !== 'object') return res;
  const f = filter as Record<string, unknown>;
  for (const key of ['and', 'or']) {
    if (Array.isArray(f[key])) for (const x of f[key] as unknown[]) merge(res, filterUses(x, target, ownForm, depth + 1));
  }
  if (f.not !== undefined) merge(res, filterUses(f.not, target, ownForm, depth + 1));
  if (typeof f.field === 'string') {
    if (ownForm && target.table === undefined && f.field === target.key) res.field = true;
    if (f.value !== null && typeof f.value === 'object' && logicRefersTo(f.value as Logic, target)) res.logic = true;
  }
  return res;
}

function merge(a: { field: boolean; logic: boolean }, b: { field: boolean; logic: boolean }): void {
  a.field ||= b.field;
  a.logic ||= b.logic;
}

function mappingUses(m: Mapping, target: FieldRef): boolean {
  if (m !== null && typeof m === 'object' && !Array.isArray(m) && 'rows' in m && 'values' in m && typeof m.rows === 'string') {
    const rows = m as { rows: string; values: Record<string, Logic> };
    if (target.table === undefined) return rows.rows === target.key || Object.values(rows.values).some((v) => logicRefersTo(v, { key: target.key }, { row: rows.rows }));
    return Object.values(rows.values).some((v) => logicRefersTo(v, target, { row: rows.rows }) || (rows.rows === target.table && logicRefersTo(v, { key: target.key })));
  }
  return logicRefersTo(m as Logic, target);
}

function actionUses(action: Action, target: FieldRef, formId: string): boolean {
  const own = actionForm(action) === formId && target.table === undefined;
  switch (action.type) {
    case 'createRecord': {
      const each = action.forEach;
      // one record per row: the sub-table itself, and its columns as the values read them
      if (each !== undefined && target.table === undefined && each === target.key) return true;
      if (each !== undefined && target.table === each && Object.values(action.values).some((m) => logicRefersTo(m as Logic, { key: target.key }))) return true;
      return (own && Object.hasOwn(action.values, target.key)) || Object.values(action.values).some((m) => mappingUses(m, target));
    }
    case 'updateRecords': {
      const f = filterUses(action.filter, target, action.form === formId);
      return f.field || f.logic || (own && Object.hasOwn(action.values, target.key)) || Object.values(action.values).some((v) => logicRefersTo(v, target));
    }
    case 'webhook':
      return logicRefersTo(action.body, target);
    case 'notify': {
      const texts = typeof action.message === 'string' ? [action.message] : Object.values(action.message);
      return assigneesUse(action.to, target) || (target.table === undefined && texts.some((t) => messageFieldKeys(String(t)).includes(target.key)));
    }
    case 'lookupCompany':
      return logicRefersTo(action.query, target) || (target.table === undefined && Object.hasOwn(action.set, target.key));
    case 'assignInTurn':
      return assigneesUse(action.among, target) || (target.table === undefined && action.field === target.key);
  }
}

function inWorkflow(input: WhereUsedInput, target: FieldRef): Usage[] {
  const wf = input.workflow;
  if (!wf) return [];
  const out: Usage[] = [];
  const add = (kind: UsageKind, path: string, holder: string, holderLabel?: Label) =>
    out.push({ kind, scope: 'workflow', path, holder, ...(holderLabel !== undefined ? { holderLabel } : {}) });
  wf.nodes.forEach((n, i) => {
    const path = `nodes[${i}]`;
    if (n.type === 'approval') {
      if (target.table === undefined && n.fields && Object.hasOwn(n.fields, target.key)) add('workflowFields', `${path}.fields`, n.id, n.name);
      if (assigneesUse(n.assignees, target) || assigneesUse(n.timeout?.escalateTo, target)) add('workflowAssignee', `${path}.assignees`, n.id, n.name);
    }
    if (n.type === 'cc' && assigneesUse(n.assignees, target)) add('workflowAssignee', `${path}.assignees`, n.id, n.name);
    if (n.type === 'delay' && target.table === undefined && n.until === target.key) add('workflowDelay', `${path}.until`, n.id, n.name);
    if (n.type === 'action' && actionUses(n.action, target, input.formId)) add('workflowAction', `${path}.action`, n.id, n.name);
  });
  wf.edges.forEach((e, i) => {
    if (logicRefersTo(e.condition, target)) add('workflowCondition', `edges[${i}].condition`, `${e.from} → ${e.to}`);
  });
  (wf.automations ?? []).forEach((a, i) => {
    const path = `automations[${i}]`;
    const on = a.on as { fields?: string[]; filter?: unknown };
    const trigger = (target.table === undefined && (on.fields ?? []).includes(target.key)) || (on.filter !== undefined && filterUses(on.filter, target, true).field);
    if (trigger) add('workflowTrigger', `${path}.on`, a.id, a.name);
    if (logicRefersTo(a.condition, target)) add('workflowCondition', `${path}.condition`, a.id, a.name);
    a.actions.forEach((act, j) => {
      if (actionUses(act, target, input.formId)) add('workflowAction', `${path}.actions[${j}]`, a.id, a.name);
    });
  });
  return out;
}

/** Whether a widget (any JSON) names the field in a `field` property or a `fields` list. */
function widgetNames(x: unknown, key: string, depth = 0): boolean {
  if (depth > 32 || x === null || typeof x !== 'object') return false;
  if (Array.isArray(x)) return x.some((i) => widgetNames(i, key, depth + 1));
  const o = x as Record<string, unknown>;
  if (o.field === key) return true;
  if (Array.isArray(o.fields) && o.fields.includes(key)) return true;
  return Object.values(o).some((v) => widgetNames(v, key, depth + 1));
}

function inDashboards(input: WhereUsedInput, target: FieldRef): Usage[] {
  if (target.table !== undefined) return [];
  const out: Usage[] = [];
  for (const d of input.dashboards ?? []) {
    d.widgets.forEach((w, i) => {
      const widget = w as { form?: unknown; id?: unknown; title?: Label };
      if (widget?.form !== input.formId || !widgetNames(w, target.key)) return;
      out.push({
        kind: 'dashboard', scope: 'dashboard', id: d.id, path: `widgets[${i}]`,
        ...(d.name !== undefined ? { name: d.name } : {}),
        ...(typeof widget.id === 'string' ? { holder: widget.id } : {}),
        ...(widget.title !== undefined ? { holderLabel: widget.title } : {}),
      });
    });
  }
  return out;
}

/**
 * Everything that refers to a field: rules, formulas, lookups and the title field
 * of its form; links, lookups and value linkage of the app's other forms; the
 * form's workflow (conditions, field permissions, assignees, delays, actions,
 * automations); dashboards. Shown before the field is deleted or its key changes.
 */
export function whereUsed(input: WhereUsedInput): Usage[] {
  const target = parseFieldRef(input.field);
  return [...inForm(input, target), ...inOtherForms(input, target), ...inWorkflow(input, target), ...inDashboards(input, target)];
}

function renameLogic<T extends Logic | undefined>(logic: T, target: FieldRef, level: LogicLevel, to: string): T {
  return (logic === undefined ? logic : rewriteRefs(logic, target, level, to).logic) as T;
}

/**
 * The form with one field's key changed and every reference inside the form
 * rewritten: rules (their field and expressions), value-linkage matches,
 * formulas (row formulas too), lookups and the title field. `field` is "amount"
 * or "lines.qty"; `to` is the new key. Other forms and workflows are not touched.
 */
export function renameField(form: FormDefinition, field: string, to: string): FormDefinition {
  const target = parseFieldRef(field);
  const isTarget = (f: AnyField, table?: string) => f.key === target.key && table === target.table;
  const fields = form.fields.map((f): Field => {
    let next: Field = { ...f };
    if (isTarget(f)) next.key = to;
    if (f.formula !== undefined) next.formula = renameLogic(f.formula, target, {}, to);
    if (target.table === undefined && f.type === 'lookup' && f.link === target.key) next.link = to;
    if (f.type === 'subtable' && f.fields) {
      next = {
        ...next,
        fields: f.fields.map((s): SubField => {
          const n: SubField = { ...s };
          if (isTarget(s, f.key)) n.key = to;
          if (s.formula !== undefined) n.formula = renameLogic(s.formula, target, { row: f.key }, to);
          if (target.table === f.key && s.type === 'lookup' && s.link === target.key) n.link = to;
          return n;
        }),
      };
    }
    return next;
  });
  const out: FormDefinition = { ...form, fields };
  if (form.rules) {
    out.rules = form.rules.map((r): Rule => {
      const n: Rule = { ...r };
      if (target.table === undefined && r.field === target.key) n.field = to;
      for (const part of RULE_PARTS) if (r[part] !== undefined) n[part] = renameLogic(r[part], target, {}, to);
      if (r.fill) n.fill = { ...r.fill, match: Object.fromEntries(Object.entries(r.fill.match).map(([k, m]) => [k, renameLogic(m, target, {}, to)])) };
      return n;
    });
  }
  if (target.table === undefined && form.titleField === target.key) out.titleField = to;
  return out;
}
