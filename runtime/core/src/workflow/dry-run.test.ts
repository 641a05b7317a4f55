import { describe, expect, it } from 'vitest';
import { isTrellisError } from '../errors.js';
import type { FormDefinition } from '../schema/form.js';
import type { WorkflowDefinition } from '../schema/workflow.js';
import { dryRun } from './dry-run.js';
import { directory, purchaseFlow, purchaseForm, purchaseRequest } from './purchase-flow.fixture.js';

const NOW = new Date('2024-05-06T09:00:00.000Z');
const edgeKeys = (edges: { from: string; to: string }[]) => edges.map((e) => `${e.from}>${e.to}`);

describe('dryRun on the purchase flow', () => {
  it('a small amount goes from the leader straight to the warehouse CC and the order action', () => {
    const r = dryRun(purchaseFlow(), purchaseForm(), purchaseRequest(800), { now: NOW, submitter: 'sam', resolve: directory(purchaseRequest(800)) });
    expect(r.path).toEqual(['start', 'leader', 'big', 'warehouse', 'order', 'done']);
    expect(edgeKeys(r.edges)).toEqual(['start>leader', 'leader>big', 'big>warehouse', 'warehouse>order', 'order>done']);
    expect(r.tasks).toEqual({ leader: ['lee'] });
    expect(r.cc).toEqual({ warehouse: ['wes', 'wu'] });
    expect(r.outcome).toBe('approved');
    expect(r.stopped).toBeNull();
  });

  it('an amount above the threshold also goes to finance, where both officers get a task', () => {
    const r = dryRun(purchaseFlow(), purchaseForm(), purchaseRequest(20000), { now: NOW, submitter: 'sam', resolve: directory(purchaseRequest(20000)) });
    expect(r.path).toEqual(['start', 'leader', 'big', 'finance', 'warehouse', 'order', 'done']);
    expect(edgeKeys(r.edges)).toContain('big>finance');
    expect(edgeKeys(r.edges)).not.toContain('big>warehouse');
    expect(r.tasks).toEqual({ leader: ['lee'], finance: ['fay', 'fin'] });
    expect(r.outcome).toBe('approved');
  });

  it('the threshold itself takes the default branch (the condition is a strict ">")', () => {
    const r = dryRun(purchaseFlow(), purchaseForm(), purchaseRequest(10000), { now: NOW });
    expect(r.path).not.toContain('finance');
  });

  it('without a resolver, assignees appear as stand-ins naming who they are', () => {
    const r = dryRun(purchaseFlow(), purchaseForm(), purchaseRequest(20000), { now: NOW });
    expect(r.tasks).toEqual({ leader: ['leader:1'], finance: ['fay', 'fin'] });
    expect(r.cc).toEqual({ warehouse: ['role:warehouse'] });
  });

  it('computes formulas before the conditions read them, and lists what the server would reject', () => {
    const flow = purchaseFlow();
    flow.edges = flow.edges.map((e) => (e.to === 'finance' ? { ...e, condition: { '>': [{ var: 'total' }, 1000] } } : e));
    const sample = { title: 'Desks', amount: 10, lines: [{ qty: 4, price: 300 }] }; // total 1200, reason missing is fine: hidden below 10000
    const r = dryRun(flow, purchaseForm(), sample, { now: NOW });
    expect(r.data.total).toBe(1200);
    expect(r.path).toContain('finance');
    const bad = dryRun(flow, purchaseForm(), { amount: 5 }, { now: NOW });
    expect(bad.sampleErrors.map((e) => e.field)).toContain('title');
    expect(bad.path).not.toContain('finance');
  });
});

describe('dryRun on other shapes', () => {
  const form: FormDefinition = { name: 'Leave', fields: [{ key: 'days', type: 'number', label: 'Days' }, { key: 'backup', type: 'member', label: 'Backup' }] };

  it('follows every branch of a parallel split to its join', () => {
    const def: WorkflowDefinition = {
      nodes: [
        { id: 'start', type: 'start' },
        { id: 'split', type: 'parallel' },
        { id: 'hr', type: 'approval', assignees: [{ type: 'role', role: 'hr' }], mode: 'any' },
        { id: 'wait', type: 'delay', duration: { amount: 1, unit: 'days' } },
        { id: 'join', type: 'join' },
        { id: 'end', type: 'end' },
      ],
      edges: [
        { from: 'start', to: 'split' },
        { from: 'split', to: 'hr' },
        { from: 'split', to: 'wait' },
        { from: 'hr', to: 'join' },
        { from: 'wait', to: 'join' },
        { from: 'join', to: 'end' },
      ],
    };
    const r = dryRun(def, form, { days: 2 }, { now: NOW });
    expect(new Set(r.path)).toEqual(new Set(['start', 'split', 'hr', 'wait', 'join', 'end']));
    expect(r.path[0]).toBe('start');
    expect(r.path.at(-1)).toBe('end');
    expect(edgeKeys(r.edges)).toEqual(expect.arrayContaining(['split>hr', 'split>wait', 'hr>join', 'wait>join', 'join>end']));
    expect(r.outcome).toBe('approved');
  });

  it('stops where no one could approve (an empty member field), naming the node', () => {
    const def: WorkflowDefinition = {
      nodes: [
        { id: 'start', type: 'start' },
        { id: 'backup', type: 'approval', assignees: [{ type: 'field', field: 'backup' }], mode: 'all' },
        { id: 'end', type: 'end', status: 'granted' },
      ],
      edges: [{ from: 'start', to: 'backup' }, { from: 'backup', to: 'end' }],
    };
    const empty = dryRun(def, form, { days: 1 }, { now: NOW });
    expect(empty.stopped).toMatchObject({ node: 'backup' });
    expect(empty.outcome).toBeNull();
    expect(empty.path).toEqual(['start', 'backup']);
    const filled = dryRun(def, form, { days: 1, backup: 'u1' }, { now: NOW });
    expect(filled.tasks).toEqual({ backup: ['u1'] });
    expect(filled.outcome).toBe('granted');
  });

  it('refuses a definition of the wrong shape with its problems', () => {
    const bad = { nodes: [{ id: 'start', type: 'start' }, { id: 'a', type: 'approval', assignees: [], mode: 'any' }], edges: [] } as unknown as WorkflowDefinition;
    try {
      dryRun(bad, form, {});
      expect.unreachable();
    } catch (e) {
      expect(isTrellisError(e) && e.code).toBe('INVALID_DEFINITION');
      expect((e as Error).message).toMatch(/assignees/);
    }
  });
});
