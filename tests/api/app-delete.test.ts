// An admin deletes an app installed from the CRM pack while work is under way: its roles (and people's
// memberships of them), dashboard, workflows, pack install and share links go with it, the approver's
// open task is cancelled rather than left where it cannot be opened, and its nightly automation stops
// quietly instead of failing into the dead-letter view.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';

type Json = any;
/** the server's entity store, read directly to see that nothing of the app is left (tests do not import server internals) */
interface Entities {
  list(kind: string, options?: { ref?: string }): Promise<Json[]>;
  get(kind: string, id: string): Promise<Json>;
}

describe('an admin deletes an app installed from a pack', () => {
  let h: Harness;
  let appId = '';
  const form: Record<string, string> = {};
  let formIds: string[] = [];
  let zhao = { id: '', token: '' };
  let managerRole = '';
  let link = { id: '', token: '' };
  let quoteId = '';
  const store = () => (h.app as unknown as { store: { entities: Entities } }).store;

  beforeAll(async () => {
    h = await startHarness({ TRELLIS_JOB_BACKOFF_MS: '20' });
    const app = await h.call('POST', '/api/packs/crm/install', { withSampleData: true });
    expect(app.status, JSON.stringify(app.body)).toBe(201);
    appId = app.body.id;
    const forms = (await h.call('GET', `/api/apps/${appId}/forms`)).body.items as Json[];
    formIds = forms.map((f) => f.id);
    for (const f of forms) form[f.draft.name.en] = f.id;
    const roles = (await h.call('GET', `/api/roles?appId=${appId}`)).body.items as Json[];
    managerRole = roles.find((r) => r.name.en === 'Sales manager').id;
    const u = await h.call('POST', '/api/users', { email: 'zhao@example.com', name: 'Zhao', password: 'password-123', roles: [managerRole] });
    expect(u.status, JSON.stringify(u.body)).toBe(201);
    zhao = { id: u.body.id, token: await h.login('zhao@example.com', 'password-123') };

    // a quote waits for the sales manager's approval; a public link takes new customers
    const customer = (await h.call('GET', `/api/forms/${form.Customer}/records?limit=1`)).body.items[0];
    const quote = await h.call('POST', `/api/forms/${form.Quotation}/records`, { data: { customer: customer.id } });
    expect(quote.status, JSON.stringify(quote.body)).toBe(201);
    quoteId = quote.body.id;
    await h.jobs.drain('workflow', 2000);
    const l = await h.call('POST', `/api/forms/${form.Customer}/share-links`, {});
    expect(l.status, JSON.stringify(l.body)).toBe(201);
    link = l.body;
  }, 60_000);
  afterAll(async () => h?.close());

  it('leaves the approver with no task they cannot open, and no role of the app', async () => {
    const before = (await h.as(zhao.token)('GET', '/api/tasks')).body.items as Json[];
    expect(before.map((t) => t.recordId)).toEqual([quoteId]);
    expect((await h.call('GET', `/api/share/${link.token}`)).status).toBe(200);

    expect((await h.call('DELETE', `/api/apps/${appId}`)).status).toBe(204);

    expect((await h.as(zhao.token)('GET', '/api/tasks')).body.items).toEqual([]);
    const task = (await store().entities.list('task', { ref: `${zhao.id}:cancelled` }))[0];
    expect(task).toMatchObject({ recordId: quoteId, status: 'cancelled' });
    expect((await h.call('GET', `/api/users/${zhao.id}`)).body.roles).toEqual([]);
    const roles = (await h.call('GET', '/api/roles')).body.items as Json[];
    expect(roles.some((r) => r.appId === appId)).toBe(false);
    expect((await h.call('GET', `/api/share/${link.token}`)).status).toBe(404);
  });

  it('keeps no dashboard, workflow, print template, share link or pack install of it', async () => {
    const { entities } = store();
    expect(await entities.list('role', { ref: appId })).toEqual([]);
    expect(await entities.list('dashboard', { ref: appId })).toEqual([]);
    expect(await entities.get('packInstall', appId)).toBeNull();
    for (const id of formIds) {
      expect(await entities.get('workflow', id)).toBeNull();
      expect(await entities.list('workflowVersion', { ref: id })).toEqual([]);
      expect(await entities.list('printTemplate', { ref: id })).toEqual([]);
      expect(await entities.list('shareLink', { ref: id })).toEqual([]);
    }
  });

  it('stops the nightly return-to-pool run of the deleted form without a failed job', async () => {
    const jid = `after-delete-${Date.now()}`;
    await h.jobs.add('automation', 'schedule', { formId: form.Customer, automationId: 'backToPool', at: new Date().toISOString() }, { jobId: jid });
    await h.jobs.drain('automation', 2000);
    // one try, no error: the form is gone, so the run has nothing to do and queues no next one
    expect(await h.jobs.get('automation', jid)).toMatchObject({ state: 'completed', attemptsMade: 1, error: null });
    expect((await h.call('GET', '/api/jobs/failed')).body.items).toEqual([]);
  });

  it('still lets another install of the same pack live on untouched', async () => {
    const again = await h.call('POST', '/api/packs/crm/install', {});
    expect(again.status).toBe(201);
    const other = await h.call('POST', '/api/packs/crm/install', {});
    expect((await h.call('DELETE', `/api/apps/${again.body.id}`)).status).toBe(204);
    expect((await h.call('GET', `/api/roles?appId=${other.body.id}`)).body.items).toHaveLength(8);
    expect((await h.call('GET', `/api/apps/${other.body.id}/dashboards`)).body.items).toHaveLength(1);
    expect((await h.call('GET', `/api/apps/${other.body.id}/pack`)).status).toBe(200);
  });
});
