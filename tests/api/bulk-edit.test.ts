import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Call, type Harness } from '../support/harness.js';

// Bulk edit and delete: each record goes through the single-record path, so a department
// editor changes only the records of her department, each change is in that record's
// history, invalid values and locked fields are refused, and a workflow's guards hold.

const PASSWORD = 'bulk-edit-password';
const form = {
  name: { en: 'Ticket', zh: '工单' },
  titleField: 'title',
  fields: [
    { key: 'title', type: 'text', label: { en: 'Title', zh: '标题' }, required: true },
    { key: 'priority', type: 'select', label: { en: 'Priority', zh: '优先级' }, options: ['low', 'high'] },
    { key: 'hours', type: 'number', label: { en: 'Hours', zh: '工时' }, min: 0, max: 100 },
    { key: 'code', type: 'text', label: { en: 'Code', zh: '编码' } },
    { key: 'cost', type: 'number', label: { en: 'Cost', zh: '成本' } },
  ],
};

describe('bulk edit of selected records', () => {
  let h: Harness;
  let formId = '';
  let ann: Call;
  let ben: Call;
  let olga: Call;
  const sales: string[] = [];
  const ops: string[] = [];
  const url = (p = '') => `/api/forms/${formId}/records${p}`;

  beforeAll(async () => {
    h = await startHarness();
    const ok = async (p: Promise<{ status: number; body: any }>, status = 201) => {
      const r = await p;
      expect(r.status, JSON.stringify(r.body)).toBe(status);
      return r.body;
    };
    const app = await ok(h.call('POST', '/api/apps', { name: { en: 'Support', zh: '支持' } }));
    formId = (await ok(h.call('POST', `/api/apps/${app.id}/forms`, form))).id;
    await ok(h.call('POST', `/api/forms/${formId}/publish`), 200);
    const grant = { actions: ['submit', 'view', 'edit', 'delete'], scope: 'department', fields: { code: 'readOnly', cost: 'hidden' } };
    const role = await ok(h.call('POST', '/api/roles', { name: 'Agent', forms: { [formId]: grant } }));
    const people: Record<string, Call> = {};
    for (const [name, dept] of [['ann', 'Sales'], ['ben', 'Sales'], ['olga', 'Ops']] as const) {
      let d = (await h.call('GET', '/api/departments')).body.items?.find((x: any) => x.name === dept);
      d ??= await ok(h.call('POST', '/api/departments', { name: dept }));
      await ok(h.call('POST', '/api/users', { email: `${name}@example.com`, name, password: PASSWORD, departments: [d.id], roles: [role.id] }));
      people[name] = h.as(await h.login(`${name}@example.com`, PASSWORD));
    }
    ({ ann, ben, olga } = people as Record<'ann' | 'ben' | 'olga', Call>);
    for (let i = 0; i < 3; i++) sales.push((await ok(ben('POST', url(), { data: { title: `Sales ${i}`, priority: 'low', hours: i } }))).id);
    for (let i = 0; i < 2; i++) ops.push((await ok(olga('POST', url(), { data: { title: `Ops ${i}`, priority: 'low', hours: i } }))).id);
  });
  afterAll(async () => h?.close());

  it('a department editor bulk-edits 5 records: the 3 of her department change, the 2 others fail and stay as they were', async () => {
    const r = await ann('POST', url('/bulk-update'), { ids: [...sales, ...ops], data: { priority: 'high' } });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.updated.map((u: any) => u.id).sort()).toEqual([...sales].sort());
    expect(r.body.updated.every((u: any) => u.version === 2)).toBe(true);
    expect(r.body.failed.map((f: any) => [f.id, f.status, f.code])).toEqual(ops.map((id) => [id, 404, 'NOT_FOUND']));
    // nothing about the other records is told: the same answer as for an id that does not exist
    const ghost = await ann('POST', url('/bulk-update'), { ids: ['no-such-record'], data: { priority: 'high' } });
    expect(ghost.body.failed[0]).toMatchObject({ status: 404, code: 'NOT_FOUND' });
    for (const id of ops) {
      const rec = (await h.call('GET', url(`/${id}`))).body;
      expect(rec.data.priority).toBe('low');
      expect(rec.version).toBe(1);
    }
    for (const id of sales) {
      expect((await h.call('GET', url(`/${id}`))).body.data.priority).toBe('high');
      const timeline = await ann('GET', `/api/records/${id}/timeline`);
      expect(timeline.status).toBe(200);
      const last = timeline.body.items.at(-1);
      expect(last).toMatchObject({ action: 'update', version: 2, changes: [{ field: 'priority', from: 'low', to: 'high' }] });
    }
  });

  it('an invalid value gives per-record validation errors and changes nothing', async () => {
    const r = await ann('POST', url('/bulk-update'), { ids: sales, data: { hours: 500 } });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.updated).toEqual([]);
    expect(r.body.failed).toHaveLength(3);
    for (const f of r.body.failed) {
      expect(f).toMatchObject({ status: 422, code: 'VALIDATION_FAILED' });
      expect(f.fields.map((e: any) => e.field)).toEqual(['hours']);
    }
    for (const id of sales) expect((await h.call('GET', url(`/${id}`))).body.version).toBe(2);
  });

  it('a locked, hidden, unknown or computed field is refused before any record changes', async () => {
    const locked = await ann('POST', url('/bulk-update'), { ids: sales, data: { priority: 'low', code: 'X1' } });
    expect(locked.status, JSON.stringify(locked.body)).toBe(422);
    expect(locked.body.error.details.fields.map((e: any) => e.field)).toEqual(['code']);
    for (const data of [{ cost: 5 }, { nope: 1 }]) {
      const r = await ann('POST', url('/bulk-update'), { ids: sales, data });
      expect(r.status, JSON.stringify(r.body)).toBe(400);
    }
    expect((await ann('POST', url('/bulk-update'), { ids: sales, data: {} })).status).toBe(400);
    expect((await ann('POST', url('/bulk-update'), { ids: [], data: { priority: 'low' } })).status).toBe(400);
    expect((await ann('POST', url('/bulk-update'), { ids: Array.from({ length: 501 }, (_, i) => `r${i}`), data: { priority: 'low' } })).status).toBe(400);
    for (const id of sales) {
      const rec = (await h.call('GET', url(`/${id}`))).body;
      expect([rec.version, rec.data.priority, rec.data.code]).toEqual([2, 'high', undefined]);
    }
  });

  it('the current version is used: a record changed meanwhile is still updated, on top of that change', async () => {
    const one = (await h.call('GET', url(`/${sales[0]}`))).body;
    expect((await ben('PATCH', url(`/${sales[0]}`), { version: one.version, data: { title: 'Sales 0 renamed' } })).status).toBe(200);
    const r = await ann('POST', url('/bulk-update'), { ids: [sales[0]], data: { hours: 7 } });
    expect(r.body.updated).toEqual([{ id: sales[0], version: one.version + 2 }]);
    const rec = (await h.call('GET', url(`/${sales[0]}`))).body;
    expect([rec.data.title, rec.data.hours]).toEqual(['Sales 0 renamed', 7]);
  });

  it('someone without edit permission is refused as a whole', async () => {
    const viewer = await h.call('POST', '/api/roles', { name: 'Viewer', forms: { [formId]: { actions: ['view'], scope: 'all' } } });
    await h.call('POST', '/api/users', { email: 'vic@example.com', name: 'vic', password: PASSWORD, roles: [viewer.body.id] });
    const vic = h.as(await h.login('vic@example.com', PASSWORD));
    expect((await vic('POST', url('/bulk-update'), { ids: sales, data: { priority: 'low' } })).status).toBe(403);
    expect((await vic('POST', url('/bulk-delete'), { ids: sales })).status).toBe(403);
  });

  it('bulk delete removes the records in scope, records it in their history, and reports the others', async () => {
    const r = await ann('POST', url('/bulk-delete'), { ids: [sales[2], ops[0]] });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.deleted).toEqual([sales[2]]);
    expect(r.body.failed).toMatchObject([{ id: ops[0], status: 404 }]);
    expect((await h.call('GET', url(`/${sales[2]}`))).status).toBe(404);
    expect((await h.call('GET', url(`/${ops[0]}`))).status).toBe(200);
    const timeline = await h.call('GET', `/api/records/${sales[2]}/timeline`);
    expect(timeline.body.items.at(-1).action).toBe('delete');
  });
});

describe('bulk edit of records under a running workflow', () => {
  let h: Harness;
  afterAll(async () => h?.close());

  it('answers for each record what a single PATCH answers', async () => {
    h = await startHarness();
    const app = (await h.call('POST', '/api/apps', { name: { en: 'Flow', zh: '流程' } })).body;
    const formId = (await h.call('POST', `/api/apps/${app.id}/forms`, form)).body.id;
    expect((await h.call('POST', `/api/forms/${formId}/publish`)).status).toBe(200);
    const role = (await h.call('POST', '/api/roles', { name: 'Checker', forms: { [formId]: { actions: ['view'], scope: 'all' } } })).body;
    const checker = (await h.call('POST', '/api/users', { email: 'chen@example.com', name: 'chen', password: PASSWORD, roles: [role.id] })).body;
    const flow = {
      nodes: [
        { id: 'start', type: 'start' },
        { id: 'check', type: 'approval', name: { en: 'Check', zh: '审核' }, assignees: [{ type: 'users', users: [checker.id] }], mode: 'any' },
        { id: 'done', type: 'end', status: 'approved' },
      ],
      edges: [{ from: 'start', to: 'check' }, { from: 'check', to: 'done' }],
    };
    expect((await h.call('PUT', `/api/forms/${formId}/workflow`, flow)).status).toBe(200);
    const pub = await h.call('POST', `/api/forms/${formId}/workflow/publish`);
    expect(pub.status, JSON.stringify(pub.body)).toBe(200);
    const rec = (await h.call('POST', `/api/forms/${formId}/records`, { data: { title: 'In flow', priority: 'low' } })).body;
    await h.jobs.drain('workflow', 1000);
    const current = (await h.call('GET', `/api/forms/${formId}/records/${rec.id}`)).body;
    const single = await h.call('PATCH', `/api/forms/${formId}/records/${rec.id}`, { version: current.version, data: { priority: 'high' } });
    const after = (await h.call('GET', `/api/forms/${formId}/records/${rec.id}`)).body;
    const bulk = await h.call('POST', `/api/forms/${formId}/records/bulk-update`, { ids: [rec.id], data: { hours: 3 } });
    expect(bulk.status).toBe(200);
    if (single.status === 200) {
      expect(bulk.body.updated).toEqual([{ id: rec.id, version: after.version + 1 }]);
    } else {
      expect(bulk.body.failed).toMatchObject([{ id: rec.id, status: single.status, code: single.body.error.code }]);
      expect((await h.call('GET', `/api/forms/${formId}/records/${rec.id}`)).body.version).toBe(after.version);
    }
  });
});
