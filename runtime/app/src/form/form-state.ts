// Pure helpers of the form renderer: which fields show, which are required or read-only, which
// options are allowed, all from core's rule logic (the same code the server runs), and the paths
// of per-field errors.
import {
  applyLogic, fieldType, labelText, optionValues, ruleScope, truthy,
  type CompiledForm, type EvalContext, type Field, type FieldError, type Label, type RecordData, type SubField,
} from '@trellis/core';
import type { Lang } from '../lib/i18n';

export type AnyField = Field | SubField;

export interface FieldState {
  visible: boolean;
  required: boolean;
  readOnly: boolean;
  /** allowed option values when an options rule applies */
  options?: Set<string>;
}

export function isEmpty(v: unknown): boolean {
  return v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);
}

export function isComputed(f: AnyField): boolean {
  return fieldType(f.type).computed;
}

/** Rule states of every top-level field for the data as it stands (visible, required, read-only, options). */
export function fieldStates(compiled: CompiledForm, data: RecordData, ctx: EvalContext, locked?: ReadonlySet<string>): Map<string, FieldState> {
  const scope = { ...data, ...ruleScope({}, ctx) };
  const test = (logic: unknown) => logic !== undefined && truthy(applyLogic(logic as never, scope));
  const out = new Map<string, FieldState>();
  for (const f of compiled.fields.values()) {
    const r = compiled.rules.get(f.key);
    const computed = isComputed(f);
    const state: FieldState = {
      visible: !f.hidden && (r?.visible === undefined || test(r.visible)),
      required: !computed && !(locked?.has(f.key) ?? false) && (!!f.required || test(r?.required)),
      readOnly: computed || !!f.readOnly || (locked?.has(f.key) ?? false) || test(r?.readOnly),
    };
    if (r?.options !== undefined) {
      const allowed = applyLogic(r.options, scope);
      state.options = new Set(Array.isArray(allowed) ? allowed.map(String) : []);
    }
    out.set(f.key, state);
  }
  return out;
}

/** A sub-field's own state (rules name top-level fields only). */
export function subFieldState(s: SubField, parentReadOnly: boolean): FieldState {
  const computed = isComputed(s);
  return { visible: !s.hidden, required: !computed && !!s.required, readOnly: parentReadOnly || computed || !!s.readOnly };
}

/** Defaults the user should see on a new record: the core engine's defaults for fields still empty. */
export function withDefaults(compiled: CompiledForm, value: RecordData, evaluated: RecordData): RecordData {
  let out: RecordData | null = null;
  for (const f of compiled.fields.values()) {
    if (isComputed(f) || !isEmpty(value[f.key]) || isEmpty(evaluated[f.key])) continue;
    out ??= { ...value };
    out[f.key] = evaluated[f.key];
  }
  return out ?? value;
}

/** What is sent to the server: no computed values (the server computes them), no empty strings, no empty rows' blanks. */
export function cleanForSubmit(compiled: CompiledForm, value: RecordData, states: Map<string, FieldState>): RecordData {
  const out: RecordData = {};
  for (const [k, v] of Object.entries(value)) {
    const f = compiled.fields.get(k);
    if (!f || isComputed(f) || isEmpty(v)) continue;
    if (states.get(k)?.visible === false) continue;
    if (f.type === 'subtable' && Array.isArray(v)) {
      const computed = new Set((f.fields ?? []).filter(isComputed).map((s) => s.key));
      out[k] = v.map((row) => Object.fromEntries(Object.entries((row ?? {}) as RecordData).filter(([rk, rv]) => !computed.has(rk) && !isEmpty(rv))));
      continue;
    }
    if (f.type === 'address' && v && typeof v === 'object') {
      const a = Object.fromEntries(Object.entries(v as RecordData).filter(([, x]) => !isEmpty(x)));
      if (Object.keys(a).length > 0) out[k] = a;
      continue;
    }
    out[k] = v;
  }
  return out;
}

/** Errors keyed by path (`amount`, `lines[1].qty`); the first per path wins. */
export function errorsByPath(errors: readonly FieldError[]): Map<string, FieldError> {
  const m = new Map<string, FieldError>();
  for (const e of errors) if (!m.has(e.field)) m.set(e.field, e);
  return m;
}

export function fieldLabel(f: { label: Label }, lang: Lang): string {
  return labelText(f.label, lang);
}

export interface OptionItem {
  value: string;
  label: string;
}

/** A select's options in the current language, limited by an options rule when one applies. */
export function optionItems(f: AnyField, lang: Lang, allowed?: Set<string>): OptionItem[] {
  const items = (f.options ?? []).map((o) =>
    typeof o === 'string' ? { value: o, label: o } : { value: o.value, label: labelText(o.label ?? o.value, lang) },
  );
  return allowed ? items.filter((o) => allowed.has(o.value)) : items;
}

export function optionLabel(f: AnyField, v: unknown, lang: Lang): string {
  const o = optionItems(f, lang).find((x) => x.value === v);
  return o ? o.label : String(v);
}

export { optionValues };

/** DOM id of a field's input, from the form's id prefix and the field path. */
export function inputId(prefix: string, path: string): string {
  return `${prefix}-${path.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}
