import { ITERATOR_OPERATORS } from '../engine/logic-guard.js';
import type { Logic } from '../schema/logic.js';

/** A field as the designer names it: a top-level key, or a field of a sub-table. */
export type FieldRef = { key: string; table?: undefined } | { table: string; key: string };

/** Parses "amount" or "lines.qty". */
export function parseFieldRef(path: string): FieldRef {
  const dot = path.indexOf('.');
  return dot < 0 ? { key: path } : { table: path.slice(0, dot), key: path.slice(dot + 1) };
}

/** Where an expression is evaluated: over the record, or over one row of a sub-table (row formulas). */
export type LogicLevel = { row?: undefined } | { row: string };

// operators that read one column of a sub-table: [rows, "key"]
const COLUMN_OPS = new Set(['sumOf', 'avgOf', 'maxOf', 'minOf', 'countOf']);
const ITERATORS = new Set(ITERATOR_OPERATORS);
const MAX_DEPTH = 200;

interface Ctx {
  /** inside an iterator body over `{"var": table}`; '?' when the list is not a plain field */
  table: string | null;
  reduce: boolean;
}

function plainVar(x: unknown): string | null {
  if (x === null || typeof x !== 'object' || Array.isArray(x)) return null;
  const keys = Object.keys(x);
  if (keys.length !== 1 || keys[0] !== 'var') return null;
  const raw = (x as { var: unknown }).var;
  const p = Array.isArray(raw) ? raw[0] : raw;
  return typeof p === 'string' ? p : null;
}

function replaceSegment(path: string, index: number, to: string): string {
  const segs = path.split('.');
  segs[index] = to;
  return segs.join('.');
}

/**
 * Finds (and, given `to`, renames) the references an expression makes to one field.
 * Knows variable paths (`amount`, `lines.0.qty`, `$parent.rate` in a row), column
 * operators (`sumOf: [{var: lines}, "qty"]`) and iterator bodies over a sub-table
 * (`map: [{var: lines}, {var: qty}]`, reduce's `current.qty`).
 */
export function rewriteRefs(logic: Logic, target: FieldRef, level: LogicLevel, to?: string): { logic: Logic; hits: number } {
  let hits = 0;
  const hit = (renamed: string, original: string): string => {
    hits++;
    return to === undefined ? original : renamed;
  };
  const onVar = (path: string, ctx: Ctx): string => {
    const segs = path.split('.');
    if (ctx.table !== null) {
      // an element of the list: only a sub-table's own column, read in record-level logic
      if (level.row !== undefined || target.table === undefined || ctx.table !== target.table) return path;
      const i = ctx.reduce ? (segs[0] === 'current' ? 1 : -1) : 0;
      return i >= 0 && segs[i] === target.key ? hit(replaceSegment(path, i, to ?? ''), path) : path;
    }
    if (level.row === undefined) {
      if (target.table === undefined) return segs[0] === target.key ? hit(replaceSegment(path, 0, to ?? ''), path) : path;
      return segs[0] === target.table && /^\d+$/.test(segs[1] ?? '') && segs[2] === target.key ? hit(replaceSegment(path, 2, to ?? ''), path) : path;
    }
    if (target.table === undefined) return segs[0] === '$parent' && segs[1] === target.key ? hit(replaceSegment(path, 1, to ?? ''), path) : path;
    return target.table === level.row && segs[0] === target.key ? hit(replaceSegment(path, 0, to ?? ''), path) : path;
  };

  const walk = (x: unknown, ctx: Ctx, depth: number): unknown => {
    if (depth > MAX_DEPTH || x === null || typeof x !== 'object') return x;
    if (Array.isArray(x)) return x.map((i) => walk(i, ctx, depth + 1));
    const keys = Object.keys(x);
    if (keys.length !== 1) return x;
    const op = keys[0]!;
    const raw = (x as Record<string, unknown>)[op];
    const isArr = Array.isArray(raw);
    const args: unknown[] = isArr ? raw : [raw];
    const sub = (a: unknown, c: Ctx = ctx) => walk(a, c, depth + 1);
    let out: unknown[];
    if (op === 'var') {
      out = [typeof args[0] === 'string' ? onVar(args[0], ctx) : sub(args[0]), ...args.slice(1).map((a) => sub(a))];
    } else if (op === 'missing') {
      const nested = args.length === 1 && Array.isArray(args[0]);
      const names = (nested ? (args[0] as unknown[]) : args).map((n) => (typeof n === 'string' ? onVar(n, ctx) : n));
      out = nested ? [names] : names;
    } else if (op === 'missing_some') {
      out = [args[0], Array.isArray(args[1]) ? args[1].map((n) => (typeof n === 'string' ? onVar(n, ctx) : n)) : args[1]];
    } else if (COLUMN_OPS.has(op) && args.length >= 2 && typeof args[1] === 'string') {
      const table = ctx.table === null && level.row === undefined ? plainVar(args[0]) : null;
      const col = args[1];
      const renamed = table !== null && target.table === table && col === target.key ? hit(to ?? col, col) : col;
      out = [sub(args[0]), renamed, ...args.slice(2).map((a) => sub(a))];
    } else if (ITERATORS.has(op) && args.length >= 2) {
      const table = ctx.table === null ? (plainVar(args[0]) ?? '?') : '?';
      out = [sub(args[0]), sub(args[1], { table, reduce: op === 'reduce' }), ...args.slice(2).map((a) => sub(a))];
    } else {
      out = args.map((a) => sub(a));
    }
    return { [op]: isArr ? out : out[0] };
  };
  const result = walk(logic, { table: null, reduce: false }, 0) as Logic;
  return { logic: to === undefined ? logic : result, hits };
}

/** Whether an expression refers to the field. */
export function logicRefersTo(logic: Logic | undefined, target: FieldRef, level: LogicLevel = {}): boolean {
  return logic !== undefined && rewriteRefs(logic, target, level).hits > 0;
}
