import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';

// Automations outside an approval: a lead's events write a log, a webhook hears about new
// leads (and is retried when it fails), and a daily schedule returns stale leads to the pool.

const leadForm = {
  name: 'Lead',
  fields: [
    { key: 'company', type: 'text', label: 'Company', required: true },
    { key: 'stage', type: 'select', label: 'Stage', options: ['new', 'contacted', 'won'], default: 'new' },
    { key: 'owner', type: 'text', label: 'Owner' },
    { key: 'pool', type: 'checkbox', label: 'In the public pool' },
    { key: 'lastFollowUp', type: 'date', label: 'Last follow-up', indexed: true },
  ],
};
const logForm = {
  name: 'Lead log',
  fields: [
    { key: 'lead', type: 'text', label: 'Lead', required: true },
    { key: 'what', type: 'text', label: 'What', required: true },
  ],
};

describe('automations on record events and schedules', () => {
  let h: Harness;
  let leads = '';
  let logs = '';
  let hook: Server;
  let hookUrl = '';
  const deliveries: { body: string; signature: string | undefined; delivery: string | undefined }[] = [];
  let failNext = 0;
  let hangNext = 0;

  const settle = () => h.jobs.drain('automation', 2000);
  const logOf = async (lead: string) => {
    const r = await h.call('GET', `/api/forms/${logs}/records?filter=${encodeURIComponent(JSON.stringify({ field: 'lead', op: 'eq', value: lead }))}&sort=createdAt`);
    return (r.body.items as { data: { what: string } }[]).map((x) => x.data.what);
  };

  beforeAll(async () => {
    hook = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        if (hangNext > 0) {
          hangNext--;
          return; // never answers: the try times out
        }
        if (failNext > 0) {
          failNext--;
          res.writeHead(500).end();
          return;
        }
        deliveries.push({ body, signature: req.headers['x-trellis-signature'] as string | undefined, delivery: req.headers['x-trellis-delivery'] as string | undefined });
        res.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
    const addr = hook.address();
    hookUrl = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/hook`;

    // retries 50 ms apart, so a webhook that keeps failing runs out of tries within a second
    h = await startHarness({ TRELLIS_JOB_BACKOFF_MS: '50', TRELLIS_WEBHOOK_TIMEOUT_MS: '300' });
    const app = (await h.call('POST', '/api/apps', { name: 'CRM' })).body.id;
    leads = (await h.call('POST', `/api/apps/${app}/forms`, leadForm)).body.id;
    logs = (await h.call('POST', `/api/apps/${app}/forms`, logForm)).body.id;
    for (const f of [leads, logs]) expect((await h.call('POST', `/api/forms/${f}/publish`)).status).toBe(200);
    const flow = {
      nodes: [], edges: [],
      automations: [
        { id: 'logNew', on: { event: 'created' }, actions: [{ type: 'createRecord', form: logs, values: { lead: { var: 'record.id' }, what: { cat: ['created ', { var: 'company' }] } } }] },
        { id: 'logStage', on: { event: 'fieldChanged', fields: ['stage'] }, condition: { '!=': [{ var: 'stage' }, 'new'] }, actions: [{ type: 'createRecord', form: logs, values: { lead: { var: 'record.id' }, what: { cat: ['stage ', { var: 'stage' }] } } }] },
        { id: 'tell', on: { event: 'created' }, actions: [{ type: 'webhook', url: hookUrl, secret: 'hook-secret-123' }] },
        {
          id: 'backToPool', on: { schedule: '0 2 * * *', filter: { and: [{ field: 'lastFollowUp', op: 'lt', value: { relative: 'last7Days' } }, { field: 'pool', op: 'ne', value: true }] } },
          actions: [{ type: 'updateRecords', form: leads, filter: { field: 'id', op: 'eq', value: { var: 'record.id' } }, values: { pool: true, owner: null } }],
        },
      ],
    };
    expect((await h.call('PUT', `/api/forms/${leads}/workflow`, flow)).status).toBe(200);
    const published = await h.call('POST', `/api/forms/${leads}/workflow/publish`);
    expect(published.status, JSON.stringify(published.body)).toBe(200);
  });
  afterAll(async () => {
    await h.close();
    hook.close();
  });

  it('a new lead writes a log entry, and a stage change another, only when the watched field changes', async () => {
    const lead = (await h.call('POST', `/api/forms/${leads}/records`, { data: { company: 'Acme', owner: 'li' } })).body;
    await settle();
    expect(await logOf(lead.id)).toEqual(['created Acme']);
    const edited = await h.call('PATCH', `/api/forms/${leads}/records/${lead.id}`, { data: { owner: 'wang' }, version: lead.version });
    await settle();
    expect(await logOf(lead.id)).toEqual(['created Acme']);
    await h.call('PATCH', `/api/forms/${leads}/records/${lead.id}`, { data: { stage: 'contacted' }, version: edited.body.version });
    await settle();
    expect(await logOf(lead.id)).toEqual(['created Acme', 'stage contacted']);
  });

  it('the webhook is signed, carries a delivery key, and is retried after a 500', async () => {
    failNext = 1;
    const before = deliveries.length;
    const lead = (await h.call('POST', `/api/forms/${leads}/records`, { data: { company: 'Globex' } })).body;
    await settle();
    const mine = deliveries.slice(before).filter((d) => d.body.includes(lead.id));
    expect(mine).toHaveLength(1);
    const d = mine[0]!;
    expect(d.signature).toBe(`sha256=${createHmac('sha256', 'hook-secret-123').update(d.body).digest('hex')}`);
    expect(d.delivery).toMatch(/tell/);
    expect(JSON.parse(d.body)).toMatchObject({ formId: leads, record: { id: lead.id, data: { company: 'Globex' } } });
  });

  it('a webhook that does not answer in time is tried again, and delivered once it answers', async () => {
    hangNext = 2;
    const before = deliveries.length;
    const lead = (await h.call('POST', `/api/forms/${leads}/records`, { data: { company: 'Slowpoke' } })).body;
    await settle();
    expect(hangNext).toBe(0);
    expect(deliveries.slice(before).filter((d) => d.body.includes(lead.id))).toHaveLength(1);
  });

  it('a webhook that keeps failing ends in the dead-letter view, and the lead is saved all the same', async () => {
    failNext = 100;
    const lead = await h.call('POST', `/api/forms/${leads}/records`, { data: { company: 'Initech' } });
    expect(lead.status).toBe(201);
    await settle();
    const failed = await h.jobs.failed('automation');
    const job = failed.find((j) => JSON.stringify(j.data).includes(lead.body.id) && /500/.test(j.error ?? ''));
    expect(job).toBeDefined();
    // the administrator's dead-letter view, and a retry from it
    const view = await h.call('GET', '/api/jobs/failed?queue=automation');
    expect(view.status).toBe(200);
    expect(view.body.items.map((j: { id: string }) => j.id)).toContain(job!.id);
    failNext = 0;
    expect((await h.call('POST', `/api/jobs/automation/${encodeURIComponent(job!.id)}/retry`)).status).toBe(204);
    await settle();
    expect(deliveries.some((d) => d.body.includes(lead.body.id))).toBe(true);
    failNext = 0;
  });

  it('the daily schedule returns leads without a follow-up for 7 days to the public pool, and queues its next run', async () => {
    const stale = (await h.call('POST', `/api/forms/${leads}/records`, { data: { company: 'Old Co', owner: 'li', lastFollowUp: '2020-01-01' } })).body;
    const fresh = (await h.call('POST', `/api/forms/${leads}/records`, { data: { company: 'New Co', owner: 'li', lastFollowUp: new Date().toISOString().slice(0, 10) } })).body;
    // the 02:00 run comes due now
    const at = new Date().toISOString();
    await h.jobs.add('automation', 'schedule', { formId: leads, automationId: 'backToPool', at }, { jobId: `test-run-${Date.now()}` });
    await settle();
    const get = async (id: string) => (await h.call('GET', `/api/forms/${leads}/records/${id}`)).body.data;
    expect(await get(stale.id)).toMatchObject({ pool: true });
    expect(await get(stale.id)).not.toHaveProperty('owner');
    expect(await get(fresh.id)).toMatchObject({ owner: 'li' });
    const next = new Date(at);
    next.setUTCHours(2, 0, 0, 0);
    if (next.getTime() <= Date.parse(at)) next.setUTCDate(next.getUTCDate() + 1);
    const queued = await h.jobs.get('automation', `schedule:${leads}:backToPool:${next.getTime()}`);
    expect(queued?.state).toBe('delayed');
  });
});
