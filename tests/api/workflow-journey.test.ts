import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_REDIS_URL, uniquePrefix } from '@trellis/server/jobs/bullmq/redis-test-support';
import { startHarness, type Call, type Harness } from '../support/harness.js';

// A purchase request goes to the department leader, then to finance when the amount is large
// (both finance officers must approve), CCs the warehouse, and on final approval creates a
// purchase order with the request's line items, as the real people involved, through the API.

const PASSWORD = 'workflow-password-1';

const requestForm = {
  name: 'Purchase request',
  fields: [
    { key: 'title', type: 'text', label: 'Title', required: true },
    { key: 'amount', type: 'money', label: 'Amount', min: 0 },
    { key: 'budgetCode', type: 'text', label: 'Budget code' },
    { key: 'lines', type: 'subtable', label: 'Lines', fields: [
      { key: 'sku', type: 'text', label: 'SKU', required: true },
      { key: 'qty', type: 'number', label: 'Qty', required: true, min: 1 },
    ] },
  ],
};

const orderForm = {
  name: 'Purchase order',
  fields: [
    { key: 'subject', type: 'text', label: 'Subject', required: true },
    { key: 'total', type: 'money', label: 'Total' },
    { key: 'request', type: 'text', label: 'Request id' },
    { key: 'items', type: 'subtable', label: 'Items', fields: [
      { key: 'sku', type: 'text', label: 'SKU', required: true },
      { key: 'quantity', type: 'number', label: 'Quantity', required: true },
    ] },
  ],
};

interface People { [name: string]: { id: string; call: Call } }

// the same journey on the embedded job runner and on BullMQ with a real Redis
const DRIVERS = {
  embedded: () => ({}),
  bullmq: () => ({ REDIS_URL: TEST_REDIS_URL, TRELLIS_REDIS_PREFIX: uniquePrefix('journey') }),
};

describe.each(Object.keys(DRIVERS) as (keyof typeof DRIVERS)[])('a purchase request through its approval workflow (%s jobs)', (driver) => {
  let h: Harness;
  const people: People = {};
  let requestFormId = '';
  let orderFormId = '';
  let financeRole = '';

  async function person(name: string, extra: Record<string, unknown> = {}) {
    const email = `${name.toLowerCase()}@example.com`;
    const u = await h.call('POST', '/api/users', { email, name, password: PASSWORD, ...extra });
    expect(u.status, JSON.stringify(u.body)).toBe(201);
    people[name] = { id: u.body.id, call: h.as(await h.login(email, PASSWORD)) };
    return u.body.id as string;
  }

  /** Waits for the background jobs (actions, outboxes) to settle. */
  async function settle() {
    await h.jobs.drain('workflow', 1000);
  }

  async function submit(name: string, data: Record<string, unknown>) {
    const r = await people[name]!.call('POST', `/api/forms/${requestFormId}/records`, { data });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body;
  }

  const openTasks = async (name: string) => (await people[name]!.call('GET', '/api/tasks')).body.items as { id: string; recordId: string; node: string }[];
  const taskFor = async (name: string, recordId: string) => (await openTasks(name)).find((t) => t.recordId === recordId);
  const statusOf = async (recordId: string) => (await h.call('GET', `/api/forms/${requestFormId}/records/${recordId}`)).body.status as string;

  beforeAll(async () => {
    h = await startHarness(DRIVERS[driver]());
    const app = (await h.call('POST', '/api/apps', { name: 'Purchasing' })).body.id;
    requestFormId = (await h.call('POST', `/api/apps/${app}/forms`, requestForm)).body.id;
    orderFormId = (await h.call('POST', `/api/apps/${app}/forms`, orderForm)).body.id;
    for (const f of [requestFormId, orderFormId]) expect((await h.call('POST', `/api/forms/${f}/publish`)).status).toBe(200);

    financeRole = (await h.call('POST', '/api/roles', { name: 'Finance', forms: { [requestFormId]: { actions: ['view'] } } })).body.id;
    const employee = (await h.call('POST', '/api/roles', { name: 'Employee', forms: { [requestFormId]: { actions: ['submit', 'view'], scope: 'own' } } })).body.id;
    await person('Lei'); // the leader
    await person('Fang', { roles: [financeRole] });
    await person('Gao', { roles: [financeRole] });
    await person('Wu'); // warehouse
    await person('Zhou'); // deputy, takes transfers
    const dept = (await h.call('POST', '/api/departments', { name: 'Operations', leaderId: people.Lei!.id })).body.id;
    await person('Mei', { departments: [dept], roles: [employee] });

    const flow = {
      nodes: [
        { id: 'start', type: 'start' },
        { id: 'leader', type: 'approval', name: 'Leader', assignees: [{ type: 'leader' }], mode: 'any', fields: { budgetCode: 'editable' } },
        { id: 'big', type: 'condition' },
        { id: 'finance', type: 'approval', name: 'Finance', assignees: [{ type: 'role', role: financeRole }], mode: 'all' },
        { id: 'warehouse', type: 'cc', assignees: [{ type: 'users', users: [people.Wu!.id] }] },
        { id: 'order', type: 'action', action: { type: 'createRecord', form: orderFormId, values: {
          subject: { cat: ['PO for ', { var: 'title' }] },
          total: { var: 'amount' },
          request: { var: 'record.id' },
          items: { rows: 'lines', values: { sku: { var: 'sku' }, quantity: { var: 'qty' } } },
        } } },
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
    const saved = await h.call('PUT', `/api/forms/${requestFormId}/workflow`, flow);
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    const published = await h.call('POST', `/api/forms/${requestFormId}/workflow/publish`);
    expect(published.status, JSON.stringify(published.body)).toBe(200);
  });
  afterAll(async () => h.close());

  it('a small request needs only the leader; on approval a purchase order with the line items is created and the warehouse is CCd', async () => {
    const req = await submit('Mei', { title: 'Chairs', amount: 800, lines: [{ sku: 'CH-1', qty: 4 }, { sku: 'CH-2', qty: 2 }] });
    expect(await statusOf(req.id)).toBe('running');
    const task = await taskFor('Lei', req.id);
    expect(task?.node).toBe('leader');
    expect(await taskFor('Fang', req.id)).toBeUndefined();

    const approved = await people.Lei!.call('POST', `/api/tasks/${task!.id}/approve`, { comment: 'fine' });
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    await settle();
    expect(await statusOf(req.id)).toBe('approved');

    const orders = await h.call('GET', `/api/forms/${orderFormId}/records?filter=${encodeURIComponent(JSON.stringify({ field: 'request', op: 'eq', value: req.id }))}`);
    expect(orders.body.items).toHaveLength(1);
    expect(orders.body.items[0].data).toMatchObject({ subject: 'PO for Chairs', total: 800, items: [{ sku: 'CH-1', quantity: 4 }, { sku: 'CH-2', quantity: 2 }] });

    const cc = (await people.Wu!.call('GET', '/api/notifications')).body.items;
    expect(cc.some((n: { kind: string; recordId: string }) => n.kind === 'cc' && n.recordId === req.id)).toBe(true);
    const outcome = (await people.Mei!.call('GET', '/api/notifications')).body.items;
    expect(outcome.some((n: { kind: string; recordId: string }) => n.kind === 'approved' && n.recordId === req.id)).toBe(true);

    const timeline = await people.Mei!.call('GET', `/api/records/${req.id}/timeline`);
    expect(timeline.status).toBe(200);
    const kinds = timeline.body.workflow.map((s: { node: string; kind: string }) => `${s.node}:${s.kind}`);
    expect(kinds).toEqual(expect.arrayContaining(['start:started', 'leader:approved', 'warehouse:cc', 'order:action.done', 'done:completed']));
    expect(timeline.body.workflow.find((s: { kind: string }) => s.kind === 'approved')).toMatchObject({ by: people.Lei!.id, comment: 'fine' });
  });

  it('a large request then needs both finance officers', async () => {
    const req = await submit('Mei', { title: 'Servers', amount: 50000, lines: [{ sku: 'SRV', qty: 2 }] });
    await people.Lei!.call('POST', `/api/tasks/${(await taskFor('Lei', req.id))!.id}/approve`, {});
    const fang = await taskFor('Fang', req.id);
    const gao = await taskFor('Gao', req.id);
    expect(fang?.node).toBe('finance');
    expect(gao?.node).toBe('finance');
    expect((await people.Fang!.call('POST', `/api/tasks/${fang!.id}/approve`, {})).status).toBe(200);
    expect(await statusOf(req.id)).toBe('running');
    expect((await people.Gao!.call('POST', `/api/tasks/${gao!.id}/approve`, {})).status).toBe(200);
    await settle();
    expect(await statusOf(req.id)).toBe('approved');
  });

  it('an approver cannot act on a task assigned to someone else', async () => {
    const req = await submit('Mei', { title: 'Desk', amount: 300 });
    const task = await taskFor('Lei', req.id);
    const r = await people.Fang!.call('POST', `/api/tasks/${task!.id}/approve`, {});
    expect(r.status).toBe(403);
    expect(await statusOf(req.id)).toBe('running');
  });

  it('two clicks on the same task at once: one wins, the other gets a clear 409', async () => {
    const req = await submit('Mei', { title: 'Lamps', amount: 100 });
    const task = await taskFor('Lei', req.id);
    const [a, b] = await Promise.all([
      people.Lei!.call('POST', `/api/tasks/${task!.id}/approve`, {}),
      people.Lei!.call('POST', `/api/tasks/${task!.id}/approve`, {}),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    expect((a.status === 409 ? a : b).body.error.message).toMatch(/already/);
  });

  it('the leader returns it; the submitter fixes and resubmits; the leader approves the new task', async () => {
    const req = await submit('Mei', { title: 'Paper', amount: 50 });
    const first = await taskFor('Lei', req.id);
    expect((await people.Lei!.call('POST', `/api/tasks/${first!.id}/return`, { comment: 'add a budget code' })).status).toBe(200);
    expect(await statusOf(req.id)).toBe('returned');
    expect(await taskFor('Lei', req.id)).toBeUndefined();
    expect((await people.Mei!.call('POST', `/api/records/${req.id}/workflow/resubmit`)).status).toBe(200);
    const second = await taskFor('Lei', req.id);
    expect(second && second.id).not.toBe(first!.id);
    expect((await people.Lei!.call('POST', `/api/tasks/${second!.id}/approve`, {})).status).toBe(200);
    await settle();
    expect(await statusOf(req.id)).toBe('approved');
  });

  it('the leader transfers the task to a deputy, who decides', async () => {
    const req = await submit('Mei', { title: 'Pens', amount: 20 });
    const task = await taskFor('Lei', req.id);
    expect((await people.Lei!.call('POST', `/api/tasks/${task!.id}/transfer`, { to: people.Zhou!.id, comment: 'on leave' })).status).toBe(200);
    expect(await taskFor('Lei', req.id)).toBeUndefined();
    const deputy = await taskFor('Zhou', req.id);
    expect((await people.Zhou!.call('POST', `/api/tasks/${deputy!.id}/reject`, { comment: 'not needed' })).status).toBe(200);
    expect(await statusOf(req.id)).toBe('rejected');
  });

  it('the leader edits the budget code the step makes editable, and nothing else', async () => {
    const req = await submit('Mei', { title: 'Toner', amount: 90 });
    const task = await taskFor('Lei', req.id);
    // the leader has no role on the form, yet reads the record of his task and learns what he may change
    expect((await people.Lei!.call('GET', `/api/forms/${requestFormId}/records/${req.id}`)).status).toBe(404);
    const view = await people.Lei!.call('GET', `/api/tasks/${task!.id}`);
    expect(view.status).toBe(200);
    expect(view.body).toMatchObject({ record: { id: req.id, data: { title: 'Toner', amount: 90 } }, editable: ['budgetCode'] });
    expect((await people.Fang!.call('GET', `/api/tasks/${task!.id}`)).status).toBe(404);
    const notAllowed = await people.Lei!.call('POST', `/api/tasks/${task!.id}/approve`, { data: { amount: 1 } });
    expect(notAllowed.status).toBe(422);
    const ok = await people.Lei!.call('POST', `/api/tasks/${task!.id}/approve`, { data: { budgetCode: 'OPS-7' } });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    const record = (await h.call('GET', `/api/forms/${requestFormId}/records/${req.id}`)).body;
    expect(record.data).toMatchObject({ budgetCode: 'OPS-7', amount: 90 });
    const steps = (await h.call('GET', `/api/records/${req.id}/timeline`)).body.workflow;
    expect(steps.find((s: { kind: string }) => s.kind === 'edited').changes).toEqual([{ field: 'budgetCode', from: null, to: 'OPS-7' }]);
  });

  it('the submitter withdraws before anyone decided, and not after', async () => {
    const req = await submit('Mei', { title: 'Cups', amount: 10 });
    expect((await people.Mei!.call('POST', `/api/records/${req.id}/workflow/withdraw`)).status).toBe(200);
    expect(await statusOf(req.id)).toBe('withdrawn');
    expect(await taskFor('Lei', req.id)).toBeUndefined();
    const later = await submit('Mei', { title: 'Plates', amount: 12000 });
    await people.Lei!.call('POST', `/api/tasks/${(await taskFor('Lei', later.id))!.id}/approve`, {});
    expect((await people.Mei!.call('POST', `/api/records/${later.id}/workflow/withdraw`)).status).toBe(409);
  });
});
