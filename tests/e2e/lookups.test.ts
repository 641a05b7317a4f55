// Lookups and value linkage show while the form is filled, computed in the browser by the same
// engine as the server from what the API returns: picking a supplier shows its phone; typing a
// product code fills the price. The stored record agrees.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { http } from '../support/process.js';
import { firstPage, PHONE, shot, startWeb, watchErrors, type Web } from './support/browser.js';

const poll = <T>(fn: () => Promise<T>) => expect.poll(fn, { timeout: 10_000, interval: 100 });

describe('filling a form that reads other forms', () => {
  let web: Web;
  let page: Page;
  let errors: string[];
  let orderForm = '';
  const api = <T = any>(method: string, path: string, body?: unknown) => http<T>(web.url, method, path, body, web.server.token);
  const created = async (path: string, body: unknown) => {
    const r = await api('POST', path, body);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body;
  };

  beforeAll(async () => {
    web = await startWeb();
    const app = await created('/api/apps', { name: 'Buying' });
    const suppliers = (await created(`/api/apps/${app.id}/forms`, { name: 'Suppliers', titleField: 'name', fields: [{ key: 'name', type: 'text', label: 'Name' }, { key: 'phone', type: 'phone', label: 'Phone' }] })).id;
    const products = (await created(`/api/apps/${app.id}/forms`, { name: 'Products', fields: [{ key: 'sku', type: 'text', label: 'SKU' }, { key: 'price', type: 'money', label: 'Price' }] })).id;
    for (const f of [suppliers, products]) expect((await api('POST', `/api/forms/${f}/publish`)).status).toBe(200);
    await created(`/api/forms/${suppliers}/records`, { data: { name: 'Acme Tools', phone: '+86 21 5555 0101' } });
    await created(`/api/forms/${suppliers}/records`, { data: { name: 'Globex', phone: '+86 10 5555 0202' } });
    await created(`/api/forms/${products}/records`, { data: { sku: 'CH-01', price: 320 } });
    orderForm = (await created(`/api/apps/${app.id}/forms`, {
      name: 'Order',
      fields: [
        { key: 'supplier', type: 'link', label: 'Supplier', form: suppliers, displayField: 'name' },
        { key: 'supplier_phone', type: 'lookup', label: 'Supplier phone', link: 'supplier', field: 'phone' },
        { key: 'sku', type: 'text', label: 'Product code' },
        { key: 'price', type: 'money', label: 'Unit price' },
      ],
      rules: [{ field: 'price', fill: { form: products, match: { sku: { var: 'sku' } }, take: 'price' } }],
    })).id;
    const pub = await api('POST', `/api/forms/${orderForm}/publish`);
    expect(pub.status, JSON.stringify(pub.body)).toBe(200);

    const ctx = await web.context(PHONE);
    await ctx.addInitScript((t: string) => localStorage.setItem('trellis.token', t), web.server.token);
    page = await firstPage(ctx);
    errors = watchErrors(page).errors;
  }, 60_000);
  afterAll(async () => web?.close());

  it('shows the picked supplier\'s phone and fills the price of a product code as the user types', async () => {
    await page.goto(`/app/forms/${orderForm}/new`);
    await page.getByRole('heading', { name: 'Order' }).waitFor();
    await page.getByLabel('Supplier', { exact: true }).fill('Acme');
    await page.getByRole('list', { name: 'Matches for Supplier' }).getByRole('button', { name: /Acme Tools/ }).click();
    await poll(() => page.getByLabel('Supplier phone').inputValue()).toBe('+86 21 5555 0101');
    await page.getByLabel('Product code').fill('CH-01');
    await poll(() => page.getByLabel('Unit price').inputValue()).toMatch(/^320(\.00)?$/);
    await shot(page, 'lookups-filled');
    // an unknown code finds nothing: the price stays as it was
    await page.getByLabel('Product code').fill('NOPE');
    await page.waitForTimeout(600);
    await page.getByLabel('Product code').fill('CH-01');
    await page.getByRole('button', { name: 'Submit' }).click();
    await page.getByRole('heading', { name: 'Submitted' }).waitFor();
    const [rec] = (await api('GET', `/api/forms/${orderForm}/records`)).body.items;
    expect(rec.data).toMatchObject({ supplier_phone: '+86 21 5555 0101', sku: 'CH-01', price: 320 });
    expect(errors).toEqual([]);
  }, 60_000);
});
