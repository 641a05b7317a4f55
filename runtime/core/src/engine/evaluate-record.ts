import type { FieldError } from '../errors.js';
import { fieldType, ID_PATTERN } from '../fields/registry.js';
import type { EvalContext, RecordData } from '../record.js';
import type { Field, SubField } from '../schema/form.js';
import type { Logic } from '../schema/logic.js';
import type { CompiledForm } from './compile-form.js';
import { fieldMessage } from './field-messages.js';
import { applyLogic, logicVars, ruleScope, truthy } from './logic.js';
import { renderSerial, serialCounterKey } from './serial.js';
import { toFieldErrors } from './validate.js';

/** Linked records and value-linkage results the server fetched for one evaluation. */
export interface ExternalData {
  /** path (`supplier`, `lines.product`) → id → the linked record's data, or null when it does not exist */
  links: Record<string, Record<string, RecordData | null>>;
  /** field key → value found by that field's fill rule (undefined: nothing found) */
  fills: Record<string, unknown>;
}

export interface ExternalPlan {
  links: { path: string; form: string; ids: string[] }[];
  fills: { field: string; form: string; match: Record<string, unknown>; take: string }[];
}

export interface EvaluateOptions {
  mode: 'create' | 'update';
  /** the stored data, for updates (the input is then a patch over it) */
  previous?: RecordData;
  /**
   * fields the caller may not set (hidden or read-only to them by permission): they behave as
   * read-only fields, and are not required of this caller, who cannot fill them
   */
  locked?: ReadonlySet<string>;
  /**
   * the system writes (a workflow action, an automation): fields read-only in the form or by a
   * rule hold for people, not for it; everything else is checked as for anyone
   */
  trusted?: boolean;
}

export interface EvaluateResult {
  data: RecordData;
  errors: FieldError[];
}

export interface SerialStep {
  field: string;
  /** counter key to increment atomically (period included) */
  counter: string;
  render: (n: number) => string;
}

type AnyField = Field | SubField;
const ID_RE = new RegExp(ID_PATTERN);

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function isEmpty(v: unknown): boolean {
  return v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);
}

function isComputed(f: AnyField): boolean {
  return fieldType(f.type).computed;
}

function clone<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (isEmpty(a) && isEmpty(b)) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => sameValue(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a).filter((k) => !isEmpty(a[k]));
    const kb = Object.keys(b).filter((k) => !isEmpty(b[k]));
    return ka.length === kb.length && ka.every((k) => sameValue(a[k], b[k]));
  }
  return false;
}

function ids(v: unknown): string[] {
  const list = Array.isArray(v) ? v : [v];
  return list.filter((x): x is string => typeof x === 'string' && ID_RE.test(x));
}

function subFields(f: Field): SubField[] {
  return f.type === 'subtable' ? (f.fields ?? []) : [];
}

// Sub-table rows: computed cells are ignored, null and "" mean "no value".
function cleanRows(f: Field, v: unknown): unknown {
  if (!Array.isArray(v)) return v;
  const computed = new Set(subFields(f).filter(isComputed).map((s) => s.key));
  return v.map((row) => {
    if (!isObject(row)) return row;
    const out: Record<string, unknown> = {};
    for (const [k, cell] of Object.entries(row)) if (!computed.has(k) && cell !== null && cell !== '' && cell !== undefined) out[k] = cell;
    return out;
  });
}

function mergeInput(compiled: CompiledForm, input: RecordData, base: RecordData, errors: FieldError[] | null): { data: RecordData; given: Set<string> } {
  const data: RecordData = {};
  // stored data may hold fields a later version removed: they are not carried over
  for (const [k, v] of Object.entries(base)) if (compiled.fields.has(k)) data[k] = v;
  const given = new Set<string>();
  for (const [k, v] of Object.entries(input)) {
    const f = compiled.fields.get(k);
    if (!f) {
      errors?.push({ field: k, code: 'unknown', message: fieldMessage('unknown') });
      continue;
    }
    if (isComputed(f)) continue;
    given.add(k);
    if (v === null || v === undefined || v === '') delete data[k];
    else data[k] = f.type === 'subtable' ? cleanRows(f, v) : v;
  }
  return { data, given };
}

/** A field no caller input may change: read-only in the form, or locked for this caller. */
function isFixed(f: AnyField, locked: ReadonlySet<string> | undefined, trusted = false): boolean {
  return (!trusted && !!f.readOnly) || (locked?.has(f.key) ?? false);
}

function allowedOptions(v: unknown): Set<string> {
  return new Set(Array.isArray(v) ? v.filter((x) => typeof x === 'string' || typeof x === 'number').map(String) : []);
}

function coerceFormula(f: AnyField, v: unknown): unknown {
  switch (f.resultType ?? 'number') {
    case 'number': {
      const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
      if (!Number.isFinite(n)) return null;
      return f.precision === undefined ? n : Number(n.toFixed(f.precision));
    }
    case 'text':
      return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : null;
    case 'date':
      return typeof v === 'string' && /^\d{4}-\d{2}-\d{2}/.test(v) ? v.slice(0, 10) : null;
    case 'boolean':
      return truthy(v);
  }
}

function lookupValue(f: AnyField, link: AnyField, linkValue: unknown, linked: Record<string, RecordData | null> | undefined, current: unknown): unknown {
  if (isEmpty(linkValue)) return undefined;
  const take = f.field ?? '';
  if (link.multiple) {
    if (!linked) return current;
    return ids(linkValue).map((id) => linked[id]?.[take]).filter((x) => !isEmpty(x));
  }
  const id = ids(linkValue)[0];
  if (id === undefined) return undefined;
  const rec = linked?.[id];
  // not fetched (undefined): keep what the record had, e.g. on a phone without the linked data
  if (rec === undefined) return current;
  return rec === null ? undefined : rec[take];
}

function setOrDelete(target: Record<string, unknown>, key: string, v: unknown): void {
  if (v === undefined || (Array.isArray(v) && v.length === 0)) delete target[key];
  else target[key] = v;
}

// Lookups, row formulas, then top-level formulas (row formulas see `$parent` before its formulas run).
function computeDerived(compiled: CompiledForm, data: RecordData, ctxVars: Record<string, unknown>, external: ExternalData): void {
  for (const f of compiled.fields.values()) {
    if (f.type === 'lookup' && f.link) {
      const link = compiled.fields.get(f.link);
      if (link) setOrDelete(data, f.key, clone(lookupValue(f, link, data[link.key], external.links[link.key], data[f.key])));
    }
    if (f.type !== 'subtable' || !Array.isArray(data[f.key])) continue;
    const subs = subFields(f);
    const order = compiled.rowFormulaOrder.get(f.key) ?? [];
    for (const row of data[f.key] as unknown[]) {
      if (!isObject(row)) continue;
      for (const s of subs) {
        if (s.type !== 'lookup' || !s.link) continue;
        const link = subs.find((x) => x.key === s.link);
        if (link) setOrDelete(row, s.key, clone(lookupValue(s, link, row[link.key], external.links[`${f.key}.${link.key}`], row[s.key])));
      }
      if (order.length === 0) continue;
      const scope: Record<string, unknown> = { ...row, $parent: data, ...ctxVars };
      for (const key of order) {
        const s = subs.find((x) => x.key === key)!;
        const v = s.formula === undefined ? null : coerceFormula(s, applyLogic(s.formula, scope));
        row[key] = v;
        scope[key] = v;
      }
    }
  }
  const scope: Record<string, unknown> = { ...data, ...ctxVars };
  for (const key of compiled.formulaOrder) {
    const f = compiled.fields.get(key)!;
    const v = f.formula === undefined ? null : coerceFormula(f, applyLogic(f.formula, scope));
    data[key] = v;
    scope[key] = v;
  }
}

function defaultsFor(compiled: CompiledForm, data: RecordData, ctxVars: Record<string, unknown>): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const f of compiled.fields.values()) if (f.default !== undefined && !isComputed(f)) out.set(f.key, clone(f.default));
  let scope: object | undefined;
  for (const [key, r] of compiled.rules) {
    const f = compiled.fields.get(key);
    if (r.default === undefined || out.has(key) || !f || isComputed(f)) continue;
    scope ??= { ...Object.fromEntries(out), ...data, ...ctxVars };
    const v = applyLogic(r.default, scope);
    if (!isEmpty(v)) out.set(key, v);
  }
  return out;
}

function precisionOf(f: AnyField): number | undefined {
  if (f.type === 'money') return f.precision ?? 2;
  if (f.type === 'number') return f.precision;
  return undefined;
}

// Checks one level (the record or a row): number precision, datetime normalization, link existence.
function finishValues(fields: readonly AnyField[], values: Record<string, unknown>, prefix: string, linkPath: (key: string) => string, external: ExternalData, bad: Set<string>, errors: FieldError[]): void {
  for (const f of fields) {
    const v = values[f.key];
    const path = `${prefix}${f.key}`;
    if (v === undefined || bad.has(path)) continue;
    const p = precisionOf(f);
    if (p !== undefined && p > 0 && typeof v === 'number' && Number(v.toFixed(p)) !== v) {
      errors.push({ field: path, code: 'precision', message: fieldMessage('precision', { limit: p }) });
    }
    if (f.type === 'datetime' && typeof v === 'string') {
      const ms = Date.parse(v);
      if (!Number.isNaN(ms)) values[f.key] = new Date(ms).toISOString();
    }
    if (f.type === 'link') {
      const linked = external.links[linkPath(f.key)];
      // only a record the server looked for and did not find is an error; undefined means "not checked here"
      const missing = ids(v).find((id) => linked?.[id] === null);
      if (missing !== undefined) errors.push({ field: path, code: 'linkNotFound', message: fieldMessage('linkNotFound', { id: missing }) });
    }
  }
}

/**
 * Which linked records and value-linkage lookups the server must fetch before
 * `evaluateRecord`. On update pass the stored data as `previous` so links the
 * patch does not touch still feed their lookups.
 */
export function planExternal(compiled: CompiledForm, input: RecordData, ctx: EvalContext, previous?: RecordData, locked?: ReadonlySet<string>, trusted = false): ExternalPlan {
  // what the caller may not set plays no part (evaluateRecord puts those fields back too)
  const settable = isObject(input) ? Object.fromEntries(Object.entries(input).filter(([k]) => { const f = compiled.fields.get(k); return !f || !isFixed(f, locked, trusted); })) : {};
  const { data } = mergeInput(compiled, settable, previous ?? {}, null);
  const links: ExternalPlan['links'] = [];
  const addLink = (path: string, form: string | undefined, found: string[]) => {
    if (!form || found.length === 0) return;
    links.push({ path, form, ids: [...new Set(found)] });
  };
  for (const f of compiled.fields.values()) {
    if (f.type === 'link') addLink(f.key, f.form, ids(data[f.key]));
    if (f.type !== 'subtable' || !Array.isArray(data[f.key])) continue;
    for (const s of subFields(f)) {
      if (s.type !== 'link') continue;
      const found = (data[f.key] as unknown[]).flatMap((row) => (isObject(row) ? ids(row[s.key]) : []));
      addLink(`${f.key}.${s.key}`, s.form, found);
    }
  }
  const fills: ExternalPlan['fills'] = [];
  let scope: object | undefined;
  for (const [field, r] of compiled.rules) {
    if (!r.fill) continue;
    scope ??= ruleScope(data, ctx);
    const match: Record<string, unknown> = {};
    for (const [k, logic] of Object.entries(r.fill.match)) match[k] = applyLogic(logic, scope);
    // only scalars reach the server's query: an object here could be an operator such as {"$ne": …}
    if (Object.values(match).some((v) => isEmpty(v) || !['string', 'number', 'boolean'].includes(typeof v))) continue;
    fills.push({ field, form: r.fill.form, match, take: r.fill.take });
  }
  return { links, fills };
}

/**
 * The record engine: merges input (a patch on update), applies defaults,
 * fills and rules, validates with the compiled schema, checks links and
 * computes lookups and formulas. Never throws; problems come back as errors.
 */
export function evaluateRecord(compiled: CompiledForm, input: RecordData, ctx: EvalContext, external: ExternalData, opts: EvaluateOptions): EvaluateResult {
  const errors: FieldError[] = [];
  if (!isObject(input)) {
    return { data: { ...(opts.previous ?? {}) }, errors: [{ field: '', code: 'type', message: fieldMessage('type', { type: 'object' }) }] };
  }
  const create = opts.mode === 'create';
  const previous = create ? {} : (opts.previous ?? {});
  const { data, given } = mergeInput(compiled, input, previous, errors);
  const fields = [...compiled.fields.values()];
  // Fields the caller may never set (read-only in the form, or locked by permission) are put back
  // before anything reads them, so a forged value cannot steer defaults, rules or formulas.
  for (const f of fields) {
    if (!given.has(f.key) || !isFixed(f, opts.locked, opts.trusted)) continue;
    if (!create && !sameValue(input[f.key], previous[f.key])) errors.push({ field: f.key, code: 'readOnly', message: fieldMessage('readOnly') });
    setOrDelete(data, f.key, create ? undefined : previous[f.key]);
    given.delete(f.key);
  }

  // ruleScope's context part ($user, $now, $today) once per evaluation: $today costs an Intl call
  const ctxVars = ruleScope({}, ctx);
  const defaults = create ? defaultsFor(compiled, data, ctxVars) : new Map<string, unknown>();
  for (const [key, v] of defaults) if (isEmpty(data[key])) data[key] = clone(v);
  if (create) {
    for (const f of fields) {
      if (f.type !== 'subtable' || !Array.isArray(data[f.key])) continue;
      const withDefault = subFields(f).filter((s) => s.default !== undefined && !isComputed(s));
      for (const row of data[f.key] as unknown[]) if (isObject(row)) for (const s of withDefault) if (isEmpty(row[s.key])) row[s.key] = clone(s.default);
    }
  }
  const filled = new Set<string>();
  for (const [key, v] of Object.entries(external.fills ?? {})) {
    const f = compiled.fields.get(key);
    if (!f || isComputed(f) || v === undefined) continue;
    filled.add(key);
    setOrDelete(data, key, isEmpty(v) ? undefined : clone(v));
  }
  if (compiled.rulesReadComputed) computeDerived(compiled, data, ctxVars, external);

  // Every rule sees the same snapshot, so their order does not matter.
  const scope = { ...data, ...ctxVars };
  const test = (logic: Logic | undefined) => logic !== undefined && truthy(applyLogic(logic, scope));
  for (const f of fields) {
    if (isComputed(f)) continue;
    const r = compiled.rules.get(f.key);
    const visible = r?.visible === undefined || test(r.visible);
    const locked = opts.locked?.has(f.key) ?? false;
    const readOnly = (!opts.trusted && (!!f.readOnly || test(r?.readOnly))) || locked;
    if (readOnly && given.has(f.key) && !filled.has(f.key)) {
      if (create) setOrDelete(data, f.key, clone(defaults.get(f.key)));
      else if (!sameValue(input[f.key], previous[f.key])) {
        errors.push({ field: f.key, code: 'readOnly', message: fieldMessage('readOnly') });
        setOrDelete(data, f.key, previous[f.key]);
      }
    }
    if (!visible) {
      delete data[f.key];
      continue;
    }
    const value = data[f.key];
    if (isEmpty(value)) {
      if (!locked && (f.required || test(r?.required))) errors.push({ field: f.key, code: 'required', message: fieldMessage('required') });
      continue;
    }
    if (r?.options !== undefined) {
      const allowed = allowedOptions(applyLogic(r.options, scope));
      const chosen = Array.isArray(value) ? value : [value];
      if (chosen.some((x) => !allowed.has(String(x)))) errors.push({ field: f.key, code: 'option', message: fieldMessage('option') });
    }
  }

  // Top-level "required" is the rules' business above (a hidden field is not required); rows keep theirs.
  const ok = compiled.validator(data);
  const schemaErrors = ok ? [] : toFieldErrors((compiled.validator.errors ?? []).filter((e) => !(e.keyword === 'required' && e.instancePath === '')));
  errors.push(...schemaErrors);
  const bad = new Set(schemaErrors.map((e) => e.field));

  finishValues(fields, data, '', (k) => k, external, bad, errors);
  for (const f of fields) {
    if (f.type !== 'subtable' || !Array.isArray(data[f.key])) continue;
    (data[f.key] as unknown[]).forEach((row, i) => {
      if (isObject(row)) finishValues(subFields(f), row, `${f.key}[${i}].`, (k) => `${f.key}.${k}`, external, bad, errors);
    });
  }
  computeDerived(compiled, data, ctxVars, external);
  // on an update, the fields the edit changes
  const changed = create ? null : new Set([...given].filter((k) => !sameValue(input[k], previous[k])));
  runChecks(compiled, data, ctxVars, changed, bad, errors);
  return { data, errors };
}

/**
 * The rules' checks, over the finished record (formulas and lookups computed). An empty value and
 * a field with an error already are not checked; on an update only the checks of a field the edit
 * changes, or reading one, run, so a record does not fail a check because something elsewhere moved on since
 * (an issue checked against the stock on hand before it was taken).
 */
function runChecks(compiled: CompiledForm, data: RecordData, ctxVars: Record<string, unknown>, changed: ReadonlySet<string> | null, bad: ReadonlySet<string>, errors: FieldError[]): void {
  let scope: Record<string, unknown> | null = null;
  for (const [key, rules] of compiled.rules) {
    if (!rules.checks || isEmpty(data[key]) || bad.has(key) || errors.some((e) => e.field === key)) continue;
    for (const c of rules.checks) {
      if (changed && !changed.has(key) && !logicVars(c.logic).some((v) => changed.has(v.split('.')[0]!))) continue;
      scope ??= { ...data, ...ctxVars };
      if (truthy(applyLogic(c.logic, scope))) continue;
      errors.push({ field: key, code: 'check', message: c.message !== undefined ? checkMessage(c.message) : fieldMessage('check') });
      break;
    }
  }
}

/** A label as a message in both languages (one given language stands in for the other). */
function checkMessage(label: string | { en?: string; zh?: string }): { en: string; zh: string } {
  if (typeof label === 'string') return { en: label, zh: label };
  const en = label.en ?? label.zh ?? '';
  return { en, zh: label.zh ?? en };
}

/** The serial numbers to draw for a new record: one counter per serial field. */
export function serialPlan(compiled: CompiledForm, formId: string, now: Date, tz?: string): SerialStep[] {
  const out: SerialStep[] = [];
  for (const f of compiled.fields.values()) {
    if (f.type !== 'serial' || !f.pattern) continue;
    const pattern = f.pattern;
    out.push({ field: f.key, counter: serialCounterKey(formId, f.key, pattern, now, tz), render: (n) => renderSerial(pattern, n, now, tz) });
  }
  return out;
}
