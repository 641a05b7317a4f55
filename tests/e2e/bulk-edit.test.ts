import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstPage, PHONE, shot, signInUi, startWeb, watchErrors, type Web } from './support/browser.js';
import { http } from '../support/process.js';

// Bulk edit on a phone: a department editor selects three tickets in the list, sets their
// priority, reads the summary and finds the change in one ticket's timeline; an invalid value
// is refused for each record with the reason.

const poll = <T>(fn: () => Promise<T>) => expect.poll(fn, { timeout: 10_000, interval: 100 });
const PASSWORD = 'bulk-edit-e2e-password';

const ticketForm = {
  name: { en: 'Ticket', zh: '工单' },
  titleField: 'title',
  fields: [
    { key: 'title', type: 'text', label: { en: 'Title', zh: '标题' }, required: true },
    { key: 'priority', type: 'select', label: { en: 'Priority', zh: '优先级' }, options: ['low', 'high'] },
    { key: 'hours', type: 'number', label: { en: 'Hours', zh: '工时' }, min: 0, max: 100 },
    { key: 'code', type: 'text', label: { en: 'Code', zh: '编码' } },
  ],
};
const TITLES = ['Printer jam', 'VPN down', 'New laptop', 'Broken chair'];

describe('bulk edit of selected records on a phone', () => {
  let web: Web;
  let formId = '';
  const ids: Record<string, string> = {};
  const api = <T = any>(method: string, path: string, body?: unknown, token = web.server.token) => http<T>(web.url, method, path, body, token);

  beforeAll(async () => {
    web = await startWeb();
    const app = await api('POST', '/api/apps', { name: { en: 'Support', zh: '支持' } });
    expect(app.status, JSON.stringify(app.body)).toBe(201);
    const form = await api('POST', `/api/apps/${app.body.id}/forms`, ticketForm);
    expect(form.status, JSON.stringify(form.body)).toBe(201);
    formId = form.body.id;
    expect((await api('POST', `/api/forms/${formId}/publish`)).status).toBe(200);
    const dept = await api('POST', '/api/departments', { name: 'Support desk' });
    const role = await api('POST', '/api/roles', { name: 'Agent', forms: { [formId]: { actions: ['submit', 'view', 'edit', 'delete'], scope: 'department', fields: { code: 'readOnly' } } } });
    expect(role.status, JSON.stringify(role.body)).toBe(201);
    for (const who of ['ann', 'ben']) {
      const u = await api('POST', '/api/users', { email: `${who}@example.com`, name: who === 'ann' ? 'Ann Agent' : 'Ben Agent', password: PASSWORD, departments: [dept.body.id], roles: [role.body.id] });
      expect(u.status, JSON.stringify(u.body)).toBe(201);
    }
    const ben = (await api('POST', '/api/auth/login', { username: 'ben@example.com', password: PASSWORD }, '')).body.token as string;
    for (const [i, title] of TITLES.entries()) {
      const r = await api('POST', `/api/forms/${formId}/records`, { data: { title, priority: 'low', hours: i + 1 } }, ben);
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      ids[title] = r.body.id;
    }
  });
  afterAll(async () => web?.close());

  it('selects three records, sets a field, reads the summary and the change in a timeline', async () => {
    const ctx = await web.context(PHONE);
    const page = await firstPage(ctx);
    const errors = watchErrors(page);
    await signInUi(page, '/app/', 'ann@example.com', PASSWORD);
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    await page.goto(`/app/forms/${formId}/records`);
    const list = page.getByRole('list', { name: 'Records' });
    await poll(() => list.getByRole('listitem').count()).toBe(4);

    await page.getByRole('button', { name: 'Select', exact: true }).click();
    const bulk = page.getByRole('group', { name: 'Selected records' });
    await bulk.getByText('0 selected').waitFor();
    for (const title of TITLES.slice(0, 3)) await list.getByRole('checkbox', { name: title }).check();
    await bulk.getByText('3 selected').waitFor();
    await list.scrollIntoViewIfNeeded();
    await shot(page, 'bulk-edit-checkboxes');
    await bulk.getByRole('button', { name: 'Edit selected' }).click();
    // the read-only field is not offered
    const fieldOptions = await page.getByLabel('Field to change').locator('option').allTextContents();
    expect(fieldOptions).toEqual(['Title', 'Priority', 'Hours']);
    await page.getByLabel('Field to change').selectOption({ label: 'Priority' });
    await page.getByLabel('New value').selectOption('high');
    await shot(page, 'bulk-edit-selected');
    await page.getByRole('button', { name: 'Apply to 3 records' }).click();

    const result = page.getByRole('status', { name: 'Result' });
    await result.getByText('3 updated').waitFor();
    await shot(page, 'bulk-edit-summary');
    for (const title of TITLES) {
      const rec = await api('GET', `/api/forms/${formId}/records/${ids[title]}`);
      expect(rec.body.data.priority).toBe(TITLES.indexOf(title) < 3 ? 'high' : 'low');
    }
    // the list is loaded again and shows the new values
    await poll(() => list.getByRole('listitem').filter({ hasText: 'Printer jam' }).textContent()).toContain('high');

    // an invalid value: refused for each record, with the reason, nothing changed
    await page.getByRole('button', { name: 'Select', exact: true }).click();
    await bulk.getByRole('button', { name: 'Select all loaded' }).click();
    await bulk.getByText('4 selected').waitFor();
    await bulk.getByRole('button', { name: 'Edit selected' }).click();
    await page.getByLabel('Field to change').selectOption({ label: 'Hours' });
    await page.getByLabel('New value').fill('500');
    await page.getByRole('button', { name: 'Apply to 4 records' }).click();
    await result.getByText('0 updated, 4 could not be changed').waitFor();
    expect(await result.textContent()).toContain('Hours:');
    await shot(page, 'bulk-edit-refused');
    expect((await api('GET', `/api/forms/${formId}/records/${ids['VPN down']}`)).body.data.hours).toBe(2);

    await list.getByRole('link', { name: /VPN down/ }).click();
    await page.getByRole('heading', { name: 'VPN down' }).waitFor();
    const timeline = page.getByRole('list', { name: 'Timeline' });
    await poll(() => timeline.textContent()).toContain('Priority');
    expect(await timeline.textContent()).toContain('high');
    await shot(page, 'bulk-edit-timeline', { fullPage: true });

    // deleting asks first, then removes the selected record (its history says so)
    await page.goto(`/app/forms/${formId}/records`);
    await poll(() => list.getByRole('listitem').count()).toBe(4);
    await page.getByRole('button', { name: 'Select', exact: true }).click();
    await list.getByRole('checkbox', { name: 'Broken chair' }).check();
    await bulk.getByRole('button', { name: 'Delete selected' }).click();
    const confirm = page.getByRole('alertdialog', { name: 'Confirm delete' });
    await confirm.getByText('Delete 1 record?').waitFor();
    await shot(page, 'bulk-delete-confirm');
    await confirm.getByRole('button', { name: 'Delete', exact: true }).click();
    await result.getByText('1 deleted').waitFor();
    await poll(() => list.getByRole('listitem').count()).toBe(3);
    expect((await api('GET', `/api/forms/${formId}/records/${ids['Broken chair']}`)).status).toBe(404);
    expect(errors.errors).toEqual([]);
    await ctx.close();
  });

  it('the list header offers Export (CSV or Excel) to those who may export', async () => {
    const ctx = await web.context(PHONE);
    const page = await firstPage(ctx);
    await signInUi(page, '/app/', 'admin@example.com', 'admin-password-for-tests');
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    await page.goto(`/app/forms/${formId}/records`);
    await page.getByRole('button', { name: 'Export' }).click();
    const formats = page.getByRole('group', { name: 'Export format' });
    await formats.getByRole('button', { name: 'CSV' }).waitFor();
    await formats.getByRole('button', { name: 'Excel' }).waitFor();
    await shot(page, 'bulk-export-menu');
    await ctx.close();
  });
});
