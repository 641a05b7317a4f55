/**
 * One realistic organisation for the permission journeys, built through the
 * public API as an administrator would: a Purchasing department with an
 * Imports sub-department, Sales, two employees, their manager, two supplier
 * users, an HR app with its own designer, and purchase orders from each.
 */
import type { DepartmentInput, Logic, RoleInput, UserInput } from '@trellis/core';
import { expect } from 'vitest';
import { startHarness, type Call, type Harness } from './harness.js';

export const PASSWORD = 'correct-horse-battery';

/** `{"==": [supplier, user.partner]}`: a supplier user reaches the orders addressed to their company. */
export const ADDRESSED_TO_MY_COMPANY: Logic = { '==': [{ var: 'supplier' }, { var: 'user.partner' }] };

export const supplierFileForm = {
  name: 'Supplier',
  titleField: 'name',
  fields: [
    { key: 'name', type: 'text', label: 'Name', required: true, unique: true },
    { key: 'city', type: 'text', label: 'City' },
    // an internal assessment: employees must not see it, not even through a lookup
    { key: 'rating', type: 'number', label: 'Rating', min: 0, max: 5 },
    { key: 'state', type: 'select', label: 'State', options: ['active', 'blocked'], default: 'active' },
  ],
};

export function purchaseOrderForm(supplierFormId: string) {
  return {
    name: 'Purchase order',
    titleField: 'title',
    fields: [
      { key: 'title', type: 'text', label: 'Title', required: true },
      { key: 'amount', type: 'money', label: 'Amount', indexed: true },
      { key: 'unitCost', type: 'money', label: 'Unit cost' },
      { key: 'margin', type: 'number', label: 'Margin %' },
      { key: 'marginNote', type: 'textarea', label: 'Why the margin is thin' },
      { key: 'approved', type: 'checkbox', label: 'Approved', default: false },
      { key: 'supplier', type: 'link', label: 'Supplier', form: supplierFormId },
      { key: 'supplierCity', type: 'lookup', label: 'Supplier city', link: 'supplier', field: 'city' },
      { key: 'supplierRating', type: 'lookup', label: 'Supplier rating', link: 'supplier', field: 'rating' },
      { key: 'deliveryNote', type: 'textarea', label: 'Delivery note' },
    ],
    // a thin margin asks for a reason (both are internal)
    rules: [{ field: 'marginNote', visible: { '<': [{ var: 'margin' }, 10] } }],
  };
}

export function certificateForm(supplierFormId: string) {
  return {
    name: 'Certificate',
    titleField: 'title',
    fields: [
      { key: 'title', type: 'text', label: 'Title', required: true },
      { key: 'supplier', type: 'link', label: 'Supplier', form: supplierFormId },
      { key: 'validUntil', type: 'date', label: 'Valid until' },
    ],
  };
}

export const budgetForm = {
  name: 'Budget',
  fields: [
    { key: 'title', type: 'text', label: 'Title', required: true },
    { key: 'amount', type: 'money', label: 'Amount' },
  ],
};

export const salaryForm = {
  name: 'Salary',
  fields: [
    { key: 'employee', type: 'member', label: 'Employee' },
    { key: 'salary', type: 'money', label: 'Salary' },
  ],
};

export interface Person {
  id: string;
  email: string;
  /** requests signed in as this person (one sign-in, reused) */
  call: Call;
  token: string;
}

export type PersonName = 'admin' | 'mei' | 'alice' | 'bob' | 'sam' | 'gina' | 'dana';

export interface Org {
  h: Harness;
  /** the Purchasing app and the HR app */
  apps: { purchasing: string; hr: string };
  forms: { supplier: string; order: string; certificate: string; budget: string; salary: string };
  departments: { purchasing: string; imports: string; sales: string };
  roles: { employee: string; manager: string; supplier: string; hrDesigner: string };
  /** admin; Mei leads Purchasing; Alice works in Purchasing/Imports, Bob in Sales; Sam is at Acme, Gina at Globex; Dana designs the HR app */
  people: Record<PersonName, Person>;
  suppliers: { Acme: string; Globex: string; Initech: string };
  /** purchase orders by key: a1–a3 Alice's, b1–b2 Bob's, m1 Mei's, x1 the admin's */
  orders: Record<OrderKey, string>;
  /** the role bodies as created, for tests that change and restore them */
  roleInputs: { employee: RoleInput; manager: RoleInput; supplier: RoleInput };
}

export type OrderKey = 'a1' | 'a2' | 'a3' | 'b1' | 'b2' | 'm1' | 'x1';

/** Who submitted each order, its amount and supplier: the figures every scope test checks against. */
export const ORDERS: Record<OrderKey, { by: PersonName; amount: number; supplier: 'Acme' | 'Globex' }> = {
  a1: { by: 'alice', amount: 100, supplier: 'Acme' },
  a2: { by: 'alice', amount: 200, supplier: 'Acme' },
  a3: { by: 'alice', amount: 300, supplier: 'Globex' },
  b1: { by: 'bob', amount: 1000, supplier: 'Globex' },
  b2: { by: 'bob', amount: 2000, supplier: 'Acme' },
  m1: { by: 'mei', amount: 50, supplier: 'Acme' },
  x1: { by: 'admin', amount: 7000, supplier: 'Globex' },
};

/** Order keys matching `pick`, sorted: the expected contents of a list. */
export function orderKeys(pick: (o: (typeof ORDERS)[OrderKey]) => boolean): OrderKey[] {
  return (Object.keys(ORDERS) as OrderKey[]).filter((k) => pick(ORDERS[k])).sort();
}

/** Fails the test with the reply when the status is not the expected one. */
export async function ok<T = any>(reply: Promise<{ status: number; body: T }>, status = 200): Promise<T> {
  const r = await reply;
  expect(r.status, JSON.stringify(r.body)).toBe(status);
  return r.body;
}

export function roleBodies(f: Org['forms'], apps: Org['apps']): Org['roleInputs'] & { hrDesigner: RoleInput } {
  return {
    employee: {
      name: 'Employee',
      forms: {
        [f.supplier]: { actions: ['view'], scope: { condition: { '==': [{ var: 'state' }, 'active'] } }, fields: { rating: 'hidden' } },
        [f.order]: {
          actions: ['submit', 'view', 'edit', 'delete'], scope: 'own',
          fields: { unitCost: 'hidden', margin: 'hidden', marginNote: 'hidden', approved: 'readOnly' },
        },
      },
    },
    manager: {
      name: 'Purchasing manager',
      forms: {
        [f.supplier]: { actions: ['view'] },
        [f.order]: { actions: ['submit', 'view', 'edit'], scope: 'departmentTree' },
        [f.certificate]: { actions: ['view'] },
        [f.budget]: { actions: ['submit', 'view'] },
      },
    },
    // an app role: it may only grant on the Purchasing app
    supplier: {
      name: 'Supplier portal',
      appId: apps.purchasing,
      forms: {
        [f.supplier]: { actions: ['view'] },
        // `supplier` is left editable on purpose: the server must still keep an order inside the supplier's reach
        [f.order]: {
          actions: ['view', 'edit'], scope: { condition: ADDRESSED_TO_MY_COMPANY },
          fields: { margin: 'hidden', marginNote: 'hidden', title: 'readOnly', amount: 'readOnly', unitCost: 'readOnly', approved: 'readOnly' },
        },
        [f.certificate]: { actions: ['submit', 'view'], scope: 'own' },
      },
    },
    hrDesigner: { name: 'HR app designer', appId: apps.hr, apps: { [apps.hr]: { design: true } } },
  };
}

/** Starts a server and builds the organisation; every person signs in once. */
export async function buildOrg(): Promise<Org> {
  const h = await startHarness();
  const admin = h.call;

  const purchasing = (await ok(admin('POST', '/api/apps', { name: 'Purchasing' }), 201)).id as string;
  const hr = (await ok(admin('POST', '/api/apps', { name: 'HR' }), 201)).id as string;
  const newForm = async (appId: string, definition: unknown): Promise<string> => {
    const id = (await ok(admin('POST', `/api/apps/${appId}/forms`, definition), 201)).id as string;
    await ok(admin('POST', `/api/forms/${id}/publish`));
    return id;
  };
  const supplier = await newForm(purchasing, supplierFileForm);
  const forms = {
    supplier,
    order: await newForm(purchasing, purchaseOrderForm(supplier)),
    certificate: await newForm(purchasing, certificateForm(supplier)),
    budget: await newForm(purchasing, budgetForm),
    salary: await newForm(hr, salaryForm),
  };

  const suppliers = {
    Acme: (await ok(admin('POST', `/api/forms/${supplier}/records`, { data: { name: 'Acme', city: 'Shanghai', rating: 5 } }), 201)).id as string,
    Globex: (await ok(admin('POST', `/api/forms/${supplier}/records`, { data: { name: 'Globex', city: 'Shenzhen', rating: 2 } }), 201)).id as string,
    Initech: (await ok(admin('POST', `/api/forms/${supplier}/records`, { data: { name: 'Initech', city: 'Beijing', rating: 1, state: 'blocked' } }), 201)).id as string,
  };

  const dept = async (input: DepartmentInput) => (await ok(admin('POST', '/api/departments', input), 201)).id as string;
  const purchasingDept = await dept({ name: 'Purchasing' });
  const departments = { purchasing: purchasingDept, imports: await dept({ name: 'Imports', parentId: purchasingDept }), sales: await dept({ name: 'Sales' }) };

  const bodies = roleBodies(forms, { purchasing, hr });
  const role = async (input: RoleInput) => (await ok(admin('POST', '/api/roles', input), 201)).id as string;
  const roles = { employee: await role(bodies.employee), manager: await role(bodies.manager), supplier: await role(bodies.supplier), hrDesigner: await role(bodies.hrDesigner) };

  const user = async (input: Omit<UserInput, 'password'>) => (await ok(admin('POST', '/api/users', { ...input, password: PASSWORD }), 201)).id as string;
  // each creation hashes a password (scrypt): in parallel, so the suite stays fast
  const [mei, alice, bob, sam, gina, dana] = await Promise.all([
    user({ email: 'mei@example.com', name: 'Mei (Purchasing manager)', departments: [departments.purchasing], roles: [roles.manager] }),
    user({ email: 'alice@example.com', name: 'Alice (Imports)', departments: [departments.imports], roles: [roles.employee] }),
    user({ email: 'bob@example.com', name: 'Bob (Sales)', departments: [departments.sales], roles: [roles.employee] }),
    user({ email: 'sam@acme.example', name: 'Sam (Acme)', roles: [roles.supplier], partner: { formId: supplier, recordId: suppliers.Acme } }),
    user({ email: 'gina@globex.example', name: 'Gina (Globex)', roles: [roles.supplier], partner: { formId: supplier, recordId: suppliers.Globex } }),
    user({ email: 'dana@example.com', name: 'Dana (HR designer)', departments: [departments.sales], roles: [roles.hrDesigner] }),
  ]);
  const ids = { mei, alice, bob, sam, gina, dana } as Record<Exclude<PersonName, 'admin'>, string>;
  await ok(admin('PATCH', `/api/departments/${departments.purchasing}`, { leaderId: ids.mei }));

  const adminId = (await ok(admin('GET', '/api/auth/me'))).user.id as string;
  const signIn = async (name: keyof typeof ids, email: string): Promise<[PersonName, Person]> => {
    const token = await h.login(email, PASSWORD);
    return [name, { id: ids[name], email, token, call: h.as(token) }];
  };
  const people = {
    admin: { id: adminId, email: 'admin@example.com', token: h.adminToken, call: admin },
    ...Object.fromEntries(await Promise.all([
      signIn('mei', 'mei@example.com'), signIn('alice', 'alice@example.com'), signIn('bob', 'bob@example.com'),
      signIn('sam', 'sam@acme.example'), signIn('gina', 'gina@globex.example'), signIn('dana', 'dana@example.com'),
    ])),
  } as Record<PersonName, Person>;

  const orders = {} as Record<OrderKey, string>;
  for (const [key, o] of Object.entries(ORDERS) as [OrderKey, (typeof ORDERS)[OrderKey]][]) {
    const data = { title: `Order ${key}`, amount: o.amount, supplier: suppliers[o.supplier] };
    orders[key] = (await ok(people[o.by].call('POST', `/api/forms/${forms.order}/records`, { data }), 201)).id as string;
  }
  // the admin prices two orders; one margin is thin enough to need a note
  for (const [key, data] of [['a1', { unitCost: 40, margin: 12 }], ['b1', { unitCost: 900, margin: 8, marginNote: 'price war' }]] as const) {
    await ok(admin('PATCH', `/api/forms/${forms.order}/records/${orders[key]}`, { data, version: 1 }));
  }

  return { h, apps: { purchasing, hr }, forms, departments, roles, people, suppliers, orders, roleInputs: bodies };
}

/** Record ids of a list reply, mapped back to order keys (unknown ids kept as they are) and sorted. */
export function keysOf(org: Org, items: { id: string }[]): string[] {
  const byId = new Map(Object.entries(org.orders).map(([k, id]) => [id, k]));
  return items.map((r) => byId.get(r.id) ?? r.id).sort();
}
