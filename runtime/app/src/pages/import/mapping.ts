// The import screen's state as plain data: which file column goes to which field, which key
// field a link column is matched by, what is still missing, and the options the server takes.
import { fieldType, type Field, type FormDefinition } from '@trellis/core';

/** file column → field key; "" skips the column */
export type Mapping = Record<string, string>;
/** link field key → key field of the linked form; "" means the cells hold record ids */
export type LinkKeys = Record<string, string>;

/** The "options" part of POST /api/forms/:formId/import. */
export interface ImportRequest {
  mapping: Mapping;
  linkKeys?: LinkKeys;
  dryRun: boolean;
  /** each imported record starts the form's workflow */
  startWorkflows?: boolean;
}

/** The server's answer to POST /api/forms/:formId/import/preview. */
export interface Preview {
  columns: string[];
  rows: number;
  sample: string[][];
  mapping: Record<string, string>;
}

/** Fields a column may fill: everything the caller sees except computed ones (serial, formula, lookup). */
export function importableFields(def: FormDefinition): Field[] {
  return def.fields.filter((f) => !fieldType(f.type).computed);
}

/**
 * Every column named: the choice made for a column of the same name in the file chosen before
 * (a fixed file keeps its mapping), else the server's suggestion; "" where nothing matched or the
 * field is not importable, and a field goes to one column only.
 */
export function initialMapping(preview: Pick<Preview, 'columns' | 'mapping'>, def: FormDefinition, previous: Mapping = {}): Mapping {
  const keys = new Set(importableFields(def).map((f) => f.key));
  const used = new Set<string>();
  const out: Mapping = {};
  const take = (column: string, key: string) => {
    const ok = key !== '' && keys.has(key) && !used.has(key);
    out[column] = ok ? key : '';
    if (ok) used.add(key);
  };
  for (const column of preview.columns) if (Object.hasOwn(previous, column)) take(column, previous[column]!);
  for (const column of preview.columns) if (!Object.hasOwn(previous, column)) take(column, preview.mapping[column] ?? '');
  return Object.fromEntries(preview.columns.map((c) => [c, out[c]!]));
}

/** Sends `column` to `key`; a column that went to the same field is skipped (a field takes one column). */
export function assignColumn(mapping: Mapping, column: string, key: string): Mapping {
  const out: Mapping = {};
  for (const [c, k] of Object.entries(mapping)) out[c] = key !== '' && c !== column && k === key ? '' : k;
  out[column] = key;
  return out;
}

/** Required fields no column goes to: every row would be refused for them. */
export function requiredUnmapped(def: FormDefinition, mapping: Mapping): Field[] {
  const mapped = new Set(Object.values(mapping));
  return importableFields(def).filter((f) => f.required === true && !mapped.has(f.key));
}

/** Fields of the linked form a link column may name its records by: single text or number values. */
export function keyFieldChoices(linked: FormDefinition): Field[] {
  return linked.fields.filter((f) => {
    if (f.multiple || f.type === 'subtable') return false;
    const storage = fieldType(f.type).facts(f).storage;
    return storage === 'text' || storage === 'number';
  });
}

/** The key field a link column starts with: the linked form's title field when it is a choice, else its first choice. */
export function defaultKeyField(linked: FormDefinition): string {
  const choices = keyFieldChoices(linked);
  return choices.find((f) => f.key === linked.titleField)?.key ?? choices[0]?.key ?? '';
}

/** The "options" part of an import request: every column named (so the server does exactly what the table shows), key fields of mapped link columns. */
export function importOptions(def: FormDefinition, mapping: Mapping, linkKeys: LinkKeys, dryRun: boolean): ImportRequest {
  const mapped = new Set(Object.values(mapping));
  const keys: LinkKeys = {};
  for (const f of def.fields) {
    const key = linkKeys[f.key];
    if (f.type === 'link' && mapped.has(f.key) && key) keys[f.key] = key;
  }
  return { mapping: { ...mapping }, ...(Object.keys(keys).length ? { linkKeys: keys } : {}), dryRun };
}

/** Up to `n` non-empty sample values of column `index`, for the mapping table. */
export function sampleValues(sample: readonly (readonly string[])[], index: number, n = 3): string[] {
  const out: string[] = [];
  for (const row of sample) {
    const v = (row[index] ?? '').trim();
    if (v !== '' && out.length < n) out.push(v);
  }
  return out;
}

/** "1 row", "2,500 rows" (the number as the browser writes it) */
export function rowCount(n: number): { en: string; zh: string } {
  const text = n.toLocaleString();
  return { en: n === 1 ? '1 row' : `${text} rows`, zh: `${text} 行` };
}

/** Wait before the next look at a running job: 500 ms, growing by half each time, at most 2 s. */
export function pollDelay(attempt: number): number {
  return Math.min(2000, Math.round(500 * 1.5 ** Math.max(0, attempt)));
}
