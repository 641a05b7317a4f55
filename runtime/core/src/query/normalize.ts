import { TrellisError } from '../errors.js';
import { fieldFacts, type FieldFacts } from '../fields/field-facts.js';
import type { Field, FormDefinition } from '../schema/form.js';
import { decodeCursor } from './cursor.js';
import type { FieldPath, NormAggregateQuery, NormFilter, NormGroup, NormListQuery, NormMetric, NormSort, Scalar } from './normalized.js';
import {
  BUCKETS, DEFAULT_PAGE, FILTER_OPS, MAX_PAGE, METRIC_OPS, RELATIVE_DATES, SYSTEM_FIELDS,
  type Bucket, type FilterOp, type MetricOp, type SystemField,
} from './query.js';
import { isRelativeDate, localMidnight, parseDate, parseDateTime, relativeRange } from './relative-date.js';

/** When a query runs: relative dates and bare dates on datetime fields are read at `now` in `timeZone` (UTC when unset). */
export interface QueryContext {
  now: Date;
  timeZone?: string;
}

/** A list query as a user sends it; every part is checked by `normalizeListQuery`. */
export interface ListQueryInput {
  filter?: unknown;
  sort?: unknown;
  limit?: unknown;
  cursor?: unknown;
  count?: unknown;
}

/** Bounds on a user filter, sort and aggregate. */
export const QUERY_LIMITS = Object.freeze({
  filterDepth: 8,
  filterConditions: 200,
  /** and/or/not nodes plus conditions */
  filterNodes: 400,
  listValues: 500,
  textSearchLength: 200,
  valueLength: 1000,
  sortKeys: 5,
  groupBy: 3,
  metrics: 10,
});

type CmpOp = 'eq' | 'ne' | 'gt' | 'gte' | 'lt' | 'lte';

const TRUE: NormFilter = { kind: 'true' };
const FALSE: NormFilter = { kind: 'false' };
const NUMERIC_RE = /^\s*-?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/;
const ALIAS_RE = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

function invalid(message: string, details?: Record<string, unknown>): TrellisError {
  return new TrellisError('INVALID_QUERY', message, details);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

// echoes user input in messages, short and without serialising whatever was sent
function show(v: unknown): string {
  if (v === null || typeof v !== 'object') {
    const s = String(v);
    return s.length > 64 ? `${s.slice(0, 64)}…` : s;
  }
  return Array.isArray(v) ? '[list]' : '{object}';
}

function checkKeys(o: Record<string, unknown>, allowed: readonly string[], what: string): void {
  for (const k of Object.keys(o)) {
    if (!allowed.includes(k)) throw invalid(`Unknown key "${show(k)}" in ${what}`, { key: show(k) });
  }
}

// facts of system fields, built from the same table as data fields
const stub = (type: Field['type']): FieldFacts => fieldFacts({ key: 'x', type, label: '' });
const ARRAY_FACTS = stub('multiselect');
const SYSTEM_FACTS: Record<SystemField, FieldFacts> = {
  id: { ...stub('link'), ops: ['eq', 'ne', 'in', 'nin'], sortable: false, groupable: false, computed: true },
  createdAt: { ...stub('datetime'), computed: true },
  updatedAt: { ...stub('datetime'), computed: true },
  createdBy: { ...stub('member'), computed: true },
  status: { ...stub('text'), computed: true },
  formVersion: { ...stub('number'), metrics: ['count', 'min', 'max'], computed: true },
};

/**
 * The storage path and query facts of a field name: a system field
 * (SYSTEM_FIELDS) or a top-level field of the form. A lookup through a
 * multiple link holds an array. Unknown names are INVALID_QUERY.
 */
export function resolveFieldPath(def: FormDefinition, name: string): { path: FieldPath; facts: FieldFacts } {
  if (typeof name !== 'string' || name === '') throw invalid('A field name is required', { field: show(name) });
  if ((SYSTEM_FIELDS as readonly string[]).includes(name)) {
    const column = name as SystemField;
    const facts = SYSTEM_FACTS[column];
    return { path: { source: 'system', column, storage: facts.storage }, facts };
  }
  const field = def.fields.find((f) => f.key === name);
  if (!field) throw invalid(`Unknown field "${show(name)}"`, { field: show(name) });
  let facts = fieldFacts(field);
  if (field.type === 'lookup' && field.link) {
    const link = def.fields.find((f) => f.key === field.link);
    if (link?.multiple) facts = { ...ARRAY_FACTS, computed: true };
  }
  return { path: { source: 'data', key: field.key, storage: facts.storage }, facts };
}

/** A filter that matches every record / no record. */
export const MATCH_ALL: NormFilter = TRUE;
export const MATCH_NONE: NormFilter = FALSE;

/** Conjunction of normalized filters, simplified (a `false` part makes it `false`). */
export function andFilters(items: NormFilter[]): NormFilter {
  return and(items);
}

/** Disjunction of normalized filters, simplified (a `true` part makes it `true`). */
export function orFilters(items: NormFilter[]): NormFilter {
  return or(items);
}

function and(items: NormFilter[]): NormFilter {
  const out: NormFilter[] = [];
  for (const it of items) {
    if (it.kind === 'false') return FALSE;
    if (it.kind !== 'true') out.push(it);
  }
  if (out.length === 0) return TRUE;
  return out.length === 1 ? (out[0] as NormFilter) : { kind: 'and', items: out };
}

function or(items: NormFilter[]): NormFilter {
  const out: NormFilter[] = [];
  for (const it of items) {
    if (it.kind === 'true') return TRUE;
    if (it.kind !== 'false') out.push(it);
  }
  if (out.length === 0) return FALSE;
  return out.length === 1 ? (out[0] as NormFilter) : { kind: 'or', items: out };
}

function not(item: NormFilter): NormFilter {
  if (item.kind === 'true') return FALSE;
  if (item.kind === 'false') return TRUE;
  if (item.kind === 'not') return item.item;
  return { kind: 'not', item };
}

function isRelative(v: unknown): v is { relative: unknown } {
  return isPlainObject(v) && Object.keys(v).length === 1 && Object.hasOwn(v, 'relative');
}

/** Builds the filter of one condition on a resolved field. */
class ConditionBuilder {
  constructor(
    private readonly name: string,
    private readonly path: FieldPath,
    private readonly ctx: QueryContext,
  ) {}

  private fail(message: string): TrellisError {
    return invalid(message, { field: this.name });
  }

  /** One plain value, checked and converted for the field's storage. Objects and arrays never pass. */
  scalar(value: unknown): Scalar {
    const { storage } = this.path;
    if (value === undefined) throw this.fail(`A value is required for "${this.name}"`);
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      throw this.fail(`The value for "${this.name}" must be a plain string, number or boolean`);
    }
    if (typeof value === 'string' && value.length > QUERY_LIMITS.valueLength) {
      throw this.fail(`The value for "${this.name}" is longer than ${QUERY_LIMITS.valueLength} characters`);
    }
    switch (storage) {
      case 'number': {
        if (typeof value === 'number' && Number.isFinite(value)) return value;
        if (typeof value === 'string' && NUMERIC_RE.test(value)) {
          const n = Number(value);
          if (Number.isFinite(n)) return n;
        }
        throw this.fail(`"${this.name}" needs a number`);
      }
      case 'boolean':
        if (typeof value === 'boolean') return value;
        throw this.fail(`"${this.name}" needs true or false`);
      case 'date':
        if (typeof value === 'string' && parseDate(value)) return value;
        throw this.fail(`"${this.name}" needs a date "YYYY-MM-DD"`);
      case 'datetime': {
        if (typeof value === 'string') {
          if (parseDate(value)) return localMidnight(value, this.ctx.timeZone).toISOString();
          const ms = parseDateTime(value);
          if (ms !== null) return new Date(ms).toISOString();
        }
        throw this.fail(`"${this.name}" needs a date-time with a zone, e.g. "2026-11-27T09:00:00Z", or a date "YYYY-MM-DD"`);
      }
      case 'text':
      case 'ref':
        if (typeof value === 'string') return value;
        if (typeof value === 'number' && Number.isFinite(value)) return String(value);
        throw this.fail(`"${this.name}" needs text`);
      case 'array':
        if (typeof value === 'number' && !Number.isFinite(value)) throw this.fail(`"${this.name}" needs finite numbers`);
        return value;
      case 'json':
        throw this.fail(`"${this.name}" can only be tested for empty or not empty`);
    }
  }

  list(value: unknown, allowScalar: boolean): Scalar[] {
    const items = Array.isArray(value) ? value : allowScalar ? [value] : null;
    if (!items) throw this.fail(`The value for "${this.name}" must be a list`);
    if (items.length > QUERY_LIMITS.listValues) throw this.fail(`The list for "${this.name}" has more than ${QUERY_LIMITS.listValues} values`);
    return [...new Set(items.map((v) => this.scalar(v)))];
  }

  cmp(op: CmpOp, value: unknown): NormFilter {
    if (isRelative(value)) return this.relative(op, value.relative);
    if (value === null) {
      if (op === 'eq' || op === 'ne') return { kind: 'cmp', path: this.path, op, value: null };
      throw this.fail(`"${op}" on "${this.name}" needs a value, not null`);
    }
    return { kind: 'cmp', path: this.path, op, value: this.scalar(value) };
  }

  relative(op: CmpOp, rel: unknown): NormFilter {
    const { storage } = this.path;
    if (storage !== 'date' && storage !== 'datetime') throw this.fail(`Relative dates apply only to date fields, not "${this.name}"`);
    if (!isRelativeDate(rel)) {
      throw this.fail(`Unknown relative date "${show(rel)}": use one of ${RELATIVE_DATES.join(', ')}, or lastNDays / nextNDays (N from 1 to 3660)`);
    }
    const r = relativeRange(rel, this.ctx.now, this.ctx.timeZone);
    const [lo, hi] = storage === 'date' ? [r.startDate, r.endDate] : [r.startInstant, r.endInstant];
    const at = (o: CmpOp, value: string): NormFilter => ({ kind: 'cmp', path: this.path, op: o, value });
    switch (op) {
      case 'eq': return and([at('gte', lo), at('lt', hi)]);
      // "outside the range" includes records with no value, as nin does
      case 'ne': return not(and([at('gte', lo), at('lt', hi)]));
      case 'gt': return at('gte', hi);
      case 'gte': return at('gte', lo);
      case 'lt': return at('lt', lo);
      case 'lte': return at('lt', hi);
    }
  }

  build(op: FilterOp, value: unknown): NormFilter {
    const path = this.path;
    if (op === 'empty' || op === 'notEmpty') {
      if (value !== undefined && value !== null) throw this.fail(`"${op}" takes no value`);
      return { kind: 'empty', path, negate: op === 'notEmpty' };
    }
    if (path.storage === 'array') {
      const mode = op === 'eq' || op === 'in' ? 'any' : op === 'ne' || op === 'nin' ? 'none' : 'all';
      const values = this.list(value, true);
      if (values.length === 0) return mode === 'any' ? FALSE : TRUE;
      return { kind: 'has', path, mode, values };
    }
    switch (op) {
      case 'eq': case 'ne': case 'gt': case 'gte': case 'lt': case 'lte':
        return this.cmp(op, value);
      case 'in': case 'nin': {
        const values = this.list(value, false);
        if (values.length === 0) return op === 'in' ? FALSE : TRUE;
        return { kind: 'in', path, values, negate: op === 'nin' };
      }
      case 'between': {
        if (!Array.isArray(value) || value.length !== 2) throw this.fail(`"between" on "${this.name}" takes [low, high]`);
        return and([this.cmp('gte', value[0]), this.cmp('lte', value[1])]);
      }
      case 'contains': case 'startsWith': {
        if (typeof value !== 'string' || value === '' || value.length > QUERY_LIMITS.textSearchLength) {
          throw this.fail(`"${op}" on "${this.name}" takes text of 1 to ${QUERY_LIMITS.textSearchLength} characters`);
        }
        return { kind: 'text', path, mode: op, value };
      }
    }
  }
}

/**
 * Checks a user filter against the form and turns it into a NormFilter.
 * Nothing unchecked passes: unknown keys, fields and operators, operators the
 * field does not take, and any object or array where a plain value belongs
 * (`{"$gt": ""}`) are INVALID_QUERY.
 */
export function normalizeFilter(filter: unknown, def: FormDefinition, ctx: QueryContext): NormFilter {
  if (filter === undefined || filter === null) return TRUE;
  let nodes = 0;
  let conditions = 0;

  // recursion is bounded by filterDepth, checked before descending
  const walk = (node: unknown, depth: number): NormFilter => {
    if (depth > QUERY_LIMITS.filterDepth) throw invalid(`The filter is nested deeper than ${QUERY_LIMITS.filterDepth} levels`);
    if (++nodes > QUERY_LIMITS.filterNodes) throw invalid(`The filter has more than ${QUERY_LIMITS.filterNodes} parts`);
    if (!isPlainObject(node)) throw invalid('A filter is an object: {"and": […]}, {"or": […]}, {"not": …} or {"field", "op", "value"}');
    for (const group of ['and', 'or'] as const) {
      if (!Object.hasOwn(node, group)) continue;
      checkKeys(node, [group], `an "${group}" filter`);
      const items = node[group];
      if (!Array.isArray(items)) throw invalid(`"${group}" takes a list of filters`);
      if (items.length > QUERY_LIMITS.filterConditions) throw invalid(`"${group}" has more than ${QUERY_LIMITS.filterConditions} items`);
      const out = items.map((it: unknown) => walk(it, depth + 1));
      return group === 'and' ? and(out) : or(out);
    }
    if (Object.hasOwn(node, 'not')) {
      checkKeys(node, ['not'], 'a "not" filter');
      return not(walk(node.not, depth + 1));
    }
    checkKeys(node, ['field', 'op', 'value'], 'a filter condition');
    if (++conditions > QUERY_LIMITS.filterConditions) throw invalid(`The filter has more than ${QUERY_LIMITS.filterConditions} conditions`);
    const { field, op } = node;
    if (typeof field !== 'string') throw invalid('A filter condition needs "field"');
    if (typeof op !== 'string' || !(FILTER_OPS as readonly string[]).includes(op)) {
      throw invalid(`Unknown operator "${show(op)}"`, { field, op: show(op) });
    }
    const { path, facts } = resolveFieldPath(def, field);
    if (!facts.ops.includes(op as FilterOp)) {
      throw invalid(`Operator "${op}" does not apply to field "${field}" (${facts.storage})`, { field, op });
    }
    return new ConditionBuilder(field, path, ctx).build(op as FilterOp, node.value);
  };
  return walk(filter, 1);
}

function defaultSort(): NormSort[] {
  return [{ path: { source: 'system', column: 'createdAt', storage: 'datetime' }, dir: 'desc' }];
}

/**
 * Checks a user sort: at most 5 sortable fields, no duplicates, and never
 * `id` (adapters add it as the tie-breaker). Empty or missing = newest first.
 */
export function normalizeSort(sort: unknown, def: FormDefinition): NormSort[] {
  if (sort === undefined || sort === null) return defaultSort();
  if (!Array.isArray(sort)) throw invalid('"sort" takes a list of {"field", "dir"}');
  if (sort.length === 0) return defaultSort();
  if (sort.length > QUERY_LIMITS.sortKeys) throw invalid(`"sort" takes at most ${QUERY_LIMITS.sortKeys} fields`);
  const seen = new Set<string>();
  return sort.map((item: unknown): NormSort => {
    if (!isPlainObject(item)) throw invalid('Each sort entry is {"field", "dir"}');
    checkKeys(item, ['field', 'dir'], 'a sort entry');
    const { field, dir = 'asc' } = item;
    if (typeof field !== 'string') throw invalid('A sort entry needs "field"');
    if (field === 'id') throw invalid('Sorting by "id" is not allowed: every sort already ends with it', { field });
    const { path, facts } = resolveFieldPath(def, field);
    if (!facts.sortable) throw invalid(`Field "${field}" cannot be sorted`, { field });
    if (dir !== 'asc' && dir !== 'desc') throw invalid(`Sort direction must be "asc" or "desc"`, { field });
    if (seen.has(field)) throw invalid(`Field "${field}" appears twice in "sort"`, { field });
    seen.add(field);
    return { path, dir };
  });
}

function pageLimit(limit: unknown): number {
  if (limit === undefined || limit === null) return DEFAULT_PAGE;
  const n = typeof limit === 'string' && /^\d{1,6}$/.test(limit) ? Number(limit) : limit;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > MAX_PAGE) {
    throw invalid(`"limit" must be a whole number from 1 to ${MAX_PAGE}`);
  }
  return n;
}

/** Checks a list query: filter, sort, page size (default DEFAULT_PAGE, at most MAX_PAGE), cursor and count. */
export function normalizeListQuery(q: ListQueryInput | undefined, def: FormDefinition, ctx: QueryContext): NormListQuery {
  const input: unknown = q ?? {};
  if (!isPlainObject(input)) throw invalid('A list query is an object');
  checkKeys(input, ['filter', 'sort', 'limit', 'cursor', 'count'], 'a list query');
  const filter = normalizeFilter(input.filter, def, ctx);
  const sort = normalizeSort(input.sort, def);
  const limit = pageLimit(input.limit);
  const { cursor, count } = input;
  let after = null;
  if (cursor !== undefined && cursor !== null && cursor !== '') {
    if (typeof cursor !== 'string') throw invalid('"cursor" must be a string');
    after = decodeCursor(cursor, sort);
  }
  if (count !== undefined && typeof count !== 'boolean') throw invalid('"count" must be true or false');
  return { filter, sort, limit, after, count: count === true };
}

/**
 * Checks an aggregate: up to 3 groupable group-by fields (time buckets only on
 * date and datetime fields) and 1–10 metrics whose field takes the metric.
 * Metric aliases are `as`, else "count" or `${op}_${field}`, and must be unique.
 */
export function normalizeAggregate(q: unknown, def: FormDefinition, ctx: QueryContext): NormAggregateQuery {
  if (!isPlainObject(q)) throw invalid('An aggregate query is an object');
  checkKeys(q, ['filter', 'groupBy', 'metrics'], 'an aggregate query');
  const filter = normalizeFilter(q.filter, def, ctx);

  const groupInput = q.groupBy ?? [];
  if (!Array.isArray(groupInput)) throw invalid('"groupBy" takes a list of {"field", "bucket"}');
  if (groupInput.length > QUERY_LIMITS.groupBy) throw invalid(`"groupBy" takes at most ${QUERY_LIMITS.groupBy} fields`);
  const groupAliases = new Set<string>();
  const groupBy = groupInput.map((g: unknown): NormGroup => {
    if (!isPlainObject(g)) throw invalid('Each groupBy entry is {"field", "bucket"}');
    checkKeys(g, ['field', 'bucket'], 'a groupBy entry');
    if (typeof g.field !== 'string') throw invalid('A groupBy entry needs "field"');
    const field = g.field;
    const { path, facts } = resolveFieldPath(def, field);
    if (!facts.groupable) throw invalid(`Field "${field}" cannot be grouped by`, { field });
    let bucket: Bucket | null = null;
    if (g.bucket !== undefined && g.bucket !== null) {
      if (typeof g.bucket !== 'string' || !(BUCKETS as readonly string[]).includes(g.bucket)) {
        throw invalid(`Unknown bucket "${show(g.bucket)}": use one of ${BUCKETS.join(', ')}`, { field });
      }
      if (path.storage !== 'date' && path.storage !== 'datetime') throw invalid(`Time buckets apply only to date fields, not "${field}"`, { field });
      bucket = g.bucket as Bucket;
    }
    if (groupAliases.has(field)) throw invalid(`Field "${field}" appears twice in "groupBy"`, { field });
    groupAliases.add(field);
    return { path, bucket, alias: field };
  });

  const metricInput = q.metrics;
  if (!Array.isArray(metricInput) || metricInput.length === 0) throw invalid('"metrics" takes a list of at least one {"op", "field", "as"}');
  if (metricInput.length > QUERY_LIMITS.metrics) throw invalid(`"metrics" takes at most ${QUERY_LIMITS.metrics} entries`);
  const aliases = new Set<string>();
  const metrics = metricInput.map((m: unknown): NormMetric => {
    if (!isPlainObject(m)) throw invalid('Each metric is {"op", "field", "as"}');
    checkKeys(m, ['op', 'field', 'as'], 'a metric');
    const { op, field, as } = m;
    if (typeof op !== 'string' || !(METRIC_OPS as readonly string[]).includes(op)) {
      throw invalid(`Unknown metric "${show(op)}": use one of ${METRIC_OPS.join(', ')}`);
    }
    const metric = op as MetricOp;
    let path: FieldPath | null = null;
    if (field !== undefined && field !== null) {
      if (typeof field !== 'string') throw invalid('A metric "field" is a field name');
      const resolved = resolveFieldPath(def, field);
      if (!resolved.facts.metrics.includes(metric)) throw invalid(`Metric "${metric}" does not apply to field "${field}"`, { field });
      path = resolved.path;
    } else if (metric !== 'count') {
      throw invalid(`Metric "${metric}" needs a field`);
    }
    if (as !== undefined && (typeof as !== 'string' || !ALIAS_RE.test(as))) throw invalid(`Metric name "${show(as)}" must be letters, digits and _`);
    const alias = typeof as === 'string' ? as : path ? `${metric}_${String(field)}` : 'count';
    if (aliases.has(alias)) throw invalid(`Two metrics are named "${alias}": give one an "as"`, { alias });
    aliases.add(alias);
    return { op: metric, path, alias };
  });

  return { filter, groupBy, metrics };
}
