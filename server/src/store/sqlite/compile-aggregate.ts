import { TrellisError, type Bucket, type NormAggregateQuery, type NormGroup, type NormMetric } from '@trellis/core';
import { compileFilter, type SqlPart } from './compile-filter.js';
import { HASH_AGG_FN, type HashAggSpec } from './hash-aggregate.js';
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

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const MONTH = /^\d{4}-\d{2}$/;

/** ISO 8601 week "YYYY-Www" of a day "YYYY-MM-DD" (what strftime('%G-W%V') gives); null when not a day. */
export function isoWeekOf(day: string): string | null {
  if (!DAY.test(day)) return null;
  const d = new Date(`${day}T00:00:00.000Z`);
  if (Number.isNaN(d.getTime())) return null;
  const weekday = (d.getUTCDay() + 6) % 7;
  const thursday = new Date(d.getTime() + (3 - weekday) * 86_400_000);
  const year = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / 86_400_000 / 7) + 1;
  return `${String(year).padStart(4, '0')}-W${String(week).padStart(2, '0')}`;
}

// hash path: group by a cheap prefix of the date string in SQL, then bucket each distinct prefix once in JS
function hashGroup(g: NormGroup): { expr: string; rekey: HashAggSpec['rekey'][number] } {
  if (!g.bucket) return { expr: valueExpr(g.path), rekey: null };
  groupExpr(g); // checks that the field takes a bucket
  const x = valueExpr(g.path);
  switch (g.bucket) {
    case 'week':
      return { expr: `substr(${x}, 1, 10)`, rekey: (k) => (typeof k === 'string' ? isoWeekOf(k) : null) };
    case 'quarter':
      return {
        expr: `substr(${x}, 1, 7)`,
        rekey: (k) => (typeof k === 'string' && MONTH.test(k) ? `${k.slice(0, 4)}-Q${Math.floor((Number(k.slice(5, 7)) + 2) / 3)}` : null),
      };
    default:
      return { expr: bucketExpr(x, g.bucket), rekey: null };
  }
}

/**
 * SQL for the hash-grouping path (hash-aggregate.ts): one call of the
 * aggregate over the filtered rows, passing group keys then each distinct
 * metric expression once.
 */
export function compileHashAggregate(table: string, q: NormAggregateQuery): SqlPart & { spec: HashAggSpec } {
  const where = compileFilter(q.filter);
  const groups = q.groupBy.map(hashGroup);
  const metricArgs: string[] = [];
  const metrics: HashAggSpec['metrics'] = q.metrics.map((m) => {
    if (m.op !== 'count' && !m.path) throw new TrellisError('INVALID_QUERY', `Metric ${m.op} needs a field`, { metric: m.alias });
    if (!m.path) return { op: m.op, arg: null };
    const expr = valueExpr(m.path);
    let arg = metricArgs.indexOf(expr);
    if (arg < 0) arg = metricArgs.push(expr) - 1;
    return { op: m.op, arg };
  });
  const args = [...groups.map((g) => g.expr), ...metricArgs];
  // an aggregate needs at least one argument to be called per row
  if (args.length === 0) args.push('NULL');
  return {
    sql: `SELECT ${HASH_AGG_FN}(${args.join(', ')}) AS rows FROM ${table} WHERE ${where.sql}`,
    params: where.params,
    spec: { groups: q.groupBy.length, metrics, rekey: groups.map((g) => g.rekey) },
  };
}
