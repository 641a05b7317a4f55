// The form designer in a real browser: an admin creates an app and a form, drags field types onto
// the canvas with the mouse (and adds one with the keyboard), fills a sub-table, sets a "Show when"
// rule with the condition builder, watches the phone preview follow it, saves and publishes with
// the change summary, renames a key through the where-used dialog, and the API has it all.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { http, PROCESS_ADMIN } from '../support/process.js';
import { DESKTOP, dragTo, firstPage, pointOf, shot, signInUi, startWeb, watchErrors, type Web } from './support/browser.js';

let web: Web;

beforeAll(async () => {
  web = await startWeb();
}, 60_000);

afterAll(async () => {
  await web?.close();
});




describe('form designer', () => {
  it('builds a form by dragging, sets a rule, previews, saves, publishes and renames with where-used', async () => {
    const ctx = await web.context(DESKTOP);
    const page = await firstPage(ctx);
    const watch = watchErrors(page);

    await signInUi(page, '/designer/', PROCESS_ADMIN.email, PROCESS_ADMIN.password);
    await page.getByLabel('App name (English)').fill('E2E Purchasing');
    await page.getByRole('button', { name: 'Create app' }).click();
    await page.waitForURL(/\/designer\/apps\/[A-Za-z0-9_-]+$/);
    await page.getByRole('heading', { name: 'E2E Purchasing' }).waitFor();
    const appId = page.url().split('/').pop()!;
    const suppliers = await http(web.url, 'POST', `/api/apps/${appId}/forms`, { name: 'Suppliers', fields: [{ key: 'name', type: 'text', label: 'Name' }] }, web.server.token);
    expect(suppliers.status).toBe(201);
    await page.getByLabel('Form name (English)').fill('Purchase request');
    await page.getByRole('button', { name: 'Create form' }).click();
    await page.waitForURL(/\/designer\/forms\/[A-Za-z0-9_-]+$/);
    const formId = page.url().split('/').pop()!;
    await page.getByRole('region', { name: 'Form canvas' }).waitFor();
    await shot(page, 'form-designer-01-empty');

    const palette = page.getByRole('complementary', { name: 'Field types' });
    const canvas = page.getByRole('region', { name: 'Form canvas' });
    const panel = page.getByRole('complementary', { name: 'Properties' });
    const labelEn = panel.getByLabel('Label (English)', { exact: true });

    // six field types dragged with the mouse, each labelled in the property panel
    const dragged: [string, string][] = [
      ['Single line text', 'Title'],
      ['Number', 'Amount'],
      ['Single choice', 'Category'],
      ['Date', 'Needed by'],
      ['Checkbox', 'Urgent'],
      ['Sub-table', 'Lines'],
    ];
    for (const [type, label] of dragged) {
      await dragTo(page, palette.getByText(type, { exact: true }), await pointOf(canvas, 'bottom'));
      await expect(labelEn.inputValue()).resolves.toBe(type);
      await labelEn.fill(label);
      await canvas.getByRole('button', { name: new RegExp(`^${label}`) }).first().waitFor();
    }
    await shot(page, 'form-designer-02-dragged');

    // a child field dragged into the sub-table, another added with its button
    const lines = canvas.getByRole('group', { name: 'Fields of Lines' });
    await dragTo(page, palette.getByText('Number', { exact: true }), await pointOf(lines, 'centre'));
    await panel.getByText('A column of the sub-table Lines').waitFor();
    await labelEn.fill('Qty');
    await lines.getByLabel('Field type for Lines').selectOption({ label: 'Single line text' });
    await lines.getByRole('button', { name: 'Add to Lines' }).click();
    await labelEn.fill('SKU');
    await lines.getByRole('button', { name: /^Qty/ }).waitFor();
    await lines.getByRole('button', { name: /^SKU/ }).waitFor();

    // one field through the keyboard: the palette item's Add button
    await palette.getByRole('button', { name: 'Add Multi-line text' }).focus();
    await page.keyboard.press('Enter');
    await labelEn.fill('Reason');
    await expect(panel.getByLabel('Key', { exact: true }).inputValue()).resolves.toBe('reason');

    // Reason shows only when Amount > 10000, set with the condition builder
    const showWhen = panel.getByRole('group', { name: 'Show when' });
    await showWhen.getByRole('button', { name: 'Add condition' }).click();
    await showWhen.getByLabel('Field', { exact: true }).selectOption({ label: 'Amount' });
    await showWhen.getByLabel('Operator', { exact: true }).selectOption({ label: '>' });
    await showWhen.getByLabel('Value', { exact: true }).fill('10000');
    await shot(page, 'form-designer-03-rule');

    // the phone preview follows the rule as the sample is typed
    const preview = page.getByRole('region', { name: 'Preview' });
    await preview.getByLabel('Title').first().waitFor();
    await expect(preview.getByLabel('Reason').count()).resolves.toBe(0);
    await preview.getByLabel('Amount').first().fill('20000');
    await preview.getByLabel('Reason').first().waitFor();
    await shot(page, 'form-designer-04-preview-shown');
    await preview.getByLabel('Amount').first().fill('5');
    await expect.poll(() => preview.getByLabel('Reason').count()).toBe(0);

    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Draft saved.').waitFor();

    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Publish version 1' });
    const changes = dialog.getByRole('list', { name: 'Changes' });
    await changes.waitFor();
    await changes.getByText('Added Sub-table field "Lines" (lines)').waitFor();
    await changes.getByText('Rule added on reason: show when').waitFor();
    await shot(page, 'form-designer-05-publish-summary');
    await dialog.getByRole('button', { name: 'Publish now' }).click();
    await page.getByText('Published version 1.').waitFor();

    const published = await http(web.url, 'GET', `/api/forms/${formId}`, undefined, web.server.token);
    expect(published.status).toBe(200);
    const def = published.body.published.definition;
    expect(def.fields.map((f: { key: string; type: string }) => `${f.key}:${f.type}`)).toEqual([
      'title:text', 'amount:number', 'category:select', 'needed_by:date', 'urgent:checkbox', 'lines:subtable', 'reason:textarea',
    ]);
    expect(def.fields[5].fields.map((f: { key: string; type: string }) => `${f.key}:${f.type}`)).toEqual(['qty:number', 'sku:text']);
    expect(def.fields[0].label).toEqual({ en: 'Title' });
    expect(def.rules).toEqual([{ field: 'reason', visible: { '>': [{ var: 'amount' }, 10000] } }]);

    // a dashboard of the app sums the amount: the designer (reopened) lists it as a use too
    const board = await http(web.url, 'POST', `/api/apps/${appId}/dashboards`, {
      name: 'Spend',
      widgets: [{ id: 'spend', type: 'number', title: 'Total spend', form: formId, metrics: [{ op: 'sum', field: 'amount' }], layout: { x: 0, y: 0, w: 6, h: 3 } }],
    }, web.server.token);
    expect(board.status, JSON.stringify(board.body)).toBe(201);
    await page.reload();
    await canvas.getByRole('button', { name: /^Amount/ }).waitFor();

    // renaming a key that a rule reads: the where-used dialog lists the rule and rewrites it
    await canvas.getByRole('button', { name: /^Amount/ }).click();
    const key = panel.getByLabel('Key', { exact: true });
    await key.fill('total_amount');
    await key.press('Enter');
    const rename = page.getByRole('dialog', { name: 'Change key amount to total_amount?' });
    await rename.getByRole('list', { name: 'Where used' }).getByText(/Rule of field Reason/).waitFor();
    await rename.getByRole('list', { name: 'Where used' }).getByText('Widget Total spend (spend) of dashboard Spend').waitFor();
    await shot(page, 'form-designer-06-where-used');
    await rename.getByRole('button', { name: 'Rename and update this form' }).click();
    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    const second = page.getByRole('dialog', { name: 'Publish version 2' });
    await second.getByText('Renamed key of "Amount": amount → total_amount').waitFor();
    await expect(second.getByRole('list', { name: 'Changes' }).getByRole('listitem').count()).resolves.toBe(1);
    await second.getByRole('button', { name: 'Publish now' }).click();
    await page.getByText('Published version 2.').waitFor();
    const v2 = await http(web.url, 'GET', `/api/forms/${formId}`, undefined, web.server.token);
    expect(v2.body.published.definition.rules).toEqual([{ field: 'reason', visible: { '>': [{ var: 'total_amount' }, 10000] } }]);

    // deleting a field asks first and lists what refers to it
    await canvas.getByRole('button', { name: 'Delete Amount' }).click();
    const del = page.getByRole('dialog', { name: 'Delete field Amount?' });
    await del.getByText(/Rule of field Reason/).waitFor();
    await del.getByRole('button', { name: 'Cancel' }).click();
    await canvas.getByRole('button', { name: /^Amount/ }).waitFor();

    // a formula with the field picker's keys, its live result on a sample value, and its error
    await palette.getByRole('button', { name: 'Add Formula' }).click();
    await labelEn.fill('Double');
    const formula = panel.getByLabel('Formula expression');
    await formula.fill('{total_amount} *');
    await panel.getByText('Error at character').waitFor();
    await formula.fill('{total_amount} * 2');
    await panel.getByLabel('Sample value of Amount').fill('21');
    await expect(panel.getByRole('status', { name: 'Formula result' }).textContent()).resolves.toBe('42');
    await shot(page, 'form-designer-07-formula');

    // a link to a form that is not published: the server's 422 lands on the field
    await palette.getByRole('button', { name: 'Add Link to records' }).click();
    await labelEn.fill('Supplier');
    await panel.getByLabel('Target form').selectOption({ label: 'Suppliers (not published)' });
    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    const third = page.getByRole('dialog', { name: 'Publish version 3' });
    await third.getByRole('button', { name: 'Publish now' }).click();
    await third.getByRole('alert').getByText(/not published/).waitFor();
    await third.getByRole('button', { name: 'Cancel' }).click();
    await canvas.getByRole('button', { name: /^Supplier.*1 problem/ }).waitFor();
    await panel.getByRole('list', { name: 'Problems of this field' }).getByText(/does not exist or is not published/).waitFor();
    await shot(page, 'form-designer-08-server-problem');

    // keyboard reordering: the handle, Space, an arrow, Space
    await canvas.getByRole('button', { name: 'Move Title' }).focus();
    // dnd-kit listens for the moving keys from the next tick after the pick-up
    for (const k of ['Space', 'ArrowDown', 'Space']) {
      await page.keyboard.press(k);
      await page.waitForTimeout(150);
    }
    const handles = canvas.getByRole('button', { name: /^Move / });
    await expect.poll(async () => (await handles.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')))).slice(0, 2)).toEqual(['Move Amount', 'Move Title']);
    await shot(page, 'form-designer-10-reordered');
    // the server's complaint stays on its field after the reorder
    await canvas.getByRole('button', { name: /^Supplier.*1 problem/ }).waitFor();

    expect(watch.errors).toEqual([]);
  }, 120_000);

  it('lists apps, creates forms from the app home and shows the template section', async () => {
    const ctx = await web.context(DESKTOP);
    const page = await firstPage(ctx);
    const watch = watchErrors(page);
    await signInUi(page, '/designer/', PROCESS_ADMIN.email, PROCESS_ADMIN.password);
    await page.getByRole('heading', { name: 'From template' }).waitFor();
    await page.getByRole('list', { name: 'Apps' }).waitFor();
    await shot(page, 'form-designer-00-app-list');
    const packs = await http(web.url, 'GET', '/api/packs', undefined, web.server.token);
    if (packs.status === 404) await page.getByText('No template packs are installed on this server.').waitFor();
    await page.getByRole('list', { name: 'Apps' }).getByRole('link', { name: /E2E Purchasing/ }).click();
    await page.waitForURL(/\/designer\/apps\//);
    const forms = page.getByRole('list', { name: 'Forms' });
    const item = forms.getByRole('listitem').filter({ hasText: 'Purchase request' });
    await item.getByText('Published version 2').waitFor();
    await expect(item.getByRole('link', { name: 'Workflow' }).getAttribute('href')).resolves.toMatch(/\/designer\/forms\/[^/]+\/workflow$/);
    await expect(page.getByRole('link', { name: 'Open in runtime' }).getAttribute('href')).resolves.toMatch(/^\/app\/apps\//);
    await expect(page.getByRole('link', { name: 'Settings' }).getAttribute('href')).resolves.toMatch(/\/designer\/apps\/[^/]+\/settings$/);
    await shot(page, 'form-designer-09-app-home');
    await item.getByRole('link', { name: 'Design form' }).click();
    await page.getByRole('region', { name: 'Form canvas' }).waitFor();
    expect(watch.errors).toEqual([]);
  }, 60_000);
});
