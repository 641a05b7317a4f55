import type { FieldError, FormDefinition, RecordData } from '@trellis/core';
import { fieldType } from '@trellis/core';
import { ApiError } from '../../lib/api';

/** Field errors in a failed submit: a 422's per-field details, or the field a unique index refused. */
export function fieldErrorsOf(err: unknown): FieldError[] {
  if (!(err instanceof ApiError)) return [];
  if (err.status === 422) return err.fieldErrors;
  const field = (err.details as { field?: unknown } | undefined)?.field;
  if (err.code === 'UNIQUE_VIOLATION' && typeof field === 'string') {
    return [{ field, code: 'unique', message: { en: 'Another record already has this value.', zh: '已有其他记录使用了此值。' } }];
  }
  return [];
}

/**
 * An edit is a patch over the stored data: fields the user emptied are sent as null so they are
 * cleared, except those the user may not change (computed, read-only, locked by permission).
 */
export function editPatch(def: FormDefinition, previous: RecordData, data: RecordData, locked: ReadonlySet<string>): RecordData {
  const out: RecordData = { ...data };
  for (const f of def.fields) {
    if (f.key in out || previous[f.key] === undefined) continue;
    if (fieldType(f.type).computed || f.readOnly || locked.has(f.key)) continue;
    out[f.key] = null;
  }
  return out;
}
