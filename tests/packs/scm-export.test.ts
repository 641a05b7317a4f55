import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';

// The installed SCM app exported is the SCM pack again, and an export imported and exported once
// more is the same: a whole real pack (14 forms, 12 workflows, 8 roles, a dashboard, a print template) round-trips.

type Json = any;
const pack = JSON.parse(readFileSync(fileURLToPath(new URL('../../templates/scm/pack.json', import.meta.url)), 'utf8')) as Json;

describe('the SCM pack exported and imported', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h?.close());

  const exported = async (appId: string, records = false) => {
    const r = await h.call('GET', `/api/apps/${appId}/export${records ? '?records=true' : ''}`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body;
  };

  it('exports as the pack it was installed from, and imports back into an equal app', async () => {
    const installed = await h.call('POST', '/api/packs/scm/install', { withSampleData: true });
    expect(installed.status, JSON.stringify(installed.body)).toBe(201);
    const first = await exported(installed.body.id);
    expect(first.manifest).toMatchObject({ id: 'scm', version: pack.manifest.version });
    for (const part of ['forms', 'workflows', 'roles', 'dashboards', 'printTemplates'] as const) expect(first[part], part).toEqual(pack[part]);

    const imported = await h.call('POST', '/api/packs/import', first);
    expect(imported.status, JSON.stringify(imported.body)).toBe(201);
    expect(await exported(imported.body.id)).toEqual(first);

    const withRecords = await exported(installed.body.id, true);
    expect(withRecords.records.supplier.map((r: Json) => r.key).sort()).toEqual(pack.records.supplier.map((r: Json) => r.key).sort());
    const again = await h.call('POST', '/api/packs/import', withRecords);
    expect(again.status, JSON.stringify(again.body)).toBe(201);
    expect(await exported(again.body.id, true)).toEqual(withRecords);
  });
});
