import type { Readable } from 'node:stream';
import { fieldType, labelText, TrellisError, unneutralizeCsvCell, type CompiledForm, type RecordData } from '@trellis/core';
import type { Caller } from '../access/actor.js';
import type { RecordService as Records } from '../record-service.js';
import type { RecordService } from '../record-service.js';
import { CsvParser } from './csv-text.js';
import { eachXlsxRow } from './xlsx.js';

export type FileFormat = 'csv' | 'xlsx';

export interface ImportOptions {
  /** column header → field key ("" skips the column); columns not named are matched by label or key */
  mapping?: Record<string, string>;
  /** link field key → key field of the linked form: link cells hold that field's values (`;` between several) instead of record ids */
  linkKeys?: Record<string, string>;
  dryRun?: boolean;
  /** each imported record starts the form's workflow as a submitted one would (default: records come in as they are) */
  startWorkflows?: boolean;
}

export interface RowError {
  /** data row number, 1 for the first row under the header */
  row: number;
  /** the column header the value came from, null for an error of the record as a whole (e.g. a required field with no column) */
  column: string | null;
  field: string;
  code: string;
  message: { en: string; zh: string };
}

export interface DryRunReport {
  rows: number;
  valid: number;
  errors: RowError[];
}

const SAMPLE_ROWS = 5;
/** a dry-run report lists at most this many errors (the counts stay exact) */
const MAX_ERRORS = 10_000;

const squash = (s: string) => s.replace(/\s+/g, '').toLowerCase();

/** Columns matched to fields: a column named exactly like a field key, else its en or zh label (case and spaces ignored). */
export function autoMapping(compiled: CompiledForm, columns: readonly string[], hidden: ReadonlySet<string>): Record<string, string> {
  const byName = new Map<string, string>();
  for (const f of compiled.fields.values()) {
    if (hidden.has(f.key) || fieldType(f.type).computed) continue;
    for (const name of [labelText(f.label, 'zh'), labelText(f.label, 'en')]) if (name) byName.set(squash(name), f.key);
  }
  for (const f of compiled.fields.values()) if (!hidden.has(f.key) && !fieldType(f.type).computed) byName.set(squash(f.key), f.key);
  const mapping: Record<string, string> = {};
  for (const column of columns) {
    const name = unneutralizeCsvCell(column).trim();
    const key = compiled.fields.has(name) && !hidden.has(name) && !fieldType(compiled.fields.get(name)!.type).computed ? name : byName.get(squash(name));
    if (key) mapping[column] = key;
  }
  return mapping;
}

/** Reads a CSV (decoded as UTF-8 in pieces) or XLSX stream row by row, so a file of any size is never held whole. */
export async function eachRow(file: Readable, onRow: (row: string[]) => Promise<void> | void, format: FileFormat = 'csv'): Promise<void> {
  if (format === 'xlsx') {
    try {
      return await eachXlsxRow(file, onRow);
    } catch (e) {
      if (e instanceof TrellisError) throw e;
      throw new TrellisError('BAD_REQUEST', `The file is not a readable XLSX workbook: ${(e as Error).message}`);
    }
  }
  const decoder = new TextDecoder('utf-8');
  const pending: string[][] = [];
  const parser = new CsvParser((row) => pending.push(row));
  const drain = async () => {
    for (const row of pending.splice(0)) await onRow(row);
  };
  for await (const chunk of file) {
    parser.write(decoder.decode(chunk as Buffer, { stream: true }));
    await drain();
  }
  parser.write(decoder.decode());
  try {
    parser.end();
  } catch (e) {
    throw new TrellisError('BAD_REQUEST', (e as Error).message);
  }
  await drain();
}

/** CSV import: a preview with the automatic column mapping, and the exact dry-run report of the rows a submit would refuse. */
export class ImportService {
  constructor(private readonly records: RecordService) {}

  async preview(formId: string, file: Readable, caller: Caller, format: FileFormat = 'csv'): Promise<{ columns: string[]; rows: number; sample: string[][]; mapping: Record<string, string> }> {
    const { published, access } = await this.records.importAccess(formId, caller);
    let columns: string[] | null = null;
    const sample: string[][] = [];
    let rows = 0;
    await eachRow(file, (row) => {
      if (!columns) {
        columns = row;
        return;
      }
      rows++;
      if (sample.length < SAMPLE_ROWS) sample.push(row);
    }, format);
    if (!columns) throw new TrellisError('BAD_REQUEST', 'The file is empty: the first row must name the columns');
    return { columns, rows, sample, mapping: autoMapping(published.compiled, columns, access.hidden) };
  }

  /** Converts every row by the field-type registry and validates it as a submit would; stores nothing. */
  async dryRun(formId: string, file: Readable, options: ImportOptions, caller: Caller, format: FileFormat = 'csv'): Promise<DryRunReport> {
    const { published, access } = await this.records.importAccess(formId, caller);
    const { compiled } = published;
    let plan: { column: string; index: number; key: string }[] | null = null;
    const report: DryRunReport = { rows: 0, valid: 0, errors: [] };
    const links = options.linkKeys ? new LinkResolver(this.records, compiled, options.linkKeys, caller) : null;
    const push = (e: RowError) => {
      if (report.errors.length < MAX_ERRORS) report.errors.push(e);
    };
    await eachRow(file, async (row) => {
      if (!plan) {
        plan = columnPlan(compiled, row, options.mapping, access.hidden);
        return;
      }
      const n = ++report.rows;
      const converted = convertRow(compiled, plan, row, n);
      await links?.resolve(plan, row, n, converted.data, converted.errors);
      let bad = converted.errors.length > 0;
      converted.errors.forEach(push);
      if (!bad) {
        const errors = await this.records.check(formId, converted.data, caller, { published, access });
        for (const e of errors) push(rowError(plan, n, e));
        bad = errors.length > 0;
      }
      if (!bad) report.valid++;
    }, format);
    if (!plan) throw new TrellisError('BAD_REQUEST', 'The file is empty: the first row must name the columns');
    return report;
  }
}

/** Which column goes to which field: the given mapping (checked) over the automatic one. */
export function columnPlan(compiled: CompiledForm, header: string[], mapping: Record<string, string> | undefined, hidden: ReadonlySet<string>) {
  const auto = autoMapping(compiled, header, hidden);
  if (mapping) {
    for (const [column, key] of Object.entries(mapping)) {
      if (!header.includes(column)) throw new TrellisError('BAD_REQUEST', `The mapping names column "${column}", which the file does not have`, { column });
      if (key === '') continue; // "" skips a column the automatic mapping would take
      const f = compiled.fields.get(key);
      if (!f || hidden.has(key)) throw new TrellisError('BAD_REQUEST', `The mapping names field "${key}", which the form does not have`, { field: key });
      if (fieldType(f.type).computed) throw new TrellisError('BAD_REQUEST', `Field "${key}" is computed and cannot be imported`, { field: key });
    }
  }
  const chosen = { ...auto, ...(mapping ?? {}) };
  const plan = header.map((column, index) => ({ column, index, key: chosen[column] })).filter((c): c is { column: string; index: number; key: string } => typeof c.key === 'string' && c.key !== '');
  const twice = plan.find((c, i) => plan.findIndex((d) => d.key === c.key) !== i);
  if (twice) throw new TrellisError('BAD_REQUEST', `Two columns go to field "${twice.key}"`, { field: twice.key });
  return plan;
}

export type ColumnPlan = ReturnType<typeof columnPlan>;

/** One file row as record data by the field-type registry (a neutralised cell imports as its text); cells that do not convert are row errors. */
export function convertRow(compiled: CompiledForm, plan: ColumnPlan, row: string[], n: number): { data: RecordData; errors: RowError[] } {
  const data: RecordData = {};
  const errors: RowError[] = [];
  for (const c of plan) {
    const field = compiled.fields.get(c.key)!;
    const parsed = fieldType(field.type).fromCsv(unneutralizeCsvCell(row[c.index] ?? ''), field);
    if (!parsed.ok) errors.push({ row: n, column: c.column, field: c.key, code: 'invalid', message: parsed.message });
    else if (parsed.value !== undefined) data[c.key] = parsed.value;
  }
  return { data, errors };
}

/** A record engine error of row `n`, with the column its field came from (null when no column gave the field). */
export function rowError(plan: ColumnPlan, n: number, e: { field: string; code: string; message: { en: string; zh: string } }): RowError {
  return { row: n, column: plan.find((c) => c.key === e.field.split(/[.[]/)[0])?.column ?? null, field: e.field, code: e.code, message: e.message };
}

/** link cells named by a key field of the linked form, resolved to record ids with the caller's view of that form (remembered per value) */
export class LinkResolver {
  private readonly cache = new Map<string, string[] | null>();

  constructor(
    private readonly records: Records,
    private readonly compiled: CompiledForm,
    private readonly linkKeys: Record<string, string>,
    private readonly caller: Caller,
  ) {
    for (const [field, key] of Object.entries(linkKeys)) {
      const f = compiled.fields.get(field);
      if (!f || f.type !== 'link') throw new TrellisError('BAD_REQUEST', `"linkKeys" names "${field}", which is not a link field of the form`, { field });
      if (typeof key !== 'string' || key === '') throw new TrellisError('BAD_REQUEST', `"linkKeys.${field}" names the key field of the linked form`, { field });
    }
  }

  /** The row's link cells as ids; a value matching no record, or more than one, is a row error. */
  async resolve(plan: ColumnPlan, row: string[], n: number, data: RecordData, errors: RowError[]): Promise<void> {
    for (const c of plan) {
      const keyField = this.linkKeys[c.key];
      if (!keyField) continue;
      const f = this.compiled.fields.get(c.key)!;
      const values = unneutralizeCsvCell(row[c.index] ?? '').split(/[;；]/).map((v) => v.trim()).filter(Boolean);
      errors.splice(0, errors.length, ...errors.filter((e) => !(e.row === n && e.field === c.key)));
      delete data[c.key];
      if (values.length === 0) continue;
      const ids: string[] = [];
      for (const value of values) {
        const found = await this.find(String(f.form), keyField, value);
        if (found?.length === 1) ids.push(found[0]!);
        else {
          const ambiguous = (found?.length ?? 0) > 1;
          errors.push({
            row: n, column: c.column, field: c.key, code: ambiguous ? 'linkAmbiguous' : 'linkNotFound',
            message: ambiguous
              ? { en: `More than one record has ${keyField} "${value}"`, zh: `有多条记录的 ${keyField} 为“${value}”` }
              : { en: `No record has ${keyField} "${value}"`, zh: `没有 ${keyField} 为“${value}”的记录` },
          });
        }
      }
      if (ids.length === values.length) data[c.key] = f.multiple ? ids : ids[0];
    }
  }

  private async find(form: string, keyField: string, value: string): Promise<string[] | null> {
    const k = `${form}\u0000${keyField}\u0000${value}`;
    if (this.cache.has(k)) return this.cache.get(k)!;
    const numeric = value !== '' && Number.isFinite(Number(value));
    let ids: string[] | null = null;
    for (const v of numeric ? [value, Number(value)] : [value]) {
      try {
        const page = await this.records.list(form, { filter: { field: keyField, op: 'eq', value: v }, limit: 2 }, this.caller);
        ids = page.items.map((r) => r.id);
        break;
      } catch (e) {
        // the key field takes numbers (or is unknown to this caller): try the number, else nothing is found
        if (!(e instanceof TrellisError && e.code === 'INVALID_QUERY')) throw e;
      }
    }
    if (this.cache.size > 100_000) this.cache.clear();
    this.cache.set(k, ids);
    return ids;
  }
}
