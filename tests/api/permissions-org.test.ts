import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOrg, keysOf, ok, orderKeys, PASSWORD, type Org, type PersonName } from '../support/org.js';

// What each person sees of apps and forms, and who may change the
// organisation itself: users, departments and roles. Nobody but an admin
// widens anyone's rights, and an app's designer only within that app.

describe('apps, forms and the organisation, as each person sees them', () => {
  let org: Org;
  const as = (who: PersonName) => org.people[who].call;
  const formIds = (items: { id: string }[]) => items.map((f) => f.id).sort();

  beforeAll(async () => {
    org = await buildOrg();
  });
  afterAll(async () => org.h.close());

  it('each person sees only the apps they may open', async () => {
    const expected: Record<PersonName, string[]> = {
      admin: [org.apps.purchasing, org.apps.hr], mei: [org.apps.purchasing], alice: [org.apps.purchasing], bob: [org.apps.purchasing],
      sam: [org.apps.purchasing], gina: [org.apps.purchasing], dana: [org.apps.hr],
    };
    for (const [who, apps] of Object.entries(expected) as [PersonName, string[]][]) {
      expect((await ok(as(who)('GET', '/api/apps'))).items.map((a: any) => a.id).sort(), who).toEqual([...apps].sort());
      for (const appId of [org.apps.purchasing, org.apps.hr]) {
        expect((await as(who)('GET', `/api/apps/${appId}`)).status, `${who} GET app`).toBe(apps.includes(appId) ? 200 : 404);
        expect((await as(who)('GET', `/api/apps/${appId}/forms`)).status, `${who} GET forms`).toBe(apps.includes(appId) ? 200 : 404);
      }
    }
  });

  it('each person sees only the forms they may use, and only designers see drafts', async () => {
    const f = org.forms;
    const expected: Partial<Record<PersonName, string[]>> = {
      admin: [f.supplier, f.order, f.certificate, f.budget, f.salary], mei: [f.supplier, f.order, f.certificate, f.budget],
      alice: [f.supplier, f.order], bob: [f.supplier, f.order],
    };
    for (const [who, forms] of Object.entries(expected) as [PersonName, string[]][]) {
      const listed = (await ok(as(who)('GET', `/api/apps/${org.apps.purchasing}/forms`))).items;
      expect(formIds(listed), who).toEqual(forms.filter((id) => id !== f.salary).sort());
      for (const form of listed) expect(form.draft === null, `${who} draft of ${form.id}`).toBe(who !== 'admin');
      for (const id of [f.supplier, f.order, f.certificate, f.budget, f.salary]) {
        expect((await as(who)('GET', `/api/forms/${id}`)).status, `${who} GET form ${id}`).toBe(forms.includes(id) ? 200 : 404);
      }
    }
    const hr = (await ok(as('dana')('GET', `/api/apps/${org.apps.hr}/forms`))).items;
    expect(formIds(hr)).toEqual([f.salary]);
    expect(hr[0].draft).not.toBeNull();
  });

  it('a form read by an employee names none of the fields hidden from them: not in its definition, rules, JSON schema or UI schema', async () => {
    const form = await ok(as('alice')('GET', `/api/forms/${org.forms.order}`));
    expect(form.draft).toBeNull();
    expect(form.permissions).toMatchObject({ design: false, actions: ['submit', 'view', 'edit', 'delete'] });
    expect(form.permissions.readOnly).toContain('approved');
    const { definition, jsonSchema, uiSchema } = form.published;
    const hidden = ['unitCost', 'margin', 'marginNote', 'supplierRating'];
    expect(definition.fields.map((x: any) => x.key)).toEqual(['title', 'amount', 'approved', 'supplier', 'supplierCity', 'deliveryNote']);
    for (const k of hidden) {
      expect(Object.keys(jsonSchema.properties)).not.toContain(k);
      expect(Object.keys(uiSchema)).not.toContain(k);
      expect(uiSchema['ui:order'] ?? []).not.toContain(k);
    }
    // a rule that reads a hidden field tells its name (and the threshold) to whoever reads the form
    expect(JSON.stringify(form.published)).not.toMatch(/margin|unitCost|supplierRating/);

    const supplierForm = await ok(as('bob')('GET', `/api/forms/${org.forms.supplier}`));
    expect(supplierForm.published.definition.fields.map((x: any) => x.key)).not.toContain('rating');
    // the manager has nothing hidden, but is no designer either
    const mei = await ok(as('mei')('GET', `/api/forms/${org.forms.order}`));
    expect(mei.draft).toBeNull();
    expect(mei.published.definition.fields.map((x: any) => x.key)).toEqual(expect.arrayContaining(hidden));
  });

  it('people who only use an app cannot change it, its forms, or create apps', async () => {
    const p = org.apps.purchasing;
    for (const who of ['mei', 'alice', 'sam'] as const) {
      const call = as(who);
      const form = await ok(as('admin')('GET', `/api/forms/${org.forms.order}`));
      const attempts: [string, string, unknown?][] = [
        ['PATCH', `/api/apps/${p}`, { name: 'Mine' }], ['DELETE', `/api/apps/${p}`],
        ['POST', `/api/apps/${p}/forms`, { name: 'New', fields: [{ key: 'x', type: 'text', label: 'X' }] }],
        ['PUT', `/api/forms/${org.forms.order}`, form.draft], ['POST', `/api/forms/${org.forms.order}/publish`],
        ['GET', `/api/forms/${org.forms.order}/versions`], ['POST', `/api/forms/${org.forms.order}/share-links`, {}],
      ];
      for (const [method, path, body] of attempts) {
        const r = await call(method as 'GET', path, body);
        expect([r.status, r.body.error?.code], `${who} ${method} ${path}`).toEqual([403, 'FORBIDDEN']);
      }
      expect((await call('POST', '/api/apps', { name: 'Shadow IT' })).status).toBe(403);
    }
    expect((await ok(as('admin')('GET', `/api/apps/${p}`))).version).toBe(1);
    expect((await ok(as('admin')('GET', `/api/forms/${org.forms.order}`))).version).toBe(1);
    expect((await ok(as('admin')('GET', '/api/apps'))).items).toHaveLength(2);
  });

  it('colleagues see each other by name only; employees see their own roles and nobody else’s', async () => {
    const users = (await ok(as('alice')('GET', '/api/users'))).items;
    expect(users.map((u: any) => u.id).sort()).toEqual(['admin', 'mei', 'alice', 'bob', 'dana'].map((w) => org.people[w as PersonName].id).sort());
    for (const u of users) expect(u).toMatchObject({ roles: [], admin: false, partner: null });
    expect(JSON.stringify(users)).not.toMatch(/passwordHash/);
    expect((await as('alice')('GET', `/api/users/${org.people.sam.id}`)).status).toBe(404);
    expect((await ok(as('alice')('GET', '/api/departments'))).items).toHaveLength(3);
    expect((await ok(as('alice')('GET', '/api/roles'))).items.map((r: any) => r.id)).toEqual([org.roles.employee]);
    expect((await as('alice')('GET', `/api/roles/${org.roles.manager}`)).status).toBe(404);
    expect((await as('alice')('GET', '/api/audit')).status).toBe(403);
    expect((await as('alice')('GET', `/api/api-keys?userId=${org.people.bob.id}`)).status).toBe(403);
  });

  it('an employee cannot make themselves an admin, give themselves roles or departments, or grant their role design', async () => {
    const self = `/api/users/${org.people.alice.id}`;
    for (const body of [{ admin: true }, { roles: [org.roles.employee, org.roles.manager] }, { departments: [org.departments.purchasing] }, { status: 'active' }]) {
      const r = await as('alice')('PATCH', self, body);
      expect([r.status, r.body.error.code], JSON.stringify(body)).toEqual([403, 'FORBIDDEN']);
    }
    const design = await as('alice')('PATCH', `/api/roles/${org.roles.employee}`, { apps: { [org.apps.purchasing]: { open: true, design: true } } });
    expect(design.status).toBe(403);
    const widen = await as('alice')('PATCH', `/api/roles/${org.roles.employee}`, { forms: { [org.forms.order]: { actions: ['manage'] } } });
    expect(widen.status).toBe(403);
    expect((await as('alice')('DELETE', `/api/roles/${org.roles.employee}`)).status).toBe(403);

    const me = await ok(as('alice')('GET', '/api/auth/me'));
    expect(me.user).toMatchObject({ admin: false, roles: [org.roles.employee], departments: [org.departments.imports] });
    const role = await ok(as('admin')('GET', `/api/roles/${org.roles.employee}`));
    expect(role.version).toBe(1);
    // still only her own orders
    expect(keysOf(org, (await ok(as('alice')('GET', `/api/forms/${org.forms.order}/records?limit=50`))).items)).toEqual(orderKeys((o) => o.by === 'alice'));
  });

  it('only an admin creates users, departments and workspace roles; a department leader is no admin', async () => {
    const before = (await ok(as('admin')('GET', '/api/users'))).items.length;
    for (const who of ['mei', 'bob', 'dana'] as const) {
      const call = as(who);
      const attempts: [string, string, unknown?][] = [
        ['POST', '/api/users', { email: `${who}-friend@example.com`, name: 'Friend', password: 'friend-password', admin: true }],
        ['PATCH', `/api/users/${org.people.alice.id}`, { departments: [org.departments.sales] }],
        ['DELETE', `/api/users/${org.people.bob.id}`],
        ['POST', '/api/departments', { name: 'Skunkworks' }],
        ['PATCH', `/api/departments/${org.departments.purchasing}`, { leaderId: org.people[who].id }],
        ['DELETE', `/api/departments/${org.departments.sales}`],
        ['POST', '/api/roles', { name: 'Everything', forms: { [org.forms.order]: { actions: ['manage'] } } }],
        ['POST', '/api/roles', { name: 'Purchasing designer', appId: org.apps.purchasing, apps: { [org.apps.purchasing]: { design: true } } }],
      ];
      for (const [method, path, body] of attempts) {
        const r = await call(method as 'POST', path, body);
        expect([r.status, r.body?.error?.code], `${who} ${method} ${path}`).toEqual([403, 'FORBIDDEN']);
      }
    }
    expect((await ok(as('admin')('GET', '/api/users'))).items).toHaveLength(before);
    expect((await ok(as('admin')('GET', `/api/departments/${org.departments.purchasing}`))).leaderId).toBe(org.people.mei.id);
    expect((await ok(as('admin')('GET', '/api/roles'))).items).toHaveLength(4);
  });

  it("an app's designer manages her app and its roles, and cannot grant anything on another app", async () => {
    const dana = as('dana');
    const { hr, purchasing } = org.apps;
    // within her app
    const salary = await ok(dana('GET', `/api/forms/${org.forms.salary}`));
    expect(salary.permissions.design).toBe(true);
    await ok(dana('PUT', `/api/forms/${org.forms.salary}`, { ...salary.draft, fields: [...salary.draft.fields, { key: 'bonus', type: 'money', label: 'Bonus' }] }));
    await ok(dana('POST', `/api/forms/${org.forms.salary}/publish`));
    const payroll = await ok(dana('POST', '/api/roles', { name: 'Payroll clerk', appId: hr, forms: { [org.forms.salary]: { actions: ['view'], fields: { bonus: 'hidden' } } } }), 201);
    await ok(dana('PATCH', `/api/roles/${payroll.id}`, { forms: { [org.forms.salary]: { actions: ['view', 'submit'] } } }));

    // never beyond it
    const refused: [string, string, unknown, number][] = [
      ['POST', '/api/roles', { name: 'Sneak', appId: hr, forms: { [org.forms.order]: { actions: ['view'] } } }, 422],
      ['POST', '/api/roles', { name: 'Sneak', appId: hr, apps: { [purchasing]: { design: true } } }, 422],
      ['POST', '/api/roles', { name: 'Sneak', apps: { [purchasing]: { design: true } } }, 403],
      ['POST', '/api/roles', { name: 'Sneak', appId: purchasing, apps: { [purchasing]: { design: true } } }, 403],
      ['PATCH', `/api/roles/${org.roles.hrDesigner}`, { apps: { [hr]: { design: true }, [purchasing]: { design: true } } }, 422],
      ['PATCH', `/api/roles/${payroll.id}`, { forms: { [org.forms.budget]: { actions: ['view'] } } }, 422],
      ['PATCH', `/api/roles/${payroll.id}`, { appId: null }, 422],
      ['PATCH', `/api/roles/${org.roles.supplier}`, { forms: {} }, 404],
      ['PATCH', `/api/roles/${org.roles.employee}`, { apps: { [purchasing]: { design: true } } }, 404],
      ['PATCH', `/api/users/${org.people.dana.id}`, { roles: [org.roles.hrDesigner, org.roles.manager] }, 403],
      ['PATCH', `/api/users/${org.people.bob.id}`, { roles: [org.roles.employee, payroll.id] }, 403],
    ];
    for (const [method, path, body, status] of refused) {
      const r = await dana(method as 'POST', path, body);
      expect(r.status, `${method} ${path} ${JSON.stringify(body)}`).toBe(status);
    }
    expect((await ok(as('admin')('GET', `/api/roles/${org.roles.hrDesigner}`))).apps).toEqual({ [hr]: { design: true } });
    expect((await ok(as('admin')('GET', `/api/roles/${payroll.id}`))).forms).toEqual({ [org.forms.salary]: { actions: ['view', 'submit'] } });
    expect((await ok(dana('GET', '/api/roles'))).items.map((r: any) => r.id).sort()).toEqual([org.roles.hrDesigner, payroll.id].sort());
    expect((await dana('GET', `/api/forms/${org.forms.order}/records`)).status).toBe(404);
    expect((await dana('PATCH', `/api/apps/${purchasing}`, { name: 'Mine' })).status).toBe(404);
    expect((await dana('DELETE', `/api/roles/${payroll.id}`)).status).toBe(204);
  });

  it('an app designer cannot link her form to a form of an app she cannot open', async () => {
    const draft = { name: 'Vendor contacts', fields: [
      { key: 'vendor', type: 'link', label: 'Vendor', form: org.forms.supplier },
      { key: 'rating', type: 'lookup', label: 'Rating', link: 'vendor', field: 'rating' },
    ] };
    const created = await ok(as('dana')('POST', `/api/apps/${org.apps.hr}/forms`, draft), 201);
    const published = await as('dana')('POST', `/api/forms/${created.id}/publish`);
    // the same answer as for a form that does not exist: she learns nothing of the other app
    expect(published.status).toBe(422);
    expect(published.body.error.details.problems.map((p: any) => p.code)).toEqual(['linkTarget']);
  });

  it("a lookup into a form a person cannot read stays hidden from them, even on their own app's records", async () => {
    // the admin builds an HR form that copies the supplier rating; Dana designs HR but cannot read suppliers
    const form = await ok(as('admin')('POST', `/api/apps/${org.apps.hr}/forms`, { name: 'Vendor review', fields: [
      { key: 'note', type: 'text', label: 'Note' },
      { key: 'vendor', type: 'link', label: 'Vendor', form: org.forms.supplier },
      { key: 'rating', type: 'lookup', label: 'Rating', link: 'vendor', field: 'rating' },
    ] }), 201);
    await ok(as('admin')('POST', `/api/forms/${form.id}/publish`));
    const rec = await ok(as('admin')('POST', `/api/forms/${form.id}/records`, { data: { note: 'ok', vendor: org.suppliers.Acme } }), 201);
    expect(rec.data.rating).toBe(5);

    const seen = await ok(as('dana')('GET', `/api/forms/${form.id}/records/${rec.id}`));
    expect(seen.data).not.toHaveProperty('rating');
    expect((await as('dana')('POST', `/api/forms/${form.id}/records/query`, { filter: { field: 'rating', op: 'eq', value: 5 } })).status).toBe(400);
    expect((await as('dana')('POST', `/api/forms/${form.id}/aggregate`, { groupBy: [{ field: 'rating' }], metrics: [{ op: 'count' }] })).status).toBe(400);
    const t = await ok(as('admin')('PATCH', `/api/forms/${form.id}/records/${rec.id}`, { data: { vendor: org.suppliers.Globex }, version: 1 }));
    expect(t.data.rating).toBe(2);
    expect(JSON.stringify(await ok(as('dana')('GET', `/api/records/${rec.id}/timeline`)))).not.toMatch(/"rating"/);
    // and she cannot link a new record to a supplier she cannot see
    expect((await as('dana')('POST', `/api/forms/${form.id}/records`, { data: { vendor: org.suppliers.Acme } })).status).toBe(422);
  });

  it('a shared record link shows the public what its creator may see, and only that record', async () => {
    const link = await ok(as('alice')('POST', `/api/forms/${org.forms.order}/records/${org.orders.a1}/share-links`, {}), 201);
    const opened = await ok(org.h.as('')('GET', `/api/share/${link.token}`));
    expect(opened.record.id).toBe(org.orders.a1);
    expect(JSON.stringify(opened.record)).not.toMatch(/unitCost|"margin"|supplierRating/);
    expect(opened.form.definition.fields.map((x: any) => x.key)).not.toContain('margin');
    // nobody shares what they cannot see
    expect((await as('bob')('POST', `/api/forms/${org.forms.order}/records/${org.orders.a1}/share-links`, {})).status).toBe(404);
    expect((await as('sam')('POST', `/api/forms/${org.forms.order}/records/${org.orders.a3}/share-links`, {})).status).toBe(404);
  });

  it("an API key acts with its owner's rights, and only its owner or an admin revokes it", async () => {
    const key = await ok(as('bob')('POST', '/api/api-keys', { name: 'script', password: PASSWORD }), 201);
    const viaKey = org.h.as(key.key);
    expect(keysOf(org, (await ok(viaKey('GET', `/api/forms/${org.forms.order}/records?limit=50`))).items)).toEqual(orderKeys((o) => o.by === 'bob'));
    expect((await viaKey('GET', `/api/forms/${org.forms.order}/records/${org.orders.a1}`)).status).toBe(404);
    expect((await viaKey('PATCH', `/api/users/${org.people.bob.id}`, { admin: true })).status).toBe(403);
    expect((await as('alice')('DELETE', `/api/api-keys/${key.id}`)).status).toBe(404);
    expect((await as('bob')('DELETE', `/api/api-keys/${key.id}`)).status).toBe(204);
    expect((await viaKey('GET', '/api/apps')).status).toBe(401);
  });

  it("disabling a user ends their session at once; a token cannot be used once they're gone", async () => {
    expect((await as('bob')('GET', '/api/apps')).status).toBe(200);
    await ok(as('admin')('DELETE', `/api/users/${org.people.bob.id}`));
    const r = await as('bob')('GET', `/api/forms/${org.forms.order}/records`);
    expect([r.status, r.body.error.code]).toEqual([401, 'UNAUTHORIZED']);
    // enabling the account again does not revive the old session
    await ok(as('admin')('PATCH', `/api/users/${org.people.bob.id}`, { status: 'active' }));
    expect((await as('bob')('GET', '/api/apps')).status).toBe(401);
  });
});
