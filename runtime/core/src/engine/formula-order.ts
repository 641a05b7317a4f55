import type { Field, SubField } from '../schema/form.js';
import { logicVars } from './logic.js';

/**
 * Orders the formula fields of one level (a form's top-level fields, or the
 * fields of one sub-table row) so each comes after the formulas it reads.
 * `cyclic` lists the formulas that sit on (or behind) a cycle; they are left out of `order`.
 */
export function orderFormulas(fields: readonly (Field | SubField)[]): { order: string[]; cyclic: string[] } {
  const formulas = new Map<string, string[]>();
  for (const f of fields) if (f.type === 'formula') formulas.set(f.key, []);
  for (const f of fields) {
    if (f.type !== 'formula' || f.formula === undefined) continue;
    formulas.set(f.key, [...new Set(logicVars(f.formula))].filter((v) => formulas.has(v)));
  }
  const order: string[] = [];
  const cyclic: string[] = [];
  const state = new Map<string, 'visiting' | 'done' | 'bad'>();
  const visit = (key: string): boolean => {
    const s = state.get(key);
    if (s === 'done') return true;
    if (s === 'visiting' || s === 'bad') return false;
    state.set(key, 'visiting');
    let good = true;
    for (const dep of formulas.get(key) ?? []) if (!visit(dep)) good = false;
    state.set(key, good ? 'done' : 'bad');
    (good ? order : cyclic).push(key);
    return good;
  };
  for (const key of formulas.keys()) visit(key);
  return { order, cyclic };
}
