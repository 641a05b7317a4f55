import { describe, expect, it } from 'vitest';
import { allResolved, shortValue } from './pack-upgrade';

describe('the upgrade screen helpers', () => {
  it('shows a conflict value in one short line', () => {
    expect(shortValue(undefined)).toBe('—');
    expect(shortValue('Company name')).toBe('Company name');
    expect(shortValue({ en: 'A', zh: 'B' })).toBe('{"en":"A","zh":"B"}');
    const long = shortValue('x'.repeat(500));
    expect(long).toHaveLength(118);
    expect(long.endsWith('…')).toBe(true);
  });

  it('allows the upgrade only once every conflict has a choice', () => {
    const conflicts = [{ path: 'a' }, { path: 'b' }];
    expect(allResolved([], {})).toBe(true);
    expect(allResolved(conflicts, { a: 'mine' })).toBe(false);
    expect(allResolved(conflicts, { a: 'mine', b: 'theirs' })).toBe(true);
  });
});
