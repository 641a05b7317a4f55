import { describe, expect, it } from 'vitest';
import {
  CONTRACT_CASES, FIXTURE_RECORDS, closeEnough, isoWeek, referenceAggregate, referenceFind,
} from './contract-fixtures.js';

describe('contract fixtures', () => {
  it('has unique ids and 40 records', () => {
    expect(new Set(FIXTURE_RECORDS.map((r) => r.id)).size).toBe(40);
  });

  it('has unique case names', () => {
    expect(new Set(CONTRACT_CASES.map((c) => c.name)).size).toBe(CONTRACT_CASES.length);
  });

  it('computes ISO weeks at year edges', () => {
    expect(isoWeek('2021-01-03')).toBe('2020-W53');
    expect(isoWeek('2024-12-30')).toBe('2025-W01');
    expect(isoWeek('2027-01-01')).toBe('2026-W53');
    expect(isoWeek('2026-01-05T10:00:00.000Z')).toBe('2026-W02');
  });

  // hand-listed expectations and the reference evaluator must agree, so a slip in either shows
  for (const c of CONTRACT_CASES.filter((x) => x.handListed)) {
    it(`hand-listed case agrees with the reference: ${c.name}`, () => {
      if (c.kind === 'list') {
        expect(referenceFind(FIXTURE_RECORDS, c.query).ids).toEqual(c.expectIds);
      } else {
        const ref = referenceAggregate(FIXTURE_RECORDS, c.query);
        expect(ref.map((r) => r.group)).toEqual(c.expectRows.map((r) => r.group));
        ref.forEach((row, i) => {
          const want = c.expectRows[i]!.values;
          expect(Object.keys(row.values).sort()).toEqual(Object.keys(want).sort());
          for (const k of Object.keys(want)) expect(closeEnough(row.values[k], want[k]), `${k}: ${row.values[k]} vs ${want[k]}`).toBe(true);
        });
      }
    });
  }
});
