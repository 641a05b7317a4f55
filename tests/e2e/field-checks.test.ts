// A check of a value, end to end: the admin gives the quantity of a material request the check
// "{qty} <= {stock}" with a message in the designer's field rules and publishes; an employee on a
// phone sees the message under the quantity as soon as it is too large (the browser runs the same
// record engine as the server), cannot submit, lowers it and submits; the server refuses the same
// record sent past the browser.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { http, PROCESS_ADMIN } from '../support/process.js';
import { DESKTOP, firstPage, PHONE, shot, signInUi, startWeb, watchErrors, type Web } from './support/browser.js';

const poll = <T>(fn: () => Promise<T>) => expect.poll(fn, { timeout: 15_000, interval: 100 });
const PASSWORD = 'checks-e2e-password';

describe('checks of a value', () => {
  let web: Web;
  let formId = '';
  const api = <T = any>(method: string, path: string, body?: unknown, token = web.server.token) => http<T>(web.url, method, path, body, token);

  beforeAll(async () => {
    web = await startWeb();
    const app = await api('POST', '/api/apps', { name: { en: 'Stores', zh: '仓库' } });
    expect(app.status, JSON.stringify(app.body)).toBe(201);
    const form = await api('POST', `/api/apps/${app.body.id}/forms`, {
      name: { en: 'Material request', zh: '领料申请' },
      fields: [
        { key: 'item', type: 'text', label: { en: 'Item', zh: '物料' }, required: true },
        { key: 'stock', type: 'number', label: { en: 'In stock', zh: '现存量' } },
        { key: 'qty', type: 'number', label: { en: 'Quantity', zh: '数量' } },
      ],
    });
    expect(form.status, JSON.stringify(form.body)).toBe(201);
    formId = form.body.id;
    const role = await api('POST', '/api/roles', { name: 'Requester', forms: { [formId]: { actions: ['submit', 'view'], scope: 'own' } } });
    expect((await api('POST', '/api/users', { email: 'rui@example.com', name: 'Rui', password: PASSWORD, roles: [role.body.id] })).status).toBe(201);
  }, 120_000);
  afterAll(async () => web?.close());

  it('an admin sets the check in the designer; an employee on a phone is told before submitting', async () => {
    const desk = await firstPage(await web.context(DESKTOP));
    const deskErrors = watchErrors(desk);
    await signInUi(desk, '/designer/', PROCESS_ADMIN.email, PROCESS_ADMIN.password);
    await desk.getByRole('button', { name: 'Sign out' }).waitFor();
    await desk.goto(`/designer/forms/${formId}`);
    const canvas = desk.getByRole('region', { name: 'Form canvas' });
    await canvas.getByRole('button', { name: /^Quantity/ }).click();
    const check = desk.getByRole('complementary', { name: 'Properties' }).getByRole('group', { name: 'Check the value' });
    await check.getByLabel('Must be true').fill('{qty} <= {stock}');
    await check.getByLabel('Message when it fails (English)').fill('More than is in stock');
    await check.getByLabel('Message when it fails (Chinese)').fill('超出现存量');
    await shot(desk, 'field-checks-01-designer');
    await desk.getByRole('button', { name: 'Publish', exact: true }).click();
    const dialog = desk.getByRole('dialog', { name: 'Publish version 1' });
    await dialog.getByRole('button', { name: 'Publish now' }).click();
    await desk.getByText('Published version 1.').waitFor();
    const published = (await api('GET', `/api/forms/${formId}`)).body.published.definition;
    expect(published.rules).toEqual([{ field: 'qty', check: { '<=': [{ var: 'qty' }, { var: 'stock' }] }, message: { en: 'More than is in stock', zh: '超出现存量' } }]);
    expect(deskErrors.errors).toEqual([]);

    const phone = await firstPage(await web.context(PHONE));
    const phoneErrors = watchErrors(phone);
    await signInUi(phone, '/app/', 'rui@example.com', PASSWORD);
    await phone.getByRole('link', { name: /Home|首页/ }).first().waitFor();
    await phone.goto(`/app/forms/${formId}/new`);
    await phone.getByLabel('Item').fill('M8 bolts');
    await phone.getByLabel('In stock').fill('10');
    await phone.getByLabel('Quantity').fill('12');
    await phone.getByRole('button', { name: 'Submit' }).click();
    const error = phone.locator('[data-field="qty"] .error');
    await poll(() => error.textContent()).toBe('More than is in stock');
    await shot(phone, 'field-checks-02-phone-refused');
    expect((await api('GET', `/api/forms/${formId}/records?count=true&limit=1`)).body.total).toBe(0);
    await phone.getByLabel('Quantity').fill('8');
    await poll(() => error.count()).toBe(0);
    await phone.getByRole('button', { name: 'Submit' }).click();
    await phone.getByRole('heading', { name: 'Submitted' }).waitFor();
    expect(phoneErrors.errors).toEqual([]);

    const stored = (await api('GET', `/api/forms/${formId}/records`)).body.items;
    expect(stored.map((r: any) => r.data)).toEqual([{ item: 'M8 bolts', stock: 10, qty: 8 }]);
    // the server runs the same check for a request that never saw the page
    const forged = await api('POST', `/api/forms/${formId}/records`, { data: { item: 'Nuts', stock: 1, qty: 5 } });
    expect(forged.status).toBe(422);
    expect(forged.body.error.details.fields).toEqual([{ field: 'qty', code: 'check', message: { en: 'More than is in stock', zh: '超出现存量' } }]);
  });
});
