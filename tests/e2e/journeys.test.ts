// The three journeys of issue 5, end to end in Debian's chromium against the built server:
//  1. an admin, on a desktop, builds a purchase request form by dragging fields (a sub-table among
//     them), hides "Reason" unless the amount is over 1,000 with the condition builder, draws a
//     two-step approval with a condition (leader, then Finance above 1,000) and publishes both;
//  2. an employee, on a 360×740 phone, fills the form: the rule hides and shows Reason as they
//     type, two sub-table rows, a server-side error (a request number already used) on its field,
//     fixed, submitted;
//  3. the approvers, on phones, find their tasks and approve with a comment; the employee sees
//     the outcome and the comment in the record's timeline.
// Screenshots: test-output/screenshots/journey-*.png (the README's come from here).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { http, PROCESS_ADMIN } from '../support/process.js';
import { connectNodes, DESKTOP, dragTo, firstPage, PHONE, pointOf, shot, signInUi, startWeb, watchErrors, type Web } from './support/browser.js';

const PASSWORD = 'journey-password-1';
const poll = <T>(fn: () => Promise<T>) => expect.poll(fn, { timeout: 15_000, interval: 100 });



describe('journeys: build, fill on a phone, approve on a phone', () => {
  let web: Web;
  let formId = '';
  let appId = '';
  const people: Record<'emma' | 'leo' | 'fay', { id: string; email: string }> = {} as never;
  const contexts: BrowserContext[] = [];
  const api = <T = any>(method: string, path: string, body?: unknown) => http<T>(web.url, method, path, body, web.server.token);

  async function person(key: 'emma' | 'leo' | 'fay', name: string, extra: Record<string, unknown> = {}) {
    const email = `${key}@example.com`;
    const u = await api('POST', '/api/users', { email, name, password: PASSWORD, ...extra });
    expect(u.status, JSON.stringify(u.body)).toBe(201);
    people[key] = { id: u.body.id, email };
  }

  async function open(device: typeof PHONE | typeof DESKTOP): Promise<{ page: Page; errors: string[] }> {
    const ctx = await web.context(device);
    contexts.push(ctx);
    const page = await firstPage(ctx);
    return { page, errors: watchErrors(page).errors };
  }

  beforeAll(async () => {
    web = await startWeb();
    // the organisation: Emma in Sales, led by Leo; Fay in the Finance role
    await person('leo', 'Leo Leader');
    const sales = await api('POST', '/api/departments', { name: 'Sales', leaderId: people.leo.id });
    expect(sales.status, JSON.stringify(sales.body)).toBe(201);
    await person('emma', 'Emma Employee', { departments: [sales.body.id] });
    const finance = await api('POST', '/api/roles', { name: 'Finance' });
    expect(finance.status, JSON.stringify(finance.body)).toBe(201);
    await person('fay', 'Fay Finance', { roles: [finance.body.id] });
  }, 60_000);
  afterAll(async () => web?.close());

  it('1. an admin drags a form together, sets a show/hide rule, draws a two-step approval with a condition, and publishes', async () => {
    const { page, errors } = await open(DESKTOP);
    await signInUi(page, '/designer/', PROCESS_ADMIN.email, PROCESS_ADMIN.password);
    await page.getByLabel('App name (English)').fill('Purchasing');
    await page.getByRole('button', { name: 'Create app' }).click();
    await page.waitForURL(/\/designer\/apps\/[A-Za-z0-9_-]+$/);
    appId = page.url().split('/').pop()!;
    await page.getByLabel('Form name (English)').fill('Purchase request');
    await page.getByRole('button', { name: 'Create form' }).click();
    await page.waitForURL(/\/designer\/forms\/[A-Za-z0-9_-]+$/);
    formId = page.url().split('/').pop()!;

    const palette = page.getByRole('complementary', { name: 'Field types' });
    const canvas = page.getByRole('region', { name: 'Form canvas' });
    const panel = page.getByRole('complementary', { name: 'Properties' });
    const labelEn = panel.getByLabel('Label (English)', { exact: true });
    await canvas.waitFor();

    // seven field types dragged from the palette with the mouse
    const fields: [string, string][] = [
      ['Single line text', 'Title'],
      ['Single line text', 'Request number'],
      ['Number', 'Amount'],
      ['Single choice', 'Category'],
      ['Date', 'Needed by'],
      ['Multi-line text', 'Reason'],
      ['Checkbox', 'Urgent'],
      ['Sub-table', 'Items'],
    ];
    for (const [type, label] of fields) {
      await dragTo(page, palette.getByText(type, { exact: true }), await pointOf(canvas, 'bottom'));
      await poll(() => labelEn.inputValue()).toBe(type);
      await labelEn.fill(label);
      await canvas.getByRole('button', { name: new RegExp(`^${label}`) }).first().waitFor();
      if (label === 'Title') await panel.getByLabel('Required', { exact: true }).check();
      if (label === 'Request number') {
        await panel.getByText('Layout and data', { exact: true }).click();
        await panel.getByLabel('Unique', { exact: true }).check();
      }
    }
    // the sub-table's columns: one dragged into it, one added with its button
    const items = canvas.getByRole('group', { name: 'Fields of Items' });
    await dragTo(page, palette.getByText('Single line text', { exact: true }), await pointOf(items, 'centre'));
    await panel.getByText('A column of the sub-table Items').waitFor();
    await labelEn.fill('Item');
    await items.getByLabel('Field type for Items').selectOption({ label: 'Number' });
    await items.getByRole('button', { name: 'Add to Items' }).click();
    await labelEn.fill('Qty');
    await items.getByRole('button', { name: /^Qty/ }).waitFor();

    // Reason shows only when Amount > 1000: built with the condition builder, no JSON typed
    await canvas.getByRole('button', { name: /^Reason/ }).first().click();
    const showWhen = panel.getByRole('group', { name: 'Show when' });
    await showWhen.getByRole('button', { name: 'Add condition' }).click();
    await showWhen.getByLabel('Field', { exact: true }).selectOption({ label: 'Amount' });
    await showWhen.getByLabel('Operator', { exact: true }).selectOption({ label: '>' });
    await showWhen.getByLabel('Value', { exact: true }).fill('1000');
    const preview = page.getByRole('region', { name: 'Preview' });
    await preview.getByLabel('Amount').first().fill('5000');
    await preview.getByLabel('Reason').first().waitFor();
    await shot(page, 'journey-1-form-designer');

    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Draft saved.').waitFor();
    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Publish version 1' });
    await dialog.getByRole('list', { name: 'Changes' }).getByText('Added Sub-table field "Items" (items)').waitFor();
    await dialog.getByRole('button', { name: 'Publish now' }).click();
    await page.getByText('Published version 1.').waitFor();

    const def = (await api('GET', `/api/forms/${formId}`)).body.published.definition;
    expect(def.fields.map((f: any) => `${f.key}:${f.type}`)).toEqual([
      'title:text', 'request_number:text', 'amount:number', 'category:select', 'needed_by:date', 'reason:textarea', 'urgent:checkbox', 'items:subtable',
    ]);
    expect(def.fields[1].unique).toBe(true);
    expect(def.fields[7].fields.map((f: any) => `${f.key}:${f.type}`)).toEqual(['item:text', 'qty:number']);
    expect(def.rules).toEqual([{ field: 'reason', visible: { '>': [{ var: 'amount' }, 1000] } }]);

    // the workflow: the submitter's leader, then, above 1,000, Finance
    await page.goto(`/designer/apps/${appId}`);
    await page.getByRole('list', { name: 'Forms' }).getByRole('listitem').filter({ hasText: 'Purchase request' }).getByRole('link', { name: 'Workflow' }).click();
    await page.getByRole('heading', { name: 'Workflow: Purchase request' }).waitFor();
    const node = (id: string) => page.locator(`.react-flow__node[data-id="${id}"]`);
    const side = () => page.getByRole('tabpanel');
    const connect = (from: string, to: string) => connectNodes(page, from, to);
    await node('start').waitFor();
    const flow = page.locator('.wf-canvas');
    const box = (await flow.boundingBox())!;
    const startBox = (await node('start').boundingBox())!;
    const endBox = (await node('end').boundingBox())!;
    const cx = startBox.x + startBox.width / 2 - box.x;
    const span = endBox.y - startBox.y;
    const nodeTypes = page.getByRole('navigation', { name: 'Node types' });
    await nodeTypes.locator('li', { hasText: 'Approval' }).first().dragTo(flow, { targetPosition: { x: cx, y: startBox.y - box.y + span * 0.3 } });
    await node('approval1').waitFor();
    await nodeTypes.locator('li', { hasText: 'Approval' }).first().dragTo(flow, { targetPosition: { x: cx + 230, y: startBox.y - box.y + span * 0.8 } });
    await node('approval2').waitFor();
    await nodeTypes.locator('li', { hasText: 'Condition' }).first().dragTo(flow, { targetPosition: { x: cx - 70, y: startBox.y - box.y + span * 0.58 } });
    await node('condition1').waitFor();

    await connect('start', 'approval1');
    await connect('approval1', 'condition1');
    await connect('condition1', 'approval2');
    const cond = side().getByRole('group', { name: 'Condition' });
    await cond.getByRole('button', { name: 'Add condition' }).click();
    await cond.getByLabel('Field').selectOption({ label: 'Amount' });
    await cond.getByLabel('Operator').selectOption({ label: '>' });
    await cond.getByLabel('Value').fill('1000');
    await connect('condition1', 'end');
    await side().getByLabel('Default branch').check();
    await connect('approval2', 'end');

    await node('approval1').click();
    await side().getByLabel('Name', { exact: true }).fill('Leader approval');
    await side().getByLabel('Add assignee by').selectOption({ label: 'Submitter’s leader' });
    await side().getByRole('button', { name: 'Add leader' }).click();
    await node('approval2').click();
    await side().getByLabel('Name', { exact: true }).fill('Finance approval');
    await side().getByLabel('Add assignee by').selectOption({ label: 'Role' });
    await side().getByLabel('Role', { exact: true }).selectOption({ label: 'Finance' });
    await side().getByRole('button', { name: 'Add role' }).click();

    await page.getByRole('button', { name: 'Publish' }).click();
    await poll(() => page.getByRole('status').filter({ hasText: 'Published version 1' }).count()).toBe(1);
    await shot(page, 'journey-1-workflow-designer');
    const wf = (await api('GET', `/api/forms/${formId}/workflow`)).body.published;
    expect(wf.edges).toEqual(expect.arrayContaining([
      { from: 'condition1', to: 'approval2', condition: { '>': [{ var: 'amount' }, 1000] } },
      { from: 'condition1', to: 'end', default: true },
    ]));
    expect(Object.fromEntries(wf.nodes.map((n: any) => [n.id, n.assignees]))).toMatchObject({ approval1: [{ type: 'leader' }], approval2: [{ type: 'role', role: expect.any(String) }] });
    expect(errors).toEqual([]);

    // Emma may submit and see her own requests (the settings page builds such roles; tests/e2e/org-settings covers it)
    const role = await api('POST', '/api/roles', { name: 'Requester', appId, apps: { [appId]: { open: true } }, forms: { [formId]: { actions: ['submit', 'view'], scope: 'own' } } });
    expect(role.status, JSON.stringify(role.body)).toBe(201);
    const emma = (await api('GET', `/api/users/${people.emma.id}`)).body;
    expect((await api('PATCH', `/api/users/${people.emma.id}`, { roles: [role.body.id], version: emma.version })).status).toBe(200);
    // an earlier request took the number PR-001
    const login = await http(web.url, 'POST', '/api/auth/login', { username: people.emma.email, password: PASSWORD });
    const earlier = await http(web.url, 'POST', `/api/forms/${formId}/records`, { data: { title: 'Desk lamps', request_number: 'PR-001', amount: 80 } }, login.body.token);
    expect(earlier.status, JSON.stringify(earlier.body)).toBe(201);
  }, 240_000);

  it('2. an employee on a phone sees the rule follow her typing, adds two rows, fixes a server error and submits', async () => {
    expect(formId).not.toBe('');
    const { page, errors } = await open(PHONE);
    await signInUi(page, '/app/', people.emma.email, PASSWORD);
    await page.getByRole('region', { name: 'Purchasing' }).getByRole('link', { name: 'New Purchase request' }).click();
    await page.getByRole('heading', { name: 'Purchase request' }).waitFor();

    await page.getByLabel('Title').fill('Laptops for the new hires');
    await page.getByLabel('Request number').fill('PR-001');
    await page.getByLabel('Amount').fill('800');
    expect(await page.getByLabel('Reason', { exact: true }).count()).toBe(0);
    await shot(page, 'journey-2-reason-hidden');
    await page.getByLabel('Amount').fill('4800');
    await page.getByLabel('Reason', { exact: true }).waitFor();
    await page.getByLabel('Reason', { exact: true }).fill('Three engineers start in January');
    await shot(page, 'journey-2-reason-shown');

    const rows = page.getByRole('group', { name: 'Items', exact: true });
    await rows.getByRole('button', { name: 'Add row' }).click();
    await page.getByRole('group', { name: 'Items row 1' }).getByLabel('Item').fill('Laptop');
    await page.getByRole('group', { name: 'Items row 1' }).getByLabel('Qty').fill('3');
    await rows.getByRole('button', { name: 'Add row' }).click();
    await page.getByRole('group', { name: 'Items row 2' }).getByLabel('Item').fill('Docking station');
    await page.getByRole('group', { name: 'Items row 2' }).getByLabel('Qty').fill('3');
    await page.getByRole('group', { name: 'Items row 2' }).scrollIntoViewIfNeeded();
    await shot(page, 'journey-2-two-rows');

    // the server refuses PR-001 (taken): the message is on Request number
    await page.getByRole('button', { name: 'Submit' }).click();
    const numberError = page.locator('[data-field="request_number"] .error');
    await poll(() => numberError.textContent()).toBe('Another record already has this value.');
    await shot(page, 'journey-2-server-error');
    await page.getByLabel('Request number').fill('PR-002');
    await page.getByRole('button', { name: 'Submit' }).click();
    await page.getByRole('heading', { name: 'Submitted' }).waitFor();
    await shot(page, 'journey-2-submitted');

    const filter = encodeURIComponent(JSON.stringify({ field: 'request_number', op: 'eq', value: 'PR-002' }));
    const [rec] = (await api('GET', `/api/forms/${formId}/records?filter=${filter}`)).body.items;
    expect(rec.data).toMatchObject({ title: 'Laptops for the new hires', amount: 4800, reason: 'Three engineers start in January', items: [{ item: 'Laptop', qty: 3 }, { item: 'Docking station', qty: 3 }] });
    expect(rec.status).toBe('running');
    expect(errors).toEqual([]);
  }, 120_000);

  it('3. the approvers approve on their phones with a comment; the employee sees the outcome in the timeline', async () => {
    for (const [who, comment] of [['leo', 'Agreed, the team needs them.'], ['fay', 'Within budget.']] as const) {
      const { page, errors } = await open(PHONE);
      await signInUi(page, '/app/', people[who].email, PASSWORD);
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: /Tasks/ }).click();
      await page.getByRole('heading', { name: 'My tasks' }).waitFor();
      await page.getByRole('list', { name: 'Tasks' }).getByRole('link', { name: /Laptops for the new hires/ }).click();
      await page.getByLabel('Comment').fill(comment);
      await shot(page, `journey-3-${who}-task`);
      await page.getByRole('button', { name: 'Approve' }).click();
      await poll(() => page.getByRole('status').first().textContent()).toContain('Approved: Laptops for the new hires');
      expect(errors).toEqual([]);
    }

    const { page, errors } = await open(PHONE);
    await signInUi(page, '/app/', people.emma.email, PASSWORD);
    await page.getByRole('region', { name: 'Purchasing' }).getByRole('link', { name: 'Records of Purchase request' }).click();
    await page.getByRole('list', { name: 'Records' }).getByRole('link', { name: /Laptops for the new hires/ }).click();
    await poll(() => page.getByRole('region', { name: 'Approval' }).textContent()).toContain('Approved');
    const timeline = page.getByRole('list', { name: 'Timeline' });
    await poll(() => timeline.textContent()).toContain('Agreed, the team needs them.');
    await poll(() => timeline.textContent()).toContain('Within budget.');
    await timeline.scrollIntoViewIfNeeded();
    await shot(page, 'journey-3-employee-timeline');
    expect(errors).toEqual([]);
  }, 120_000);
});
