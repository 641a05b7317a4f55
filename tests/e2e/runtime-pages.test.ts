import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { firstPage, PHONE, shot, signInUi, startWeb, watchErrors, type Web } from './support/browser.js';
import { http } from '../support/process.js';

// The runtime on a phone, around one approval: an employee finds her expense claims (search,
// filter, detail with the timeline); her department leader sees the task badge, opens the task
// and approves with a comment; she then reads the outcome and the comment in the timeline.

const poll = <T>(fn: () => Promise<T>) => expect.poll(fn, { timeout: 10_000, interval: 100 });
const PASSWORD = 'runtime-pages-password';

const claimForm = {
  name: { en: 'Expense claim', zh: '报销单' },
  titleField: 'title',
  fields: [
    { key: 'title', type: 'text', label: { en: 'Title', zh: '标题' }, required: true },
    { key: 'amount', type: 'money', label: { en: 'Amount', zh: '金额' }, min: 0, currency: 'CNY' },
    { key: 'category', type: 'select', label: { en: 'Category', zh: '类别' }, options: ['travel', 'meals', 'office'] },
    { key: 'note', type: 'textarea', label: { en: 'Note', zh: '备注' } },
  ],
};

const CLAIMS = [
  { title: 'Taxi to the airport', amount: 45, category: 'travel' },
  { title: 'Hotel in Shanghai', amount: 880, category: 'travel', note: 'Two nights for the fair' },
  { title: 'Team lunch', amount: 120, category: 'meals' },
];

describe('the runtime on a phone: records, detail, tasks and approval', () => {
  let web: Web;
  let formId = '';
  const records: Record<string, string> = {};
  let employee: { ctx: BrowserContext; page: Page; errors: { errors: string[] } };
  let leader: { ctx: BrowserContext; page: Page; errors: { errors: string[] } };
  const api = <T = any>(method: string, path: string, body?: unknown, token = web.server.token) => http<T>(web.url, method, path, body, token);

  async function phone() {
    const ctx = await web.context(PHONE);
    const page = await firstPage(ctx);
    return { ctx, page, errors: watchErrors(page) };
  }

  beforeAll(async () => {
    web = await startWeb();
    const app = await api('POST', '/api/apps', { name: { en: 'Expenses', zh: '费用' } });
    expect(app.status, JSON.stringify(app.body)).toBe(201);
    const form = await api('POST', `/api/apps/${app.body.id}/forms`, claimForm);
    expect(form.status, JSON.stringify(form.body)).toBe(201);
    formId = form.body.id;
    expect((await api('POST', `/api/forms/${formId}/publish`)).status).toBe(200);

    const lead = await api('POST', '/api/users', { email: 'lei@example.com', name: 'Lei Leader', password: PASSWORD });
    expect(lead.status, JSON.stringify(lead.body)).toBe(201);
    const dept = await api('POST', '/api/departments', { name: 'Sales', leaderId: lead.body.id });
    expect(dept.status, JSON.stringify(dept.body)).toBe(201);
    const role = await api('POST', '/api/roles', { name: 'Employee', forms: { [formId]: { actions: ['submit', 'view'], scope: 'own' } } });
    expect(role.status, JSON.stringify(role.body)).toBe(201);
    const mei = await api('POST', '/api/users', { email: 'mei@example.com', name: 'Mei Employee', password: PASSWORD, departments: [dept.body.id], roles: [role.body.id] });
    expect(mei.status, JSON.stringify(mei.body)).toBe(201);

    const flow = {
      nodes: [
        { id: 'start', type: 'start' },
        { id: 'leader', type: 'approval', name: { en: 'Department leader', zh: '部门负责人' }, assignees: [{ type: 'leader' }], mode: 'any' },
        { id: 'done', type: 'end', status: 'approved' },
      ],
      edges: [{ from: 'start', to: 'leader' }, { from: 'leader', to: 'done' }],
    };
    expect((await api('PUT', `/api/forms/${formId}/workflow`, flow)).status).toBe(200);
    const published = await api('POST', `/api/forms/${formId}/workflow/publish`);
    expect(published.status, JSON.stringify(published.body)).toBe(200);

    const meiToken = (await api('POST', '/api/auth/login', { username: 'mei@example.com', password: PASSWORD }, '')).body.token as string;
    for (const data of CLAIMS) {
      const r = await api('POST', `/api/forms/${formId}/records`, { data }, meiToken);
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      records[data.title] = r.body.id;
    }
    // the workflow opens the leader's tasks in the background
    const leiToken = (await api('POST', '/api/auth/login', { username: 'lei@example.com', password: PASSWORD }, '')).body.token as string;
    for (let i = 0; ; i++) {
      if ((await api('GET', '/api/tasks', undefined, leiToken)).body.items.length === 3) break;
      if (i > 100) throw new Error('the leader never got the three tasks');
      await new Promise((r) => setTimeout(r, 100));
    }

    employee = await phone();
    leader = await phone();
  }, 120_000);
  afterAll(async () => web?.close());

  it('the employee sees her app on the home screen and lists her claims', async () => {
    const { page } = employee;
    await signInUi(page, '/app/', 'mei@example.com', PASSWORD);
    await page.getByRole('heading', { name: 'Hello, Mei Employee' }).waitFor();
    const app = page.getByRole('region', { name: 'Expenses' });
    await app.getByRole('link', { name: 'Expenses' }).waitFor();
    // she may submit and view: both ways in are offered
    await app.getByRole('link', { name: 'New Expense claim' }).waitFor();
    // the bottom tab bar is on screen on a phone
    const nav = page.getByRole('navigation', { name: 'Main' });
    expect(await nav.getByRole('link', { name: /Tasks/ }).isVisible()).toBe(true);
    await shot(page, 'runtime-home-employee');

    await app.getByRole('link', { name: 'Records of Expense claim' }).click();
    await page.getByRole('heading', { name: 'Expense claim' }).waitFor();
    const list = page.getByRole('list', { name: 'Records' });
    await poll(() => list.getByRole('listitem').count()).toBe(3);
    await page.getByRole('status').filter({ hasText: '3 records' }).waitFor();
    // newest first by default; each row shows its status
    expect(await list.getByRole('listitem').first().textContent()).toContain('Team lunch');
    expect(await list.getByRole('listitem').first().textContent()).toContain('In approval');
    await shot(page, 'runtime-records-list');
  });

  it('she searches, filters and sorts the list', async () => {
    const { page, errors } = employee;
    const list = page.getByRole('list', { name: 'Records' });
    await page.getByLabel('Search').fill('hotel');
    await poll(() => list.getByRole('listitem').count()).toBe(1);
    expect(await list.textContent()).toContain('Hotel in Shanghai');
    await shot(page, 'runtime-records-search');
    await page.getByLabel('Search').fill('');
    await poll(() => list.getByRole('listitem').count()).toBe(3);

    await page.getByRole('button', { name: 'Filter' }).click();
    await page.getByLabel('Field').selectOption({ label: 'Amount' });
    await page.getByLabel('Operator').selectOption({ label: 'greater than' });
    await page.getByLabel('Value').fill('100');
    await shot(page, 'runtime-records-filter-panel');
    await page.getByRole('button', { name: 'Apply' }).click();
    await poll(() => list.getByRole('listitem').count()).toBe(2);
    expect(await list.textContent()).not.toContain('Taxi');

    await page.getByRole('button', { name: 'Sort' }).click();
    await page.getByLabel('Sort by').selectOption({ label: 'Amount' });
    await page.getByLabel('Order').selectOption('desc');
    await poll(() => list.getByRole('listitem').first().textContent()).toContain('Hotel in Shanghai');
    await page.getByLabel('Order').selectOption('asc');
    await poll(() => list.getByRole('listitem').first().textContent()).toContain('Team lunch');
    await shot(page, 'runtime-records-filtered-sorted');
    await page.getByRole('button', { name: 'Clear filter' }).click();
    await poll(() => list.getByRole('listitem').count()).toBe(3);
    expect(errors.errors).toEqual([]);
  });

  it('she opens a claim: its workflow waits at the leader and the timeline says she submitted it', async () => {
    const { page, errors } = employee;
    await page.getByRole('list', { name: 'Records' }).getByRole('link', { name: /Hotel in Shanghai/ }).click();
    await page.getByRole('heading', { name: 'Hotel in Shanghai' }).waitFor();
    const approval = page.getByRole('region', { name: 'Approval' });
    await poll(() => approval.textContent()).toContain('Department leader');
    expect(await approval.textContent()).toContain('Lei Leader');
    expect(await approval.textContent()).toContain('In approval');
    const timeline = page.getByRole('list', { name: 'Timeline' });
    await poll(() => timeline.textContent()).toContain('Submitted');
    // her own running claim can be withdrawn; she leaves it
    await page.getByRole('button', { name: 'Withdraw' }).waitFor();
    await shot(page, 'runtime-record-detail', { fullPage: true });
    expect(errors.errors).toEqual([]);
  });

  it('the leader sees the task badge, opens the task and approves with a comment', async () => {
    const { page, errors } = leader;
    await signInUi(page, '/app/', 'lei@example.com', PASSWORD);
    const myTasks = page.getByRole('link', { name: /My tasks/ });
    await myTasks.waitFor();
    await poll(() => myTasks.textContent()).toContain('3');
    await poll(() => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: /Tasks/ }).textContent()).toContain('3');
    // he has no role on the form: no app on his home, his work comes as tasks
    await page.getByText('No apps are open to you yet').waitFor();
    await shot(page, 'runtime-home-leader');

    await myTasks.click();
    const tasks = page.getByRole('list', { name: 'Tasks' });
    await poll(() => tasks.getByRole('listitem').count()).toBe(3);
    const row = tasks.getByRole('link', { name: /Hotel in Shanghai/ });
    expect(await row.textContent()).toContain('Expense claim');
    expect(await row.textContent()).toContain('Department leader');
    expect(await row.textContent()).toContain('Mei Employee');
    await shot(page, 'runtime-tasks-open');

    await row.click();
    await page.getByRole('heading', { name: 'Hotel in Shanghai' }).waitFor();
    await page.getByLabel('Comment').fill('Fine for the fair, keep the receipts.');
    await shot(page, 'runtime-task-detail', { fullPage: true });
    await page.getByRole('button', { name: 'Approve' }).click();
    await page.getByRole('heading', { name: 'My tasks' }).waitFor();
    await poll(() => page.getByRole('status').first().textContent()).toContain('Approved: Hotel in Shanghai');
    await poll(() => page.getByRole('list', { name: 'Tasks' }).getByRole('listitem').count()).toBe(2);
    await poll(() => myTasksBadge(page)).toBe('2');
    await shot(page, 'runtime-task-approved');

    // the done tab lists it
    await page.getByRole('tab', { name: 'Done' }).click();
    await poll(() => page.getByRole('list', { name: 'Tasks' }).textContent()).toContain('Hotel in Shanghai');
    expect(errors.errors).toEqual([]);
  });

  it('a task decided elsewhere meanwhile is refused with a clear message, and a decided task offers no decision', async () => {
    const { page } = leader;
    const lei = await tokenOf('lei@example.com');
    await page.getByRole('tab', { name: 'Open' }).click();
    await page.getByRole('list', { name: 'Tasks' }).getByRole('link', { name: /Team lunch/ }).click();
    await page.getByRole('heading', { name: 'Team lunch' }).waitFor();
    // meanwhile the same task is approved from another device
    const open = (await api('GET', '/api/tasks', undefined, lei)).body.items.find((x: { recordId: string }) => x.recordId === records['Team lunch']);
    expect((await api('POST', `/api/tasks/${open.id}/approve`, {}, lei)).status).toBe(200);
    await page.getByRole('button', { name: 'Reject' }).click();
    await poll(() => page.getByRole('alert').textContent()).toContain('Someone has already acted on this task');
    // nothing left to decide here
    expect(await page.getByRole('button', { name: 'Approve' }).count()).toBe(0);
    await shot(page, 'runtime-task-conflict');
    await page.getByRole('link', { name: 'Back to tasks' }).click();
    await page.getByRole('heading', { name: 'My tasks' }).waitFor();

    const done = (await api('GET', '/api/tasks?status=approved', undefined, lei)).body.items[0].id as string;
    await page.goto(`/app/tasks/${done}`);
    await page.getByRole('heading', { name: /Team lunch|Hotel in Shanghai/ }).waitFor();
    expect(await page.getByRole('button', { name: 'Approve' }).count()).toBe(0);
    await page.getByText('Approved', { exact: true }).first().waitFor();

    // the same screens on a wide screen: the tabs move up beside the brand
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: /Tasks/ }).click();
    await page.getByRole('tab', { name: 'Done' }).click();
    await poll(() => page.getByRole('list', { name: 'Tasks' }).getByRole('listitem').count()).toBe(2);
    await shot(page, 'runtime-tasks-desktop');
    await page.setViewportSize(PHONE.viewport);
  });

  it('the employee sees the approval and the comment in the timeline, and a notification', async () => {
    const { page, errors } = employee;
    await page.reload();
    await page.getByRole('heading', { name: 'Hotel in Shanghai' }).waitFor();
    const timeline = page.getByRole('list', { name: 'Timeline' });
    await poll(() => timeline.textContent()).toContain('Approved · Department leader');
    expect(await timeline.textContent()).toContain('Fine for the fair, keep the receipts.');
    expect(await timeline.textContent()).toContain('Lei Leader');
    await poll(() => page.getByRole('region', { name: 'Approval' }).textContent()).toContain('Approved');
    expect(await page.getByRole('button', { name: 'Withdraw' }).count()).toBe(0);
    await shot(page, 'runtime-record-approved', { fullPage: true });

    const tab = page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: /Notifications/ });
    // two of her claims were approved (the lunch from another device, above)
    await poll(() => tab.textContent()).toBe('Notifications2');
    await tab.click();
    const notes = page.getByRole('button', { name: /Your request was approved/ });
    await poll(() => notes.count()).toBe(2);
    await shot(page, 'runtime-notifications');
    // newest first: the hotel is the older one; opening it marks it read
    await notes.nth(1).click();
    await page.getByRole('heading', { name: 'Hotel in Shanghai' }).waitFor();
    await poll(async () => (await api('GET', '/api/notifications?unread=true', undefined, await tokenOf('mei@example.com'))).body.items.length).toBe(1);
    await poll(() => tab.textContent()).toBe('Notifications1');
    expect(errors.errors).toEqual([]);
  });

  it('switches to Chinese and back', async () => {
    const { page } = employee;
    await page.getByRole('button', { name: '切换到中文' }).click();
    await page.getByRole('heading', { name: '动态' }).waitFor();
    await shot(page, 'runtime-record-zh');
    await page.getByRole('button', { name: 'Switch to English' }).click();
    await page.getByRole('heading', { name: 'Timeline' }).waitFor();
  });

  it('a share link opens without sign-in: the password first, then the form; a record link shows the record', async () => {
    const { page, errors } = await phone();
    const submit = await api('POST', `/api/forms/${formId}/share-links`, { password: 'open-sesame' });
    expect(submit.status, JSON.stringify(submit.body)).toBe(201);
    await page.goto(`/app/share/${submit.body.token}`);
    await page.getByLabel('Link password').fill('wrong-one');
    await page.getByRole('button', { name: 'Open' }).click();
    await poll(() => page.getByRole('alert').textContent()).toBe('Wrong password.');
    await page.getByLabel('Link password').fill('open-sesame');
    await page.getByRole('button', { name: 'Open' }).click();
    await page.getByRole('heading', { name: 'Expense claim' }).waitFor();
    await page.getByLabel('Title').fill('Printer paper');
    await shot(page, 'runtime-share-submit');
    await page.getByRole('button', { name: 'Submit' }).click();
    await page.getByRole('heading', { name: 'Thank you!' }).waitFor();
    await shot(page, 'runtime-share-thanks');
    const filter = encodeURIComponent(JSON.stringify({ field: 'title', op: 'eq', value: 'Printer paper' }));
    expect((await api('GET', `/api/forms/${formId}/records?filter=${filter}`)).body.items).toHaveLength(1);

    const meiToken = await tokenOf('mei@example.com');
    const link = await api('POST', `/api/forms/${formId}/records/${records['Taxi to the airport']}/share-links`, {}, meiToken);
    expect(link.status, JSON.stringify(link.body)).toBe(201);
    await page.goto(`/app/share/${link.body.token}`);
    await page.getByRole('heading', { name: 'Expense claim' }).waitFor();
    await poll(() => page.locator('main').textContent()).toContain('Taxi to the airport');
    await page.goto('/app/share/not-a-real-token-0123456789');
    await poll(() => page.getByRole('alert').textContent()).toBe('This link is not valid or has expired.');
    // never asked to sign in
    expect(await page.getByRole('button', { name: 'Sign in' }).count()).toBe(0);
    expect(errors.errors.filter((e) => !/401|404/.test(e))).toEqual([]);
  });

  async function tokenOf(email: string): Promise<string> {
    return (await api('POST', '/api/auth/login', { username: email, password: PASSWORD }, '')).body.token as string;
  }
});

async function myTasksBadge(page: Page): Promise<string> {
  const badge = page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: /Tasks/ }).locator('.badge');
  return (await badge.count()) ? ((await badge.textContent()) ?? '') : '';
}
