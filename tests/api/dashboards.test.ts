import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Call } from '../support/harness.js';
import { buildOrg, ok, PASSWORD, type Org } from '../support/org.js';

// Dashboards over the purchase orders of the permission org: every widget's
// figures equal what a direct computation over the records the viewer can
// list gives, for a viewer with a department scope and a hidden field and for
// the administrator who sees everything.

type Rec = { id: string; data: Record<string, unknown>; createdAt: string; createdBy: string };
type Metric = { op: 'count' | 'sum' | 'avg' | 'min' | 'max'; field?: string };

const layout = { x: 0, y: 0, w: 6, h: 4 };

/** Every record of a form the caller may list (optionally filtered), following cursors. */
async function listAll(call: Call, formId: string, filter?: unknown): Promise<Rec[]> {
  const out: Rec[] = [];
  let cursor: string | null = null;
  do {
    const q = new URLSearchParams({ limit: '200' });
    if (filter !== undefined) q.set('filter', JSON.stringify(filter));
    if (cursor) q.set('cursor', cursor);
    const page: any = await ok(call('GET', `/api/forms/${formId}/records?${q}`));
    out.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}

function metric(m: Metric, recs: Rec[]): number | null {
  if (m.op === 'count') return recs.length;
  const xs = recs.map((r) => r.data[m.field!]).filter((v): v is number => typeof v === 'number');
  if (m.op === 'sum') return xs.reduce((s, x) => s + x, 0);
  if (xs.length === 0) return null;
  if (m.op === 'avg') return xs.reduce((s, x) => s + x, 0) / xs.length;
  return m.op === 'min' ? Math.min(...xs) : Math.max(...xs);
}

function groups(recs: Rec[], key: (r: Rec) => unknown): Map<string, Rec[]> {
  const out = new Map<string, Rec[]>();
  for (const r of recs) {
    const k = JSON.stringify(key(r) ?? null);
    out.set(k, [...(out.get(k) ?? []), r]);
  }
  return out;
}

function expectValues(actual: unknown[], metrics: Metric[], recs: Rec[]): void {
  metrics.forEach((m, i) => {
    const want = metric(m, recs);
    if (want === null) expect(actual[i]).toBeNull();
    else expect(actual[i] as number).toBeCloseTo(want, 6);
  });
}

/** A series (bar, line, pie, table) equals the grouped records, group by group. */
function expectSeries(fig: any, recs: Rec[], key: (r: Rec) => unknown, metrics: Metric[]): void {
  const want = groups(recs, key);
  expect(new Set(fig.rows.map((r: any) => JSON.stringify(r.key)))).toEqual(new Set(want.keys()));
  for (const row of fig.rows) expectValues(row.values, metrics, want.get(JSON.stringify(row.key))!);
}

const supplierOf = (r: Rec) => r.data.supplier;
const approvedOf = (r: Rec) => r.data.approved ?? null;
const dayOf = (r: Rec) => r.createdAt.slice(0, 10);

const M_COUNT_SUM: Metric[] = [{ op: 'count' }, { op: 'sum', field: 'amount' }];
const M_STATS: Metric[] = [{ op: 'avg', field: 'amount' }, { op: 'min', field: 'amount' }, { op: 'max', field: 'amount' }];
const M_ALL: Metric[] = [...M_COUNT_SUM, ...M_STATS];

function ordersDashboard(order: string) {
  return {
    name: { en: 'Purchasing', zh: '采购' },
    filters: { department: true },
    widgets: [
      { id: 'total', type: 'number', title: 'Orders', form: order, metrics: M_COUNT_SUM, compare: 'previousPeriod', layout },
      { id: 'bySupplier', type: 'bar', title: 'By supplier', form: order, groupBy: 'supplier', metrics: M_COUNT_SUM, layout },
      { id: 'perDay', type: 'line', title: 'Per day', form: order, groupBy: { field: 'createdAt', bucket: 'day' }, metrics: [{ op: 'count' }], layout },
      { id: 'share', type: 'pie', title: 'Approved', form: order, groupBy: 'approved', metrics: [{ op: 'sum', field: 'amount' }], layout },
      { id: 'stats', type: 'table', title: 'Stats', form: order, groupBy: 'supplier', metrics: M_STATS, layout },
      { id: 'funnel', type: 'funnel', title: 'Orders by supplier', form: order, groupBy: 'supplier', metrics: [{ op: 'count' }], sort: { by: 'value', dir: 'desc' }, layout },
      { id: 'matrix', type: 'pivot', title: 'Supplier × approved', form: order, groupBy: 'supplier', columns: 'approved', metrics: M_ALL, layout },
      { id: 'big', type: 'table', title: 'Big orders', form: order, filter: { field: 'amount', op: 'gte', value: 200 }, metrics: [{ op: 'count' }], layout },
      { id: 'cost', type: 'bar', title: 'Cost', form: order, groupBy: 'supplier', metrics: [{ op: 'sum', field: 'unitCost' }], layout },
    ],
  };
}

describe('dashboards', () => {
  let org: Org;
  let lin: { id: string; call: Call };
  let dash: string;
  let invoice: string;
  let invoiceDash: string;
  const admin = () => org.people.admin.call;

  beforeAll(async () => {
    org = await buildOrg();
    const { h, forms, departments } = org;
    // Lin works in Purchasing and reads its orders, without the unit cost
    const role = (await ok(h.call('POST', '/api/roles', {
      name: 'Purchasing analyst',
      forms: { [forms.supplier]: { actions: ['view'] }, [forms.order]: { actions: ['view', 'submit'], scope: 'departmentTree', fields: { unitCost: 'hidden' } } },
    }), 201)).id as string;
    const linId = (await ok(h.call('POST', '/api/users', { email: 'lin@example.com', name: 'Lin', departments: [departments.purchasing], roles: [role], password: PASSWORD }), 201)).id as string;
    lin = { id: linId, call: h.as(await h.login('lin@example.com', PASSWORD)) };
    await ok(lin.call('POST', `/api/forms/${forms.order}/records`, { data: { title: 'Lin 1', amount: 400, supplier: org.suppliers.Globex } }), 201);
    // two approved orders, so the pie and the pivot have two sides
    for (const key of ['a2', 'b2'] as const) {
      await ok(admin()('PATCH', `/api/forms/${forms.order}/records/${org.orders[key]}`, { data: { approved: true }, version: 1 }));
    }
    dash = (await ok(admin()('POST', `/api/apps/${org.apps.purchasing}/dashboards`, ordersDashboard(forms.order)), 201)).id;

    invoice = (await ok(admin()('POST', `/api/apps/${org.apps.purchasing}/forms`, {
      name: 'Invoice',
      fields: [
        { key: 'title', type: 'text', label: 'Title' },
        { key: 'amount', type: 'number', label: 'Amount' },
        { key: 'due', type: 'date', label: 'Due' },
        { key: 'region', type: 'select', label: 'Region', options: ['east', 'west'] },
      ],
    }), 201)).id;
    await ok(admin()('POST', `/api/forms/${invoice}/publish`));
    const rows: [string, string, number][] = [
      ['2026-01-15', 'east', 100], ['2026-02-03', 'west', 50], ['2026-02-20', 'east', 70],
      ['2026-03-01', 'east', 10], ['2026-03-31', 'west', 5], ['2026-03-31', 'east', 7], ['2026-04-01', 'east', 1000],
    ];
    for (const [due, region, amount] of rows) {
      await ok(admin()('POST', `/api/forms/${invoice}/records`, { data: { title: `${region} ${due}`, due, region, amount } }), 201);
    }
    invoiceDash = (await ok(admin()('POST', `/api/apps/${org.apps.purchasing}/dashboards`, {
      name: 'Invoices',
      filters: { dateRange: { field: 'due' } },
      widgets: [
        { id: 'total', type: 'number', title: 'Due', form: invoice, metrics: [{ op: 'sum', field: 'amount' }, { op: 'count' }], compare: 'previousPeriod', layout },
        { id: 'monthly', type: 'line', title: 'Monthly', form: invoice, groupBy: { field: 'due', bucket: 'month' }, metrics: [{ op: 'sum', field: 'amount' }], layout },
        { id: 'grid', type: 'pivot', title: 'Region × week', form: invoice, groupBy: 'region', columns: { field: 'due', bucket: 'week' }, metrics: [{ op: 'sum', field: 'amount' }], layout },
      ],
    }), 201)).id;
  }, 60_000);
  afterAll(async () => org.h.close());

  const data = async (call: Call, id: string, query = '') => {
    const body = await ok(call('GET', `/api/dashboards/${id}/data${query}`));
    return Object.fromEntries(body.widgets.map((w: any) => [w.id, w])) as Record<string, any>;
  };

  it('every widget type equals a direct computation over the records each viewer may list', async () => {
    for (const [who, call] of [['lin', lin.call], ['admin', admin()]] as const) {
      const recs = await listAll(call, org.forms.order);
      expect(recs.length, who).toBe(who === 'admin' ? 8 : 5);
      const w = await data(call, dash);
      if (process.env.SHOW_DASHBOARD) console.log(who, JSON.stringify(w, null, 1));
      expect(w.total.figures.type).toBe('number');
      expectValues(w.total.figures.values, M_COUNT_SUM, recs);
      // no date range: nothing to compare with
      expect(w.total.figures.previous).toBeNull();
      expectSeries(w.bySupplier.figures, recs, supplierOf, M_COUNT_SUM);
      // link keys come with the linked record's title, read as the viewer
      const names = Object.fromEntries(Object.entries(org.suppliers).map(([name, id]) => [id, name]));
      expect(w.bySupplier.labels).toEqual(Object.fromEntries(w.bySupplier.figures.rows.map((r: any) => [r.key, names[r.key]])));
      expectSeries(w.perDay.figures, recs, dayOf, [{ op: 'count' }]);
      expectSeries(w.share.figures, recs, approvedOf, [{ op: 'sum', field: 'amount' }]);
      expectSeries(w.stats.figures, recs, supplierOf, M_STATS);
      expectSeries(w.funnel.figures, recs, supplierOf, [{ op: 'count' }]);
      // a funnel sorted by value: widest stage first
      const widths = w.funnel.figures.rows.map((r: any) => r.values[0]);
      expect(widths).toEqual([...widths].sort((a: number, b: number) => b - a));
      expect(w.big.figures.rows).toHaveLength(1);
      expectValues(w.big.figures.rows[0].values, [{ op: 'count' }], recs.filter((r) => (r.data.amount as number) >= 200));

      const p = w.matrix.figures;
      const bySupplier = groups(recs, supplierOf);
      expect(new Set(p.rows.map((r: any) => JSON.stringify(r.key)))).toEqual(new Set(bySupplier.keys()));
      expect(new Set(p.columns.map((c: any) => JSON.stringify(c.key)))).toEqual(new Set(groups(recs, approvedOf).keys()));
      p.rows.forEach((row: any, i: number) => p.columns.forEach((col: any, j: number) => {
        const cell = recs.filter((r) => supplierOf(r) === row.key && (approvedOf(r)) === col.key);
        expectValues(p.cells[i][j].values, M_ALL, cell);
      }));
      // totals of a row, of a column and of all: over the records themselves (an average is not the average of averages)
      p.rows.forEach((row: any, i: number) => expectValues(p.rowTotals[i].values, M_ALL, recs.filter((r) => supplierOf(r) === row.key)));
      p.columns.forEach((col: any, j: number) => expectValues(p.columnTotals[j].values, M_ALL, recs.filter((r) => approvedOf(r) === col.key)));
      expectValues(p.total.values, M_ALL, recs);

      // the unit cost is hidden from Lin: that widget answers an error for Lin and figures for the admin
      if (who === 'lin') {
        expect(w.cost.error.code).toBe('FORBIDDEN');
        expect(w.cost.figures).toBeUndefined();
        expect(JSON.stringify(w)).not.toContain('"unitCost"');
      } else {
        expectSeries(w.cost.figures, recs, supplierOf, [{ op: 'sum', field: 'unitCost' }]);
      }
    }
  });

  it('a drill filter selects exactly the records behind a bar and a pivot cell', async () => {
    for (const call of [lin.call, admin()]) {
      const recs = await listAll(call, org.forms.order);
      const w = await data(call, dash);
      for (const row of w.bySupplier.figures.rows) {
        const behind = await listAll(call, org.forms.order, row.drill);
        expect(behind.map((r) => r.id).sort()).toEqual(recs.filter((r) => supplierOf(r) === row.key).map((r) => r.id).sort());
      }
      const cell = w.matrix.figures.cells[0][0];
      const behind = await listAll(call, org.forms.order, cell.drill);
      expect(behind.length).toBe(cell.values[0]);
    }
    const w = await data(admin(), invoiceDash, '?from=2026-03-01&to=2026-03-31');
    const grid = w.grid.figures;
    const east = grid.rows.findIndex((r: any) => r.key === 'east');
    for (const [j, col] of grid.columns.entries()) {
      const behind = await listAll(admin(), invoice, grid.cells[east].at(j).drill);
      expect(behind.reduce((s, r) => s + (r.data.amount as number), 0)).toBe(grid.cells[east][j].values[0]);
      expect(behind.every((r) => r.data.region === 'east' && (r.data.due as string) >= '2026-03-01' && (r.data.due as string) <= '2026-03-31')).toBe(true);
      expect(typeof col.key).toBe('string');
    }
  });

  it('the date range applies to every widget, and the number card compares with the previous period', async () => {
    const all = await listAll(admin(), invoice);
    const within = (from: string, to: string) => all.filter((r) => (r.data.due as string) >= from && (r.data.due as string) <= to);
    const w = await data(admin(), invoiceDash, '?from=2026-03-01&to=2026-03-31');
    const march = within('2026-03-01', '2026-03-31');
    const before = within('2026-01-29', '2026-02-28');
    expect(w.total.figures.values).toEqual([metric({ op: 'sum', field: 'amount' }, march), march.length]);
    expect(w.total.figures.values).toEqual([22, 3]);
    expect(w.total.figures.previousRange).toEqual({ from: '2026-01-29', to: '2026-02-28' });
    expect(w.total.figures.previous).toEqual([120, 2]);
    expect(w.total.figures.change[0]).toBeCloseTo((22 - 120) / 120, 9);
    expect(before.length).toBe(2);
    expectSeries(w.monthly.figures, march, (r) => (r.data.due as string).slice(0, 7), [{ op: 'sum', field: 'amount' }]);
    const everything = await data(admin(), invoiceDash);
    expect(everything.total.figures.values).toEqual([1242, 7]);
    expect(everything.monthly.figures.rows.map((r: any) => r.key)).toEqual(['2026-01', '2026-02', '2026-03', '2026-04']);
    const bad = await admin()('GET', `/api/dashboards/${invoiceDash}/data?from=2026-03-05`);
    expect(bad.status).toBe(400);
    expect((await admin()('GET', `/api/dashboards/${invoiceDash}/data?from=2026-03-05&to=2026-03-01`)).status).toBe(400);
  });

  it('the department filter keeps the records created in that department tree', async () => {
    const recs = await listAll(admin(), org.forms.order);
    const { purchasing, imports, sales } = org.departments;
    const cases: [string, string[]][] = [
      [imports, [org.people.alice.id]],
      [purchasing, [org.people.alice.id, org.people.mei.id, lin.id]],
      [sales, [org.people.bob.id, org.people.dana.id]],
    ];
    for (const [dept, creators] of cases) {
      const mine = recs.filter((r) => creators.includes(r.createdBy));
      const w = await data(admin(), dash, `?department=${dept}`);
      expectValues(w.total.figures.values, M_COUNT_SUM, mine);
      expectSeries(w.bySupplier.figures, mine, supplierOf, M_COUNT_SUM);
    }
    // filters AND the viewer's scope: Lin sees no Sales orders, whatever she asks
    const w = await data(lin.call, dash, `?department=${sales}`);
    expect(w.total.figures.values).toEqual([0, 0]);
    expect((await admin()('GET', `/api/dashboards/${dash}/data?department=nope`)).status).toBe(400);
  });

  it('checks widgets against the forms of the app, problem by problem', async () => {
    const bad = ordersDashboard(org.forms.order);
    bad.widgets = [
      { ...bad.widgets[1]!, metrics: [{ op: 'count' }, { op: 'sum', field: 'title' }] },
      { ...bad.widgets[2]!, groupBy: { field: 'amount', bucket: 'month' } },
      { ...bad.widgets[3]!, form: org.forms.salary },
      { ...bad.widgets[4]!, groupBy: 'nothing' },
    ] as typeof bad.widgets;
    const r = await admin()('POST', `/api/apps/${org.apps.purchasing}/dashboards`, bad);
    expect(r.status).toBe(422);
    expect(r.body.error.code).toBe('INVALID_DEFINITION');
    expect(r.body.error.details.problems.map((p: any) => p.path)).toEqual([
      'widgets[0].metrics[1].field', 'widgets[1].groupBy.bucket', 'widgets[2].form', 'widgets[3].groupBy',
    ]);
    const shape = await admin()('POST', `/api/apps/${org.apps.purchasing}/dashboards`, { name: 'x', widgets: [{ id: 'a', type: 'gauge' }] });
    expect(shape.status).toBe(400);
  });

  it('designers change dashboards; those who may open the app read them; others do not see them', async () => {
    const body = ordersDashboard(org.forms.order);
    expect((await lin.call('POST', `/api/apps/${org.apps.purchasing}/dashboards`, body)).status).toBe(403);
    const listed = await ok(lin.call('GET', `/api/apps/${org.apps.purchasing}/dashboards`));
    expect(listed.items.map((d: any) => d.id)).toEqual([dash, invoiceDash]);
    expect((await lin.call('PUT', `/api/dashboards/${dash}`, body)).status).toBe(403);
    expect((await lin.call('DELETE', `/api/dashboards/${dash}`)).status).toBe(403);
    const dana = org.people.dana.call;
    for (const url of [`/api/dashboards/${dash}`, `/api/dashboards/${dash}/data`, `/api/dashboards/${dash}/events`, `/api/apps/${org.apps.purchasing}/dashboards`]) {
      expect((await dana('GET', url)).status, url).toBe(404);
    }
    // the admin edits with a version guard, and deletes
    const made = await ok(admin()('POST', `/api/apps/${org.apps.purchasing}/dashboards`, { ...body, name: 'Copy' }), 201);
    const changed = await ok(admin()('PUT', `/api/dashboards/${made.id}`, { ...body, name: 'Renamed' }, { 'if-match': '1' }));
    expect([changed.version, changed.definition.name]).toEqual([2, 'Renamed']);
    expect((await admin()('PUT', `/api/dashboards/${made.id}`, body, { 'if-match': '1' })).status).toBe(409);
    expect((await admin()('DELETE', `/api/dashboards/${made.id}`)).status).toBe(204);
    expect((await admin()('GET', `/api/dashboards/${made.id}`)).status).toBe(404);
  });

  it('streams a changed event when a record of a form the dashboard reads is submitted', async () => {
    const base = await org.h.app.listen({ port: 0, host: '127.0.0.1' });
    expect((await fetch(`${base}/api/dashboards/${dash}/events`)).status).toBe(401);
    const abort = new AbortController();
    const res = await fetch(`${base}/api/dashboards/${dash}/events`, { headers: { authorization: `Bearer ${org.people.mei.token}` }, signal: abort.signal });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    const readUntil = async (needle: string, ms: number, from = 0) => {
      const deadline = Date.now() + ms;
      while (!text.slice(from).includes(needle)) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no "${needle}" in ${JSON.stringify(text)}`);
        const chunk = await Promise.race([reader.read(), new Promise<null>((r) => setTimeout(() => r(null), left))]);
        if (chunk === null) continue;
        if (chunk.done) throw new Error(`stream ended: ${JSON.stringify(text)}`);
        text += decoder.decode(chunk.value, { stream: true });
      }
    };
    await readUntil(': ready', 5000);
    // a record of a form the dashboard does not read says nothing; then two orders come as one event
    await ok(admin()('POST', `/api/forms/${invoice}/records`, { data: { title: 'x', amount: 1, due: '2030-01-01', region: 'east' } }), 201);
    await ok(org.people.alice.call('POST', `/api/forms/${org.forms.order}/records`, { data: { title: 'SSE 1', amount: 1, supplier: org.suppliers.Acme } }), 201);
    const second = await ok(org.people.alice.call('POST', `/api/forms/${org.forms.order}/records`, { data: { title: 'SSE 2', amount: 2, supplier: org.suppliers.Acme } }), 201);
    await readUntil('data: ', 3000);
    await new Promise((r) => setTimeout(r, 700));
    await readUntil('}\n\n', 1000);
    const events = text.split('\n').filter((l) => l.startsWith('data: ')).map((l) => JSON.parse(l.slice(6)));
    expect(events).toEqual([{ type: 'changed', forms: [org.forms.order] }]);
    // a deletion is a change too
    expect((await org.people.alice.call('DELETE', `/api/forms/${org.forms.order}/records/${second.id}`)).status).toBe(204);
    const seen = text.length;
    await readUntil('}\n\n', 3000, seen);
    expect(JSON.parse(text.slice(seen).trim().replace(/^data: /, ''))).toEqual({ type: 'changed', forms: [org.forms.order] });
    abort.abort();
    await reader.cancel().catch(() => undefined);
  });
});
