import type { Bucket, MetricOp, SystemField } from './query.js';

/**
 * The checked, adapter-ready form of a query. `normalizeFilter` and friends
 * (query/normalize.ts) turn a user's filter, sort and aggregate into these
 * shapes; store adapters compile only these, so every value in them is a
 * plain scalar and every field is known.
 */

/** How a value is kept in the store, which decides how it compares and sorts. */
export type StorageType =
  | 'text' // string, compared case-sensitively, contains/startsWith case-insensitive
  | 'number' // JSON number
  | 'boolean'
  | 'date' // "YYYY-MM-DD" string
  | 'datetime' // ISO 8601 UTC string "YYYY-MM-DDTHH:mm:ss.sssZ"
  | 'ref' // an id string (member, department, single link)
  | 'array' // array of scalars (multiselect, multiple links/members/departments)
  | 'json'; // anything else (sub-table rows, files, address): only empty/notEmpty

export type Scalar = string | number | boolean | null;

export type FieldPath =
  | { source: 'system'; column: SystemField; storage: StorageType }
  | { source: 'data'; key: string; storage: StorageType };

export type NormFilter =
  | { kind: 'true' }
  | { kind: 'false' }
  | { kind: 'and'; items: NormFilter[] }
  | { kind: 'or'; items: NormFilter[] }
  | { kind: 'not'; item: NormFilter }
  /** scalar comparison; a missing or null value never matches gt/gte/lt/lte, and eq null matches missing */
  | { kind: 'cmp'; path: FieldPath; op: 'eq' | 'ne' | 'gt' | 'gte' | 'lt' | 'lte'; value: Scalar }
  /** value is one of `values` (negate: none of them; a missing value counts as "none of them") */
  | { kind: 'in'; path: FieldPath; values: Scalar[]; negate: boolean }
  /** case-insensitive substring or prefix on a text value */
  | { kind: 'text'; path: FieldPath; mode: 'contains' | 'startsWith'; value: string }
  /** array field: contains any / all / none of `values` */
  | { kind: 'has'; path: FieldPath; mode: 'any' | 'all' | 'none'; values: Scalar[] }
  /** empty: missing, null, "" or []; negate for notEmpty */
  | { kind: 'empty'; path: FieldPath; negate: boolean };

export interface NormSort {
  path: FieldPath;
  dir: 'asc' | 'desc';
}

/** Keyset position after which the next page starts: the last row's sort values and id. */
export interface CursorPosition {
  values: Scalar[];
  id: string;
}

export interface NormListQuery {
  filter: NormFilter;
  /** always ends with no id key: adapters add `id` in the direction of the last key as the tie-breaker */
  sort: NormSort[];
  limit: number;
  after: CursorPosition | null;
  count: boolean;
}

export interface NormGroup {
  path: FieldPath;
  bucket: Bucket | null;
  /** key of this group in `AggregateRow.group` (the field key) */
  alias: string;
}

export interface NormMetric {
  op: MetricOp;
  path: FieldPath | null; // null only for count
  /** key of this metric in `AggregateRow.values`: `as`, else "count" or `${op}_${field}` */
  alias: string;
}

export interface NormAggregateQuery {
  filter: NormFilter;
  groupBy: NormGroup[];
  metrics: NormMetric[];
}
