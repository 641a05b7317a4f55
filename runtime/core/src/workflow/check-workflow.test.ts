import { describe, expect, it } from 'vitest';
import { isTrellisError } from '../errors.js';
import type { Logic } from '../schema/logic.js';
import type { Action, Assignee, Automation, Trigger, WorkflowDefinition, WorkflowEdge, WorkflowNode } from '../schema/workflow.js';
import { assertWorkflow, checkWorkflow } from './check-workflow.js';
import { purchaseFlow, purchaseForm, purchaseOrderForm, purchaseRefs } from './purchase-flow.fixture.js';

const form = purchaseForm();
const refs = purchaseRefs();
const check = (def: unknown) => checkWorkflow(def, form, refs);
const found = (def: unknown) => check(def).map((p) => `${p.path}:${p.code}`);

// small graphs: edges as "from>to"
const edge = (e: string | WorkflowEdge): WorkflowEdge => {
  if (typeof e !== 'string') return e;
  const [from, to] = e.split('>') as [string, string];
  return { from, to };
};
const graph = (nodes: WorkflowNode[], edges: (string | WorkflowEdge)[], automations?: Automation[]): WorkflowDefinition =>
  ({ nodes, edges: edges.map(edge), ...(automations ? { automations } : {}) });
const start: WorkflowNode = { id: 'start', type: 'start' };
const end: WorkflowNode = { id: 'end', type: 'end' };
const cc = (id: string): WorkflowNode => ({ id, type: 'cc', assignees: [{ type: 'users', users: ['ann'] }] });
const approval = (id: string, assignees: Assignee[] = [{ type: 'users', users: ['ann'] }]): Extract<WorkflowNode, { type: 'approval' }> =>
  ({ id, type: 'approval', assignees, mode: 'any' });
const node = (id: string, type: 'condition' | 'parallel' | 'join'): WorkflowNode => ({ id, type });
const when = (from: string, to: string, condition: unknown): WorkflowEdge => ({ from, to, condition: condition as Logic });
const otherwise = (from: string, to: string): WorkflowEdge => ({ from, to, default: true });
/** start → the given node → end */
const around = (n: WorkflowNode): WorkflowDefinition => graph([start, n, end], [`start>${n.id}`, `${n.id}>end`]);
/** the purchase flow with its action replaced */
const withAction = (action: Action): WorkflowDefinition => {
  const def = purchaseFlow();
  def.nodes = def.nodes.map((n) => (n.id === 'order' ? { id: 'order', type: 'action', action } : n));
  return def;
};
const automation = (a: Partial<Automation>): WorkflowDefinition =>
  graph([], [], [{ id: 'auto', on: { event: 'created' }, actions: [{ type: 'webhook', url: 'https://example.com/hook' }], ...a }]);

/** Parallel splits nested `depth` deep, each with a side branch: start → p1 → (a1 | p2 → …) → j1 → end. */
function nestedParallel(depth: number): WorkflowDefinition {
  const nodes: WorkflowNode[] = [start, end];
  const edges: string[] = ['start>p1', 'j1>end'];
  for (let i = 1; i <= depth; i++) {
    nodes.push(node(`p${i}`, 'parallel'), cc(`a${i}`), node(`j${i}`, 'join'));
    edges.push(`p${i}>a${i}`, `a${i}>j${i}`);
    if (i < depth) edges.push(`p${i}>p${i + 1}`, `j${i + 1}>j${i}`);
    else {
      nodes.push(cc(`b${i}`));
      edges.push(`p${i}>b${i}`, `b${i}>j${i}`);
    }
  }
  return graph(nodes, edges);
}

describe('checkWorkflow', () => {
  it('accepts the purchase flow: leader, finance for big amounts, CC warehouse, create the purchase order', () => {
    expect(check(purchaseFlow())).toEqual([]);
    expect(() => assertWorkflow(purchaseFlow(), form, refs)).not.toThrow();
  });

  it('accepts a workflow that is only automations, and an empty one', () => {
    expect(check(automation({ on: { schedule: '0 9 * * 1-5', filter: { field: 'amount', op: 'gt', value: 100 } } }))).toEqual([]);
    expect(check(graph([], []))).toEqual([]);
    expect(found({ nodes: [], edges: [{ from: 'a', to: 'b' }] })).toEqual(['edges:graph']);
  });

  it('reports a bad shape before anything else, pointing at the node', () => {
    const def = purchaseFlow() as unknown as { nodes: Record<string, unknown>[]; edges: Record<string, unknown>[] };
    def.nodes[1]!.mode = 'most';
    def.edges.push({ from: 'done', to: 'start', colour: 'red' });
    const problems = check(def);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.every((p) => p.code === 'schema')).toBe(true);
    expect(problems.map((p) => p.path)).toContain('nodes[1].mode');
    expect(problems.map((p) => p.path)).toContain('edges[7].colour');
    expect(found({ nodes: 'x', edges: [] })).toEqual(['nodes:schema']);
    expect(found(null)[0]).toMatch(/:schema$/);
    // node ids must be usable in paths and messages
    expect(found(graph([{ id: '1st', type: 'start' }, end], ['1st>end']))[0]).toMatch(/^nodes\[0\]\.id:schema/);
  });

  it('names a node whose id is used twice, and edges to nodes that do not exist', () => {
    expect(check(graph([start, cc('a'), cc('a'), end], ['start>a', 'a>end']))).toEqual([
      { path: 'nodes.a', code: 'duplicate', message: 'Node "a": the id is used twice' },
    ]);
    const problems = check(graph([start, end], ['start>end', 'ghost>end', 'start>nowhere']));
    expect(problems.map((p) => p.message)).toEqual([
      'Edge 1 starts at "ghost", which is not a node',
      'Edge 2 ends at "nowhere", which is not a node',
    ]);
    expect(problems.map((p) => p.path)).toEqual(['edges[1].from', 'edges[2].to']);
  });

  it('needs exactly one start and at least one end', () => {
    expect(check(graph([cc('a'), end], ['a>end'])).map((p) => p.message)).toContain('A workflow has exactly one start node (found 0)');
    const twoStarts = check(graph([start, { id: 'start2', type: 'start' }, end], ['start>end', 'start2>end']));
    expect(twoStarts.map((p) => p.message)).toContain('A workflow has exactly one start node (found 2)');
    expect(check(graph([start, cc('a')], ['start>a'])).map((p) => p.message)).toContain('A workflow needs at least one end node');
  });

  it('names a start that something leads into, or that does not lead to exactly one node', () => {
    const into = check(graph([start, cc('a'), node('c', 'condition'), end], ['start>a', 'a>c', otherwise('c', 'end'), when('c', 'start', true)]));
    expect(into).toContainEqual({ path: 'nodes.start', code: 'start', message: 'Node "start": nothing may lead into the start' });
    expect(found(graph([start, cc('a'), end], ['start>a', 'start>end', 'a>end']))).toEqual(['nodes.start:edges']);
    expect(found(graph([start, end], []))).toEqual(['nodes.start:edges']);
  });

  it('names an end that leads somewhere', () => {
    const def = graph([start, end, { id: 'end2', type: 'end' }], ['start>end', 'end>end2']);
    expect(check(def)).toContainEqual({ path: 'nodes.end', code: 'end', message: 'Node "end": an end leads nowhere' });
  });

  it('names a step that leads to no node or to two', () => {
    expect(check(graph([start, approval('boss'), end], ['start>boss']))).toEqual([
      { path: 'nodes.boss', code: 'edges', message: 'Node "boss": a approval node leads to exactly one node (found 0)' },
    ]);
    expect(found(graph([start, cc('a'), cc('b'), end], ['start>a', 'a>b', 'a>end', 'b>end']))).toEqual(['nodes.a:edges']);
  });

  it('names a node no path from the start leads to', () => {
    const def = graph([start, cc('a'), cc('island'), end], ['start>a', 'a>end', 'island>end']);
    expect(check(def)).toEqual([{ path: 'nodes.island', code: 'unreachable', message: 'Node "island": no path from the start leads here' }]);
  });

  it('names nodes from which no path leads to an end, and the loop that traps them', () => {
    const def = graph(
      [start, node('c', 'condition'), cc('b1'), cc('b2'), end],
      ['start>c', otherwise('c', 'end'), when('c', 'b1', { '>': [{ var: 'amount' }, 5] }), 'b1>b2', 'b2>b1'],
    );
    const problems = check(def);
    expect(problems.filter((p) => p.code === 'deadEnd').map((p) => p.message)).toEqual([
      'Node "b1": no path from here leads to an end',
      'Node "b2": no path from here leads to an end',
    ]);
    expect(problems.filter((p) => p.code === 'cycle').map((p) => p.message)).toEqual([
      'Node "b1": the graph loops: b1 → b2 → b1 (send work back with "return" instead)',
    ]);
  });

  it('finds a loop through ten nodes', () => {
    const ids = Array.from({ length: 10 }, (_, i) => `n${i + 1}`);
    const nodes: WorkflowNode[] = [start, ...ids.slice(0, 9).map(cc), node('n10', 'condition'), end];
    const edges = ['start>n1', ...ids.slice(0, 9).map((id, i) => `${id}>${ids[i + 1]}`), when('n10', 'n1', { '<': [{ var: 'amount' }, 10] }), otherwise('n10', 'end')];
    const problems = check(graph(nodes, edges));
    expect(problems).toEqual([{
      path: 'nodes.n1', code: 'cycle',
      message: 'Node "n1": the graph loops: n1 → n2 → n3 → n4 → n5 → n6 → n7 → n8 → n9 → n10 → n1 (send work back with "return" instead)',
    }]);
  });

  it('finds a loop in a long chain without running out of stack', () => {
    const ids = Array.from({ length: 190 }, (_, i) => `n${i}`);
    const nodes: WorkflowNode[] = [start, ...ids.slice(0, -1).map(cc), node(ids.at(-1)!, 'condition'), end];
    const edges = ['start>n0', ...ids.slice(0, -1).map((id, i) => `${id}>${ids[i + 1]}`), when(ids.at(-1)!, 'n0', true), otherwise(ids.at(-1)!, 'end')];
    expect(found(graph(nodes, edges))).toEqual(['nodes.n0:cycle']);
  });

  describe('conditions', () => {
    const cond = (...out: WorkflowEdge[]) => graph([start, node('c', 'condition'), cc('a'), end], ['start>c', 'a>end', ...out]);
    const big = { '>': [{ var: 'amount' }, 10000] };

    it('accepts conditions tried in order with one default', () => {
      expect(check(cond(when('c', 'a', big), when('c', 'end', { '==': [{ var: 'category' }, 'it'] }), otherwise('c', 'end')))).toEqual([]);
    });

    it('needs at least two branches', () => {
      const one = check(graph([start, node('c', 'condition'), end], ['start>c', otherwise('c', 'end')]));
      expect(one).toContainEqual({ path: 'nodes.c', code: 'edges', message: 'Node "c": a condition needs at least two outgoing edges' });
    });

    it('needs exactly one default branch', () => {
      expect(check(cond(when('c', 'a', big), when('c', 'end', true)))).toEqual([
        { path: 'nodes.c', code: 'default', message: 'Node "c": a condition needs exactly one default branch (found 0)' },
      ]);
      expect(check(cond(otherwise('c', 'a'), otherwise('c', 'end'))).map((p) => p.message)).toEqual([
        'Node "c": a condition needs exactly one default branch (found 2)',
      ]);
    });

    it('names a default branch that has a condition, and a branch that has neither', () => {
      const messages = check(cond({ from: 'c', to: 'a', default: true, condition: big as Logic }, { from: 'c', to: 'end' })).map((p) => p.message);
      expect(messages).toEqual([
        'Node "c": the default branch to "a" takes no condition',
        'Node "c": the branch to "end" needs a condition or must be the default',
      ]);
      // `default: false` is no default
      expect(found(cond(when('c', 'a', big), { from: 'c', to: 'end', default: false }))).toEqual(['nodes.c:default', 'nodes.c:condition']);
    });

    it('names a node that is not a condition but puts conditions on its edges', () => {
      const def = graph([start, cc('a'), end], ['start>a', when('a', 'end', big)]);
      expect(check(def)).toEqual([{ path: 'nodes.a', code: 'condition', message: 'Node "a": only edges leaving a condition node carry conditions' }]);
      expect(found(graph([start, end], [otherwise('start', 'end')]))).toEqual(['nodes.start:condition']);
    });

    it('checks branch logic with the json-logic guard: unknown fields and operators', () => {
      const messages = check(cond(when('c', 'a', { '>': [{ var: 'amout' }, 1] }), when('c', 'end', { method: ['x', 'toString'] }), otherwise('c', 'end')))
        .map((p) => p.message);
      expect(messages).toHaveLength(2);
      expect(messages[0]).toMatch(/^Node "c": branch to "a": unknown variable "amout"/);
      expect(messages[1]).toMatch(/^Node "c": branch to "end": unknown operator "method"/);
      // system fields and $-context are known
      expect(check(cond(when('c', 'a', { and: [{ var: 'createdBy' }, { var: '$user.id' }, { var: 'lines.0.qty' }] }), otherwise('c', 'end')))).toEqual([]);
    });
  });

  describe('parallel splits and joins', () => {
    const simple = () => graph(
      [start, node('p', 'parallel'), approval('legal'), approval('buyer'), node('j', 'join'), end],
      ['start>p', 'p>legal', 'p>buyer', 'legal>j', 'buyer>j', 'j>end'],
    );

    it('accepts a split whose branches meet at one join, including an empty branch', () => {
      expect(check(simple())).toEqual([]);
      const empty = simple();
      empty.edges = empty.edges.map((e) => (e.to === 'buyer' ? { from: 'p', to: 'j' } : e)).filter((e) => e.from !== 'buyer');
      empty.nodes = empty.nodes.filter((n) => n.id !== 'buyer');
      expect(check(empty)).toEqual([]);
    });

    it('accepts a condition inside a branch when all its ways reach the join', () => {
      const def = graph(
        [start, node('p', 'parallel'), node('c', 'condition'), cc('x'), cc('y'), cc('z'), node('j', 'join'), end],
        ['start>p', 'p>c', 'p>z', when('c', 'x', true), otherwise('c', 'y'), 'x>j', 'y>j', 'z>j', 'j>end'],
      );
      expect(check(def)).toEqual([]);
    });

    it('accepts parallel splits nested eight deep', () => {
      expect(check(nestedParallel(8))).toEqual([]);
      expect(check(nestedParallel(1))).toEqual([]);
    });

    it('names a split with one branch', () => {
      const def = graph([start, node('p', 'parallel'), cc('a'), end], ['start>p', 'p>a', 'a>end']);
      expect(check(def)).toContainEqual({ path: 'nodes.p', code: 'edges', message: 'Node "p": a parallel split needs at least two outgoing edges' });
    });

    it('names a split whose branches do not meet before an end', () => {
      const def = graph(
        [start, node('p', 'parallel'), cc('a'), cc('b'), node('j', 'join'), node('c', 'condition'), end],
        ['start>p', 'p>a', 'p>b', 'a>c', when('c', 'end', true), otherwise('c', 'j'), 'b>j', 'j>end'],
      );
      expect(check(def).map((p) => p.message)).toEqual([
        'Node "p": every branch of a parallel split must meet again at one join before any end',
        'Node "j": no parallel split opens the branches this join waits for',
      ]);
    });

    it('names a split whose branches meet at two different joins', () => {
      const def = graph(
        [start, node('c', 'condition'), node('p', 'parallel'), cc('a'), cc('b'), cc('x'), node('j1', 'join'), node('j2', 'join'), end],
        ['start>c', otherwise('c', 'p'), when('c', 'x', true), 'x>j1', 'p>a', 'p>b', 'a>j1', 'b>j2', 'j1>j2', 'j2>end'],
      );
      expect(found(def)).toContain('nodes.p:join');
    });

    it('names a join with one incoming edge, or none going on', () => {
      expect(found(graph([start, node('j', 'join'), end], ['start>j', 'j>end']))).toEqual(['nodes.j:edges']);
      const def = graph([start, node('p', 'parallel'), node('j', 'join'), end], ['start>p', 'p>j', 'p>end']);
      expect(check(def)).toContainEqual({ path: 'nodes.j', code: 'edges', message: 'Node "j": a join leads to exactly one node' });
    });

    it('names a join that closes branches no split opened', () => {
      const def = graph(
        [start, node('c', 'condition'), cc('a'), cc('b'), node('j', 'join'), end],
        ['start>c', when('c', 'a', true), otherwise('c', 'b'), 'a>j', 'b>j', 'j>end'],
      );
      expect(check(def)).toEqual([{ path: 'nodes.j', code: 'join', message: 'Node "j": no parallel split opens the branches this join waits for' }]);
    });

    it('names a join that two nested splits both try to close', () => {
      // p2's branches end at j, and so does p's other branch: j would have to close both
      const def = graph(
        [start, node('p', 'parallel'), node('p2', 'parallel'), cc('a'), cc('b'), cc('z'), node('j', 'join'), end],
        ['start>p', 'p>p2', 'p>z', 'p2>a', 'p2>b', 'a>j', 'b>j', 'z>j', 'j>end'],
      );
      expect(found(def)).toContain('nodes.p:join');
    });

    it('names a join that can also be reached without passing its split', () => {
      // when the condition goes straight to j, one token arrives outside any split: step() throws at the join
      const def = graph(
        [start, node('c', 'condition'), node('p', 'parallel'), cc('a'), cc('b'), node('j', 'join'), end],
        ['start>c', otherwise('c', 'p'), when('c', 'j', { '>': [{ var: 'amount' }, 5] }), 'p>a', 'p>b', 'a>j', 'b>j', 'j>end'],
      );
      expect(check(def)).toEqual([
        { path: 'nodes.j', code: 'join', message: 'Node "j": "c" leads into the branches of parallel split "p" without passing it' },
      ]);
      // the same for a way into the middle of a branch
      const middle = graph(
        [start, node('c', 'condition'), node('p', 'parallel'), cc('a'), cc('b'), node('j', 'join'), end],
        ['start>c', otherwise('c', 'p'), when('c', 'b', true), 'p>a', 'p>b', 'a>j', 'b>j', 'j>end'],
      );
      expect(found(middle)).toEqual(['nodes.b:join']);
      // a nested split inside the region is fine
      expect(check(nestedParallel(3))).toEqual([]);
    });
  });

  describe('assignees, fields and delays', () => {
    it('accepts a member field, a role, known users, the leader and the submitter', () => {
      const def = around(approval('a', [{ type: 'field', field: 'watchers' }, { type: 'role', role: 'finance' }, { type: 'users', users: ['ann', 'bob'] }, { type: 'leader', levels: 2 }, { type: 'submitter' }]));
      expect(check(def)).toEqual([]);
    });

    it('names an approval whose field assignee is not a member field', () => {
      expect(check(around(approval('a', [{ type: 'field', field: 'title' }])))).toEqual([
        { path: 'nodes.a', code: 'assignee', message: 'Node "a": "title" is not a member field of the form' },
      ]);
      expect(check(around(approval('a', [{ type: 'field', field: 'nobody' }]))).map((p) => p.message)).toEqual([
        'Node "a": "nobody" is not a member field of the form',
      ]);
    });

    it('names a node whose role or users do not exist, CCs too', () => {
      expect(check(around(approval('a', [{ type: 'role', role: 'astronauts' }, { type: 'users', users: ['ann', 'ghost'] }]))).map((p) => p.message)).toEqual([
        'Node "a": role "astronauts" does not exist',
        'Node "a": user "ghost" does not exist',
      ]);
      expect(check(around({ id: 'tell', type: 'cc', assignees: [{ type: 'role', role: 'astronauts' }] })).map((p) => p.message)).toEqual([
        'Node "tell": role "astronauts" does not exist',
      ]);
    });

    it('names an approval whose field permissions name a field the form does not have', () => {
      const n = { ...approval('a'), fields: { amount: 'editable' as const, secret: 'hidden' as const } };
      expect(check(around(n)).map((p) => p.message)).toEqual(['Node "a": field permissions name "secret", which the form does not have']);
    });

    it('names an escalation without anyone to escalate to, or to someone who does not exist', () => {
      const escalate = (escalateTo?: Assignee[]) => around({ ...approval('a'), timeout: { after: { amount: 1, unit: 'days' }, action: 'escalate', ...(escalateTo ? { escalateTo } : {}) } });
      expect(check(escalate()).map((p) => p.message)).toEqual(['Node "a": escalation needs `escalateTo`']);
      expect(check(escalate([{ type: 'users', users: ['ghost'] }])).map((p) => p.message)).toEqual(['Node "a": user "ghost" does not exist']);
      expect(check(escalate([{ type: 'leader', levels: 2 }]))).toEqual([]);
    });

    it('accepts a delay by duration or until a date or datetime field', () => {
      expect(check(around({ id: 'wait', type: 'delay', duration: { amount: 2, unit: 'days' } }))).toEqual([]);
      expect(check(around({ id: 'wait', type: 'delay', until: 'needBy' }))).toEqual([]);
      expect(check(around({ id: 'wait', type: 'delay', until: 'meetingAt' }))).toEqual([]);
    });

    it('names a delay with neither or both of duration and until, or until a field that is not a date', () => {
      expect(check(around({ id: 'wait', type: 'delay' })).map((p) => p.message)).toEqual(['Node "wait": a delay takes either `duration` or `until`']);
      expect(found(around({ id: 'wait', type: 'delay', duration: { amount: 1, unit: 'hours' }, until: 'needBy' }))).toEqual(['nodes.wait:delay']);
      expect(check(around({ id: 'wait', type: 'delay', until: 'title' })).map((p) => p.message)).toEqual([
        'Node "wait": "until" names "title", which is not a date field of the form',
      ]);
    });
  });

  describe('actions', () => {
    const orderValues = () => {
      const n = purchaseFlow().nodes.find((x) => x.id === 'order');
      if (n?.type !== 'action' || n.action.type !== 'createRecord') throw new Error('fixture changed');
      return n.action.values;
    };

    it('names an action whose target form does not exist or is not published', () => {
      expect(check(withAction({ type: 'createRecord', form: 'invoices', values: {} }))).toEqual([
        { path: 'nodes.order', code: 'actionForm', message: 'Node "order": action target form "invoices" does not exist or is not published' },
      ]);
      expect(found(withAction({ type: 'updateRecords', form: 'invoices', filter: { field: 'title', op: 'eq', value: 1 }, values: {} }))).toEqual(['nodes.order:actionForm']);
    });

    it('names a value for a field the target form does not have, and logic over unknown fields', () => {
      const messages = check(withAction({ type: 'createRecord', form: 'orders', values: { colour: 'red', total: { var: 'amout' } } })).map((p) => p.message);
      expect(messages[0]).toBe('Node "order": form "orders" has no field "colour"');
      expect(messages[1]).toMatch(/^Node "order": value "total": unknown variable "amout"/);
      expect(messages).toHaveLength(2);
    });

    it('names sub-table row mappings into a field that is not a sub-table, or a column it does not have', () => {
      const values = orderValues();
      expect(check(withAction({ type: 'createRecord', form: 'orders', values: { ...values, title: { rows: 'lines', values: { x: { var: 'qty' } } } } })).map((p) => p.message)).toEqual([
        'Node "order": "title" of form "orders" is not a sub-table, so it takes no rows',
      ]);
      expect(check(withAction({ type: 'createRecord', form: 'orders', values: { ...values, items: { rows: 'lines', values: { qty: { var: 'qty' }, colour: 'red' } } } })).map((p) => p.message)).toEqual([
        'Node "order": sub-table "items" of form "orders" has no column "colour"',
      ]);
    });

    it('names row mappings from a source sub-table the form does not have', () => {
      const values = orderValues();
      expect(check(withAction({ type: 'createRecord', form: 'orders', values: { ...values, items: { rows: 'parts', values: { qty: { var: 'qty' } } } } })).map((p) => p.message)).toEqual([
        'Node "order": rows come from "parts", which the form does not have',
      ]);
    });

    it('names row mappings from a source field that is not a sub-table', () => {
      const values = orderValues();
      const problems = check(withAction({ type: 'createRecord', form: 'orders', values: { ...values, items: { rows: 'title', values: { qty: { var: 'qty' } } } } }));
      expect(problems.map((p) => p.path)).toEqual(['nodes.order']);
      expect(problems[0]!.message).toContain('"title"');
    });

    it('names row values that read a column the source sub-table does not have', () => {
      const values = orderValues();
      const problems = check(withAction({ type: 'createRecord', form: 'orders', values: { ...values, items: { rows: 'lines', values: { qty: { var: 'qtty' }, requestTitle: { var: 'record.title' } } } } }));
      expect(problems.map((p) => p.path)).toEqual(['nodes.order']);
      expect(problems[0]!.message).toContain('qtty');
    });

    it('checks updateRecords: its filter shape and value logic', () => {
      const update = (filter: unknown, values: Record<string, unknown> = { title: { var: 'title' } }) =>
        withAction({ type: 'updateRecords', form: 'orders', filter, values: values as Record<string, Logic>, limit: 10 });
      expect(check(update({ and: [{ field: 'title', op: 'eq', value: { var: 'title' } }, { not: { field: 'total', op: 'gt', value: 5 } }] }))).toEqual([]);
      const bad = check(update({ field: 'title', op: 'like', value: 'x' }));
      expect(bad.map((p) => `${p.path}:${p.code}`)).toEqual(['nodes.order:filter']);
      expect(bad[0]!.message).toMatch(/^Node "order": the filter is not a filter tree \(at op\)/);
      expect(check(update({ and: [{ field: 'title', op: 'eq' }, { fild: 'x' }] }))[0]!.message).toMatch(/\(at and\[1\]\)/);
      expect(found(update({ field: 'title', op: 'eq' }, { nope: 1 }))).toEqual(['nodes.order:actionField']);
      // values may read the record being updated as `target` (a counter moves on from its own value)
      const filter = { field: 'title', op: 'eq', value: 'x' };
      expect(check(update(filter, { total: { '+': [{ var: 'target.total' }, 1] }, title: { cat: [{ var: 'target' }, 'x'] } }))).toEqual([]);
      // a create has no target
      expect(check(withAction({ type: 'createRecord', form: 'orders', values: { total: { var: 'target.total' } } })).map((p) => p.code)).toEqual(['logic']);
    });

    it('checks webhook bodies with the json-logic guard', () => {
      expect(check(withAction({ type: 'webhook', url: 'https://example.com/x', secret: 'abcdefgh', body: { cat: [{ var: 'title' }] } }))).toEqual([]);
      const messages = check(withAction({ type: 'webhook', url: 'https://example.com/x', body: { var: 'password' } })).map((p) => p.message);
      expect(messages).toHaveLength(1);
      expect(messages[0]).toMatch(/^Node "order": webhook body: unknown variable "password"/);
      expect(found(withAction({ type: 'webhook', url: 'ftp://example.com/x' }))[0]).toMatch(/:schema$/);
    });

    it('checks who a notification goes to and the fields its message names', () => {
      const notify = (a: Partial<Extract<Action, { type: 'notify' }>>): Action => ({ type: 'notify', to: [{ type: 'field', field: 'watchers' }], message: { en: 'Chase {title} for {amount}', zh: '催办 {title}' }, ...a });
      expect(check(withAction(notify({})))).toEqual([]);
      expect(check(withAction(notify({ to: [{ type: 'role', role: 'warehouse' }, { type: 'leader', levels: 2 }, { type: 'submitter' }] })))).toEqual([]);
      const bad = check(withAction(notify({ to: [{ type: 'role', role: 'ghosts' }, { type: 'field', field: 'title' }], message: 'Late: {nope}' })));
      expect(bad.map((p) => p.message)).toEqual([
        'Node "order": role "ghosts" does not exist',
        'Node "order": "title" is not a member field of the form',
        'Node "order": the message names {nope}, which the form does not have',
      ]);
      expect(found(withAction(notify({ to: [] })))[0]).toMatch(/:schema$/);
    });

    it('checks a company-registry lookup: its query, and that it writes fields of the form that are not computed', () => {
      const lookup = (set: Record<string, string>, query: unknown = { var: 'title' }): Action => ({ type: 'lookupCompany', query, set } as Action);
      expect(check(withAction(lookup({ reason: 'legalRepresentative', urgent: 'found', urgentNote: 'risks' })))).toEqual([]);
      expect(check(withAction(lookup({ nope: 'name', total: 'registeredCapital' }, { var: 'password' }))).map((p) => p.message)).toEqual([
        'Node "order": company to look up: unknown variable "password" (at var)',
        'Node "order": the lookup writes "nope", which the form does not have',
        'Node "order": the lookup cannot write "total": a formula field is computed',
      ]);
      expect(check(withAction(lookup({ reason: 'found', needBy: 'foundedOn', amount: 'registeredCapital', level: 'riskLevel' }))).map((p) => p.message)).toEqual([
        'Node "order": the company\'s found goes into a checkbox field; "reason" is a textarea field',
      ]);
      expect(found(withAction(lookup({ reason: 'shoeSize' })))[0]).toMatch(/:schema$/);
      expect(found(withAction(lookup({})))[0]).toMatch(/:schema$/);
    });

    it('checks turns: a single member field of the form, and people who exist', () => {
      const turn = (field: string, among: Assignee[] = [{ type: 'role', role: 'finance' }]): Action => ({ type: 'assignInTurn', field, among });
      const withOwner: typeof form = { ...form, fields: [...form.fields, { key: 'owner', type: 'member', label: 'Owner' }] };
      expect(checkWorkflow(withAction(turn('owner')), withOwner, refs)).toEqual([]);
      expect(check(withAction(turn('owner'))).map((p) => p.message)).toEqual(['Node "order": "owner" is not a member field of the form']);
      expect(check(withAction(turn('title'))).map((p) => p.message)).toEqual(['Node "order": "title" is not a member field of the form']);
      expect(check(withAction(turn('watchers'))).map((p) => p.message)).toEqual(['Node "order": "watchers" takes several people: turns give a record to one']);
      expect(checkWorkflow(withAction(turn('owner', [{ type: 'users', users: ['ann', 'zed'] }])), withOwner, refs).map((p) => p.message)).toEqual(['Node "order": user "zed" does not exist']);
      expect(found(withAction(turn('owner', [])))[0]).toMatch(/:schema$/);
    });

    it('resolves target forms through refs, so another published form works', () => {
      const withInvoices = purchaseRefs({ orders: purchaseOrderForm(), invoices: { name: 'Invoices', fields: [{ key: 'no', type: 'text', label: 'No' }] } });
      expect(checkWorkflow(withAction({ type: 'createRecord', form: 'invoices', values: { no: { var: 'title' } } }), form, withInvoices)).toEqual([]);
    });
  });

  describe('automations', () => {
    it('accepts each kind of trigger', () => {
      const triggers: Trigger[] = [{ event: 'created' }, { event: 'updated' }, { event: 'fieldChanged', fields: ['amount', 'title'] }, { schedule: '*/15 8-18 * * 1-5' }];
      for (const on of triggers) {
        expect(check(automation({ on, condition: { '>': [{ var: 'amount' }, 0] } }))).toEqual([]);
      }
    });

    it('names an automation with an invalid cron schedule, with the reason', () => {
      expect(check(automation({ on: { schedule: '0 25 * * *' } }))).toEqual([
        { path: 'automations.auto', code: 'schedule', message: 'Automation "auto": cron hour "25" is outside 0–23' },
      ]);
      expect(check(automation({ on: { schedule: '0 9 * * * *' } }))[0]!.message).toMatch(/^Automation "auto": a cron schedule has 5 fields/);
    });

    it('names an automation with a bad schedule filter', () => {
      expect(found(automation({ on: { schedule: '0 9 * * *', filter: { or: 'x' } } }))).toEqual(['automations.auto:filter']);
    });

    it('names an automation that watches a field the form does not have', () => {
      expect(check(automation({ on: { event: 'fieldChanged', fields: ['amount', 'colour'] } })).map((p) => p.message)).toEqual([
        'Automation "auto": watches "colour", which the form does not have',
      ]);
    });

    it('names an automation whose condition or actions are wrong, and a duplicate id', () => {
      const def = automation({ condition: { var: 'amout' }, actions: [{ type: 'createRecord', form: 'ghosts', values: {} }] });
      def.automations!.push({ ...def.automations![0]!, condition: { var: 'amount' }, actions: [{ type: 'webhook', url: 'http://x.example' }] });
      const messages = check(def).map((p) => p.message);
      expect(messages).toHaveLength(3);
      expect(messages[0]).toMatch(/^Automation "auto": condition: unknown variable "amout"/);
      expect(messages[1]).toBe('Automation "auto": action target form "ghosts" does not exist or is not published');
      expect(messages[2]).toBe('Automation "auto": the id is used twice');
    });
  });

  it('assertWorkflow throws INVALID_DEFINITION listing every problem', () => {
    const def = around(approval('a', [{ type: 'role', role: 'astronauts' }, { type: 'users', users: ['ghost'] }]));
    try {
      assertWorkflow(def, form, refs);
      expect.unreachable();
    } catch (e) {
      expect(isTrellisError(e) && e.code).toBe('INVALID_DEFINITION');
      expect((e as Error).message).toBe('Node "a": role "astronauts" does not exist; Node "a": user "ghost" does not exist');
      expect((e as { details: { problems: unknown[] } }).details.problems).toHaveLength(2);
    }
  });
});
