import { TrellisError, type Bucket, type NormAggregateQuery, type NormGroup, type NormMetric } from '@trellis/core';
import { compileFilter, type SqlPart } from './compile-filter.js';
import { valueExpr } from './sql-names.js';

/** Group key of a bucketed date ("YYYY-MM-DD") or UTC datetime string; NULL stays NULL. */
export function bucketExpr(x: string, bucket: Bucket): string {
  switch (bucket) {
    case 'day': return `substr(${x}, 1, 10)`;
    case 'week': return `strftime('%G-W%V', substr(${x}, 1, 10))`;
    case 'month': return `substr(${x}, 1, 7)`;
    case 'quarter': return `(substr(${x}, 1, 4) || '-Q' || ((CAST(substr(${x}, 6, 2) AS INTEGER) + 2) / 3))`;
    case 'year': return `substr(${x}, 1, 4)`;
  }
}

function groupExpr(g: NormGroup): string {
  const x = valueExpr(g.path);
  if (!g.bucket) return x;
  if (g.path.storage !== 'date' && g.path.storage !== 'datetime') {
    throw new TrellisError('INVALID_QUERY', `A ${g.bucket} bucket needs a date field`, { field: g.alias });
  }
  return bucketExpr(x, g.bucket);
}

function metricExpr(m: NormMetric): string {
  if (m.op === 'count') return m.path ? `count(${valueExpr(m.path)})` : 'count(*)';
  if (!m.path) throw new TrellisError('INVALID_QUERY', `Metric ${m.op} needs a field`, { metric: m.alias });
  const x = valueExpr(m.path);
  // total() is 0.0 over no values where sum() would be NULL
  return m.op === 'sum' ? `total(${x})` : `${m.op}(${x})`;
}

/** SQL of an aggregate over `table`: columns g0…gn then m0…mk, rows ordered by the groups (NULL first). */
export function compileAggregate(table: string, q: NormAggregateQuery): SqlPart {
  const where = compileFilter(q.filter);
  const cols = [
    ...q.groupBy.map((g, i) => `${groupExpr(g)} AS g${i}`),
    ...q.metrics.map((m, i) => `${metricExpr(m)} AS m${i}`),
  ];
  let sql = `SELECT ${cols.join(', ')} FROM ${table} WHERE ${where.sql}`;
  if (q.groupBy.length > 0) {
    const ords = q.groupBy.map((_, i) => String(i + 1)).join(', ');
    sql += ` GROUP BY ${ords} ORDER BY ${ords}`;
  }
  return { sql, params: where.params };
}
