import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { DESKTOP, firstPage, shot, signInUi, startWeb, watchErrors, type Web } from './support/browser.js';
import { http, PROCESS_ADMIN } from '../support/process.js';

// Data import in the runtime: an admin maps a CSV's columns to an order form's fields (a number
// column by hand, a link column matched by the customers' code), sees the exact bad rows in a dry
// run with nothing stored, fixes the file, imports it as a job with a progress bar, reloads the
// job's address, and finds the rows in the list; then an XLSX file with Chinese headers. Wrong
// files (not CSV/XLSX, unreadable, too large) are refused clearly; a reader is not offered import.

// exceljs is the server's dependency: the test writes its XLSX file with it
const ExcelJS = createRequire(new URL('../../server/package.json', import.meta.url))('exceljs') as {
  Workbook: new () => { addWorksheet(name: string): { addRow(values: unknown[]): unknown }; xlsx: { writeBuffer(): Promise<ArrayBuffer> } };
};

const poll = <T>(fn: () => Promise<T>) => expect.poll(fn, { timeout: 20_000, interval: 100 });
const PASSWORD = 'import-e2e-password';
const MAX_IMPORT_BYTES = 1_000_000;
const LARGE_ROWS = 20_000;

const customerForm = {
  name: { en: 'Customer', zh: '客户' },
  titleField: 'name',
  fields: [
    { key: 'code', type: 'text', label: { en: 'Code', zh: '代码' }, required: true, unique: true },
    { key: 'name', type: 'text', label: { en: 'Name', zh: '名称' }, required: true },
  ],
};
const orderForm = (customers: string) => ({
  name: { en: 'Order', zh: '订单' },
  titleField: 'title',
  fields: [
    { key: 'no', type: 'serial', label: { en: 'Order no.', zh: '订单号' }, pattern: 'O-{000}' },
    { key: 'title', type: 'text', label: { en: 'Title', zh: '标题' }, required: true },
    { key: 'qty', type: 'number', label: { en: 'Quantity', zh: '数量' }, required: true, min: 0, max: 1000 },
    { key: 'kind', type: 'select', label: { en: 'Kind', zh: '类型' }, options: ['a', 'b'] },
    { key: 'customer', type: 'link', label: { en: 'Customer', zh: '客户' }, form: customers },
  ],
});

const BAD_CSV = [
  'Title,Amount,Kind,Customer,Notes',
  'Bolts,10,a,C-1,first order',
  'Nuts,lots,b,C-2,', // 2: not a number
  'Screws,5,b,C-9,', // 3: no customer has code C-9
  'Washers,3,a,C-1,',
].join('\r\n');
const FIXED_CSV = BAD_CSV.replace('Nuts,lots', 'Nuts,20').replace('C-9', 'C-2');
const csv = (name: string, text: string) => ({ name, mimeType: 'text/csv', buffer: Buffer.from(text, 'utf8') });

describe('data import in the runtime', () => {
  let web: Web;
  let formId = '';
  let customersId = '';
  const customerIds: Record<string, string> = {};
  const api = <T = any>(method: string, path: string, body?: unknown, token = web.server.token) => http<T>(web.url, method, path, body, token);
  const count = async () => (await api('GET', `/api/forms/${formId}/records?count=true&limit=1`)).body.total as number;

  beforeAll(async () => {
    web = await startWeb({ TRELLIS_MAX_IMPORT_BYTES: String(MAX_IMPORT_BYTES) });
    const app = await api('POST', '/api/apps', { name: { en: 'Sales', zh: '销售' } });
    expect(app.status, JSON.stringify(app.body)).toBe(201);
    const customers = await api('POST', `/api/apps/${app.body.id}/forms`, customerForm);
    expect(customers.status, JSON.stringify(customers.body)).toBe(201);
    customersId = customers.body.id;
    expect((await api('POST', `/api/forms/${customers.body.id}/publish`)).status).toBe(200);
    for (const [code, name] of [['C-1', 'Acme'], ['C-2', 'Globex']] as const) {
      const r = await api('POST', `/api/forms/${customers.body.id}/records`, { data: { code, name } });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      customerIds[name] = r.body.id;
    }
    const orders = await api('POST', `/api/apps/${app.body.id}/forms`, orderForm(customers.body.id));
    expect(orders.status, JSON.stringify(orders.body)).toBe(201);
    formId = orders.body.id;
    expect((await api('POST', `/api/forms/${formId}/publish`)).status).toBe(200);
    const reader = await api('POST', '/api/roles', { name: 'Reader', forms: { [formId]: { actions: ['view'], scope: 'all' } } });
    expect(reader.status, JSON.stringify(reader.body)).toBe(201);
    const vic = await api('POST', '/api/users', { email: 'vic@example.com', name: 'Vic Reader', password: PASSWORD, roles: [reader.body.id] });
    expect(vic.status, JSON.stringify(vic.body)).toBe(201);
  });
  afterAll(async () => web?.close());

  it('an admin imports a spreadsheet: maps columns, sees the bad rows in a dry run, fixes the file and imports with a progress bar', async () => {
    const ctx = await web.context(DESKTOP);
    const page = await firstPage(ctx);
    const errors = watchErrors(page);
    await signInUi(page, '/app/', PROCESS_ADMIN.email, PROCESS_ADMIN.password);
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    await page.goto(`/app/forms/${formId}/records`);
    await page.getByRole('link', { name: 'Import', exact: true }).click();
    await page.getByRole('heading', { name: 'Import into Order' }).waitFor();
    expect(page.url()).toContain(`/app/forms/${formId}/import`);

    // 1. the file; 2. the columns: matched by label, "Amount" by hand, the customer by its code
    await page.getByLabel('Choose a CSV or Excel file').setInputFiles(csv('orders.csv', BAD_CSV));
    await page.getByLabel('Chosen file').getByText('4 rows, 5 columns').waitFor();
    const mapping = page.getByRole('table', { name: 'Column mapping' });
    const fieldFor = (column: string) => mapping.getByLabel(`Field for column “${column}”`);
    await expect.poll(() => fieldFor('Title').inputValue()).toBe('title');
    expect(await fieldFor('Kind').inputValue()).toBe('kind');
    expect(await fieldFor('Customer').inputValue()).toBe('customer');
    expect(await fieldFor('Amount').inputValue()).toBe('');
    expect(await fieldFor('Notes').inputValue()).toBe('');
    // computed fields (the serial number) are not offered
    expect(await fieldFor('Amount').locator('option').allTextContents()).toEqual(['Skip', 'Title * (now “Title”)', 'Quantity *', 'Kind (now “Kind”)', 'Customer (now “Customer”)']);
    expect(await mapping.getByRole('row', { name: /Amount/ }).textContent()).toContain('10 · lots · 5');
    const missing = page.getByRole('status', { name: 'Required fields without a column' });
    expect(await missing.textContent()).toContain('Required fields without a column: Quantity.');
    await fieldFor('Amount').selectOption('qty');
    await missing.waitFor({ state: 'detached' });
    const matchBy = mapping.getByLabel('Match “Customer” by');
    expect(await matchBy.inputValue()).toBe('name'); // the customers' title field first
    expect(await matchBy.locator('option').allTextContents()).toEqual(['Code', 'Name', 'Record ID']);
    await matchBy.selectOption('code');
    await shot(page, 'import-mapping', { fullPage: true });

    // 3. the dry run: the exact bad rows and reasons, nothing stored
    await page.getByRole('button', { name: 'Check (dry run)' }).click();
    const result = page.getByRole('status', { name: 'Dry run result' });
    await result.getByText('Rows that would fail: 2 of 4. Rows that would import: 2. Nothing has been imported.').waitFor();
    const bad = page.getByRole('table', { name: 'Rows that would fail' });
    const rows = async () => (await bad.locator('tbody tr').allInnerTexts()).map((r) => r.split('\t').map((c) => c.trim()));
    expect(await rows()).toEqual([
      ['2', 'Amount', 'Quantity', '"lots" is not a number'],
      ['3', 'Customer', 'Customer', 'No record has code "C-9"'],
    ]);
    expect(await page.getByText('Problems 1–2 of 2').count()).toBe(1);
    expect(await page.getByRole('button', { name: /^Import \d+ rows$/ }).count()).toBe(0);
    await shot(page, 'import-report', { fullPage: true });
    expect(await count()).toBe(0);

    // the fixed file, dropped on the drop zone, keeps the mapping made for the same columns; its check is clean
    const dropped = await page.evaluateHandle((text) => {
      const dt = new DataTransfer();
      dt.items.add(new File([text], 'orders-fixed.csv', { type: 'text/csv' }));
      return dt;
    }, FIXED_CSV);
    await page.getByRole('group', { name: 'File to import' }).dispatchEvent('drop', { dataTransfer: dropped });
    await page.getByLabel('Chosen file').getByText('orders-fixed.csv').waitFor();
    await expect.poll(() => fieldFor('Amount').inputValue()).toBe('qty');
    expect(await matchBy.inputValue()).toBe('code');
    await page.getByRole('button', { name: 'Check (dry run)' }).click();
    await result.getByText('4 rows would import, none would fail.').waitFor();
    expect(await count()).toBe(0);

    // 4. the import: a job followed with a progress bar, its id in the address
    await page.getByRole('button', { name: 'Import 4 rows' }).click();
    const done = page.getByRole('status', { name: 'Import result' });
    const bar = page.getByRole('progressbar', { name: 'Import progress' });
    await bar.or(done).first().waitFor();
    await poll(async () => new URL(page.url()).searchParams.get('job')).toMatch(/^[a-z0-9]+$/);
    await done.getByText('Imported 4 rows.').waitFor();
    // a reload shows the same job again
    await page.reload();
    await done.getByText('Imported 4 rows.').waitFor();
    expect(await count()).toBe(4);
    const stored = (await api('GET', `/api/forms/${formId}/records?limit=10&sort=title`)).body.items as { data: Record<string, unknown> }[];
    expect(stored.map((r) => [r.data.title, r.data.qty, r.data.kind, r.data.customer])).toEqual([
      ['Bolts', 10, 'a', customerIds.Acme],
      ['Nuts', 20, 'b', customerIds.Globex],
      ['Screws', 5, 'b', customerIds.Globex],
      ['Washers', 3, 'a', customerIds.Acme],
    ]);
    for (const r of stored) expect(r.data.no).toMatch(/^O-\d{3}$/);

    await page.getByRole('link', { name: 'Open the record list' }).click();
    const list = page.getByRole('list', { name: 'Records' });
    await poll(() => list.getByRole('listitem').count()).toBe(4);
    for (const title of ['Bolts', 'Nuts', 'Screws', 'Washers']) expect(await list.getByRole('listitem').filter({ hasText: title }).count()).toBe(1);

    // an XLSX file with Chinese headers and typed cells, the customer by name (the default)
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('订单');
    ws.addRow(['标题', '数量', '类型', '客户']);
    ws.addRow(['Gears', 7, 'a', 'Acme']);
    ws.addRow(['Springs', 2.5, 'b', 'Globex']);
    const xlsx = Buffer.from(await wb.xlsx.writeBuffer());
    await page.getByRole('link', { name: 'Import', exact: true }).click();
    await page.getByLabel('Choose a CSV or Excel file').setInputFiles({ name: 'orders.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: xlsx });
    await page.getByLabel('Chosen file').getByText('2 rows, 4 columns').waitFor();
    expect(await fieldFor('数量').inputValue()).toBe('qty');
    expect(await fieldFor('客户').inputValue()).toBe('customer');
    expect(await mapping.getByLabel('Match “Customer” by').inputValue()).toBe('name');
    await page.getByRole('button', { name: 'Check (dry run)' }).click();
    await result.getByText('2 rows would import, none would fail.').waitFor();
    // a customer removed between the check and the import: the job fails, says why, and nothing is stored
    expect((await api('DELETE', `/api/forms/${customersId}/records/${customerIds.Globex}`)).status).toBe(204);
    await page.getByRole('button', { name: 'Import 2 rows' }).click();
    const failed = page.getByRole('alert', { name: 'Import result' });
    await failed.getByText('The import failed.').waitFor();
    expect(await failed.textContent()).toContain('Nothing was imported: an import is all or nothing, and any rows it had stored were removed again.');
    expect(await page.getByRole('table', { name: 'Rows that failed' }).locator('tbody tr').allInnerTexts()).toEqual([['2', '客户', 'Customer', 'No record has name "Globex"'].join('\t')]);
    expect(await count()).toBe(4);
    await shot(page, 'import-failed');
    // the customer is back: the same file imports
    const globex = await api('POST', `/api/forms/${customersId}/records`, { data: { code: 'C-2', name: 'Globex' } });
    expect(globex.status, JSON.stringify(globex.body)).toBe(201);
    customerIds.Globex = globex.body.id;
    await page.getByRole('button', { name: 'Import another file' }).click();
    await page.getByRole('heading', { name: '1. File' }).waitFor();
    await page.getByLabel('Choose a CSV or Excel file').setInputFiles({ name: 'orders.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: xlsx });
    // the file is read (a refusal would show as an alert: say which, rather than wait for a button that never comes)
    await page.getByLabel('Chosen file').getByText('2 rows, 4 columns').waitFor().catch(async (e: unknown) => {
      throw new Error(`the chosen file was not read; the page says: ${await page.locator('main').innerText().catch(() => '?')}`, { cause: e });
    });
    await page.getByRole('button', { name: 'Check (dry run)' }).click();
    await result.getByText('2 rows would import, none would fail.').waitFor();
    await page.getByRole('button', { name: 'Import 2 rows' }).click();
    await done.getByText('Imported 2 rows.').waitFor();
    expect(await count()).toBe(6);
    const gears = (await api('GET', `/api/forms/${formId}/records?filter=${encodeURIComponent(JSON.stringify({ field: 'title', op: 'eq', value: 'Springs' }))}`)).body.items[0];
    expect([gears.data.qty, gears.data.customer]).toEqual([2.5, customerIds.Globex]);

    // wrong files are refused with the reason, and nothing changes
    await page.getByRole('button', { name: 'Import another file' }).click();
    const input = page.getByLabel('Choose a CSV or Excel file');
    const alert = page.getByRole('alert');
    await input.setInputFiles({ name: 'orders.xls', mimeType: 'application/vnd.ms-excel', buffer: Buffer.from('not a workbook') });
    await alert.getByText('“orders.xls” is not a CSV or XLSX file.', { exact: false }).waitFor();
    await input.setInputFiles({ name: 'broken.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: Buffer.from('PK not really a zip') });
    await alert.getByText('The file cannot be imported:', { exact: false }).waitFor();
    expect(await alert.textContent()).toContain('not a readable XLSX workbook');
    const big = 'Title,Amount\r\n' + 'A long enough title for a big file,1\r\n'.repeat(Math.ceil((MAX_IMPORT_BYTES * 1.5) / 37));
    await input.setInputFiles(csv('big.csv', big));
    await alert.getByText('The file is too large to import.', { exact: false }).waitFor();
    expect(await page.getByRole('table', { name: 'Column mapping' }).count()).toBe(0);
    expect(await count()).toBe(6);
    expect(errors.errors).toEqual([]);
  });

  it('a large file: the progress bar follows the job, and leaving the page while it runs does not stop it', async () => {
    const before = await count();
    const ctx = await web.context(DESKTOP);
    const page = await firstPage(ctx);
    const errors = watchErrors(page);
    await signInUi(page, '/app/', PROCESS_ADMIN.email, PROCESS_ADMIN.password);
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    await page.goto(`/app/forms/${formId}/import`);
    const rows = Array.from({ length: LARGE_ROWS }, (_, i) => `Bulk item ${i + 1},${i % 1000},${i % 2 ? 'a' : 'b'}`);
    const text = ['Title,Quantity,Kind', ...rows].join('\r\n');
    expect(text.length).toBeLessThan(MAX_IMPORT_BYTES);
    await page.getByLabel('Choose a CSV or Excel file').setInputFiles(csv('bulk.csv', text));
    await page.getByLabel('Chosen file').getByText('20,000 rows, 3 columns').waitFor();
    await page.getByRole('button', { name: 'Check (dry run)' }).click();
    await page.getByRole('status', { name: 'Dry run result' }).getByText('20,000 rows would import, none would fail.').waitFor({ timeout: 60_000 });
    await page.getByRole('button', { name: 'Import 20,000 rows' }).click();

    const bar = page.getByRole('progressbar', { name: 'Import progress' });
    // the bar, with its numbers read in one go (it goes away when the job ends)
    const seen = await bar.evaluate((el) => [el.getAttribute('aria-valuenow'), el.getAttribute('aria-valuemin'), el.getAttribute('aria-valuemax')].map(Number));
    expect(seen[0]).toBeLessThan(LARGE_ROWS);
    expect(seen[1]).toBe(0);
    expect(seen[2]).toBeGreaterThanOrEqual(1);
    // the picture of rows being stored when the job gets there first, else of the result
    await page.getByText(/^Importing: /).or(page.getByRole('status', { name: 'Import result' })).first().waitFor({ timeout: 90_000 });
    await shot(page, 'import-progress');
    const jobUrl = page.url();
    expect(new URL(jobUrl).searchParams.get('job')).toMatch(/^[a-z0-9]+$/);
    // away to the list and back to the job's address: the same job, still going or done
    await page.goto(`/app/forms/${formId}/records`);
    await page.getByRole('list', { name: 'Records' }).waitFor();
    await page.goBack();
    expect(page.url()).toBe(jobUrl);
    await page.getByRole('status', { name: 'Import result' }).getByText('Imported 20,000 rows.').waitFor({ timeout: 90_000 });
    expect(await count()).toBe(before + LARGE_ROWS);
    expect(errors.errors).toEqual([]);
  });

  it('a reader who may not add records is not offered import', async () => {
    const ctx = await web.context(DESKTOP);
    const page = await firstPage(ctx);
    await signInUi(page, '/app/', 'vic@example.com', PASSWORD);
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    await page.goto(`/app/forms/${formId}/records`);
    await poll(async () => (await page.getByRole('list', { name: 'Records' }).getByRole('listitem').count()) > 0).toBe(true);
    expect(await page.getByRole('link', { name: 'New', exact: true }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Import', exact: true }).count()).toBe(0);
    await page.goto(`/app/forms/${formId}/import`);
    await page.getByRole('alert').getByText('You may not add records to this form, so you cannot import into it.').waitFor();
    expect(await page.getByLabel('Choose a CSV or Excel file').count()).toBe(0);
  });
});
