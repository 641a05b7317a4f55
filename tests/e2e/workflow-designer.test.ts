import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { connectNodes, DESKTOP, firstPage, shot, signInUi, startWeb, watchErrors, type Web } from './support/browser.js';
import { http, PROCESS_ADMIN } from '../support/process.js';

// playwright-core has no web-first assertions here: poll the page until the value shows
const poll = <T>(fn: () => Promise<T>) => expect.poll(fn, { timeout: 10_000, interval: 100 });

// An administrator draws a two-step approval in the workflow designer: the submitter's request goes
// to Lena, and when the amount is over 1000 also to the Finance role. A save the server refuses
// shows on the node; the dry run highlights different paths for 500 and 5000; once published,
// records submitted over the API create tasks for the right people.

const PASSWORD = 'workflow-designer-pw-1';

describe('the workflow designer', () => {
  let web: Web;
  let page: Page;
  let errors: { errors: string[] };
  let formId = '';
  const people: Record<string, { id: string; token: string }> = {};
  const api = <T = any>(method: string, path: string, body?: unknown, token = web.server.token) => http<T>(web.url, method, path, body, token);

  const node = (id: string) => page.locator(`.react-flow__node[data-id="${id}"]`);
  const edge = (from: string, to: string) => page.locator(`.react-flow__edge[data-id="${from}->${to}"]`);
  const panel = () => page.getByRole('tabpanel');

  const connect = (from: string, to: string) => connectNodes(page, from, to);

  async function dropFromPalette(label: string, canvas: Locator, at: { x: number; y: number }) {
    const item = page.getByRole('navigation', { name: 'Node types' }).locator('li', { hasText: label }).first();
    await item.dragTo(canvas, { targetPosition: at });
  }

  async function person(name: string, extra: Record<string, unknown> = {}) {
    const email = `${name.split(' ')[0]!.toLowerCase()}@example.com`;
    const u = await api('POST', '/api/users', { email, name, password: PASSWORD, ...extra });
    expect(u.status, JSON.stringify(u.body)).toBe(201);
    const login = await http(web.url, 'POST', '/api/auth/login', { username: email, password: PASSWORD });
    expect(login.status).toBe(200);
    people[name.split(' ')[0]!] = { id: u.body.id, token: login.body.token };
  }

  beforeAll(async () => {
    web = await startWeb();
    const app = await api('POST', '/api/apps', { name: 'Expenses' });
    expect(app.status, JSON.stringify(app.body)).toBe(201);
    const form = await api('POST', `/api/apps/${app.body.id}/forms`, {
      name: 'Expense claim',
      fields: [
        { key: 'title', type: 'text', label: 'Title', required: true },
        { key: 'amount', type: 'number', label: 'Amount', min: 0 },
        { key: 'note', type: 'textarea', label: 'Note' },
      ],
    });
    expect(form.status, JSON.stringify(form.body)).toBe(201);
    formId = form.body.id;
    expect((await api('POST', `/api/forms/${formId}/publish`)).status).toBe(200);
    const payment = await api('POST', `/api/apps/${app.body.id}/forms`, {
      name: 'Payment',
      fields: [{ key: 'subject', type: 'text', label: 'Subject' }, { key: 'total', type: 'number', label: 'Total' }],
    });
    expect((await api('POST', `/api/forms/${payment.body.id}/publish`)).status).toBe(200);
    const finance = await api('POST', '/api/roles', { name: 'Finance', forms: { [formId]: { actions: ['view'] } } });
    expect(finance.status, JSON.stringify(finance.body)).toBe(201);
    await person('Lena Leader');
    await person('Fred Finance', { roles: [finance.body.id] });

    const ctx = await web.context(DESKTOP);
    page = await firstPage(ctx);
    errors = watchErrors(page);
    await signInUi(page, '/designer/', PROCESS_ADMIN.email, PROCESS_ADMIN.password);
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
  }, 60_000);
  afterAll(async () => web?.close());

  it('draws a two-step approval with a condition; the server refuses an approval without approvers, on that node', async () => {
    await page.goto(`/designer/forms/${formId}/workflow`);
    await page.getByRole('heading', { name: 'Workflow: Expense claim' }).waitFor();
    await node('start').waitFor();
    await node('end').waitFor();
    const canvas = page.locator('.wf-canvas');
    const box = (await canvas.boundingBox())!;
    const startBox = (await node('start').boundingBox())!;
    const endBox = (await node('end').boundingBox())!;
    const cx = startBox.x + startBox.width / 2 - box.x;
    const span = endBox.y - startBox.y;

    // drag two approvals from the palette, add the condition with its button (the keyboard way)
    await dropFromPalette('Approval', canvas, { x: cx, y: startBox.y - box.y + span * 0.3 });
    await node('approval1').waitFor();
    await dropFromPalette('Approval', canvas, { x: cx + 230, y: startBox.y - box.y + span * 0.8 });
    await node('approval2').waitFor();
    await page.getByRole('button', { name: 'Add Condition' }).click();
    await node('condition1').waitFor();
    // the added node lands in the middle: move it between the first approval and the end
    const c = (await node('condition1').boundingBox())!;
    await page.mouse.move(c.x + 20, c.y + 20);
    await page.mouse.down();
    await page.mouse.move(box.x + cx - 70, startBox.y + span * 0.58, { steps: 10 });
    await page.mouse.up();

    await connect('start', 'approval1');
    await connect('approval1', 'condition1');
    // a branch of a condition opens its panel: amount > 1000 goes to the second approval
    await connect('condition1', 'approval2');
    const cond = panel().getByRole('group', { name: 'Condition' });
    await cond.getByRole('button', { name: 'Add condition' }).click();
    await cond.getByLabel('Field').selectOption({ label: 'Amount' });
    await cond.getByLabel('Operator').selectOption({ label: '>' });
    await cond.getByLabel('Value').fill('1000');
    await connect('condition1', 'end');
    await panel().getByLabel('Default branch').check();
    await connect('approval2', 'end');

    // the first approval goes to Lena, picked by searching
    await node('approval1').click();
    await panel().getByLabel('Name', { exact: true }).fill('Leader approval');
    await panel().getByLabel('Search users').fill('lena');
    await panel().getByRole('button', { name: 'Add Lena Leader' }).click();
    await panel().getByRole('listitem').filter({ hasText: 'Lena Leader' }).first().waitFor();

    // saved with the second approval still without approvers: the server refuses, on that node
    await page.getByRole('button', { name: 'Save' }).click();
    await poll(() => page.getByRole('alert').first().textContent()).toContain('The draft was not saved.');
    const serverItem = page.getByRole('list', { name: 'Problems' }).getByRole('button').filter({ hasText: 'Server' }).filter({ hasText: 'approval2' });
    await serverItem.waitFor();
    expect(await serverItem.textContent()).toContain('Choose at least one assignee');
    await poll(() => node('approval2').locator('[data-problem="true"]').count()).toBe(1);
    expect(await node('approval2').textContent()).toContain('Choose at least one assignee');
    expect(await node('approval1').locator('[data-problem="true"]').count()).toBe(0);
    expect((await api('GET', `/api/forms/${formId}/workflow`)).body.version).toBe(0);
    await shot(page, 'workflow-designer-save-refused');

    // choosing the problem selects its node; there the Finance role is picked
    await serverItem.click();
    await panel().getByText('approval2', { exact: true }).first().waitFor();
    await panel().getByLabel('Name', { exact: true }).fill('Finance approval');
    await panel().getByLabel('Add assignee by').selectOption({ label: 'Role' });
    await panel().getByLabel('Role', { exact: true }).selectOption({ label: 'Finance' });
    await panel().getByRole('button', { name: 'Add role' }).click();
    await panel().getByRole('radio', { name: 'All must approve' }).check();
    await panel().getByLabel('Amount at this step').selectOption({ label: 'Editable' });
    await poll(() => node('approval2').locator('[data-problem="true"]').count()).toBe(0);

    await page.getByRole('button', { name: 'Save' }).click();
    await poll(() => page.getByRole('status').filter({ hasText: 'Draft saved.' }).count()).toBe(1);
    await page.getByRole('button', { name: 'Publish' }).click();
    await poll(() => page.getByRole('status').filter({ hasText: 'Published version 1' }).count()).toBe(1);
    await shot(page, 'workflow-designer-published');

    const wf = (await api('GET', `/api/forms/${formId}/workflow`)).body;
    expect(wf.publishedVersion).toBe(1);
    const nodes = Object.fromEntries(wf.published.nodes.map((n: any) => [n.id, n]));
    expect(nodes.approval1).toMatchObject({ type: 'approval', name: 'Leader approval', mode: 'any', assignees: [{ type: 'users', users: [people.Lena!.id] }] });
    expect(nodes.approval2).toMatchObject({ type: 'approval', name: 'Finance approval', mode: 'all', fields: { amount: 'editable' } });
    expect(nodes.approval2.assignees).toEqual([{ type: 'role', role: expect.any(String) }]);
    expect(wf.published.edges).toEqual(expect.arrayContaining([
      { from: 'start', to: 'approval1' },
      { from: 'approval1', to: 'condition1' },
      { from: 'condition1', to: 'approval2', condition: { '>': [{ var: 'amount' }, 1000] } },
      { from: 'condition1', to: 'end', default: true },
      { from: 'approval2', to: 'end' },
    ]));
    expect(errors.errors).toEqual([]);
  }, 120_000);

  it('a dry run highlights different paths for 500 and 5000', async () => {
    await page.getByRole('button', { name: 'Dry run' }).click();
    const amount = panel().getByLabel('Amount');
    await amount.fill('500');
    await panel().getByRole('button', { name: 'Run' }).click();
    await poll(() => node('end').locator('[data-in-path="true"]').count()).toBe(1);
    expect(await node('approval1').locator('[data-in-path="true"]').count()).toBe(1);
    expect(await node('approval2').locator('[data-in-path="true"]').count()).toBe(0);
    expect(await edge('condition1', 'end').getAttribute('data-in-path')).toBe('true');
    expect(await edge('condition1', 'approval2').getAttribute('data-in-path')).toBeNull();
    expect(await panel().getByRole('status').textContent()).toContain('task for Lena Leader');
    await shot(page, 'workflow-designer-dry-run-500');

    await amount.fill('5000');
    await panel().getByRole('button', { name: 'Run' }).click();
    await poll(() => node('approval2').locator('[data-in-path="true"]').count()).toBe(1);
    expect(await edge('condition1', 'approval2').getAttribute('data-in-path')).toBe('true');
    expect(await edge('condition1', 'end').getAttribute('data-in-path')).toBeNull();
    expect(await edge('approval2', 'end').getAttribute('data-in-path')).toBe('true');
    expect(await panel().getByRole('status').textContent()).toContain('Reaches the end with status “approved”.');
    await shot(page, 'workflow-designer-dry-run-5000');
    expect(errors.errors).toEqual([]);
  }, 60_000);

  it('an action node maps fields onto another form without JSON, and the Delete key removes a node', async () => {
    await page.getByRole('button', { name: 'Add Action' }).click();
    await node('action1').waitFor();
    await panel().getByLabel('Target form', { exact: true }).selectOption({ label: 'Payment' });
    await panel().getByRole('combobox', { name: 'Total', exact: true }).selectOption({ label: 'Field: Amount' });
    await panel().getByRole('combobox', { name: 'Subject', exact: true }).selectOption({ label: 'Fixed value' });
    await panel().getByLabel('Subject: fixed value').fill('Expense paid');
    await panel().getByLabel('Connect to', { exact: true }).selectOption('end');
    // not yet wired in from anywhere: the live check says so on the node, before any save
    await poll(() => node('action1').textContent()).toContain('no path from the start leads here');
    await shot(page, 'workflow-designer-action');
    // the action's values as the engine reads them
    await page.getByRole('tab', { name: /Properties/ }).click();
    expect(await panel().getByRole('combobox', { name: 'Total', exact: true }).inputValue()).toBe('var:amount');

    await node('action1').focus();
    await page.keyboard.press('Delete');
    await poll(() => node('action1').count()).toBe(0);
    await poll(() => page.locator('.react-flow__edge[data-id="action1->end"]').count()).toBe(0);
    expect(errors.errors).toEqual([]);
  }, 60_000);

  it('the published workflow sends big claims to finance after the leader, small ones only to the leader', async () => {
    const tasks = async (who: string) => (await api('GET', '/api/tasks', undefined, people[who]!.token)).body.items as { id: string; recordId: string; node: string }[];
    const submit = async (amount: number) => {
      const r = await api('POST', `/api/forms/${formId}/records`, { data: { title: `Claim ${amount}`, amount } });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      return r.body.id as string;
    };
    const big = await submit(5000);
    const small = await submit(500);
    await poll(async () => (await tasks('Lena')).filter((t) => t.recordId === big || t.recordId === small).map((t) => t.node).sort()).toEqual(['approval1', 'approval1']);
    expect((await tasks('Fred')).length).toBe(0);
    for (const id of [big, small]) {
      const task = (await tasks('Lena')).find((t) => t.recordId === id)!;
      const ok = await api('POST', `/api/tasks/${task.id}/approve`, { comment: 'ok' }, people.Lena!.token);
      expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    }
    await poll(async () => (await tasks('Fred')).map((t) => [t.recordId, t.node])).toEqual([[big, 'approval2']]);
    await poll(async () => (await api('GET', `/api/forms/${formId}/records/${small}`)).body.status).toBe('approved');
    expect((await api('GET', `/api/forms/${formId}/records/${big}`)).body.status).toBe('running');
  }, 60_000);
});
