// Template packs from the designer to a phone: an administrator sees the template center list
// the bundled packs, installs CRM with its sample data and lands in the new app, whose settings
// say which template it came from; a sales rep then enters a lead on a phone in the runtime. An
// app on an older CRM is upgraded from its settings, choosing for a conflict with its own edit.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { http, PROCESS_ADMIN, ROOT } from '../support/process.js';
import { DESKTOP, firstPage, PHONE, shot, signInUi, startWeb, watchErrors, type Web } from './support/browser.js';

const REP = { email: 'rita.rep@example.com', name: 'Rita Rep', password: 'pack-journey-password-1' };
const poll = <T>(fn: () => Promise<T>) => expect.poll(fn, { timeout: 15_000, interval: 100 });

describe('installing the CRM pack and entering a lead on a phone', () => {
  let web: Web;
  let appId = '';
  const api = <T = any>(method: string, path: string, body?: unknown) => http<T>(web.url, method, path, body, web.server.token);
  const open = async (device: typeof PHONE | typeof DESKTOP): Promise<{ page: Page; errors: string[] }> => {
    const page = await firstPage(await web.context(device));
    return { page, errors: watchErrors(page).errors };
  };
  const customerOf = async (app: string): Promise<any> => {
    const forms = (await api('GET', `/api/apps/${app}/forms`)).body.items as any[];
    return forms.find((f) => f.draft.name.en === 'Customer');
  };
  const customerForm = async (): Promise<string> => (await customerOf(appId)).id as string;

  beforeAll(async () => {
    web = await startWeb();
  }, 60_000);
  afterAll(async () => web?.close());

  it('lists the bundled packs in the template center and installs CRM with its sample data', async () => {
    const { page, errors } = await open(DESKTOP);
    await signInUi(page, '/designer/', PROCESS_ADMIN.email, PROCESS_ADMIN.password);
    const packs = page.getByRole('list', { name: 'Template packs' });
    for (const name of ['CRM', 'Supply chain (SCM)', 'ERP']) await packs.getByRole('heading', { name, exact: true }).waitFor();
    const crm = packs.getByRole('listitem', { name: 'CRM', exact: true });
    await crm.getByText('Version 1.1.0').waitFor();
    await crm.getByText(/\d+ forms · \d+ sample records/).waitFor();
    await expect(crm.getByRole('checkbox', { name: 'Include sample data' }).isChecked()).resolves.toBe(true);
    await shot(page, 'pack-template-center', { fullPage: true });

    await crm.getByRole('button', { name: 'Install CRM' }).click();
    await page.waitForURL(/\/designer\/apps\/[^/]+$/, { timeout: 90_000 });
    appId = new URL(page.url()).pathname.split('/').pop()!;
    await page.getByRole('heading', { level: 1, name: 'CRM' }).waitFor();
    const forms = page.getByRole('list', { name: 'Forms' });
    for (const name of ['Customer', 'Follow-up record', 'Quotation', 'Contract']) await forms.getByRole('listitem').filter({ hasText: name }).first().waitFor();
    await shot(page, 'pack-installed-app');

    // the sample data came along
    expect(((await api('GET', `/api/forms/${await customerForm()}/records?limit=5`)).body.items as unknown[]).length).toBeGreaterThan(0);

    // its settings say which template it came from; the bundled CRM is the version installed
    await page.getByRole('link', { name: 'Settings' }).click();
    const template = page.getByRole('region', { name: 'Template' });
    await template.getByText('Installed from CRM 1.1.0').waitFor();
    await template.getByText('This is the newest version of the template.').waitFor();
    expect(await template.getByRole('button', { name: 'Check the upgrade' }).count()).toBe(0);
    await template.scrollIntoViewIfNeeded();
    await shot(page, 'pack-settings-template');
    expect(errors).toEqual([]);
  }, 180_000);

  it('lets a sales rep enter a lead from a phone', async () => {
    expect(appId).not.toBe('');
    // the rep gets the pack's "Sales rep" role, which may submit customers and see their own
    const roles = (await api('GET', '/api/roles')).body.items as any[];
    const rep = roles.find((r) => r.appId === appId && r.name.en === 'Sales rep');
    expect(rep, JSON.stringify(roles.map((r) => r.name))).toBeDefined();
    const user = await api('POST', '/api/users', { ...REP, roles: [rep.id] });
    expect(user.status, JSON.stringify(user.body)).toBe(201);

    const { page, errors } = await open(PHONE);
    await signInUi(page, '/app/', REP.email, REP.password);
    await page.getByRole('region', { name: 'CRM' }).getByRole('link', { name: 'CRM', exact: true }).click();
    await page.getByRole('heading', { name: 'CRM' }).waitFor();
    await page.getByRole('link', { name: 'New Customer', exact: true }).click();
    await page.getByRole('heading', { name: 'Customer' }).waitFor();

    await page.getByLabel('Company name').fill('Harbour Logistics');
    await page.getByLabel('Phone (digits only)').fill('02155550199');
    await page.getByLabel('Region').selectOption({ label: 'East China' });
    await page.getByLabel('Lead source').selectOption({ label: 'Trade fair' });
    await page.getByLabel('Contact person').fill('Mr Chen');
    await shot(page, 'pack-lead-phone');
    await page.getByRole('button', { name: 'Submit' }).click();
    await page.getByRole('heading', { name: 'Submitted' }).waitFor();
    await shot(page, 'pack-lead-phone-submitted');

    // stored with the rep as submitter and (entered by a rep) as its owner
    const filter = encodeURIComponent(JSON.stringify({ field: 'name', op: 'eq', value: 'Harbour Logistics' }));
    const form = await customerForm();
    await poll(async () => ((await api('GET', `/api/forms/${form}/records?filter=${filter}`)).body.items as unknown[]).length).toBe(1);
    const [lead] = (await api('GET', `/api/forms/${form}/records?filter=${filter}`)).body.items;
    expect(lead.createdBy).toBe(user.body.id);
    expect(lead.data).toMatchObject({ phone: '02155550199', region: 'east', source: 'fair', contact: 'Mr Chen', pool: 'owned', owner: user.body.id });
    expect(errors).toEqual([]);
  }, 120_000);

  it('upgrades an app on an older CRM from its settings, keeping the choice made for a conflict', async () => {
    // CRM "1.0.0": the bundled pack without the customer's notes and with another label for the company
    // name, installed without records
    const older = JSON.parse(readFileSync(`${ROOT}templates/crm/pack.json`, 'utf8'));
    older.manifest.version = '1.0.0';
    delete older.records;
    const nameOf = (form: any) => form.fields.find((f: any) => f.key === 'name');
    const olderCustomer = older.forms.find((f: any) => f.key === 'customer').definition;
    nameOf(olderCustomer).label = { en: 'Client name', zh: '客户名称' };
    olderCustomer.fields = olderCustomer.fields.filter((f: any) => f.key !== 'notes');
    const imported = await api('POST', '/api/packs/import?name=Old%20CRM', older);
    expect(imported.status, JSON.stringify(imported.body)).toBe(201);
    const oldApp = imported.body.id as string;
    // the app's designers renamed it too: a conflict with the new version's label
    const customer = await customerOf(oldApp);
    nameOf(customer.draft).label = { en: 'Account name', zh: '账户名称' };
    const saved = await api('PUT', `/api/forms/${customer.id}`, customer.draft);
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);

    const { page, errors } = await open(DESKTOP);
    await signInUi(page, '/designer/', PROCESS_ADMIN.email, PROCESS_ADMIN.password);
    await page.getByRole('list', { name: 'Apps' }).getByRole('link', { name: /Old CRM/ }).click();
    await page.getByRole('link', { name: 'Settings' }).click();
    const template = page.getByRole('region', { name: 'Template' });
    await template.getByText('Installed from CRM 1.0.0').waitFor();
    await template.getByText('Version 1.1.0 is available.').waitFor();
    await template.getByRole('button', { name: 'Check the upgrade' }).click();
    await template.getByRole('list', { name: 'Changes' }).getByText('form “Customer” › field “Notes”').waitFor();
    // one conflict per language of the label: the new English one, our Chinese one
    const conflict = (lang: 'en' | 'zh') =>
      template.getByRole('radiogroup', { name: `form “Customer” › field “Account name” › label (${lang === 'en' ? 'English' : 'Chinese'})` });
    await conflict('en').getByText('Account name', { exact: true }).waitFor();
    const apply = template.getByRole('button', { name: 'Apply the upgrade' });
    await expect(apply.isDisabled()).resolves.toBe(true);
    await conflict('en').getByRole('radio', { name: 'Take theirs' }).check();
    await expect(apply.isDisabled()).resolves.toBe(true);
    await conflict('zh').getByRole('radio', { name: 'Keep mine' }).check();
    await expect(apply.isEnabled()).resolves.toBe(true);
    await template.scrollIntoViewIfNeeded();
    await shot(page, 'pack-upgrade-preview');
    await apply.click();
    await template.getByRole('status').filter({ hasText: 'Upgraded to version 1.1.0.' }).waitFor();
    await template.getByText('Installed from CRM 1.1.0').waitFor();
    await shot(page, 'pack-upgrade-done');

    const upgraded = (await customerOf(oldApp)).draft;
    expect(nameOf(upgraded).label).toEqual({ en: 'Company name', zh: '账户名称' });
    expect(upgraded.fields.map((f: any) => f.key)).toContain('notes');
    expect((await api('GET', `/api/apps/${oldApp}/pack`)).body).toMatchObject({ version: '1.1.0', available: null });
    expect(errors).toEqual([]);
  }, 120_000);
});
