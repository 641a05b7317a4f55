import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { DESKTOP, firstPage, shot, signInUi, startWeb, watchErrors, type Web } from './support/browser.js';
import { http, PROCESS_ADMIN } from '../support/process.js';

// playwright-core has no web-first assertions here: poll the page until the value shows
const poll = <T>(fn: () => Promise<T>, timeout = 10_000) => expect.poll(fn, { timeout, interval: 100 });

// An administrator adds two automations to a leads form in the workflow designer: every night at
// 02:00 UTC leads without a follow-up for 30 days go back to the public pool, and a new lead
// notifies its owner. Unfinished settings show as problems on the automation; once saved and
// published the API holds them as drawn, and a lead created over the API notifies its owner.

const PASSWORD = 'automations-designer-pw-1';

describe('the automations designer', () => {
  let web: Web;
  let page: Page;
  let errors: { errors: string[] };
  let formId = '';
  let owner = { id: '', token: '' };
  const api = <T = any>(method: string, path: string, body?: unknown, token = web.server.token) => http<T>(web.url, method, path, body, token);
  const panel = () => page.getByRole('tabpanel');
  const card = (n: number): Locator => panel().locator('.au-list > li').nth(n);

  beforeAll(async () => {
    web = await startWeb();
    const app = await api('POST', '/api/apps', { name: 'Sales' });
    expect(app.status, JSON.stringify(app.body)).toBe(201);
    const form = await api('POST', `/api/apps/${app.body.id}/forms`, {
      name: 'Lead',
      fields: [
        { key: 'company', type: 'text', label: 'Company', required: true },
        { key: 'owner', type: 'member', label: 'Owner' },
        { key: 'pool', type: 'checkbox', label: 'Public pool' },
        { key: 'lastFollowUp', type: 'date', label: 'Last follow-up' },
      ],
    });
    expect(form.status, JSON.stringify(form.body)).toBe(201);
    formId = form.body.id;
    expect((await api('POST', `/api/forms/${formId}/publish`)).status).toBe(200);
    const u = await api('POST', '/api/users', { email: 'olivia@example.com', name: 'Olivia Owner', password: PASSWORD });
    expect(u.status, JSON.stringify(u.body)).toBe(201);
    const login = await http(web.url, 'POST', '/api/auth/login', { username: 'olivia@example.com', password: PASSWORD });
    expect(login.status).toBe(200);
    owner = { id: u.body.id, token: login.body.token };

    const ctx = await web.context(DESKTOP);
    page = await firstPage(ctx);
    errors = watchErrors(page);
    await signInUi(page, '/designer/', PROCESS_ADMIN.email, PROCESS_ADMIN.password);
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
  }, 60_000);
  afterAll(async () => web?.close());

  it('adds a nightly return-to-pool and a new-lead notice, publishes them, and a new lead notifies its owner', async () => {
    await page.goto(`/designer/forms/${formId}/workflow`);
    await page.getByRole('heading', { name: 'Workflow: Lead' }).waitFor();
    await page.getByRole('tab', { name: 'Automations (0)' }).click();
    await panel().getByText('No automations yet.').waitFor();

    // 1. every night at 02:00, leads whose last follow-up is over 30 days old go back to the pool
    await panel().getByRole('button', { name: 'Add automation' }).click();
    const nightly = card(0);
    await nightly.getByLabel('Automation name').fill('Back to the pool');
    await nightly.getByLabel('Name in Chinese').fill('退回公海');
    await nightly.getByLabel('Runs', { exact: true }).selectOption({ label: 'On a schedule' });
    // a cron typed by hand is checked as it is typed
    await nightly.getByLabel('Repeats').selectOption({ label: 'Custom (cron)' });
    await nightly.getByLabel('Cron expression (UTC)').fill('0 25 * * *');
    await poll(() => nightly.getByRole('alert').textContent()).toContain('cron hour "25" is outside 0–23');
    await nightly.getByLabel('Cron expression (UTC)').fill('0 3 * * 1-5');
    await poll(() => nightly.getByRole('alert').count()).toBe(0);
    await nightly.getByLabel('Repeats').selectOption({ label: 'Every day' });
    await nightly.getByLabel('At (UTC)').fill('02:00');
    await poll(() => nightly.locator('.au-summary').textContent()).toContain('Every day at 02:00 UTC');
    await nightly.getByRole('button', { name: 'Add filter condition' }).click();
    await nightly.getByLabel('Filter 1 field').selectOption({ label: 'Last follow-up' });
    await nightly.getByLabel('Filter 1 operator').selectOption({ label: 'less than' });
    await nightly.getByLabel('Filter 1 compared with').selectOption({ label: 'the last N days' });
    await nightly.getByLabel('Filter 1 number of days').fill('30');
    await nightly.getByText('more than 30 days ago').waitFor();
    // a new automation starts with a notification to fill in: it shows as a problem on the automation
    await poll(() => nightly.getByRole('list', { name: 'Problems of Back to the pool' }).textContent()).toContain('Choose who is notified');
    const action1 = nightly.getByRole('region', { name: 'Action 1' });
    await action1.getByLabel('Acts on').selectOption({ label: 'This record: change its fields' });
    await action1.getByLabel('Public pool').selectOption({ label: 'Checked' });
    await poll(() => nightly.getByRole('list', { name: 'Problems of Back to the pool' }).count()).toBe(0);

    // 2. a new lead notifies its owner (the member field)
    await panel().getByRole('button', { name: 'Add automation' }).click();
    const notice = card(1);
    await notice.getByLabel('Automation name').fill('Tell the owner');
    expect(await notice.getByLabel('Runs', { exact: true }).inputValue()).toBe('created');
    const action = notice.getByRole('region', { name: 'Action 1' });
    expect(await action.getByLabel('Acts on').inputValue()).toBe('other');
    await action.getByLabel('Action', { exact: true }).selectOption({ label: 'Notify people' });
    await action.getByLabel('Add assignee by').selectOption({ label: 'Member field' });
    await action.getByLabel('Member field', { exact: true }).selectOption({ label: 'Owner' });
    await action.getByRole('button', { name: 'Add field' }).click();
    await action.getByLabel('Message (English)').fill('New lead {company} is yours');
    await action.getByLabel('Message (Chinese)').fill('新线索 {company} 归你跟进');
    await poll(() => notice.getByRole('list', { name: 'Problems of Tell the owner' }).count()).toBe(0);
    // a message naming a field the form lacks is core's check, shown on this automation
    await action.getByLabel('Message (English)').fill('New lead {customer} is yours');
    await poll(() => notice.getByRole('list', { name: 'Problems of Tell the owner' }).textContent()).toContain('{customer}');
    await action.getByLabel('Message (English)').fill('New lead {company} is yours');
    await poll(() => notice.getByRole('list', { name: 'Problems of Tell the owner' }).count()).toBe(0);
    await poll(() => page.getByRole('tab', { name: 'Problems (0)' }).count()).toBe(1);
    expect(await page.getByRole('tab', { name: 'Automations (2)' }).count()).toBe(1);
    // one automation open at a time: the nightly one shows its schedule and filter again
    await panel().getByRole('button', { name: 'Back to the pool', exact: true }).click();
    await card(0).getByLabel('Filter 1 number of days').waitFor();
    await panel().evaluate((el) => el.scrollTo(0, 0));
    await shot(page, 'automations-designer');

    await page.getByRole('button', { name: 'Save' }).click();
    await poll(() => page.getByRole('status').first().textContent(), 20_000).toContain('Draft saved.');
    await page.getByRole('button', { name: 'Publish' }).click();
    await poll(() => page.getByRole('status').first().textContent(), 20_000).toContain('Published version 1');

    // the API holds them as drawn
    const wf = await api('GET', `/api/forms/${formId}/workflow`);
    expect(wf.status).toBe(200);
    expect(wf.body.publishedVersion).toBe(1);
    expect(wf.body.published.automations).toEqual([
      {
        id: 'automation1',
        name: { en: 'Back to the pool', zh: '退回公海' },
        on: { schedule: '0 2 * * *', filter: { and: [{ field: 'lastFollowUp', op: 'lt', value: { relative: 'last30Days' } }] } },
        actions: [{ type: 'updateRecords', form: formId, filter: { field: 'id', op: 'eq', value: { var: 'record.id' } }, values: { pool: true } }],
      },
      {
        id: 'automation2',
        name: 'Tell the owner',
        on: { event: 'created' },
        actions: [{ type: 'notify', to: [{ type: 'field', field: 'owner' }], message: { en: 'New lead {company} is yours', zh: '新线索 {company} 归你跟进' } }],
      },
    ]);
    // automations alone: the untouched start and end are no approval flow
    expect(wf.body.published.nodes).toEqual([]);

    // a lead created over the API notifies its owner
    const lead = await api('POST', `/api/forms/${formId}/records`, { data: { company: 'Acme Ltd', owner: owner.id, lastFollowUp: '2026-01-05' } });
    expect(lead.status, JSON.stringify(lead.body)).toBe(201);
    await poll(async () => {
      const items = (await api<{ items: { recordId: string; message?: unknown }[] }>('GET', '/api/notifications', undefined, owner.token)).body.items;
      return items.filter((n) => n.recordId === lead.body.id).map((n) => n.message);
    }, 30_000).toEqual([{ en: 'New lead Acme Ltd is yours', zh: '新线索 Acme Ltd 归你跟进' }]);

    // reopened, the designer shows them saved, with nothing left unsaved
    await page.reload();
    await page.getByRole('tab', { name: 'Automations (2)' }).click();
    await panel().getByRole('button', { name: 'Back to the pool', exact: true }).click();
    // the schedule and the filter read back as the presets they were drawn with
    expect(await card(0).getByLabel('Repeats').inputValue()).toBe('daily');
    expect(await card(0).getByLabel('At (UTC)').inputValue()).toBe('02:00');
    expect(await card(0).getByLabel('Filter 1 number of days').inputValue()).toBe('30');
    expect(await card(0).getByRole('region', { name: 'Action 1' }).getByLabel('Acts on').inputValue()).toBe('self');
    expect(await page.getByText('Unsaved changes').count()).toBe(0);
    expect(errors.errors).toEqual([]);
  }, 120_000);
});
