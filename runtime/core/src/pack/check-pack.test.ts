import { describe, expect, it } from 'vitest';
import { getAjv } from '../engine/validate.js';
import { PackSchema } from '../schema/pack.js';
import { checkPack } from './check-pack.js';
import { miniPack } from './mini-pack.fixture.js';

describe('checkPack', () => {
  it('accepts a pack whose names all resolve', () => {
    expect(checkPack(miniPack())).toEqual([]);
  });

  it('reports schema errors with their path and stops there', () => {
    const pack = miniPack() as unknown as { manifest: { version: string } };
    pack.manifest.version = 'one';
    const problems = checkPack(pack);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ path: 'manifest.version', code: 'schema' });
  });

  it('reports a bad definition inside the pack by its path in the pack', () => {
    const pack = miniPack() as unknown as { forms: { definition: { fields: { type: string }[] } }[]; dashboards: { definition: { widgets: { type: string }[] } }[] };
    pack.forms[1]!.definition.fields[2]!.type = 'bogus';
    pack.dashboards[0]!.definition.widgets[0]!.type = 'gauge';
    const paths = checkPack(pack).map((p) => p.path);
    expect(paths).toContain('forms[1].definition.fields[2].type');
    expect(paths).toContain('dashboards[0].definition.widgets[0].type');
  });

  it('agrees with the published pack JSON Schema', () => {
    const validate = getAjv().compile(PackSchema);
    expect(validate(miniPack())).toBe(true);
    const bad = miniPack() as unknown as { forms: { definition: { fields: { type: string }[] } }[] };
    bad.forms[0]!.definition.fields[0]!.type = 'bogus';
    expect(validate(bad)).toBe(false);
  });

  it('names every form, role and record key that is not in the pack', () => {
    const pack = miniPack();
    pack.forms[1]!.definition.fields[0]!.form = 'client';
    pack.workflows!.order!.nodes[1] = { id: 'boss', type: 'approval', mode: 'any', assignees: [{ type: 'role', role: 'chief' }] };
    pack.dashboards![0]!.definition.widgets[0]!.form = 'orders';
    pack.roles![0]!.forms = { nothing: { actions: ['view'] } };
    pack.records!.order![0]!.data.lines = [{ ref: 'initech' }];
    const paths = checkPack(pack).map((p) => p.path);
    expect(paths).toContain('forms[1].definition.fields[0].form');
    expect(paths).toContain('workflows.order.nodes.boss');
    expect(paths).toContain('dashboards[0].definition.widgets[0].form');
    expect(paths).toContain('roles[0].forms.nothing');
    expect(paths).toContain('records.order[0].data.lines[0].ref');
  });

  it('reports keys used twice and the form checks of each form', () => {
    const pack = miniPack();
    pack.forms.push({ key: 'customer', definition: { name: 'Again', fields: [{ key: 'id', type: 'text', label: 'Id' }] } });
    const problems = checkPack(pack);
    expect(problems).toContainEqual(expect.objectContaining({ path: 'forms[2].key', code: 'duplicateKey' }));
    expect(problems).toContainEqual(expect.objectContaining({ path: 'forms[2].definition.fields[0].key', code: 'reservedKey' }));
  });
});
