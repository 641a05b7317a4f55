import { describe, expect, it } from 'vitest';
import { invertTable, localisePack, remapPack, type RekeyTable } from './rekey.js';
import { miniPack } from './mini-pack.fixture.js';

const table: RekeyTable = {
  forms: { customer: 'F1', order: 'F2' },
  roles: { manager: 'R1' },
  dashboards: { sales: 'D1' },
  records: { customer: { acme: 'C1' }, order: { o1: 'O1' } },
};

describe('remapPack and localisePack', () => {
  it('points every reference at the new ids', () => {
    const ids = remapPack(miniPack(), table);
    expect(ids.forms.map((f) => f.key)).toEqual(['F1', 'F2']);
    const order = ids.forms[1]!.definition;
    expect(order.fields[0]!.form).toBe('F1');
    expect(order.fields[3]!.fields![0]!.form).toBe('F1');
    expect(order.rules![0]!.fill!.form).toBe('F1');
    expect(Object.keys(ids.workflows!)).toEqual(['F2']);
    const wf = ids.workflows!.F2!;
    expect(wf.nodes[1]).toMatchObject({ assignees: [{ type: 'role', role: 'R1' }] });
    expect(wf.nodes[2]).toMatchObject({ action: { form: 'F1' } });
    expect(ids.roles![0]).toMatchObject({ key: 'R1', forms: { F2: { actions: ['view', 'edit'] } } });
    expect(ids.dashboards![0]).toMatchObject({ key: 'D1', definition: { widgets: [{ form: 'F2' }] } });
    expect(ids.records!.F2![0]).toEqual({ key: 'O1', data: { customer: 'C1', amount: 10, lines: [{ ref: 'C1' }] } });
  });

  it('maps ids back to the same keys (a round trip is equal)', () => {
    const pack = miniPack();
    expect(localisePack(remapPack(pack, table), invertTable(table))).toEqual(pack);
  });

  it('leaves names missing from the table as they are', () => {
    const ids = remapPack(miniPack(), { forms: { order: 'F2' } });
    expect(ids.forms[1]!.definition.fields[0]!.form).toBe('customer');
    expect(ids.forms[0]!.key).toBe('customer');
  });
});
