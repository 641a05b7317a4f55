import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DESKTOP, firstPage, shot, signInUi, startWeb, watchErrors, type Web } from './support/browser.js';
import { http, PROCESS_ADMIN } from '../support/process.js';

// playwright-core has no web-first assertions here: poll the page until the value shows
const poll = <T>(fn: () => Promise<T>) => expect.poll(fn, { timeout: 10_000, interval: 100 });

// An administrator builds the organisation and an app role in the designer; the role then
// holds for a member over the API: she submits, sees only her own records, never the hidden field.

describe('members, departments, roles and app permissions in the designer', () => {
  let web: Web;
  let page: Page;
  let errors: { errors: string[] };
  let appId = '';
  let formId = '';
  const api = <T = any>(method: string, path: string, body?: unknown, token = web.server.token) => http<T>(web.url, method, path, body, token);

  beforeAll(async () => {
    web = await startWeb();
    const ctx = await web.context(DESKTOP);
    page = await firstPage(ctx);
    errors = watchErrors(page);
    await signInUi(page, '/designer/', PROCESS_ADMIN.email, PROCESS_ADMIN.password);
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
  }, 60_000);
  afterAll(async () => web?.close());

  it('adds a department with a child department in the tree', async () => {
    await page.getByRole('link', { name: 'Departments' }).click();
    await page.getByRole('button', { name: 'Add department' }).click();
    let dialog = page.getByRole('dialog', { name: 'Add department' });
    // the server's refusal is shown, not swallowed: a name is needed
    await dialog.getByRole('button', { name: 'Create department' }).click();
    await poll(() => dialog.getByRole('alert').textContent()).toBe('Give the department a name.');
    await dialog.getByLabel('Name (English)').fill('Sales');
    await dialog.getByLabel('Name (Chinese)').fill('销售部');
    await dialog.getByRole('button', { name: 'Create department' }).click();
    await page.getByRole('heading', { name: 'Sales', level: 2 }).waitFor();

    await page.getByRole('button', { name: 'Add child department' }).click();
    dialog = page.getByRole('dialog', { name: 'Add a department under Sales' });
    await dialog.getByLabel('Name (English)').fill('East region');
    await dialog.getByRole('button', { name: 'Create department' }).click();
    await page.getByRole('heading', { name: 'East region', level: 2 }).waitFor();

    const tree = page.getByRole('region', { name: 'Department tree' });
    await tree.getByRole('button', { name: 'Collapse Sales' }).click();
    await poll(() => tree.getByRole('button', { name: /^East region/ }).count()).toBe(0);
    await tree.getByRole('button', { name: 'Expand Sales' }).click();
    await poll(() => tree.getByRole('button', { name: /^East region/ }).count()).toBe(1);

    // Sales has a department below it: the server refuses the delete and the page says why
    await tree.getByRole('button', { name: /^Sales/ }).click();
    await page.getByRole('button', { name: 'Delete department' }).click();
    await poll(() => page.getByRole('alert').textContent()).toContain('Move or delete the departments below this one first');
    const depts = (await api('GET', '/api/departments')).body.items;
    const sales = depts.find((d: any) => d.name.en === 'Sales');
    expect(sales.name).toEqual({ en: 'Sales', zh: '销售部' });
    expect(depts.find((d: any) => d.name === 'East region').parentId).toBe(sales.id);
    await shot(page, 'org-departments');
  });

  it('adds two members into the departments, and refuses to disable the last administrator', async () => {
    await page.getByRole('link', { name: 'Members' }).click();
    for (const [name, email, dept] of [['Li Lei', 'li.lei@example.com', 'Sales'], ['Han Mei', 'han.mei@example.com', 'East region']] as const) {
      await page.getByRole('button', { name: 'Add member' }).click();
      const dialog = page.getByRole('dialog', { name: 'Add member' });
      await dialog.getByLabel('Name', { exact: true }).fill(name);
      await dialog.getByLabel('Email').fill(email);
      await dialog.getByLabel('Initial password').fill('a-long-password');
      await dialog.getByRole('group', { name: 'Departments' }).getByLabel(dept).check();
      if (name === 'Han Mei') await shot(page, 'org-member-dialog');
      await dialog.getByRole('button', { name: 'Add member' }).click();
      await poll(() => page.getByRole('status').textContent()).toBe(`${name} was added.`);
    }
    await page.getByLabel('Search members').fill('east');
    await poll(() => page.getByRole('row').count()).toBe(2); // header + Han Mei
    await page.getByRole('cell', { name: 'Han Mei', exact: true }).waitFor();
    await page.getByLabel('Search members').fill('');

    await page.getByRole('button', { name: 'Disable Administrator' }).click();
    await poll(() => page.getByRole('alert').textContent()).toContain('This is the last active administrator');
    await shot(page, 'org-members');
    const users = (await api('GET', '/api/users')).body.items;
    expect(users.find((u: any) => u.email === PROCESS_ADMIN.email).status).toBe('active');
    expect(users.filter((u: any) => u.email !== PROCESS_ADMIN.email).map((u: any) => [u.name, u.departments.length])).toEqual(
      expect.arrayContaining([['Li Lei', 1], ['Han Mei', 1]]),
    );
  });

  it('disables, enables and resets the password of a member; sets a department leader', async () => {
    await page.getByRole('button', { name: 'Disable Han Mei' }).click();
    await poll(() => page.getByRole('status').textContent()).toBe('Han Mei is disabled and signed out everywhere.');
    await page.getByRole('button', { name: 'Enable Han Mei' }).click();
    await poll(() => page.getByRole('status').textContent()).toBe('Han Mei is active again.');
    await page.getByRole('button', { name: 'Reset password of Han Mei' }).click();
    const dialog = page.getByRole('dialog', { name: 'Reset password of Han Mei' });
    await dialog.getByLabel('New password', { exact: true }).fill('a-new-long-password');
    await dialog.getByLabel('Repeat the new password').fill('a-new-long-password');
    await dialog.getByRole('button', { name: 'Set password' }).click();
    await poll(() => page.getByRole('status').textContent()).toContain('The password of Han Mei was changed');
    const login = await http(web.url, 'POST', '/api/auth/login', { username: 'han.mei@example.com', password: 'a-new-long-password' });
    expect(login.status).toBe(200);

    await page.getByRole('link', { name: 'Departments' }).click();
    await page.getByRole('region', { name: 'Department tree' }).getByRole('button', { name: /^Sales/ }).click();
    await page.getByLabel('Leader').selectOption({ label: 'Li Lei <li.lei@example.com>' });
    await page.getByRole('button', { name: 'Save department' }).click();
    await poll(() => page.getByRole('status').textContent()).toBe('Department saved.');
    const members = page.getByRole('region', { name: 'Members of Sales' });
    await page.getByLabel('Include departments below').check();
    await poll(() => members.getByRole('row').count()).toBe(3); // header, Han Mei (East region), Li Lei (leader)
    await shot(page, 'org-department-members');
    const sales = (await api('GET', '/api/departments')).body.items.find((d: any) => d.name.en === 'Sales');
    const li = (await api('GET', '/api/users')).body.items.find((u: any) => u.name === 'Li Lei');
    expect(sales.leaderId).toBe(li.id);
  });

  it('creates an app role in the app settings: submit and view own records, one field hidden, with a member', async () => {
    const app = await api('POST', '/api/apps', { name: 'Expenses' });
    appId = app.body.id;
    const form = await api('POST', `/api/apps/${appId}/forms`, {
      name: 'Expense claim',
      fields: [
        { key: 'title', type: 'text', label: 'Title', required: true },
        { key: 'amount', type: 'money', label: 'Amount' },
        { key: 'note', type: 'textarea', label: 'Internal note' },
      ],
    });
    formId = form.body.id;
    expect((await api('POST', `/api/forms/${formId}/publish`)).status).toBe(200);

    await page.goto(`/designer/apps/${appId}/settings`);
    await page.getByRole('heading', { name: 'Settings of Expenses' }).waitFor();
    await page.getByRole('button', { name: 'Use icon 🧾' }).click();
    await page.getByRole('button', { name: 'Save app' }).click();
    await poll(() => page.getByRole('status').textContent()).toBe('App saved.');

    await page.getByRole('button', { name: 'New role' }).click();
    const editor = page.getByRole('form', { name: 'Role editor' });
    await editor.getByLabel('Role name (English)').fill('Claimant');
    const perms = editor.getByRole('region', { name: 'Permissions on Expense claim' });
    await perms.getByRole('button', { name: 'Grant access to Expense claim' }).click();
    const group = perms.getByRole('group', { name: 'Permission group 1' });
    // an empty group is not saved silently
    await editor.getByRole('button', { name: 'Save role' }).click();
    await poll(() => group.getByRole('alert').textContent()).toBe('Tick at least one action, or remove the group.');
    await group.getByRole('checkbox', { name: 'Submit' }).check();
    await group.getByRole('checkbox', { name: 'View' }).check();
    await group.getByLabel('Data scope').selectOption({ label: 'Own records' });
    await group.getByRole('radio', { name: 'Internal note: Hidden' }).check();
    await editor.getByLabel('Add a member to the role').selectOption({ label: 'Li Lei <li.lei@example.com>' });
    await editor.getByRole('button', { name: 'Add to role' }).click();
    await poll(() => editor.getByRole('list', { name: 'Members with this role' }).textContent()).toContain('Li Lei');
    await editor.getByRole('button', { name: 'Save role' }).click();
    await poll(() => editor.getByRole('status').textContent()).toBe('Role saved.');
    await page.getByRole('navigation', { name: 'App roles' }).getByRole('button', { name: /Claimant/ }).waitFor();
    await shot(page, 'org-app-settings', { fullPage: true });
    await perms.scrollIntoViewIfNeeded();
    await shot(page, 'org-app-role');

    expect((await api('GET', `/api/apps/${appId}`)).body.icon).toBe('🧾');
    const roles = (await api('GET', `/api/roles?appId=${appId}`)).body.items;
    expect(roles).toHaveLength(1);
    expect(roles[0]).toMatchObject({ name: 'Claimant', appId, apps: { [appId]: { open: true } }, forms: { [formId]: { actions: ['submit', 'view'], scope: 'own', fields: { note: 'hidden' } } } });
    const li = (await api('GET', '/api/users')).body.items.find((u: any) => u.name === 'Li Lei');
    expect(li.roles).toEqual([roles[0].id]);
  });

  it('the member can submit, sees only her own records, and never the hidden field', async () => {
    expect((await api('POST', `/api/forms/${formId}/records`, { data: { title: 'Admin dinner', amount: 300, note: 'secret' } })).status).toBe(201);
    const login = await http(web.url, 'POST', '/api/auth/login', { username: 'li.lei@example.com', password: 'a-long-password' });
    expect(login.status).toBe(200);
    const li = login.body.token as string;
    const mine = await api('POST', `/api/forms/${formId}/records`, { data: { title: 'Taxi', amount: 42 } }, li);
    expect(mine.status).toBe(201);
    const list = await api('GET', `/api/forms/${formId}/records`, undefined, li);
    expect(list.status).toBe(200);
    expect(list.body.items.map((r: any) => r.data.title)).toEqual(['Taxi']);
    expect(list.body.items[0].data).not.toHaveProperty('note');
    const form = await api('GET', `/api/forms/${formId}`, undefined, li);
    expect(form.body.published.definition.fields.map((f: any) => f.key)).toEqual(['title', 'amount']);
    expect(form.body.permissions).toMatchObject({ actions: ['submit', 'view'], hidden: ['note'] });
    // Han Mei has no role on the app: she does not even see it
    const han = await http(web.url, 'POST', '/api/auth/login', { username: 'han.mei@example.com', password: 'a-new-long-password' });
    expect(han.status).toBe(200);
    expect((await api('GET', `/api/forms/${formId}/records`, undefined, han.body.token)).status).toBe(404);
  });

  it('lists the role on the roles page, filtered by app', async () => {
    await page.getByRole('link', { name: 'Roles' }).click();
    await page.getByLabel('Show roles').selectOption({ label: 'Roles of Expenses' });
    const list = page.getByRole('navigation', { name: 'Roles' });
    await list.getByRole('button', { name: /Claimant/ }).click();
    const editor = page.getByRole('form', { name: 'Role editor' });
    expect(await editor.getByLabel('Role name (English)').inputValue()).toBe('Claimant');
    expect(await editor.getByRole('checkbox', { name: 'Open Expenses' }).isChecked()).toBe(true);
    expect(await editor.getByRole('radio', { name: 'Internal note: Hidden' }).isChecked()).toBe(true);
    await poll(() => editor.getByRole('list', { name: 'Members with this role' }).textContent()).toContain('Li Lei');
    await shot(page, 'org-roles');
    await page.getByRole('button', { name: '切换到中文' }).click();
    await page.getByRole('heading', { name: '角色', level: 1 }).waitFor();
    expect(await page.getByRole('form', { name: '角色编辑' }).getByRole('checkbox', { name: '提交' }).isChecked()).toBe(true);
    await page.getByRole('button', { name: 'Switch to English' }).click();

    // a workspace role that may design the app, then deleted again
    await page.getByLabel('New role for').selectOption({ label: 'Workspace role' });
    await page.getByRole('button', { name: 'New role' }).click();
    const fresh = page.getByRole('form', { name: 'Role editor' });
    await poll(() => fresh.getByRole('heading', { level: 2 }).textContent()).toBe('New role');
    await fresh.getByLabel('Role name (English)').fill('Expense designers');
    await fresh.getByRole('checkbox', { name: 'Design Expenses' }).check();
    await fresh.getByRole('button', { name: 'Save role' }).click();
    await poll(() => fresh.getByRole('status').textContent()).toBe('Role saved.');
    const designers = (await api('GET', '/api/roles')).body.items.find((r: any) => r.name === 'Expense designers');
    expect(designers).toMatchObject({ appId: null, apps: { [appId]: { design: true } } });
    await fresh.getByRole('button', { name: 'Delete role' }).click();
    await fresh.getByRole('button', { name: 'Yes, delete role' }).click();
    await poll(async () => (await api('GET', '/api/roles')).body.items.map((r: any) => r.name)).toEqual(['Claimant']);
    expect(errors.errors).toEqual([]);
  });
});
