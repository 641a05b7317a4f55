import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';

// "Create a record" once per row of a sub-table: a production plan, once approved, becomes one
// work order per line (product, quantity, the line's workshop lead, the plan it came from). A line
// the work order form refuses stops the action with the row named and the instance in error; after
// the plan is fixed, a retry makes the missing work order and none of the others a second time.
// Publishing refuses a `forEach` that is not a sub-table and values reading columns it lacks.

type Json = any;

describe('one record per sub-table row', () => {
  let h: Harness;
  let plans = '';
  let orders = '';
  let adminId = '';
  const ok = async (reply: Promise<{ status: number; body: Json }>, status = 200) => {
    const r = await reply;
    expect(r.status, JSON.stringify(r.body)).toBe(status);
    return r.body;
  };
  const settle = async () => {
    for (let i = 0; i < 3; i++) await h.jobs.drain('workflow', 1000);
  };
  const ordersOf = async (planId: string) =>
    ((await ok(h.call('GET', `/api/forms/${orders}/records?limit=100&filter=${encodeURIComponent(JSON.stringify({ field: 'plan', op: 'eq', value: planId }))}`))).items as Json[])
      .map((r) => r.data)
      .sort((a, b) => String(a.product).localeCompare(String(b.product)));
  const flow = (forEach: string, values: Json) => ({
    nodes: [
      { id: 'start', type: 'start' },
      { id: 'ok', type: 'approval', assignees: [{ type: 'users', users: [adminId] }], mode: 'any' },
      { id: 'split', type: 'action', action: { type: 'createRecord', form: orders, forEach, values } },
      { id: 'end', type: 'end' },
    ],
    edges: [{ from: 'start', to: 'ok' }, { from: 'ok', to: 'split' }, { from: 'split', to: 'end' }],
  });
  const VALUES = { product: { var: 'product' }, qty: { var: 'qty' }, lead: { var: 'lead' }, plan: { var: 'record.id' }, title: { cat: [{ var: 'record.title' }, ' / ', { var: 'product' }] } };

  beforeAll(async () => {
    h = await startHarness({ TRELLIS_JOB_BACKOFF_MS: '20' });
    const me = await ok(h.call('GET', '/api/auth/me'));
    adminId = me.user?.id ?? me.id;
    const app = (await h.call('POST', '/api/apps', { name: 'Production' })).body.id;
    plans = (await ok(h.call('POST', `/api/apps/${app}/forms`, {
      name: 'Plan', titleField: 'title',
      fields: [
        { key: 'title', type: 'text', label: 'Title', required: true },
        { key: 'note', type: 'text', label: 'Note' },
        {
          key: 'lines', type: 'subtable', label: 'Lines',
          fields: [{ key: 'product', type: 'text', label: 'Product' }, { key: 'qty', type: 'number', label: 'Quantity' }, { key: 'lead', type: 'member', label: 'Lead' }],
        },
      ],
    }), 201)).id;
    orders = (await ok(h.call('POST', `/api/apps/${app}/forms`, {
      name: 'Work order',
      fields: [
        { key: 'title', type: 'text', label: 'Title' },
        { key: 'product', type: 'text', label: 'Product', required: true },
        { key: 'qty', type: 'number', label: 'Quantity', required: true, min: 1 },
        { key: 'lead', type: 'member', label: 'Lead' },
        { key: 'plan', type: 'link', label: 'Plan', form: plans },
      ],
    }), 201)).id;
    for (const f of [plans, orders]) await ok(h.call('POST', `/api/forms/${f}/publish`));
    await ok(h.call('PUT', `/api/forms/${plans}/workflow`, flow('lines', VALUES)));
    await ok(h.call('POST', `/api/forms/${plans}/workflow/publish`));
  });
  afterAll(async () => h?.close());

  const approve = async (recordId: string) => {
    const task = ((await ok(h.call('GET', '/api/tasks'))).items as Json[]).find((t) => t.recordId === recordId);
    await ok(h.call('POST', `/api/tasks/${task.id}/approve`, {}));
    await settle();
  };

  it('an approved plan becomes one work order per line, each with its line and the plan', async () => {
    const plan = await ok(h.call('POST', `/api/forms/${plans}/records`, {
      data: { title: 'Week 48', lines: [{ product: 'Pump A', qty: 10, lead: adminId }, { product: 'Pump B', qty: 4 }, { product: 'Valve C', qty: 25 }] },
    }), 201);
    await settle();
    expect(await ordersOf(plan.id)).toEqual([]);
    await approve(plan.id);
    expect(await ordersOf(plan.id)).toEqual([
      { title: 'Week 48 / Pump A', product: 'Pump A', qty: 10, lead: adminId, plan: plan.id },
      { title: 'Week 48 / Pump B', product: 'Pump B', qty: 4, plan: plan.id },
      { title: 'Week 48 / Valve C', product: 'Valve C', qty: 25, plan: plan.id },
    ]);
    expect((await ok(h.call('GET', `/api/records/${plan.id}/workflow`))).status).toBe('completed');
  });

  it('a plan without lines makes no work order', async () => {
    const plan = await ok(h.call('POST', `/api/forms/${plans}/records`, { data: { title: 'Empty week' } }), 201);
    await settle();
    await approve(plan.id);
    expect(await ordersOf(plan.id)).toEqual([]);
    expect((await ok(h.call('GET', `/api/records/${plan.id}/workflow`))).status).toBe('completed');
  });

  it('a line the work order refuses stops with the row named; after the fix a retry makes only the missing one', async () => {
    const plan = await ok(h.call('POST', `/api/forms/${plans}/records`, {
      data: { title: 'Week 49', lines: [{ product: 'Pump A', qty: 5 }, { product: 'Pump B', qty: 0 }, { product: 'Valve C', qty: 2 }] },
    }), 201);
    await settle();
    await approve(plan.id);
    const instance = await ok(h.call('GET', `/api/records/${plan.id}/workflow`));
    expect(instance.status).toBe('error');
    expect(instance.error.message).toMatch(/for row 2 of "lines" failed: .*qty/);
    // the first line was made before the second failed; nothing after it
    expect((await ordersOf(plan.id)).map((o) => o.product)).toEqual(['Pump A']);
    // the planner corrects the quantity, an administrator retries
    const current = await ok(h.call('GET', `/api/forms/${plans}/records/${plan.id}`));
    const lines = current.data.lines.map((l: Json) => (l.product === 'Pump B' ? { ...l, qty: 3 } : l));
    await ok(h.call('PATCH', `/api/forms/${plans}/records/${plan.id}`, { data: { lines }, version: current.version }));
    await ok(h.call('POST', `/api/workflow-instances/${instance.id}/retry`), 200);
    await settle();
    expect((await ok(h.call('GET', `/api/records/${plan.id}/workflow`))).status).toBe('completed');
    expect((await ordersOf(plan.id)).map((o) => [o.product, o.qty])).toEqual([['Pump A', 5], ['Pump B', 3], ['Valve C', 2]]);
  });

  it('refuses at publish a forEach that is not a sub-table, and values reading columns the rows lack', async () => {
    const notTable = await h.call('PUT', `/api/forms/${plans}/workflow`, flow('note', VALUES));
    const problems = JSON.stringify(notTable.status === 200 ? (await h.call('POST', `/api/forms/${plans}/workflow/publish`)).body : notTable.body);
    expect(problems).toContain('one record per row of \\"note\\", which is not a sub-table of the form');
    const unknown = await h.call('PUT', `/api/forms/${plans}/workflow`, flow('lines', { ...VALUES, product: { var: 'sku' } }));
    const more = JSON.stringify(unknown.status === 200 ? (await h.call('POST', `/api/forms/${plans}/workflow/publish`)).body : unknown.body);
    expect(more).toMatch(/sku/);
    // the published flow is still the good one
    await ok(h.call('PUT', `/api/forms/${plans}/workflow`, flow('lines', VALUES)));
    await ok(h.call('POST', `/api/forms/${plans}/workflow/publish`));
  });
});
