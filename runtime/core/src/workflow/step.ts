import { TrellisError } from '../errors.js';
import { applyLogic, ruleScope, truthy } from '../engine/logic.js';
import type { RecordData } from '../record.js';
import type { Action, Assignee, Duration, WorkflowDefinition, WorkflowEdge, WorkflowNode } from '../schema/workflow.js';

/**
 * The workflow engine as a pure step function:
 * `step(definition, state, event, context) → { state, effects }`. It never
 * does I/O; the server stores the new state (with a version check, so two
 * approvers acting at once cannot both win) and carries out the effects
 * (tasks, notifications, actions, timers) through job handlers.
 */

export type TaskStatus = 'waiting' | 'open' | 'approved' | 'rejected' | 'returned' | 'transferred' | 'escalated' | 'cancelled';

export interface TaskState {
  id: string;
  node: string;
  token: string;
  assignee: string;
  status: TaskStatus;
  /** position in a sequential node; 0 for any/all */
  order: number;
  createdAt: string;
  decidedAt: string | null;
  /** who decided (null: the system, on a timeout) */
  by: string | null;
  comment: string | null;
  /** the instance's round when the task was opened */
  round: number;
}

/** A position in the graph; parallel branches each have one. */
export interface TokenState {
  id: string;
  node: string;
  since: string;
  /** the parallel splits this token is inside, innermost last */
  splits: { id: string; count: number }[];
}

export type InstanceStatus = 'running' | 'completed' | 'rejected' | 'returned' | 'withdrawn' | 'error';

export interface InstanceState {
  status: InstanceStatus;
  /** the record status the instance ended with (an end node's status, "rejected", …) */
  outcome: string | null;
  submitter: string;
  tokens: TokenState[];
  tasks: TaskState[];
  /** tokens that reached a join, by `${joinNode}:${splitId}` */
  joins: Record<string, string[]>;
  /** counter for ids made inside the instance */
  seq: number;
  /** any approval or rejection happened (the submitter may withdraw only before) */
  decided: boolean;
  /** the first step in error, for display (null when none) */
  error: StepError | null;
  /** every branch in error; other branches go on meanwhile, and a retry runs these again */
  errors: StepError[];
  /** 1, and one more on each resubmission: work is returned only to steps passed in this round */
  round: number;
}

export interface StepError {
  node: string;
  token: string;
  message: string;
}

export type WorkflowEvent =
  | { type: 'start' }
  | { type: 'approve'; taskId: string; by: string | null; comment?: string }
  | { type: 'reject'; taskId: string; by: string | null; comment?: string }
  /** back to the submitter (default), or to an approval node the instance passed */
  | { type: 'return'; taskId: string; by: string; to?: string; comment?: string }
  | { type: 'transfer'; taskId: string; by: string; to: string; comment?: string }
  | { type: 'comment'; taskId: string; by: string; comment: string }
  | { type: 'withdraw'; by: string }
  /** the submitter sends a returned record through again */
  | { type: 'resubmit'; by: string }
  | { type: 'timeout'; taskId: string }
  | { type: 'delayDone'; token: string }
  | { type: 'actionDone'; token: string }
  | { type: 'actionFailed'; token: string; message: string }
  /** an admin runs the failed step of an instance in error again */
  | { type: 'retry'; by: string };

export type NotifyKind = 'task' | 'cc' | 'reminder' | 'approved' | 'rejected' | 'returned' | 'withdrawn' | 'error';

export type Effect =
  | { type: 'task.open'; task: TaskState }
  | { type: 'task.close'; taskId: string; status: TaskStatus }
  | { type: 'notify'; users: string[]; kind: NotifyKind; node: string; taskId?: string }
  /** `key` is the idempotency key: running it twice must write once */
  | { type: 'action.run'; key: string; node: string; token: string; action: Action }
  | { type: 'timer.set'; key: string; at: string; event: WorkflowEvent }
  | { type: 'timer.cancel'; key: string }
  | { type: 'record.status'; status: string }
  | { type: 'log'; node: string; kind: string; by: string | null; comment: string | null; taskId?: string };

export interface StepContext {
  instanceId: string;
  now: Date;
  /** the record's current data: conditions, member fields, delays and actions read it */
  record: RecordData;
  /** the user ids an assignee stands for (the server resolves roles, leaders and fields) */
  resolve(assignee: Assignee, submitter: string): string[];
  /** told each time a token moves along an edge (the designer's dry run draws the path with it) */
  onEdge?(from: string, to: string): void;
}

export interface StepResult {
  state: InstanceState;
  effects: Effect[];
}

const MAX_ENTRIES = 1000;
const UNIT_MS = { minutes: 60_000, hours: 3_600_000, days: 86_400_000 } as const;

export function durationMs(d: Duration): number {
  return d.amount * UNIT_MS[d.unit];
}

/** A new instance for a record submitted by `submitter`; send it the `start` event. */
export function newInstance(submitter: string): InstanceState {
  return { status: 'running', outcome: null, submitter, tokens: [], tasks: [], joins: {}, seq: 0, decided: false, error: null, errors: [], round: 1 };
}

const conflict = (message: string) => new TrellisError('CONFLICT', message);

/** Running, with or without a branch in error: events still move the other branches. */
const live = (s: InstanceState) => s.status === 'running' || s.status === 'error';
const forbidden = (message: string) => new TrellisError('FORBIDDEN', message);

/** Applies one event. Throws CONFLICT for an event that no longer fits (a decided task), FORBIDDEN for the wrong person. */
export function step(def: WorkflowDefinition, previous: InstanceState, event: WorkflowEvent, ctx: StepContext): StepResult {
  // a deep copy: the caller keeps `previous` as it was (state is plain JSON)
  const run = new Run(def, JSON.parse(JSON.stringify(previous)) as InstanceState, ctx);
  run.apply(event);
  return { state: run.state, effects: run.effects };
}

class Run {
  readonly effects: Effect[] = [];
  private readonly nodes: Map<string, WorkflowNode>;
  private readonly out = new Map<string, WorkflowEdge[]>();
  private entries = 0;
  private readonly at: string;

  constructor(
    private readonly def: WorkflowDefinition,
    readonly state: InstanceState,
    private readonly ctx: StepContext,
  ) {
    this.nodes = new Map(def.nodes.map((n) => [n.id, n]));
    for (const e of def.edges) this.out.set(e.from, [...(this.out.get(e.from) ?? []), e]);
    this.at = ctx.now.toISOString();
  }

  apply(event: WorkflowEvent): void {
    const s = this.state;
    switch (event.type) {
      case 'start': {
        if (s.tokens.length || s.tasks.length) throw conflict('The workflow has already started');
        this.begin();
        return;
      }
      case 'resubmit': {
        if (s.status !== 'returned') throw conflict('Only a returned record can be submitted again');
        if (event.by !== s.submitter) throw forbidden('Only the submitter can submit it again');
        s.status = 'running';
        s.outcome = null;
        s.decided = false;
        s.joins = {};
        s.round = (s.round ?? 1) + 1;
        this.log('start', 'resubmitted', event.by, null);
        this.begin();
        return;
      }
      case 'withdraw': {
        // not while a step is in error: an admin looks at it first
        if (s.status !== 'running') throw conflict('The workflow is not running');
        if (event.by !== s.submitter) throw forbidden('Only the submitter can withdraw');
        if (s.decided) throw conflict('Someone has already decided: it can no longer be withdrawn');
        this.finish('withdrawn', 'withdrawn', 'withdrawn', event.by);
        return;
      }
      case 'approve':
      case 'reject':
      case 'return':
      case 'transfer':
      case 'comment':
        this.onTask(event);
        return;
      case 'timeout':
        this.onTimeout(event.taskId);
        return;
      case 'delayDone':
      case 'actionDone': {
        const token = this.waitingToken(event.token, event.type === 'delayDone' ? 'delay' : 'action');
        if (!token) return; // already moved on (a duplicate delivery)
        this.log(token.node, event.type === 'delayDone' ? 'delay.done' : 'action.done', null, null);
        this.leave(token);
        return;
      }
      case 'actionFailed': {
        const token = this.waitingToken(event.token, 'action');
        if (!token) return;
        this.log(token.node, 'action.failed', null, event.message);
        this.fail(token, event.message);
        return;
      }
      case 'retry': {
        const failed = s.errors ?? [];
        if (s.status !== 'error' || failed.length === 0) throw conflict('Only an instance in error can be retried');
        this.setErrors([]);
        for (const e of failed) {
          const token = s.tokens.find((t) => t.id === e.token);
          this.log(e.node, 'retry', event.by, null);
          if (token) this.enter(token, token.node);
        }
        return;
      }
    }
  }

  // --- tasks ---------------------------------------------------------------

  private onTask(event: Extract<WorkflowEvent, { taskId: string; by: string | null }>): void {
    const s = this.state;
    const task = s.tasks.find((t) => t.id === event.taskId);
    if (!task) throw new TrellisError('NOT_FOUND', `Task "${event.taskId}" not found`);
    if (!live(s) || task.status !== 'open') throw conflict(`This task was already ${task.status === 'open' ? 'closed' : task.status}`);
    if (event.by !== null && event.by !== task.assignee) throw forbidden('This task is assigned to someone else');
    const comment = 'comment' in event ? (event.comment ?? null) : null;
    switch (event.type) {
      case 'comment':
        this.log(task.node, 'comment', event.by, comment, task.id);
        return;
      case 'approve':
        this.decide(task, 'approved', event.by, comment);
        this.afterApproval(task);
        return;
      case 'reject':
        this.decide(task, 'rejected', event.by, comment);
        this.finish('rejected', 'rejected', 'rejected', event.by, task.node);
        return;
      case 'transfer': {
        if (event.to === task.assignee) throw conflict('The task is already theirs');
        this.decide(task, 'transferred', event.by, comment);
        this.openTask(this.node(task.node), task.token, event.to, task.order, 'open');
        return;
      }
      case 'return': {
        const to = event.to;
        if (to === undefined || to === s.submitter) {
          this.decide(task, 'returned', event.by, comment);
          this.closeAll();
          s.status = 'returned';
          s.outcome = 'returned';
          s.tokens = [];
          this.effects.push({ type: 'record.status', status: 'returned' });
          this.effects.push({ type: 'notify', users: [s.submitter], kind: 'returned', node: task.node, taskId: task.id });
          return;
        }
        // an approval step this same branch passed in this round: not one of an earlier round, a later
        // step, or one across a parallel join (its branch is gone)
        const target = this.nodes.get(to);
        const passed = s.tasks.some((t) => t.node === to && t.status === 'approved' && t.token === task.token && (t.round ?? 1) === (s.round ?? 1));
        if (!target || target.type !== 'approval' || !passed) {
          throw conflict(`Work can only go back to an approval step this request passed on its way here, not "${to}"`);
        }
        const token = s.tokens.find((t) => t.id === task.token);
        if (!token) throw conflict('This step is no longer active');
        this.decide(task, 'returned', event.by, comment);
        this.closeNode(task.node, task.token);
        this.enter(token, to);
        return;
      }
    }
  }

  private decide(task: TaskState, status: TaskStatus, by: string | null, comment: string | null): void {
    task.status = status;
    task.decidedAt = this.at;
    task.by = by;
    task.comment = comment;
    if (status === 'approved' || status === 'rejected') this.state.decided = true;
    this.effects.push({ type: 'task.close', taskId: task.id, status });
    if (this.hasTimeout(task.node)) this.effects.push({ type: 'timer.cancel', key: `timeout:${task.id}` });
    this.log(task.node, status, by, comment, task.id);
  }

  private afterApproval(task: TaskState): void {
    const node = this.node(task.node);
    if (node.type !== 'approval') return;
    const mine = this.state.tasks.filter((t) => t.node === task.node && t.token === task.token && (t.status === 'open' || t.status === 'waiting'));
    if (node.mode === 'any') {
      for (const t of mine) this.cancel(t);
    } else if (node.mode === 'sequential') {
      const next = mine.filter((t) => t.status === 'waiting').sort((a, b) => a.order - b.order)[0];
      if (next) {
        this.activate(node, next);
        return;
      }
    } else if (mine.length > 0) {
      return; // all must approve: others still open
    }
    const token = this.state.tokens.find((t) => t.id === task.token);
    if (token) this.leave(token);
  }

  private onTimeout(taskId: string): void {
    const task = this.state.tasks.find((t) => t.id === taskId);
    if (!task || task.status !== 'open' || !live(this.state)) return; // decided meanwhile
    const node = this.node(task.node);
    if (node.type !== 'approval' || !node.timeout) return;
    switch (node.timeout.action) {
      case 'remind':
        this.effects.push({ type: 'notify', users: [task.assignee], kind: 'reminder', node: node.id, taskId: task.id });
        this.log(node.id, 'reminded', null, null, task.id);
        return;
      case 'approve':
        this.decide(task, 'approved', null, 'approved on timeout');
        this.afterApproval(task);
        return;
      case 'reject':
        this.decide(task, 'rejected', null, 'rejected on timeout');
        this.finish('rejected', 'rejected', 'rejected', null, node.id);
        return;
      case 'escalate': {
        const users = this.resolveAll(node.timeout.escalateTo ?? []).filter((u) => u !== task.assignee);
        if (users.length === 0) {
          this.effects.push({ type: 'notify', users: [task.assignee], kind: 'reminder', node: node.id, taskId: task.id });
          return;
        }
        this.decide(task, 'escalated', null, 'escalated on timeout');
        for (const u of users) this.openTask(node, task.token, u, task.order, 'open', false);
        return;
      }
    }
  }

  private openTask(node: WorkflowNode, token: string, assignee: string, order: number, status: 'open' | 'waiting', withTimer = true): TaskState {
    const task: TaskState = {
      id: this.newId('t'), node: node.id, token, assignee, status, order, createdAt: this.at, decidedAt: null, by: null, comment: null,
      round: this.state.round ?? 1,
    };
    this.state.tasks.push(task);
    if (status === 'open') this.activate(node, task, withTimer);
    return task;
  }

  private activate(node: WorkflowNode, task: TaskState, withTimer = true): void {
    task.status = 'open';
    this.effects.push({ type: 'task.open', task: { ...task } });
    this.effects.push({ type: 'notify', users: [task.assignee], kind: 'task', node: node.id, taskId: task.id });
    if (withTimer && node.type === 'approval' && node.timeout) {
      const at = new Date(this.ctx.now.getTime() + durationMs(node.timeout.after)).toISOString();
      this.effects.push({ type: 'timer.set', key: `timeout:${task.id}`, at, event: { type: 'timeout', taskId: task.id } });
    }
  }

  private cancel(task: TaskState): void {
    const wasOpen = task.status === 'open';
    task.status = 'cancelled';
    task.decidedAt = this.at;
    if (wasOpen) {
      this.effects.push({ type: 'task.close', taskId: task.id, status: 'cancelled' });
      if (this.hasTimeout(task.node)) this.effects.push({ type: 'timer.cancel', key: `timeout:${task.id}` });
    }
  }

  /** Cancels the open and waiting tasks of one node visit. */
  private closeNode(node: string, token: string): void {
    for (const t of this.state.tasks) if (t.node === node && t.token === token && (t.status === 'open' || t.status === 'waiting')) this.cancel(t);
  }

  /** Cancels every open task and pending timer of the instance. */
  private closeAll(): void {
    for (const t of this.state.tasks) if (t.status === 'open' || t.status === 'waiting') this.cancel(t);
    for (const token of this.state.tokens) {
      const n = this.nodes.get(token.node);
      if (n?.type === 'delay') this.effects.push({ type: 'timer.cancel', key: `delay:${token.id}` });
    }
  }

  // --- moving through the graph ------------------------------------------------

  private begin(): void {
    const start = this.def.nodes.find((n) => n.type === 'start');
    if (!start) throw new TrellisError('INVALID_DEFINITION', 'The workflow has no start node');
    this.state.tokens = [];
    this.effects.push({ type: 'record.status', status: 'running' });
    const token: TokenState = { id: this.newId('k'), node: start.id, since: this.at, splits: [] };
    this.state.tokens.push(token);
    this.log(start.id, 'started', this.state.submitter, null);
    this.leave(token);
  }

  private leave(token: TokenState): void {
    const edge = (this.out.get(token.node) ?? [])[0];
    if (!edge) throw new TrellisError('INVALID_DEFINITION', `Node "${token.node}" leads nowhere`);
    this.enter(token, edge.to);
  }

  private enter(token: TokenState, nodeId: string): void {
    if (++this.entries > MAX_ENTRIES) throw new TrellisError('INVALID_DEFINITION', 'The workflow moved through more than 1000 steps at once');
    if (!live(this.state)) return;
    const node = this.node(nodeId);
    this.ctx.onEdge?.(token.node, node.id);
    token.node = node.id;
    token.since = this.at;
    switch (node.type) {
      case 'start':
        this.leave(token);
        return;
      case 'condition': {
        const scope = ruleScope(this.ctx.record, { user: null, now: this.ctx.now });
        const edges = this.out.get(node.id) ?? [];
        const taken = edges.find((e) => !e.default && e.condition !== undefined && truthy(applyLogic(e.condition, scope))) ?? edges.find((e) => e.default);
        if (!taken) throw new TrellisError('INVALID_DEFINITION', `Condition "${node.id}" has no default branch`);
        this.log(node.id, 'branch', null, taken.to);
        this.enter(token, taken.to);
        return;
      }
      case 'parallel': {
        const edges = this.out.get(node.id) ?? [];
        const split = { id: this.newId('s'), count: edges.length };
        this.state.tokens = this.state.tokens.filter((t) => t.id !== token.id);
        const children = edges.map((): TokenState => ({ id: this.newId('k'), node: node.id, since: this.at, splits: [...token.splits, split] }));
        this.state.tokens.push(...children);
        children.forEach((child, i) => this.enter(child, edges[i]!.to));
        return;
      }
      case 'join': {
        const split = token.splits.at(-1);
        if (!split) throw new TrellisError('INVALID_DEFINITION', `Join "${node.id}" reached outside a parallel split`);
        const key = `${node.id}:${split.id}`;
        const arrived = [...(this.state.joins[key] ?? []), token.id];
        this.state.joins[key] = arrived;
        if (arrived.length < split.count) return;
        delete this.state.joins[key];
        this.state.tokens = this.state.tokens.filter((t) => !arrived.includes(t.id));
        const merged: TokenState = { id: this.newId('k'), node: node.id, since: this.at, splits: token.splits.slice(0, -1) };
        this.state.tokens.push(merged);
        this.leave(merged);
        return;
      }
      case 'cc': {
        const users = this.resolveAll(node.assignees);
        if (users.length) this.effects.push({ type: 'notify', users, kind: 'cc', node: node.id });
        this.log(node.id, 'cc', null, null);
        this.leave(token);
        return;
      }
      case 'action':
        this.effects.push({ type: 'action.run', key: `${this.ctx.instanceId}:${token.id}:${node.id}`, node: node.id, token: token.id, action: node.action });
        return;
      case 'delay': {
        const at = this.delayUntil(node);
        if (at === null || at.getTime() <= this.ctx.now.getTime()) {
          this.leave(token);
          return;
        }
        this.effects.push({ type: 'timer.set', key: `delay:${token.id}`, at: at.toISOString(), event: { type: 'delayDone', token: token.id } });
        return;
      }
      case 'approval': {
        const users = this.resolveAll(node.assignees);
        if (users.length === 0) {
          const message = 'No one to approve: the assignees resolve to no active user';
          this.fail(token, message, false);
          this.log(node.id, 'error', null, message);
          return;
        }
        this.log(node.id, 'entered', null, null);
        users.forEach((u, i) => {
          const sequential = node.mode === 'sequential';
          this.openTask(node, token.id, u, sequential ? i : 0, sequential && i > 0 ? 'waiting' : 'open');
        });
        return;
      }
      case 'end':
        this.finish('completed', node.status ?? 'approved', 'approved', null, node.id);
        return;
    }
  }

  private finish(status: InstanceStatus, outcome: string, kind: NotifyKind, by: string | null, node = 'end'): void {
    this.closeAll();
    const s = this.state;
    s.status = status;
    s.outcome = outcome;
    s.tokens = [];
    s.errors = [];
    s.error = null;
    this.effects.push({ type: 'record.status', status: outcome });
    this.effects.push({ type: 'notify', users: [s.submitter], kind, node });
    this.log(node, status, by, null);
  }

  private delayUntil(node: Extract<WorkflowNode, { type: 'delay' }>): Date | null {
    if (node.duration) return new Date(this.ctx.now.getTime() + durationMs(node.duration));
    const v = node.until ? this.ctx.record[node.until] : undefined;
    if (typeof v !== 'string') return null;
    const t = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T00:00:00Z` : v);
    return Number.isFinite(t) ? new Date(t) : null;
  }

  private waitingToken(id: string, type: 'delay' | 'action'): TokenState | null {
    if (!live(this.state)) return null;
    const token = this.state.tokens.find((t) => t.id === id);
    if (!token || this.nodes.get(token.node)?.type !== type) return null;
    // a late success of a step in error clears that error only
    const errors = this.state.errors ?? [];
    if (errors.some((e) => e.token === id)) this.setErrors(errors.filter((e) => e.token !== id));
    return token;
  }

  /** Puts one branch in error (replacing an earlier error of that branch); the others go on. */
  private fail(token: TokenState, message: string, notify = true): void {
    const errors = [...(this.state.errors ?? []).filter((e) => e.token !== token.id), { node: token.node, token: token.id, message }];
    this.setErrors(errors);
    if (notify) this.effects.push({ type: 'notify', users: [this.state.submitter], kind: 'error', node: token.node });
  }

  private setErrors(errors: StepError[]): void {
    const s = this.state;
    s.errors = errors;
    s.error = errors[0] ?? null;
    if (live(s)) s.status = errors.length ? 'error' : 'running';
  }

  /** Only steps with a timeout set timers, so only they have timers to cancel. */
  private hasTimeout(nodeId: string): boolean {
    const n = this.nodes.get(nodeId);
    return n?.type === 'approval' && n.timeout !== undefined;
  }

  private resolveAll(assignees: Assignee[]): string[] {
    return [...new Set(assignees.flatMap((a) => this.ctx.resolve(a, this.state.submitter)))];
  }

  private node(id: string): WorkflowNode {
    const n = this.nodes.get(id);
    if (!n) throw new TrellisError('INVALID_DEFINITION', `The workflow has no node "${id}"`);
    return n;
  }

  private newId(kind: string): string {
    return `${this.ctx.instanceId}-${kind}${++this.state.seq}`;
  }

  private log(node: string, kind: string, by: string | null, comment: string | null, taskId?: string): void {
    this.effects.push({ type: 'log', node, kind, by, comment, ...(taskId ? { taskId } : {}) });
  }
}
