import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readConfig } from './config.js';

describe('readConfig', () => {
  it('runs on the embedded defaults with nothing set', () => {
    const c = readConfig({});
    expect(c).toMatchObject({ port: 3000, host: '127.0.0.1', mongoUrl: null, redisUrl: null, registryUrl: null, registryToken: null, pdfFont: null, workers: true });
  });

  it('takes the business registry without a trailing slash, and refuses what is not an http(s) URL', () => {
    expect(readConfig({ TRELLIS_REGISTRY_URL: 'https://registry.example.com/v1/', TRELLIS_REGISTRY_TOKEN: 't0ken' })).toMatchObject({ registryUrl: 'https://registry.example.com/v1', registryToken: 't0ken' });
    expect(() => readConfig({ TRELLIS_REGISTRY_URL: 'registry.example.com' })).toThrow(/TRELLIS_REGISTRY_URL must be an http\(s\) URL/);
    expect(() => readConfig({ TRELLIS_REGISTRY_URL: 'file:///etc/passwd' })).toThrow(/TRELLIS_REGISTRY_URL/);
  });

  it('refuses a PDF font file that does not exist, at start rather than at the first PDF', () => {
    expect(() => readConfig({ TRELLIS_PDF_FONT: '/no/such/font.ttf' })).toThrow('TRELLIS_PDF_FONT names no file: "/no/such/font.ttf"');
    expect(readConfig({ TRELLIS_PDF_FONT: new URL(import.meta.url).pathname }).pdfFont).toBe(new URL(import.meta.url).pathname);
  });

  it('reads extra pack folders separated like PATH, as absolute paths', () => {
    expect(readConfig({}).packDirs).toEqual([]);
    expect(readConfig({ TRELLIS_PACKS_DIR: ['/srv/packs', 'more-packs', ''].join(path.delimiter) }).packDirs).toEqual(['/srv/packs', path.resolve('more-packs')]);
  });

  it('reads dates in TRELLIS_TIME_ZONE, by default the system\'s, and refuses a zone that does not exist', () => {
    expect(readConfig({ TRELLIS_TIME_ZONE: 'Asia/Shanghai' }).timeZone).toBe('Asia/Shanghai');
    expect(readConfig({}).timeZone).toBe(Intl.DateTimeFormat().resolvedOptions().timeZone);
    expect(() => readConfig({ TRELLIS_TIME_ZONE: 'Mars/Olympus' })).toThrow('TRELLIS_TIME_ZONE must be an IANA time zone such as Asia/Shanghai or UTC, not "Mars/Olympus"');
  });

  it('names the variable and the bad value of a malformed number', () => {
    expect(() => readConfig({ PORT: 'eighty' })).toThrow('PORT must be a port number, not "eighty"');
    expect(() => readConfig({ TRELLIS_MAX_IMPORT_BYTES: '0' })).toThrow(/TRELLIS_MAX_IMPORT_BYTES must be a whole number/);
  });
});
