import { describe, expect, it } from 'vitest';
import { fillMessage, messageFieldKeys } from './message.js';

describe('notification messages', () => {
  it('names the fields a message refers to', () => {
    expect(messageFieldKeys('Follow up {customer} by {due_on}; {customer} again, not {1x} or { gap }')).toEqual(['customer', 'due_on', 'customer']);
  });

  it('fills each language with the record values; lists joined, unknown names left as written', () => {
    expect(fillMessage({ en: 'Ship {qty} of {sku} to {sites} {nope}', zh: '发货 {sku} 共 {qty}' }, { qty: 12, sku: 'A-1', sites: ['Pudong', 'Minhang'] }))
      .toEqual({ en: 'Ship 12 of A-1 to Pudong, Minhang {nope}', zh: '发货 A-1 共 12' });
    expect(fillMessage('Empty: [{note}] [{flag}] [{obj}]', { note: null, flag: false, obj: { a: 1 } })).toBe('Empty: [] [false] []');
  });
});
