import { describe, expect, it } from 'vitest';
import { TrellisError } from '../errors.js';
import { matchFilter, type MatchableRecord } from '../query/match-filter.js';
import type { NormFilter } from '../query/normalized.js';
import { MATCH_ALL, MATCH_NONE, normalizeAggregate, normalizeFilter, normalizeSort } from '../query/normalize.js';
import type { AppGrant, FormGrant, Scope } from '../schema/access.js';
import type { FormDefinition } from '../schema/form.js';
import {
  FULL_ACCESS, limitLookups, NO_ACCESS, RECORD_ACTIONS, resolveFormAccess, stripHidden, submitOnlyAccess, visibleDefinition,
  type FormAccess,
} from './form-access.js';
import { appAccess, grantList, type Principal, type RoleGrants } from './principal.js';

const orders: FormDefinition = {
  name: 'Orders',
  fields: [
    { key: 'title', type: 'text', label: 'Title' },
    { key: 'amount', type: 'money', label: 'Amount' },
    { key: 'cost', type: 'money', label: 'Cost' },
    { key: 'approved', type: 'checkbox', label: 'Approved' },
    { key: 'supplier', type: 'link', label: 'Supplier', form: 'suppliers' },
    { key: 'supplierCity', type: 'lookup', label: 'Supplier city', link: 'supplier', field: 'city', valueType: 'text' },
    { key: 'supplierPhone', type: 'lookup', label: 'Supplier phone', link: 'supplier', field: 'phone', valueType: 'phone' },
    { key: 'backups', type: 'link', label: 'Backups', form: 'suppliers', multiple: true },
    { key: 'backupCities', type: 'lookup', label: 'Backup cities', link: 'backups', field: 'city', valueType: 'text' },
    { key: 'customer', type: 'link', label: 'Customer', form: 'customers' },
    { key: 'customerName', type: 'lookup', label: 'Customer name', link: 'customer', field: 'name', valueType: 'text' },
  ],
};
const ORDERS = { id: 'orders', appId: 'sales' };
const allKeys = orders.fields.map((f) => f.key);

const orderRecords: MatchableRecord[] = [
  { id: 'r1', createdBy: 'u1', data: { amount: 50, supplier: 's1' } },
  { id: 'r2', createdBy: 'u2', data: { amount: 500, supplier: 's2' } },
  { id: 'r3', createdBy: 'x9', data: { amount: 900 } },
];
const reach = (f: NormFilter): string[] => orderRecords.filter((r) => matchFilter(f, r)).map((r) => r.id);

let roleCount = 0;
function role(forms: Record<string, FormGrant | FormGrant[]>, extra: { appId?: string | null; apps?: Record<string, AppGrant> } = {}): RoleGrants {
  const list = Object.fromEntries(Object.entries(forms).map(([k, v]) => [k, grantList(v)]));
  return { id: `role${++roleCount}`, appId: extra.appId ?? null, apps: extra.apps ?? {}, forms: list };
}

const person = (...roles: RoleGrants[]): Principal => ({
  id: 'u1', name: 'Una', admin: false, partner: null,
  departments: ['sales'], departmentTree: ['sales'], departmentPeers: ['u1'], departmentTreePeers: ['u1'],
  roles,
});
// x9 acts for supplier s1
const supplierUser = (...roles: RoleGrants[]): Principal => ({
  ...person(...roles), id: 'x9', name: 'Xavier', partner: { formId: 'suppliers', recordId: 's1' }, departments: [], departmentTree: [],
});

const access = (p: Principal, def: FormDefinition = orders): FormAccess => resolveFormAccess(p, ORDERS, def);
const sorted = (s: ReadonlySet<string>) => [...s].sort();
const allowed = (a: FormAccess) => Object.entries(a.can).filter(([, on]) => on).map(([k]) => k).sort();

describe('resolveFormAccess: who gets everything', () => {
  it('an administrator may do everything with every record and field', () => {
    expect(access({ ...person(), admin: true })).toBe(FULL_ACCESS);
  });

  it('a designer of the app has full access to its forms', () => {
    expect(access(person(role({}, { apps: { sales: { design: true } } })))).toBe(FULL_ACCESS);
  });

  it('designing another app grants nothing on this one', () => {
    expect(access(person(role({}, { apps: { hr: { design: true } } })))).toBe(NO_ACCESS);
  });

  it('a role of another app grants nothing here, even when it names this app or form', () => {
    const foreign = role({ orders: { actions: ['view', 'edit'] } }, { appId: 'hr', apps: { sales: { design: true } } });
    expect(access(person(foreign))).toBe(NO_ACCESS);
  });

  it('a role of this app grants on its forms', () => {
    const own = role({ orders: { actions: ['view'] } }, { appId: 'sales' });
    expect(allowed(access(person(own)))).toEqual(['view']);
  });

  it('an internal user with manage has full access', () => {
    expect(access(person(role({ orders: { actions: ['manage'], scope: 'own', fields: { cost: 'hidden' } } })))).toBe(FULL_ACCESS);
  });

  it('a supplier user with manage may do everything with their supplier\'s records only, and may not manage the form', () => {
    const a = access(supplierUser(role({ orders: { actions: ['manage'] } })));
    expect(a).not.toBe(FULL_ACCESS);
    expect(allowed(a)).toEqual(['delete', 'edit', 'export', 'submit', 'view']);
    for (const action of RECORD_ACTIONS) expect(reach(a.scope[action]), action).toEqual(['r1', 'r3']);
  });

  it('a supplier user who is made a designer of the app gets no designer access to records', () => {
    const designer = { apps: { sales: { design: true } } };
    expect(access(supplierUser(role({}, designer)))).toBe(NO_ACCESS);
    const a = access(supplierUser(role({ orders: { actions: ['view'] } }, designer)));
    expect(allowed(a)).toEqual(['view']);
    expect(reach(a.scope.view)).toEqual(['r1', 'r3']);
  });
});

describe('resolveFormAccess: grant groups', () => {
  it('no grant on this form means no access', () => {
    expect(access(person())).toBe(NO_ACCESS);
    expect(access(person(role({ suppliers: { actions: ['view'] } })))).toBe(NO_ACCESS);
  });

  it('a view-all group and an edit-own group add up: view every record, edit only one\'s own', () => {
    const a = access(person(role({ orders: [{ actions: ['view'], scope: 'all' }, { actions: ['edit'], scope: 'own' }] })));
    expect(allowed(a)).toEqual(['edit', 'view']);
    expect(a.scope.view).toEqual(MATCH_ALL);
    expect(reach(a.scope.edit)).toEqual(['r1']);
    expect(a.scope.delete).toEqual(MATCH_NONE);
    expect(a.scope.export).toEqual(MATCH_NONE);
  });

  it('groups from different roles add up the same way', () => {
    const a = access(person(role({ orders: { actions: ['view'] } }), role({ orders: { actions: ['edit', 'delete'], scope: 'own' } })));
    expect(allowed(a)).toEqual(['delete', 'edit', 'view']);
    expect(a.scope.view).toEqual(MATCH_ALL);
    expect(reach(a.scope.edit)).toEqual(['r1']);
    expect(reach(a.scope.delete)).toEqual(['r1']);
  });

  it('the records of an action are the union of the groups that allow it', () => {
    const big: Scope = { condition: { '>': [{ var: 'amount' }, 100] } };
    const a = access(person(role({ orders: [{ actions: ['view'], scope: 'own' }, { actions: ['view', 'export'], scope: big }] })));
    expect(reach(a.scope.view)).toEqual(['r1', 'r2', 'r3']);
    expect(reach(a.scope.export)).toEqual(['r2', 'r3']);
  });

  it('edit, delete or export alone let the user view the records they reach', () => {
    for (const action of ['edit', 'delete', 'export'] as const) {
      const a = access(person(role({ orders: { actions: [action], scope: 'own' } })));
      expect(a.can.view, action).toBe(true);
      expect(reach(a.scope.view), action).toEqual(['r1']);
      expect(a.scope.view, action).toEqual(a.scope[action]);
    }
  });

  it('a submit-only user may submit but reads no record', () => {
    const a = access(person(role({ orders: { actions: ['submit'] } })));
    expect(allowed(a)).toEqual(['submit']);
    for (const action of RECORD_ACTIONS) expect(a.scope[action], action).toEqual(MATCH_NONE);
  });

  it('a group with no actions allows nothing', () => {
    const a = access(person(role({ orders: { actions: [], scope: 'all' } })));
    expect(allowed(a)).toEqual([]);
    expect(a.scope.view).toEqual(MATCH_NONE);
  });
});

describe('resolveFormAccess: hidden and read-only fields', () => {
  it('a field hidden in every reading group is hidden', () => {
    const a = access(person(role({ orders: [
      { actions: ['view'], fields: { cost: 'hidden', title: 'readOnly' } },
      { actions: ['view', 'edit'], scope: 'own', fields: { cost: 'hidden', amount: 'hidden' } },
    ] })));
    expect(sorted(a.hidden)).toEqual(['cost']);
  });

  it('a field hidden in one reading group but shown in another is visible', () => {
    const a = access(person(role({ orders: { actions: ['view'], fields: { cost: 'hidden' } } }), role({ orders: { actions: ['view'], scope: 'own' } })));
    expect(sorted(a.hidden)).toEqual([]);
  });

  it('a submit-only group that hides a field does not hide it from the user\'s reading group, but they cannot set it', () => {
    const a = access(person(role({ orders: [{ actions: ['view'] }, { actions: ['submit'], fields: { cost: 'hidden' } }] })));
    expect(sorted(a.hidden)).toEqual([]);
    expect(sorted(a.locked)).toEqual(['cost']);
  });

  it('a submit-only user does not see the fields their group hides', () => {
    const a = access(person(role({ orders: { actions: ['submit'], fields: { cost: 'hidden', approved: 'readOnly' } } })));
    expect(sorted(a.hidden)).toEqual(['cost']);
    expect(sorted(a.locked)).toEqual(['approved', 'cost']);
  });

  it('a field read-only in every writing group is locked', () => {
    const a = access(person(role({ orders: [
      { actions: ['submit'], fields: { approved: 'readOnly' } },
      { actions: ['edit'], scope: 'own', fields: { approved: 'readOnly', title: 'readOnly' } },
    ] })));
    expect(sorted(a.locked)).toEqual(['approved']);
    expect(sorted(a.hidden)).toEqual([]);
  });

  it('a field read-only in one writing group but editable in another can be set', () => {
    const a = access(person(role({ orders: [{ actions: ['edit'], fields: { approved: 'readOnly' } }, { actions: ['submit'] }] })));
    expect(sorted(a.locked)).toEqual([]);
  });

  it('a field hidden in one writing group and read-only in the other is locked', () => {
    const a = access(person(role({ orders: [{ actions: ['edit'], fields: { cost: 'hidden' } }, { actions: ['edit'], fields: { cost: 'readOnly' } }] })));
    expect(sorted(a.locked)).toEqual(['cost']);
    expect(sorted(a.hidden)).toEqual([]);
  });

  it('a field hidden from the user cannot be set, even through a group that could set it', () => {
    const a = access(person(role({ orders: [{ actions: ['view'], fields: { cost: 'hidden' } }, { actions: ['submit'] }] })));
    expect(sorted(a.hidden)).toEqual(['cost']);
    expect(sorted(a.locked)).toEqual(['cost']);
  });

  it('a user who can only read may set no field', () => {
    const a = access(person(role({ orders: { actions: ['view', 'export', 'delete'] } })));
    expect(sorted(a.locked)).toEqual([...allKeys].sort());
  });

  it('a supplier user with manage keeps the hidden and read-only fields of their group', () => {
    const a = access(supplierUser(role({ orders: { actions: ['manage'], fields: { cost: 'hidden', approved: 'readOnly' } } })));
    expect(sorted(a.hidden)).toEqual(['cost']);
    expect(sorted(a.locked)).toEqual(['approved', 'cost']);
  });
});

describe('submitOnlyAccess', () => {
  it('a public share link may submit and fill every field, but reads nothing back', () => {
    const a = submitOnlyAccess(orders);
    expect(allowed(a)).toEqual(['submit']);
    expect(sorted(a.hidden)).toEqual([...allKeys].sort());
    expect(sorted(a.locked)).toEqual([]);
    for (const action of RECORD_ACTIONS) expect(a.scope[action]).toEqual(MATCH_NONE);
    expect(NO_ACCESS.can.submit).toBe(false);
  });
});

describe('limitLookups', () => {
  // the person may read suppliers' city, not their phone, and no customer at all
  const readable = (formId: string, field: string) => formId === 'suppliers' && field === 'city';
  const viewer = () => access(person(role({ orders: { actions: ['view', 'edit'] } })));

  it('hides a lookup whose linked form or field the person may not read, and leaves the others', () => {
    const before = viewer();
    const a = limitLookups(before, orders, readable);
    expect(sorted(a.hidden)).toEqual(['customerName', 'supplierPhone']);
    expect(sorted(a.locked)).toEqual(['customerName', 'supplierPhone']);
    expect(a.can).toEqual(before.can);
    expect(a.scope).toEqual(before.scope);
    expect(sorted(before.hidden)).toEqual([]);
    expect(sorted(before.locked)).toEqual([]);
  });

  it('hides a lookup whose link field is hidden, even when its source is readable', () => {
    const before = access(person(role({ orders: { actions: ['view'], fields: { backups: 'hidden' } } })));
    const a = limitLookups(before, orders, () => true);
    expect(a.hidden.has('backupCities')).toBe(true);
    expect(a.hidden.has('supplierCity')).toBe(false);
  });

  it('gives back the same access when every lookup is readable', () => {
    const before = viewer();
    expect(limitLookups(before, orders, () => true)).toBe(before);
  });

  it('does not ask about a lookup that is already hidden', () => {
    const before = access(person(role({ orders: { actions: ['view'], fields: { customerName: 'hidden' } } })));
    const asked: string[] = [];
    const a = limitLookups(before, orders, (f, k) => {
      asked.push(`${f}.${k}`);
      return readable(f, k);
    });
    expect(asked.sort()).toEqual(['suppliers.city', 'suppliers.city', 'suppliers.phone']);
    expect(sorted(a.hidden)).toEqual(['customerName', 'supplierPhone']);
  });

  it('leaves full access over a form without lookups untouched', () => {
    const plain: FormDefinition = { name: 'Plain', fields: [{ key: 'title', type: 'text', label: 'Title' }] };
    expect(limitLookups(FULL_ACCESS, plain, () => expect.unreachable('asked'))).toBe(FULL_ACCESS);
  });

  it('narrows full access without changing the shared FULL_ACCESS', () => {
    const a = limitLookups(FULL_ACCESS, orders, readable);
    expect(sorted(a.hidden)).toEqual(['customerName', 'supplierPhone']);
    expect(a.can.manage).toBe(true);
    expect(FULL_ACCESS.hidden.size).toBe(0);
    expect(FULL_ACCESS.locked.size).toBe(0);
  });
});

describe('visibleDefinition', () => {
  const ctx = { now: new Date('2026-11-27T12:00:00Z') };
  const hidden = new Set(['cost', 'supplierPhone']);

  function unknownField(fn: () => unknown, field: string): void {
    try {
      fn();
      expect.unreachable('accepted');
    } catch (e) {
      expect(e).toBeInstanceOf(TrellisError);
      expect((e as TrellisError).code).toBe('INVALID_QUERY');
      expect((e as TrellisError).message).toBe(`Unknown field "${field}"`);
    }
  }

  it('drops the hidden fields and keeps the rest in order', () => {
    const v = visibleDefinition(orders, hidden);
    expect(v.fields.map((f) => f.key)).toEqual(allKeys.filter((k) => !hidden.has(k)));
    expect(orders.fields).toHaveLength(allKeys.length);
    expect(visibleDefinition(orders, new Set())).toBe(orders);
  });

  it('a person cannot filter, sort, group or sum by a field hidden from them', () => {
    const v = visibleDefinition(orders, hidden);
    unknownField(() => normalizeFilter({ field: 'cost', op: 'gt', value: 1 }, v, ctx), 'cost');
    unknownField(() => normalizeFilter({ or: [{ field: 'title', op: 'eq', value: 'x' }, { not: { field: 'cost', op: 'empty' } }] }, v, ctx), 'cost');
    unknownField(() => normalizeSort([{ field: 'cost', dir: 'desc' }], v), 'cost');
    unknownField(() => normalizeAggregate({ metrics: [{ op: 'sum', field: 'cost' }] }, v, ctx), 'cost');
    unknownField(() => normalizeAggregate({ groupBy: [{ field: 'supplierPhone' }], metrics: [{ op: 'count' }] }, v, ctx), 'supplierPhone');
  });

  it('a person can still query the fields and system fields they see', () => {
    const v = visibleDefinition(orders, hidden);
    expect(() => normalizeFilter({ and: [{ field: 'amount', op: 'gt', value: 1 }, { field: 'createdBy', op: 'eq', value: 'u1' }] }, v, ctx)).not.toThrow();
    expect(() => normalizeSort([{ field: 'amount' }], v)).not.toThrow();
    expect(() => normalizeAggregate({ metrics: [{ op: 'sum', field: 'amount' }] }, v, ctx)).not.toThrow();
  });
});

describe('stripHidden', () => {
  it('removes hidden fields from a copy and leaves the stored data alone', () => {
    const data = { title: 'Pens', cost: 3, amount: 5 };
    const out = stripHidden(data, new Set(['cost', 'supplierPhone']));
    expect(out).toEqual({ title: 'Pens', amount: 5 });
    expect(out).not.toBe(data);
    expect(data).toEqual({ title: 'Pens', cost: 3, amount: 5 });
  });

  it('gives back the same object when nothing is removed', () => {
    const data = { title: 'Pens', amount: 5 };
    expect(stripHidden(data, new Set())).toBe(data);
    expect(stripHidden(data, new Set(['cost']))).toBe(data);
  });

  it('removes a hidden field whose value is null or undefined too', () => {
    expect(stripHidden({ title: 'Pens', cost: null, amount: undefined }, new Set(['cost', 'amount']))).toEqual({ title: 'Pens' });
  });
});

describe('appAccess', () => {
  const formIds = ['orders', 'suppliers'];
  const app = (p: Principal) => appAccess(p, 'sales', formIds);

  it('an administrator opens and designs every app', () => {
    expect(app({ ...person(), admin: true })).toEqual({ open: true, design: true });
  });

  it('an open grant lets a person open the app but not design it', () => {
    expect(app(person(role({}, { apps: { sales: { open: true } } })))).toEqual({ open: true, design: false });
  });

  it('a designer may also open the app', () => {
    expect(app(person(role({}, { apps: { sales: { design: true } } })))).toEqual({ open: true, design: true });
  });

  it('a grant on any form of the app lets a person open it', () => {
    expect(app(person(role({ suppliers: { actions: ['submit'] } })))).toEqual({ open: true, design: false });
    expect(app(person(role({ suppliers: [{ actions: [] }, { actions: ['view'] }] })))).toEqual({ open: true, design: false });
  });

  it('a grant without actions, or on a form of another app, does not open the app', () => {
    expect(app(person(role({ orders: { actions: [] } })))).toEqual({ open: false, design: false });
    expect(app(person(role({ payroll: { actions: ['view'] } })))).toEqual({ open: false, design: false });
    expect(app(person(role({}, { apps: { hr: { open: true, design: true } } })))).toEqual({ open: false, design: false });
  });

  it('a role of another app opens nothing here', () => {
    expect(app(person(role({ orders: { actions: ['view'] } }, { appId: 'hr', apps: { sales: { design: true } } })))).toEqual({ open: false, design: false });
  });

  it('external users never design', () => {
    expect(app(supplierUser(role({ orders: { actions: ['view'] } }, { apps: { sales: { design: true } } })))).toEqual({ open: true, design: false });
    expect(app(supplierUser(role({}, { apps: { sales: { design: true } } }))).design).toBe(false);
  });
});

describe('grantList', () => {
  it('reads one group as a list of one and no grant as none', () => {
    const g: FormGrant = { actions: ['view'] };
    expect(grantList(g)).toEqual([g]);
    expect(grantList([g, g])).toEqual([g, g]);
    expect(grantList(undefined)).toEqual([]);
  });
});

describe('lookups inside sub-tables', () => {
  const withLines: FormDefinition = {
    name: 'Orders with lines',
    fields: [
      { key: 'title', type: 'text', label: 'Title' },
      {
        key: 'lines', type: 'subtable', label: 'Lines', fields: [
          { key: 'product', type: 'link', label: 'Product', form: 'products' },
          { key: 'cost', type: 'lookup', label: 'Cost', link: 'product', field: 'cost', valueType: 'money' },
          { key: 'name', type: 'lookup', label: 'Name', link: 'product', field: 'name', valueType: 'text' },
          { key: 'qty', type: 'number', label: 'Qty' },
        ],
      },
    ],
  } as FormDefinition;

  it("a line's lookup of a product field the person may not read is taken out of every row", () => {
    const before = access(person(role({ orders: { actions: ['view'] } })), withLines);
    const a = limitLookups(before, withLines, (formId, field) => formId === 'products' && field === 'name');
    expect(sorted(a.hidden)).toEqual(['lines.cost']);
    expect(a.locked.has('lines.cost')).toBe(false);
    const data = { title: 'T', lines: [{ product: 'p1', cost: 9, name: 'Bolt', qty: 2 }, { product: 'p2', name: 'Nut' }] };
    const shown = stripHidden(data, a.hidden);
    expect(shown).toEqual({ title: 'T', lines: [{ product: 'p1', name: 'Bolt', qty: 2 }, { product: 'p2', name: 'Nut' }] });
    expect(data.lines[0]).toHaveProperty('cost', 9);
    expect(visibleDefinition(withLines, a.hidden).fields[1]).toMatchObject({ fields: [{ key: 'product' }, { key: 'name' }, { key: 'qty' }] });
  });

  it('a hidden sub-table needs no look at its lookups', () => {
    const before = access(person(role({ orders: { actions: ['view'], fields: { lines: 'hidden' } } })), withLines);
    expect(limitLookups(before, withLines, () => false)).toBe(before);
  });
});
