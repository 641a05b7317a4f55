import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';

// Dashboards keep aggregate rows between refreshes; every kind of change to a record — a
// submit, an edit, a workflow setting its status, a delete — shows in the next refresh.

describe('dashboard figures after every kind of change', () => {
  let h: Harness;
  let form = '';
  let dash = '';

  const figures = async () => {
    const r = await h.call('GET', `/api/dashboards/${dash}/data`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const w = Object.fromEntries(r.body.widgets.map((x: { id: string }) => [x.id, x]));
    const byStatus = Object.fromEntries(w.byStatus.figures.rows.map((row: { key: string; values: number[] }) => [row.key, row.values[0]]));
    return { count: w.total.figures.values[0], sum: w.total.figures.values[1], byStatus };
  };

  beforeAll(async () => {
    h = await startHarness();
    const me = (await h.call('GET', '/api/auth/me')).body;
    const app = (await h.call('POST', '/api/apps', { name: 'Spend' })).body.id;
    form = (await h.call('POST', `/api/apps/${app}/forms`, { name: 'Claim', fields: [{ key: 'amount', type: 'money', label: 'Amount', required: true }] })).body.id;
    expect((await h.call('POST', `/api/forms/${form}/publish`)).status).toBe(200);
    const flow = {
      nodes: [
        { id: 'start', type: 'start' },
        { id: 'ok', type: 'approval', assignees: [{ type: 'users', users: [me.id ?? me.user?.id] }], mode: 'any' },
        { id: 'end', type: 'end', status: 'approved' },
      ],
      edges: [{ from: 'start', to: 'ok' }, { from: 'ok', to: 'end' }],
    };
    expect((await h.call('PUT', `/api/forms/${form}/workflow`, flow)).status).toBe(200);
    const published = await h.call('POST', `/api/forms/${form}/workflow/publish`);
    expect(published.status, JSON.stringify(published.body)).toBe(200);
    const layout = { x: 0, y: 0, w: 6, h: 4 };
    const created = await h.call('POST', `/api/apps/${app}/dashboards`, {
      name: 'Claims',
      widgets: [
        { id: 'total', type: 'number', title: 'Claims', form, metrics: [{ op: 'count' }, { op: 'sum', field: 'amount' }], layout },
        { id: 'byStatus', type: 'bar', title: 'By status', form, groupBy: 'status', metrics: [{ op: 'count' }], layout: { ...layout, x: 6 } },
      ],
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    dash = created.body.id;
  });
  afterAll(async () => h?.close());

  it('a submit, an edit, an approval and a delete each show in the next refresh', async () => {
    expect(await figures()).toEqual({ count: 0, sum: 0, byStatus: {} });
    expect(await figures()).toEqual({ count: 0, sum: 0, byStatus: {} }); // kept rows, same answer
    const rec = (await h.call('POST', `/api/forms/${form}/records`, { data: { amount: 120 } })).body;
    const first = await figures();
    expect(first.count).toBe(1);
    expect(first.sum).toBe(120);
    await h.jobs.drain('workflow', 3000);
    const now = (await h.call('GET', `/api/forms/${form}/records/${rec.id}`)).body;
    const edited = await h.call('PATCH', `/api/forms/${form}/records/${rec.id}`, { data: { amount: 80 }, version: now.version });
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    expect((await figures()).sum).toBe(80);
    const before = (await figures()).byStatus;
    expect(Object.keys(before)).not.toContain('approved');
    const tasks = (await h.call('GET', '/api/tasks?status=open')).body.items as { id: string; recordId: string }[];
    const task = tasks.find((t) => t.recordId === rec.id)!;
    expect((await h.call('POST', `/api/tasks/${task.id}/approve`, {})).status).toBe(200);
    await h.jobs.drain('workflow', 3000);
    expect((await figures()).byStatus).toEqual({ approved: 1 });
    expect((await h.call('DELETE', `/api/forms/${form}/records/${rec.id}`)).status).toBe(204);
    expect(await figures()).toEqual({ count: 0, sum: 0, byStatus: {} });
  });
});
