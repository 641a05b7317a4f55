import { LOGIC_OPERATORS } from '../engine/logic-guard.js';
import type { Logic } from '../schema/logic.js';

/**
 * The formula editor's small expression language, compiled to json-logic:
 *
 *   {price} * {qty}                 fields in braces ({lines}, {$today}, {$parent.rate})
 *   round({amount} * 1.13, 2)       any json-logic operator as a function: sumOf({lines}, "qty")
 *   if({qty} > 10, "bulk", "single")
 *   {a} + {b} - {c} / {d} % 2, -x, (…), == != > >= < <=, and or not (also && || !)
 *   "text" 'text' 12 3.5 true false null [1, 2]
 *
 * `expressionToLogic` parses; `logicToExpression` writes an expression back
 * (total for json-logic the grammar can spell: everything except literal objects).
 */
export class ExpressionError extends Error {
  constructor(
    message: string,
    /** offset in the source where the problem is */
    readonly at: number,
  ) {
    super(message);
    this.name = 'ExpressionError';
  }
}

type Tok =
  | { t: 'num'; v: number; at: number }
  | { t: 'str'; v: string; at: number }
  | { t: 'field'; v: string; at: number }
  | { t: 'name'; v: string; at: number }
  | { t: 'op'; v: string; at: number }
  | { t: 'end'; at: number };

const MAX_SOURCE = 10_000;
const MAX_DEPTH = 30;
const FIELD_PATH = /^\$?[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)*$/;
const OPS = ['==', '!=', '>=', '<=', '&&', '||', '>', '<', '+', '-', '*', '/', '%', '(', ')', ',', '!', '[', ']'];

function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '{') {
      const end = src.indexOf('}', i);
      if (end < 0) throw new ExpressionError('a field reference is missing its closing }', i);
      const path = src.slice(i + 1, end).trim();
      if (!FIELD_PATH.test(path)) throw new ExpressionError(`"${path}" is not a field key`, i);
      out.push({ t: 'field', v: path, at: i });
      i = end + 1;
      continue;
    }
    if (c === '"' || c === "'") {
      let j = i + 1;
      let s = '';
      while (j < src.length && src[j] !== c) {
        if (src[j] === '\\' && j + 1 < src.length) {
          const n = src[j + 1]!;
          s += n === 'n' ? '\n' : n === 't' ? '\t' : n;
          j += 2;
        } else s += src[j++];
      }
      if (j >= src.length) throw new ExpressionError('a text is missing its closing quote', i);
      out.push({ t: 'str', v: s, at: i });
      i = j + 1;
      continue;
    }
    const num = /^(\d+\.?\d*|\.\d+)(e[+-]?\d+)?/i.exec(src.slice(i));
    if (num) {
      out.push({ t: 'num', v: Number(num[0]), at: i });
      i += num[0].length;
      continue;
    }
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i));
    if (name) {
      out.push({ t: 'name', v: name[0], at: i });
      i += name[0].length;
      continue;
    }
    const op = OPS.find((o) => src.startsWith(o, i));
    if (!op) throw new ExpressionError(`unexpected "${c}"`, i);
    out.push({ t: 'op', v: op, at: i });
    i += op.length;
  }
  out.push({ t: 'end', at: src.length });
  return out;
}

// function names people write that are spelled differently in json-logic
const ALIASES: Record<string, string> = { concat: 'cat', sum: 'sumOf', avg: 'avgOf', count: 'countOf', not: '!', and: 'and', or: 'or' };
const CALLABLE = new Set(LOGIC_OPERATORS.filter((o) => /^[A-Za-z_]/.test(o)));

const BINARY: { ops: Record<string, string>; flat: boolean }[] = [
  { ops: { '||': 'or', or: 'or' }, flat: true },
  { ops: { '&&': 'and', and: 'and' }, flat: true },
  { ops: { '==': '==', '!=': '!=', '>': '>', '>=': '>=', '<': '<', '<=': '<=' }, flat: false },
  { ops: { '+': '+', '-': '-' }, flat: true },
  { ops: { '*': '*', '/': '/', '%': '%' }, flat: true },
];
// json-logic's + and * take any number of arguments; - / % and comparisons take two
const VARIADIC = new Set(['or', 'and', '+', '*']);

class Parser {
  private i = 0;
  private depth = 0;
  constructor(private readonly toks: Tok[]) {}

  private peek(): Tok {
    return this.toks[this.i]!;
  }

  private opText(tok: Tok): string | null {
    if (tok.t === 'op') return tok.v;
    if (tok.t === 'name' && (tok.v === 'and' || tok.v === 'or')) return tok.v;
    return null;
  }

  private expect(op: string): void {
    const tok = this.peek();
    if (tok.t !== 'op' || tok.v !== op) throw new ExpressionError(`expected "${op}"`, tok.at);
    this.i++;
  }

  parse(): Logic {
    const out = this.binary(0);
    const tok = this.peek();
    if (tok.t !== 'end') throw new ExpressionError('unexpected text after the end of the expression', tok.at);
    return out;
  }

  private binary(level: number): Logic {
    if (level >= BINARY.length) return this.unary();
    const { ops } = BINARY[level]!;
    let left = this.binary(level + 1);
    for (;;) {
      const text = this.opText(this.peek());
      const op = text === null ? undefined : ops[text];
      if (op === undefined) return left;
      this.i++;
      const right = this.binary(level + 1);
      const cur = left as Record<string, unknown>;
      // a + b + c → {"+": [a, b, c]}
      if (VARIADIC.has(op) && cur !== null && typeof cur === 'object' && !Array.isArray(cur) && Object.keys(cur).length === 1 && Array.isArray(cur[op])) {
        left = { [op]: [...(cur[op] as Logic[]), right] } as Logic;
      } else {
        left = { [op]: [left, right] } as Logic;
      }
    }
  }

  private unary(): Logic {
    const tok = this.peek();
    if (tok.t === 'op' && (tok.v === '-' || tok.v === '!')) {
      this.i++;
      const inner = this.enter(() => this.unary());
      if (tok.v === '-') return typeof inner === 'number' ? -inner : ({ '-': [inner] } as Logic);
      return { '!': [inner] } as Logic;
    }
    if (tok.t === 'name' && tok.v === 'not' && !(this.toks[this.i + 1]?.t === 'op' && (this.toks[this.i + 1] as { v: string }).v === '(')) {
      this.i++;
      return { '!': [this.enter(() => this.unary())] } as Logic;
    }
    return this.primary();
  }

  private enter<T>(fn: () => T): T {
    if (++this.depth > MAX_DEPTH) throw new ExpressionError(`the expression is nested deeper than ${MAX_DEPTH} levels`, this.peek().at);
    try {
      return fn();
    } finally {
      this.depth--;
    }
  }

  private list(close: string): Logic[] {
    const items: Logic[] = [];
    if (this.peek().t === 'op' && (this.peek() as { v: string }).v === close) {
      this.i++;
      return items;
    }
    for (;;) {
      items.push(this.enter(() => this.binary(0)));
      const tok = this.peek();
      if (tok.t === 'op' && tok.v === ',') {
        this.i++;
        continue;
      }
      this.expect(close);
      return items;
    }
  }

  private primary(): Logic {
    const tok = this.peek();
    this.i++;
    switch (tok.t) {
      case 'num': return tok.v;
      case 'str': return tok.v;
      case 'field': return { var: tok.v };
      case 'end': throw new ExpressionError('the expression ends too early', tok.at);
      case 'op':
        if (tok.v === '(') {
          const inner = this.enter(() => this.binary(0));
          this.expect(')');
          return inner;
        }
        if (tok.v === '[') return this.list(']') as unknown as Logic;
        throw new ExpressionError(`unexpected "${tok.v}"`, tok.at);
      case 'name': {
        if (tok.v === 'true') return true;
        if (tok.v === 'false') return false;
        if (tok.v === 'null') return null;
        const next = this.peek();
        if (next.t !== 'op' || next.v !== '(') throw new ExpressionError(`unknown name "${tok.v}" (write fields in braces, like {${tok.v}})`, tok.at);
        const op = ALIASES[tok.v] ?? tok.v;
        if (!CALLABLE.has(op) && op !== '!') throw new ExpressionError(`unknown function "${tok.v}"`, tok.at);
        this.i++;
        const args = this.list(')');
        return { [op]: args } as Logic;
      }
    }
  }
}

/** Compiles an expression to json-logic; throws ExpressionError with the offset of the problem. */
export function expressionToLogic(source: string): Logic {
  if (source.length > MAX_SOURCE) throw new ExpressionError(`the expression is longer than ${MAX_SOURCE} characters`, MAX_SOURCE);
  if (source.trim() === '') throw new ExpressionError('the expression is empty', 0);
  return new Parser(tokenize(source)).parse();
}

// ---------- writing expressions back ----------

const INFIX: Record<string, number> = { or: 0, and: 1, '==': 2, '!=': 2, '>': 2, '>=': 2, '<': 2, '<=': 2, '+': 3, '-': 3, '*': 4, '/': 4, '%': 4 };
const SPELL: Record<string, string> = { or: 'or', and: 'and' };

function str(s: string): string {
  return JSON.stringify(s);
}

function write(logic: unknown, depth: number): string | null {
  if (depth > 64) return null;
  if (logic === null) return 'null';
  if (typeof logic === 'boolean') return String(logic);
  if (typeof logic === 'number') return Number.isFinite(logic) ? String(logic) : null;
  if (typeof logic === 'string') return str(logic);
  if (Array.isArray(logic)) {
    const items = logic.map((x) => write(x, depth + 1));
    return items.some((x) => x === null) ? null : `[${items.join(', ')}]`;
  }
  if (typeof logic !== 'object') return null;
  const keys = Object.keys(logic);
  if (keys.length !== 1) return null;
  const op = keys[0]!;
  const raw = (logic as Record<string, unknown>)[op];
  const args = Array.isArray(raw) ? raw : [raw];
  if (op === 'var' && args.length === 1 && typeof args[0] === 'string' && FIELD_PATH.test(args[0])) return `{${args[0]}}`;
  const prec = INFIX[op];
  if (prec !== undefined && (args.length === 2 || (VARIADIC.has(op) && args.length > 2))) {
    const parts: string[] = [];
    for (const [i, a] of args.entries()) {
      const s = write(a, depth + 1);
      if (s === null) return null;
      // left-associative: the right side of - / % and comparisons needs parentheses at equal precedence
      const inner = innerPrec(a);
      const needs = inner !== null && (inner < prec || (inner === prec && (i > 0 || prec === 2)));
      parts.push(needs ? `(${s})` : s);
    }
    return parts.join(` ${SPELL[op] ?? op} `);
  }
  if (op === '-' && args.length === 1) {
    const s = write(args[0], depth + 1);
    if (s === null) return null;
    return innerPrec(args[0]) !== null || typeof args[0] === 'number' ? `-(${s})` : `-${s}`;
  }
  if (op === '!' && args.length === 1) {
    const s = write(args[0], depth + 1);
    return s === null ? null : innerPrec(args[0]) !== null ? `!(${s})` : `!${s}`;
  }
  if (!CALLABLE.has(op)) return null;
  const parts = args.map((a) => write(a, depth + 1));
  if (parts.some((p) => p === null)) return null;
  // a single non-array argument (`{"var": "x.y"}`, `{"upper": {...}}`) reads back the same as a one-item list
  return `${op}(${parts.join(', ')})`;
}

function innerPrec(x: unknown): number | null {
  if (x === null || typeof x !== 'object' || Array.isArray(x)) return null;
  const keys = Object.keys(x);
  if (keys.length !== 1) return null;
  const op = keys[0]!;
  const raw = (x as Record<string, unknown>)[op];
  const n = Array.isArray(raw) ? raw.length : 1;
  const p = INFIX[op];
  return p !== undefined && (n === 2 || (VARIADIC.has(op) && n > 2)) ? p : null;
}

/** An expression that compiles back to the same json-logic, or null when the grammar cannot spell it. */
export function logicToExpression(logic: Logic | undefined): string | null {
  if (logic === undefined) return '';
  return write(logic, 0);
}
