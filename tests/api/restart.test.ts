import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { purchaseRequestForm, supplierForm } from '../support/forms.js';
import { http, startServerProcess, type ServerProcess } from '../support/process.js';

// The built server on the embedded store: everything is still there after a clean
// restart and after the process is killed outright.
describe('data survives a restart and a crash of the real server', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'trellis-restart-'));
  let server: ServerProcess | null = null;
  afterAll(async () => {
    await server?.stop('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('builds an app, restarts, finds it all, is killed, and still finds it all', async () => {
    server = await startServerProcess({ DATA_DIR: dataDir });
    let base = server.url;
    // the first sign-in's token is used throughout: the signing secret and the session survive restarts
    const token = server.token;
    expect(token).not.toBe('');
    const api = (method: string, url: string, body?: unknown) => http(base, method, url, body, token);
    const appId = (await api('POST', '/api/apps', { name: 'Restart' })).body.id;
    const supId = (await api('POST', `/api/apps/${appId}/forms`, supplierForm)).body.id;
    await api('POST', `/api/forms/${supId}/publish`);
    const sup = (await api('POST', `/api/forms/${supId}/records`, { data: { name: 'Acme', city: 'Hangzhou' } })).body;
    const formId = (await api('POST', `/api/apps/${appId}/forms`, purchaseRequestForm(supId))).body.id;
    expect((await api('POST', `/api/forms/${formId}/publish`)).status).toBe(200);
    const created: any[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await api('POST', `/api/forms/${formId}/records`, { data: { title: `R${i}`, amount: i, supplier: sup.id, lines: [{ sku: 'A', qty: 1, price: i }] } });
      expect(r.status).toBe(201);
      created.push(r.body);
    }
    const edited = await api('PATCH', `/api/forms/${formId}/records/${created[0].id}`, { data: { title: 'R0 edited' }, version: 1 });
    expect(edited.status).toBe(200);

    const check = async () => {
      const list = await api('GET', `/api/forms/${formId}/records?sort=createdAt&count=true`);
      expect(list.body.total).toBe(5);
      expect(list.body.items.map((r: { data: { title: string } }) => r.data.title)).toEqual(['R0 edited', 'R1', 'R2', 'R3', 'R4']);
      expect(list.body.items[4].data.supplierCity).toBe('Hangzhou');
      const timeline = await api('GET', `/api/records/${created[0].id}/timeline`);
      expect(timeline.body.items.map((e: { action: string }) => e.action)).toEqual(['create', 'update']);
      const agg = await api('POST', `/api/forms/${formId}/aggregate`, { metrics: [{ op: 'sum', field: 'total' }] });
      expect(agg.body.rows[0].values.sum_total).toBe(0 + 1 + 2 + 3 + 4);
    };
    await check();

    await server.stop('SIGTERM');
    server = await startServerProcess({ DATA_DIR: dataDir });
    base = server.url;
    await check();
    // the serial counter goes on after a restart
    const next = await api('POST', `/api/forms/${formId}/records`, { data: { title: 'after restart' } });
    expect(next.body.data.no).toMatch(/-0006$/);

    await server.stop('SIGKILL');
    server = await startServerProcess({ DATA_DIR: dataDir });
    base = server.url;
    const all = await api('GET', `/api/forms/${formId}/records?count=true`);
    expect(all.body.total).toBe(6);
  });
});
