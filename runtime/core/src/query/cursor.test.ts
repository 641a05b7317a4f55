import { describe, expect, it } from 'vitest';
import { TrellisError } from '../errors.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import type { NormSort } from './normalized.js';

const sort: NormSort[] = [
  { path: { source: 'data', key: 'amount', storage: 'number' }, dir: 'desc' },
  { path: { source: 'data', key: 'title', storage: 'text' }, dir: 'asc' },
  { path: { source: 'system', column: 'createdAt', storage: 'datetime' }, dir: 'desc' },
];
const record = { id: 'r_1', createdAt: '2026-11-27T10:00:00.000Z', data: { amount: 12.5, title: '采购 申请 ✓' } };

function invalid(cursor: string, s: NormSort[] = sort): void {
  try {
    decodeCursor(cursor, s);
    expect.unreachable(`accepted ${cursor}`);
  } catch (e) {
    expect(e).toBeInstanceOf(TrellisError);
    expect((e as TrellisError).code).toBe('INVALID_QUERY');
  }
}

const b64url = (json: string) => btoa(json).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

describe('cursor', () => {
  it('round-trips values, unicode and the id', () => {
    const c = encodeCursor(sort, record);
    expect(c).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(c, sort)).toEqual({ values: [12.5, '采购 申请 ✓', '2026-11-27T10:00:00.000Z'], id: 'r_1' });
  });

  it('writes null for missing and non-scalar values', () => {
    const c = encodeCursor(sort, { id: 'r_2', data: { title: { $gt: '' } } });
    expect(decodeCursor(c, sort)).toEqual({ values: [null, null, null], id: 'r_2' });
  });

  it('decodes against a sort with no keys', () => {
    expect(decodeCursor(encodeCursor([], record), [])).toEqual({ values: [], id: 'r_1' });
  });

  it('rejects malformed cursors', () => {
    invalid('');
    invalid('!!!!');
    invalid('a');
    invalid('x'.repeat(5000));
    invalid(b64url('not json'));
    invalid(b64url('{"a":1}'));
    invalid(b64url('[1,"x","2026-01-01T00:00:00.000Z"]')); // no id
    invalid(b64url('[1,"x","2026-01-01T00:00:00.000Z",5]')); // id not a string
    invalid(b64url('[1,"x","2026-01-01T00:00:00.000Z",""]'));
    invalid(b64url('["1","x","2026-01-01T00:00:00.000Z","r"]')); // text where a number sorts
    invalid(b64url('[{"$gt":""},"x",null,"r"]'));
    invalid(b64url('[1,["x"],null,"r"]'));
    invalid(encodeCursor(sort.slice(0, 2), record)); // cursor of another sort
    invalid('_-8'); // invalid UTF-8 bytes
  });
});
