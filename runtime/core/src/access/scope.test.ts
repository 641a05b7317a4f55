import { describe, expect, it } from 'vitest';
import { TrellisError } from '../errors.js';
import { matchFilter, type MatchableRecord } from '../query/match-filter.js';
import { MATCH_ALL, MATCH_NONE } from '../query/normalize.js';
import type { Scope } from '../schema/access.js';
import type { FormDefinition } from '../schema/form.js';
import type { Principal } from './principal.js';
import { checkScopeCondition, partnerFilter, scopeFilter } from './scope.js';

const orders: FormDefinition = {
  name: 'Orders',
  fields: [
    { key: 'title', type: 'text', label: 'Title' },
    { key: 'amount', type: 'money', label: 'Amount' },
    { key: 'region', type: 'select', label: 'Region', options: ['east', 'west', 'north'] },
    { key: 'dept', type: 'department', label: 'Department' },
    { key: 'owner', type: 'member', label: 'Owner' },
    { key: 'members', type: 'member', label: 'Members', multiple: true },
    { key: 'supplier', type: 'link', label: 'Supplier', form: 'suppliers' },
    { key: 'backups', type: 'link', label: 'Backup suppliers', form: 'suppliers', multiple: true },
    { key: 'customer', type: 'link', label: 'Customer', form: 'customers' },
  ],
};

const suppliers: FormDefinition = {
  name: 'Suppliers',
  fields: [
    { key: 'name', type: 'text', label: 'Name' },
    { key: 'city', type: 'text', label: 'City' },
  ],
};

const rec = (id: string, createdBy: string | null, data: MatchableRecord['data']): MatchableRecord => ({ id, createdBy, data });

const orderRecords: MatchableRecord[] = [
  rec('r1', 'u1', { amount: 50, region: 'east', dept: 'sales', owner: 'u1', members: ['u1', 'u2'], supplier: 's1' }),
  rec('r2', 'u2', { amount: 150, region: 'west', dept: 'sales', members: ['u2'], supplier: 's2', backups: ['s3', 's1'] }),
  rec('r3', 'u3', { amount: 500, region: 'north', dept: 'sales-east', supplier: 's2' }),
  rec('r4', 'u4', { title: '', amount: 100, region: 'east', dept: 'ops', owner: 'u4', members: ['u1'], customer: 'c1' }),
  // a quote the supplier's own user entered
  rec('r5', 'x9', { title: 'Quote', supplier: 's1' }),
  // imported: no creator, no values
  rec('r6', null, {}),
];

const supplierRecords: MatchableRecord[] = [
  rec('s1', 'u1', { name: 'Acme' }),
  rec('s2', 'u2', { name: 'Globex' }),
  rec('s3', 'x9', { name: 'Initech' }),
];

// Una (u1) works in sales; sales-east is below it. The peer lists leave her out on purpose:
// department scopes must reach her own records regardless.
const una: Principal = {
  id: 'u1', name: 'Una', admin: false, partner: null,
  departments: ['sales'], departmentTree: ['sales', 'sales-east'],
  departmentPeers: ['u2'], departmentTreePeers: ['u2', 'u3'],
  roles: [],
};
const loner: Principal = { ...una, id: 'u4', name: 'Lone', departments: [], departmentTree: [], departmentPeers: [], departmentTreePeers: [] };
// Xavier (x9) is an external user acting for supplier s1.
const xavier: Principal = {
  id: 'x9', name: 'Xavier', admin: false, partner: { formId: 'suppliers', recordId: 's1' },
  departments: [], departmentTree: [], departmentPeers: [], departmentTreePeers: [],
  roles: [],
};

const cond = (condition: unknown): Scope => ({ condition }) as Scope;

/** Ids of the records a scope lets `p` reach, in record order. */
function reach(scope: Scope | undefined, p: Principal, formId = 'orders', def = orders, records = orderRecords): string[] {
  const filter = scopeFilter(scope, p, formId, def);
  return records.filter((r) => matchFilter(filter, r)).map((r) => r.id);
}

function rejects(logic: unknown, message: RegExp, def: FormDefinition = orders): void {
  try {
    checkScopeCondition(logic, def);
    expect.unreachable('accepted');
  } catch (e) {
    expect(e).toBeInstanceOf(TrellisError);
    const err = e as TrellisError;
    expect(err.code).toBe('INVALID_DEFINITION');
    expect(err.message).toMatch(/^Scope condition: /);
    expect(err.message).toMatch(message);
    expect(err.details).toMatchObject({ problems: [{ path: 'scope.condition', code: 'scope' }] });
  }
}

const partnerCmp = { '==': [{ var: 'supplier' }, { var: 'user.partner' }] };
const eastCmp = { '==': [{ var: 'region' }, 'east'] };
const data = (key: string, storage: string) => ({ source: 'data', key, storage });
const createdBy = { source: 'system', column: 'createdBy', storage: 'ref' };

describe('scopeFilter: record scopes of internal users', () => {
  it('a user with "all" (or no scope) reaches every record', () => {
    expect(scopeFilter('all', una, 'orders', orders)).toEqual(MATCH_ALL);
    expect(scopeFilter(undefined, una, 'orders', orders)).toEqual(MATCH_ALL);
    expect(reach('all', una)).toEqual(['r1', 'r2', 'r3', 'r4', 'r5', 'r6']);
  });

  it('a user with "own" reaches only the records they submitted', () => {
    expect(scopeFilter('own', una, 'orders', orders)).toEqual({ kind: 'cmp', path: createdBy, op: 'eq', value: 'u1' });
    expect(reach('own', una)).toEqual(['r1']);
    expect(reach('own', loner)).toEqual(['r4']);
  });

  it('a department member reaches records of their department peers and their own', () => {
    expect(reach('department', una)).toEqual(['r1', 'r2']);
  });

  it('a department-tree member also reaches records submitted below their department', () => {
    expect(reach('departmentTree', una)).toEqual(['r1', 'r2', 'r3']);
  });

  it('a user without a department still reaches their own records under a department scope', () => {
    expect(reach('department', loner)).toEqual(['r4']);
    expect(reach('departmentTree', loner)).toEqual(['r4']);
  });

  it('department scopes list each submitter once', () => {
    const f = scopeFilter('department', { ...una, departmentPeers: ['u1', 'u2', 'u2'] }, 'orders', orders);
    expect(f).toEqual({ kind: 'in', path: createdBy, values: ['u1', 'u2'], negate: false });
  });
});

describe('scopeFilter: condition scopes', () => {
  it('a condition on a field and a constant reaches the records that pass it', () => {
    expect(reach(cond({ '>': [{ var: 'amount' }, 100] }), una)).toEqual(['r2', 'r3']);
    expect(reach(cond(eastCmp), una)).toEqual(['r1', 'r4']);
    expect(reach(cond({ '===': [{ var: 'region' }, 'east'] }), una)).toEqual(['r1', 'r4']);
    // records without a region are "not east"
    expect(reach(cond({ '!==': [{ var: 'region' }, 'east'] }), una)).toEqual(['r2', 'r3', 'r5', 'r6']);
  });

  it('a field may be named in json-logic\'s list form', () => {
    expect(reach(cond({ '>': [{ var: ['amount'] }, 100] }), una)).toEqual(['r2', 'r3']);
  });

  it('a constant written first flips the comparison', () => {
    expect(scopeFilter(cond({ '<': [100, { var: 'amount' }] }), una, 'orders', orders))
      .toEqual({ kind: 'cmp', path: data('amount', 'number'), op: 'gt', value: 100 });
    expect(reach(cond({ '<': [100, { var: 'amount' }] }), una)).toEqual(['r2', 'r3']);
    expect(reach(cond({ '<=': [100, { var: 'amount' }] }), una)).toEqual(['r2', 'r3', 'r4']);
    expect(reach(cond({ '>': [100, { var: 'amount' }] }), una)).toEqual(['r1']);
    expect(reach(cond({ '>=': [100, { var: 'amount' }] }), una)).toEqual(['r1', 'r4']);
    expect(reach(cond({ '==': ['east', { var: 'region' }] }), una)).toEqual(['r1', 'r4']);
  });

  it('a condition can name system fields and the user: "records I submitted"', () => {
    expect(reach(cond({ '==': [{ var: 'createdBy' }, { var: 'user.id' }] }), una)).toEqual(['r1']);
    expect(reach(cond({ '==': [{ var: 'owner' }, { var: 'user.id' }] }), loner)).toEqual(['r4']);
  });

  it('comparing with null means "empty" and "not empty"', () => {
    expect(reach(cond({ '==': [{ var: 'supplier' }, null] }), una)).toEqual(['r4', 'r6']);
    expect(reach(cond({ '!=': [{ var: 'supplier' }, null] }), una)).toEqual(['r1', 'r2', 'r3', 'r5']);
    expect(reach(cond({ '==': [{ var: 'title' }, null] }), una)).toEqual(['r1', 'r2', 'r3', 'r4', 'r6']);
    expect(reach(cond({ '==': [null, { var: 'members' }] }), una)).toEqual(['r3', 'r5', 'r6']);
    expect(reach(cond({ '!=': [{ var: 'members' }, null] }), una)).toEqual(['r1', 'r2', 'r4']);
  });

  it('"in" with a list reaches records whose value is listed', () => {
    expect(reach(cond({ in: [{ var: 'region' }, ['east', 'west']] }), una)).toEqual(['r1', 'r2', 'r4']);
  });

  it('"in" with the user\'s departments reaches records of those departments', () => {
    expect(reach(cond({ in: [{ var: 'dept' }, { var: 'user.departments' }] }), una)).toEqual(['r1', 'r2']);
    expect(reach(cond({ in: [{ var: 'dept' }, { var: 'user.departmentTree' }] }), una)).toEqual(['r1', 'r2', 'r3']);
  });

  it('a user in no department reaches nothing through "in user.departments", not everything', () => {
    expect(scopeFilter(cond({ in: [{ var: 'dept' }, { var: 'user.departments' }] }), loner, 'orders', orders)).toEqual(MATCH_NONE);
  });

  it('negating "in user.departments" for a user in no department reaches nothing, not everything', () => {
    expect(scopeFilter(cond({ '!': { in: [{ var: 'dept' }, { var: 'user.departments' }] } }), loner, 'orders', orders)).toEqual(MATCH_NONE);
    expect(scopeFilter(cond({ '!': { in: [{ var: 'user.departments' }, { var: 'dept' }] } }), loner, 'orders', orders)).toEqual(MATCH_NONE);
    // with departments, the negation works as usual
    expect(reach(cond({ '!': { in: [{ var: 'dept' }, { var: 'user.departments' }] } }), una)).toEqual(['r3', 'r4', 'r5', 'r6']);
  });

  it('"user.id in members" reaches records that list the user among several members', () => {
    const scope = cond({ in: [{ var: 'user.id' }, { var: 'members' }] });
    expect(scopeFilter(scope, una, 'orders', orders)).toEqual({ kind: 'has', path: data('members', 'array'), mode: 'any', values: ['u1'] });
    expect(reach(scope, una)).toEqual(['r1', 'r4']);
  });

  it('"user.id in owner" on a single member field reaches records the user owns', () => {
    expect(reach(cond({ in: [{ var: 'user.id' }, { var: 'owner' }] }), una)).toEqual(['r1']);
  });

  it('"and", "or" and "!" combine conditions', () => {
    expect(reach(cond({ and: [eastCmp, { '>': [{ var: 'amount' }, 60] }] }), una)).toEqual(['r4']);
    expect(reach(cond({ or: [eastCmp, { '>': [{ var: 'amount' }, 200] }] }), una)).toEqual(['r1', 'r3', 'r4']);
    expect(reach(cond({ '!': eastCmp }), una)).toEqual(['r2', 'r3', 'r5', 'r6']);
    expect(reach(cond({ '!': [eastCmp] }), una)).toEqual(['r2', 'r3', 'r5', 'r6']);
  });

  it('an internal user (no partner) reaches nothing through a "user.partner" condition, never everything', () => {
    expect(scopeFilter(cond(partnerCmp), una, 'orders', orders)).toEqual(MATCH_NONE);
    expect(scopeFilter(cond({ '!=': [{ var: 'supplier' }, { var: 'user.partner' }] }), una, 'orders', orders)).toEqual(MATCH_NONE);
    expect(scopeFilter(cond({ in: [{ var: 'user.partner' }, { var: 'backups' }] }), una, 'orders', orders)).toEqual(MATCH_NONE);
  });

  it('negating a "user.partner" condition of an internal user still reaches nothing', () => {
    expect(scopeFilter(cond({ '!': partnerCmp }), una, 'orders', orders)).toEqual(MATCH_NONE);
    expect(scopeFilter(cond({ '!': { '!': partnerCmp } }), una, 'orders', orders)).toEqual(MATCH_NONE);
    expect(scopeFilter(cond({ '!': { and: [partnerCmp, eastCmp] } }), una, 'orders', orders)).toEqual(MATCH_NONE);
  });

  it('negating an "or" that holds an empty user value reaches nothing, rather than "not the other part"', () => {
    // !(supplier = my partner or east) would otherwise become "not east" for an internal user
    expect(scopeFilter(cond({ '!': { or: [partnerCmp, eastCmp] } }), una, 'orders', orders)).toEqual(MATCH_NONE);
    expect(reach(cond({ '!': { or: [eastCmp, { and: [partnerCmp] }] } }), una)).toEqual([]);
  });

  it('outside a negation, an empty user value drops out of an "or" and empties an "and"', () => {
    expect(reach(cond({ or: [partnerCmp, eastCmp] }), una)).toEqual(['r1', 'r4']);
    expect(reach(cond({ '!': { '!': { or: [partnerCmp, eastCmp] } } }), una)).toEqual(['r1', 'r4']);
    expect(scopeFilter(cond({ and: [partnerCmp, eastCmp] }), una, 'orders', orders)).toEqual(MATCH_NONE);
    expect(scopeFilter(cond({ or: [partnerCmp] }), una, 'orders', orders)).toEqual(MATCH_NONE);
  });

  it('a condition naming a field the form no longer has reaches nothing instead of failing', () => {
    const scope = cond({ or: [eastCmp, { '==': [{ var: 'discount' }, 5] }] });
    expect(() => scopeFilter(scope, una, 'orders', orders)).not.toThrow();
    expect(scopeFilter(scope, una, 'orders', orders)).toEqual(MATCH_NONE);
  });

  it('a condition outside the subset reaches nothing at runtime', () => {
    expect(scopeFilter(cond({ '+': [1, 2] }), una, 'orders', orders)).toEqual(MATCH_NONE);
    expect(scopeFilter(cond({ '==': [{ var: 'amount' }, 'lots'] }), una, 'orders', orders)).toEqual(MATCH_NONE);
    expect(scopeFilter(cond('east'), una, 'orders', orders)).toEqual(MATCH_NONE);
  });
});

describe('checkScopeCondition', () => {
  it('accepts the documented shapes', () => {
    for (const logic of [
      partnerCmp,
      { '<': [100, { var: 'amount' }] },
      { in: [{ var: 'region' }, ['east', 'west']] },
      { in: [{ var: 'dept' }, { var: 'user.departments' }] },
      { in: [{ var: 'dept' }, { var: 'user.departmentTree' }] },
      { in: [{ var: 'user.id' }, { var: 'members' }] },
      { in: [{ var: 'user.partner' }, { var: 'backups' }] },
      { '==': [{ var: 'createdBy' }, { var: 'user.id' }] },
      { '==': [{ var: 'supplier' }, null] },
      { and: [eastCmp, { or: [{ '!': partnerCmp }, { '>=': [{ var: 'amount' }, 10] }] }] },
    ]) {
      expect(() => checkScopeCondition(logic, orders), JSON.stringify(logic)).not.toThrow();
    }
  });

  it('refuses operators outside the subset, naming the operator', () => {
    rejects({ '+': [{ var: 'amount' }, 1] }, /operator "\+" is not available in scopes/);
    rejects({ var: 'amount' }, /operator "var" is not available/);
    rejects({ some: [{ var: 'members' }, { '==': [{ var: '' }, 'u1'] }] }, /operator "some"/);
  });

  it('refuses inherited object keys as operators with the same clear message', () => {
    rejects({ toString: [{ var: 'amount' }, 1] }, /operator "toString" is not available/);
    rejects({ hasOwnProperty: [{ var: 'amount' }, 1] }, /operator "hasOwnProperty" is not available/);
    rejects(JSON.parse('{"__proto__": [{"var": "amount"}, 1]}'), /operator "__proto__" is not available/);
  });

  it('refuses nested paths and unknown user values', () => {
    rejects({ '==': [{ var: 'supplier.city' }, 'Paris'] }, /"supplier\.city" is not a top-level field/);
    rejects({ '==': [{ var: 'owner' }, { var: 'user.email' }] }, /unknown user value "user\.email"/);
    rejects({ '==': [{ var: 'owner' }, { var: 'user.partner.formId' }] }, /unknown user value/);
  });

  it('refuses comparisons that are not a field against a value', () => {
    rejects({ '==': [{ var: 'amount' }, { var: 'region' }] }, /compares a field with a value/);
    rejects({ '==': [1, 1] }, /compares a field with a value/);
    rejects({ '==': [{ var: 'user.id' }, { var: 'user.id' }] }, /compares a field with a value/);
    rejects({ '==': [{ var: 'amount' }] }, /compares exactly two values/);
    rejects({ '==': [{ var: 'region' }, ['east', 'west']] }, /use "in" for a list/);
    // the user's departments are a list too, also when checked without a user
    rejects({ '==': [{ var: 'dept' }, { var: 'user.departments' }] }, /use "in" for a list/);
    rejects({ '==': [{ var: 'amount' }, { '+': [1, 2] }] }, /takes a field, a user value or a constant/);
    // ordering against null has no meaning in the query language
    rejects({ '<': [{ var: 'amount' }, null] }, /A value is required for "amount"/);
  });

  it('refuses "in" without a list or without a field', () => {
    rejects({ in: [{ var: 'region' }, 'east'] }, /takes a list second/);
    rejects({ in: ['east', ['east']] }, /takes a field and a value/);
    rejects({ in: [{ var: 'region' }] }, /takes \[value, list\]/);
  });

  it('refuses malformed structure', () => {
    rejects('own', /each part is one operation/);
    rejects({ '==': [{ var: 'region' }, 'east'], '!=': [{ var: 'region' }, 'west'] }, /each part is one operation/);
    rejects({ and: [] }, /"and" takes 1 to 50 parts/);
    rejects({ '!': [eastCmp, eastCmp] }, /"!" takes one part/);
    let deep: unknown = eastCmp;
    for (let i = 0; i < 8; i++) deep = { '!': deep };
    rejects(deep, /^Scope condition: nested deeper than 8 levels/);
  });

  it('refuses a field the form does not have, or a value the field cannot take', () => {
    rejects({ '==': [{ var: 'discount' }, 5] }, /Unknown field "discount"/);
    rejects({ '==': [{ var: 'amount' }, 'lots'] }, /"amount" needs a number/);
    rejects({ '==': [{ var: 'amount' }, { var: 'user.id' }] }, /"amount" needs a number/);
    rejects({ '<': [{ var: 'region' }, 'east'] }, /Operator "lt" does not apply to field "region"/);
  });
});

describe('external users', () => {
  it('a supplier user reaches only order records linked to their own supplier, or their own', () => {
    expect(reach('all', xavier)).toEqual(['r1', 'r2', 'r5']);
    expect(scopeFilter('all', xavier, 'orders', orders)).toEqual({
      kind: 'or',
      items: [
        { kind: 'cmp', path: createdBy, op: 'eq', value: 'x9' },
        { kind: 'cmp', path: data('supplier', 'ref'), op: 'eq', value: 's1' },
        { kind: 'has', path: data('backups', 'array'), mode: 'any', values: ['s1'] },
      ],
    });
  });

  it('a user of another supplier reaches that supplier\'s records instead', () => {
    const yuri: Principal = { ...xavier, id: 'y1', partner: { formId: 'suppliers', recordId: 's2' } };
    expect(reach('all', yuri)).toEqual(['r2', 'r3']);
  });

  it('on the partner form itself, a supplier user reaches their own supplier record and records they created', () => {
    expect(reach('all', xavier, 'suppliers', suppliers, supplierRecords)).toEqual(['s1', 's3']);
  });

  it('on a form that does not link to the partner form, a supplier user reaches only their own records', () => {
    const notes: FormDefinition = { name: 'Notes', fields: [{ key: 'customer', type: 'link', label: 'Customer', form: 'customers' }] };
    expect(scopeFilter('all', xavier, 'notes', notes)).toEqual({ kind: 'cmp', path: createdBy, op: 'eq', value: 'x9' });
    expect(reach('all', xavier, 'notes', notes)).toEqual(['r5']);
  });

  it('every scope of an external user is narrowed to their partner', () => {
    expect(reach('own', xavier)).toEqual(['r5']);
    expect(reach('department', { ...xavier, departmentPeers: ['u2'] })).toEqual(['r2', 'r5']);
    expect(reach(cond({ '>': [{ var: 'amount' }, 100] }), xavier)).toEqual(['r2']);
    expect(reach(cond({ '!': eastCmp }), xavier)).toEqual(['r2', 'r5']);
  });

  it('a "user.partner" condition reaches the records of the external user\'s partner', () => {
    expect(reach(cond(partnerCmp), xavier)).toEqual(['r1', 'r5']);
    expect(reach(cond({ in: [{ var: 'user.partner' }, { var: 'backups' }] }), xavier)).toEqual(['r2']);
  });

  it('a broken condition of an external user reaches nothing, not their partner\'s records', () => {
    expect(scopeFilter(cond({ '==': [{ var: 'discount' }, 5] }), xavier, 'orders', orders)).toEqual(MATCH_NONE);
  });

  it('partnerFilter of a user without a partner is their own records', () => {
    expect(partnerFilter(una, 'orders', orders)).toEqual({ kind: 'cmp', path: createdBy, op: 'eq', value: 'u1' });
  });
});
