import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';

describe('an integrator reads the OpenAPI document and checks health', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h.close());

  it('lists the public paths of DESIGN.md', async () => {
    const r = await h.call('GET', '/api/openapi.json');
    expect(r.status).toBe(200);
    expect(r.body.openapi).toMatch(/^3\./);
    const paths = Object.keys(r.body.paths);
    for (const p of [
      '/api/apps', '/api/apps/{appId}', '/api/apps/{appId}/forms', '/api/forms/{formId}', '/api/forms/{formId}/publish',
      '/api/forms/{formId}/records', '/api/forms/{formId}/records/query', '/api/forms/{formId}/records/{recordId}',
      '/api/forms/{formId}/aggregate', '/api/records/{recordId}/timeline', '/healthz',
    ]) expect(paths).toContain(p);
    expect(r.body.paths['/api/forms/{formId}/records'].post.requestBody).toBeDefined();
  });

  it('answers /healthz with the store kind', async () => {
    const r = await h.call('GET', '/healthz');
    expect(r.body).toEqual({ ok: true, store: 'sqlite' });
  });
});
