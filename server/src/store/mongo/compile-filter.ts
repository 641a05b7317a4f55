import { TrellisError, type FieldPath, type NormFilter, type Scalar } from '@trellis/core';
import { fieldName, literal, literals, type MongoDoc } from './mongo-field.js';

/** Matches no document: every record has an `_id`, and `$in: []` holds none. */
export const MATCH_NONE: MongoDoc = { _id: { $in: [] } };

/**
 * Compiles a normalized filter into a MongoDB query document over record
 * documents. Every user value sits behind an explicit operator (`$eq`, `$in`,
 * …) and passes `literal`, so a value such as `{"$gt": ""}` can never act as
 * an operator. Logic is two-valued like the embedded store: `not` is the exact
 * complement (`$nor`), so `not(amount > 5)` matches records without an amount.
 */
export function compileFilter(filter: NormFilter): MongoDoc {
  const doc = compile(filter);
  assertSafeQuery(doc);
  return doc;
}

function compile(f: NormFilter): MongoDoc {
  switch (f.kind) {
    case 'true':
      return {};
    case 'false':
      return MATCH_NONE;
    case 'and':
      return f.items.length === 0 ? {} : { $and: f.items.map(compile) };
    case 'or':
      return f.items.length === 0 ? MATCH_NONE : { $or: f.items.map(compile) };
    case 'not':
      return { $nor: [compile(f.item)] };
    case 'cmp':
      return compileCmp(f.path, f.op, literal(f.value));
    case 'in': {
      // `$nin` also matches a missing value, which counts as "none of them"; `$in: [null]` matches missing like eq null.
      const values = literals(f.values);
      return { [fieldName(f.path)]: f.negate ? { $nin: values } : { $in: values } };
    }
    case 'text': {
      const value = literal(f.value);
      if (typeof value !== 'string') throw new TrellisError('INVALID_QUERY', 'Text search needs a string');
      // `$regex` only matches strings, so null, missing and numbers never match, as in the embedded store;
      // `$not: {$type: 'array'}` stops MongoDB from matching an array through its elements
      const pattern = (f.mode === 'startsWith' ? '^' : '') + escapeRegex(value);
      return { [fieldName(f.path)]: { $regex: pattern, $options: 'i', $not: { $type: 'array' } } };
    }
    case 'has':
      return compileHas(f.path, f.mode, literals(f.values));
    case 'empty': {
      const empty = emptyCondition(fieldName(f.path));
      return f.negate ? { $nor: [empty] } : empty;
    }
    default:
      return unreachable(f);
  }
}

function compileCmp(path: FieldPath, op: 'eq' | 'ne' | 'gt' | 'gte' | 'lt' | 'lte', value: Scalar): MongoDoc {
  const name = fieldName(path);
  switch (op) {
    case 'eq':
      // `$eq: null` matches null and a missing field.
      return { [name]: { $eq: value } };
    case 'ne':
      // the complement of eq: `$ne: v` matches missing and null; `$ne: null` matches present, non-null values
      return { [name]: { $ne: value } };
    default:
      // ordered comparisons never match null or missing; MongoDB's `$lte: null` would match both, so a null bound matches nothing
      if (value === null) return MATCH_NONE;
      return { [name]: { [`$${op}`]: value } };
  }
}

// Only a stored array holds values: `$type: 'array'` keeps MongoDB from treating a scalar as a one-element array.
function compileHas(path: FieldPath, mode: 'any' | 'all' | 'none', values: Scalar[]): MongoDoc {
  const name = fieldName(path);
  switch (mode) {
    case 'any':
      return { [name]: { $type: 'array', $in: values } };
    case 'all':
      // "contains all of nothing" holds for every record; MongoDB's `$all: []` would match none
      return values.length === 0 ? {} : { [name]: { $type: 'array', $all: values } };
    case 'none':
      // missing, null, [] and non-arrays contain none of the values
      return { $nor: [{ [name]: { $type: 'array', $in: values } }] };
    default:
      return unreachable(mode);
  }
}

// Missing, null, '' or []. The `$not: {$type: 'array'}` keeps `$in` from matching arrays
// through their elements (MongoDB reads `{f: null}` as "f is null or contains null").
function emptyCondition(name: string): MongoDoc {
  return {
    $or: [{ [name]: { $in: [null, ''], $not: { $type: 'array' } } }, { [name]: { $size: 0 } }],
  };
}

export function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function unreachable(x: never): never {
  throw new TrellisError('INVALID_QUERY', `Unsupported query part ${JSON.stringify(x)}`);
}

// ---- defensive check of compiled output ----

const LOGICAL = new Set(['$and', '$or', '$nor']);
const FIELD_NAME = /^(?:_id|createdAt|updatedAt|createdBy|status|formVersion|data\.[A-Za-z][A-Za-z0-9_]{0,63})$/;

function isScalar(v: unknown): boolean {
  return v === null || typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));
}

function bad(what: string): never {
  throw new TrellisError('INTERNAL', `Unsafe MongoDB query: ${what}`);
}

/**
 * Walks a compiled query document and throws unless every key is a known
 * field or an operator this folder emits, and every operand is a scalar (or a
 * list of scalars). A second line of defence behind `literal`.
 */
export function assertSafeQuery(doc: unknown): void {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) bad('query is not a document');
  for (const [key, value] of Object.entries(doc)) {
    if (LOGICAL.has(key)) {
      if (!Array.isArray(value)) bad(`${key} needs a list`);
      value.forEach(assertSafeQuery);
    } else if (FIELD_NAME.test(key)) {
      assertFieldCondition(value);
    } else {
      bad(`key "${key}"`);
    }
  }
}

function assertFieldCondition(cond: unknown): void {
  if (typeof cond !== 'object' || cond === null || Array.isArray(cond)) bad('field condition is not an operator document');
  for (const [op, operand] of Object.entries(cond)) {
    switch (op) {
      case '$eq': case '$ne': case '$gt': case '$gte': case '$lt': case '$lte':
        if (!isScalar(operand)) bad(`${op} operand`);
        break;
      case '$in': case '$nin': case '$all':
        if (!Array.isArray(operand) || !operand.every(isScalar)) bad(`${op} operand`);
        break;
      case '$regex':
        if (typeof operand !== 'string') bad('$regex operand');
        break;
      case '$options':
        if (operand !== 'i') bad('$options operand');
        break;
      case '$type':
        if (operand !== 'array') bad('$type operand');
        break;
      case '$size':
        if (operand !== 0) bad('$size operand');
        break;
      case '$not':
        assertFieldCondition(operand);
        break;
      default:
        bad(`operator "${op}"`);
    }
  }
}
