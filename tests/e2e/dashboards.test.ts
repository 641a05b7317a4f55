import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DESKTOP, dragTo, firstPage, PHONE, shot, signInUi, startWeb, watchErrors, type Web } from './support/browser.js';
import { http, PROCESS_ADMIN } from '../support/process.js';

// Dashboards end to end: an admin builds one in the designer (a number card, a bar chart
// dropped from the palette and resized, a pie), saves it; on a phone the runtime shows the
// figures; a record submitted in another tab moves the bar without a reload (server push);
// tapping a bar's value opens exactly the records behind it.

const poll = <T>(fn: () => Promise<T>, timeout = 15_000) => expect.poll(fn, { timeout, interval: 150 });

const orderForm = {
  name: { en: 'Order', zh: '订单' },
  titleField: 'title',
  fields: [
    { key: 'title', type: 'text', label: { en: 'Title', zh: '标题' }, required: true },
    { key: 'region', type: 'select', label: { en: 'Region', zh: '区域' }, options: ['east', 'west', 'north'] },
    { key: 'amount', type: 'number', label: { en: 'Amount', zh: '金额' } },
  ],
};
const ORDERS = [
  { title: 'Pumps', region: 'east', amount: 100 },
  { title: 'Valves', region: 'east', amount: 40 },
  { title: 'Pipes', region: 'west', amount: 70 },
];

describe('dashboards: build in the designer, watch live on a phone, drill into the records', () => {
  let web: Web;
  let appId = '';
  let formId = '';
  let dashboardId = '';
  const api = <T = any>(method: string, path: string, body?: unknown) => http<T>(web.url, method, path, body, web.server.token);

  beforeAll(async () => {
    web = await startWeb();
    const app = await api('POST', '/api/apps', { name: { en: 'Sales', zh: '销售' } });
    expect(app.status, JSON.stringify(app.body)).toBe(201);
    appId = app.body.id;
    const form = await api('POST', `/api/apps/${appId}/forms`, orderForm);
    expect(form.status, JSON.stringify(form.body)).toBe(201);
    formId = form.body.id;
    expect((await api('POST', `/api/forms/${formId}/publish`)).status).toBe(200);
    for (const data of ORDERS) expect((await api('POST', `/api/forms/${formId}/records`, { data })).status).toBe(201);
    const visit = await api('POST', `/api/apps/${appId}/forms`, { name: { en: 'Visit', zh: '拜访' }, fields: [{ key: 'title', type: 'text', label: 'Title' }] });
    expect(visit.status, JSON.stringify(visit.body)).toBe(201);
    expect((await api('POST', `/api/forms/${visit.body.id}/publish`)).status).toBe(200);
  });
  afterAll(async () => web?.close());

  it('an admin builds a dashboard of three widgets in the designer and saves it', async () => {
    const ctx = await web.context(DESKTOP);
    const page = await firstPage(ctx);
    const errors = watchErrors(page);
    await signInUi(page, '/designer/', PROCESS_ADMIN.email, PROCESS_ADMIN.password);
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    await page.goto(`/designer/apps/${appId}`);
    await page.getByLabel('Dashboard name (English)').fill('Sales board');
    await page.getByRole('button', { name: 'Create dashboard' }).click();
    await page.getByRole('heading', { name: 'Sales board' }).waitFor();
    dashboardId = page.url().split('/dashboards/')[1]!;
    expect(dashboardId).toMatch(/^[A-Za-z0-9_-]+$/);

    const grid = page.getByRole('region', { name: 'Dashboard grid' });
    // a number card by its button; a bar chart dragged from the palette onto the grid
    await page.getByRole('button', { name: 'Add Number' }).click();
    const box = (await grid.boundingBox())!;
    await dragTo(page, page.locator('.db-palette-item[data-type="bar"]'), { x: box.x + box.width * 0.1, y: box.y + 5 * 40 + 20 });
    const bar = page.locator('.db-widget[data-widget="bar1"]');
    await bar.waitFor();
    // dropped at column 2, row 5; the bar groups by the select field
    expect(await bar.getAttribute('data-layout')).toBe('2,5,12,6');
    await expect.poll(() => page.getByLabel('Group by').inputValue()).toBe('region');
    await page.getByLabel('Title (English)').fill('Orders by region');
    await page.getByLabel('Title (Chinese)').fill('各区域订单');
    // resized by its corner: two columns wider, one row taller
    const colWidth = box.width / 24;
    const handle = bar.getByRole('button', { name: /^Resize/ });
    const hb = (await handle.boundingBox())!;
    await dragTo(page, handle, { x: hb.x + hb.width / 2 + 2 * colWidth, y: hb.y + hb.height / 2 + 40 });
    await poll(() => bar.getAttribute('data-layout')).toBe('2,5,14,7');
    // moved by its title bar to the top left; the number card makes way
    await dragTo(page, bar.getByRole('button', { name: /^Move Orders by region/ }), { x: box.x + 30, y: box.y + 14 });
    await poll(() => bar.getAttribute('data-layout')).toBe('0,0,14,7');
    expect(await page.locator('.db-widget[data-widget="number1"]').getAttribute('data-layout')).toBe('0,7,6,3');

    await page.getByRole('button', { name: 'Add Pie chart' }).click();
    await page.getByLabel('Metric 1 operation').selectOption('sum');
    await expect.poll(() => page.getByLabel('Metric 1 field').inputValue()).toBe('amount');
    await page.getByLabel('Title (English)').fill('Amount by region');

    // the bar over a form without its group-by field: the server's problem is shown on that widget
    await bar.getByRole('button', { name: /^Move Orders by region/ }).click();
    await page.getByLabel('Form', { exact: true }).selectOption({ label: 'Visit' });
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByRole('alert').filter({ hasText: 'The dashboard was not saved' }).waitFor();
    await poll(() => page.getByRole('list', { name: 'Problems of this widget' }).textContent()).toContain('widgets[1].groupBy');
    await poll(() => bar.getAttribute('class')).toContain('has-problem');
    await page.getByLabel('Form', { exact: true }).selectOption({ label: 'Order' });

    // unsaved widgets say so; saving shows their figures
    await page.getByText('Save to preview').first().waitFor();
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Saved, version 2').waitFor();
    await poll(() => page.getByRole('list', { name: 'Orders by region values' }).textContent()).toContain('east: 2');
    await poll(() => page.getByRole('list', { name: 'Amount by region values' }).textContent()).toContain('east: 140');
    await page.locator('.db-widget[data-widget="number1"] .number-value').filter({ hasText: '3' }).waitFor();
    await page.locator('.db-widget[data-widget="bar1"] .chart svg').waitFor();
    await shot(page, 'dashboard-designer');

    const saved = await api('GET', `/api/dashboards/${dashboardId}`);
    expect(saved.body.definition.widgets.map((w: any) => [w.id, w.type, w.groupBy ?? null])).toEqual([
      ['number1', 'number', null], ['bar1', 'bar', 'region'], ['pie1', 'pie', 'region'],
    ]);
    expect(saved.body.definition.widgets[1].title).toEqual({ en: 'Orders by region', zh: '各区域订单' });
    expect(errors.errors).toEqual([]);
    await ctx.close();
  });

  it('the phone shows the figures, a record submitted in another tab moves the bar, and a bar drills into its records', async () => {
    expect(dashboardId, 'the designer test made the dashboard').not.toBe('');
    const ctx = await web.context(PHONE);
    const page = await firstPage(ctx);
    const errors = watchErrors(page);
    await signInUi(page, '/app/', PROCESS_ADMIN.email, PROCESS_ADMIN.password);
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    await page.goto(`/app/apps/${appId}`);
    await page.getByRole('list', { name: 'Dashboards' }).getByRole('link', { name: 'Sales board' }).click();
    await page.getByRole('heading', { name: 'Sales board' }).waitFor();

    const barValues = page.getByRole('list', { name: 'Orders by region values' });
    const number = page.locator('[data-widget="number1"] .number-value');
    await poll(() => barValues.textContent()).toBe('east: 2west: 1');
    await poll(() => number.textContent()).toBe('3');
    // the stream is open before the other tab submits
    await page.locator('.live-dot.on').waitFor();
    await page.locator('[data-widget="bar1"] .chart svg').waitFor();
    // one column on the phone: widgets in reading order, each as wide as the screen
    const widths = await page.locator('.dash-cell').evaluateAll((els) => els.map((e) => Math.round(e.getBoundingClientRect().width)));
    expect(new Set(widths).size).toBe(1);
    await shot(page, 'dashboard-phone', { fullPage: true });
    const refreshedBefore = await page.getByRole('status', { name: 'Refresh status' }).textContent();

    // another tab of the same person submits an order through the fill page
    const other = await ctx.newPage();
    await other.goto(`/app/forms/${formId}/new`);
    await other.getByLabel('Title').fill('Hoses');
    await other.getByLabel('Region').selectOption('west');
    await other.getByLabel('Amount').fill('30');
    await other.getByRole('button', { name: 'Submit' }).click();
    await other.getByRole('heading', { name: 'Submitted' }).waitFor();

    // pushed, not reloaded: the same page shows the new figures
    const marker = await page.evaluate(() => ((window as unknown as { __notReloaded: boolean }).__notReloaded = true));
    expect(marker).toBe(true);
    await poll(() => barValues.textContent()).toBe('east: 2west: 2');
    await poll(() => number.textContent()).toBe('4');
    expect(await page.evaluate(() => (window as unknown as { __notReloaded?: boolean }).__notReloaded)).toBe(true);
    expect(await page.getByRole('status', { name: 'Refresh status' }).textContent()).toMatch(/Updated \d\d:\d\d:\d\d/);
    expect(refreshedBefore).toMatch(/Updated \d\d:\d\d:\d\d/);

    // drill-down: tapping the west bar of the chart opens its two records, filtered; the filter can be removed
    const bars = page.locator('[data-widget="bar1"] .chart svg path[fill="#1f6feb"]');
    await poll(() => bars.evaluateAll((els) => els.map((e) => Math.round(e.getBoundingClientRect().height)))).toEqual([
      expect.any(Number), expect.any(Number),
    ]);
    // the chart settles (a short animation) with both bars equally high
    await poll(() => bars.evaluateAll((els) => new Set(els.map((e) => Math.round(e.getBoundingClientRect().height))).size)).toBe(1);
    await bars.nth(1).click();
    await page.getByText('Filtered from dashboard').waitFor();
    expect(page.url()).toContain(`/app/forms/${formId}/records?filter=`);
    await poll(() => page.getByRole('status').filter({ hasText: 'records' }).textContent()).toBe('2 records');
    const list = page.getByRole('list', { name: 'Records' });
    await poll(() => list.getByRole('listitem').allTextContents().then((t) => t.map((x) => (x.includes('Hoses') ? 'Hoses' : x.includes('Pipes') ? 'Pipes' : x)).sort())).toEqual(['Hoses', 'Pipes']);
    await page.getByRole('button', { name: 'Remove dashboard filter' }).click();
    await poll(() => page.getByRole('status').filter({ hasText: 'records' }).textContent()).toBe('4 records');
    expect(errors.errors).toEqual([]);
    await ctx.close();
  });
});
