// The server serves the built runtime (/app/) and designer (/designer/) as single-page apps.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';
import { ROOT } from '../support/process.js';

let h: Harness;
beforeAll(async () => {
  for (const p of ['runtime/app/dist/index.html', 'designer/dist/index.html']) {
    if (!existsSync(path.join(ROOT, p))) throw new Error(`${p} is missing: run "pnpm run build:web" (npm test does)`);
  }
  h = await startHarness();
});
afterAll(() => h?.close());

const raw = (url: string, headers: Record<string, string> = {}) => h.app.inject({ method: 'GET', url, headers });

describe('a browser opening Trellis', () => {
  it('lands on the runtime from /, and a deep link loads the app without signing in first', async () => {
    const root = await raw('/');
    expect(root.statusCode).toBe(302);
    expect(root.headers.location).toBe('/app/');
    for (const url of ['/app/', '/app/forms/f1/new', '/app/share/abc?x=1', '/designer/', '/designer/forms/f1/workflow']) {
      const r = await raw(url);
      expect(r.statusCode, url).toBe(200);
      expect(r.headers['content-type']).toMatch(/text\/html/);
      expect(r.headers['cache-control']).toBe('no-cache');
      expect(r.body).toContain('<div id="root"></div>');
    }
    expect((await raw('/app')).headers.location).toBe('/app/');
    // the `url` a share link is created with opens the runtime's share page
    expect((await raw('/share/tok_123')).headers.location).toBe('/app/share/tok_123');
  });

  it('gets hashed assets cached for a year, gzipped when it accepts gzip', async () => {
    const js = readdirSync(path.join(ROOT, 'runtime/app/dist/assets')).find((f) => f.endsWith('.js') && existsSync(path.join(ROOT, 'runtime/app/dist/assets', `${f}.gz`)))!;
    const plain = await raw(`/app/assets/${js}`);
    expect(plain.statusCode).toBe(200);
    expect(plain.headers['content-type']).toMatch(/javascript/);
    expect(plain.headers['cache-control']).toContain('immutable');
    expect(plain.headers['content-encoding']).toBeUndefined();
    const gz = await raw(`/app/assets/${js}`, { 'accept-encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gz.headers['content-type']).toMatch(/javascript/);
    expect(gunzipSync(gz.rawPayload).toString()).toBe(plain.body);
  });

  it('gets a 404 for a missing asset (never HTML for a script) and nothing outside the build', async () => {
    expect((await raw('/app/assets/nope.js')).statusCode).toBe(404);
    for (const url of ['/app/../../package.json', '/app/%2e%2e/%2e%2e/package.json', '/app/..%2f..%2fpackage.json']) {
      const r = await raw(url);
      expect(r.body, url).not.toContain('"name": "trellis"');
    }
  });
});
