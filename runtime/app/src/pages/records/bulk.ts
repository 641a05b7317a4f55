// Bulk edit of selected records: which fields the list offers to set, how the typed value
// becomes the stored one, and why a record could not be changed (POST …/records/bulk-update).
import { fieldType, type Field, type FormDefinition } from '@trellis/core';
import type { Msg } from '../../lib/i18n';
import type { FormPermissions } from '../../ui/types';

export interface BulkFailure {
  id: string;
  status: number;
  code: string;
  message: string;
  fields?: { field: string; message?: Msg | string }[];
}
export interface BulkUpdateReply {
  updated: { id: string; version: number }[];
  failed: BulkFailure[];
}
export interface BulkDeleteReply {
  deleted: string[];
  failed: BulkFailure[];
}

/** field types set with a plain input here; others (sub-tables, files, pickers, links…) are not offered */
export const BULK_TYPES = new Set(['text', 'textarea', 'number', 'money', 'select', 'date', 'datetime', 'checkbox']);

/** fields the caller may set in every record: not hidden, not read-only, not computed, of a type offered here */
export function bulkFields(def: FormDefinition, perms: FormPermissions | undefined): Field[] {
  if (!perms?.actions.includes('edit')) return [];
  const closed = new Set([...perms.hidden, ...perms.readOnly]);
  return def.fields.filter((f) => BULK_TYPES.has(f.type) && !closed.has(f.key) && !fieldType(f.type).facts(f).computed);
}

/** the typed value as the field stores it (empty clears the field); throws when a number is not one */
export function bulkValue(field: Field, text: string, checked: boolean): unknown {
  if (field.type === 'checkbox') return checked;
  if (text.trim() === '') return null;
  if (field.type === 'number' || field.type === 'money') {
    const n = Number(text);
    if (!Number.isFinite(n)) throw new Error('number');
    return n;
  }
  if (field.type === 'datetime') return new Date(text).toISOString();
  return text;
}

/** why one record was not changed, for the person */
export function failureReason(f: BulkFailure, t: (m: Msg) => string, fieldLabel: (key: string) => string): string {
  if (f.status === 404) return t({ en: 'not found, or not among the records you may see', zh: '未找到，或不在您可查看的记录中' });
  if (f.status === 403) return t({ en: 'you may not change this record', zh: '您无权修改此记录' });
  if (f.status === 422 && f.fields?.length) {
    return f.fields.map((e) => `${fieldLabel(e.field)}: ${typeof e.message === 'string' ? e.message : e.message ? t(e.message) : ''}`).join('; ');
  }
  if (f.status === 409) return t({ en: 'conflict', zh: '冲突' }) + ` (${f.message})`;
  return f.message;
}
