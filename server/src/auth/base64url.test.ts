import { describe, expect, it } from 'vitest';
import { decodeBase64Url } from './base64url.js';

describe('decodeBase64Url', () => {
  it('decodes what Buffer encodes', () => {
    const bytes = Buffer.from([0, 1, 2, 250, 251, 252, 253, 254, 255]);
    for (let n = 0; n <= bytes.length; n++) {
      const slice = bytes.subarray(0, n);
      expect(decodeBase64Url(slice.toString('base64url'))).toEqual(slice);
    }
  });

  it('refuses characters outside the url-safe alphabet, padding and whitespace', () => {
    for (const text of ['a+bc', 'a/bc', 'AQ==', 'AQ=', ' AQ', 'AQ\n', 'A.Q', 'ÄQ']) expect(decodeBase64Url(text)).toBeNull();
  });

  it('refuses spellings that are not canonical', () => {
    expect(decodeBase64Url('AQ')).toEqual(Buffer.from([1]));
    // 'AR' carries the same byte as 'AQ' plus stray low bits.
    expect(decodeBase64Url('AR')).toBeNull();
    // A lone sixth character cannot end a base64 string.
    expect(decodeBase64Url('AQIDB')).toBeNull();
  });

  it('refuses values that are not strings', () => {
    expect(decodeBase64Url(undefined as unknown as string)).toBeNull();
    expect(decodeBase64Url(42 as unknown as string)).toBeNull();
  });
});
