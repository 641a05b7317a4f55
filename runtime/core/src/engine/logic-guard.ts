import { TrellisError, type DefinitionProblem } from '../errors.js';
import type { Logic } from '../schema/logic.js';
import { CUSTOM_OPERATORS } from './logic-ops.js';

/** Bounds on a user-written json-logic expression. */
export const LOGIC_LIMITS = Object.freeze({
  maxDepth: 32,
  /** values of every kind (operations, literals) in one expression */
  maxNodes: 1000,
  maxArrayLength: 200,
  maxStringLength: 10_000,
  /** nesting of map/filter/reduce/all/some/none inside each other's bodies */
  maxIteratorNesting: 2,
});

// json-logic-js 2.0 operators. `method` (calls any JS method) is left out, and
// so is `log`, which writes user data to the server console.
const STANDARD_OPERATORS = [
  '==', '===', '!=', '!==', '>', '>=', '<', '<=', '!!', '!', '%', 'in', 'cat', 'substr',
  '+', '-', '*', '/', 'min', 'max', 'merge', 'var', 'missing', 'missing_some',
  'if', '?:', 'and', 'or', 'map', 'filter', 'reduce', 'all', 'some', 'none',
] as const;

/** Operators a user expression may use: standard json-logic (without `method`, `log`) plus engine/logic-ops.ts. */
export const LOGIC_OPERATORS: readonly string[] = Object.freeze([...STANDARD_OPERATORS, ...CUSTOM_OPERATORS]);

/** Variables `ruleScope` always provides; `checkLogic` accepts them without asking `isKnownVar`. */
export const CONTEXT_VARS: readonly string[] = Object.freeze(['$user', '$now', '$today']);

/** A `var` path: a field key (or `$` context name) followed by dotted keys or indexes. */
export const VAR_PATH_PATTERN = /^\$?[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)*$/;

/** Operators whose second argument is evaluated once per element, with the element as data. */
export const ITERATOR_OPERATORS: readonly string[] = Object.freeze(['map', 'filter', 'reduce', 'all', 'some', 'none']);

export interface CheckLogicOptions {
  /** decides whether a top-level variable (first path segment) exists; unset = any name is accepted */
  isKnownVar?: (name: string) => boolean;
}

const ALLOWED = new Set(LOGIC_OPERATORS);
const ITERATORS = new Set(ITERATOR_OPERATORS);
const FORBIDDEN_SEGMENTS = new Set(['__proto__', 'constructor', 'prototype']);
const MAX_PATH_LENGTH = 200;
const MAX_PROBLEMS = 20;

interface Item {
  value: unknown;
  at: string;
  /** containers (operations, array literals) above this value */
  depth: number;
  /** iterator bodies this value sits in */
  iter: number;
}

function show(s: string): string {
  return JSON.stringify(s.length > 40 ? `${s.slice(0, 40)}…` : s);
}

function isPlainObject(v: object): v is Record<string, unknown> {
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** Own keys of an object, stopping after two: enough to tell "one key" from "more". */
function firstKeys(o: Record<string, unknown>): string[] {
  const keys: string[] = [];
  for (const k in o) {
    if (!Object.hasOwn(o, k)) continue;
    keys.push(k);
    if (keys.length > 1) break;
  }
  return keys;
}

/**
 * Checks an untrusted json-logic expression without evaluating it: size,
 * depth, operators, and every variable path. Iterative, so a 10,000-deep or
 * 1,000,000-wide expression is rejected in constant stack and early.
 * Returns human-readable problems; an empty list means the expression is safe to evaluate.
 */
export function checkLogic(logic: unknown, opts: CheckLogicOptions = {}): string[] {
  const problems: string[] = [];
  const report = (at: string, message: string): void => {
    if (problems.length < MAX_PROBLEMS) problems.push(at ? `${message} (at ${at})` : message);
  };
  const isKnown = opts.isKnownVar;

  const checkPath = (path: unknown, item: Item, op: string): void => {
    if (typeof path !== 'string') {
      report(item.at, `${op} takes a literal string path, not ${path === null ? 'null' : typeof path}`);
      return;
    }
    // inside an iterator body `{"var": ""}` is the current element (e.g. a number of the array)
    if (path === '' && item.iter > 0 && op === 'var') return;
    if (path.length > MAX_PATH_LENGTH || !VAR_PATH_PATTERN.test(path)) {
      report(item.at, `invalid variable path ${show(path)}`);
      return;
    }
    const segments = path.split('.');
    const bad = segments.find((s) => FORBIDDEN_SEGMENTS.has(s));
    if (bad !== undefined) {
      report(item.at, `variable path ${show(path)} may not use "${bad}"`);
      return;
    }
    const first = segments[0] ?? '';
    // inside iterator bodies the data is the element (or {current, accumulator}), not the record
    if (item.iter === 0 && isKnown && !CONTEXT_VARS.includes(first) && !isKnown(first)) {
      report(item.at, `unknown variable "${first}"`);
    }
  };

  const stack: Item[] = [{ value: logic, at: '', depth: 0, iter: 0 }];
  let nodes = 0;
  let depthReported = false;
  while (stack.length > 0) {
    const item = stack.pop() as Item;
    const { value, at } = item;
    if (++nodes > LOGIC_LIMITS.maxNodes) {
      report('', `expression is too large (more than ${LOGIC_LIMITS.maxNodes} parts)`);
      break;
    }
    if (value === null || typeof value === 'boolean') continue;
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) report(at, 'numbers must be finite');
      continue;
    }
    if (typeof value === 'string') {
      if (value.length > LOGIC_LIMITS.maxStringLength) report(at, `text longer than ${LOGIC_LIMITS.maxStringLength} characters`);
      continue;
    }
    if (typeof value !== 'object') {
      report(at, `${typeof value} is not a JSON value`);
      continue;
    }
    const depth = item.depth + 1;
    if (depth > LOGIC_LIMITS.maxDepth) {
      if (!depthReported) report(at, `expression is nested deeper than ${LOGIC_LIMITS.maxDepth} levels`);
      depthReported = true;
      continue;
    }
    if (Array.isArray(value)) {
      if (value.length > LOGIC_LIMITS.maxArrayLength) {
        report(at, `list longer than ${LOGIC_LIMITS.maxArrayLength} items`);
        continue;
      }
      for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i], at: `${at}[${i}]`, depth, iter: item.iter });
      continue;
    }
    if (!isPlainObject(value)) {
      report(at, 'not a plain JSON object');
      continue;
    }
    const keys = firstKeys(value);
    if (keys.length !== 1) {
      report(at, keys.length === 0 ? 'an empty object is not an operation' : `an operation has exactly one key, found "${keys[0]}", "${keys[1]}", …`);
      continue;
    }
    const op = keys[0] as string;
    if (!ALLOWED.has(op)) {
      report(at, `unknown operator ${show(op)}`);
      continue;
    }
    const raw = value[op];
    const args: unknown[] = Array.isArray(raw) ? raw : [raw];
    const opAt = `${at}${at ? '.' : ''}${op}`;
    if (args.length > LOGIC_LIMITS.maxArrayLength) {
      report(opAt, `more than ${LOGIC_LIMITS.maxArrayLength} arguments`);
      continue;
    }
    const here: Item = { value, at: opAt, depth, iter: item.iter };
    const push = (v: unknown, i: number, iter = item.iter): void => {
      stack.push({ value: v, at: `${opAt}[${i}]`, depth, iter });
    };

    if (op === 'var') {
      if (args.length > 2) report(opAt, 'var takes a path and an optional default');
      checkPath(args[0], here, 'var');
      if (args.length === 2) push(args[1], 1);
    } else if (op === 'missing') {
      // json-logic reads these names as variables, so they get the same checks
      const names = args.length === 1 && Array.isArray(args[0]) ? (args[0] as unknown[]) : args;
      if (names.length > LOGIC_LIMITS.maxArrayLength) report(opAt, `more than ${LOGIC_LIMITS.maxArrayLength} names`);
      else for (const n of names) checkPath(n, here, 'missing');
    } else if (op === 'missing_some') {
      const [need, names] = args;
      if (args.length !== 2 || typeof need !== 'number' || !Array.isArray(names)) {
        report(opAt, 'missing_some takes [count, [names…]]');
      } else if (names.length > LOGIC_LIMITS.maxArrayLength) {
        report(opAt, `more than ${LOGIC_LIMITS.maxArrayLength} names`);
      } else {
        for (const n of names) checkPath(n, here, 'missing_some');
      }
    } else if (ITERATORS.has(op)) {
      const arity = op === 'reduce' ? args.length === 2 || args.length === 3 : args.length === 2;
      if (!arity) {
        report(opAt, op === 'reduce' ? 'reduce takes [list, expression, initial?]' : `${op} takes [list, expression]`);
        continue;
      }
      if (item.iter + 1 > LOGIC_LIMITS.maxIteratorNesting) {
        report(opAt, `${op} nested inside more than ${LOGIC_LIMITS.maxIteratorNesting} list operations`);
        continue;
      }
      if (args.length === 3) push(args[2], 2);
      push(args[1], 1, item.iter + 1);
      push(args[0], 0);
    } else {
      for (let i = args.length - 1; i >= 0; i--) push(args[i], i);
    }
  }
  return problems;
}

/**
 * Throws INVALID_DEFINITION when `checkLogic` finds problems; each becomes a
 * DefinitionProblem whose path is `where` (e.g. `rules[0].visible`).
 */
export function assertLogic(logic: unknown, where: string, opts?: CheckLogicOptions): asserts logic is Logic {
  const problems = checkLogic(logic, opts);
  if (problems.length === 0) return;
  const details: { problems: DefinitionProblem[] } = {
    problems: problems.map((message) => ({ path: where, code: 'INVALID_LOGIC', message })),
  };
  throw new TrellisError('INVALID_DEFINITION', `Invalid expression at ${where}: ${problems[0]}`, details);
}
