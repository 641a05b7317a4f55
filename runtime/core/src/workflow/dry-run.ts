import { TrellisError, type FieldError } from '../errors.js';
import { compileForm } from '../engine/compile-form.js';
import { evaluateRecord } from '../engine/evaluate-record.js';
import type { RecordData } from '../record.js';
import type { FormDefinition } from '../schema/form.js';
import type { Assignee, WorkflowDefinition } from '../schema/workflow.js';
import { checkWorkflowShape } from './check-workflow.js';
import { newInstance, step, type InstanceState, type StepContext, type WorkflowEvent } from './step.js';

/**
 * A dry run: walks a sample record through a workflow with the engine's own
 * step function, approving every task, finishing every action and delay at
 * once, and reports the nodes and edges it went through. Conditions are
 * decided by the engine exactly as for a real submission; nothing is stored
 * and no action runs.
 */

export interface DryRunOptions {
  /** default: now */
  now?: Date;
  /** the submitting user's id (default "submitter") */
  submitter?: string;
  /**
   * who an assignee stands for; default: stand-ins that name the assignee
   * (`role:<id>`, `leader:<levels>`, the users listed, the member field's
   * values, the submitter)
   */
  resolve?: StepContext['resolve'];
}

export interface DryRunEdge {
  from: string;
  to: string;
}

export interface DryRunResult {
  /** node ids in the order the record first reaches them, from the start */
  path: string[];
  /** edges taken, in order; every branch of a parallel split is there */
  edges: DryRunEdge[];
  /** approval node → who would get a task there */
  tasks: Record<string, string[]>;
  /** CC node → who would get a copy */
  cc: Record<string, string[]>;
  /** the record status the run ended with ("approved" or an end node's status), null when it stopped */
  outcome: string | null;
  /** where and why the run stopped before an end (e.g. no one to approve) */
  stopped: { node: string; message: string } | null;
  /** the sample after defaults and formulas, as conditions saw it */
  data: RecordData;
  /** what the server would reject in the sample (the run goes on regardless) */
  sampleErrors: FieldError[];
}

const MAX_EVENTS = 5000;

/** The default stand-ins: enough to see who a step goes to without asking the server. */
export function standInResolver(record: RecordData): StepContext['resolve'] {
  return (a: Assignee, submitter: string): string[] => {
    switch (a.type) {
      case 'users': return a.users;
      case 'role': return [`role:${a.role}`];
      case 'leader': return [`leader:${a.levels ?? 1}`];
      case 'submitter': return [submitter];
      case 'field': {
        const v = record[a.field];
        const list = Array.isArray(v) ? v : v === undefined || v === null || v === '' ? [] : [v];
        return list.filter((u): u is string => typeof u === 'string' && u !== '');
      }
    }
  };
}

export function dryRun(def: WorkflowDefinition, form: FormDefinition, sample: RecordData, opts: DryRunOptions = {}): DryRunResult {
  const problems = checkWorkflowShape(def);
  if (problems.length) throw new TrellisError('INVALID_DEFINITION', problems.map((p) => `${p.path}: ${p.message}`).join('; '), { problems });
  const start = def.nodes.find((n) => n.type === 'start');
  if (!start) throw new TrellisError('INVALID_DEFINITION', 'The workflow has no start node');

  const now = opts.now ?? new Date();
  const submitter = opts.submitter ?? 'submitter';
  // the record as the server would store it: defaults applied, formulas computed (no linked records here)
  const evaluated = evaluateRecord(compileForm(form), sample, { user: { id: submitter }, now }, { links: {}, fills: {} }, { mode: 'create' });
  const data = evaluated.data;

  const path: string[] = [start.id];
  const edges: DryRunEdge[] = [];
  const seenEdges = new Set<string>();
  const ctx: StepContext = {
    instanceId: 'dry',
    now,
    record: data,
    resolve: opts.resolve ?? standInResolver(data),
    onEdge(from, to) {
      const key = `${from}\u0000${to}`;
      if (!seenEdges.has(key)) {
        seenEdges.add(key);
        edges.push({ from, to });
      }
      if (!path.includes(to)) path.push(to);
    },
  };

  const tasks: Record<string, string[]> = {};
  const cc: Record<string, string[]> = {};
  const add = (into: Record<string, string[]>, node: string, users: string[]) => {
    into[node] = [...new Set([...(into[node] ?? []), ...users])];
  };

  let state: InstanceState = newInstance(submitter);
  const queue: WorkflowEvent[] = [{ type: 'start' }];
  let count = 0;
  while (queue.length) {
    if (++count > MAX_EVENTS) throw new TrellisError('INVALID_DEFINITION', `The dry run took more than ${MAX_EVENTS} steps`);
    const event = queue.shift()!;
    // an "any one" approval cancels its other tasks: approving those would be a conflict
    if (event.type === 'approve' && state.tasks.find((t) => t.id === event.taskId)?.status !== 'open') continue;
    const result = step(def, state, event, ctx);
    state = result.state;
    for (const e of result.effects) {
      if (e.type === 'task.open') {
        add(tasks, e.task.node, [e.task.assignee]);
        queue.push({ type: 'approve', taskId: e.task.id, by: null });
      } else if (e.type === 'action.run') {
        queue.push({ type: 'actionDone', token: e.token });
      } else if (e.type === 'timer.set' && e.event.type === 'delayDone') {
        queue.push(e.event);
      } else if (e.type === 'notify' && e.kind === 'cc') {
        add(cc, e.node, e.users);
      }
    }
    if (state.status === 'error') break;
  }

  const error = state.error;
  return {
    path, edges, tasks, cc,
    outcome: state.status === 'completed' ? state.outcome : null,
    stopped: error ? { node: error.node, message: error.message } : state.status === 'running' ? { node: path.at(-1)!, message: 'The run did not reach an end' } : null,
    data,
    sampleErrors: evaluated.errors,
  };
}
