import { optionValues } from '../fields/registry.js';
import type { FieldType } from '../schema/field-type.js';
import type { Label } from '../schema/label.js';
import { labelText } from '../schema/label-text.js';
import type { Field, FormDefinition, Option, SubField } from '../schema/form.js';
import { rulePart, type RulePart } from './fields.js';
import { renameField } from './where-used.js';

type AnyField = Field | SubField;

/** One change between two versions of a form; `path` is a field key or "lines.qty". */
export type FormChange =
  | { kind: 'formRenamed'; from: Label; to: Label }
  | { kind: 'formSettingsChanged'; settings: string[] }
  | { kind: 'fieldAdded'; path: string; type: FieldType; label: Label }
  | { kind: 'fieldRemoved'; path: string; type: FieldType; label: Label }
  | { kind: 'fieldRenamed'; path: string; from: string; to: string; label: Label }
  | { kind: 'fieldRelabeled'; path: string; from: Label; to: Label }
  | { kind: 'fieldRetyped'; path: string; from: FieldType; to: FieldType }
  | { kind: 'optionsChanged'; path: string; added: string[]; removed: string[]; relabeled: string[] }
  | { kind: 'fieldSettingsChanged'; path: string; settings: string[] }
  | { kind: 'fieldsReordered'; table?: string }
  | { kind: 'ruleAdded' | 'ruleRemoved' | 'ruleChanged'; field: string; part: RulePart | 'fill' };

/** JSON with sorted keys, so equal values compare equal whatever their key order. */
function stable(x: unknown): string {
  if (x === undefined) return 'undefined';
  if (x === null || typeof x !== 'object') return JSON.stringify(x);
  if (Array.isArray(x)) return `[${x.map(stable).join(',')}]`;
  const o = x as Record<string, unknown>;
  return `{${Object.keys(o).filter((k) => o[k] !== undefined).sort().map((k) => `${JSON.stringify(k)}:${stable(o[k])}`).join(',')}}`;
}

const same = (a: unknown, b: unknown) => stable(a) === stable(b);
const SKIP = new Set(['key', 'type', 'label', 'options', 'fields']);

function labelsOf(l: Label): string[] {
  return typeof l === 'string' ? [l] : [l.en, l.zh].filter((s): s is string => !!s);
}

function sameLabel(a: Label, b: Label): boolean {
  const la = labelsOf(a);
  return labelsOf(b).some((x) => la.includes(x));
}

function optionLabel(o: Option): string {
  return typeof o === 'string' ? o : stable(o.label ?? o.value) + (o.color ?? '');
}

/** Pairs fields that vanished with fields that appeared under another key: same type and label. */
function findRenames(prev: readonly AnyField[], next: readonly AnyField[]): [string, string][] {
  const nextKeys = new Set(next.map((f) => f.key));
  const prevKeys = new Set(prev.map((f) => f.key));
  const removed = prev.filter((f) => !nextKeys.has(f.key));
  const added = next.filter((f) => !prevKeys.has(f.key));
  const pairs: [string, string][] = [];
  for (const r of removed) {
    const i = added.findIndex((a) => a.type === r.type && sameLabel(a.label, r.label));
    if (i >= 0) pairs.push([r.key, added.splice(i, 1)[0]!.key]);
  }
  return pairs;
}

function compareField(p: AnyField, n: AnyField, path: string, out: FormChange[]): void {
  if (p.type !== n.type) out.push({ kind: 'fieldRetyped', path, from: p.type, to: n.type });
  if (!same(p.label, n.label)) out.push({ kind: 'fieldRelabeled', path, from: p.label, to: n.label });
  if (!same(p.options, n.options)) {
    const pv = optionValues(p);
    const nv = optionValues(n);
    const plabels = new Map((p.options ?? []).map((o) => [typeof o === 'string' ? o : o.value, optionLabel(o)]));
    const relabeled = (n.options ?? [])
      .filter((o) => {
        const v = typeof o === 'string' ? o : o.value;
        return plabels.has(v) && plabels.get(v) !== optionLabel(o);
      })
      .map((o) => (typeof o === 'string' ? o : o.value));
    const added = nv.filter((v) => !pv.includes(v));
    const removed = pv.filter((v) => !nv.includes(v));
    if (added.length || removed.length || relabeled.length) out.push({ kind: 'optionsChanged', path, added, removed, relabeled });
    else out.push({ kind: 'fieldSettingsChanged', path, settings: ['options order'] });
  }
  const keys = new Set([...Object.keys(p), ...Object.keys(n)]);
  const settings = [...keys].filter((k) => !SKIP.has(k) && !same((p as Record<string, unknown>)[k], (n as Record<string, unknown>)[k])).sort();
  if (settings.length) out.push({ kind: 'fieldSettingsChanged', path, settings });
}

function compareLevel(prev: readonly AnyField[], next: readonly AnyField[], table: string | undefined, out: FormChange[]): void {
  const at = (key: string) => (table ? `${table}.${key}` : key);
  const nextByKey = new Map(next.map((f) => [f.key, f]));
  const prevKeys = new Set(prev.map((f) => f.key));
  for (const p of prev) {
    const n = nextByKey.get(p.key);
    if (!n) {
      out.push({ kind: 'fieldRemoved', path: at(p.key), type: p.type, label: p.label });
      continue;
    }
    compareField(p, n, at(p.key), out);
    if (p.type === 'subtable' || n.type === 'subtable') {
      compareLevel('fields' in p ? (p.fields ?? []) : [], 'fields' in n ? (n.fields ?? []) : [], n.key, out);
    }
  }
  for (const n of next) {
    if (prevKeys.has(n.key)) continue;
    out.push({ kind: 'fieldAdded', path: at(n.key), type: n.type, label: n.label });
  }
  const common = (list: readonly AnyField[], other: Set<string>) => list.map((f) => f.key).filter((k) => other.has(k));
  if (!same(common(prev, new Set(nextByKey.keys())), common(next, prevKeys))) out.push({ kind: 'fieldsReordered', ...(table ? { table } : {}) });
}

const PARTS: (RulePart | 'fill')[] = ['visible', 'required', 'readOnly', 'default', 'options', 'check', 'fill'];

function fillOf(def: FormDefinition, field: string): unknown {
  const found = (def.rules ?? []).filter((r) => r.field === field && r.fill !== undefined);
  return found[found.length - 1]?.fill;
}

/**
 * What changed from one version of a form to the next, for the publish dialog:
 * the form's name and settings; fields added, removed, renamed (a key that vanished
 * and a new key of the same type and label), relabeled, retyped; options; other
 * field settings; order; and each field's rules. `prev` null means a first publish.
 * A rename is reported once: references rewritten by it are not reported as changes.
 */
export function diffForms(prev: FormDefinition | null, next: FormDefinition): FormChange[] {
  const out: FormChange[] = [];
  if (!prev) {
    for (const f of next.fields) out.push({ kind: 'fieldAdded', path: f.key, type: f.type, label: f.label });
    for (const r of next.rules ?? []) for (const part of PARTS) if (r[part] !== undefined) out.push({ kind: 'ruleAdded', field: r.field, part });
    return out;
  }
  if (!same(prev.name, next.name)) out.push({ kind: 'formRenamed', from: prev.name, to: next.name });
  const formSettings = (['description', 'titleField'] as const).filter((k) => !same(prev[k], next[k]));

  // apply renames to the old version first, so what they rewrote compares equal
  let base = prev;
  const renames: FormChange[] = [];
  const rename = (from: string, to: string, label: Label) => {
    base = renameField(base, from, to);
    renames.push({ kind: 'fieldRenamed', path: from, from: from.split('.').pop()!, to, label });
  };
  for (const [from, to] of findRenames(prev.fields, next.fields)) rename(from, to, next.fields.find((f) => f.key === to)!.label);
  for (const n of next.fields) {
    const p = base.fields.find((f) => f.key === n.key);
    if (p?.type !== 'subtable' || n.type !== 'subtable') continue;
    for (const [from, to] of findRenames(p.fields ?? [], n.fields ?? [])) rename(`${n.key}.${from}`, to, n.fields!.find((f) => f.key === to)!.label);
  }
  if (renames.length && formSettings.includes('titleField') && same(base.titleField, next.titleField)) formSettings.splice(formSettings.indexOf('titleField'), 1);
  if (formSettings.length) out.push({ kind: 'formSettingsChanged', settings: [...formSettings] });
  out.push(...renames);
  compareLevel(base.fields, next.fields, undefined, out);

  const ruleFields = new Set([...(base.rules ?? []), ...(next.rules ?? [])].map((r) => r.field));
  for (const field of ruleFields) {
    for (const part of PARTS) {
      const a = part === 'fill' ? fillOf(base, field) : rulePart(base.rules, field, part);
      const b = part === 'fill' ? fillOf(next, field) : rulePart(next.rules, field, part);
      if (same(a, b)) continue;
      out.push({ kind: a === undefined ? 'ruleAdded' : b === undefined ? 'ruleRemoved' : 'ruleChanged', field, part });
    }
  }
  return out;
}

/** A one-line English description of a change (the designer shows its own translated text). */
export function describeChange(c: FormChange): string {
  const l = (x: Label) => labelText(x, 'en');
  switch (c.kind) {
    case 'formRenamed': return `Form renamed from "${l(c.from)}" to "${l(c.to)}"`;
    case 'formSettingsChanged': return `Form settings changed: ${c.settings.join(', ')}`;
    case 'fieldAdded': return `Field added: ${l(c.label)} (${c.path}, ${c.type})`;
    case 'fieldRemoved': return `Field removed: ${l(c.label)} (${c.path})`;
    case 'fieldRenamed': return `Field key renamed: ${c.from} → ${c.to}`;
    case 'fieldRelabeled': return `Field ${c.path} relabeled: "${l(c.from)}" → "${l(c.to)}"`;
    case 'fieldRetyped': return `Field ${c.path} changed type: ${c.from} → ${c.to}`;
    case 'optionsChanged': return `Options of ${c.path} changed${c.added.length ? `; added ${c.added.join(', ')}` : ''}${c.removed.length ? `; removed ${c.removed.join(', ')}` : ''}${c.relabeled.length ? `; relabeled ${c.relabeled.join(', ')}` : ''}`;
    case 'fieldSettingsChanged': return `Settings of ${c.path} changed: ${c.settings.join(', ')}`;
    case 'fieldsReordered': return c.table ? `Fields of ${c.table} reordered` : 'Fields reordered';
    case 'ruleAdded': return `Rule added on ${c.field}: ${c.part}`;
    case 'ruleRemoved': return `Rule removed from ${c.field}: ${c.part}`;
    case 'ruleChanged': return `Rule changed on ${c.field}: ${c.part}`;
  }
}
