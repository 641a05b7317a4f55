import { describe, expect, it } from 'vitest';
import { isTrellisError } from '../errors.js';
import type { FormDefinition } from '../schema/form.js';
import type { Logic } from '../schema/logic.js';
import { assertFormDefinition, checkFormDefinition } from './check-definition.js';
import { purchaseForm } from './purchase-form.fixture.js';

const codes = (def: FormDefinition) => checkFormDefinition(def).map((p) => `${p.path}:${p.code}`);

describe('checkFormDefinition', () => {
  it('accepts a form using every field type', () => {
    expect(checkFormDefinition(purchaseForm())).toEqual([]);
  });

  it('reports a bad shape before anything else', () => {
    const def = { name: 'x', fields: [{ key: '1bad', type: 'text', label: 'x' }] } as unknown as FormDefinition;
    expect(codes(def)).toEqual(['fields[0].key:schema']);
    expect(codes({ name: 'x', fields: [{ key: 'a', type: 'colour', label: 'x' }] } as unknown as FormDefinition)[0]).toMatch(/^fields\[0\]\.type/);
  });

  it('finds duplicate and reserved keys, also inside a sub-table', () => {
    const def: FormDefinition = {
      name: 'x',
      fields: [
        { key: 'a', type: 'text', label: 'A' },
        { key: 'a', type: 'number', label: 'A2' },
        { key: 'createdAt', type: 'date', label: 'C' },
        { key: 'lines', type: 'subtable', label: 'L', fields: [
          { key: 'q', type: 'number', label: 'Q' }, { key: 'q', type: 'text', label: 'Q2' }, { key: 'status', type: 'text', label: 'S' },
          { key: 'inner', type: 'subtable', label: 'I' },
        ] },
      ],
    };
    expect(codes(def)).toEqual([
      'fields[1].key:duplicateKey',
      'fields[2].key:reservedKey',
      'fields[3].fields[1].key:duplicateKey',
      'fields[3].fields[2].key:reservedKey',
      'fields[3].fields[3].type:nestedSubtable',
    ]);
  });

  it('runs the per-type checks and checks defaults against the field', () => {
    const def: FormDefinition = {
      name: 'x',
      fields: [
        { key: 's', type: 'select', label: 'S' },
        { key: 'n', type: 'number', label: 'N', min: 5, max: 1 },
        { key: 'no', type: 'serial', label: 'No', pattern: 'PR-{nope}' },
        { key: 'c', type: 'select', label: 'C', options: ['a'], default: 'b' },
      ],
    };
    const problems = checkFormDefinition(def);
    expect([...new Set(problems.map((p) => `${p.path}:${p.code}`))]).toEqual(['fields[0]:invalidField', 'fields[1]:invalidField', 'fields[2]:invalidField', 'fields[3].default:invalidDefault']);
    expect(problems[0]!.message).toContain('needs options');
  });

  it('finds rules naming missing fields and bad logic', () => {
    const def = purchaseForm();
    def.rules = [
      { field: 'ghost', visible: true },
      { field: 'title', visible: { '>': [{ var: 'nosuch' }, 1] } },
      { field: 'title', required: { method: ['x', 'constructor'] } as never },
      { field: 'title', options: ['a'] as unknown as Logic },
      { field: 'amount', visible: { '==': [{ var: '$user.id' }, 'u1'] }, default: { var: '$today' } },
    ];
    const problems = checkFormDefinition(def);
    expect(problems.map((p) => `${p.path}:${p.code}`).sort()).toEqual([
      'rules[0].field:unknownField',
      'rules[1].visible:invalidLogic',
      'rules[2].required:invalidLogic',
      'rules[3].options:invalidRule',
    ]);
    expect(problems.find((p) => p.path === 'rules[1].visible')!.message).toContain('nosuch');
  });

  it('checks formulas: known variables, row scope with $parent, and cycles', () => {
    const def: FormDefinition = {
      name: 'x',
      fields: [
        { key: 'a', type: 'formula', label: 'A', formula: { '+': [{ var: 'b' }, 1] } },
        { key: 'b', type: 'formula', label: 'B', formula: { '*': [{ var: 'a' }, 2] } },
        { key: 'c', type: 'formula', label: 'C', formula: { var: 'a' } },
        { key: 'ok', type: 'formula', label: 'OK', formula: { sumOf: [{ var: 'lines' }, 'qty'] } as unknown as Logic },
        { key: 'lines', type: 'subtable', label: 'L', fields: [
          { key: 'qty', type: 'number', label: 'Q' },
          { key: 't', type: 'formula', label: 'T', formula: { '*': [{ var: 'qty' }, { var: '$parent.rate' }] } },
          { key: 'bad', type: 'formula', label: 'Bad', formula: { var: 'rate' } },
        ] },
        { key: 'rate', type: 'number', label: 'R' },
      ],
    };
    expect(codes(def).sort()).toEqual([
      'fields[0].formula:formulaCycle',
      'fields[1].formula:formulaCycle',
      'fields[2].formula:formulaCycle',
      'fields[4].fields[2].formula:invalidLogic',
    ]);
  });

  it('checks lookups, titleField and the total size of logic', () => {
    const def: FormDefinition = {
      name: 'x',
      titleField: 'nope',
      fields: [
        { key: 't', type: 'text', label: 'T' },
        { key: 'l', type: 'lookup', label: 'L', link: 't', field: 'x' },
      ],
    };
    expect(codes(def)).toEqual(['fields[1].link:invalidLookup', 'titleField:unknownField']);
    const big = { cat: Array.from({ length: 150 }, () => 'x'.repeat(1000)) };
    const huge: FormDefinition = { name: 'x', fields: [{ key: 't', type: 'text', label: 'T' }], rules: Array.from({ length: 2 }, () => ({ field: 't', default: big })) };
    expect(codes(huge)).toContain(':logicTooLarge');
  });

  it('assertFormDefinition throws INVALID_DEFINITION with the problems', () => {
    const def: FormDefinition = { name: 'x', fields: [{ key: 'id', type: 'text', label: 'T' }] };
    try {
      assertFormDefinition(def);
      expect.unreachable();
    } catch (e) {
      expect(isTrellisError(e) && e.code).toBe('INVALID_DEFINITION');
      expect((e as { details: { problems: unknown[] } }).details.problems).toHaveLength(1);
    }
    expect(() => assertFormDefinition(purchaseForm())).not.toThrow();
  });
});
