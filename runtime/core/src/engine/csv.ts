import type { FieldError } from '../errors.js';
import { fieldType, type CsvOptions } from '../fields/registry.js';
import type { RecordData } from '../record.js';
import { labelText } from '../schema/label-text.js';
import type { CompiledForm } from './compile-form.js';
import { fieldMessage } from './field-messages.js';

const DANGEROUS_START = /^[=+\-@\t\r]/;

/** Prefixes `'` to a cell a spreadsheet would read as a formula (CSV formula injection). */
export function neutralizeCsvCell(s: string): string {
  return DANGEROUS_START.test(s) ? `'${s}` : s;
}

/** Undoes neutralizeCsvCell, so an exported file imports back unchanged. */
export function unneutralizeCsvCell(s: string): string {
  return s.startsWith("'") && DANGEROUS_START.test(s.slice(1)) ? s.slice(1) : s;
}

const NUMERIC_STORAGE = new Set(['number']);

/** Column headers for an export: field keys, or labels in one language. */
export function csvHeader(compiled: CompiledForm, by: 'key' | 'en' | 'zh' = 'key'): string[] {
  return [...compiled.fields.values()].map((f) => neutralizeCsvCell(by === 'key' ? f.key : labelText(f.label, by) || f.key));
}

/** One record as CSV cells, in field order; computed fields included. */
export function recordToCsvRow(compiled: CompiledForm, data: RecordData): string[] {
  return [...compiled.fields.values()].map((f) => {
    const spec = fieldType(f.type);
    const cell = spec.toCsv(data[f.key], f);
    // a JSON number cannot be a formula; keep "-5" readable as a number in a spreadsheet
    return NUMERIC_STORAGE.has(spec.facts(f).storage) && typeof data[f.key] === 'number' ? cell : neutralizeCsvCell(cell);
  });
}

/**
 * One CSV row back to record data. Header cells match a field key or its
 * en/zh label; computed columns are skipped; empty cells give no value.
 */
export function csvRowToRecord(compiled: CompiledForm, header: string[], row: string[], opts?: CsvOptions): { data: RecordData; errors: FieldError[] } {
  const byName = new Map<string, string>();
  for (const f of compiled.fields.values()) {
    for (const name of [labelText(f.label, 'zh'), labelText(f.label, 'en')]) if (name) byName.set(name.trim().toLowerCase(), f.key);
  }
  for (const f of compiled.fields.values()) byName.set(f.key.toLowerCase(), f.key);
  const data: RecordData = {};
  const errors: FieldError[] = [];
  header.forEach((raw, i) => {
    const name = unneutralizeCsvCell(raw).trim();
    if (name === '') return;
    const key = compiled.fields.has(name) ? name : byName.get(name.toLowerCase());
    const f = key === undefined ? undefined : compiled.fields.get(key);
    if (!f) {
      errors.push({ field: name, code: 'unknown', message: fieldMessage('unknown') });
      return;
    }
    const spec = fieldType(f.type);
    if (spec.computed) return;
    const parsed = spec.fromCsv(unneutralizeCsvCell(row[i] ?? ''), f, opts);
    if (!parsed.ok) errors.push({ field: f.key, code: 'invalid', message: parsed.message });
    else if (parsed.value !== undefined) data[f.key] = parsed.value;
  });
  return { data, errors };
}
