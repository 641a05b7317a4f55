import { describe, expect, it } from 'vitest';
import { mergePack } from './merge.js';
import { miniPack } from './mini-pack.fixture.js';
import type { Field } from '../schema/form.js';

const field = (pack: ReturnType<typeof miniPack>, form: number, key: string): Field => pack.forms[form]!.definition.fields.find((f) => f.key === key)!;

describe('mergePack', () => {
  it('keeps the admin edit and brings in the pack change', () => {
    const base = miniPack();
    const mine = miniPack();
    mine.forms[0]!.definition.fields.push({ key: 'vip', type: 'checkbox', label: 'VIP' }); // admin adds a field
    field(mine, 0, 'name').label = 'Company';
    const theirs = miniPack();
    theirs.manifest.version = '1.1.0';
    field(theirs, 0, 'region').options = ['north', 'south', 'west']; // the pack adds a region
    theirs.forms.push({ key: 'invoice', definition: { name: 'Invoice', fields: [{ key: 'no', type: 'text', label: 'No.' }] } });

    const { merged, conflicts, changes } = mergePack(base, mine, theirs);
    expect(conflicts).toEqual([]);
    expect(merged.manifest.version).toBe('1.1.0');
    expect(merged.forms.map((f) => f.key)).toEqual(['customer', 'order', 'invoice']);
    expect(merged.forms[0]!.definition.fields.map((f) => f.key)).toEqual(['name', 'region', 'vip']);
    expect(field(merged, 0, 'name').label).toBe('Company');
    expect(field(merged, 0, 'region').options).toEqual(['north', 'south', 'west']);
    expect(changes).toEqual(expect.arrayContaining([
      { path: 'forms[customer].definition.fields[region].options[west]', op: 'add' },
      { path: 'forms[invoice]', op: 'add' },
    ]));
    expect(changes.some((c) => c.path.includes('[vip]') || c.path.endsWith('[name].label'))).toBe(false);
    expect(merged.records).toBeUndefined();
  });

  it('lists the same value changed differently on both sides as a conflict, decided by a resolution', () => {
    const base = miniPack();
    const mine = miniPack();
    field(mine, 1, 'amount').label = 'Total (admin)';
    const theirs = miniPack();
    field(theirs, 1, 'amount').label = 'Amount due';
    const path = 'forms[order].definition.fields[amount].label';

    const open = mergePack(base, mine, theirs);
    expect(open.conflicts).toEqual([{ path, base: 'Amount', mine: 'Total (admin)', theirs: 'Amount due' }]);
    expect(field(open.merged, 1, 'amount').label).toBe('Total (admin)');

    expect(field(mergePack(base, mine, theirs, { [path]: 'theirs' }).merged, 1, 'amount').label).toBe('Amount due');
    const kept = mergePack(base, mine, theirs, { [path]: 'mine' });
    expect(kept.conflicts).toEqual([]);
    expect(field(kept.merged, 1, 'amount').label).toBe('Total (admin)');
  });

  it('treats a deletion on one side of what the other side changed as a conflict', () => {
    const base = miniPack();
    const mine = miniPack();
    mine.dashboards = []; // the admin deleted the dashboard
    const theirs = miniPack();
    theirs.dashboards![0]!.definition.name = 'Sales figures';
    const { conflicts } = mergePack(base, mine, theirs);
    expect(conflicts).toHaveLength(1);
    expect(conflicts[0]).toMatchObject({ path: 'dashboards[sales]', mine: undefined });
    expect(mergePack(base, mine, theirs, { 'dashboards[sales]': 'mine' }).merged.dashboards).toEqual([]);
  });

  it('combines options both sides added', () => {
    const base = miniPack();
    const mine = miniPack();
    field(mine, 0, 'region').options = ['north', 'south', 'east'];
    const theirs = miniPack();
    field(theirs, 0, 'region').options = ['north', 'west', 'south'];
    const { merged, conflicts } = mergePack(base, mine, theirs);
    expect(conflicts).toEqual([]);
    expect(field(merged, 0, 'region').options).toEqual(['north', 'west', 'south', 'east']);
  });

  it('merges workflow nodes by id and takes a deletion nobody else touched', () => {
    const base = miniPack();
    const mine = miniPack();
    mine.workflows!.order!.nodes[1] = { id: 'boss', type: 'approval', mode: 'all', assignees: [{ type: 'role', role: 'manager' }] };
    const theirs = miniPack();
    theirs.roles!.push({ key: 'clerk', name: 'Clerk' });
    theirs.forms[1]!.definition.fields = theirs.forms[1]!.definition.fields.filter((f) => f.key !== 'lines');
    const { merged, conflicts } = mergePack(base, mine, theirs);
    expect(conflicts).toEqual([]);
    expect(merged.workflows!.order!.nodes[1]).toMatchObject({ mode: 'all' });
    expect(merged.roles!.map((r) => r.key)).toEqual(['manager', 'clerk']);
    expect(merged.forms[1]!.definition.fields.map((f) => f.key)).toEqual(['customer', 'region', 'amount']);
  });
});
