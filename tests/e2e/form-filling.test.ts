import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { firstPage, PHONE, shot, signInUi, startWeb, watchErrors, type Web } from './support/browser.js';
import { http } from '../support/process.js';

// An employee fills a purchase order on a 360×740 phone: a rule shows "Reason" only for large
// amounts, two sub-table rows are added and one removed, a quote is uploaded, the draft survives a
// reload, the server refuses a duplicate order code on that very field, and the fixed order goes through.

const PASSWORD = 'form-filling-password';
const poll = <T>(fn: () => Promise<T>) => expect.poll(fn, { timeout: 10_000, interval: 100 });
const shown = (l: Locator) => l.waitFor({ state: 'visible' });
const gone = (l: Locator) => l.waitFor({ state: 'detached' });

const orderForm = {
  name: { en: 'Purchase order', zh: '采购单' },
  titleField: 'title',
  fields: [
    { key: 'title', type: 'text', label: { en: 'Title', zh: '标题' }, required: true },
    { key: 'code', type: 'text', label: { en: 'Order code', zh: '订单编号' }, required: true, unique: true, width: 'half' },
    { key: 'needBy', type: 'date', label: { en: 'Need by', zh: '需要日期' }, width: 'half' },
    { key: 'amount', type: 'money', label: { en: 'Amount', zh: '金额' }, currency: 'CNY', min: 0 },
    { key: 'reason', type: 'textarea', label: { en: 'Reason', zh: '原因' } },
    { key: 'category', type: 'select', label: { en: 'Category', zh: '类别' }, options: [{ value: 'office', label: { en: 'Office', zh: '办公' } }, { value: 'it', label: { en: 'IT', zh: '信息技术' } }] },
    { key: 'urgent', type: 'checkbox', label: { en: 'Urgent', zh: '加急' } },
    { key: 'quote', type: 'attachment', label: { en: 'Quote', zh: '报价单' }, multiple: true, section: 'Documents' },
    {
      key: 'lines', type: 'subtable', label: { en: 'Lines', zh: '明细' }, section: 'Documents',
      fields: [
        { key: 'item', type: 'text', label: { en: 'Item', zh: '物品' }, required: true },
        { key: 'qty', type: 'number', label: { en: 'Qty', zh: '数量' }, precision: 0, min: 1 },
        { key: 'price', type: 'money', label: { en: 'Price', zh: '单价' } },
        { key: 'lineTotal', type: 'formula', label: { en: 'Line total', zh: '小计' }, formula: { '*': [{ var: 'qty' }, { var: 'price' }] }, precision: 2 },
      ],
    },
    { key: 'total', type: 'formula', label: { en: 'Total', zh: '合计' }, formula: { sumOf: [{ var: 'lines' }, 'lineTotal'] }, precision: 2, section: 'Documents' },
  ],
  rules: [{ field: 'reason', visible: { '>': [{ var: 'amount' }, 1000] }, required: { '>': [{ var: 'amount' }, 1000] } }],
};

describe('an employee fills a form on a phone', () => {
  let web: Web;
  let formId = '';
  let ctx: BrowserContext;
  let page: Page;
  let errors: { errors: string[] };
  const api = <T = any>(method: string, path: string, body?: unknown, token = web.server.token) => http<T>(web.url, method, path, body, token);

  beforeAll(async () => {
    web = await startWeb();
    const app = await api('POST', '/api/apps', { name: { en: 'Purchasing', zh: '采购' } });
    expect(app.status, JSON.stringify(app.body)).toBe(201);
    const form = await api('POST', `/api/apps/${app.body.id}/forms`, orderForm);
    expect(form.status, JSON.stringify(form.body)).toBe(201);
    formId = form.body.id;
    expect((await api('POST', `/api/forms/${formId}/publish`)).status).toBe(200);
    const role = await api('POST', '/api/roles', { name: 'Buyer', forms: { [formId]: { actions: ['submit', 'view'], scope: 'own' } } });
    expect(role.status, JSON.stringify(role.body)).toBe(201);
    const user = await api('POST', '/api/users', { email: 'bo@example.com', name: 'Bo Buyer', password: PASSWORD, roles: [role.body.id] });
    expect(user.status, JSON.stringify(user.body)).toBe(201);
    // an order that already took the code PO-1
    expect((await api('POST', `/api/forms/${formId}/records`, { data: { title: 'Earlier order', code: 'PO-1' } })).status).toBe(201);

    ctx = await web.context(PHONE);
    page = await firstPage(ctx);
    errors = watchErrors(page);
    await signInUi(page, '/app/', 'bo@example.com', PASSWORD);
    await page.getByRole('button', { name: /Sign out|退出/ }).or(page.getByRole('link', { name: /Home|首页/ })).first().waitFor().catch(() => undefined);
  }, 120_000);
  afterAll(async () => web?.close());

  it('fills, sees the rule, adds and removes rows, uploads, keeps a draft, fixes a server error and submits', async () => {
    await page.goto(`/app/forms/${formId}/new`);
    await shown(page.getByRole('heading', { name: 'Purchase order' }));
    await shot(page, 'form-filling-01-empty');

    // the browser checks what it can before anything is sent
    await page.getByRole('button', { name: 'Submit' }).click();
    await poll(() => page.locator('[data-field="title"] .error').textContent()).toBe('This field is required');
    await shot(page, 'form-filling-02-required');

    await page.getByLabel('Title').fill('Office chairs');
    await gone(page.locator('[data-field="title"] .error'));
    await page.getByLabel('Order code').fill('PO-1');
    await page.getByLabel('Amount').fill('500');
    await gone(page.getByLabel('Reason', { exact: true }));
    await page.getByLabel('Amount').fill('5000');
    await shown(page.getByLabel('Reason', { exact: true }));
    await shot(page, 'form-filling-03-reason-shown');
    await page.getByLabel('Amount').fill('50');
    await gone(page.getByLabel('Reason', { exact: true }));
    await shot(page, 'form-filling-04-reason-hidden');
    await page.getByLabel('Amount').fill('1200');
    await page.getByLabel('Reason', { exact: true }).fill('The old chairs are broken');
    await page.getByLabel('Category').selectOption('office');
    await page.getByLabel('Urgent').check();

    // two rows, then the second goes
    const lines = page.getByRole('group', { name: 'Lines', exact: true });
    await lines.getByRole('button', { name: 'Add row' }).click();
    const row1 = page.getByRole('group', { name: 'Lines row 1' });
    await row1.getByLabel('Item').fill('Chair');
    await row1.getByLabel('Qty').fill('4');
    await row1.getByLabel('Price').fill('300');
    await lines.getByRole('button', { name: 'Add row' }).click();
    const row2 = page.getByRole('group', { name: 'Lines row 2' });
    await row2.getByLabel('Item').fill('Lamp');
    await row2.getByLabel('Qty').fill('2');
    await row2.getByLabel('Price').fill('25');
    await poll(() => page.getByLabel('Total', { exact: true }).inputValue()).toBe('1,250.00');
    await row2.scrollIntoViewIfNeeded();
    await shot(page, 'form-filling-05-two-rows');
    await row2.getByRole('button', { name: 'Remove row' }).click();
    await poll(() => page.getByRole('group', { name: /^Lines row/ }).count()).toBe(1);
    await poll(() => row1.getByLabel('Line total').inputValue()).toBe('1,200.00');
    await poll(() => page.getByLabel('Total', { exact: true }).inputValue()).toBe('1,200.00');
    await shot(page, 'form-filling-06-row-removed');

    // a quote, uploaded with progress and listed as a link
    await page.getByLabel('Quote').setInputFiles({ name: 'quote.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4 chairs quote') });
    await shown(page.getByRole('link', { name: 'quote.pdf' }));
    await shot(page, 'form-filling-07-uploaded');

    // a reload (or a dropped tab) loses nothing
    await page.reload();
    await shown(page.getByText('Draft restored'));
    await poll(() => page.getByLabel('Title').inputValue()).toBe('Office chairs');
    await poll(() => page.getByRole('group', { name: /^Lines row/ }).count()).toBe(1);
    await shown(page.getByRole('link', { name: 'quote.pdf' }));
    await shot(page, 'form-filling-08-draft-restored');

    // the server refuses the duplicate code; the message sits on that field
    await page.getByRole('button', { name: 'Submit' }).click();
    const codeError = page.locator('[data-field="code"] .error');
    await poll(() => codeError.textContent()).toBe('Another record already has this value.');
    await shown(page.getByText('Please correct the highlighted fields.'));
    // the first error is brought into view and focused
    await poll(() => page.getByLabel('Order code').evaluate((el) => el === document.activeElement)).toBe(true);
    await shot(page, 'form-filling-09-server-error');

    await page.getByLabel('Order code').fill('PO-2');
    await gone(codeError);
    await page.getByRole('button', { name: 'Submit' }).click();
    await shown(page.getByRole('heading', { name: 'Submitted' }));
    await shown(page.getByRole('link', { name: 'View record' }));
    await shown(page.getByRole('button', { name: 'Submit another' }));
    await shot(page, 'form-filling-10-submitted');

    const stored = (await api('GET', `/api/forms/${formId}/records?filter=${encodeURIComponent(JSON.stringify({ field: 'code', op: 'eq', value: 'PO-2' }))}`)).body.items;
    expect(stored).toHaveLength(1);
    const data = stored[0].data;
    expect(data).toMatchObject({ title: 'Office chairs', amount: 1200, reason: 'The old chairs are broken', category: 'office', urgent: true, total: 1200 });
    expect(data.lines).toEqual([{ item: 'Chair', qty: 4, price: 300, lineTotal: 1200 }]);
    expect(data.quote).toHaveLength(1);
    expect(data.quote[0]).toMatchObject({ name: 'quote.pdf', type: 'application/pdf' });
    // the file is readable through the record it belongs to
    const file = await fetch(`${web.url}/api/files/${data.quote[0].id}?record=${stored[0].id}&form=${formId}`, { headers: { authorization: `Bearer ${web.server.token}` } });
    expect(file.status).toBe(200);
    expect(await file.text()).toBe('%PDF-1.4 chairs quote');

    // the draft is gone after the submit; "Submit another" starts empty
    await page.getByRole('button', { name: 'Submit another' }).click();
    await poll(() => page.getByLabel('Title').inputValue()).toBe('');
    await gone(page.getByText('Draft restored'));
    expect(errors.errors).toEqual([]);
  }, 120_000);
});
