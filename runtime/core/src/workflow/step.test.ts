import { describe, expect, it } from 'vitest';
import { isTrellisError, type ErrorCode } from '../errors.js';
import type { RecordData } from '../record.js';
import type { Action, Assignee, WorkflowDefinition, WorkflowNode } from '../schema/workflow.js';
import { directory, purchaseFlow, purchaseRequest } from './purchase-flow.fixture.js';
import { newInstance, step, type Effect, type InstanceState, type StepContext, type TaskState, type WorkflowEvent } from './step.js';

const T0 = new Date('2024-05-06T09:00:00.000Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

function deepFreeze<T>(v: T): T {
  if (v !== null && typeof v === 'object' && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const x of Object.values(v)) deepFreeze(x);
  }
  return v;
}

/**
 * One workflow instance driven through `step`, the way the server does: it
 * keeps the latest state and the effects of the last event. Every state and
 * definition handed to `step` is frozen, so a mutation fails the test.
 */
class Walk {
  state: InstanceState;
  effects: Effect[] = [];
  now = T0;
  resolve: StepContext['resolve'];

  constructor(
    readonly def: WorkflowDefinition,
    public record: RecordData = purchaseRequest(),
    readonly instanceId = 'pr1',
    submitter = 'sam',
  ) {
    deepFreeze(def);
    this.state = newInstance(submitter);
    this.resolve = directory(record);
  }

  ctx(): StepContext {
    return { instanceId: this.instanceId, now: this.now, record: this.record, resolve: this.resolve };
  }

  send(event: WorkflowEvent): Effect[] {
    const r = step(this.def, deepFreeze(this.state), event, this.ctx());
    this.state = r.state;
    this.effects = r.effects;
    return r.effects;
  }

  start(): Effect[] {
    return this.send({ type: 'start' });
  }

  /** the open task of `user`, at `node` when given */
  task(user: string, node?: string): TaskState {
    const t = this.state.tasks.find((x) => x.assignee === user && x.status === 'open' && (node === undefined || x.node === node));
    if (!t) throw new Error(`${user} has no open task${node ? ` at ${node}` : ''}`);
    return t;
  }

  approve(user: string, comment?: string): Effect[] {
    return this.send({ type: 'approve', taskId: this.task(user).id, by: user, ...(comment ? { comment } : {}) });
  }

  reject(user: string, comment?: string): Effect[] {
    return this.send({ type: 'reject', taskId: this.task(user).id, by: user, ...(comment ? { comment } : {}) });
  }

  returnTo(user: string, to?: string): Effect[] {
    return this.send({ type: 'return', taskId: this.task(user).id, by: user, ...(to ? { to } : {}) });
  }

  /** open tasks as `node:assignee` */
  open(): string[] {
    return this.state.tasks.filter((t) => t.status === 'open').map((t) => `${t.node}:${t.assignee}`);
  }

  /** task.close effects as `assignee:status` */
  closed(effects = this.effects): string[] {
    return effects.flatMap((e) => (e.type === 'task.close' ? [`${this.state.tasks.find((t) => t.id === e.taskId)?.assignee}:${e.status}`] : []));
  }

  /** the token waiting at `node` */
  token(node: string): string {
    const t = this.state.tokens.find((x) => x.node === node);
    if (!t) throw new Error(`no token at ${node}`);
    return t.id;
  }
}

const opened = (effects: Effect[]) => effects.flatMap((e) => (e.type === 'task.open' ? [`${e.task.node}:${e.task.assignee}`] : []));
const notified = (effects: Effect[]) => effects.flatMap((e) => (e.type === 'notify' ? [`${e.kind}:${e.users.join(',')}`] : []));
const statuses = (effects: Effect[]) => effects.flatMap((e) => (e.type === 'record.status' ? [e.status] : []));
const ofType = <T extends Effect['type']>(effects: Effect[], type: T) => effects.filter((e): e is Extract<Effect, { type: T }> => e.type === type);

/** The error code `fn` throws (null when it does not). */
function codeOf(fn: () => unknown): ErrorCode | string | null {
  try {
    fn();
    return null;
  } catch (e) {
    return isTrellisError(e) ? e.code : String(e);
  }
}

// --- small definitions ---------------------------------------------------------

const START: WorkflowNode = { id: 'start', type: 'start' };
const DONE: WorkflowNode = { id: 'done', type: 'end' };
const users = (...u: string[]): Assignee[] => [{ type: 'users', users: u }];
const webhook = (path: string): Action => ({ type: 'webhook', url: `https://hooks.example.com/${path}` });

/** start → nodes in a line → done */
function line(...nodes: WorkflowNode[]): WorkflowDefinition {
  const all = [START, ...nodes, DONE];
  return { nodes: all, edges: all.slice(1).map((n, i) => ({ from: all[i]!.id, to: n.id })) };
}
type Approval = Extract<WorkflowNode, { type: 'approval' }>;
const review = (mode: Approval['mode'], who: Assignee[] = users('ann', 'bob', 'cat'), extra: Partial<Approval> = {}): Approval =>
  ({ id: 'review', type: 'approval', assignees: who, mode, ...extra });
const timeoutReview = (action: NonNullable<Approval['timeout']>['action'], escalateTo?: Assignee[]) =>
  line(review('any', users('ann'), { timeout: { after: { amount: 2, unit: 'hours' }, action, ...(escalateTo ? { escalateTo } : {}) } }));

/** start → split → each branch → join → then… → done */
function parallel(branches: WorkflowNode[][], then: WorkflowNode[] = []): WorkflowDefinition {
  const nodes: WorkflowNode[] = [START, { id: 'split', type: 'parallel' }, ...branches.flat(), { id: 'join', type: 'join' }, ...then, DONE];
  const edges = [{ from: 'start', to: 'split' }];
  for (const b of branches) {
    const ids = ['split', ...b.map((n) => n.id), 'join'];
    for (let i = 1; i < ids.length; i++) edges.push({ from: ids[i - 1]!, to: ids[i]! });
  }
  const after = ['join', ...then.map((n) => n.id), 'done'];
  for (let i = 1; i < after.length; i++) edges.push({ from: after[i - 1]!, to: after[i]! });
  return { nodes, edges };
}
const approval = (id: string, ...who: string[]): WorkflowNode => ({ id, type: 'approval', assignees: users(...who), mode: 'any' });
const action = (id: string, a: Action = webhook(id)): WorkflowNode => ({ id, type: 'action', action: a });
const delay = (id: string, d: Partial<Extract<WorkflowNode, { type: 'delay' }>>): WorkflowNode => ({ id, type: 'delay', ...d });

// --- tests ------------------------------------------------------------------------

describe('a purchase request', () => {
  const orderAction = () => {
    const n = purchaseFlow().nodes.find((x) => x.id === 'order');
    if (n?.type !== 'action') throw new Error('fixture changed');
    return n.action;
  };

  it('of a small amount goes leader → CC warehouse → purchase order → approved', () => {
    const w = new Walk(purchaseFlow(), purchaseRequest(800));
    expect(w.start()).toEqual([
      { type: 'record.status', status: 'running' },
      { type: 'log', node: 'start', kind: 'started', by: 'sam', comment: null },
      { type: 'log', node: 'leader', kind: 'entered', by: null, comment: null },
      {
        type: 'task.open',
        task: { id: 'pr1-t2', node: 'leader', token: 'pr1-k1', assignee: 'lee', status: 'open', order: 0, createdAt: T0.toISOString(), decidedAt: null, by: null, comment: null, round: 1 },
      },
      { type: 'notify', users: ['lee'], kind: 'task', node: 'leader', taskId: 'pr1-t2' },
    ]);
    expect(w.state).toMatchObject({ status: 'running', outcome: null, submitter: 'sam', decided: false, error: null });

    w.now = at(60);
    expect(w.approve('lee', 'fine by me')).toEqual([
      { type: 'task.close', taskId: 'pr1-t2', status: 'approved' },
      { type: 'log', node: 'leader', kind: 'approved', by: 'lee', comment: 'fine by me', taskId: 'pr1-t2' },
      { type: 'log', node: 'big', kind: 'branch', by: null, comment: 'warehouse' },
      { type: 'notify', users: ['wes', 'wu'], kind: 'cc', node: 'warehouse' },
      { type: 'log', node: 'warehouse', kind: 'cc', by: null, comment: null },
      { type: 'action.run', key: 'pr1:pr1-k1:order', node: 'order', token: 'pr1-k1', action: orderAction() },
    ]);
    expect(w.state.tasks[0]).toMatchObject({ status: 'approved', by: 'lee', comment: 'fine by me', decidedAt: at(60).toISOString() });
    expect(w.state.tokens.map((t) => t.node)).toEqual(['order']);

    w.now = at(61);
    expect(w.send({ type: 'actionDone', token: 'pr1-k1' })).toEqual([
      { type: 'log', node: 'order', kind: 'action.done', by: null, comment: null },
      { type: 'record.status', status: 'approved' },
      { type: 'notify', users: ['sam'], kind: 'approved', node: 'done' },
      { type: 'log', node: 'done', kind: 'completed', by: null, comment: null },
    ]);
    expect(w.state).toEqual({
      status: 'completed', outcome: 'approved', submitter: 'sam', tokens: [], joins: {}, seq: 2, decided: true, error: null, errors: [], round: 1,
      tasks: [{ id: 'pr1-t2', node: 'leader', token: 'pr1-k1', assignee: 'lee', status: 'approved', order: 0, createdAt: T0.toISOString(), decidedAt: at(60).toISOString(), by: 'lee', comment: 'fine by me', round: 1 }],
    });
  });

  it('of more than 10,000 also needs both finance approvers, then goes on to the warehouse and the order', () => {
    const w = new Walk(purchaseFlow(), purchaseRequest(20_000));
    w.start();
    const afterLeader = w.approve('lee');
    expect(afterLeader.find((e) => e.type === 'log' && e.kind === 'branch')).toMatchObject({ node: 'big', comment: 'finance' });
    expect(opened(afterLeader)).toEqual(['finance:fay', 'finance:fin']);
    expect(notified(afterLeader)).toEqual(['task:fay', 'task:fin']);
    expect(ofType(afterLeader, 'action.run')).toEqual([]);

    // one finance approval is not enough
    const afterFay = w.approve('fay');
    expect(w.closed(afterFay)).toEqual(['fay:approved']);
    expect(notified(afterFay)).toEqual([]);
    expect(w.open()).toEqual(['finance:fin']);

    const afterFin = w.approve('fin');
    expect(w.closed(afterFin)).toEqual(['fin:approved']);
    expect(notified(afterFin)).toEqual(['cc:wes,wu']);
    expect(ofType(afterFin, 'action.run')).toEqual([{ type: 'action.run', key: 'pr1:pr1-k1:order', node: 'order', token: 'pr1-k1', action: orderAction() }]);

    const done = w.send({ type: 'actionDone', token: 'pr1-k1' });
    expect(statuses(done)).toEqual(['approved']);
    expect(notified(done)).toEqual(['approved:sam']);
    expect(w.state.status).toBe('completed');
    expect(w.state.outcome).toBe('approved');
    expect(w.state.tasks.map((t) => `${t.node}:${t.assignee}:${t.status}`)).toEqual(['leader:lee:approved', 'finance:fay:approved', 'finance:fin:approved']);
  });

  it('creates the purchase order under a key that is the same on every run of the same instance, and differs between instances', () => {
    const keyOf = (instanceId: string) => {
      const w = new Walk(purchaseFlow(), purchaseRequest(800), instanceId);
      w.start();
      return ofType(w.approve('lee'), 'action.run')[0]!.key;
    };
    expect(keyOf('pr1')).toBe('pr1:pr1-k1:order');
    expect(keyOf('pr1')).toBe(keyOf('pr1'));
    expect(keyOf('pr2')).not.toBe(keyOf('pr1'));
  });

  it('ends with the status the end node names', () => {
    const def = line(review('any', users('ann')));
    def.nodes[def.nodes.length - 1] = { id: 'done', type: 'end', status: 'ordered' };
    const w = new Walk(def);
    w.start();
    expect(statuses(w.approve('ann'))).toEqual(['ordered']);
    expect(w.state).toMatchObject({ status: 'completed', outcome: 'ordered' });
  });
});

describe('approval modes', () => {
  it('any one: the first approval decides and closes the others as cancelled', () => {
    const w = new Walk(line(review('any')));
    expect(opened(w.start())).toEqual(['review:ann', 'review:bob', 'review:cat']);
    const effects = w.approve('bob');
    expect(w.closed(effects)).toEqual(['bob:approved', 'ann:cancelled', 'cat:cancelled']);
    // the step has no timeout, so there are no timers to cancel
    expect(ofType(effects, 'timer.cancel')).toEqual([]);
    expect(w.state.status).toBe('completed');
    expect(w.state.tasks.map((t) => t.status)).toEqual(['cancelled', 'approved', 'cancelled']);
  });

  it('all must approve: waits for everyone', () => {
    const w = new Walk(line(review('all')));
    w.start();
    expect(w.closed(w.approve('ann'))).toEqual(['ann:approved']);
    expect(w.closed(w.approve('cat'))).toEqual(['cat:approved']);
    expect(w.state.status).toBe('running');
    expect(w.open()).toEqual(['review:bob']);
    expect(statuses(w.approve('bob'))).toEqual(['approved']);
    expect(w.state.status).toBe('completed');
  });

  it('all must approve: one rejection rejects the whole request', () => {
    const w = new Walk(line(review('all')));
    w.start();
    w.approve('ann');
    const effects = w.reject('bob', 'too expensive');
    expect(w.closed(effects)).toEqual(['bob:rejected', 'cat:cancelled']);
    expect(statuses(effects)).toEqual(['rejected']);
    expect(notified(effects)).toEqual(['rejected:sam']);
    expect(w.state).toMatchObject({ status: 'rejected', outcome: 'rejected', tokens: [] });
  });

  it('sequential: the next approver gets the task only after the previous one approves', () => {
    const w = new Walk(line(review('sequential')));
    expect(opened(w.start())).toEqual(['review:ann']);
    expect(w.state.tasks.map((t) => `${t.assignee}:${t.status}:${t.order}`)).toEqual(['ann:open:0', 'bob:waiting:1', 'cat:waiting:2']);
    expect(codeOf(() => w.send({ type: 'approve', taskId: w.state.tasks[1]!.id, by: 'bob' }))).toBe('CONFLICT');

    const first = w.approve('ann');
    expect(w.closed(first)).toEqual(['ann:approved']);
    expect(opened(first)).toEqual(['review:bob']);
    expect(notified(first)).toEqual(['task:bob']);
    expect(opened(w.approve('bob'))).toEqual(['review:cat']);
    expect(statuses(w.approve('cat'))).toEqual(['approved']);
    expect(w.state.status).toBe('completed');
  });

  it('sequential: a rejection drops the approvers still waiting, without closing tasks they never had', () => {
    const w = new Walk(line(review('sequential')));
    w.start();
    w.approve('ann');
    const effects = w.reject('bob');
    expect(w.closed(effects)).toEqual(['bob:rejected']);
    expect(w.state.tasks.map((t) => t.status)).toEqual(['approved', 'rejected', 'cancelled']);
    expect(w.state.status).toBe('rejected');
  });

  it('asks each person once even when several assignees name them', () => {
    const w = new Walk(line(review('all', [...users('ann', 'bob'), { type: 'field', field: 'watchers' }, ...users('bob')])));
    expect(opened(w.start())).toEqual(['review:ann', 'review:bob', 'review:wendy', 'review:walt']);
  });
});

describe('rejecting, returning, transferring, commenting, withdrawing', () => {
  it('a rejection ends the request "rejected" and cancels every open task and delay timer', () => {
    const def = parallel([[approval('legal', 'ann', 'bob')], [delay('cool', { duration: { amount: 2, unit: 'days' } })], [approval('buyer', 'cat')]]);
    const w = new Walk(def);
    w.start();
    const coolToken = w.token('cool');
    const effects = w.reject('ann', 'no');
    expect(w.closed(effects)).toEqual(['ann:rejected', 'bob:cancelled', 'cat:cancelled']);
    expect(ofType(effects, 'timer.cancel').map((e) => e.key)).toContain(`delay:${coolToken}`);
    expect(statuses(effects)).toEqual(['rejected']);
    expect(notified(effects)).toEqual(['rejected:sam']);
    expect(w.state).toMatchObject({ status: 'rejected', outcome: 'rejected', tokens: [], decided: true });
    expect(w.open()).toEqual([]);
    // the delay firing later changes nothing
    expect(w.send({ type: 'delayDone', token: coolToken })).toEqual([]);
  });

  it('a rejection notifies the submitter naming the node that rejected', () => {
    const w = new Walk(purchaseFlow());
    w.start();
    const effects = w.reject('lee');
    expect(ofType(effects, 'notify')).toEqual([{ type: 'notify', users: ['sam'], kind: 'rejected', node: 'leader' }]);
    expect(ofType(effects, 'log').map((e) => e.node)).toEqual(['leader', 'leader']);
  });

  it('returning to the submitter sets the record "returned"; resubmitting starts again with new tasks', () => {
    const w = new Walk(purchaseFlow(), purchaseRequest(20_000));
    w.start();
    w.approve('lee');
    const effects = w.send({ type: 'return', taskId: w.task('fin').id, by: 'fin', comment: 'attach a quote' });
    expect(w.closed(effects)).toEqual(['fin:returned', 'fay:cancelled']);
    expect(statuses(effects)).toEqual(['returned']);
    expect(ofType(effects, 'notify')).toEqual([{ type: 'notify', users: ['sam'], kind: 'returned', node: 'finance', taskId: w.state.tasks.find((t) => t.assignee === 'fin')!.id }]);
    expect(w.state).toMatchObject({ status: 'returned', outcome: 'returned', tokens: [] });
    expect(w.state.tasks.find((t) => t.assignee === 'fin')!.comment).toBe('attach a quote');

    // not someone else, and only while returned
    expect(codeOf(() => w.send({ type: 'resubmit', by: 'lee' }))).toBe('FORBIDDEN');
    expect(codeOf(() => w.send({ type: 'withdraw', by: 'sam' }))).toBe('CONFLICT');

    w.now = at(120);
    const again = w.send({ type: 'resubmit', by: 'sam' });
    expect(statuses(again)).toEqual(['running']);
    expect(again[0]).toEqual({ type: 'log', node: 'start', kind: 'resubmitted', by: 'sam', comment: null });
    expect(opened(again)).toEqual(['leader:lee']);
    const oldLee = w.state.tasks[0]!;
    const newLee = w.task('lee');
    expect(newLee.id).not.toBe(oldLee.id);
    expect(newLee.createdAt).toBe(at(120).toISOString());
    expect(w.state).toMatchObject({ status: 'running', outcome: null, decided: false });
    expect(codeOf(() => w.send({ type: 'resubmit', by: 'sam' }))).toBe('CONFLICT');

    // the second round runs through
    w.approve('lee');
    w.approve('fay');
    w.approve('fin');
    w.send({ type: 'actionDone', token: w.token('order') });
    expect(w.state).toMatchObject({ status: 'completed', outcome: 'approved' });
  });

  it('returning to an earlier approval step reopens it; that step then continues as before', () => {
    const w = new Walk(line(approval('leader', 'lee'), approval('manager', 'dan'), approval('director', 'boss')));
    w.start();
    w.approve('lee');
    w.approve('dan');
    const effects = w.returnTo('boss', 'manager');
    expect(w.closed(effects)).toEqual(['boss:returned']);
    expect(opened(effects)).toEqual(['manager:dan']);
    expect(statuses(effects)).toEqual([]);
    expect(w.state.status).toBe('running');
    expect(w.state.tokens.map((t) => t.node)).toEqual(['manager']);
    expect(opened(w.approve('dan'))).toEqual(['director:boss']);
    expect(statuses(w.approve('boss'))).toEqual(['approved']);
  });

  it('returning to the submitter by naming them works like a plain return', () => {
    const w = new Walk(line(approval('leader', 'lee')));
    w.start();
    w.returnTo('lee', 'sam');
    expect(w.state.status).toBe('returned');
  });

  it('refuses to return to a step not passed yet, to a step that is not an approval, or to no step at all', () => {
    const w = new Walk(line(approval('leader', 'lee'), approval('manager', 'dan'), { id: 'tell', type: 'cc', assignees: users('ann') }, approval('director', 'boss')));
    w.start();
    w.approve('lee');
    expect(codeOf(() => w.returnTo('dan', 'director'))).toBe('CONFLICT');
    expect(codeOf(() => w.returnTo('dan', 'tell'))).toBe('CONFLICT');
    expect(codeOf(() => w.returnTo('dan', 'nowhere'))).toBe('CONFLICT');
    expect(w.open()).toEqual(['manager:dan']);
  });

  it('refuses to return to an earlier step while parallel branches are open', () => {
    const w = new Walk(parallel([[approval('legal', 'ann')], [approval('buyer', 'bob')]]));
    w.start();
    w.approve('ann');
    expect(codeOf(() => w.returnTo('bob', 'legal'))).toBe('CONFLICT');
  });

  it('refuses to return to a step that was passed only before the request was sent back', () => {
    // round 1 passed finance; in round 2 the amount is small and finance is not on the way
    const w = new Walk(purchaseFlow(), purchaseRequest(20_000));
    w.start();
    w.approve('lee');
    w.approve('fay');
    w.returnTo('fin');
    w.record = purchaseRequest(500);
    w.send({ type: 'resubmit', by: 'sam' });
    expect(codeOf(() => w.returnTo('lee', 'finance'))).toBe('CONFLICT');
  });

  it('never strands a request returned into a finished parallel branch', () => {
    const w = new Walk(parallel([[approval('legal', 'ann')], [approval('buyer', 'bob')]], [approval('boss', 'boss')]));
    w.start();
    w.approve('ann');
    w.approve('bob');
    // either refuse the return, or let the branch run to the join again: never a broken definition
    expect(codeOf(() => {
      w.returnTo('boss', 'legal');
      w.approve('ann');
    })).not.toBe('INVALID_DEFINITION');
  });

  it('a transfer gives the task to someone else and closes the old one as "transferred"', () => {
    const w = new Walk(line(review('any', users('ann', 'bob'), { timeout: { after: { amount: 1, unit: 'days' }, action: 'remind' } })));
    w.start();
    const old = w.task('ann');
    const effects = w.send({ type: 'transfer', taskId: old.id, by: 'ann', to: 'ed', comment: 'on holiday' });
    expect(w.closed(effects)).toEqual(['ann:transferred']);
    expect(opened(effects)).toEqual(['review:ed']);
    expect(notified(effects)).toEqual(['task:ed']);
    const ed = w.task('ed');
    expect(ofType(effects, 'timer.cancel').map((e) => e.key)).toEqual([`timeout:${old.id}`]);
    expect(ofType(effects, 'timer.set').map((e) => e.key)).toEqual([`timeout:${ed.id}`]);
    expect(ed).toMatchObject({ node: 'review', token: old.token, order: old.order, status: 'open' });
    expect(w.state.tasks.find((t) => t.id === old.id)).toMatchObject({ status: 'transferred', by: 'ann', comment: 'on holiday' });
    expect(w.state.decided).toBe(false);

    expect(codeOf(() => w.send({ type: 'transfer', taskId: ed.id, by: 'ed', to: 'ed' }))).toBe('CONFLICT');
    expect(codeOf(() => w.send({ type: 'transfer', taskId: ed.id, by: 'ann', to: 'cat' }))).toBe('FORBIDDEN');
    expect(codeOf(() => w.send({ type: 'approve', taskId: old.id, by: 'ann' }))).toBe('CONFLICT');
    expect(statuses(w.approve('ed'))).toEqual(['approved']);
  });

  it('a transfer in a sequential step keeps the place in line', () => {
    const w = new Walk(line(review('sequential', users('ann', 'bob'))));
    w.start();
    w.send({ type: 'transfer', taskId: w.task('ann').id, by: 'ann', to: 'ed' });
    expect(opened(w.approve('ed'))).toEqual(['review:bob']);
  });

  it('a comment is logged and changes nothing else', () => {
    const w = new Walk(purchaseFlow());
    w.start();
    const before = JSON.parse(JSON.stringify(w.state)) as InstanceState;
    const effects = w.send({ type: 'comment', taskId: w.task('lee').id, by: 'lee', comment: 'which laptops?' });
    expect(effects).toEqual([{ type: 'log', node: 'leader', kind: 'comment', by: 'lee', comment: 'which laptops?', taskId: w.task('lee').id }]);
    expect(w.state).toEqual(before);
    expect(codeOf(() => w.send({ type: 'comment', taskId: w.task('lee').id, by: 'sam', comment: 'hello' }))).toBe('FORBIDDEN');
  });

  it('the submitter may withdraw before anyone decides', () => {
    const w = new Walk(parallel([[approval('legal', 'ann')], [delay('cool', { duration: { amount: 1, unit: 'days' } })]]));
    w.start();
    const cool = w.token('cool');
    expect(codeOf(() => w.send({ type: 'withdraw', by: 'ann' }))).toBe('FORBIDDEN');
    const effects = w.send({ type: 'withdraw', by: 'sam' });
    expect(w.closed(effects)).toEqual(['ann:cancelled']);
    expect(ofType(effects, 'timer.cancel').map((e) => e.key)).toContain(`delay:${cool}`);
    expect(statuses(effects)).toEqual(['withdrawn']);
    expect(notified(effects)).toEqual(['withdrawn:sam']);
    expect(w.state).toMatchObject({ status: 'withdrawn', outcome: 'withdrawn', tokens: [] });
    expect(codeOf(() => w.send({ type: 'withdraw', by: 'sam' }))).toBe('CONFLICT');
  });

  it('the submitter may not withdraw once someone has approved', () => {
    const w = new Walk(purchaseFlow(), purchaseRequest(20_000));
    w.start();
    w.approve('lee');
    expect(codeOf(() => w.send({ type: 'withdraw', by: 'sam' }))).toBe('CONFLICT');
    expect(w.open()).toEqual(['finance:fay', 'finance:fin']);
  });

  it('the submitter may still withdraw a resubmitted request after a transfer', () => {
    const w = new Walk(purchaseFlow(), purchaseRequest(20_000));
    w.start();
    w.approve('lee');
    w.returnTo('fay');
    w.send({ type: 'resubmit', by: 'sam' });
    w.send({ type: 'transfer', taskId: w.task('lee').id, by: 'lee', to: 'dan' });
    expect(w.state.decided).toBe(false);
    w.send({ type: 'withdraw', by: 'sam' });
    expect(w.state.status).toBe('withdrawn');
  });
});

describe('who may act, and when', () => {
  it('someone other than the assignee gets FORBIDDEN', () => {
    const w = new Walk(purchaseFlow());
    w.start();
    const lee = w.task('lee');
    for (const event of [
      { type: 'approve', taskId: lee.id, by: 'sam' },
      { type: 'reject', taskId: lee.id, by: 'dan' },
      { type: 'return', taskId: lee.id, by: 'dan' },
      { type: 'transfer', taskId: lee.id, by: 'sam', to: 'dan' },
    ] as WorkflowEvent[]) {
      expect(codeOf(() => w.send(event))).toBe('FORBIDDEN');
    }
    expect(w.open()).toEqual(['leader:lee']);
  });

  it('acting on a decided task gets CONFLICT, and an unknown task NOT_FOUND', () => {
    const w = new Walk(line(review('all', users('ann', 'bob'))));
    w.start();
    const ann = w.task('ann');
    w.approve('ann');
    expect(codeOf(() => w.send({ type: 'approve', taskId: ann.id, by: 'ann' }))).toBe('CONFLICT');
    expect(codeOf(() => w.send({ type: 'reject', taskId: ann.id, by: 'ann' }))).toBe('CONFLICT');
    expect(codeOf(() => w.send({ type: 'comment', taskId: ann.id, by: 'ann', comment: 'x' }))).toBe('CONFLICT');
    expect(codeOf(() => w.send({ type: 'approve', taskId: 'pr1-t999', by: 'ann' }))).toBe('NOT_FOUND');
  });

  it('two approvers at once: the second to be stored loses with CONFLICT', () => {
    const def = deepFreeze(line(review('any', users('ann', 'bob'))));
    const w = new Walk(def);
    w.start();
    const s0 = w.state;
    const ctx = w.ctx();
    const ann = s0.tasks.find((t) => t.assignee === 'ann')!;
    const bob = s0.tasks.find((t) => t.assignee === 'bob')!;
    // both computed from the same state: step is pure, the server's version check picks one
    const first = step(def, s0, { type: 'approve', taskId: ann.id, by: 'ann' }, ctx);
    const same = step(def, s0, { type: 'approve', taskId: ann.id, by: 'ann' }, ctx);
    expect(same).toEqual(first);
    // the loser retries on the stored state
    expect(codeOf(() => step(def, first.state, { type: 'approve', taskId: ann.id, by: 'ann' }, ctx))).toBe('CONFLICT');
    expect(codeOf(() => step(def, first.state, { type: 'approve', taskId: bob.id, by: 'bob' }, ctx))).toBe('CONFLICT');
  });

  it('no task events once the request has ended', () => {
    const w = new Walk(line(review('all', users('ann', 'bob'))));
    w.start();
    w.reject('ann');
    const bob = w.state.tasks.find((t) => t.assignee === 'bob')!;
    expect(codeOf(() => w.send({ type: 'approve', taskId: bob.id, by: 'bob' }))).toBe('CONFLICT');
  });

  it('a workflow starts once', () => {
    const w = new Walk(purchaseFlow());
    w.start();
    expect(codeOf(() => w.start())).toBe('CONFLICT');
  });

  it('an unchecked definition fails with INVALID_DEFINITION, not a crash', () => {
    expect(codeOf(() => new Walk({ nodes: [DONE], edges: [] }).start())).toBe('INVALID_DEFINITION');
    expect(codeOf(() => new Walk({ nodes: [START, DONE], edges: [] }).start())).toBe('INVALID_DEFINITION');
    expect(codeOf(() => new Walk({ nodes: [START], edges: [{ from: 'start', to: 'ghost' }] }).start())).toBe('INVALID_DEFINITION');
    const noDefault: WorkflowDefinition = {
      nodes: [START, { id: 'c', type: 'condition' }, DONE],
      edges: [{ from: 'start', to: 'c' }, { from: 'c', to: 'done', condition: { '>': [{ var: 'amount' }, 1e9] } }],
    };
    expect(codeOf(() => new Walk(noDefault).start())).toBe('INVALID_DEFINITION');
    const loop: WorkflowDefinition = { nodes: [START, { id: 'a', type: 'cc', assignees: users('ann') }], edges: [{ from: 'start', to: 'a' }, { from: 'a', to: 'a' }] };
    expect(codeOf(() => new Walk(loop).start())).toBe('INVALID_DEFINITION');
  });
});

describe('timeouts', () => {
  it('sets a timer for each task that has a timeout, and cancels it when the task is decided', () => {
    const w = new Walk(line(review('all', users('ann', 'bob'), { timeout: { after: { amount: 2, unit: 'hours' }, action: 'remind' } })));
    const timers = ofType(w.start(), 'timer.set');
    const [ann, bob] = [w.task('ann'), w.task('bob')];
    expect(timers).toEqual([
      { type: 'timer.set', key: `timeout:${ann.id}`, at: at(120).toISOString(), event: { type: 'timeout', taskId: ann.id } },
      { type: 'timer.set', key: `timeout:${bob.id}`, at: at(120).toISOString(), event: { type: 'timeout', taskId: bob.id } },
    ]);
    expect(ofType(w.approve('ann'), 'timer.cancel')).toEqual([{ type: 'timer.cancel', key: `timeout:${ann.id}` }]);
  });

  it('remind: notifies the assignee again; the task stays open', () => {
    const w = new Walk(timeoutReview('remind'));
    w.start();
    const ann = w.task('ann');
    w.now = at(120);
    expect(w.send({ type: 'timeout', taskId: ann.id })).toEqual([
      { type: 'notify', users: ['ann'], kind: 'reminder', node: 'review', taskId: ann.id },
      { type: 'log', node: 'review', kind: 'reminded', by: null, comment: null, taskId: ann.id },
    ]);
    expect(w.open()).toEqual(['review:ann']);
    expect(w.state.status).toBe('running');
  });

  it('approve: the system approves for the assignee and the request moves on', () => {
    const w = new Walk(timeoutReview('approve'));
    w.start();
    const effects = w.send({ type: 'timeout', taskId: w.task('ann').id });
    expect(w.closed(effects)).toEqual(['ann:approved']);
    expect(w.state.tasks[0]).toMatchObject({ status: 'approved', by: null, comment: 'approved on timeout' });
    expect(w.state).toMatchObject({ status: 'completed', decided: true });
  });

  it('reject: the system rejects for the assignee', () => {
    const w = new Walk(timeoutReview('reject'));
    w.start();
    const effects = w.send({ type: 'timeout', taskId: w.task('ann').id });
    expect(w.closed(effects)).toEqual(['ann:rejected']);
    expect(statuses(effects)).toEqual(['rejected']);
    expect(w.state.tasks[0]).toMatchObject({ by: null, comment: 'rejected on timeout' });
    expect(ofType(effects, 'notify')).toEqual([{ type: 'notify', users: ['sam'], kind: 'rejected', node: 'review' }]);
    expect(w.state).toMatchObject({ status: 'rejected', outcome: 'rejected' });
  });

  it('approve or reject by null (the system) is accepted from outside too', () => {
    const w = new Walk(line(review('any', users('ann'))));
    w.start();
    w.send({ type: 'approve', taskId: w.task('ann').id, by: null });
    expect(w.state.status).toBe('completed');
  });

  it('escalate: the task is closed "escalated" and the escalation users get new tasks', () => {
    const w = new Walk(timeoutReview('escalate', [{ type: 'role', role: 'finance' }, ...users('ann')]));
    w.start();
    const effects = w.send({ type: 'timeout', taskId: w.task('ann').id });
    expect(w.closed(effects)).toEqual(['ann:escalated']);
    expect(opened(effects)).toEqual(['review:fay', 'review:fin']);
    expect(notified(effects)).toEqual(['task:fay', 'task:fin']);
    // no timeout on an escalated task: it would escalate forever
    expect(ofType(effects, 'timer.set')).toEqual([]);
    expect(w.state.decided).toBe(false);
    expect(statuses(w.approve('fin'))).toEqual(['approved']);
  });

  it('escalate with no one else to escalate to only reminds', () => {
    const w = new Walk(timeoutReview('escalate', users('ann')));
    w.start();
    const effects = w.send({ type: 'timeout', taskId: w.task('ann').id });
    expect(notified(effects)).toEqual(['reminder:ann']);
    expect(w.open()).toEqual(['review:ann']);
  });

  it('a timeout for a task already decided, or an instance already ended, does nothing', () => {
    const w = new Walk(line(review('all', users('ann', 'bob'), { timeout: { after: { amount: 2, unit: 'hours' }, action: 'reject' } })));
    w.start();
    const ann = w.task('ann');
    w.approve('ann');
    const before = w.state;
    expect(w.send({ type: 'timeout', taskId: ann.id })).toEqual([]);
    expect(w.state).toEqual(before);
    expect(w.send({ type: 'timeout', taskId: 'pr1-t404' })).toEqual([]);
    const bob = w.task('bob');
    w.approve('bob');
    expect(w.send({ type: 'timeout', taskId: bob.id })).toEqual([]);
    expect(w.state.status).toBe('completed');
  });
});

describe('parallel branches', () => {
  it('continue past the join only when both branches have finished, in either order', () => {
    const def = parallel([[approval('legal', 'ann')], [action('notifyErp')]]);
    for (const order of ['approval first', 'action first']) {
      const w = new Walk(def);
      const start = w.start();
      expect(opened(start)).toEqual(['legal:ann']);
      expect(ofType(start, 'action.run').map((e) => e.node)).toEqual(['notifyErp']);
      expect(w.state.tokens).toHaveLength(2);
      const erp = w.token('notifyErp');
      const steps = order === 'approval first'
        ? [() => w.approve('ann'), () => w.send({ type: 'actionDone', token: erp })]
        : [() => w.send({ type: 'actionDone', token: erp }), () => w.approve('ann')];
      expect(statuses(steps[0]!())).toEqual([]);
      expect(w.state.status).toBe('running');
      expect(statuses(steps[1]!())).toEqual(['approved']);
      expect(w.state).toMatchObject({ status: 'completed', tokens: [], joins: {} });
    }
  });

  it('a duplicate delivery of actionDone does nothing', () => {
    const w = new Walk(parallel([[approval('legal', 'ann')], [action('notifyErp')]]));
    w.start();
    const erp = w.token('notifyErp');
    w.send({ type: 'actionDone', token: erp });
    const before = w.state;
    expect(w.send({ type: 'actionDone', token: erp })).toEqual([]);
    expect(w.send({ type: 'actionFailed', token: erp, message: 'late' })).toEqual([]);
    expect(w.state).toEqual(before);
    w.approve('ann');
    expect(w.send({ type: 'actionDone', token: erp })).toEqual([]);
    expect(w.state.status).toBe('completed');
  });

  it('nested splits join inside out; a duplicate delayDone does nothing', () => {
    // start → outer → (a | inner → (b | wait) → innerJoin) → outerJoin → done
    const def: WorkflowDefinition = {
      nodes: [
        START, { id: 'outer', type: 'parallel' }, approval('a', 'ann'), { id: 'inner', type: 'parallel' }, approval('b', 'bob'),
        delay('wait', { duration: { amount: 1, unit: 'hours' } }), { id: 'innerJoin', type: 'join' }, { id: 'outerJoin', type: 'join' }, DONE,
      ],
      edges: [
        { from: 'start', to: 'outer' }, { from: 'outer', to: 'a' }, { from: 'outer', to: 'inner' }, { from: 'inner', to: 'b' }, { from: 'inner', to: 'wait' },
        { from: 'b', to: 'innerJoin' }, { from: 'wait', to: 'innerJoin' }, { from: 'innerJoin', to: 'outerJoin' }, { from: 'a', to: 'outerJoin' },
        { from: 'outerJoin', to: 'done' },
      ],
    };
    const w = new Walk(def);
    const start = w.start();
    expect(opened(start)).toEqual(['a:ann', 'b:bob']);
    const wait = w.token('wait');
    expect(ofType(start, 'timer.set')).toEqual([{ type: 'timer.set', key: `delay:${wait}`, at: at(60).toISOString(), event: { type: 'delayDone', token: wait } }]);
    expect(w.state.tokens.find((t) => t.id === wait)!.splits).toHaveLength(2);

    w.approve('bob');
    expect(w.state.tokens.map((t) => t.node).sort()).toEqual(['a', 'innerJoin', 'wait']);
    w.now = at(60);
    w.send({ type: 'delayDone', token: wait });
    // the inner branches merged into one token that waits at the outer join
    expect(w.state.tokens.map((t) => t.node).sort()).toEqual(['a', 'outerJoin']);
    expect(w.state.tokens.find((t) => t.node === 'outerJoin')!.splits).toHaveLength(1);
    expect(w.send({ type: 'delayDone', token: wait })).toEqual([]);
    expect(w.state.status).toBe('running');

    expect(statuses(w.approve('ann'))).toEqual(['approved']);
    expect(w.state).toMatchObject({ status: 'completed', tokens: [], joins: {} });
  });

  it('eight nested splits of CC steps run through in one go, each CC once', () => {
    const nodes: WorkflowNode[] = [START, DONE];
    const edges: WorkflowDefinition['edges'] = [{ from: 'start', to: 'p1' }, { from: 'j1', to: 'done' }];
    const cc = (id: string): WorkflowNode => ({ id, type: 'cc', assignees: users(`u${id}`) });
    for (let i = 1; i <= 8; i++) {
      nodes.push({ id: `p${i}`, type: 'parallel' }, cc(`a${i}`), { id: `j${i}`, type: 'join' });
      edges.push({ from: `p${i}`, to: `a${i}` }, { from: `a${i}`, to: `j${i}` });
      if (i < 8) edges.push({ from: `p${i}`, to: `p${i + 1}` }, { from: `j${i + 1}`, to: `j${i}` });
      else {
        nodes.push(cc('b8'));
        edges.push({ from: 'p8', to: 'b8' }, { from: 'b8', to: 'j8' });
      }
    }
    const w = new Walk({ nodes, edges });
    const effects = w.start();
    expect(notified(effects).filter((n) => n.startsWith('cc:')).sort()).toEqual(['a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7', 'a8', 'b8'].map((id) => `cc:u${id}`).sort());
    expect(statuses(effects)).toEqual(['running', 'approved']);
    expect(w.state).toMatchObject({ status: 'completed', tokens: [], joins: {} });
  });

  it('a branch that finds no approver does not strand the other branches', () => {
    const def = parallel([[{ id: 'legal', type: 'approval', assignees: [{ type: 'role', role: 'nobody' }], mode: 'any' }], [approval('buyer', 'bob')]]);
    const w = new Walk(def);
    w.start();
    expect(w.state.status).toBe('error');
    // an admin adds someone to the role and retries
    w.resolve = (a, s) => (a.type === 'role' ? ['ed'] : directory(w.record)(a, s));
    w.send({ type: 'retry', by: 'admin' });
    expect(w.open().sort()).toEqual(['buyer:bob', 'legal:ed']);
    w.approve('ed');
    w.approve('bob');
    expect(w.state.status).toBe('completed');
  });

  it('a branch finishing while another is in error keeps the error until it is retried', () => {
    const w = new Walk(parallel([[action('erp')], [action('crm')]]));
    w.start();
    const [erp, crm] = [w.token('erp'), w.token('crm')];
    w.send({ type: 'actionFailed', token: erp, message: 'ERP answered 500' });
    w.send({ type: 'actionDone', token: crm });
    expect(w.state.status).toBe('error');
    expect(w.state.error).toMatchObject({ node: 'erp', token: erp });
    expect(ofType(w.send({ type: 'retry', by: 'admin' }), 'action.run').map((e) => e.node)).toEqual(['erp']);
    w.send({ type: 'actionDone', token: erp });
    expect(w.state.status).toBe('completed');
  });

  it('a delay ending while another branch is in error is not lost', () => {
    const w = new Walk(parallel([[action('erp')], [delay('cool', { duration: { amount: 1, unit: 'hours' } })]]));
    w.start();
    const [erp, cool] = [w.token('erp'), w.token('cool')];
    w.send({ type: 'actionFailed', token: erp, message: 'ERP answered 500' });
    w.now = at(60);
    w.send({ type: 'delayDone', token: cool });
    w.send({ type: 'retry', by: 'admin' });
    w.send({ type: 'actionDone', token: erp });
    expect(w.state.status).toBe('completed');
  });
});

describe('delays', () => {
  it('waits the duration: a timer at now + duration, then goes on', () => {
    const w = new Walk(line(delay('cool', { duration: { amount: 2, unit: 'days' } })));
    const token = 'pr1-k1';
    expect(ofType(w.start(), 'timer.set')).toEqual([
      { type: 'timer.set', key: `delay:${token}`, at: '2024-05-08T09:00:00.000Z', event: { type: 'delayDone', token } },
    ]);
    expect(w.state.tokens.map((t) => t.node)).toEqual(['cool']);
    w.now = new Date('2024-05-08T09:00:00.000Z');
    const effects = w.send({ type: 'delayDone', token });
    expect(effects[0]).toEqual({ type: 'log', node: 'cool', kind: 'delay.done', by: null, comment: null });
    expect(statuses(effects)).toEqual(['approved']);
  });

  it('waits in minutes and hours too', () => {
    const timerAt = (unit: 'minutes' | 'hours') => ofType(new Walk(line(delay('cool', { duration: { amount: 90, unit } }))).start(), 'timer.set')[0]!.at;
    expect(timerAt('minutes')).toBe(at(90).toISOString());
    expect(timerAt('hours')).toBe(at(90 * 60).toISOString());
  });

  it('waits until the date in a field (midnight UTC)', () => {
    const w = new Walk(line(delay('untilNeeded', { until: 'needBy' })), { ...purchaseRequest(), needBy: '2024-06-01' });
    expect(ofType(w.start(), 'timer.set').map((e) => e.at)).toEqual(['2024-06-01T00:00:00.000Z']);
    expect(w.state.status).toBe('running');
  });

  it('waits until the date-time in a field, in its own offset', () => {
    const w = new Walk(line(delay('untilMeeting', { until: 'meetingAt' })), { meetingAt: '2024-05-07T12:00:00+08:00' });
    expect(ofType(w.start(), 'timer.set').map((e) => e.at)).toEqual(['2024-05-07T04:00:00.000Z']);
  });

  it('goes on at once when the date has passed, is now, is empty or is not a date', () => {
    for (const needBy of ['2024-01-01', T0.toISOString(), undefined, null, 'soon', 42]) {
      const w = new Walk(line(delay('untilNeeded', { until: 'needBy' })), { needBy });
      const effects = w.start();
      expect(ofType(effects, 'timer.set')).toEqual([]);
      expect(w.state.status).toBe('completed');
    }
  });
});

describe('actions that fail', () => {
  const orderLine = () => line(action('order', { type: 'createRecord', form: 'orders', values: { title: { var: 'title' } } }));

  it('a failure puts the request in error and tells the submitter; a retry runs the action again under the same key', () => {
    const w = new Walk(orderLine());
    const [run] = ofType(w.start(), 'action.run');
    expect(run).toMatchObject({ key: 'pr1:pr1-k1:order', node: 'order', token: 'pr1-k1' });

    const failed = w.send({ type: 'actionFailed', token: 'pr1-k1', message: 'form "orders" is not published' });
    expect(failed).toEqual([
      { type: 'log', node: 'order', kind: 'action.failed', by: null, comment: 'form "orders" is not published' },
      { type: 'notify', users: ['sam'], kind: 'error', node: 'order' },
    ]);
    expect(w.state).toMatchObject({ status: 'error', error: { node: 'order', token: 'pr1-k1', message: 'form "orders" is not published' } });
    expect(codeOf(() => w.send({ type: 'withdraw', by: 'sam' }))).toBe('CONFLICT');

    const retried = w.send({ type: 'retry', by: 'admin' });
    expect(retried).toEqual([
      { type: 'log', node: 'order', kind: 'retry', by: 'admin', comment: null },
      { type: 'action.run', key: run!.key, node: 'order', token: 'pr1-k1', action: run!.action },
    ]);
    expect(w.state).toMatchObject({ status: 'running', error: null });
    expect(codeOf(() => w.send({ type: 'retry', by: 'admin' }))).toBe('CONFLICT');

    w.send({ type: 'actionDone', token: 'pr1-k1' });
    expect(w.state).toMatchObject({ status: 'completed', outcome: 'approved' });
  });

  it('a late success after the failure continues without a retry', () => {
    const w = new Walk(orderLine());
    w.start();
    w.send({ type: 'actionFailed', token: 'pr1-k1', message: 'timeout' });
    const effects = w.send({ type: 'actionDone', token: 'pr1-k1' });
    expect(statuses(effects)).toEqual(['approved']);
    expect(w.state).toMatchObject({ status: 'completed', error: null });
  });

  it('a branch in error does not hold up the others: its tasks are still decided, and the join waits for the retry', () => {
    const w = new Walk(parallel([[approval('legal', 'ann')], [action('erp')]]));
    w.start();
    w.send({ type: 'actionFailed', token: w.token('erp'), message: 'down' });
    w.approve('ann');
    expect(w.state.status).toBe('error');
    w.send({ type: 'retry', by: 'admin' });
    w.send({ type: 'actionDone', token: w.token('erp') });
    expect(w.state.status).toBe('completed');
  });

  it('an approval step whose assignees resolve to no one puts the request in error naming the step; a retry asks again', () => {
    const w = new Walk(line(review('any', [{ type: 'role', role: 'nobody' }])));
    const effects = w.start();
    expect(opened(effects)).toEqual([]);
    expect(w.state.status).toBe('error');
    expect(w.state.error).toEqual({ node: 'review', token: 'pr1-k1', message: 'No one to approve: the assignees resolve to no active user' });
    expect(effects.at(-1)).toEqual({ type: 'log', node: 'review', kind: 'error', by: null, comment: 'No one to approve: the assignees resolve to no active user' });

    // still no one: still in error
    w.send({ type: 'retry', by: 'admin' });
    expect(w.state.error?.node).toBe('review');

    w.resolve = () => ['ed'];
    expect(opened(w.send({ type: 'retry', by: 'admin' }))).toEqual(['review:ed']);
    expect(w.state).toMatchObject({ status: 'running', error: null });
    w.approve('ed');
    expect(w.state.status).toBe('completed');
  });

  it('a leader two levels up, a member field and the submitter resolve through the context', () => {
    const def = line(
      { id: 'skip', type: 'approval', assignees: [{ type: 'leader', levels: 2 }], mode: 'any' },
      { id: 'watch', type: 'approval', assignees: [{ type: 'field', field: 'watchers' }], mode: 'sequential' },
      { id: 'self', type: 'approval', assignees: [{ type: 'submitter' }], mode: 'any' },
    );
    const w = new Walk(def);
    expect(opened(w.start())).toEqual(['skip:dan']);
    expect(opened(w.approve('dan'))).toEqual(['watch:wendy']);
    expect(opened(w.approve('wendy'))).toEqual(['watch:walt']);
    expect(opened(w.approve('walt'))).toEqual(['self:sam']);
    w.approve('sam');
    expect(w.state.status).toBe('completed');
  });
});

describe('step is pure', () => {
  it('never changes the state, definition or record it is given', () => {
    const def = purchaseFlow();
    const record = purchaseRequest(20_000);
    const snapshot = (x: unknown) => JSON.parse(JSON.stringify(x)) as unknown;
    const defBefore = snapshot(def);
    const recordBefore = snapshot(record);
    const ctx = (): StepContext => ({ instanceId: 'pr9', now: T0, record, resolve: directory(record) });
    let state = newInstance('sam');
    const events: ((s: InstanceState) => WorkflowEvent)[] = [
      () => ({ type: 'start' }),
      (s) => ({ type: 'comment', taskId: s.tasks[0]!.id, by: 'lee', comment: 'hm' }),
      (s) => ({ type: 'approve', taskId: s.tasks[0]!.id, by: 'lee' }),
      (s) => ({ type: 'transfer', taskId: s.tasks[1]!.id, by: 'fay', to: 'ann' }),
      (s) => ({ type: 'approve', taskId: s.tasks[2]!.id, by: 'fin' }),
      (s) => ({ type: 'approve', taskId: s.tasks[3]!.id, by: 'ann' }),
      (s) => ({ type: 'actionFailed', token: s.tokens[0]!.id, message: 'x' }),
      () => ({ type: 'retry', by: 'admin' }),
      (s) => ({ type: 'actionDone', token: s.tokens[0]!.id }),
    ];
    for (const next of events) {
      const before = snapshot(state);
      const result = step(def, state, next(state), ctx());
      expect(snapshot(state)).toEqual(before);
      expect(result.state).not.toBe(state);
      state = result.state;
    }
    expect(state.status).toBe('completed');
    expect(snapshot(def)).toEqual(defBefore);
    expect(snapshot(record)).toEqual(recordBefore);
  });

  it('gives equal results for equal inputs', () => {
    const run = () => {
      const w = new Walk(purchaseFlow(), purchaseRequest(20_000));
      return [w.start(), w.approve('lee'), w.approve('fin'), w.reject('fay'), w.state];
    };
    expect(run()).toEqual(run());
  });

  it('task.open carries a copy: changing the state later does not change an effect already returned', () => {
    const w = new Walk(line(review('sequential', users('ann', 'bob'))));
    const [open] = ofType(w.start(), 'task.open');
    w.approve('ann');
    expect(open!.task.status).toBe('open');
  });
});
