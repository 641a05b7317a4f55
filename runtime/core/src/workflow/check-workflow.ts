import type { ValidateFunction } from 'ajv';
import { TrellisError, type DefinitionProblem } from '../errors.js';
import { checkLogic, CONTEXT_VARS } from '../engine/logic-guard.js';
import { getAjv, pointerToPath, toFieldErrors } from '../engine/validate.js';
import { FilterSchema } from '../query/query.js';
import type { FormDefinition } from '../schema/form.js';
import {
  WorkflowDefinitionSchema,
  type Action, type Assignee, type CompanyFact, type WorkflowDefinition, type WorkflowEdge, type WorkflowNode,
} from '../schema/workflow.js';
import { parseCron } from './cron.js';
import { messageFieldKeys } from './message.js';

/** What a workflow names outside itself; the server answers from the store. */
export interface WorkflowRefs {
  /** the published definition of another form (action targets), null when missing */
  form(formId: string): FormDefinition | null;
  roleExists(roleId: string): boolean;
  userExists(userId: string): boolean;
}

let shapeValidator: ValidateFunction | undefined;
let filterValidator: ValidateFunction | undefined;

/** The shape problem of a filter tree, if any (the workflow schema leaves filters to this check). */
function filterProblems(filter: unknown): string[] {
  filterValidator ??= getAjv().compile(FilterSchema);
  if (filterValidator(filter)) return [];
  // ajv lists every union branch's complaint; the innermost failed union says where the tree goes wrong
  const where = pointerToPath(filterValidator.errors?.find((e) => e.keyword === 'anyOf')?.instancePath ?? '');
  return [`the filter is not a filter tree${where ? ` (at ${where})` : ''}: use {"and": […]}, {"or": […]}, {"not": …} or {"field", "op", "value"} with a known op`];
}

const MEMBER_TYPES = new Set(['member']);
const DATE_TYPES = new Set(['date', 'datetime']);
const TEXT_TYPES = ['text', 'textarea'];
/** the field types each company fact fits (the rest are text) */
const FACT_FIELD_TYPES: Partial<Record<CompanyFact, string[]>> = {
  found: ['checkbox'], registeredCapital: ['number', 'money'], foundedOn: ['date', 'text'], riskLevel: ['select', 'text'],
};
/** computed by the engine: an action cannot write them */
const COMPUTED_TYPES = new Set(['formula', 'lookup', 'serial']);

/** Outgoing and incoming edges of every node. */
export function adjacency(def: WorkflowDefinition): { out: Map<string, WorkflowEdge[]>; in: Map<string, WorkflowEdge[]> } {
  const out = new Map<string, WorkflowEdge[]>();
  const inc = new Map<string, WorkflowEdge[]>();
  for (const n of def.nodes) {
    out.set(n.id, []);
    inc.set(n.id, []);
  }
  for (const e of def.edges) {
    out.get(e.from)?.push(e);
    inc.get(e.to)?.push(e);
  }
  return { out, in: inc };
}

/**
 * Every problem in a workflow, each naming its node: shape; one start; every
 * node reachable and able to reach an end; no cycles; conditions with one
 * default; parallel splits matched by joins; json-logic that passes the
 * guard; fields, roles, users and target forms that exist.
 */
export function checkWorkflow(def: unknown, form: FormDefinition, refs: WorkflowRefs): DefinitionProblem[] {
  const shape = checkWorkflowShape(def);
  if (shape.length) return shape;
  const wf = def as WorkflowDefinition;
  const problems: DefinitionProblem[] = [];
  const at = (node: WorkflowNode | string, code: string, message: string) => {
    const id = typeof node === 'string' ? node : node.id;
    problems.push({ path: `nodes.${id}`, code, message: `Node "${id}": ${message}` });
  };
  const fields = new Map(form.fields.map((f) => [f.key, f]));
  const known = (name: string) => fields.has(name) || ['id', 'createdAt', 'updatedAt', 'createdBy', 'status', 'record'].includes(name) || (CONTEXT_VARS as readonly string[]).includes(name);
  const logic = (node: WorkflowNode | string, what: string, l: unknown, isKnownVar = known) => {
    for (const p of checkLogic(l, { isKnownVar })) at(node, 'logic', `${what}: ${p}`);
  };

  checkAutomations(wf, form, refs, problems, known);
  if (wf.nodes.length === 0) {
    if (wf.edges.length > 0) problems.push({ path: 'edges', code: 'graph', message: 'Edges without nodes' });
    return problems;
  }

  const byId = new Map<string, WorkflowNode>();
  for (const n of wf.nodes) {
    if (byId.has(n.id)) at(n, 'duplicate', 'the id is used twice');
    byId.set(n.id, n);
  }
  for (const [i, e] of wf.edges.entries()) {
    if (!byId.has(e.from)) problems.push({ path: `edges[${i}].from`, code: 'edge', message: `Edge ${i} starts at "${e.from}", which is not a node` });
    if (!byId.has(e.to)) problems.push({ path: `edges[${i}].to`, code: 'edge', message: `Edge ${i} ends at "${e.to}", which is not a node` });
  }
  if (problems.length) return problems;

  const { out, in: inc } = adjacency(wf);
  const starts = wf.nodes.filter((n) => n.type === 'start');
  if (starts.length !== 1) problems.push({ path: 'nodes', code: 'start', message: `A workflow has exactly one start node (found ${starts.length})` });
  if (!wf.nodes.some((n) => n.type === 'end')) problems.push({ path: 'nodes', code: 'end', message: 'A workflow needs at least one end node' });

  for (const n of wf.nodes) {
    const o = out.get(n.id)!;
    const i = inc.get(n.id)!;
    switch (n.type) {
      case 'start':
        if (i.length) at(n, 'start', 'nothing may lead into the start');
        if (o.length !== 1) at(n, 'edges', 'the start leads to exactly one node');
        break;
      case 'end':
        if (o.length) at(n, 'end', 'an end leads nowhere');
        break;
      case 'condition': {
        if (o.length < 2) at(n, 'edges', 'a condition needs at least two outgoing edges');
        const defaults = o.filter((e) => e.default);
        if (defaults.length !== 1) at(n, 'default', `a condition needs exactly one default branch (found ${defaults.length})`);
        for (const e of o) {
          if (e.default && e.condition !== undefined) at(n, 'default', `the default branch to "${e.to}" takes no condition`);
          if (!e.default && e.condition === undefined) at(n, 'condition', `the branch to "${e.to}" needs a condition or must be the default`);
          if (e.condition !== undefined) logic(n, `branch to "${e.to}"`, e.condition);
        }
        break;
      }
      case 'parallel':
        if (o.length < 2) at(n, 'edges', 'a parallel split needs at least two outgoing edges');
        break;
      case 'join':
        if (i.length < 2) at(n, 'edges', 'a join needs at least two incoming edges');
        if (o.length !== 1) at(n, 'edges', 'a join leads to exactly one node');
        break;
      default:
        if (o.length !== 1) at(n, 'edges', `a ${n.type} node leads to exactly one node (found ${o.length})`);
    }
    if (n.type !== 'condition') for (const e of o) if (e.condition !== undefined || e.default) at(n, 'condition', 'only edges leaving a condition node carry conditions');
    if (n.type === 'approval' || n.type === 'cc') for (const a of n.assignees) checkAssignee(n, a, fields, refs, at);
    if (n.type === 'approval') {
      for (const key of Object.keys(n.fields ?? {})) if (!fields.has(key)) at(n, 'field', `field permissions name "${key}", which the form does not have`);
      if (n.timeout?.action === 'escalate' && !n.timeout.escalateTo) at(n, 'timeout', 'escalation needs `escalateTo`');
      for (const a of n.timeout?.escalateTo ?? []) checkAssignee(n, a, fields, refs, at);
    }
    if (n.type === 'delay') {
      if ((n.duration === undefined) === (n.until === undefined)) at(n, 'delay', 'a delay takes either `duration` or `until`');
      if (n.until !== undefined && !DATE_TYPES.has(fields.get(n.until)?.type ?? '')) at(n, 'delay', `"until" names "${n.until}", which is not a date field of the form`);
    }
    if (n.type === 'action') checkAction(n.id, n.action, refs, (code, message) => at(n, code, message), known, fields);
  }
  if (problems.length) return problems;

  // reachability, ends and cycles
  const start = starts[0]!;
  const reached = walk([start.id], (id) => out.get(id)!.map((e) => e.to));
  for (const n of wf.nodes) if (!reached.has(n.id)) at(n, 'unreachable', 'no path from the start leads here');
  const ends = wf.nodes.filter((n) => n.type === 'end').map((n) => n.id);
  const reachesEnd = walk(ends, (id) => inc.get(id)!.map((e) => e.from));
  for (const n of wf.nodes) if (!reachesEnd.has(n.id)) at(n, 'deadEnd', 'no path from here leads to an end');
  const cycle = findCycle(wf.nodes.map((n) => n.id), (id) => out.get(id)!.map((e) => e.to));
  if (cycle) at(cycle[0]!, 'cycle', `the graph loops: ${cycle.join(' → ')} (send work back with "return" instead)`);
  if (problems.length) return problems;

  // each parallel split is closed by one join that every branch reaches, and each join closes one split
  const closedBy = new Map<string, string>();
  for (const n of wf.nodes) {
    if (n.type !== 'parallel') continue;
    const join = matchingJoin(n.id, out, byId);
    if (!join) at(n, 'join', 'every branch of a parallel split must meet again at one join before any end');
    else if (closedBy.has(join)) at(join, 'join', `closes two parallel splits ("${closedBy.get(join)}" and "${n.id}")`);
    else closedBy.set(join, n.id);
  }
  for (const n of wf.nodes) if (n.type === 'join' && !closedBy.has(n.id)) at(n, 'join', 'no parallel split opens the branches this join waits for');
  // a way into a split's branches (or its join) that skips the split brings a token the join cannot count
  for (const [join, split] of closedBy) {
    const region = walk([split], (id) => (id === join ? [] : out.get(id)!.map((e) => e.to)));
    for (const id of region) {
      if (id === split) continue;
      for (const e of inc.get(id)!) if (!region.has(e.from)) at(id, 'join', `"${e.from}" leads into the branches of parallel split "${split}" without passing it`);
    }
  }
  return problems;
}

/** Shape problems only (a draft is saved when its shape is right; publishing checks the rest). */
export function checkWorkflowShape(def: unknown): DefinitionProblem[] {
  shapeValidator ??= getAjv().compile(WorkflowDefinitionSchema);
  if (shapeValidator(def)) return [];
  return toFieldErrors(shapeValidator.errors).map((e) => ({ path: e.field, code: 'schema', message: e.message.en }));
}

/** Throws INVALID_DEFINITION listing every problem. */
export function assertWorkflow(def: unknown, form: FormDefinition, refs: WorkflowRefs): asserts def is WorkflowDefinition {
  const problems = checkWorkflow(def, form, refs);
  if (problems.length) throw new TrellisError('INVALID_DEFINITION', problems.map((p) => p.message).join('; '), { problems });
}

function checkAssignee(
  n: WorkflowNode, a: Assignee, fields: Map<string, FormDefinition['fields'][number]>, refs: WorkflowRefs,
  at: (node: WorkflowNode, code: string, message: string) => void,
): void {
  checkAssigneeRef(a, fields, refs, (m) => at(n, 'assignee', m));
}

function checkAssigneeRef(a: Assignee, fields: ReadonlyMap<string, FormDefinition['fields'][number]>, refs: WorkflowRefs, report: (message: string) => void): void {
  if (a.type === 'role' && !refs.roleExists(a.role)) report(`role "${a.role}" does not exist`);
  if (a.type === 'users') for (const u of a.users) if (!refs.userExists(u)) report(`user "${u}" does not exist`);
  if (a.type === 'field' && !MEMBER_TYPES.has(fields.get(a.field)?.type ?? '')) report(`"${a.field}" is not a member field of the form`);
}

function checkAction(
  where: string, action: Action, refs: WorkflowRefs, report: (code: string, message: string) => void, known: (name: string) => boolean,
  source: ReadonlyMap<string, FormDefinition['fields'][number]>,
): void {
  const logic = (what: string, l: unknown, isKnownVar: (name: string) => boolean = known) => {
    for (const p of checkLogic(l, { isKnownVar })) report('logic', `${what}: ${p}`);
  };
  if (action.type === 'webhook') {
    if (action.body !== undefined) logic('webhook body', action.body);
    return;
  }
  if (action.type === 'notify') {
    for (const a of action.to) checkAssigneeRef(a, source, refs, (m) => report('assignee', m));
    for (const text of typeof action.message === 'string' ? [action.message] : Object.values(action.message)) {
      for (const key of messageFieldKeys(String(text))) if (!source.has(key)) report('message', `the message names {${key}}, which the form does not have`);
    }
    return;
  }
  if (action.type === 'assignInTurn') {
    if (!MEMBER_TYPES.has(source.get(action.field)?.type ?? '')) report('actionField', `"${action.field}" is not a member field of the form`);
    else if ((source.get(action.field) as { multiple?: boolean }).multiple) report('actionField', `"${action.field}" takes several people: turns give a record to one`);
    for (const a of action.among) checkAssigneeRef(a, source, refs, (m) => report('assignee', m));
    return;
  }
  if (action.type === 'lookupCompany') {
    logic('company to look up', action.query);
    for (const [key, fact] of Object.entries(action.set)) {
      const f = source.get(key);
      const fits = FACT_FIELD_TYPES[fact] ?? TEXT_TYPES;
      if (!f) report('actionField', `the lookup writes "${key}", which the form does not have`);
      else if (COMPUTED_TYPES.has(f.type)) report('actionField', `the lookup cannot write "${key}": a ${f.type} field is computed`);
      else if (!fits.includes(f.type)) report('actionField', `the company's ${fact} goes into a ${fits.join(' or ')} field; "${key}" is a ${f.type} field`);
    }
    return;
  }
  if (action.type === 'updateRecords') for (const p of filterProblems(action.filter)) report('filter', p);
  const target = refs.form(action.form);
  if (!target) {
    report('actionForm', `action target form "${action.form}" does not exist or is not published`);
    return;
  }
  const targetFields = new Map(target.fields.map((f) => [f.key, f]));
  // one record per row: the values read that row's columns (and the record as `record`)
  const each = action.type === 'createRecord' && action.forEach !== undefined ? source.get(action.forEach) : undefined;
  if (action.type === 'createRecord' && action.forEach !== undefined) {
    if (!each) report('actionField', `one record per row of "${action.forEach}", which the form does not have`);
    else if (each.type !== 'subtable') report('actionField', `one record per row of "${action.forEach}", which is not a sub-table of the form`);
  }
  const eachColumns = new Set((each?.type === 'subtable' ? each.fields ?? [] : []).map((s) => s.key));
  const valueVar = (name: string) => known(name) || eachColumns.has(name) || (each !== undefined && name === 'record') || (action.type === 'updateRecords' && name === 'target');
  for (const [key, mapping] of Object.entries(action.values)) {
    const f = targetFields.get(key);
    if (!f) report('actionField', `form "${action.form}" has no field "${key}"`);
    if (mapping !== null && typeof mapping === 'object' && !Array.isArray(mapping) && 'rows' in mapping && 'values' in mapping && Object.keys(mapping).length === 2) {
      if (f && f.type !== 'subtable') report('actionField', `"${key}" of form "${action.form}" is not a sub-table, so it takes no rows`);
      // the action runner maps one row per row of a source sub-table; any other field gives no rows at all
      const rows = source.get(mapping.rows as string);
      if (!rows) report('actionField', `rows come from "${String(mapping.rows)}", which the form does not have`);
      else if (rows.type !== 'subtable') report('actionField', `rows come from "${String(mapping.rows)}", which is not a sub-table of the form`);
      const sub = new Set((f?.type === 'subtable' ? f.fields ?? [] : []).map((s) => s.key));
      // a row value sees the row's columns, the whole record as `record`, and the context
      const columns = new Set((rows?.type === 'subtable' ? rows.fields ?? [] : []).map((s) => s.key));
      const rowVar = (name: string) => rows?.type !== 'subtable' || columns.has(name) || name === 'record' || CONTEXT_VARS.includes(name);
      for (const [k, l] of Object.entries(mapping.values as Record<string, unknown>)) {
        if (f?.type === 'subtable' && !sub.has(k)) report('actionField', `sub-table "${key}" of form "${action.form}" has no column "${k}"`);
        logic(`row value "${key}.${k}"`, l, rowVar);
      }
    } else {
      // an update's values also see the record being updated as `target`
      logic(`value "${key}"`, mapping, valueVar);
    }
  }
  void where;
}

function checkAutomations(
  wf: WorkflowDefinition, form: FormDefinition, refs: WorkflowRefs, problems: DefinitionProblem[], known: (name: string) => boolean,
): void {
  const ids = new Set<string>();
  for (const a of wf.automations ?? []) {
    const report = (code: string, message: string) => problems.push({ path: `automations.${a.id}`, code, message: `Automation "${a.id}": ${message}` });
    if (ids.has(a.id)) report('duplicate', 'the id is used twice');
    ids.add(a.id);
    if ('fields' in a.on) for (const k of a.on.fields) if (!form.fields.some((f) => f.key === k)) report('field', `watches "${k}", which the form does not have`);
    if ('schedule' in a.on) {
      if (a.on.filter !== undefined) for (const p of filterProblems(a.on.filter)) report('filter', p);
      try {
        parseCron(a.on.schedule);
      } catch (e) {
        report('schedule', e instanceof Error ? e.message : String(e));
      }
    }
    if (a.condition !== undefined) for (const p of checkLogic(a.condition, { isKnownVar: known })) report('logic', `condition: ${p}`);
    for (const action of a.actions) checkAction(a.id, action, refs, report, known, new Map(form.fields.map((f) => [f.key, f])));
  }
}

function walk(from: string[], next: (id: string) => string[]): Set<string> {
  const seen = new Set<string>();
  const stack = [...from];
  while (stack.length) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    stack.push(...next(id));
  }
  return seen;
}

/** A cycle as a list of node ids, or null (iterative three-colour DFS). */
function findCycle(ids: string[], next: (id: string) => string[]): string[] | null {
  const colour = new Map<string, 1 | 2>();
  for (const root of ids) {
    if (colour.has(root)) continue;
    const stack: { id: string; i: number }[] = [{ id: root, i: 0 }];
    const path: string[] = [root];
    colour.set(root, 1);
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      const succ = next(top.id);
      if (top.i >= succ.length) {
        colour.set(top.id, 2);
        stack.pop();
        path.pop();
        continue;
      }
      const to = succ[top.i++]!;
      const c = colour.get(to);
      if (c === 1) return [...path.slice(path.indexOf(to)), to];
      if (c === undefined) {
        colour.set(to, 1);
        stack.push({ id: to, i: 0 });
        path.push(to);
      }
    }
  }
  return null;
}

/**
 * The join where every branch of split `split` meets: following the graph
 * from the split, nested splits are stepped over through their own joins;
 * every path must arrive at the same join before any end.
 */
export function matchingJoin(split: string, out: Map<string, WorkflowEdge[]>, byId: Map<string, WorkflowNode>): string | null {
  let found: string | null = null;
  const seen = new Set<string>();
  const stack = out.get(split)!.map((e) => e.to);
  while (stack.length) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    const node = byId.get(id)!;
    if (node.type === 'join') {
      if (found !== null && found !== id) return null;
      found = id;
      continue;
    }
    if (node.type === 'end') return null;
    if (node.type === 'parallel') {
      const inner = matchingJoin(id, out, byId);
      if (!inner) return null;
      stack.push(...out.get(inner)!.map((e) => e.to));
      continue;
    }
    stack.push(...out.get(id)!.map((e) => e.to));
  }
  return found;
}
