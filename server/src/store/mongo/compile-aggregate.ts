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
 * Operators used (all supported by MongoDB ≥ 4.0 and by mingo 7):
 * `$match`, `$group`, `$sort`, `$sum`, `$avg`, `$min`, `$max`, `$ifNull`,
 * `$cond`, `$eq`, `$type`, `$substrCP`, `$concat`, `$switch`, `$lte`,
 * `$dateFromString` (format, onError, onNull), `$dateToString` ('%G-W%V').
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
  if (m.op === 'count') return { $sum: 1 };
  if (!m.path) throw new TrellisError('INVALID_QUERY', `Metric ${m.op} needs a field`);
  // $sum/$avg skip non-numbers ($sum of none is 0, $avg of none null); $min/$max skip null and missing
  return { [`$${m.op}`]: `$${fieldName(m.path)}` };
}

function groupExpr(path: FieldPath, bucket: Bucket | null): unknown {
  const value = `$${fieldName(path)}`;
  if (!bucket) return { $ifNull: [value, null] };
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
      // ISO week-numbering year and week of the UTC calendar date; a string that is no date gives null
      expr = {
        $dateToString: {
          format: '%G-W%V',
          date: { $dateFromString: { dateString: cut(10), format: '%Y-%m-%d', onError: null, onNull: null } },
          onNull: null,
        },
      };
      break;
    default:
      throw new TrellisError('INVALID_QUERY', `Unknown bucket ${String(bucket)}`);
  }
  // $substrCP of null or missing is "" in MongoDB: only strings are bucketed, anything else groups as null
  return { $cond: [{ $eq: [{ $type: value }, 'string'] }, expr, null] };
}

function groupValue(v: unknown): string | number | boolean | null {
  if (v === undefined || v === null) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  // arrays and objects are not groupable; keep the row readable rather than failing the whole answer
  return JSON.stringify(v);
}

function metricValue(m: NormMetric, v: unknown): number | null {
  if (m.op === 'count' || m.op === 'sum') return typeof v === 'number' ? v : 0;
  return typeof v === 'number' ? v : null;
}
