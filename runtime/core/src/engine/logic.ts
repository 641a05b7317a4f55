import jsonLogic, { type AdditionalOperation, type RulesLogic } from 'json-logic-js';
import type { EvalContext, RecordData } from '../record.js';
import type { Logic } from '../schema/logic.js';
import { localDate } from '../query/relative-date.js';
import { CUSTOM_OPERATIONS } from './logic-ops.js';
import { ITERATOR_OPERATORS } from './logic-guard.js';

// registered once for the process (or page): json-logic-js keeps one global operator table
for (const [name, fn] of Object.entries(CUSTOM_OPERATIONS)) jsonLogic.add_operation(name, fn);

/**
 * Evaluates a json-logic expression over `data`. Run `checkLogic` on
 * user-written logic first (definitions are checked when saved); this never
 * throws on user data: an error inside evaluation gives null, and so does a
 * number that is not finite (division by zero).
 */
export function applyLogic(logic: Logic, data: object): unknown {
  try {
    const out: unknown = jsonLogic.apply(logic as RulesLogic<AdditionalOperation>, data);
    return typeof out === 'number' && !Number.isFinite(out) ? null : out;
  } catch {
    return null;
  }
}

/** json-logic truthiness: like JavaScript, except that an empty array is false. */
export function truthy(v: unknown): boolean {
  if (Array.isArray(v)) return v.length > 0;
  return Boolean(v);
}

/** What a rule or formula sees: the record data plus `$user`, `$now` (ISO) and `$today` (YYYY-MM-DD in the context's zone). */
export function ruleScope(data: RecordData, ctx: EvalContext): Record<string, unknown> {
  return { ...data, $user: ctx.user, $now: ctx.now.toISOString(), $today: localDate(ctx.now, ctx.timeZone) };
}

const ITERATORS = new Set(ITERATOR_OPERATORS);
// logicVars may see unchecked logic (e.g. while a designer edits): bound the walk rather than trust it
const MAX_WALK = 10_000;

/**
 * First path segments of the variables an expression reads from the record
 * (`lines` for `lines.0.qty`, `$user` for `$user.id`), in order of first use,
 * without duplicates. Variables inside map/filter/reduce/all/some/none bodies
 * name the element, not the record, and are left out. Names read by
 * `missing`/`missing_some` count as variables.
 */
export function logicVars(logic: unknown): string[] {
  const found = new Set<string>();
  const add = (path: unknown): void => {
    if (typeof path === 'string' && path !== '') found.add(path.split('.')[0] as string);
  };
  const stack: unknown[] = [logic];
  let seen = 0;
  while (stack.length > 0 && seen++ < MAX_WALK) {
    const node = stack.pop();
    if (node === null || typeof node !== 'object') continue;
    if (Array.isArray(node)) {
      for (let i = node.length - 1; i >= 0; i--) stack.push(node[i]);
      continue;
    }
    const keys = Object.keys(node);
    if (keys.length !== 1) continue; // a literal object, not an operation
    const op = keys[0] as string;
    const raw: unknown = (node as Record<string, unknown>)[op];
    const args: unknown[] = Array.isArray(raw) ? raw : [raw];
    if (op === 'var') {
      add(args[0]);
      if (args.length > 1) stack.push(args[1]);
    } else if (op === 'missing') {
      const names = args.length === 1 && Array.isArray(args[0]) ? (args[0] as unknown[]) : args;
      for (const n of names) add(n);
    } else if (op === 'missing_some') {
      if (Array.isArray(args[1])) for (const n of args[1] as unknown[]) add(n);
    } else if (ITERATORS.has(op)) {
      // args[1] is the body; the list and reduce's initial value read the record
      if (args.length > 2) stack.push(args[2]);
      stack.push(args[0]);
    } else {
      for (let i = args.length - 1; i >= 0; i--) stack.push(args[i]);
    }
  }
  return [...found];
}
