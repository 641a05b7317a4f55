import type { RecordData } from '../record.js';
import type { FormDefinition } from '../schema/form.js';
import type { Assignee, WorkflowDefinition } from '../schema/workflow.js';
import { purchaseForm } from '../engine/purchase-form.fixture.js';
import type { WorkflowRefs } from './check-workflow.js';
import type { StepContext } from './step.js';

// Test fixture shared by the workflow unit tests: a purchase request goes to the
// submitter's leader, big amounts also to finance (both must approve), the
// warehouse gets a CC, and a purchase order is created with the request's lines.

export { purchaseForm };

/** The form the flow's action writes to. */
export function purchaseOrderForm(): FormDefinition {
  return {
    name: { en: 'Purchase order', zh: '采购订单' },
    fields: [
      { key: 'title', type: 'text', label: 'Title' },
      { key: 'total', type: 'money', label: 'Total' },
      { key: 'requester', type: 'member', label: 'Requester' },
      {
        key: 'items', type: 'subtable', label: 'Items',
        fields: [
          { key: 'product', type: 'link', label: 'Product', form: 'products' },
          { key: 'qty', type: 'number', label: 'Qty' },
          { key: 'requestTitle', type: 'text', label: 'Request' },
        ],
      },
    ],
  };
}

export function purchaseFlow(): WorkflowDefinition {
  return {
    name: { en: 'Purchase approval', zh: '采购审批' },
    nodes: [
      { id: 'start', type: 'start' },
      { id: 'leader', type: 'approval', name: 'Leader', assignees: [{ type: 'leader' }], mode: 'any', fields: { amount: 'editable', reason: 'readOnly' } },
      { id: 'big', type: 'condition' },
      { id: 'finance', type: 'approval', assignees: [{ type: 'users', users: ['fay', 'fin'] }], mode: 'all' },
      { id: 'warehouse', type: 'cc', assignees: [{ type: 'role', role: 'warehouse' }] },
      {
        id: 'order', type: 'action',
        action: {
          type: 'createRecord', form: 'orders',
          values: {
            title: { cat: ['PO for ', { var: 'title' }] },
            total: { var: 'amount' },
            requester: { var: 'createdBy' },
            items: { rows: 'lines', values: { product: { var: 'product' }, qty: { var: 'qty' }, requestTitle: { var: 'record.title' } } },
          },
        },
      },
      { id: 'done', type: 'end', status: 'approved' },
    ],
    edges: [
      { from: 'start', to: 'leader' },
      { from: 'leader', to: 'big' },
      { from: 'big', to: 'finance', condition: { '>': [{ var: 'amount' }, 10000] } },
      { from: 'big', to: 'warehouse', default: true },
      { from: 'finance', to: 'warehouse' },
      { from: 'warehouse', to: 'order' },
      { from: 'order', to: 'done' },
    ],
  };
}

/** A request as the flow's conditions and member fields read it. */
export function purchaseRequest(amount = 800): RecordData {
  return {
    title: 'Laptops', amount, reason: 'new hires', watchers: ['wendy', 'walt'], needBy: '2024-06-01',
    lines: [{ product: 'p1', qty: 2, price: 300 }, { product: 'p2', qty: 1, price: 200 }],
  };
}

const USERS = ['sam', 'lee', 'dan', 'fay', 'fin', 'wes', 'wu', 'wendy', 'walt', 'boss', 'ann', 'bob', 'cat', 'ed'];
const ROLES: Record<string, string[]> = { warehouse: ['wes', 'wu'], finance: ['fay', 'fin'], nobody: [] };
/** leaders of each submitter, one level up per entry */
const LEADERS: Record<string, string[]> = { sam: ['lee', 'dan'] };

/** What the server would answer for assignees: roles, leaders, member fields of `record`. */
export function directory(record: RecordData): StepContext['resolve'] {
  return (a: Assignee, submitter: string): string[] => {
    switch (a.type) {
      case 'users': return a.users;
      case 'role': return ROLES[a.role] ?? [];
      case 'leader': {
        const leader = LEADERS[submitter]?.[(a.levels ?? 1) - 1];
        return leader ? [leader] : [];
      }
      case 'field': {
        const v = record[a.field];
        return Array.isArray(v) ? v.filter((u): u is string => typeof u === 'string') : typeof v === 'string' ? [v] : [];
      }
      case 'submitter': return [submitter];
    }
  };
}

/** The store as `checkWorkflow` asks it: the orders form is published, the roles and users above exist. */
export function purchaseRefs(forms: Record<string, FormDefinition> = { orders: purchaseOrderForm() }): WorkflowRefs {
  return {
    form: (id) => forms[id] ?? null,
    roleExists: (id) => id in ROLES,
    userExists: (id) => USERS.includes(id),
  };
}
