import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';
import { miniCrm, PACKS_DIR } from '../support/packs.js';

// GET /api/apps/:appId/pack: the designer asks which pack an app came from and whether the
// bundled pack is newer (it offers the upgrade then). Apps not from a pack answer 404; only
// administrators may ask.

const PASSWORD = 'pack-origin-password';

type Json = any;

describe('which pack an app came from', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({ TRELLIS_PACKS_DIR: PACKS_DIR });
  });
  afterAll(async () => {
    await h?.close();
  });

  const created = async (method: 'POST', url: string, body: unknown) => {
    const r = await h.call(method, url, body);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body as Json;
  };
  const origin = (appId: string) => h.call('GET', `/api/apps/${appId}/pack`);

  it('is documented in the OpenAPI document', async () => {
    expect(Object.keys((await h.call('GET', '/api/openapi.json')).body.paths)).toContain('/api/apps/{appId}/pack');
  });

  it('names the pack and version of an installed app, with no upgrade when the bundled pack is the same version', async () => {
    const app = await created('POST', '/api/packs/mini-crm/install', {});
    const r = await origin(app.id);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toEqual({ packId: 'mini-crm', name: { en: 'Mini CRM', zh: '迷你客户管理' }, version: '1.0.0', available: null });
  });

  it('offers the bundled version when it is newer, and none once the app is upgraded to it', async () => {
    const older = miniCrm();
    older.manifest.version = '0.9.0';
    const app = await created('POST', '/api/packs/import', older);
    expect((await origin(app.id)).body).toMatchObject({ packId: 'mini-crm', version: '0.9.0', available: '1.0.0' });

    const upgraded = await h.call('POST', `/api/apps/${app.id}/upgrade`, { packId: 'mini-crm', apply: true });
    expect(upgraded.status, JSON.stringify(upgraded.body)).toBe(200);
    expect((await origin(app.id)).body).toMatchObject({ version: '1.0.0', available: null });
  });

  it('offers nothing for a pack the server does not bundle', async () => {
    const pack = miniCrm();
    pack.manifest.id = 'mini-crm-elsewhere';
    const app = await created('POST', '/api/packs/import', pack);
    expect((await origin(app.id)).body).toMatchObject({ packId: 'mini-crm-elsewhere', version: '1.0.0', available: null });
  });

  it('answers 404 for an app not installed from a pack, and for no app', async () => {
    const blank = await created('POST', '/api/apps', { name: 'Blank' });
    const r = await origin(blank.id);
    expect(r.status, JSON.stringify(r.body)).toBe(404);
    expect(r.body.error.code).toBe('NOT_FOUND');
    expect((await origin('no-such-app')).status).toBe(404);
  });

  it('is for administrators only', async () => {
    const app = await created('POST', '/api/packs/mini-crm/install', {});
    await created('POST', '/api/users', { email: 'dora@example.com', name: 'Dora', password: PASSWORD });
    const dora = h.as(await h.login('dora@example.com', PASSWORD));
    expect((await dora('GET', `/api/apps/${app.id}/pack`)).status).toBe(403);
    expect((await h.as('')('GET', `/api/apps/${app.id}/pack`)).status).toBe(401);
  });
});
