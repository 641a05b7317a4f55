import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';
import { purchaseRequestForm, supplierForm } from '../support/forms.js';

// An admin builds a supplier file and a purchase-request form through the API;
// employees submit requests; a manager lists, filters, aggregates and reads history.
describe('admin builds a purchase-request app and employees submit requests', () => {
  let h: Harness;
  let appId: string;
  let supplierFormId: string;
  let formId: string;
  const suppliers: Record<string, string> = {};

  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h.close());

  it('creates an app and both forms, and publishes them', async () => {
    const app = await h.call('POST', '/api/apps', { name: { en: 'Purchasing', zh: '采购' } });
    expect(app.status).toBe(201);
    appId = app.body.id;

    const sup = await h.call('POST', `/api/apps/${appId}/forms`, supplierForm);
    expect(sup.status).toBe(201);
    supplierFormId = sup.body.id;
    expect((await h.call('POST', `/api/forms/${supplierFormId}/publish`)).body.version).toBe(1);

    const pr = await h.call('POST', `/api/apps/${appId}/forms`, purchaseRequestForm(supplierFormId));
    expect(pr.status).toBe(201);
    formId = pr.body.id;
    const pub = await h.call('POST', `/api/forms/${formId}/publish`);
    expect(pub.status).toBe(200);
    expect(pub.body.version).toBe(1);

    const form = await h.call('GET', `/api/forms/${formId}`);
    expect(form.body.published.version).toBe(1);
    expect(form.body.published.jsonSchema.properties.amount).toBeDefined();
    expect(form.body.published.uiSchema).toBeTypeOf('object');
    const list = await h.call('GET', `/api/apps/${appId}/forms`);
    expect(list.body.items.map((f: { id: string }) => f.id).sort()).toEqual([supplierFormId, formId].sort());
  });

  it('stores suppliers', async () => {
    for (const [name, city] of [['Acme', 'Shanghai'], ['Globex', 'Shenzhen']] as const) {
      const r = await h.call('POST', `/api/forms/${supplierFormId}/records`, { data: { name, city, rating: 4 } });
      expect(r.status).toBe(201);
      suppliers[name] = r.body.id;
    }
  });

  it('an employee submits a request: formula, serial and lookup are filled', async () => {
    const r = await h.call('POST', `/api/forms/${formId}/records`, {
      data: {
        title: 'Laptops', amount: 12000, reason: 'Team grows', needBy: '2026-12-15', submittedAt: '2026-11-27T10:00:00+08:00',
        dept: 'd-sales', requester: 'u-li', tags: ['it'], urgent: true, phone: '+86 138 0000 0000', email: 'li@example.com',
        supplier: suppliers.Acme,
        lines: [{ sku: 'LAP-14', qty: 2, price: 5000 }, { sku: 'DOCK', qty: 4, price: 500 }],
      },
    });
    expect(r.status).toBe(201);
    const rec = r.body;
    expect(rec).toMatchObject({ formId, formVersion: 1, version: 1, status: expect.any(String) });
    expect(rec.data.no).toMatch(/^PR-\d{8}-0001$/);
    expect(rec.data.lines[0].lineTotal).toBe(10000);
    expect(rec.data.total).toBe(12000);
    expect(rec.data.bigOrder).toBe('yes');
    expect(rec.data.supplierCity).toBe('Shanghai');
    expect(rec.data.priority).toBe('normal'); // default
    expect(rec.data.submittedAt).toBe('2026-11-27T02:00:00.000Z'); // datetimes are kept in UTC
  });

  it('an invalid request gets 422 with per-field messages in English and Chinese, and nothing is stored', async () => {
    const before = await h.call('GET', `/api/forms/${formId}/records?count=true`);
    const r = await h.call('POST', `/api/forms/${formId}/records`, {
      data: { amount: 20000, priority: 'urgent!', lines: [{ sku: 'X', qty: 0 }] },
    });
    expect(r.status).toBe(422);
    expect(r.body.error.code).toBe('VALIDATION_FAILED');
    const fields = r.body.error.details.fields as { field: string; code: string; message: { en: string; zh: string } }[];
    const byField = Object.fromEntries(fields.map((f) => [f.field, f]));
    expect(byField.title?.code).toBe('required');
    expect(byField.reason?.code).toBe('required'); // required only because amount > 10000
    expect(byField.priority).toBeDefined();
    expect(byField['lines[0].qty']).toBeDefined();
    for (const f of fields) {
      expect(f.message.en.length).toBeGreaterThan(0);
      expect(f.message.zh).toMatch(/[\u4e00-\u9fff]/);
    }
    const after = await h.call('GET', `/api/forms/${formId}/records?count=true`);
    expect(after.body.total).toBe(before.body.total);
  });

  it('a hidden field is neither required nor stored', async () => {
    const r = await h.call('POST', `/api/forms/${formId}/records`, { data: { title: 'Pens', amount: 50, reason: 'ignored because hidden' } });
    expect(r.status).toBe(201);
    expect(r.body.data).not.toHaveProperty('reason');
    expect(r.body.data.no).toMatch(/-0002$/);
  });

  it('submits more requests and lists them with filter, sort and cursor', async () => {
    for (let i = 0; i < 23; i++) {
      const r = await h.call('POST', `/api/forms/${formId}/records`, {
        data: { title: `Item ${i}`, amount: 100 * i, dept: i % 2 ? 'd-sales' : 'd-ops', priority: ['low', 'normal', 'high'][i % 3], supplier: i % 2 ? suppliers.Globex : suppliers.Acme },
      });
      expect(r.status).toBe(201);
    }
    const filter = encodeURIComponent(JSON.stringify({ and: [{ field: 'dept', op: 'eq', value: 'd-ops' }, { field: 'amount', op: 'gte', value: 500 }] }));
    const seen: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const url: string = `/api/forms/${formId}/records?filter=${filter}&sort=-amount&limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const page: { status: number; body: any } = await h.call('GET', url);
      expect(page.status).toBe(200);
      seen.push(...page.body.items.map((r: { data: { amount: number } }) => r.data.amount));
      cursor = page.body.nextCursor;
      pages++;
    } while (cursor && pages < 20);
    const expected = Array.from({ length: 23 }, (_, i) => i).filter((i) => i % 2 === 0 && i * 100 >= 500).map((i) => i * 100).sort((a, b) => b - a);
    expect(seen).toEqual(expected);
    expect(pages).toBe(Math.ceil(expected.length / 3));

    const q = await h.call('POST', `/api/forms/${formId}/records/query`, { filter: { field: 'supplierCity', op: 'eq', value: 'Shenzhen' }, count: true, limit: 5 });
    expect(q.status).toBe(200);
    expect(q.body.total).toBe(11);
    expect(q.body.items).toHaveLength(5);
  });

  it('aggregates amounts by department and by month', async () => {
    const r = await h.call('POST', `/api/forms/${formId}/aggregate`, {
      groupBy: [{ field: 'dept' }], metrics: [{ op: 'count' }, { op: 'sum', field: 'amount' }, { op: 'max', field: 'amount' }],
    });
    expect(r.status).toBe(200);
    const ops = r.body.rows.find((row: { group: { dept: string } }) => row.group.dept === 'd-ops');
    const expectedOps = Array.from({ length: 23 }, (_, i) => i).filter((i) => i % 2 === 0).map((i) => i * 100);
    expect(ops.values).toEqual({ count: expectedOps.length, sum_amount: expectedOps.reduce((a, b) => a + b, 0), max_amount: 2200 });
    const monthly = await h.call('POST', `/api/forms/${formId}/aggregate`, { groupBy: [{ field: 'createdAt', bucket: 'month' }], metrics: [{ op: 'count', as: 'n' }] });
    expect(monthly.body.rows).toHaveLength(1);
    expect(monthly.body.rows[0].values.n).toBe(25);
  });

  it('filters on relative dates such as "this month"', async () => {
    const thisMonth = await h.call('POST', `/api/forms/${formId}/records/query`, { filter: { field: 'createdAt', op: 'eq', value: { relative: 'thisMonth' } }, count: true, limit: 1 });
    expect(thisMonth.status).toBe(200);
    expect(thisMonth.body.total).toBe(25);
    const lastYear = await h.call('POST', `/api/forms/${formId}/records/query`, { filter: { field: 'createdAt', op: 'eq', value: { relative: 'lastYear' } }, count: true, limit: 1 });
    expect(lastYear.body.total).toBe(0);
    const needBy = await h.call('POST', `/api/forms/${formId}/records/query`, { filter: { field: 'needBy', op: 'between', value: ['2026-12-01', '2026-12-31'] }, count: true });
    expect(needBy.body.total).toBe(1);
  });

  it('many employees submitting at once get serial numbers without gaps or duplicates', async () => {
    const before = (await h.call('GET', `/api/forms/${formId}/records?count=true&limit=1`)).body.total as number;
    const replies = await Promise.all(Array.from({ length: 60 }, (_, i) => h.call('POST', `/api/forms/${formId}/records`, { data: { title: `Rush ${i}`, amount: i } })));
    expect(replies.every((r) => r.status === 201)).toBe(true);
    const numbers = replies.map((r) => Number(String(r.body.data.no).slice(-4))).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 60 }, (_, i) => before + 1 + i));
    // they are removed again so the figures below stay as they were
    for (const r of replies) expect((await h.call('DELETE', `/api/forms/${formId}/records/${r.body.id}`)).status).toBe(204);
  });

  it('a manager edits a request and reads its change history; a stale edit is refused', async () => {
    const list = await h.call('GET', `/api/forms/${formId}/records?sort=createdAt&limit=1`);
    const rec = list.body.items[0];
    const patched = await h.call('PATCH', `/api/forms/${formId}/records/${rec.id}`, { data: { title: 'Laptops (2)', urgent: false }, version: rec.version });
    expect(patched.status).toBe(200);
    expect(patched.body.version).toBe(2);
    expect(patched.body.data.no).toBe(rec.data.no);

    const stale = await h.call('PATCH', `/api/forms/${formId}/records/${rec.id}`, { data: { title: 'Lost update' }, version: rec.version });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('VERSION_CONFLICT');

    const timeline = await h.call('GET', `/api/records/${rec.id}/timeline`);
    expect(timeline.status).toBe(200);
    expect(timeline.body.items.map((e: { action: string }) => e.action)).toEqual(['create', 'update']);
    expect(timeline.body.items[1].changes).toEqual(expect.arrayContaining([
      { field: 'title', from: 'Laptops', to: 'Laptops (2)' },
      { field: 'urgent', from: true, to: false },
    ]));
  });

  it('a unique field refuses a duplicate with 409 naming the field', async () => {
    const r = await h.call('POST', `/api/forms/${supplierFormId}/records`, { data: { name: 'Acme', city: 'Beijing' } });
    expect(r.status).toBe(409);
    expect(r.body.error).toMatchObject({ code: 'UNIQUE_VIOLATION', details: { field: 'name' } });
  });

  it('making a field unique over duplicate data fails the publish and changes nothing', async () => {
    await h.call('POST', `/api/forms/${supplierFormId}/records`, { data: { name: 'Initech', city: 'Shanghai' } });
    const form = await h.call('GET', `/api/forms/${supplierFormId}`);
    const draft = { ...form.body.draft, fields: form.body.draft.fields.map((f: { key: string }) => (f.key === 'city' ? { ...f, unique: true } : f)) };
    expect((await h.call('PUT', `/api/forms/${supplierFormId}`, draft, { 'if-match': String(form.body.version) })).status).toBe(200);
    const pub = await h.call('POST', `/api/forms/${supplierFormId}/publish`);
    expect(pub.status).toBe(409);
    expect(pub.body.error).toMatchObject({ code: 'UNIQUE_VIOLATION', details: { field: 'city' } });
    expect((await h.call('GET', `/api/forms/${supplierFormId}`)).body.publishedVersion).toBe(1);
    // the old version still takes records, duplicates of the city included
    expect((await h.call('POST', `/api/forms/${supplierFormId}/records`, { data: { name: 'Hooli', city: 'Shanghai' } })).status).toBe(201);
  });

  it('a draft saved with a stale If-Match version is refused', async () => {
    const form = await h.call('GET', `/api/forms/${supplierFormId}`);
    expect((await h.call('PUT', `/api/forms/${supplierFormId}`, form.body.draft, { 'if-match': String(form.body.version) })).status).toBe(200);
    const stale = await h.call('PUT', `/api/forms/${supplierFormId}`, form.body.draft, { 'if-match': String(form.body.version) });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('VERSION_CONFLICT');
  });

  it('a republished form keeps old records on their version and new ones on the new version', async () => {
    const form = await h.call('GET', `/api/forms/${formId}`);
    const draft = form.body.draft;
    draft.fields.push({ key: 'costCenter', type: 'text', label: 'Cost center' });
    const put = await h.call('PUT', `/api/forms/${formId}`, draft);
    expect(put.status).toBe(200);
    expect(put.body.published.version).toBe(1); // the draft changed; the published version did not
    expect((await h.call('POST', `/api/forms/${formId}/publish`)).body.version).toBe(2);
    const r = await h.call('POST', `/api/forms/${formId}/records`, { data: { title: 'Chairs', costCenter: 'CC-1' } });
    expect(r.status).toBe(201);
    expect(r.body.formVersion).toBe(2);
    const old = await h.call('GET', `/api/forms/${formId}/records?sort=createdAt&limit=1`);
    expect(old.body.items[0].formVersion).toBe(1);
  });

  it('deletes a record: gone from lists, 404 on read, kept in its timeline', async () => {
    const list = await h.call('GET', `/api/forms/${formId}/records?limit=1`);
    const id = list.body.items[0].id;
    expect((await h.call('DELETE', `/api/forms/${formId}/records/${id}`)).status).toBe(204);
    expect((await h.call('GET', `/api/forms/${formId}/records/${id}`)).status).toBe(404);
    expect((await h.call('DELETE', `/api/forms/${formId}/records/${id}`)).status).toBe(404);
    const t = await h.call('GET', `/api/records/${id}/timeline`);
    expect(t.body.items.at(-1).action).toBe('delete');
  });
});

describe('an admin deletes an app', () => {
  it('takes its forms and records with it, at once', async () => {
    const h = await startHarness();
    try {
      const appId = (await h.call('POST', '/api/apps', { name: 'Short-lived' })).body.id;
      const formId = (await h.call('POST', `/api/apps/${appId}/forms`, supplierForm)).body.id;
      await h.call('POST', `/api/forms/${formId}/publish`);
      const rec = await h.call('POST', `/api/forms/${formId}/records`, { data: { name: 'Acme' } });
      expect(rec.status).toBe(201);
      expect((await h.call('PATCH', `/api/apps/${appId}`, { name: 'Renamed', version: 1 })).body.version).toBe(2);
      expect((await h.call('PATCH', `/api/apps/${appId}`, { name: 'Stale', version: 1 })).status).toBe(409);
      expect((await h.call('DELETE', `/api/apps/${appId}`)).status).toBe(204);
      expect((await h.call('GET', `/api/apps/${appId}`)).status).toBe(404);
      expect((await h.call('GET', `/api/forms/${formId}`)).status).toBe(404);
      expect((await h.call('POST', `/api/forms/${formId}/records`, { data: { name: 'Late' } })).status).toBe(404);
      expect((await h.call('GET', `/api/forms/${formId}/records/${rec.body.id}`)).status).toBe(404);
      expect((await h.call('GET', '/api/apps')).body.items).toEqual([]);
    } finally {
      await h.close();
    }
  });
});
