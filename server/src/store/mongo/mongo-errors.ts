import { TrellisError } from '@trellis/core';

/**
 * Prefixes of the per-field index names in a form's `records_<formId>`
 * collection: `f_<fieldKey>` serves filters and sorts, `u_<fieldKey>` enforces
 * a unique field. syncIndexes owns every index with these prefixes.
 */
export const INDEX_PREFIX = 'f_';
export const UNIQUE_PREFIX = 'u_';

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

export function isDuplicateKey(e: unknown): e is Record<string, unknown> {
  return isObject(e) && (e.code === 11000 || e.code === 11001);
}

/** The record field a duplicate-key error is about, from its key pattern or, failing that, its index name. */
export function duplicateField(e: Record<string, unknown>): string | null {
  if (isObject(e.keyPattern)) {
    const key = Object.keys(e.keyPattern).find((k) => k.startsWith('data.'));
    if (key) return key.slice('data.'.length);
  }
  const match = /index: u_([A-Za-z][A-Za-z0-9_]*) dup key/.exec(String(e.message ?? e.errmsg ?? ''));
  return match?.[1] ?? null;
}

/** Maps E11000 on a record to UNIQUE_VIOLATION (or CONFLICT for a reused id); rethrows anything else. */
export function rethrowDuplicate(e: unknown, what: string): never {
  if (isDuplicateKey(e)) {
    const field = duplicateField(e);
    if (field) throw new TrellisError('UNIQUE_VIOLATION', `Value of "${field}" must be unique`, { field });
    throw new TrellisError('CONFLICT', `${what} already exists`);
  }
  throw e;
}
