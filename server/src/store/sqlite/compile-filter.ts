import { TrellisError, type FieldPath, type NormFilter, type Scalar } from '@trellis/core';
import { jsonExpr, valueExpr } from './sql-names.js';

/** A bound SQL parameter (better-sqlite3 takes no booleans). */
export type SqlParam = string | number | null;

export interface SqlPart {
  sql: string;
  params: SqlParam[];
}

/** JSON booleans read back through `->>` as 1/0, so bind them that way. */
export function bindScalar(v: Scalar): SqlParam {
  return typeof v === 'boolean' ? (v ? 1 : 0) : v;
}

// LIKE is case-insensitive for ASCII; wildcards in the user's text must stay literal
function likePattern(text: string, mode: 'contains' | 'startsWith'): string {
  const escaped = text.replace(/[\\%_]/g, (c) => `\\${c}`);
  return mode === 'contains' ? `%${escaped}%` : `${escaped}%`;
}

function placeholders(n: number): string {
  return new Array<string>(n).fill('?').join(', ');
}

function emptyExpr(path: FieldPath): string {
  if (path.source === 'system') return `(${valueExpr(path)} IS NULL OR ${valueExpr(path)} = '')`;
  // `->` yields the JSON text: missing/null → NULL or 'null'; "" → '""'; [] → '[]'
  return `coalesce(${jsonExpr(path.key)}, 'null') IN ('null', '""', '[]')`;
}

function arraySource(path: FieldPath): string {
  if (path.source === 'system') throw new TrellisError('INVALID_QUERY', `"${path.column}" is not an array field`, { field: path.column });
  valueExpr(path); // validates the key before it is spliced
  return `json_each(data, '$.${path.key}')`;
}

/**
 * Compiles a filter to a WHERE expression. Negation is pushed down to the
 * leaves, where it is written out with explicit NULL handling: SQL's NOT of
 * a NULL comparison is NULL, but `not` must be the exact complement (a
 * missing value is "not greater than 5"). Positive leaves stay plain
 * comparisons so expression indexes apply.
 */
export function compileFilter(filter: NormFilter, negate = false): SqlPart {
  switch (filter.kind) {
    case 'true': return { sql: negate ? '0' : '1', params: [] };
    case 'false': return { sql: negate ? '1' : '0', params: [] };
    case 'not': return compileFilter(filter.item, !negate);
    case 'and':
    case 'or': {
      const isAnd = (filter.kind === 'and') !== negate;
      if (filter.items.length === 0) return { sql: isAnd ? '1' : '0', params: [] };
      const parts = filter.items.map((i) => compileFilter(i, negate));
      if (parts.length === 1) return parts[0]!;
      return { sql: `(${parts.map((p) => p.sql).join(isAnd ? ' AND ' : ' OR ')})`, params: parts.flatMap((p) => p.params) };
    }
    case 'cmp': {
      const x = valueExpr(filter.path);
      const { op, value } = filter;
      if (op === 'eq' || op === 'ne') {
        const wantEqual = (op === 'eq') !== negate;
        if (value === null) return { sql: `${x} IS ${wantEqual ? '' : 'NOT '}NULL`, params: [] };
        return wantEqual
          ? { sql: `${x} = ?`, params: [bindScalar(value)] }
          : { sql: `(${x} IS NULL OR ${x} <> ?)`, params: [bindScalar(value)] };
      }
      const sqlOp = { gt: '>', gte: '>=', lt: '<', lte: '<=' }[op];
      if (value === null) return { sql: negate ? '1' : '0', params: [] };
      return negate
        ? { sql: `(${x} IS NULL OR NOT (${x} ${sqlOp} ?))`, params: [bindScalar(value)] }
        : { sql: `${x} ${sqlOp} ?`, params: [bindScalar(value)] };
    }
    case 'in': {
      const x = valueExpr(filter.path);
      const nonNull = filter.values.filter((v) => v !== null);
      const hasNull = nonNull.length < filter.values.length;
      const params = nonNull.map(bindScalar);
      const want = filter.negate === negate; // true: value must be among the values
      if (want) {
        const inList = nonNull.length > 0 ? `${x} IN (${placeholders(nonNull.length)})` : '0';
        return { sql: hasNull ? `(${inList} OR ${x} IS NULL)` : inList, params };
      }
      const notIn = nonNull.length > 0 ? `${x} NOT IN (${placeholders(nonNull.length)})` : '1';
      return { sql: hasNull ? `(${x} IS NOT NULL AND ${notIn})` : `(${x} IS NULL OR ${notIn})`, params };
    }
    case 'text': {
      const x = valueExpr(filter.path);
      const params = [likePattern(filter.value, filter.mode)];
      return negate
        ? { sql: `(${x} IS NULL OR NOT (${x} LIKE ? ESCAPE '\\'))`, params }
        : { sql: `${x} LIKE ? ESCAPE '\\'`, params };
    }
    case 'has': {
      const values = [...new Set(filter.values)];
      if (values.length === 0) {
        // any of nothing: never; all of nothing: always; none of nothing: always
        const always = filter.mode !== 'any';
        return { sql: always !== negate ? '1' : '0', params: [] };
      }
      const src = arraySource(filter.path);
      const inList = `value IN (${placeholders(values.length)})`;
      const params = values.map(bindScalar);
      if (filter.mode === 'all') {
        return { sql: `(SELECT count(DISTINCT value) FROM ${src} WHERE ${inList}) ${negate ? '<' : '='} ${values.length}`, params };
      }
      const exists = (filter.mode === 'any') !== negate;
      return { sql: `${exists ? '' : 'NOT '}EXISTS (SELECT 1 FROM ${src} WHERE ${inList})`, params };
    }
    case 'empty': {
      const e = emptyExpr(filter.path);
      return { sql: filter.negate !== negate ? `NOT ${e}` : e, params: [] };
    }
  }
}
