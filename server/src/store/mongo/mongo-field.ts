import { TrellisError, type FieldPath, type Scalar } from '@trellis/core';

/** A MongoDB query or expression document, built only by the compilers in this folder. */
export type MongoDoc = Record<string, unknown>;

// Record documents, one collection per form (`records_<formId>`):
// `{ _id, formVersion, version, data: {...}, createdBy, createdAt, updatedAt, status }`.
const SYSTEM_COLUMNS: Record<string, string> = {
  id: '_id',
  createdAt: 'createdAt',
  updatedAt: 'updatedAt',
  createdBy: 'createdBy',
  status: 'status',
  formVersion: 'formVersion',
};

// Field keys are `^[A-Za-z][A-Za-z0-9_]*$` by the form schema; checked again here because a key
// starting with `$` or holding `.` would change what the compiled document means to MongoDB.
const SAFE_KEY = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

export function assertSafeDataKey(key: string): void {
  if (!SAFE_KEY.test(key)) throw new TrellisError('INVALID_QUERY', `Field key "${key}" cannot be stored in MongoDB`, { field: key });
}

/** Dotted document path of a field: `_id`, a system column, or `data.<key>`. */
export function fieldName(path: FieldPath): string {
  if (path.source === 'system') {
    const column = SYSTEM_COLUMNS[path.column];
    if (!column) throw new TrellisError('INVALID_QUERY', `Unknown system field "${path.column}"`);
    return column;
  }
  assertSafeDataKey(path.key);
  return `data.${path.key}`;
}

/** A value that goes into an operand position: only a JSON scalar, never an object that MongoDB could read as an operator. */
export function literal(value: unknown): Scalar {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  throw new TrellisError('INVALID_QUERY', 'Query values must be strings, finite numbers, booleans or null');
}

export function literals(values: readonly unknown[]): Scalar[] {
  if (!Array.isArray(values)) throw new TrellisError('INVALID_QUERY', 'Expected a list of values');
  return values.map(literal);
}
