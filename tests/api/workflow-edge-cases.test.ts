import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_REDIS_URL, uniquePrefix } from '@trellis/server/jobs/bullmq/redis-test-support';
import { startHarness, type Call, type Harness } from '../support/harness.js';

// Timeouts (a reminder, then escalation), an action that maps a wrong value (the instance
// waits in error for an admin, nothing half-written), and graphs that may not be published.

const PASSWORD = 'edge-case-password-1';
const DRIVERS = {
  embedded: () => ({}),
  bullmq: () => ({ REDIS_URL: TEST_REDIS_URL, TRELLIS_REDIS_PREFIX: uniquePrefix('edge') }),
};

describe.each(Object.keys(DRIVERS) as (keyof typeof DRIVERS)[])('workflow edge cases (%s jobs)', (driver) => {
  let h: Harness;
  let expenseForm = '';
  let ledgerForm = '';
  const people: Record<string, { id: string; call: Call }> = {};

  const settle = () => h.jobs.drain('workflow', 1000);
  const tasksOf = async (name: string) => (await people[name]!.call('GET', '/api/tasks')).body.items as { id: string; recordId: string; node: string }[];
  const notes = async (name: string) => (await people[name]!.call('GET', '/api/notifications')).body.items as { kind: string; recordId: string; taskId: string | null }[];
  /** what the timer job does when its time comes, without waiting for it */
  const fire = async (instanceId: string, taskId: string) => {
    await h.jobs.add('workflow', 'event', { instanceId, event: { type: 'timeout', taskId } }, { jobId: `fire-${taskId}` });
    await settle();
  };

  beforeAll(async () => {
    h = await startHarness(DRIVERS[driver]());
    for (const name of ['Ann', 'Ben', 'Cai', 'Dee']) {
      const email = `${name.toLowerCase()}@example.com`;
      const u = await h.call('POST', '/api/users', { email, name, password: PASSWORD });
      people[name] = { id: u.body.id, call: h.as(await h.login(email, PASSWORD)) };
    }
    const app = (await h.call('POST', '/api/apps', { name: 'Finance' })).body.id;
    expenseForm = (await h.call('POST', `/api/apps/${app}/forms`, {
      name: 'Expense', fields: [{ key: 'title', type: 'text', label: 'Title', required: true }, { key: 'amount', type: 'text', label: 'Amount (as typed)' }],
    })).body.id;
    ledgerForm = (await h.call('POST', `/api/apps/${app}/forms`, {
      name: 'Ledger', fields: [{ key: 'title', type: 'text', label: 'Title', required: true }, { key: 'amount', type: 'number', label: 'Amount', required: true }],
    })).body.id;
    for (const f of [expenseForm, ledgerForm]) expect((await h.call('POST', `/api/forms/${f}/publish`)).status).toBe(200);
    const staff = (await h.call('POST', '/api/roles', { name: 'Staff', forms: { [expenseForm]: { actions: ['submit', 'view'], scope: 'own' } } })).body.id;
    expect((await h.call('PATCH', `/api/users/${people.Dee!.id}`, { roles: [staff] })).status).toBe(200);
    const flow = {
      nodes: [
        { id: 'start', type: 'start' },
        { id: 'check', type: 'approval', assignees: [{ type: 'users', users: [people.Ann!.id] }], mode: 'any', timeout: { after: { amount: 1, unit: 'hours' }, action: 'remind' } },
        { id: 'sign', type: 'approval', assignees: [{ type: 'users', users: [people.Ben!.id] }], mode: 'any', timeout: { after: { amount: 2, unit: 'days' }, action: 'escalate', escalateTo: [{ type: 'users', users: [people.Cai!.id] }] } },
        { id: 'book', type: 'action', action: { type: 'createRecord', form: ledgerForm, values: { title: { var: 'title' }, amount: { '+': [{ var: 'amount' }, 0] } } } },
        { id: 'end', type: 'end' },
      ],
      edges: [{ from: 'start', to: 'check' }, { from: 'check', to: 'sign' }, { from: 'sign', to: 'book' }, { from: 'book', to: 'end' }],
    };
    expect((await h.call('PUT', `/api/forms/${expenseForm}/workflow`, flow)).status).toBe(200);
    const pub = await h.call('POST', `/api/forms/${expenseForm}/workflow/publish`);
    expect(pub.status, JSON.stringify(pub.body)).toBe(200);
  });
  afterAll(async () => h.close());

  it('an overdue task reminds its approver; an overdue signature escalates to the deputy, who decides', async () => {
    const rec = (await people.Dee!.call('POST', `/api/forms/${expenseForm}/records`, { data: { title: 'Taxi', amount: '30' } })).body;
    const instanceId = (await h.call('GET', `/api/records/${rec.id}/workflow`)).body.id as string;
    const check = (await tasksOf('Ann')).find((t) => t.recordId === rec.id)!;
    // the timer is a delayed job due an hour from now
    const timer = await h.jobs.get('workflow', `timer:${instanceId}:timeout:${check.id}`);
    expect(timer?.state).toBe('delayed');
    expect(timer!.runAt! - Date.now()).toBeGreaterThan(55 * 60_000);

    await fire(instanceId, check.id);
    expect((await notes('Ann')).some((n) => n.kind === 'reminder' && n.taskId === check.id)).toBe(true);
    expect((await tasksOf('Ann')).map((t) => t.id)).toContain(check.id);
    expect((await people.Ann!.call('POST', `/api/tasks/${check.id}/approve`, {})).status).toBe(200);
    // the approved task's timer is gone
    expect((await h.jobs.get('workflow', `timer:${instanceId}:timeout:${check.id}`))?.state ?? 'gone').not.toBe('delayed');

    const sign = (await tasksOf('Ben')).find((t) => t.recordId === rec.id)!;
    await fire(instanceId, sign.id);
    expect((await tasksOf('Ben')).find((t) => t.recordId === rec.id)).toBeUndefined();
    const escalated = (await tasksOf('Cai')).find((t) => t.recordId === rec.id);
    expect(escalated?.node).toBe('sign');
    expect((await people.Cai!.call('POST', `/api/tasks/${escalated!.id}/approve`, {})).status).toBe(200);
    await settle();
    expect((await h.call('GET', `/api/forms/${expenseForm}/records/${rec.id}`)).body.status).toBe('approved');
    // a timer firing late for a decided task changes nothing
    await fire(instanceId, sign.id);
    expect((await h.call('GET', `/api/records/${rec.id}/workflow`)).body.status).toBe('completed');
  });

  it('an action mapping a value that is not a number into a number field puts the instance in error for an admin; after the fix, a retry completes it once', async () => {
    const rec = (await people.Dee!.call('POST', `/api/forms/${expenseForm}/records`, { data: { title: 'Hotel', amount: 'two hundred' } })).body;
    for (const [who, node] of [['Ann', 'check'], ['Ben', 'sign']] as const) {
      const t = (await tasksOf(who)).find((x) => x.recordId === rec.id && x.node === node)!;
      expect((await people[who]!.call('POST', `/api/tasks/${t.id}/approve`, {})).status).toBe(200);
    }
    await settle();
    const inError = await h.call('GET', '/api/workflow-instances?status=error');
    const mine = (inError.body.items as { id: string; recordId: string; error: { node: string; message: string } }[]).find((i) => i.recordId === rec.id);
    expect(mine?.error.node).toBe('book');
    expect(mine?.error.message).toMatch(/amount/);
    expect((await people.Dee!.call('GET', '/api/workflow-instances?status=error')).status).toBe(403);
    const ledger = async () => (await h.call('GET', `/api/forms/${ledgerForm}/records?filter=${encodeURIComponent(JSON.stringify({ field: 'title', op: 'eq', value: 'Hotel' }))}&count=true`)).body.total;
    expect(await ledger()).toBe(0);

    const current = (await h.call('GET', `/api/forms/${expenseForm}/records/${rec.id}`)).body;
    expect((await h.call('PATCH', `/api/forms/${expenseForm}/records/${rec.id}`, { data: { amount: '200' }, version: current.version })).status).toBe(200);
    expect((await h.call('POST', `/api/workflow-instances/${mine!.id}/retry`)).status).toBe(200);
    await settle();
    expect(await ledger()).toBe(1);
    expect((await h.call('GET', `/api/records/${rec.id}/workflow`)).body.status).toBe('completed');
    // a second retry is refused: nothing is in error any more
    expect((await h.call('POST', `/api/workflow-instances/${mine!.id}/retry`)).status).toBe(409);
    expect(await ledger()).toBe(1);
  });

  it('two approvers of an any-one step approve at the same moment: one wins, the other gets a clear 409', async () => {
    const app = (await h.call('GET', `/api/forms/${expenseForm}`)).body.appId as string;
    const quick = (await h.call('POST', `/api/apps/${app}/forms`, { name: 'Quick', fields: [{ key: 'title', type: 'text', label: 'Title' }] })).body.id as string;
    expect((await h.call('POST', `/api/forms/${quick}/publish`)).status).toBe(200);
    const flow = {
      nodes: [{ id: 'start', type: 'start' }, { id: 'either', type: 'approval', assignees: [{ type: 'users', users: [people.Ann!.id, people.Ben!.id] }], mode: 'any' }, { id: 'end', type: 'end' }],
      edges: [{ from: 'start', to: 'either' }, { from: 'either', to: 'end' }],
    };
    expect((await h.call('PUT', `/api/forms/${quick}/workflow`, flow)).status).toBe(200);
    expect((await h.call('POST', `/api/forms/${quick}/workflow/publish`)).status).toBe(200);
    for (let round = 0; round < 5; round++) {
      const rec = (await h.call('POST', `/api/forms/${quick}/records`, { data: { title: `race ${round}` } })).body;
      const a = (await tasksOf('Ann')).find((t) => t.recordId === rec.id)!;
      const b = (await tasksOf('Ben')).find((t) => t.recordId === rec.id)!;
      const [ra, rb] = await Promise.all([
        people.Ann!.call('POST', `/api/tasks/${a.id}/approve`, {}),
        people.Ben!.call('POST', `/api/tasks/${b.id}/approve`, {}),
      ]);
      expect([ra.status, rb.status].sort()).toEqual([200, 409]);
      expect((ra.status === 409 ? ra : rb).body.error.message).toMatch(/already (cancelled|closed|approved)/);
      const steps = (await h.call('GET', `/api/records/${rec.id}/timeline`)).body.workflow as { kind: string }[];
      expect(steps.filter((x) => x.kind === 'approved')).toHaveLength(1);
      expect((await h.call('GET', `/api/forms/${quick}/records/${rec.id}`)).body.status).toBe('approved');
    }
  });

  it('graphs that cannot run are refused at publish with the node named, and the published version stays', async () => {
    const bad = [
      { why: /loops/, flow: { nodes: [{ id: 'start', type: 'start' }, { id: 'a', type: 'approval', assignees: [{ type: 'submitter' }], mode: 'any' }, { id: 'c', type: 'condition' }, { id: 'end', type: 'end' }],
        edges: [{ from: 'start', to: 'a' }, { from: 'a', to: 'c' }, { from: 'c', to: 'a', condition: { '>': [{ var: 'amount' }, 1] } }, { from: 'c', to: 'end', default: true }] } },
      { why: /default/, flow: { nodes: [{ id: 'start', type: 'start' }, { id: 'c', type: 'condition' }, { id: 'x', type: 'end' }, { id: 'y', type: 'end' }],
        edges: [{ from: 'start', to: 'c' }, { from: 'c', to: 'x', condition: true }, { from: 'c', to: 'y', condition: false }] } },
      { why: /Node "a".*role/, flow: { nodes: [{ id: 'start', type: 'start' }, { id: 'a', type: 'approval', assignees: [{ type: 'role', role: 'no-such-role' }], mode: 'any' }, { id: 'end', type: 'end' }],
        edges: [{ from: 'start', to: 'a' }, { from: 'a', to: 'end' }] } },
    ];
    for (const { why, flow } of bad) {
      expect((await h.call('PUT', `/api/forms/${expenseForm}/workflow`, flow)).status).toBe(200);
      const r = await h.call('POST', `/api/forms/${expenseForm}/workflow/publish`);
      expect(r.status).toBe(422);
      expect(r.body.error.message).toMatch(why);
    }
    expect((await h.call('GET', `/api/forms/${expenseForm}/workflow`)).body.publishedVersion).toBe(1);
    // a submitter may use the form but not change its workflow
    expect((await people.Dee!.call('PUT', `/api/forms/${expenseForm}/workflow`, { nodes: [], edges: [] })).status).toBe(403);
  });
});
