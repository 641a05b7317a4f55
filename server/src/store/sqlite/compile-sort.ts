import { TrellisError, type CursorPosition, type NormSort } from '@trellis/core';
import { bindScalar, type SqlParam, type SqlPart } from './compile-filter.js';
import { nullableColumn, valueExpr } from './sql-names.js';

interface Key {
  expr: string;
  dir: 'asc' | 'desc';
  nullable: boolean;
}

function keysOf(sort: NormSort[]): Key[] {
  const keys: Key[] = sort.map((s) => ({
    expr: valueExpr(s.path),
    dir: s.dir,
    nullable: s.path.source === 'data' || nullableColumn(s.path.column),
  }));
  // id in the direction of the last key breaks ties
  keys.push({ expr: 'id', dir: sort.length > 0 ? sort[sort.length - 1]!.dir : 'asc', nullable: false });
  return keys;
}

/** ORDER BY clause; SQLite's NULL-is-smallest gives nulls first in asc and last in desc. */
export function compileOrderBy(sort: NormSort[]): string {
  return keysOf(sort).map((k) => `${k.expr} ${k.dir === 'asc' ? 'ASC' : 'DESC'}`).join(', ');
}

/**
 * Keyset condition for rows strictly after `after` in `sort` order. When all
 * keys run one way and none can be NULL, a row-value comparison lets SQLite
 * seek the index; otherwise the expanded OR form handles NULL positions.
 */
export function compileAfter(sort: NormSort[], after: CursorPosition): SqlPart {
  if (after.values.length !== sort.length) throw new TrellisError('INVALID_QUERY', 'Cursor does not fit the sort', {});
  const keys = keysOf(sort);
  const values: SqlParam[] = [...after.values.map(bindScalar), after.id];
  const oneWay = keys.every((k) => k.dir === keys[0]!.dir);
  const noNulls = values.every((v) => v !== null);
  if (oneWay && noNulls && (keys[0]!.dir === 'asc' || keys.every((k) => !k.nullable))) {
    // asc: a NULL key sorts before any value, and the row comparison yields NULL (false) exactly there
    const op = keys[0]!.dir === 'asc' ? '>' : '<';
    return { sql: `(${keys.map((k) => k.expr).join(', ')}) ${op} (${keys.map(() => '?').join(', ')})`, params: values };
  }
  const ors: string[] = [];
  const params: SqlParam[] = [];
  for (let i = 0; i < keys.length; i++) {
    const ands: string[] = [];
    const p: SqlParam[] = [];
    for (let j = 0; j < i; j++) {
      if (values[j] === null) ands.push(`${keys[j]!.expr} IS NULL`);
      else { ands.push(`${keys[j]!.expr} = ?`); p.push(values[j]!); }
    }
    const k = keys[i]!;
    const v = values[i]!;
    if (k.dir === 'asc') {
      if (v === null) ands.push(`${k.expr} IS NOT NULL`);
      else { ands.push(`${k.expr} > ?`); p.push(v); }
    } else if (v === null) {
      continue; // nothing sorts after NULL in desc order
    } else {
      ands.push(k.nullable ? `(${k.expr} < ? OR ${k.expr} IS NULL)` : `${k.expr} < ?`);
      p.push(v);
    }
    ors.push(ands.length === 1 ? ands[0]! : `(${ands.join(' AND ')})`);
    params.push(...p);
  }
  return { sql: ors.length === 0 ? '0' : `(${ors.join(' OR ')})`, params };
}
