// The designer's working copy of a form: the definition with a stable id per field (keys change
// while the admin edits them; drag and drop and selection need something that does not).
import {
  fieldType, keyFromLabel, labelText, renameField,
  type DefinitionProblem, type Field, type FieldType, type FormDefinition, type Label, type Rule, type SubField,
} from '@trellis/core';

export interface DSub extends SubField {
  _uid: string;
  /** the key still follows the label (a new field whose key nobody typed) */
  _autoKey?: boolean;
}
export interface DField extends Omit<Field, 'fields'> {
  _uid: string;
  _autoKey?: boolean;
  fields?: DSub[];
}
export type AnyD = DField | DSub;

export interface DesignState {
  name: Label;
  description?: Label;
  titleField?: string;
  fields: DField[];
  rules: Rule[];
}

let seq = 0;
export const newUid = (): string => `u${++seq}`;

export function fromDefinition(def: FormDefinition): DesignState {
  return {
    name: def.name,
    ...(def.description !== undefined ? { description: def.description } : {}),
    ...(def.titleField !== undefined ? { titleField: def.titleField } : {}),
    fields: def.fields.map((f) => ({ ...f, _uid: newUid(), ...(f.fields ? { fields: f.fields.map((s) => ({ ...s, _uid: newUid() })) } : {}) }) as DField),
    rules: def.rules ?? [],
  };
}

function strip<T extends object>(f: T): T {
  const out = { ...f } as Record<string, unknown>;
  delete out._uid;
  delete out._autoKey;
  return out as T;
}

export function toDefinition(s: DesignState): FormDefinition {
  const def: FormDefinition = {
    name: s.name,
    fields: s.fields.map((f) => {
      const base = strip(f) as Field;
      if (f.fields) base.fields = f.fields.map((x) => strip(x) as SubField);
      return base;
    }),
  };
  if (s.description !== undefined) def.description = s.description;
  if (s.rules.length) def.rules = s.rules;
  if (s.titleField !== undefined) def.titleField = s.titleField;
  return def;
}

/** Puts a definition of the same shape (same fields in the same order, e.g. after renameField) back with the state's ids. */
export function withDefinition(s: DesignState, def: FormDefinition): DesignState {
  const next = fromDefinition(def);
  next.fields = next.fields.map((f, i) => {
    const old = s.fields[i]!;
    return {
      ...f, _uid: old._uid, ...(old._autoKey ? { _autoKey: true } : {}),
      ...(f.fields ? { fields: f.fields.map((x, j) => ({ ...x, _uid: old.fields?.[j]?._uid ?? x._uid, ...(old.fields?.[j]?._autoKey ? { _autoKey: true } : {}) })) } : {}),
    };
  });
  return next;
}

export interface Located {
  field: AnyD;
  /** the sub-table holding it, for a field of a sub-table */
  parent?: DField;
  /** "amount" or "lines.qty" */
  path: string;
  index: number;
}

export function locate(s: DesignState, uid: string | null): Located | null {
  if (!uid) return null;
  for (const [i, f] of s.fields.entries()) {
    if (f._uid === uid) return { field: f, path: f.key, index: i };
    for (const [j, c] of (f.fields ?? []).entries()) if (c._uid === uid) return { field: c, parent: f, path: `${f.key}.${c.key}`, index: j };
  }
  return null;
}

/** Replaces one field (top level or in a sub-table) by uid. */
export function updateField(s: DesignState, uid: string, fn: (f: AnyD) => AnyD): DesignState {
  return {
    ...s,
    fields: s.fields.map((f) => {
      if (f._uid === uid) return fn(f) as DField;
      if (f.fields?.some((c) => c._uid === uid)) return { ...f, fields: f.fields.map((c) => (c._uid === uid ? (fn(c) as DSub) : c)) };
      return f;
    }),
  };
}

const DEFAULTS: Partial<Record<FieldType, Partial<Field>>> = {
  select: { options: ['Option 1', 'Option 2'] },
  multiselect: { options: ['Option 1', 'Option 2'] },
  serial: { pattern: 'NO-{YYYYMMDD}-{0000}' },
  money: { precision: 2 },
  formula: { resultType: 'number' },
};

/** A new field of a type, labelled with the type's name, with a key unique among `taken`. */
export function newField(type: FieldType, taken: readonly string[]): DField {
  const label = fieldType(type).label;
  return {
    key: keyFromLabel(labelText(label, 'en'), taken, type),
    type,
    label: { en: label.en, zh: label.zh },
    ...DEFAULTS[type],
    ...(type === 'subtable' ? { fields: [] } : {}),
    _uid: newUid(),
    _autoKey: true,
  } as DField;
}

export function siblingsOf(s: DesignState, uid: string): string[] {
  const at = locate(s, uid);
  if (!at) return [];
  const list: AnyD[] = at.parent ? (at.parent.fields ?? []) : s.fields;
  return list.filter((f) => f._uid !== uid).map((f) => f.key);
}

/** Changes a field's key and rewrites the references inside the form. */
export function renameInState(s: DesignState, uid: string, to: string, rewrite = true): DesignState {
  const at = locate(s, uid);
  if (!at || at.field.key === to) return s;
  if (rewrite) return withDefinition(s, renameField(toDefinition(s), at.path, to));
  return updateField(s, uid, (f) => ({ ...f, key: to }));
}

/** Problems of the definition by field uid ('' for the form as a whole); paths are `fields[3].options`, `rules[0].visible`. */
export function problemsByField(s: DesignState, problems: readonly DefinitionProblem[]): Map<string, DefinitionProblem[]> {
  const out = new Map<string, DefinitionProblem[]>();
  const add = (uid: string, p: DefinitionProblem) => out.set(uid, [...(out.get(uid) ?? []), p]);
  for (const p of problems) {
    const sub = /^fields\[(\d+)\]\.fields\[(\d+)\]/.exec(p.path);
    const top = /^fields\[(\d+)\]/.exec(p.path);
    const rule = /^rules\[(\d+)\]/.exec(p.path);
    if (sub) {
      const f = s.fields[Number(sub[1])]?.fields?.[Number(sub[2])];
      if (f) {
        add(f._uid, p);
        continue;
      }
    }
    if (top) {
      const f = s.fields[Number(top[1])];
      if (f) {
        add(f._uid, p);
        continue;
      }
    }
    if (rule) {
      const r = s.rules[Number(rule[1])];
      const f = r && s.fields.find((x) => x.key === r.field);
      if (f) {
        add(f._uid, p);
        continue;
      }
    }
    add('', p);
  }
  return out;
}

/** Another form of the app (or this one), as link targets, lookups and value linkage see it. */
export interface AppForm {
  id: string;
  name: Label;
  /** the published definition, or the draft while the form was never published */
  definition: FormDefinition;
  published: boolean;
}
