import type { ValidateFunction } from 'ajv';
import { fieldType, optionValues, type JsonSchema } from '../fields/registry.js';
import { labelText } from '../schema/label-text.js';
import type { Logic } from '../schema/logic.js';
import type { Field, FormDefinition, Rule, SubField } from '../schema/form.js';
import { assertFormDefinition } from './check-definition.js';
import { orderFormulas } from './formula-order.js';
import { logicVars } from './logic.js';
import { compileSchema } from './validate.js';

/** The rules of one field, merged from every rule that names it. */
export interface FieldRules {
  visible?: Logic;
  required?: Logic;
  readOnly?: Logic;
  default?: Logic;
  options?: Logic;
  fill?: NonNullable<Rule['fill']>;
  /** every check of the field, each with its message */
  checks?: { logic: Logic; message?: Rule['message'] }[];
}

/** A form definition prepared for rendering and for evaluating records. */
export interface CompiledForm {
  definition: FormDefinition;
  /** object schema of a record's data; computed fields are read-only properties */
  jsonSchema: JsonSchema;
  /** rjsf uiSchema */
  uiSchema: Record<string, unknown>;
  /** field key → its merged rules */
  rules: Map<string, FieldRules>;
  /** top-level field key → field */
  fields: Map<string, Field>;
  /** top-level formula keys in dependency order */
  formulaOrder: string[];
  /** sub-table key → its row formula keys in dependency order */
  rowFormulaOrder: Map<string, string[]>;
  /** whether any rule reads a computed field, so computed values are needed before rules run */
  rulesReadComputed: boolean;
  /** ajv validator of `jsonSchema` (shared ajv options) */
  validator: ValidateFunction;
}

const CACHE_LIMIT = 500;
const cache = new Map<string, CompiledForm>();

// Several rules on one field: visible only if all say so, required/read-only if any says so, the last default/options/fill wins.
function mergeRules(rules: readonly Rule[]): Map<string, FieldRules> {
  const out = new Map<string, FieldRules>();
  for (const r of rules) {
    const cur = out.get(r.field) ?? {};
    if (r.visible !== undefined) cur.visible = cur.visible === undefined ? r.visible : { and: [cur.visible, r.visible] };
    if (r.required !== undefined) cur.required = cur.required === undefined ? r.required : { or: [cur.required, r.required] };
    if (r.readOnly !== undefined) cur.readOnly = cur.readOnly === undefined ? r.readOnly : { or: [cur.readOnly, r.readOnly] };
    if (r.default !== undefined) cur.default = r.default;
    if (r.options !== undefined) cur.options = r.options;
    if (r.fill !== undefined) cur.fill = r.fill;
    if (r.check !== undefined) cur.checks = [...(cur.checks ?? []), { logic: r.check, ...(r.message !== undefined ? { message: r.message } : {}) }];
    out.set(r.field, cur);
  }
  return out;
}

function propertySchema(f: Field | SubField): JsonSchema {
  const spec = fieldType(f.type);
  const base = spec.jsonSchema(f);
  const schema: JsonSchema = { ...base, title: labelText(f.label, 'en') };
  if (spec.computed || f.readOnly) schema.readOnly = true;
  if (f.help !== undefined) schema.description = labelText(f.help, 'en');
  return schema;
}

function uiFor(f: Field | SubField): Record<string, unknown> {
  const spec = fieldType(f.type);
  const ui: Record<string, unknown> = { 'ui:widget': f.hidden ? 'hidden' : spec.widget };
  if (f.help !== undefined) ui['ui:help'] = labelText(f.help, 'en');
  if (f.placeholder !== undefined) ui['ui:placeholder'] = labelText(f.placeholder, 'en');
  if (spec.computed || f.readOnly) ui['ui:readonly'] = true;
  const options: Record<string, unknown> = { type: f.type, labelZh: labelText(f.label, 'zh') };
  if (f.multiple !== undefined) options.multiple = f.multiple;
  if (f.form !== undefined) options.form = f.form;
  if (f.displayField !== undefined) options.displayField = f.displayField;
  if (f.currency !== undefined) options.currency = f.currency;
  if (f.type === 'money' || f.type === 'number') options.precision = f.precision ?? (f.type === 'money' ? 2 : undefined);
  if (f.type === 'phone') options.inputType = 'tel';
  if (f.accept !== undefined) options.accept = f.accept;
  if (f.maxSize !== undefined) options.maxSize = f.maxSize;
  if (f.width !== undefined) options.width = f.width;
  if (f.section !== undefined) options.section = f.section;
  if (f.help !== undefined) options.helpZh = labelText(f.help, 'zh');
  if (f.placeholder !== undefined) options.placeholderZh = labelText(f.placeholder, 'zh');
  if (f.options !== undefined) {
    options.labels = (f.options ?? []).map((o) =>
      typeof o === 'string' ? { value: o, en: o, zh: o } : { value: o.value, en: labelText(o.label ?? o.value, 'en'), zh: labelText(o.label ?? o.value, 'zh'), color: o.color },
    );
    ui['ui:enumNames'] = optionValues(f).map((_, i) => (options.labels as { en: string }[])[i]!.en);
  }
  ui['ui:options'] = options;
  if (f.type === 'subtable' && 'fields' in f && f.fields) {
    const items: Record<string, unknown> = { 'ui:order': f.fields.map((s) => s.key) };
    for (const s of f.fields) items[s.key] = uiFor(s);
    ui.items = items;
  }
  return ui;
}

function build(def: FormDefinition, trusted: boolean): CompiledForm {
  if (!trusted) assertFormDefinition(def);
  const properties: Record<string, JsonSchema> = {};
  const uiSchema: Record<string, unknown> = { 'ui:order': def.fields.map((f) => f.key) };
  const required: string[] = [];
  const fields = new Map<string, Field>();
  const rowFormulaOrder = new Map<string, string[]>();
  for (const f of def.fields) {
    fields.set(f.key, f);
    properties[f.key] = propertySchema(f);
    uiSchema[f.key] = uiFor(f);
    if (f.required && !fieldType(f.type).computed) required.push(f.key);
    if (f.type === 'subtable' && f.fields) rowFormulaOrder.set(f.key, orderFormulas(f.fields).order);
  }
  const jsonSchema: JsonSchema = { type: 'object', title: labelText(def.name, 'en'), properties, additionalProperties: false };
  if (required.length > 0) jsonSchema.required = required;
  if (def.description !== undefined) jsonSchema.description = labelText(def.description, 'en');
  const computed = new Set(def.fields.filter((f) => fieldType(f.type).computed).map((f) => f.key));
  const rulesReadComputed = (def.rules ?? []).some((r) =>
    [r.visible, r.required, r.readOnly, r.default, r.options].some((l) => l !== undefined && logicVars(l).some((v) => computed.has(v))),
  );
  return {
    definition: def,
    jsonSchema,
    uiSchema,
    rules: mergeRules(def.rules ?? []),
    fields,
    formulaOrder: orderFormulas(def.fields).order,
    rowFormulaOrder,
    rulesReadComputed,
    validator: compileSchema(jsonSchema),
  };
}

export interface CompileOptions {
  /**
   * the definition was checked already (a version the server published): skip the definition
   * check, whose own validator is the costliest part of a first compile on a slow phone
   */
  trusted?: boolean;
}

/**
 * Compiles a form definition (throws INVALID_DEFINITION when it has problems).
 * With a `cacheKey` such as `${formId}@${version}` the result is kept in a
 * small LRU map, so a published version compiles once per process.
 */
export function compileForm(def: FormDefinition, cacheKey?: string, opts: CompileOptions = {}): CompiledForm {
  const trusted = opts.trusted ?? false;
  if (cacheKey === undefined) return build(def, trusted);
  const hit = cache.get(cacheKey);
  if (hit) {
    cache.delete(cacheKey);
    cache.set(cacheKey, hit);
    return hit;
  }
  const compiled = build(def, trusted);
  cache.set(cacheKey, compiled);
  if (cache.size > CACHE_LIMIT) cache.delete(cache.keys().next().value!);
  return compiled;
}

/** Drops cached compilations (all, or one key), e.g. after a form is republished under a reused key. */
export function clearCompiledForms(cacheKey?: string): void {
  if (cacheKey === undefined) cache.clear();
  else cache.delete(cacheKey);
}
