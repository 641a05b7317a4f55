import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DESKTOP, firstPage, PHONE, shot, signInUi, startWeb, watchErrors, type Web } from './support/browser.js';
import { http, PROCESS_ADMIN } from '../support/process.js';

// Printing: an admin makes a print template for the order form in the designer, adds a text
// block and previews an order in it; on a phone the order's "Print" opens the printable page
// in a new tab and downloads the PDF.

const poll = <T>(fn: () => Promise<T>) => expect.poll(fn, { timeout: 15_000, interval: 150 });

const orderForm = {
  name: { en: 'Order', zh: '订单' },
  titleField: 'title',
  fields: [
    { key: 'title', type: 'text', label: { en: 'Title', zh: '标题' } },
    { key: 'amount', type: 'money', label: { en: 'Amount', zh: '金额' }, currency: 'CNY' },
    {
      key: 'lines', type: 'subtable', label: { en: 'Lines', zh: '明细' }, fields: [
        { key: 'item', type: 'text', label: { en: 'Item', zh: '品名' } },
        { key: 'qty', type: 'number', label: { en: 'Qty', zh: '数量' } },
      ],
    },
  ],
};

describe('print templates', () => {
  let web: Web;
  let formId = '';
  let recordId = '';
  const api = <T = any>(method: string, path: string, body?: unknown) => http<T>(web.url, method, path, body, web.server.token);

  beforeAll(async () => {
    web = await startWeb();
    const app = await api('POST', '/api/apps', { name: { en: 'Sales', zh: '销售' } });
    expect(app.status, JSON.stringify(app.body)).toBe(201);
    const form = await api('POST', `/api/apps/${app.body.id}/forms`, orderForm);
    expect(form.status, JSON.stringify(form.body)).toBe(201);
    formId = form.body.id;
    expect((await api('POST', `/api/forms/${formId}/publish`)).status).toBe(200);
    const lines = Array.from({ length: 5 }, (_, i) => ({ item: `办公桌 Desk ${i + 1}`, qty: i + 1 }));
    const r = await api('POST', `/api/forms/${formId}/records`, { data: { title: '年度采购 Annual order', amount: 880, lines } });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    recordId = r.body.id;
  });
  afterAll(async () => web?.close());

  it('designs a template with a text block and previews an order in it', async () => {
    const ctx = await web.context(DESKTOP);
    const page = await firstPage(ctx);
    const errors = watchErrors(page);
    await signInUi(page, '/designer/', PROCESS_ADMIN.email, PROCESS_ADMIN.password);
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    await page.goto(`/designer/apps/${(await api('GET', `/api/forms/${formId}`)).body.appId}`);
    await page.getByRole('link', { name: 'Print templates' }).click();
    await page.getByRole('heading', { name: 'Print templates' }).waitFor();
    await page.getByRole('button', { name: 'New template' }).click();

    // the starter template has the title, the fields and the sub-table
    const blocks = page.getByRole('region', { name: 'Blocks' });
    await blocks.getByRole('listitem', { name: 'Block 3: Sub-table' }).waitFor();
    await page.getByLabel('New block').selectOption({ label: 'Text' });
    await page.getByRole('button', { name: 'Add block' }).click();
    await page.getByLabel('Text 4 (English)').fill('Thank you for your order {title}');
    await page.getByLabel('Footer (English)').fill('Page {page} of {pages}');
    // an unknown placeholder is refused by the server and shown at its block
    await page.getByLabel('Text 4 (English)').fill('Thank you {nope}');
    await page.getByRole('button', { name: 'Save template' }).click();
    await blocks.getByRole('listitem', { name: 'Block 4: Text' }).getByRole('alert').filter({ hasText: '{nope} is not a field of the form' }).waitFor();
    await page.getByLabel('Text 4 (English)').fill('Thank you for your order {title}');
    // the new block goes first
    for (let i = 4; i > 1; i--) await page.getByRole('button', { name: `Move block ${i} up` }).click();
    await blocks.getByRole('listitem', { name: 'Block 1: Text' }).waitFor();
    await page.getByRole('button', { name: 'Save template' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();

    await page.getByRole('button', { name: 'Choose a record to preview' }).click();
    await page.getByRole('button', { name: 'Show preview' }).click();
    const frame = page.frameLocator('iframe[title="Print preview"]');
    await frame.getByText('Thank you for your order 年度采购 Annual order').waitFor();
    await frame.getByRole('cell', { name: '办公桌 Desk 5' }).waitFor();
    await page.locator('iframe[title="Print preview"]').scrollIntoViewIfNeeded();
    // the sandboxed frame paints in its own process a moment after its text is there: only the picture needs the pause
    await page.waitForTimeout(500);
    await shot(page, 'printing-designer-preview');

    const saved = await api('GET', `/api/forms/${formId}/print-templates`);
    expect(saved.body.items).toHaveLength(1);
    expect(saved.body.items[0].definition.body[0]).toEqual({ type: 'text', text: 'Thank you for your order {title}' });
    expect(errors.errors).toEqual([]);
  });

  it('prints an order from its page on a phone: the printable page in a new tab, and the PDF', async () => {
    const ctx = await web.context(PHONE);
    const page = await firstPage(ctx);
    const errors = watchErrors(page);
    await signInUi(page, '/app/', PROCESS_ADMIN.email, PROCESS_ADMIN.password);
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    await page.goto(`/app/records/${formId}/${recordId}`);
    await page.getByRole('button', { name: 'Print', exact: true }).click();
    const menu = page.getByRole('region', { name: 'Print templates' });
    await menu.getByText('Order').waitFor();
    await shot(page, 'printing-runtime-menu');

    const [tab] = await Promise.all([ctx.waitForEvent('page'), menu.getByRole('button', { name: 'Print Order' }).click()]);
    await poll(async () => tab.url()).toMatch(/^blob:/);
    await tab.getByRole('heading', { name: 'Order' }).waitFor();
    await tab.getByText('Thank you for your order 年度采购 Annual order').waitFor();
    await shot(tab, 'printing-runtime-page');
    await tab.close();

    const [download] = await Promise.all([page.waitForEvent('download'), menu.getByRole('button', { name: 'Download Order as PDF' }).click()]);
    expect(download.suggestedFilename()).toBe('Order.pdf');
    const file = await download.path();
    expect(readFileSync(file).subarray(0, 5).toString()).toBe('%PDF-');
    expect(errors.errors).toEqual([]);
  });
});
