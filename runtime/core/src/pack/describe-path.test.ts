import { describe, expect, it } from 'vitest';
import { describePackPath, parsePackPath } from './describe-path.js';
import { mergePack } from './merge.js';
import { miniPack } from './mini-pack.fixture.js';

describe('describePackPath', () => {
  const pack = miniPack();
  pack.forms[0]!.definition.name = { en: 'Customer', zh: '客户' };
  pack.forms[0]!.definition.fields[0]!.label = { en: 'Company name', zh: '公司名称' };
  pack.workflows!.order!.nodes[1]!.name = { en: 'Boss approves', zh: '老板审批' };

  it('reads a field label in both languages', () => {
    expect(describePackPath('forms[customer].definition.fields[name].label.en', [pack])).toEqual({
      en: 'form “Customer” › field “Company name” › label (English)',
      zh: '表单「客户」 › 字段「公司名称」 › 标题（英文）',
    });
  });

  it('names forms, options, steps, connections, dashboards, widgets, roles and their grants', () => {
    const en = (path: string) => describePackPath(path, [pack]).en;
    expect(en('forms[invoice]')).toBe('form “invoice”');
    expect(en('forms[customer].definition.fields[region].options[west]')).toBe('form “Customer” › field “Region” › option “west”');
    expect(en('forms[order].definition.fields[lines].fields[ref].form')).toBe('form “Order” › field “Lines” › field “Ref” › form');
    expect(en('forms[order].definition.rules[amount].fill')).toBe('form “Order” › rule of “amount” › fill');
    expect(en('workflows.order.nodes[boss].assignees')).toBe('workflow of “Order” › step “Boss approves” › assignees');
    expect(en('workflows.order.edges[boss>copy]')).toBe('workflow of “Order” › connection Boss approves → copy');
    expect(en('dashboards[sales].definition.widgets[total].title')).toBe('dashboard “Sales” › widget “Total” › title');
    expect(en('roles[manager].forms.order.actions')).toBe('role “Manager” › permissions on form “Order” › actions');
    expect(en('printTemplates.order')).toBe('print templates of “Order”');
  });

  it('names an item one side removed from the side that still has it', () => {
    const theirs = miniPack();
    theirs.forms[0]!.definition.fields = theirs.forms[0]!.definition.fields.filter((f) => f.key !== 'region');
    expect(describePackPath('forms[customer].definition.fields[region]', [theirs, pack]).en).toBe('form “Customer” › field “Region”');
  });

  it('names every change and conflict of a real merge', () => {
    const base = miniPack();
    const mine = miniPack();
    mine.forms[1]!.definition.fields[2]!.label = 'Total (admin)';
    const theirs = miniPack();
    theirs.forms[1]!.definition.fields[2]!.label = 'Amount due';
    theirs.forms[0]!.definition.fields[1]!.options = ['north', 'south', 'west'];
    const { merged, conflicts, changes } = mergePack(base, mine, theirs);
    const words = [...changes, ...conflicts].map((c) => describePackPath(c.path, [merged, mine, theirs]).en);
    expect(words).toEqual(expect.arrayContaining(['form “Customer” › field “Region” › option “west”', 'form “Order” › field “Total (admin)” › label']));
  });

  it('gives the path itself back when it does not parse', () => {
    expect(parsePackPath('forms[customer')).toBeNull();
    expect(describePackPath('forms[customer', [pack])).toEqual({ en: 'forms[customer', zh: 'forms[customer' });
    expect(describePackPath('', [pack])).toEqual({ en: '', zh: '' });
  });
});
