import type { ValidateFunction } from 'ajv';
import { TrellisError, type DefinitionProblem } from '../errors.js';
import { fieldType, isFieldType } from '../fields/registry.js';
import type { Logic } from '../schema/logic.js';
import { FormDefinitionSchema, RESERVED_FIELD_KEYS, type Field, type FormDefinition, type SubField } from '../schema/form.js';
import { CONTEXT_VARS, checkLogic } from './logic-guard.js';
import { orderFormulas } from './formula-order.js';
import { compileSchema, getAjv, toFieldErrors } from './validate.js';

/** Bound on the JSON size of all json-logic in one form (rules, formulas, fill matches). */
export const MAX_FORM_LOGIC_CHARS = 200_000;

const RESERVED = new Set<string>(RESERVED_FIELD_KEYS);

let shapeValidator: ValidateFunction | undefined;

function checkShape(def: unknown): DefinitionProblem[] {
  shapeValidator ??= getAjv().compile(FormDefinitionSchema);
  if (shapeValidator(def)) return [];
  return toFieldErrors(shapeValidator.errors).map((e) => ({ path: e.field, code: 'schema', message: e.message.en }));
}

interface LogicItem {
  path: string;
  logic: unknown;
  known: Set<string>;
}

/**
 * Every problem in a form definition: shape, keys, per-type configuration,
 * rules, json-logic (through checkLogic), lookups, formula cycles, titleField.
 * An empty list means the definition may be saved and compiled.
 */
export function checkFormDefinition(def: FormDefinition): DefinitionProblem[] {
  const shape = checkShape(def);
  if (shape.length > 0) return shape;

  const problems: DefinitionProblem[] = [];
  const add = (path: string, code: string, message: string) => problems.push({ path, code, message });
  const logic: LogicItem[] = [];
  const topKeys = new Set(def.fields.map((f) => f.key));
  const formKnown = new Set([...topKeys, ...CONTEXT_VARS]);

  const checkLevel = (fields: readonly (Field | SubField)[], base: string, inRow: boolean) => {
    const seen = new Set<string>();
    const rowKnown = new Set([...fields.map((f) => f.key), '$parent', ...CONTEXT_VARS]);
    fields.forEach((f, i) => {
      const path = `${base}[${i}]`;
      if (seen.has(f.key)) add(`${path}.key`, 'duplicateKey', `Field key "${f.key}" is used twice`);
      seen.add(f.key);
      if (RESERVED.has(f.key)) add(`${path}.key`, 'reservedKey', `Field key "${f.key}" is reserved`);
      if (!isFieldType(f.type)) return;
      if (inRow && f.type === 'subtable') {
        add(`${path}.type`, 'nestedSubtable', 'A sub-table cannot contain a sub-table');
        return;
      }
      const spec = fieldType(f.type);
      for (const m of spec.checkDefinition?.(f) ?? []) add(path, 'invalidField', `${f.key}: ${m}`);
      if (f.default !== undefined && !spec.computed) {
        const validate = compileSchema(spec.jsonSchema(f));
        if (!validate(f.default)) add(`${path}.default`, 'invalidDefault', `Default of "${f.key}" does not fit the field: ${toFieldErrors(validate.errors)[0]?.message.en ?? 'invalid'}`);
      }
      if (f.type === 'lookup' && f.link !== undefined) {
        const link = fields.find((x) => x.key === f.link);
        if (!link || link.type !== 'link') add(`${path}.link`, 'invalidLookup', `Lookup "${f.key}" must name a link field of this ${inRow ? 'sub-table' : 'form'}, not "${f.link}"`);
      }
      if (f.type === 'formula' && f.formula !== undefined) logic.push({ path: `${path}.formula`, logic: f.formula, known: inRow ? rowKnown : formKnown });
      if (!inRow && 'fields' in f && f.type === 'subtable' && f.fields) checkLevel(f.fields, `${path}.fields`, true);
    });
    const { cyclic } = orderFormulas(fields);
    for (const key of cyclic) {
      const i = fields.findIndex((f) => f.key === key);
      add(`${base}[${i}].formula`, 'formulaCycle', `Formula "${key}" depends on itself through other formulas`);
    }
  };
  checkLevel(def.fields, 'fields', false);

  (def.rules ?? []).forEach((rule, i) => {
    const path = `rules[${i}]`;
    const target = def.fields.find((f) => f.key === rule.field);
    if (!target) add(`${path}.field`, 'unknownField', `Rule names a field that does not exist: "${rule.field}"`);
    else if (rule.options !== undefined && target.type !== 'select' && target.type !== 'multiselect') {
      add(`${path}.options`, 'invalidRule', `An options rule needs a select or multiselect field; "${rule.field}" is ${target.type}`);
    }
    if (rule.message !== undefined && rule.check === undefined) add(`${path}.message`, 'invalidRule', 'A message belongs to a check: the rule has no check');
    for (const part of ['visible', 'required', 'readOnly', 'default', 'options', 'check'] as const) {
      if (rule[part] !== undefined) logic.push({ path: `${path}.${part}`, logic: rule[part], known: formKnown });
    }
    for (const [k, v] of Object.entries(rule.fill?.match ?? {})) logic.push({ path: `${path}.fill.match.${k}`, logic: v, known: formKnown });
  });

  if (def.titleField !== undefined && !topKeys.has(def.titleField)) add('titleField', 'unknownField', `titleField names a field that does not exist: "${def.titleField}"`);

  let total = 0;
  for (const item of logic) {
    const found = checkLogic(item.logic, { isKnownVar: (name) => item.known.has(name) });
    for (const m of found) add(item.path, 'invalidLogic', m);
    // measured only once bounded: stringifying a 10,000-deep rule would overflow the stack
    if (found.length === 0) total += JSON.stringify(item.logic as Logic)?.length ?? 0;
  }
  if (total > MAX_FORM_LOGIC_CHARS) add('', 'logicTooLarge', `Rules and formulas are ${total} characters of logic; at most ${MAX_FORM_LOGIC_CHARS} are allowed`);
  return problems;
}

/** Throws INVALID_DEFINITION with `details.problems` when the definition has any problem. */
export function assertFormDefinition(def: FormDefinition): void {
  const problems = checkFormDefinition(def);
  if (problems.length > 0) {
    const head = problems.slice(0, 3).map((p) => `${p.path || 'form'}: ${p.message}`).join('; ');
    throw new TrellisError('INVALID_DEFINITION', `Invalid form definition: ${head}${problems.length > 3 ? ` (and ${problems.length - 3} more)` : ''}`, { problems });
  }
}
