import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkPack } from '@trellis/core';
import { run } from '@trellis/server/cli/trellis';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startHarness, type Harness } from '../support/harness.js';
import { miniCrm, PACKS_DIR } from '../support/packs.js';

// Template packs through the HTTP API: the bundled list, installing with sample data (fresh ids,
// links re-pointed, the workflow running for a new record), two installs staying apart, export →
// import → export giving the same pack, an upgrade that keeps an admin's edit, brings in the
// pack's change and asks about a conflict, and bad packs that change nothing.

const PASSWORD = 'pack-tests-password';

type Json = any;

describe('template packs', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({ TRELLIS_PACKS_DIR: PACKS_DIR });
  });
  afterAll(async () => {
    await h?.close();
  });

  const install = async (body: Json = { withSampleData: true }) => {
    const r = await h.call('POST', '/api/packs/mini-crm/install', body);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body.id as string;
  };
  const formsOf = async (appId: string) => {
    const items = (await h.call('GET', `/api/apps/${appId}/forms`)).body.items as Json[];
    return Object.fromEntries(items.map((f) => [f.draft.name.en, f])) as Record<string, Json>;
  };
  const recordsOf = async (formId: string) => {
    const r = await h.call('GET', `/api/forms/${formId}/records?limit=100`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body.items as Json[];
  };
  const appIds = async () => ((await h.call('GET', '/api/apps')).body.items as Json[]).map((a) => a.id).sort();
  const exported = async (appId: string, records = false) => {
    const r = await h.call('GET', `/api/apps/${appId}/export${records ? '?records=true' : ''}`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body;
  };

  it('every pack in templates/ and the fixtures passes the pack checks', () => {
    for (const dir of [fileURLToPath(new URL('../../templates', import.meta.url)), PACKS_DIR]) {
      for (const entry of readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory())) {
        const pack = JSON.parse(readFileSync(path.join(dir, entry.name, 'pack.json'), 'utf8'));
        expect(pack.manifest.id, entry.name).toBe(entry.name);
        expect(checkPack(pack), entry.name).toEqual([]);
      }
    }
  });

  it('documents the pack routes in the OpenAPI document', async () => {
    const paths = Object.keys((await h.call('GET', '/api/openapi.json')).body.paths);
    for (const p of ['/api/packs', '/api/packs/{packId}/install', '/api/packs/import', '/api/apps/{appId}/export', '/api/apps/{appId}/upgrade']) expect(paths).toContain(p);
  });

  it('lists the bundled packs', async () => {
    const r = await h.call('GET', '/api/packs');
    expect(r.status).toBe(200);
    const pack = r.body.items.find((p: Json) => p.id === 'mini-crm');
    expect(pack).toMatchObject({ id: 'mini-crm', version: '1.0.0', category: 'crm', name: { en: 'Mini CRM', zh: '迷你客户管理' }, forms: 3, records: 5 });
    expect((await h.as('')('GET', '/api/packs')).status).toBe(401);
  });

  it('installs a pack with its sample data: fresh ids, links re-pointed, workflow running', async () => {
    const appId = await install();
    const app = (await h.call('GET', `/api/apps/${appId}`)).body;
    expect(app.name).toEqual({ en: 'Mini CRM', zh: '迷你客户管理' });

    const forms = await formsOf(appId);
    const [customer, order, invoice] = [forms.Customer, forms['Sales order'], forms.Invoice];
    for (const f of [customer, order, invoice]) {
      expect(f.id).not.toMatch(/^(customer|order|invoice)$/);
      expect(f.publishedVersion).toBeGreaterThan(0);
    }
    expect(order.draft.fields.find((f: Json) => f.key === 'customer').form).toBe(customer.id);
    expect(invoice.draft.fields.find((f: Json) => f.key === 'order').form).toBe(order.id);

    const customers = await recordsOf(customer.id);
    expect(customers.map((c) => c.data.name).sort()).toEqual(['Acme Trading', 'Globex 华南']);
    const acme = customers.find((c) => c.data.name === 'Acme Trading')!;
    const orders = await recordsOf(order.id);
    expect(orders).toHaveLength(2);
    const o1 = orders.find((o) => o.data.customer === acme.id)!;
    expect(o1).toBeDefined();
    expect(o1.data).toMatchObject({ customerRegion: 'north', amount: 1200 });
    expect(o1.data.no).toMatch(/^SO-000[12]$/);
    expect(o1.status).toBe('approved');
    const invoices = await recordsOf(invoice.id);
    expect(invoices.map((i) => i.data.order)).toEqual([o1.id]);

    // the pack's roles exist as roles of the app, and its approval goes to whoever has the manager role
    const roles = (await h.call('GET', `/api/roles?appId=${appId}`)).body.items as Json[];
    const manager = roles.find((r) => r.name.en === 'Sales manager')!;
    expect(manager.forms[order.id]).toEqual({ actions: ['view', 'edit'] });
    const wf = (await h.call('GET', `/api/forms/${order.id}/workflow`)).body;
    expect(wf.publishedVersion).toBe(1);
    expect(wf.published.nodes[1].assignees).toEqual([{ type: 'role', role: manager.id }]);

    const u = await h.call('POST', '/api/users', { email: 'manager@example.com', name: 'Manager', password: PASSWORD, roles: [manager.id] });
    expect(u.status, JSON.stringify(u.body)).toBe(201);
    const asManager = h.as(await h.login('manager@example.com', PASSWORD));
    const created = await h.call('POST', `/api/forms/${order.id}/records`, { data: { customer: acme.id, lines: [{ item: 'Seal', qty: 4, price: 25 }] } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    await h.jobs.drain('workflow', 1000);
    const task = ((await asManager('GET', '/api/tasks')).body.items as Json[]).find((t) => t.recordId === created.body.id);
    expect(task).toBeDefined();
    expect((await asManager('POST', `/api/tasks/${task.id}/approve`, {})).status).toBe(200);
    await h.jobs.drain('workflow', 1000);
    await expect.poll(async () => (await recordsOf(invoice.id)).map((i) => i.data.amount).sort(), { timeout: 10_000 }).toEqual([100, 1200]);

    // the dashboard's widgets point at the new forms
    const dashboards = (await h.call('GET', `/api/apps/${appId}/dashboards`)).body.items as Json[];
    expect(dashboards).toHaveLength(1);
    expect(dashboards[0].definition.widgets.map((w: Json) => w.form)).toEqual([order.id, customer.id]);
    const data = (await h.call('GET', `/api/dashboards/${dashboards[0].id}/data`)).body;
    expect(data.widgets[0].error).toBeUndefined();

    // so does the print template
    const templates = (await h.call('GET', `/api/forms/${order.id}/print-templates`)).body.items as Json[];
    expect(templates.map((t) => t.definition.name)).toEqual([{ en: 'Order sheet', zh: '订单' }]);
  });

  it('installs twice as two independent apps', async () => {
    const [a, b] = [await install({ name: 'CRM east' }), await install({})];
    expect(a).not.toBe(b);
    const [fa, fb] = [await formsOf(a), await formsOf(b)];
    expect(fa.Customer.id).not.toBe(fb.Customer.id);
    expect(fb['Sales order'].draft.fields.find((f: Json) => f.key === 'customer').form).toBe(fb.Customer.id);
    expect(await recordsOf(fb.Customer.id)).toEqual([]); // without sample data
    expect((await h.call('POST', `/api/forms/${fa.Customer.id}/records`, { data: { name: 'Only in A' } })).status).toBe(201);
    expect(await recordsOf(fb.Customer.id)).toEqual([]);
    expect((await h.call('GET', `/api/apps/${a}`)).body.name).toBe('CRM east');
  });

  it('installs forms that link to each other (each published whole in the end)', async () => {
    const pack = miniCrm();
    pack.manifest.id = 'mini-crm-cycle';
    pack.forms[0].definition.fields.push(
      { key: 'lastOrder', type: 'link', label: 'Last order', form: 'order' },
      { key: 'lastOrderNo', type: 'lookup', label: 'Last order no.', link: 'lastOrder', field: 'no' },
    );
    pack.records.customer[0].data.lastOrder = 'o1'; // acme → o1 → acme
    const r = await h.call('POST', '/api/packs/import', pack);
    expect(r.status, JSON.stringify(r.body)).toBe(422);
    expect(r.body.error.details.problems[0].path).toMatch(/^records\.(customer|order)\[0\]\.data\./);

    delete pack.records.customer[0].data.lastOrder;
    const ok = await h.call('POST', '/api/packs/import', pack);
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    const forms = await formsOf(ok.body.id);
    const customer = forms.Customer.published.definition;
    expect(customer.fields.find((f: Json) => f.key === 'lastOrder').form).toBe(forms['Sales order'].id);
    expect(customer.fields.find((f: Json) => f.key === 'lastOrderNo').valueType).toBe('serial');
  });

  it('keeps the values of read-only fields in a pack\'s records, which people cannot set', async () => {
    const pack = miniCrm();
    pack.manifest.id = 'mini-crm-readonly';
    pack.forms[0].definition.fields.push({ key: 'lastVisit', type: 'date', label: 'Last visit', readOnly: true });
    pack.records.customer[0].data.lastVisit = '2026-10-15';
    const r = await h.call('POST', '/api/packs/import', pack);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const customers = await recordsOf((await formsOf(r.body.id)).Customer.id);
    expect(customers.find((c) => c.data.name === 'Acme Trading').data.lastVisit).toBe('2026-10-15');
    // and round-trips through an export with records
    const again = await h.call('POST', '/api/packs/import', await exported(r.body.id, true));
    expect(again.status, JSON.stringify(again.body)).toBe(201);
    expect((await recordsOf((await formsOf(again.body.id)).Customer.id)).find((c) => c.data.name === 'Acme Trading').data.lastVisit).toBe('2026-10-15');
    // a person submitting the form still cannot
    const own = await h.call('POST', `/api/forms/${(await formsOf(r.body.id)).Customer.id}/records`, { data: { name: 'New Co', lastVisit: '2026-01-01' } });
    expect(own.status, JSON.stringify(own.body)).toBe(201);
    expect(own.body.data.lastVisit).toBeUndefined();
  });

  it('exports an app as a pack that imports back into an equal app', async () => {
    const appId = await install();
    const first = await exported(appId);
    expect(first.manifest).toEqual(miniCrm().manifest);
    expect(first.forms.map((f: Json) => f.key)).toEqual(['customer', 'order', 'invoice']);
    expect(first.records).toBeUndefined();
    expect(first.forms).toEqual(miniCrm().forms);
    expect(first.workflows).toEqual(miniCrm().workflows);
    expect(first.roles).toEqual(miniCrm().roles);
    expect(first.dashboards).toEqual(miniCrm().dashboards);
    expect(first.printTemplates).toEqual(miniCrm().printTemplates);

    const imported = await h.call('POST', '/api/packs/import', first);
    expect(imported.status, JSON.stringify(imported.body)).toBe(201);
    expect(imported.body.id).not.toBe(appId);
    expect(await exported(imported.body.id)).toEqual(first);

    // with records: the sample records come back with the keys they were installed with
    const withRecords = await exported(appId, true);
    expect(withRecords.records.order.map((r: Json) => r.key)).toEqual(['o1', 'o2']);
    expect(withRecords.records.order[0].data.customer).toBe('acme');
    expect(withRecords.records.order[0].data.amount).toBeUndefined(); // computed again on import
    const again = await h.call('POST', '/api/packs/import', withRecords);
    expect(again.status, JSON.stringify(again.body)).toBe(201);
    expect(await exported(again.body.id, true)).toEqual(withRecords);
  });

  describe('upgrading an installed app to a newer pack version', () => {
    // the pack's 1.1.0: a new region, a new contact form, and a new label for the invoice amount
    const newer = () => {
      const p = miniCrm();
      p.manifest.version = '1.1.0';
      p.forms[0].definition.fields[1].options = ['north', 'south', 'west'];
      p.forms[2].definition.fields[1].label = { en: 'Amount due', zh: '应付金额' };
      p.forms.push({ key: 'contact', definition: { name: { en: 'Contact', zh: '联系人' }, fields: [
        { key: 'person', type: 'text', label: 'Person', required: true },
        { key: 'customer', type: 'link', label: 'Customer', form: 'customer' },
      ] } });
      return p;
    };
    const conflictPath = 'forms[invoice].definition.fields[amount].label';

    // the admin adds a field to customers and renames the invoice amount their own way
    async function installAndEdit() {
      const appId = await install();
      const forms = await formsOf(appId);
      const customer = forms.Customer;
      const cust = await h.call('PUT', `/api/forms/${customer.id}`, { ...customer.draft, fields: [...customer.draft.fields, { key: 'vip', type: 'checkbox', label: 'VIP' }] });
      expect(cust.status, JSON.stringify(cust.body)).toBe(200);
      const invoice = forms.Invoice;
      const fields = invoice.draft.fields.map((f: Json) => (f.key === 'amount' ? { ...f, label: 'Total billed' } : f));
      expect((await h.call('PUT', `/api/forms/${invoice.id}`, { ...invoice.draft, fields })).status).toBe(200);
      for (const f of [customer, invoice]) expect((await h.call('POST', `/api/forms/${f.id}/publish`)).status).toBe(200);
      return appId;
    }

    const counts = async (appId: string) => {
      const forms = await formsOf(appId);
      return Object.fromEntries(await Promise.all(Object.entries(forms).map(async ([name, f]) => [name, (await recordsOf(f.id)).length])));
    };

    it('previews the merge, refuses to apply with an open conflict, and applies with "theirs"', async () => {
      const appId = await installAndEdit();
      const before = await counts(appId);
      const preview = await h.call('POST', `/api/apps/${appId}/upgrade`, { pack: newer() });
      expect(preview.status, JSON.stringify(preview.body)).toBe(200);
      expect(preview.body).toMatchObject({ packId: 'mini-crm', from: '1.0.0', to: '1.1.0', applied: false });
      expect(preview.body.conflicts).toEqual([{
        path: conflictPath, base: { en: 'Amount', zh: '金额' }, mine: 'Total billed', theirs: { en: 'Amount due', zh: '应付金额' },
        where: { en: 'form “Invoice” › field “Total billed” › label', zh: '表单「发票」 › 字段「Total billed」 › 标题' },
      }]);
      expect(preview.body.changes).toEqual(expect.arrayContaining([
        { path: 'forms[customer].definition.fields[region].options[west]', op: 'add', where: { en: 'form “Customer” › field “Region” › option “west”', zh: '表单「客户」 › 字段「区域」 › 选项「west」' } },
        { path: 'forms[contact]', op: 'add', where: { en: 'form “Contact”', zh: '表单「联系人」' } },
      ]));

      const refused = await h.call('POST', `/api/apps/${appId}/upgrade`, { pack: newer(), apply: true });
      expect(refused.status).toBe(409);
      expect(refused.body.error.details.conflicts[0].path).toBe(conflictPath);
      expect((await formsOf(appId)).Contact).toBeUndefined();

      const applied = await h.call('POST', `/api/apps/${appId}/upgrade`, { pack: newer(), apply: true, resolutions: { [conflictPath]: 'theirs' } });
      expect(applied.status, JSON.stringify(applied.body)).toBe(200);
      expect(applied.body.applied).toBe(true);
      const forms = await formsOf(appId);
      expect(forms.Customer.draft.fields.map((f: Json) => f.key)).toEqual(['name', 'region', 'phone', 'vip']);
      expect(forms.Customer.published.definition.fields[1].options).toEqual(['north', 'south', 'west']);
      expect(forms.Invoice.published.definition.fields[1].label).toEqual({ en: 'Amount due', zh: '应付金额' });
      expect(forms.Contact.draft.fields[1].form).toBe(forms.Customer.id);
      expect(forms.Contact.publishedVersion).toBe(1);
      // records are never touched
      const after = await counts(appId);
      expect(after).toEqual({ ...before, Contact: 0 });

      // the app now stands on 1.1.0: the same upgrade again is refused, the export says 1.1.0
      expect((await h.call('POST', `/api/apps/${appId}/upgrade`, { pack: newer() })).status).toBe(400);
      expect((await exported(appId)).manifest.version).toBe('1.1.0');
    });

    it('keeps the admin\'s value when the conflict is resolved as "mine"', async () => {
      const appId = await installAndEdit();
      const applied = await h.call('POST', `/api/apps/${appId}/upgrade`, { pack: newer(), apply: true, resolutions: { [conflictPath]: 'mine' } });
      expect(applied.status, JSON.stringify(applied.body)).toBe(200);
      const forms = await formsOf(appId);
      expect(forms.Invoice.published.definition.fields[1].label).toBe('Total billed');
      expect(forms.Customer.published.definition.fields[1].options).toEqual(['north', 'south', 'west']);
      expect(forms.Customer.draft.fields.map((f: Json) => f.key)).toContain('vip');
    });

    it('puts back what it changed when a later step fails', async () => {
      const appId = await install();
      const forms = await formsOf(appId);
      // a second invoice of 1200: the new version's unique amount cannot be indexed
      expect((await h.call('POST', `/api/forms/${forms.Invoice.id}/records`, { data: { amount: 1200 } })).status).toBe(201);
      const next = newer();
      next.forms[2].definition.fields[1].unique = true;
      next.roles.push({ key: 'auditor', name: 'Auditor' });
      const rolesBefore = (await h.call('GET', `/api/roles?appId=${appId}`)).body.items.length;
      const failed = await h.call('POST', `/api/apps/${appId}/upgrade`, { pack: next, apply: true, resolutions: {} });
      expect(failed.status, JSON.stringify(failed.body)).toBe(409);
      expect(failed.body.error.code).toBe('UNIQUE_VIOLATION');
      const after = await formsOf(appId);
      expect(after.Customer.published.definition.fields[1].options).toEqual(['north', 'south']);
      expect(after.Customer.draft.fields[1].options).toEqual(['north', 'south']);
      expect(after.Invoice.published.definition.fields[1].unique).toBeUndefined();
      expect((await h.call('GET', `/api/roles?appId=${appId}`)).body.items.length).toBe(rolesBefore);
      expect((await exported(appId)).manifest.version).toBe('1.0.0');
    });

    it('runs the data migrations of the versions it crosses, once per record, and reports the records a form refuses', async () => {
      const appId = await install();
      const next = newer();
      next.forms[0].definition.fields.push({ key: 'segment', type: 'select', label: { en: 'Segment', zh: '客户分级' }, options: ['key', 'regular'] });
      next.migrations = [
        { id: 'old', since: '1.0.0', form: 'invoice', values: { amount: 0 } }, // the installed version's: not run again
        { id: 'keyAccounts', since: '1.1.0', form: 'customer', filter: { field: 'region', op: 'eq', value: 'north' }, values: { segment: 'key' } },
        { id: 'tax', since: '1.1.0', description: { en: 'Amounts include 6 % tax', zh: '金额含 6% 税' }, form: 'invoice', values: { amount: { '*': [{ var: 'amount' }, 1.06] } } },
        { id: 'clash', since: '1.1.0', form: 'customer', filter: { field: 'region', op: 'eq', value: 'south' }, values: { name: 'Acme Trading' } },
      ];
      const preview = await h.call('POST', `/api/apps/${appId}/upgrade`, { pack: next });
      expect(preview.status, JSON.stringify(preview.body)).toBe(200);
      expect(preview.body.migrations.map((m: Json) => [m.id, m.records])).toEqual([['keyAccounts', 1], ['tax', 1], ['clash', 1]]);
      const forms = await formsOf(appId);
      expect((await recordsOf(forms.Invoice.id))[0].data.amount).toBe(1200);

      const applied = await h.call('POST', `/api/apps/${appId}/upgrade`, { pack: next, apply: true });
      expect(applied.status, JSON.stringify(applied.body)).toBe(200);
      const byId = Object.fromEntries(applied.body.migrations.map((m: Json) => [m.id, m]));
      expect([byId.keyAccounts.records, byId.tax.records, byId.clash.records]).toEqual([1, 1, 0]);
      expect(byId.tax.description).toEqual({ en: 'Amounts include 6 % tax', zh: '金额含 6% 税' });
      expect(byId.clash.failed).toHaveLength(1);
      expect(byId.clash.failed[0].message).toMatch(/Acme Trading|unique|already/i);
      const customers = await recordsOf(forms.Customer.id);
      expect(customers.map((c) => [c.data.name, c.data.segment ?? null]).sort()).toEqual([['Acme Trading', 'key'], ['Globex 华南', null]]);
      const invoice = (await recordsOf(forms.Invoice.id))[0];
      expect(invoice.data.amount).toBe(1272);
      // the change is in the record's history, made by the system
      const acme = customers.find((c) => c.data.name === 'Acme Trading');
      const timeline = (await h.call('GET', `/api/records/${acme.id}/timeline`)).body.items as Json[];
      expect(timeline.some((e) => e.changes?.some((c: Json) => c.field === 'segment' && c.to === 'key'))).toBe(true);
    });

    it('refuses a pack whose migration names a field its form lacks, a computed field, or a later version', async () => {
      const appId = await install();
      const next = newer();
      next.migrations = [
        { id: 'a', since: '1.1.0', form: 'customer', values: { nickname: 'x' } },
        { id: 'b', since: '1.2.0', form: 'invoice', values: { amount: 1 } },
        { id: 'c', since: '1.1.0', form: 'order', values: { no: 'SO-1' } },
      ];
      const r = await h.call('POST', `/api/apps/${appId}/upgrade`, { pack: next, apply: true });
      expect(r.status).toBe(422);
      const paths = (r.body.error.details.problems as Json[]).map((p) => p.path);
      expect(paths).toEqual(expect.arrayContaining(['migrations[0].values.nickname', 'migrations[1].since', 'migrations[2].values.no']));
      expect((await exported(appId)).manifest.version).toBe('1.0.0');
    });

    it('refuses a pack of another id or an app that came from no pack', async () => {
      const appId = await install({});
      const other = newer();
      other.manifest.id = 'other-pack';
      expect((await h.call('POST', `/api/apps/${appId}/upgrade`, { pack: other })).status).toBe(400);
      const plain = (await h.call('POST', '/api/apps', { name: 'Plain' })).body.id;
      expect((await h.call('POST', `/api/apps/${plain}/upgrade`, { pack: newer() })).status).toBe(409);
    });
  });

  it('does the same from the command line, over HTTP', async () => {
    const address = await h.app.listen({ port: 0, host: '127.0.0.1' });
    const env = { TRELLIS_URL: address, TRELLIS_EMAIL: ADMIN_EMAIL, TRELLIS_PASSWORD: ADMIN_PASSWORD };
    const cli = async (...argv: string[]) => {
      const out: string[] = [];
      const err: string[] = [];
      const code = await run(argv, env, { out: (t) => out.push(t), err: (t) => err.push(t) });
      return { code, out: out.join('\n'), err: err.join('\n') };
    };
    const list = await cli('pack', 'list');
    expect(list.code, list.err).toBe(0);
    expect(list.out).toMatch(/^mini-crm\t1\.0\.0\tcrm\tMini CRM \/ 迷你客户管理\t3 forms, 5 sample records$/m);

    const installed = await cli('pack', 'install', 'mini-crm', '--sample', '--name', 'From the CLI');
    expect(installed.code, installed.err).toBe(0);
    const app = JSON.parse(installed.out);
    expect(app.name).toBe('From the CLI');
    expect((await recordsOf((await formsOf(app.id)).Customer.id)).length).toBe(2);

    const exportedOut = await cli('pack', 'export', app.id);
    expect(exportedOut.code, exportedOut.err).toBe(0);
    expect(JSON.parse(exportedOut.out)).toEqual(await exported(app.id));

    const file = path.join(mkdtempSync(path.join(tmpdir(), 'trellis-pack-')), 'app.json');
    writeFileSync(file, (await cli('pack', 'export', app.id, '--records')).out);
    const fromFile = await cli('pack', 'install', file);
    expect(fromFile.code, fromFile.err).toBe(0);
    const copy = JSON.parse(fromFile.out).id;
    expect(await recordsOf((await formsOf(copy)).Customer.id)).toEqual([]); // records only with --sample

    const patch = miniCrm();
    patch.manifest.version = '1.0.1';
    patch.forms[0].definition.fields[2].label = { en: 'Telephone', zh: '电话号码' };
    const patchFile = path.join(path.dirname(file), 'patch.json');
    writeFileSync(patchFile, JSON.stringify(patch));
    const preview = await cli('pack', 'upgrade', app.id, patchFile);
    expect(preview.code, preview.err).toBe(0);
    expect(JSON.parse(preview.out)).toMatchObject({ applied: false, conflicts: [], changes: [
      { path: 'forms[customer].definition.fields[phone].label.en', op: 'change' },
      { path: 'forms[customer].definition.fields[phone].label.zh', op: 'change' },
    ] });
    const upgraded = await cli('pack', 'upgrade', app.id, patchFile, '--apply');
    expect(upgraded.code, upgraded.err).toBe(0);
    expect(JSON.parse(upgraded.out)).toMatchObject({ applied: true, to: '1.0.1' });
    expect((await formsOf(app.id)).Customer.published.definition.fields[2].label).toEqual({ en: 'Telephone', zh: '电话号码' });

    const missing = await cli('pack', 'install', 'no-such-pack');
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('404 NOT_FOUND');
    expect((await run(['pack', 'list'], { TRELLIS_URL: address }, { out: () => undefined, err: () => undefined }))).toBe(1);
  });

  describe('bad packs change nothing', () => {
    it('answers schema errors, unknown form keys and failing sample records with 422 and a path', async () => {
      const before = await appIds();
      const bad = miniCrm();
      bad.manifest.version = 'one';
      const schema = await h.call('POST', '/api/packs/import', bad);
      expect(schema.status).toBe(422);
      expect(schema.body.error.details.problems[0]).toMatchObject({ path: 'manifest.version', code: 'schema' });

      const unknown = miniCrm();
      unknown.forms[1].definition.fields[1].form = 'client';
      unknown.printTemplates.order[0].body[0].fields[0].field = 'nope';
      unknown.printTemplates.invoice = [{ name: 'Bad', paper: 'A3' }];
      const refs = await h.call('POST', '/api/packs/import', unknown);
      expect(refs.status).toBe(422);
      const paths = refs.body.error.details.problems.map((p: Json) => p.path);
      expect(paths).toContain('forms[1].definition.fields[1].form');
      expect(paths.some((p: string) => p.startsWith('printTemplates.order[0].body[0]'))).toBe(true);
      expect(paths.some((p: string) => p.startsWith('printTemplates.invoice[0]'))).toBe(true);

      // passes the pack checks, fails in the record engine after forms, roles and dashboards were made: all of it goes
      const rolesBefore = (await h.call('GET', '/api/roles')).body.items.length;
      const late = miniCrm();
      late.records.customer[1].data = { region: 'south' };
      const failed = await h.call('POST', '/api/packs/import', late);
      expect(failed.status).toBe(422);
      expect(failed.body.error.details.problems[0].path).toBe('records.customer[1].data.name');
      expect((await h.call('GET', '/api/roles')).body.items.length).toBe(rolesBefore);

      expect(await appIds()).toEqual(before);
    });

    it('refuses an oversized pack with 413 and unknown packs with 404', async () => {
      const before = await appIds();
      const big = miniCrm();
      big.manifest.padding = 'x'.repeat(6 * 1024 * 1024);
      expect((await h.call('POST', '/api/packs/import', big)).status).toBe(413);
      expect((await h.call('POST', '/api/packs/nothing-here/install', {})).status).toBe(404);
      expect(await appIds()).toEqual(before);
    });

    it('lets only administrators install', async () => {
      const u = await h.call('POST', '/api/users', { email: 'plain@example.com', name: 'Plain', password: PASSWORD });
      expect(u.status).toBe(201);
      const plain = h.as(await h.login('plain@example.com', PASSWORD));
      expect((await plain('POST', '/api/packs/mini-crm/install', {})).status).toBe(403);
      expect((await plain('POST', '/api/packs/import', miniCrm())).status).toBe(403);
    });
  });
});
