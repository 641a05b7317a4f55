import { TrellisError, type CursorPosition, type NormSort, type Scalar } from '@trellis/core';
import { assertSafeQuery } from './compile-filter.js';
import { fieldName, literal, type MongoDoc } from './mongo-field.js';

export interface CompiledSort {
  /** `[field, 1 | -1]` pairs in order, ending with `_id`; pass to `find().sort()` */
  sort: [string, 1 | -1][];
  /** condition selecting the rows after the cursor, or null for the first page */
  after: MongoDoc | null;
}

interface Key {
  name: string;
  dir: 1 | -1;
  /** index of this key's value in the cursor */
  index: number;
}

/**
 * Compiles a normalized sort (plus an `_id` tie-breaker in the direction of
 * the last key) and the keyset condition for `after`.
 *
 * Null and missing order first ascending and last descending, which is
 * MongoDB's own order (null is the lowest BSON value and missing sorts as
 * null), so a plain `find().sort()` gives the embedded store's order without
 * helper keys. The keyset condition follows the same rule: after a non-null
 * value in a descending key come the smaller values and then the nulls; after
 * a null in an ascending key come all non-null values.
 */
export function compileSort(sort: readonly NormSort[], after: CursorPosition | null): CompiledSort {
  const keys: Key[] = [];
  sort.forEach((s, index) => {
    const name = fieldName(s.path);
    // a repeated key adds nothing to the order (the first occurrence decides)
    if (!keys.some((k) => k.name === name)) keys.push({ name, dir: s.dir === 'desc' ? -1 : 1, index });
  });
  const lastDir = keys.at(-1)?.dir ?? 1;
  const pairs: [string, 1 | -1][] = keys.map((k) => [k.name, k.dir]);
  if (!keys.some((k) => k.name === '_id')) pairs.push(['_id', lastDir]);
  if (!after) return { sort: pairs, after: null };

  if (!Array.isArray(after.values) || after.values.length !== sort.length || typeof after.id !== 'string') {
    throw new TrellisError('INVALID_QUERY', 'The cursor does not fit this sort');
  }
  const values = after.values.map(literal);
  const id = literal(after.id);
  const branches: MongoDoc[] = [];
  const equalSoFar: MongoDoc[] = [];
  for (const k of keys) {
    const v = values[k.index] as Scalar;
    const beyond = beyondCondition(k.name, k.dir, v);
    if (beyond) branches.push(and([...equalSoFar, beyond]));
    equalSoFar.push({ [k.name]: { $eq: v } });
  }
  branches.push(and([...equalSoFar, { _id: { [lastDir === 1 ? '$gt' : '$lt']: id } }]));
  const condition: MongoDoc = branches.length === 1 ? (branches[0] as MongoDoc) : { $or: branches };
  assertSafeQuery(condition);
  return { sort: pairs, after: condition };
}

// Rows strictly after `v` in this key's order, or null when none can be.
function beyondCondition(name: string, dir: 1 | -1, v: Scalar): MongoDoc | null {
  if (dir === 1) return v === null ? { [name]: { $ne: null } } : { [name]: { $gt: v } };
  if (v === null) return null;
  return { $or: [{ [name]: { $lt: v } }, { [name]: { $eq: null } }] };
}

function and(items: MongoDoc[]): MongoDoc {
  return items.length === 1 ? (items[0] as MongoDoc) : { $and: items };
}
