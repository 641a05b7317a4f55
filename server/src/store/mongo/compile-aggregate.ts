import { TrellisError, type AggregateRow, type Bucket, type FieldPath, type NormAggregateQuery, type NormMetric } from '@trellis/core';
import { compileFilter } from './compile-filter.js';
import { fieldName, type MongoDoc } from './mongo-field.js';

export interface CompiledAggregate {
  /** `$match` + `$group` (+ `$sort`) over record documents */
  pipeline: MongoDoc[];
  /** turns the pipeline's output into rows keyed by the query's aliases */
  toRows(docs: readonly MongoDoc[]): AggregateRow[];
}

/**
 * Compiles a normalized aggregate into a pipeline that gives the embedded
 * store's rows: groups and metrics get positional names (`g0`, `m0`) so no
 * alias ever becomes a MongoDB field name; a missing group value is null;
 * date buckets are cut from the stored UTC strings; sum of no numbers is 0,
 * avg/min/max of nothing null; rows are sorted by group values ascending,
 * nulls first (MongoDB's own order). Without groupBy there is always one row.
 *
 * Operators used (all supported by MongoDB ≥ 4.4 and by mingo 7):
 * `$match`, `$group`, `$sort`, `$sum`, `$avg`, `$min`, `$max`, `$ifNull`,
 * `$cond`, `$eq`, `$in`, `$type`, `$isNumber`, `$substrCP`, `$concat`, `$switch`, `$lte`,
 * `$let`, `$add`, `$multiply`, `$subtract`, `$isoDayOfWeek`,
 * `$dateFromString` (format, onError, onNull), `$dateToString` ('%Y', '%V').
 */
export function compileAggregate(query: NormAggregateQuery): CompiledAggregate {
  const group: MongoDoc = {
    _id: query.groupBy.length === 0 ? null : Object.fromEntries(query.groupBy.map((g, i) => [`g${i}`, groupExpr(g.path, g.bucket)])),
  };
  query.metrics.forEach((m, i) => {
    group[`m${i}`] = accumulator(m);
  });
  const pipeline: MongoDoc[] = [{ $match: compileFilter(query.filter) }, { $group: group }];
  if (query.groupBy.length > 0) {
    pipeline.push({ $sort: Object.fromEntries(query.groupBy.map((_, i) => [`_id.g${i}`, 1])) });
  }

  const toRows = (docs: readonly MongoDoc[]): AggregateRow[] => {
    // $group emits nothing for no input; the embedded store answers one row of zero counts
    const source: readonly MongoDoc[] = docs.length === 0 && query.groupBy.length === 0 ? [{ _id: null }] : docs;
    return source.map((doc) => {
      const id = (doc._id ?? {}) as MongoDoc;
      const row: AggregateRow = { group: {}, values: {} };
      query.groupBy.forEach((g, i) => {
        row.group[g.alias] = groupValue(id[`g${i}`]);
      });
      query.metrics.forEach((m, i) => {
        row.values[m.alias] = metricValue(m, doc[`m${i}`]);
      });
      return row;
    });
  };
  return { pipeline, toRows };
}

function accumulator(m: NormMetric): MongoDoc {
  if (m.op === 'count' && !m.path) return { $sum: 1 };
  if (!m.path) throw new TrellisError('INVALID_QUERY', `Metric ${m.op} needs a field`);
  const value = `$${fieldName(m.path)}`;
  switch (m.op) {
    case 'count':
      // counts records whose value is present and not null
      return { $sum: { $cond: [{ $eq: [{ $ifNull: [value, null] }, null] }, 0, 1] } };
    case 'sum':
    case 'avg':
      // both skip non-numbers: $sum of none is 0, $avg of none null
      return { [`$${m.op}`]: value };
    case 'min':
    case 'max':
      // only numbers take part (BSON order would let a string win $max); of none, null
      return { [`$${m.op}`]: { $cond: [{ $isNumber: value }, value, null] } };
    default:
      throw new TrellisError('INVALID_QUERY', `Unknown metric ${String(m.op)}`);
  }
}

const DAY_MS = 86_400_000;
const SCALAR_TYPES = ['string', 'double', 'int', 'long', 'decimal', 'bool'];

function groupExpr(path: FieldPath, bucket: Bucket | null): unknown {
  const value = `$${fieldName(path)}`;
  // missing, arrays and objects group as null; scalars as themselves
  const scalar = { $cond: [{ $in: [{ $type: value }, SCALAR_TYPES] }, value, null] };
  if (!bucket) return scalar;
  const cut = (n: number) => ({ $substrCP: [value, 0, n] });
  let expr: unknown;
  switch (bucket) {
    case 'day':
      expr = cut(10);
      break;
    case 'month':
      expr = cut(7);
      break;
    case 'year':
      expr = cut(4);
      break;
    case 'quarter': {
      // the two month digits compare as strings: '01'..'03' → Q1 and so on
      const month = { $substrCP: [value, 5, 2] };
      expr = {
        $concat: [
          cut(4),
          '-Q',
          {
            $switch: {
              branches: [
                { case: { $lte: [month, '03'] }, then: '1' },
                { case: { $lte: [month, '06'] }, then: '2' },
                { case: { $lte: [month, '09'] }, then: '3' },
              ],
              default: '4',
            },
          },
        ],
      };
      break;
    }
    case 'week':
      // ISO week of the UTC calendar date: the week number is '%V'; the week-numbering year is the
      // calendar year of that week's Thursday (computed by hand: mingo's '%G' and $isoWeekYear give the
      // calendar year). A string that is no date gives null.
      expr = {
        $let: {
          vars: { day: { $dateFromString: { dateString: cut(10), format: '%Y-%m-%d', onError: null, onNull: null } } },
          in: {
            $cond: [
              { $eq: ['$$day', null] },
              null,
              {
                $concat: [
                  { $dateToString: { format: '%Y', date: { $add: ['$$day', { $multiply: [{ $subtract: [4, { $isoDayOfWeek: '$$day' }] }, DAY_MS] }] } } },
                  '-W',
                  { $dateToString: { format: '%V', date: '$$day' } },
                ],
              },
            ],
          },
        },
      };
      break;
    default:
      throw new TrellisError('INVALID_QUERY', `Unknown bucket ${String(bucket)}`);
  }
  // $substrCP of null or missing is "" in MongoDB: only strings are bucketed
  return { $cond: [{ $eq: [{ $type: value }, 'string'] }, expr, scalar] };
}

function groupValue(v: unknown): string | number | boolean | null {
  if (v === undefined || v === null) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  // a Decimal128 or Long written by another client
  const n = Number(String(v));
  return Number.isFinite(n) ? n : null;
}

function metricValue(m: NormMetric, v: unknown): number | null {
  if (m.op === 'count' || m.op === 'sum') return typeof v === 'number' ? v : 0;
  return typeof v === 'number' ? v : null;
}
