import { FIELD_KEY_PATTERN, RESERVED_FIELD_KEYS, type Rule } from '../schema/form.js';
import type { Logic } from '../schema/logic.js';

const KEY_RE = new RegExp(FIELD_KEY_PATTERN);
const RESERVED = new Set<string>(RESERVED_FIELD_KEYS);

/**
 * A field key made from a label: "Unit price" → `unit_price`, unique among `taken`
 * (`unit_price_2`, …). Labels without Latin letters (e.g. Chinese) give `fallback`
 * numbered the same way.
 */
export function keyFromLabel(label: string, taken: Iterable<string>, fallback = 'field'): string {
  const used = new Set(taken);
  const slug = label
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^[^a-z]+/, '')
    .replace(/_+$/, '')
    .slice(0, 40)
    .replace(/_+$/, '');
  let base = slug || fallback.replace(/[^A-Za-z0-9_]/g, '') || 'field';
  if (!/^[A-Za-z]/.test(base)) base = `f_${base}`;
  if (RESERVED.has(base)) base = `${base}_field`;
  if (!used.has(base) && !(slug === '' && base === fallback)) return base;
  for (let n = slug === '' ? 1 : 2; ; n++) {
    const key = `${base}_${n}`;
    if (!used.has(key)) return key;
  }
}

export type FieldKeyProblem = 'pattern' | 'reserved' | 'duplicate';

/** What is wrong with a field key among its siblings' keys (the field's own current key excluded by the caller), or null. */
export function fieldKeyProblem(key: string, siblings: Iterable<string>): FieldKeyProblem | null {
  if (!KEY_RE.test(key)) return 'pattern';
  if (RESERVED.has(key)) return 'reserved';
  for (const s of siblings) if (s === key) return 'duplicate';
  return null;
}

/** The parts of a rule the designer edits per field. */
export type RulePart = 'visible' | 'required' | 'readOnly' | 'default' | 'options' | 'check';

/**
 * The effective expression of one part of a field's rules, combined as the engine
 * combines several rules (visible: all; required and read-only: any; otherwise the last).
 */
export function rulePart(rules: readonly Rule[] | undefined, field: string, part: RulePart): Logic | undefined {
  const found = (rules ?? []).filter((r) => r.field === field && r[part] !== undefined).map((r) => r[part] as Logic);
  if (found.length <= 1) return found[0];
  if (part === 'visible') return { and: found } as Logic;
  if (part === 'required' || part === 'readOnly') return { or: found } as Logic;
  return found[found.length - 1];
}

function isEmptyRule(r: Rule): boolean {
  return Object.keys(r).every((k) => k === 'field' || r[k as keyof Rule] === undefined);
}

/** Rules with one part of one field's rules replaced (undefined removes it); the other parts and rules stay. */
export function setRulePart(rules: readonly Rule[] | undefined, field: string, part: RulePart | 'fill', value: Logic | Rule['fill'] | undefined): Rule[] {
  const out: Rule[] = [];
  let placed = value === undefined;
  for (const r of rules ?? []) {
    if (r.field !== field) {
      out.push(r);
      continue;
    }
    const next: Rule = { ...r };
    delete next[part];
    // a check's message goes with it
    if (part === 'check' && value === undefined) delete next.message;
    if (!placed) {
      (next as Record<string, unknown>)[part] = value;
      placed = true;
    }
    if (!isEmptyRule(next)) out.push(next);
  }
  if (!placed) out.push({ field, [part]: value } as Rule);
  return out;
}
