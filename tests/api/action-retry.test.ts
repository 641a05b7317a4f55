import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';

// An automation that moves a counter on (`target.count + 1`) and then calls a webhook that fails
// at first: the job runs again, and the counter must not move twice.

describe('an action that reads its target, run again after a later action failed', () => {
  let h: Harness;
  let hook: Server;
  let failures = 0;
  let tallies = '';
  let events = '';

  beforeAll(async () => {
    hook = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        if (failures > 0) {
          failures--;
          return void res.writeHead(500).end();
        }
        res.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
    const addr = hook.address();
    const url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/hook`;
    h = await startHarness({ TRELLIS_JOB_BACKOFF_MS: '20' });
    const app = (await h.call('POST', '/api/apps', { name: 'Tally' })).body.id;
    tallies = (await h.call('POST', `/api/apps/${app}/forms`, {
      name: 'Tally', fields: [{ key: 'name', type: 'text', label: 'Name', unique: true }, { key: 'count', type: 'number', label: 'Count', readOnly: true }],
    })).body.id;
    events = (await h.call('POST', `/api/apps/${app}/forms`, { name: 'Event', fields: [{ key: 'what', type: 'text', label: 'What' }] })).body.id;
    for (const f of [tallies, events]) expect((await h.call('POST', `/api/forms/${f}/publish`)).status).toBe(200);
    expect((await h.call('POST', `/api/forms/${tallies}/records`, { data: { name: 'all' } })).status).toBe(201);
    const flow = {
      nodes: [], edges: [],
      automations: [{
        id: 'count', on: { event: 'created' },
        actions: [
          { type: 'updateRecords', form: tallies, filter: { field: 'name', op: 'eq', value: 'all' }, values: { count: { '+': [{ if: [{ var: 'target.count' }, { var: 'target.count' }, 0] }, 1] } } },
          { type: 'webhook', url },
        ],
      }],
    };
    expect((await h.call('PUT', `/api/forms/${events}/workflow`, flow)).status).toBe(200);
    const published = await h.call('POST', `/api/forms/${events}/workflow/publish`);
    expect(published.status, JSON.stringify(published.body)).toBe(200);
  });
  afterAll(async () => {
    await h?.close();
    hook?.close();
  });

  it('counts each event once although every job ran twice or three times', async () => {
    failures = 5;
    for (const what of ['a', 'b', 'c']) expect((await h.call('POST', `/api/forms/${events}/records`, { data: { what } })).status).toBe(201);
    await h.jobs.drain('automation', 5000);
    expect(failures).toBe(0);
    const tally = (await h.call('GET', `/api/forms/${tallies}/records`)).body.items[0];
    expect(tally.data.count).toBe(3);
    // each step of the count is in the tally's history once
    const items = (await h.call('GET', `/api/records/${tally.id}/timeline`)).body.items as { changes: { field: string }[] }[];
    expect(items.filter((e) => e.changes.some((c) => c.field === 'count'))).toHaveLength(3);
  });
});

describe('action values read the record\'s own id and submitter', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h?.close());

  it('a created follow-up links back to the record and names its submitter', async () => {
    const app = (await h.call('POST', '/api/apps', { name: 'Leads' })).body.id;
    const leads = (await h.call('POST', `/api/apps/${app}/forms`, { name: 'Lead', fields: [{ key: 'company', type: 'text', label: 'Company' }] })).body.id as string;
    expect((await h.call('POST', `/api/forms/${leads}/publish`)).status).toBe(200);
    const tasks = (await h.call('POST', `/api/apps/${app}/forms`, {
      name: 'Follow-up', fields: [{ key: 'lead', type: 'link', label: 'Lead', form: leads }, { key: 'owner', type: 'member', label: 'Owner' }],
    })).body.id as string;
    expect((await h.call('POST', `/api/forms/${tasks}/publish`)).status).toBe(200);
    const flow = { nodes: [], edges: [], automations: [{ id: 'follow', on: { event: 'created' }, actions: [{ type: 'createRecord', form: tasks, values: { lead: { var: 'id' }, owner: { var: 'createdBy' } } }] }] };
    expect((await h.call('PUT', `/api/forms/${leads}/workflow`, flow)).status).toBe(200);
    const published = await h.call('POST', `/api/forms/${leads}/workflow/publish`);
    expect(published.status, JSON.stringify(published.body)).toBe(200);
    const lead = (await h.call('POST', `/api/forms/${leads}/records`, { data: { company: 'Acme' } })).body;
    await h.jobs.drain('automation', 3000);
    const made = (await h.call('GET', `/api/forms/${tasks}/records`)).body.items;
    expect(made).toHaveLength(1);
    expect(made[0].data).toMatchObject({ lead: lead.id, owner: lead.createdBy });
  });
});
