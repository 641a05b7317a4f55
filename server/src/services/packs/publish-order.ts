import type { Field, FormDefinition, SubField } from '@trellis/core';

/** The forms a form's definition names: link targets and value-linkage sources (itself excluded). */
export function formsNamedBy(id: string, def: FormDefinition): Set<string> {
  const out = new Set<string>();
  const walk = (fields: readonly (Field | SubField)[]) => {
    for (const f of fields) {
      if (f.type === 'link' && f.form !== undefined) out.add(f.form);
      if ('fields' in f && Array.isArray(f.fields)) walk(f.fields);
    }
  };
  walk(def.fields);
  for (const r of def.rules ?? []) if (r.fill) out.add(r.fill.form);
  out.delete(id);
  return out;
}

/**
 * The definition without what names forms in `missing`: link fields to them,
 * lookups through those links and rules filling from them. Publishing a form
 * checks that the forms it names are published, so in a cycle of links one
 * form goes first in this reduced shape and again, whole, once the others are
 * published.
 */
export function withoutReferencesTo(def: FormDefinition, missing: ReadonlySet<string>): FormDefinition {
  const strip = <F extends Field | SubField>(fields: F[]): F[] => {
    const dropped = new Set(fields.filter((f) => f.type === 'link' && f.form !== undefined && missing.has(f.form)).map((f) => f.key));
    return fields
      .filter((f) => !dropped.has(f.key) && !(f.type === 'lookup' && f.link !== undefined && dropped.has(f.link)))
      .map((f) => ('fields' in f && Array.isArray(f.fields) ? { ...f, fields: strip(f.fields) } : f));
  };
  const fields = strip(def.fields);
  const kept = new Set(fields.map((f) => f.key));
  const out: FormDefinition = { ...def, fields };
  if (def.rules) out.rules = def.rules.filter((r) => kept.has(r.field) && !(r.fill && missing.has(r.fill.form)));
  if (def.titleField !== undefined && !kept.has(def.titleField)) delete out.titleField;
  return out;
}
