import type { ValidateFunction } from 'ajv';
import { grantList } from '../access/principal.js';
import { checkScopeCondition } from '../access/scope.js';
import { checkDashboard } from '../dashboard/check.js';
import { checkFormDefinition } from '../engine/check-definition.js';
import { checkLogic } from '../engine/logic-guard.js';
import { normalizeFilter } from '../query/normalize.js';
import { checkPrintTemplate } from '../print/check.js';
import { getAjv, toFieldErrors } from '../engine/validate.js';
import { TrellisError, type DefinitionProblem } from '../errors.js';
import type { Field, FormDefinition, SubField } from '../schema/form.js';
import { DashboardDefinitionSchema } from '../schema/dashboard.js';
import { PackOutlineSchema, type Pack } from '../schema/pack.js';
import { PrintTemplateDefinitionSchema, type PrintTemplateDefinition } from '../schema/print-template.js';
import { checkWorkflow, checkWorkflowShape } from '../workflow/check-workflow.js';
import { compareVersions } from './version.js';

const validators = new Map<string, ValidateFunction>();

// schemas that carry an $id are compiled as copies without it: the shared ajv knows each $id once
function shapeOf(name: string, schema: object, doc: unknown): DefinitionProblem[] {
  let validate = validators.get(name);
  if (!validate) {
    const { $id: _id, ...copy } = schema as { $id?: string };
    validate = getAjv().compile(copy);
    validators.set(name, validate);
  }
  if (validate(doc)) return [];
  return toFieldErrors(validate.errors).map((e) => ({ path: e.field, code: 'schema', message: e.message.en }));
}

/**
 * Shape problems of a pack document, with paths into it
 * (`forms[2].definition.fields[0].type`): its outline, then each form,
 * workflow and dashboard definition against its own schema.
 */
export function checkPackShape(doc: unknown): DefinitionProblem[] {
  const outline = shapeOf('pack', PackOutlineSchema, doc);
  if (outline.length) return outline;
  const pack = doc as { forms: { definition: unknown }[]; workflows?: Record<string, unknown>; dashboards?: { definition: unknown }[] };
  const out: DefinitionProblem[] = [];
  const under = (prefix: string, list: DefinitionProblem[]) => {
    for (const p of list) out.push({ ...p, path: p.path ? `${prefix}.${p.path}` : prefix, message: `${prefix}: ${p.message}` });
  };
  pack.forms.forEach((f, i) => under(`forms[${i}].definition`, checkFormDefinition(f.definition as FormDefinition).filter((p) => p.code === 'schema')));
  for (const [key, wf] of Object.entries(pack.workflows ?? {})) under(`workflows.${key}`, checkWorkflowShape(wf));
  (pack.dashboards ?? []).forEach((d, i) => under(`dashboards[${i}].definition`, shapeOf('dashboard', DashboardDefinitionSchema, d.definition)));
  return out;
}

/**
 * Every problem in a pack, each with a path into it: the shape; keys used
 * twice; forms, roles and records named but not in the pack; and each form,
 * workflow and dashboard through the checks the server runs on save and
 * publish (with pack keys standing in for ids). Users named by workflows
 * cannot be known here: the server checks them when it publishes. An empty
 * list means the pack may be installed.
 */
export function checkPack(doc: unknown): DefinitionProblem[] {
  const shape = checkPackShape(doc);
  if (shape.length) return shape;
  const pack = doc as Pack;
  const problems: DefinitionProblem[] = [];
  const add = (path: string, code: string, message: string) => problems.push({ path, code, message });
  const under = (prefix: string, list: DefinitionProblem[]) => {
    for (const p of list) problems.push({ ...p, path: p.path ? `${prefix}.${p.path}` : prefix, message: `${prefix}: ${p.message}` });
  };

  const forms = new Map<string, FormDefinition>();
  pack.forms.forEach((f, i) => {
    if (forms.has(f.key)) add(`forms[${i}].key`, 'duplicateKey', `Form key "${f.key}" is used twice`);
    forms.set(f.key, f.definition);
  });
  const roles = new Set<string>();
  (pack.roles ?? []).forEach((r, i) => {
    if (roles.has(r.key)) add(`roles[${i}].key`, 'duplicateKey', `Role key "${r.key}" is used twice`);
    roles.add(r.key);
  });
  const formOf = (key: string) => forms.get(key) ?? null;
  const unknownForm = (path: string, key: string) => add(path, 'unknownForm', `${path}: form "${key}" is not a form of the pack`);

  pack.forms.forEach((f, i) => {
    const at = `forms[${i}].definition`;
    under(at, checkFormDefinition(f.definition));
    checkFormRefs(f.definition.fields, `${at}.fields`, formOf, add);
    (f.definition.rules ?? []).forEach((r, j) => {
      if (!r.fill) return;
      const target = formOf(r.fill.form);
      if (!target) return unknownForm(`${at}.rules[${j}].fill.form`, r.fill.form);
      for (const key of [r.fill.take, ...Object.keys(r.fill.match)]) {
        if (!target.fields.some((x) => x.key === key)) add(`${at}.rules[${j}].fill`, 'fillField', `${at}.rules[${j}].fill: form "${r.fill.form}" has no field "${key}"`);
      }
    });
  });

  for (const [key, wf] of Object.entries(pack.workflows ?? {})) {
    const form = formOf(key);
    if (!form) {
      unknownForm(`workflows.${key}`, key);
      continue;
    }
    under(`workflows.${key}`, checkWorkflow(wf, form, { form: formOf, roleExists: (r) => roles.has(r), userExists: () => true }));
  }

  const dashboards = new Set<string>();
  (pack.dashboards ?? []).forEach((d, i) => {
    if (dashboards.has(d.key)) add(`dashboards[${i}].key`, 'duplicateKey', `Dashboard key "${d.key}" is used twice`);
    dashboards.add(d.key);
    under(`dashboards[${i}].definition`, checkDashboard(d.definition, formOf));
  });

  (pack.roles ?? []).forEach((r, i) => {
    for (const [key, grant] of Object.entries(r.forms ?? {})) {
      const at = `roles[${i}].forms.${key}`;
      const form = formOf(key);
      if (!form) {
        unknownForm(at, key);
        continue;
      }
      for (const [j, g] of grantList(grant).entries()) {
        for (const field of Object.keys(g.fields ?? {})) {
          if (!form.fields.some((x) => x.key === field)) add(`${at}[${j}].fields.${field}`, 'unknownField', `${at}: form "${key}" has no field "${field}"`);
        }
        if (g.scope && typeof g.scope === 'object') {
          try {
            checkScopeCondition(g.scope.condition, form);
          } catch (e) {
            add(`${at}[${j}].scope`, 'scope', `${at}: ${e instanceof Error ? e.message : String(e)}`);
          }
        }
      }
    }
  });

  for (const [key, list] of Object.entries(pack.printTemplates ?? {})) {
    const form = formOf(key);
    if (!form) {
      unknownForm(`printTemplates.${key}`, key);
      continue;
    }
    list.forEach((def, i) => {
      const shape = shapeOf('printTemplate', PrintTemplateDefinitionSchema, def);
      under(`printTemplates.${key}[${i}]`, shape.length ? shape : checkPrintTemplate(def as PrintTemplateDefinition, form));
    });
  }

  checkMigrations(pack, formOf, add);

  const recordKeys = new Map<string, Set<string>>();
  for (const [key, list] of Object.entries(pack.records ?? {})) {
    const seen = new Set<string>();
    list.forEach((r, i) => {
      if (seen.has(r.key)) add(`records.${key}[${i}].key`, 'duplicateKey', `Record key "${r.key}" is used twice in form "${key}"`);
      seen.add(r.key);
    });
    recordKeys.set(key, seen);
  }
  for (const [key, list] of Object.entries(pack.records ?? {})) {
    const form = formOf(key);
    if (!form) {
      unknownForm(`records.${key}`, key);
      continue;
    }
    list.forEach((r, i) => checkRecordLinks(r.data, form.fields, `records.${key}[${i}].data`, recordKeys, add));
  }
  return problems;
}

/** Throws INVALID_DEFINITION listing every problem of the pack. */
export function assertPack(doc: unknown): asserts doc is Pack {
  const problems = checkPack(doc);
  if (problems.length) throw new TrellisError('INVALID_DEFINITION', `The pack has ${problems.length} problem(s): ${problems.slice(0, 5).map((p) => p.message).join('; ')}`, { problems });
}

type Add = (path: string, code: string, message: string) => void;

const COMPUTED = new Set(['formula', 'lookup', 'serial']);

/** Data migrations: unique ids, a version no later than the pack's, a form of the pack, a filter that fits it, values for fields it has and may be written. */
function checkMigrations(pack: Pack, formOf: (key: string) => FormDefinition | null, add: Add): void {
  const ids = new Set<string>();
  (pack.migrations ?? []).forEach((m, i) => {
    const at = `migrations[${i}]`;
    if (ids.has(m.id)) add(`${at}.id`, 'duplicateKey', `Migration id "${m.id}" is used twice`);
    ids.add(m.id);
    if (compareVersions(m.since, pack.manifest.version) > 0) add(`${at}.since`, 'migrationVersion', `${at}: version ${m.since} is later than the pack's ${pack.manifest.version}`);
    const form = formOf(m.form);
    if (!form) return add(`${at}.form`, 'unknownForm', `${at}.form: form "${m.form}" is not a form of the pack`);
    try {
      normalizeFilter(m.filter, form, { now: new Date(0), timeZone: 'UTC' });
    } catch (e) {
      add(`${at}.filter`, 'filter', `${at}.filter: ${e instanceof Error ? e.message : String(e)}`);
    }
    const fields = new Map(form.fields.map((f) => [f.key, f]));
    for (const [key, logic] of Object.entries(m.values)) {
      const f = fields.get(key);
      if (!f) add(`${at}.values.${key}`, 'unknownField', `${at}: form "${m.form}" has no field "${key}"`);
      else if (COMPUTED.has(f.type)) add(`${at}.values.${key}`, 'computedField', `${at}: "${key}" is a ${f.type} field, computed by the form`);
      for (const p of checkLogic(logic, { isKnownVar: (name) => fields.has(name) || ['id', 'createdAt', 'updatedAt', 'createdBy', 'status'].includes(name) })) {
        add(`${at}.values.${key}`, 'logic', `${at}.values.${key}: ${p}`);
      }
    }
  });
}

function checkFormRefs(fields: readonly (Field | SubField)[], at: string, formOf: (k: string) => FormDefinition | null, add: Add): void {
  fields.forEach((f, i) => {
    const path = `${at}[${i}]`;
    if (f.type === 'link' && f.form !== undefined && !formOf(f.form)) add(`${path}.form`, 'unknownForm', `${path}.form: form "${f.form}" is not a form of the pack`);
    if (f.type === 'lookup' && f.link && f.field) {
      const link = fields.find((x) => x.key === f.link);
      const target = link?.form ? formOf(link.form) : null;
      if (target && !target.fields.some((x) => x.key === f.field)) add(`${path}.field`, 'lookupField', `${path}: form "${link!.form}" has no field "${f.field}"`);
    }
    if ('fields' in f && Array.isArray(f.fields)) checkFormRefs(f.fields, `${path}.fields`, formOf, add);
  });
}

function checkRecordLinks(
  data: Record<string, unknown>, fields: readonly (Field | SubField)[], at: string, recordKeys: Map<string, Set<string>>, add: Add,
): void {
  for (const f of fields) {
    if (!Object.hasOwn(data, f.key)) continue;
    const v = data[f.key];
    if (f.type === 'link' && f.form !== undefined) {
      const known = recordKeys.get(f.form) ?? new Set<string>();
      for (const x of Array.isArray(v) ? v : [v]) {
        if (typeof x === 'string' && !known.has(x)) add(`${at}.${f.key}`, 'unknownRecord', `${at}.${f.key}: "${x}" is not a sample record of form "${f.form}"`);
      }
    } else if (f.type === 'subtable' && 'fields' in f && Array.isArray(f.fields) && Array.isArray(v)) {
      const sub = f.fields;
      v.forEach((row, j) => {
        if (row && typeof row === 'object' && !Array.isArray(row)) checkRecordLinks(row as Record<string, unknown>, sub, `${at}.${f.key}[${j}]`, recordKeys, add);
      });
    }
  }
}
