import { describe, expect, it } from 'vitest';
import { regexRisk } from './safe-regex.js';

describe('regexRisk', () => {
  it('accepts the patterns admins write for codes, phones and postcodes', () => {
    for (const p of ['^[A-Z]{2}-\\d{4}$', '^\\+?[0-9][0-9 ()-]{2,24}$', '^\\d{6}$', '^(SO|PO)-\\d+$', '^[a-z]+(-[a-z]{2})?$', '^(abc)+$', '^(\\d{3})-(\\d{4})$', '^[(+)]+$']) {
      expect(regexRisk(p), p).toBeNull();
    }
  });

  it('refuses nested repetition, repeated alternations and backreferences', () => {
    for (const p of ['(a+)+$', '^(a*)*$', '(a|aa)+', '^(\\w+\\s?)*$', '((ab)*c)+', '(a{1,3}){2,}', '(.)\\1', '(?<x>a)\\k<x>']) {
      expect(regexRisk(p), p).not.toBeNull();
    }
  });
});
