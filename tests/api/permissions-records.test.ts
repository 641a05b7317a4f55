import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Call } from '../support/harness.js';
import { buildOrg, keysOf, ok, orderKeys, ORDERS, type Org, type PersonName } from '../support/org.js';

// Employees, their manager and the admin work with purchase orders: each sees
// and changes only the records their role's data scope reaches, and never a
// field hidden from them, whichever route they take.

const HIDDEN_FROM_EMPLOYEES = ['unitCost', 'margin', 'marginNote', 'supplierRating'];

/** Every page of a list, following cursors; the `total` of the first page. */
async function allPages(call: Call, url: string): Promise<{ items: any[]; pages: number; total: number | undefined }> {
  const items: any[] = [];
  let cursor: string | null = null;
  let pages = 0;
  let total: number | undefined;
  do {
    const page: any = await ok(call('GET', `${url}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`));
    total ??= page.total;
    items.push(...page.items);
    cursor = page.nextCursor;
    pages++;
  } while (cursor && pages < 50);
  return { items, pages, total };
}

const sumOf = (keys: string[]) => keys.reduce((s, k) => s + ORDERS[k as keyof typeof ORDERS].amount, 0);

describe('employees and their manager work within their data scope', () => {
  let org: Org;
  let records: string;
  const as = (who: PersonName) => org.people[who].call;
  const url = (id: string) => `${records}/${id}`;

  beforeAll(async () => {
    org = await buildOrg();
    records = `/api/forms/${org.forms.order}/records`;
  });
  afterAll(async () => org.h.close());

  // orders a test adds are removed after it, pass or fail, so the figures of the next tests hold
  const added: string[] = [];
  const submit = async (who: PersonName, data: Record<string, unknown>) => {
    const rec = await ok(as(who)('POST', records, { data }), 201);
    added.push(rec.id);
    return rec;
  };
  afterEach(async () => {
    for (const id of added.splice(0)) await as('admin')('DELETE', url(id));
  });

  it('an employee lists only the orders they submitted, and the total and cursor pages count only those', async () => {
    for (const who of ['alice', 'bob'] as const) {
      const mine = orderKeys((o) => o.by === who);
      const { items, pages, total } = await allPages(as(who), `${records}?count=true&limit=2&sort=-amount`);
      expect(keysOf(org, items)).toEqual(mine);
      expect(total).toBe(mine.length);
      expect(pages).toBe(Math.ceil(mine.length / 2));
    }
  });

  it('the manager sees the orders of her department and the one below it (Imports), not those of Sales', async () => {
    const expected = orderKeys((o) => o.by === 'mei' || o.by === 'alice');
    const { items, total } = await allPages(as('mei'), `${records}?count=true&limit=3`);
    expect(keysOf(org, items)).toEqual(expected);
    expect(total).toBe(expected.length);
    const q = await ok(as('mei')('POST', `${records}/query`, { filter: { field: 'amount', op: 'gte', value: 100 }, count: true, limit: 1 }));
    expect(q.total).toBe(orderKeys((o) => (o.by === 'mei' || o.by === 'alice') && o.amount >= 100).length);
  });

  it('the admin sees every order', async () => {
    const { items, total } = await allPages(as('admin'), `${records}?count=true&limit=5`);
    expect(keysOf(org, items)).toEqual(orderKeys(() => true));
    expect(total).toBe(7);
  });

  it('aggregates add up only the orders each person may see', async () => {
    const scopes: Record<string, string[]> = {
      alice: orderKeys((o) => o.by === 'alice'),
      bob: orderKeys((o) => o.by === 'bob'),
      mei: orderKeys((o) => o.by === 'alice' || o.by === 'mei'),
      admin: orderKeys(() => true),
    };
    for (const [who, keys] of Object.entries(scopes)) {
      const r = await ok(as(who as PersonName)('POST', `/api/forms/${org.forms.order}/aggregate`, { metrics: [{ op: 'count' }, { op: 'sum', field: 'amount' }] }));
      expect(r.rows, who).toEqual([{ group: {}, values: { count: keys.length, sum_amount: sumOf(keys) } }]);
    }
    const bySupplier = await ok(as('alice')('POST', `/api/forms/${org.forms.order}/aggregate`, { groupBy: [{ field: 'supplier' }], metrics: [{ op: 'sum', field: 'amount' }] }));
    const sums = Object.fromEntries(bySupplier.rows.map((r: any) => [r.group.supplier, r.values.sum_amount]));
    expect(sums).toEqual({ [org.suppliers.Acme]: 300, [org.suppliers.Globex]: 300 });
  });

  it('an employee never sees unit cost, margin, its note or the supplier rating: not in get, list or query', async () => {
    const rec = await ok(as('alice')('GET', url(org.orders.a1)));
    expect(rec.data).toMatchObject({ title: 'Order a1', amount: 100, supplierCity: 'Shanghai', approved: false });
    for (const k of HIDDEN_FROM_EMPLOYEES) expect(rec.data).not.toHaveProperty(k);

    const listed = await ok(as('alice')('GET', `${records}?limit=50`));
    const queried = await ok(as('bob')('POST', `${records}/query`, { limit: 50 }));
    for (const item of [...listed.items, ...queried.items]) for (const k of HIDDEN_FROM_EMPLOYEES) expect(item.data).not.toHaveProperty(k);
    // Bob's b1 does have a margin and its note; he sees neither
    expect(JSON.stringify(queried)).not.toMatch(/price war|"margin"|unitCost|supplierRating/);

    // the manager, with no field hidden, sees them all
    const full = await ok(as('mei')('GET', url(org.orders.a1)));
    expect(full.data).toMatchObject({ unitCost: 40, margin: 12, supplierRating: 5 });
  });

  it('an employee cannot filter, sort, group or sum by a hidden field (400), though the manager can', async () => {
    const enc = (v: unknown) => encodeURIComponent(JSON.stringify(v));
    const onMargin = { field: 'margin', op: 'lt', value: 10 };
    const attempts: [string, string, unknown?][] = [
      ['GET', `${records}?filter=${enc(onMargin)}`],
      ['GET', `${records}?filter=${enc({ or: [{ field: 'title', op: 'eq', value: 'x' }, { not: onMargin }] })}`],
      ['GET', `${records}?sort=-margin`],
      ['GET', `${records}?sort=${enc([{ field: 'unitCost', dir: 'asc' }])}`],
      ['POST', `${records}/query`, { filter: { field: 'supplierRating', op: 'gte', value: 4 } }],
      ['POST', `${records}/query`, { sort: [{ field: 'supplierRating', dir: 'desc' }] }],
      ['POST', `${records}/query`, { filter: { field: 'marginNote', op: 'notEmpty' } }],
      ['POST', `/api/forms/${org.forms.order}/aggregate`, { groupBy: [{ field: 'margin' }], metrics: [{ op: 'count' }] }],
      ['POST', `/api/forms/${org.forms.order}/aggregate`, { groupBy: [{ field: 'supplierRating' }], metrics: [{ op: 'count' }] }],
      ['POST', `/api/forms/${org.forms.order}/aggregate`, { metrics: [{ op: 'sum', field: 'unitCost' }] }],
      ['POST', `/api/forms/${org.forms.order}/aggregate`, { filter: onMargin, metrics: [{ op: 'count' }] }],
    ];
    for (const [method, path, body] of attempts) {
      const employee = await as('alice')(method as 'GET' | 'POST', path, body);
      expect([employee.status, employee.body.error?.code], `${method} ${path} ${JSON.stringify(body)}`).toEqual([400, 'INVALID_QUERY']);
      const manager = await as('mei')(method as 'GET' | 'POST', path, body);
      expect(manager.status, `manager: ${method} ${path} ${JSON.stringify(body)}`).toBe(200);
    }
  });

  it('an employee submitting an order cannot set the hidden fields nor approve it; the reply hides the rating lookup', async () => {
    const r = await submit('alice', { title: 'Desk lamps', amount: 80, supplier: org.suppliers.Acme, approved: true, margin: 99, unitCost: 1, marginNote: 'mine' });
    for (const k of HIDDEN_FROM_EMPLOYEES) expect(r.data).not.toHaveProperty(k);
    expect(r.data).toMatchObject({ approved: false, supplierCity: 'Shanghai' });
    const stored = await ok(as('admin')('GET', url(r.id)));
    expect(stored.data).toMatchObject({ approved: false, supplierRating: 5 });
    expect(stored.data).not.toHaveProperty('margin');
    expect(stored.data).not.toHaveProperty('unitCost');
    expect((await as('alice')('DELETE', url(r.id))).status).toBe(204);
  });

  it('an employee may edit their order but not approve it (422 readOnly), and the edit reply hides what is hidden', async () => {
    const created = await submit('alice', { title: 'Chairs', amount: 400, supplier: org.suppliers.Acme });
    await ok(as('admin')('PATCH', url(created.id), { data: { margin: 5, marginNote: 'clearance' }, version: 1 }));

    const approve = await as('alice')('PATCH', url(created.id), { data: { approved: true }, version: 2 });
    expect(approve.status).toBe(422);
    expect(approve.body.error.details.fields).toEqual([expect.objectContaining({ field: 'approved', code: 'readOnly' })]);

    const edited = await ok(as('alice')('PATCH', url(created.id), { data: { amount: 450 }, version: 2 }));
    expect(edited.data.amount).toBe(450);
    expect(edited.data.approved).toBe(false);
    for (const k of HIDDEN_FROM_EMPLOYEES) expect(edited.data).not.toHaveProperty(k);
    // her edit kept what she cannot see
    expect((await ok(as('admin')('GET', url(created.id)))).data).toMatchObject({ margin: 5, marginNote: 'clearance', amount: 450 });
    expect((await as('alice')('DELETE', url(created.id))).status).toBe(204);
  });

  it('an employee cannot learn a hidden margin by guessing it in an edit: a right and a wrong guess get the same answer', async () => {
    // a1 has margin 12, which Alice cannot see
    const version = (await ok(as('admin')('GET', url(org.orders.a1)))).version;
    const wrong = await as('alice')('PATCH', url(org.orders.a1), { data: { margin: 11 }, version });
    const right = await as('alice')('PATCH', url(org.orders.a1), { data: { margin: 12 }, version });
    expect(right.status).toBe(wrong.status);
    expect((await ok(as('admin')('GET', url(org.orders.a1)))).data.margin).toBe(12);
  });

  it("guessing the id of someone else's order gets 404 for read, edit, delete and timeline, as for an id that does not exist", async () => {
    const cases: [PersonName, string][] = [['bob', org.orders.a1], ['alice', org.orders.b1], ['alice', org.orders.m1], ['alice', 'no-such-record']];
    for (const [who, id] of cases) {
      const before = id === 'no-such-record' ? null : await ok(as('admin')('GET', url(id)));
      for (const [method, path, body] of [
        ['GET', url(id)], ['PATCH', url(id), { data: { title: 'Mine now' }, version: 1 }], ['DELETE', url(id)], ['GET', `/api/records/${id}/timeline`],
      ] as const) {
        const r = await as(who)(method, path, body);
        expect([r.status, r.body?.error?.code], `${who} ${method} ${path}`).toEqual([404, 'NOT_FOUND']);
      }
      if (before) expect((await ok(as('admin')('GET', url(id)))).version).toBe(before.version);
    }
    // the manager, outside her tree: 404 to read or edit; she may delete nothing, so every delete is the same 403
    for (const id of [org.orders.b2, org.orders.x1]) {
      expect((await as('mei')('GET', url(id))).status).toBe(404);
      expect((await as('mei')('PATCH', url(id), { data: { approved: true }, version: 1 })).status).toBe(404);
      expect((await as('mei')('GET', `/api/records/${id}/timeline`)).status).toBe(404);
      const del = await as('mei')('DELETE', url(id));
      expect(del.status).toBe((await as('mei')('DELETE', url('no-such-record'))).status);
    }
    expect((await ok(as('admin')('GET', url(org.orders.b2)))).data.approved).toBe(false);
  });

  it('the manager may read and approve orders in her tree, but deleting one she can see is 403', async () => {
    const created = await submit('alice', { title: 'Forklift', amount: 900, supplier: org.suppliers.Globex });
    const approved = await ok(as('mei')('PATCH', url(created.id), { data: { approved: true, margin: 15 }, version: 1 }));
    expect(approved.data).toMatchObject({ approved: true, margin: 15 });
    const del = await as('mei')('DELETE', url(created.id));
    expect([del.status, del.body.error.code]).toEqual([403, 'FORBIDDEN']);
    // Alice sees the approval, not the margin
    const seen = await ok(as('alice')('GET', url(created.id)));
    expect(seen.data.approved).toBe(true);
    expect(seen.data).not.toHaveProperty('margin');
    expect((await as('alice')('DELETE', url(created.id))).status).toBe(204);
  });

  it('the timeline of her order shows an employee what changed, without hidden fields or the hidden lookup', async () => {
    const created = await submit('alice', { title: 'Shelves', amount: 120, supplier: org.suppliers.Acme });
    await ok(as('admin')('PATCH', url(created.id), { data: { supplier: org.suppliers.Globex, margin: 3, marginNote: 'rush', unitCost: 30 }, version: 1 }));

    const hers = await ok(as('alice')('GET', `/api/records/${created.id}/timeline`));
    expect(hers.items.map((e: any) => e.action)).toEqual(['create', 'update']);
    const fields = hers.items[1].changes.map((c: any) => c.field).sort();
    expect(fields).toEqual(['supplier', 'supplierCity']);
    expect(JSON.stringify(hers)).not.toMatch(/rush|"margin"|unitCost|supplierRating/);

    const managers = await ok(as('mei')('GET', `/api/records/${created.id}/timeline`));
    expect(managers.items[1].changes.map((c: any) => c.field).sort()).toEqual(['margin', 'marginNote', 'supplier', 'supplierCity', 'supplierRating', 'unitCost']);
    expect((await as('bob')('GET', `/api/records/${created.id}/timeline`)).status).toBe(404);
    expect((await as('alice')('DELETE', url(created.id))).status).toBe(204);
  });

  it('an employee cannot link an order to a supplier they may not see (a blocked one): 422, nothing stored', async () => {
    const suppliers = await ok(as('alice')('GET', `/api/forms/${org.forms.supplier}/records?count=true`));
    expect(suppliers.items.map((s: any) => s.data.name).sort()).toEqual(['Acme', 'Globex']);
    expect(suppliers.items.every((s: any) => !('rating' in s.data))).toBe(true);
    expect((await as('alice')('GET', `/api/forms/${org.forms.supplier}/records/${org.suppliers.Initech}`)).status).toBe(404);

    const before = (await ok(as('admin')('GET', `${records}?count=true&limit=1`))).total;
    const r = await as('alice')('POST', records, { data: { title: 'Sneaky', supplier: org.suppliers.Initech } });
    expect(r.status).toBe(422);
    expect(r.body.error.details.fields.map((f: any) => f.field)).toContain('supplier');
    const edit = await as('alice')('PATCH', url(org.orders.a2), { data: { supplier: org.suppliers.Initech }, version: 1 });
    expect(edit.status).toBe(422);
    expect((await ok(as('admin')('GET', `${records}?count=true&limit=1`))).total).toBe(before);
    // the manager, who sees every supplier, may
    const mei = await submit('mei', { title: 'Allowed', supplier: org.suppliers.Initech });
    expect(mei.data.supplierCity).toBe('Beijing');
  });

  it('an employee can still edit her order after the manager switches it to a supplier she may not see', async () => {
    const created = await submit('alice', { title: 'Pallets', amount: 70, supplier: org.suppliers.Acme });
    await ok(as('mei')('PATCH', url(created.id), { data: { supplier: org.suppliers.Initech }, version: 1 }));
    // she does not touch the link, so it is not hers to re-check
    const edited = await as('alice')('PATCH', url(created.id), { data: { deliveryNote: 'Dock 3' }, version: 2 });
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    expect((await ok(as('admin')('GET', url(created.id)))).data).toMatchObject({ supplier: org.suppliers.Initech, deliveryNote: 'Dock 3' });
  });

  // A lookup is a copy kept on the record when it is written; what a reader may see of it follows the
  // field permissions of the form it copies from (see the supplierRating test), not the scope of each source record.
  it('a lookup is a copy on the order: re-pointed at a supplier she cannot open, she sees the copied city but never the supplier', async () => {
    const created = await submit('alice', { title: 'Crates', amount: 60, supplier: org.suppliers.Acme });
    await ok(as('mei')('PATCH', url(created.id), { data: { supplier: org.suppliers.Initech }, version: 1 }));
    expect((await as('alice')('GET', `/api/forms/${org.forms.supplier}/records/${org.suppliers.Initech}`)).status).toBe(404);
    const seen = await ok(as('alice')('GET', url(created.id)));
    expect(seen.data).toMatchObject({ supplier: org.suppliers.Initech, supplierCity: 'Beijing' });
    expect(seen.data).not.toHaveProperty('supplierRating');
  });

  it('an employee may neither submit nor read the internal budget, nor anything of the HR app (404)', async () => {
    for (const formId of [org.forms.budget, org.forms.salary]) {
      for (const [method, path, body] of [
        ['GET', `/api/forms/${formId}/records`], ['POST', `/api/forms/${formId}/records`, { data: { title: 'x' } }],
        ['POST', `/api/forms/${formId}/records/query`, {}], ['POST', `/api/forms/${formId}/aggregate`, { metrics: [{ op: 'count' }] }],
      ] as const) {
        expect((await as('bob')(method, path, body)).status, `${method} ${path}`).toBe(404);
      }
    }
    const budget = await ok(as('admin')('POST', `/api/forms/${org.forms.budget}/records`, { data: { title: 'Q3', amount: 50000 } }), 201);
    expect((await as('alice')('GET', `/api/forms/${org.forms.budget}/records/${budget.id}`)).status).toBe(404);
    expect((await as('alice')('GET', `/api/records/${budget.id}/timeline`)).status).toBe(404);
    expect((await ok(as('mei')('GET', `/api/forms/${org.forms.budget}/records/${budget.id}`))).data.amount).toBe(50000);
  });

  it('a role change applies on the very next request with the same token', async () => {
    const employee = org.roleInputs.employee;
    const orderGrant = employee.forms![org.forms.order] as any;
    const setEmployeeForms = (forms: unknown) => ok(as('admin')('PATCH', `/api/roles/${org.roles.employee}`, { forms }));
    const a1 = url(org.orders.a1);
    try {
      expect((await ok(as('alice')('GET', a1))).data.amount).toBe(100);

      // the admin hides the amount from employees
      await setEmployeeForms({ ...employee.forms, [org.forms.order]: { ...orderGrant, fields: { ...orderGrant.fields, amount: 'hidden' } } });
      expect((await ok(as('alice')('GET', a1))).data).not.toHaveProperty('amount');
      expect((await as('alice')('GET', `${records}?sort=-amount`)).status).toBe(400);

      // widens Bob's reach to every order, then takes it back
      await setEmployeeForms({ ...employee.forms, [org.forms.order]: { ...orderGrant, scope: 'all' } });
      expect((await ok(as('bob')('GET', `${records}?count=true&limit=1`))).total).toBe(7);
      await setEmployeeForms(employee.forms);
      expect((await ok(as('bob')('GET', `${records}?count=true&limit=1`))).total).toBe(2);
      expect((await ok(as('alice')('GET', a1))).data.amount).toBe(100);

      // without access to the supplier file, the lookups that read it are hidden too
      const { [org.forms.supplier]: _supplierGrant, ...withoutSuppliers } = employee.forms!;
      await setEmployeeForms(withoutSuppliers);
      expect((await ok(as('alice')('GET', a1))).data).not.toHaveProperty('supplierCity');
      expect((await as('alice')('GET', `/api/forms/${org.forms.supplier}/records`)).status).toBe(404);
      await setEmployeeForms(employee.forms);
      expect((await ok(as('alice')('GET', a1))).data.supplierCity).toBe('Shanghai');

      // taking the role away closes the form altogether; giving it back reopens it
      await ok(as('admin')('PATCH', `/api/users/${org.people.alice.id}`, { roles: [] }));
      expect((await as('alice')('GET', a1)).status).toBe(404);
      expect((await as('alice')('GET', `/api/forms/${org.forms.order}`)).status).toBe(404);
      await ok(as('admin')('PATCH', `/api/users/${org.people.alice.id}`, { roles: [org.roles.employee] }));
      expect((await as('alice')('GET', a1)).status).toBe(200);
    } finally {
      await as('admin')('PATCH', `/api/roles/${org.roles.employee}`, { forms: employee.forms });
      await as('admin')('PATCH', `/api/users/${org.people.alice.id}`, { roles: [org.roles.employee] });
    }
  });

  it("moving an employee to Sales takes her orders out of the Purchasing manager's reach at once", async () => {
    const reach = async () => keysOf(org, (await ok(as('mei')('GET', `${records}?limit=50`))).items);
    expect(await reach()).toEqual(orderKeys((o) => o.by === 'alice' || o.by === 'mei'));
    try {
      await ok(as('admin')('PATCH', `/api/users/${org.people.alice.id}`, { departments: [org.departments.sales] }));
      expect(await reach()).toEqual(['m1']);
      expect((await as('mei')('GET', url(org.orders.a1))).status).toBe(404);
    } finally {
      await ok(as('admin')('PATCH', `/api/users/${org.people.alice.id}`, { departments: [org.departments.imports] }));
    }
    expect(await reach()).toEqual(orderKeys((o) => o.by === 'alice' || o.by === 'mei'));
  });
});
