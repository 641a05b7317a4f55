import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOrg, keysOf, ok, orderKeys, ORDERS, type Org, type PersonName } from '../support/org.js';

// Sam (Acme) and Gina (Globex) are external users tied to their supplier
// record: they see the purchase orders addressed to their company, upload
// certificates, and nothing else of the workspace.

describe('external supplier users see only what their company may see', () => {
  let org: Org;
  let orders: string;
  const as = (who: PersonName) => org.people[who].call;
  const order = (id: string) => `${orders}/${id}`;

  beforeAll(async () => {
    org = await buildOrg();
    orders = `/api/forms/${org.forms.order}/records`;
  });
  afterAll(async () => org.h.close());

  it('a supplier sees only the purchase orders addressed to them, in lists, counts and cursor pages', async () => {
    for (const [who, company] of [['sam', 'Acme'], ['gina', 'Globex']] as const) {
      const expected = orderKeys((o) => o.supplier === company);
      const seen: any[] = [];
      let cursor: string | null = null;
      let pages = 0;
      let total: number | undefined;
      do {
        const page: any = await ok(as(who)('GET', `${orders}?count=true&limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`));
        total ??= page.total;
        seen.push(...page.items);
        cursor = page.nextCursor;
        pages++;
      } while (cursor && pages < 20);
      expect(keysOf(org, seen), who).toEqual(expected);
      expect(total).toBe(expected.length);
      expect(pages).toBe(expected.length);
      const q = await ok(as(who)('POST', `${orders}/query`, { filter: { field: 'amount', op: 'gt', value: 0 }, count: true }));
      expect(keysOf(org, q.items)).toEqual(expected);
    }
  });

  it("a supplier's aggregate totals only add up their own orders", async () => {
    for (const [who, company] of [['sam', 'Acme'], ['gina', 'Globex']] as const) {
      const keys = orderKeys((o) => o.supplier === company);
      const r = await ok(as(who)('POST', `/api/forms/${org.forms.order}/aggregate`, { groupBy: [{ field: 'supplier' }], metrics: [{ op: 'count' }, { op: 'sum', field: 'amount' }] }));
      expect(r.rows).toEqual([{ group: { supplier: org.suppliers[company] }, values: { count: keys.length, sum_amount: keys.reduce((s, k) => s + ORDERS[k].amount, 0) } }]);
    }
  });

  it('a supplier reads the unit cost of their order but never the margin or its note, nor filters on them', async () => {
    const b1 = await ok(as('gina')('GET', order(org.orders.b1)));
    expect(b1.data).toMatchObject({ unitCost: 900, supplierCity: 'Shenzhen', supplierRating: 2 });
    expect(b1.data).not.toHaveProperty('margin');
    expect(b1.data).not.toHaveProperty('marginNote');
    expect(JSON.stringify(await ok(as('gina')('GET', `${orders}?limit=50`)))).not.toMatch(/price war|"margin"/);
    const f = await as('gina')('POST', `${orders}/query`, { filter: { field: 'margin', op: 'lt', value: 10 } });
    expect([f.status, f.body.error.code]).toEqual([400, 'INVALID_QUERY']);
    const t = await ok(as('admin')('GET', `/api/records/${org.orders.b1}/timeline`));
    expect(JSON.stringify(t)).toMatch(/price war/);
    expect(JSON.stringify(await ok(as('gina')('GET', `/api/records/${org.orders.b1}/timeline`)))).not.toMatch(/price war|"margin"/);
  });

  it("a supplier cannot read or change another supplier's order by guessing its id", async () => {
    for (const [who, key] of [['sam', 'a3'], ['sam', 'x1'], ['gina', 'a1'], ['gina', 'm1']] as const) {
      const id = org.orders[key];
      expect((await as(who)('GET', order(id))).status, `${who} GET ${key}`).toBe(404);
      expect((await as(who)('PATCH', order(id), { data: { deliveryNote: 'hi' }, version: 1 })).status).toBe(404);
      expect((await as(who)('GET', `/api/records/${id}/timeline`)).status).toBe(404);
      // suppliers delete nothing: every delete is the same refusal, whether the order exists or not
      const del = await as(who)('DELETE', order(id));
      expect(del.status).not.toBe(204);
      expect(del.status).toBe((await as(who)('DELETE', order('no-such-record'))).status);
    }
    expect((await ok(as('admin')('GET', order(org.orders.a3)))).data).not.toHaveProperty('deliveryNote');
  });

  it('a supplier adds a delivery note to their order but cannot re-point it to another supplier or drop the supplier', async () => {
    const a2 = await ok(as('sam')('GET', order(org.orders.a2)));
    const noted = await ok(as('sam')('PATCH', order(org.orders.a2), { data: { deliveryNote: 'Ships Friday' }, version: a2.version }));
    expect(noted.data.deliveryNote).toBe('Ships Friday');

    // Globex is not a record Sam may see, so the link itself is refused, exactly as a link to nothing is
    const repoint = await as('sam')('PATCH', order(org.orders.a2), { data: { supplier: org.suppliers.Globex }, version: noted.version });
    const nowhere = await as('sam')('PATCH', order(org.orders.a2), { data: { supplier: 'no-such-supplier' }, version: noted.version });
    expect(repoint.status).toBe(422);
    const codes = (r: typeof repoint) => r.body.error.details.fields.map((f: any) => [f.field, f.code]);
    expect(codes(repoint)).toEqual([['supplier', 'linkNotFound']]);
    expect(codes(repoint)).toEqual(codes(nowhere));
    const drop = await as('sam')('PATCH', order(org.orders.a2), { data: { supplier: null }, version: noted.version });
    expect([drop.status, drop.body.error.code]).toEqual([403, 'FORBIDDEN']);
    const raise = await as('sam')('PATCH', order(org.orders.a2), { data: { amount: 99999, approved: true }, version: noted.version });
    expect(raise.status).toBe(422);
    expect(raise.body.error.details.fields.map((f: any) => f.field).sort()).toEqual(['amount', 'approved']);

    const stored = await ok(as('admin')('GET', order(org.orders.a2)));
    expect(stored).toMatchObject({ version: noted.version, data: { supplier: org.suppliers.Acme, amount: 200, approved: false } });
    expect(keysOf(org, (await ok(as('gina')('GET', `${orders}?limit=50`))).items)).not.toContain('a2');
  });

  it('a supplier cannot submit purchase orders (403: they may read them, not submit)', async () => {
    const r = await as('sam')('POST', orders, { data: { title: 'Self-ordered', amount: 1, supplier: org.suppliers.Acme } });
    expect([r.status, r.body.error.code]).toEqual([403, 'FORBIDDEN']);
  });

  it('a supplier sees only their own company in the supplier file, never another', async () => {
    const list = await ok(as('sam')('GET', `/api/forms/${org.forms.supplier}/records?count=true`));
    expect(list.items.map((s: any) => s.id)).toEqual([org.suppliers.Acme]);
    expect(list.total).toBe(1);
    expect((await as('sam')('GET', `/api/forms/${org.forms.supplier}/records/${org.suppliers.Globex}`)).status).toBe(404);
    expect((await ok(as('sam')('POST', `/api/forms/${org.forms.supplier}/aggregate`, { metrics: [{ op: 'count' }] }))).rows[0].values.count).toBe(1);
    expect((await as('sam')('PATCH', `/api/forms/${org.forms.supplier}/records/${org.suppliers.Acme}`, { data: { rating: 5 }, version: 1 })).status).toBe(403);
  });

  it('a supplier submits a certificate for their own company only, and sees only their own certificates', async () => {
    const certs = `/api/forms/${org.forms.certificate}/records`;
    const mine = await ok(as('sam')('POST', certs, { data: { title: 'ISO 9001', supplier: org.suppliers.Acme, validUntil: '2027-06-30' } }), 201);
    const theirs = await ok(as('gina')('POST', certs, { data: { title: 'CE mark', supplier: org.suppliers.Globex } }), 201);

    const forged = await as('sam')('POST', certs, { data: { title: 'Fake', supplier: org.suppliers.Globex } });
    expect(forged.status).toBe(422);
    expect(forged.body.error.details.fields.map((f: any) => f.field)).toContain('supplier');

    expect((await ok(as('sam')('GET', `${certs}?count=true`))).items.map((c: any) => c.id)).toEqual([mine.id]);
    expect((await as('gina')('GET', `${certs}/${mine.id}`)).status).toBe(404);
    expect((await as('sam')('GET', `/api/records/${theirs.id}/timeline`)).status).toBe(404);
    // the manager reviews them all
    expect((await ok(as('mei')('GET', `${certs}?count=true`))).total).toBe(2);
  });

  it('a supplier cannot open internal forms, the HR app, or their records (404)', async () => {
    for (const who of ['sam', 'gina'] as const) {
      const apps = await ok(as(who)('GET', '/api/apps'));
      expect(apps.items.map((a: any) => a.id)).toEqual([org.apps.purchasing]);
      const forms = await ok(as(who)('GET', `/api/apps/${org.apps.purchasing}/forms`));
      expect(forms.items.map((f: any) => f.id).sort()).toEqual([org.forms.supplier, org.forms.order, org.forms.certificate].sort());
      for (const formId of [org.forms.budget, org.forms.salary]) {
        expect((await as(who)('GET', `/api/forms/${formId}`)).status).toBe(404);
        expect((await as(who)('GET', `/api/forms/${formId}/records`)).status).toBe(404);
        expect((await as(who)('POST', `/api/forms/${formId}/records`, { data: { title: 'x' } })).status).toBe(404);
        expect((await as(who)('POST', `/api/forms/${formId}/aggregate`, { metrics: [{ op: 'count' }] })).status).toBe(404);
      }
      expect((await as(who)('GET', `/api/apps/${org.apps.hr}`)).status).toBe(404);
      expect((await as(who)('GET', `/api/apps/${org.apps.hr}/forms`)).status).toBe(404);
    }
    const budget = await ok(as('admin')('POST', `/api/forms/${org.forms.budget}/records`, { data: { title: 'Q4', amount: 1 } }), 201);
    expect((await as('sam')('GET', `/api/forms/${org.forms.budget}/records/${budget.id}`)).status).toBe(404);
    expect((await as('sam')('GET', `/api/records/${budget.id}/timeline`)).status).toBe(404);
  });

  it('a form read by a supplier has no draft and none of the fields hidden from them', async () => {
    const form = await ok(as('sam')('GET', `/api/forms/${org.forms.order}`));
    expect(form.draft).toBeNull();
    expect(form.permissions).toMatchObject({ design: false, actions: ['view', 'edit'] });
    const keys = form.published.definition.fields.map((f: any) => f.key);
    expect(keys).toContain('unitCost');
    expect(keys).not.toContain('margin');
    expect(Object.keys(form.published.jsonSchema.properties)).not.toContain('margin');
    // not even a rule naming it
    expect(JSON.stringify(form.published)).not.toMatch(/margin/i);
  });

  it('a supplier sees no departments, no colleagues of the workspace and no roles but their own', async () => {
    expect((await ok(as('sam')('GET', '/api/departments'))).items).toEqual([]);
    expect((await as('sam')('GET', `/api/departments/${org.departments.purchasing}`)).status).toBe(404);
    expect((await ok(as('sam')('GET', '/api/users'))).items.map((u: any) => u.id)).toEqual([org.people.sam.id]);
    for (const other of ['gina', 'admin', 'mei'] as const) expect((await as('sam')('GET', `/api/users/${org.people[other].id}`)).status).toBe(404);
    expect((await ok(as('sam')('GET', '/api/roles'))).items.map((r: any) => r.id)).toEqual([org.roles.supplier]);
    expect((await as('sam')('GET', `/api/roles/${org.roles.employee}`)).status).toBe(404);
  });

  it('a supplier cannot make themselves an admin, give themselves roles, or grant themselves design', async () => {
    const self = `/api/users/${org.people.sam.id}`;
    expect((await as('sam')('PATCH', self, { admin: true })).status).toBe(403);
    expect((await as('sam')('PATCH', self, { partner: null })).status).toBe(403);
    expect((await as('sam')('PATCH', self, { roles: [org.roles.supplier, org.roles.manager] })).status).toBe(403);
    const own = await as('sam')('PATCH', `/api/roles/${org.roles.supplier}`, { apps: { [org.apps.purchasing]: { design: true } } });
    expect(own.status).toBe(403);
    expect((await as('sam')('POST', '/api/roles', { name: 'Mine', appId: org.apps.purchasing, apps: { [org.apps.purchasing]: { design: true } } })).status).toBe(403);
    const me = await ok(as('sam')('GET', '/api/auth/me'));
    expect(me.user).toMatchObject({ admin: false, roles: [org.roles.supplier], partner: { recordId: org.suppliers.Acme } });
    expect((await ok(as('admin')('GET', `/api/roles/${org.roles.supplier}`))).apps ?? {}).toEqual({});
  });

  it('re-pointing a supplier user to another company applies at once, with the same token', async () => {
    const patch = (recordId: string) => as('admin')('PATCH', `/api/users/${org.people.sam.id}`, { partner: { formId: org.forms.supplier, recordId } });
    try {
      await ok(patch(org.suppliers.Globex));
      expect(keysOf(org, (await ok(as('sam')('GET', `${orders}?limit=50`))).items)).toEqual(orderKeys((o) => o.supplier === 'Globex'));
    } finally {
      await ok(patch(org.suppliers.Acme));
    }
    expect(keysOf(org, (await ok(as('sam')('GET', `${orders}?limit=50`))).items)).toEqual(orderKeys((o) => o.supplier === 'Acme'));
  });

  it('an internal employee given the supplier role reaches no extra orders through it (no partner matches nothing)', async () => {
    try {
      await ok(as('admin')('PATCH', `/api/users/${org.people.bob.id}`, { roles: [org.roles.employee, org.roles.supplier] }));
      expect(keysOf(org, (await ok(as('bob')('GET', `${orders}?limit=50`))).items)).toEqual(orderKeys((o) => o.by === 'bob'));
    } finally {
      await ok(as('admin')('PATCH', `/api/users/${org.people.bob.id}`, { roles: [org.roles.employee] }));
    }
  });
});
