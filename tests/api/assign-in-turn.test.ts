import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';

// New leads go to the sales reps of their region in turn (round-robin), even when many arrive at
// once; a lead someone already took keeps its owner; a rep who leaves drops out of the turns.

const leadForm = {
  name: { en: 'Lead', zh: '线索' },
  fields: [
    { key: 'company', type: 'text', label: 'Company', required: true },
    { key: 'region', type: 'select', label: 'Region', options: ['east', 'west'], required: true },
    { key: 'owner', type: 'member', label: 'Owner' },
    { key: 'claim', type: 'checkbox', label: 'Claim it' },
    { key: 'claimed_by', type: 'member', label: 'Claimed by', readOnly: true },
  ],
};

describe('assign in turn', () => {
  let h: Harness;
  let leads = '';
  const reps: Record<string, string> = {};
  const tokens: Record<string, string> = {};
  let westRole = '';

  const settle = () => h.jobs.drain('automation', 3000);
  const owners = async () => {
    const r = await h.call('GET', `/api/forms/${leads}/records?limit=200`);
    return r.body.items as { id: string; data: { company: string; region: string; owner?: string } }[];
  };

  beforeAll(async () => {
    h = await startHarness({ TRELLIS_JOB_BACKOFF_MS: '50' });
    const app = (await h.call('POST', '/api/apps', { name: 'CRM' })).body.id;
    leads = (await h.call('POST', `/api/apps/${app}/forms`, leadForm)).body.id;
    expect((await h.call('POST', `/api/forms/${leads}/publish`)).status).toBe(200);
    const role = async (name: string) => (await h.call('POST', '/api/roles', { name, forms: { [leads]: { actions: ['view', 'submit', 'edit'] } } })).body.id as string;
    const east = await role('East sales');
    westRole = await role('West sales');
    for (const [name, r] of [['Ann', east], ['Bo', east], ['Cy', east], ['Wu', westRole], ['Xi', westRole]] as const) {
      const u = await h.call('POST', '/api/users', { email: `${name.toLowerCase()}@example.com`, name, password: 'password-123', roles: [r] });
      expect(u.status, JSON.stringify(u.body)).toBe(201);
      reps[name] = u.body.id;
      tokens[name] = await h.login(`${name.toLowerCase()}@example.com`, 'password-123');
    }
    const flow = {
      nodes: [], edges: [],
      automations: [
        { id: 'east', on: { event: 'created' }, condition: { '==': [{ var: 'region' }, 'east'] }, actions: [{ type: 'assignInTurn', field: 'owner', among: [{ type: 'role', role: east }] }] },
        { id: 'west', on: { event: 'created' }, condition: { '==': [{ var: 'region' }, 'west'] }, actions: [{ type: 'assignInTurn', field: 'owner', among: [{ type: 'role', role: westRole }] }] },
        // claiming: whoever ticks "claim" becomes the owner, and is noted in a field that is read-only to people
        {
          id: 'claim', on: { event: 'fieldChanged', fields: ['claim'] }, condition: { '==': [{ var: 'claim' }, true] },
          actions: [{ type: 'updateRecords', form: leads, filter: { field: 'id', op: 'eq', value: { var: 'record.id' } }, values: { owner: { var: '$user.id' }, claimed_by: { var: '$user.id' }, claim: false } }],
        },
      ],
    };
    expect((await h.call('PUT', `/api/forms/${leads}/workflow`, flow)).status).toBe(200);
    const published = await h.call('POST', `/api/forms/${leads}/workflow/publish`);
    expect(published.status, JSON.stringify(published.body)).toBe(200);
  });
  afterAll(async () => h?.close());

  it('spreads leads that arrive at once evenly over the reps of their region', async () => {
    const created = await Promise.all([
      ...Array.from({ length: 9 }, (_, i) => h.call('POST', `/api/forms/${leads}/records`, { data: { company: `East ${i}`, region: 'east' } })),
      ...Array.from({ length: 4 }, (_, i) => h.call('POST', `/api/forms/${leads}/records`, { data: { company: `West ${i}`, region: 'west' } })),
    ]);
    expect(created.map((r) => r.status)).toEqual(Array(13).fill(201));
    await settle();
    const all = await owners();
    const count = (region: string) => {
      const c: Record<string, number> = {};
      for (const r of all.filter((x) => x.data.region === region)) c[r.data.owner ?? 'nobody'] = (c[r.data.owner ?? 'nobody'] ?? 0) + 1;
      return c;
    };
    expect(count('east')).toEqual({ [reps.Ann!]: 3, [reps.Bo!]: 3, [reps.Cy!]: 3 });
    expect(count('west')).toEqual({ [reps.Wu!]: 2, [reps.Xi!]: 2 });
  });

  it('leaves a lead that already has an owner with them', async () => {
    const mine = (await h.call('POST', `/api/forms/${leads}/records`, { data: { company: 'Taken', region: 'east', owner: reps.Cy } })).body;
    await settle();
    expect((await h.call('GET', `/api/forms/${leads}/records/${mine.id}`)).body.data.owner).toBe(reps.Cy);
  });

  it('a rep claims a lead by ticking "claim": the automation sees who did it and makes them the owner', async () => {
    const lead = (await h.call('POST', `/api/forms/${leads}/records`, { data: { company: 'Pool lead', region: 'east' } })).body;
    await settle();
    const before = (await h.call('GET', `/api/forms/${leads}/records/${lead.id}`)).body;
    // "claimed by" cannot be set by hand
    const forged = await h.as(tokens.Bo!)('PATCH', `/api/forms/${leads}/records/${lead.id}`, { data: { claimed_by: reps.Bo }, version: before.version });
    expect(forged.status).toBe(422);
    const claimed = await h.as(tokens.Bo!)('PATCH', `/api/forms/${leads}/records/${lead.id}`, { data: { claim: true }, version: before.version });
    expect(claimed.status, JSON.stringify(claimed.body)).toBe(200);
    await settle();
    const after = (await h.call('GET', `/api/forms/${leads}/records/${lead.id}`)).body.data;
    expect(after).toMatchObject({ owner: reps.Bo, claimed_by: reps.Bo, claim: false });
  });

  it('a rep who is disabled drops out of the turns', async () => {
    expect((await h.call('PATCH', `/api/users/${reps.Xi}`, { status: 'disabled' })).status).toBe(200);
    const made = await Promise.all([1, 2, 3].map((i) => h.call('POST', `/api/forms/${leads}/records`, { data: { company: `Late west ${i}`, region: 'west' } })));
    await settle();
    const late = (await owners()).filter((r) => made.some((m) => m.body.id === r.id));
    expect(late.map((r) => r.data.owner)).toEqual([reps.Wu, reps.Wu, reps.Wu]);
  });
});
