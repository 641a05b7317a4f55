import { TrellisError, type FieldPath, type SystemField } from '@trellis/core';

const FORM_ID = /^[A-Za-z0-9_-]{1,64}$/;
const FIELD_KEY = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

/** Checks a form id before it becomes part of a table name. */
export function checkFormId(formId: string): string {
  if (!FORM_ID.test(formId)) throw new TrellisError('BAD_REQUEST', `Invalid form id "${formId}"`, { formId });
  return formId;
}

/** Checks a field key before it is spliced into a JSON path. */
export function checkFieldKey(key: string): string {
  if (!FIELD_KEY.test(key)) throw new TrellisError('INVALID_QUERY', `Invalid field key "${key}"`, { field: key });
  return key;
}

/**
 * Table of a form's records. SQLite names are case-insensitive, so the
 * mapping keeps ids that differ only in case apart: `_` → `__`, `-` → `_0`,
 * an upper-case letter X → `_x`. The result holds only [a-z0-9_].
 */
export function recordTable(formId: string): string {
  let out = 'rec_';
  for (const ch of checkFormId(formId)) {
    if (ch === '_') out += '__';
    else if (ch === '-') out += '_0';
    else if (ch >= 'A' && ch <= 'Z') out += `_${ch.toLowerCase()}`;
    else out += ch;
  }
  return out;
}

const COLUMNS: Record<SystemField, string> = {
  id: 'id', createdAt: 'created_at', updatedAt: 'updated_at', createdBy: 'created_by', status: 'status', formVersion: 'form_version',
};

/** Whether a system column can hold NULL (matters for keyset pagination). */
export function nullableColumn(column: SystemField): boolean {
  return column === 'createdBy';
}

/**
 * SQL expression of a field's scalar value. The data form must be exactly
 * what the expression indexes use (sync-indexes.ts), or SQLite ignores them.
 */
export function valueExpr(path: FieldPath): string {
  if (path.source === 'system') return COLUMNS[path.column];
  return `data->>'$.${checkFieldKey(path.key)}'`;
}

/** SQL expression of a data field's JSON text (arrays and objects included). */
export function jsonExpr(key: string): string {
  return `data->'$.${checkFieldKey(key)}'`;
}
