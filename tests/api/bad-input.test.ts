import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';
import { purchaseRequestForm, supplierForm } from '../support/forms.js';

// Each bad request gets a clear error and changes nothing.
describe('bad input is refused cleanly and changes nothing', () => {
  let h: Harness;
  let appId: string;
  let supplierFormId: string;
  let formId: string;

  const count = async () => (await h.call('GET', `/api/forms/${formId}/records?count=true&limit=1`)).body.total as number;

  beforeAll(async () => {
    h = await startHarness({ TRELLIS_BODY_LIMIT: String(256 * 1024) });
    appId = (await h.call('POST', '/api/apps', { name: 'Bad input' })).body.id;
    supplierFormId = (await h.call('POST', `/api/apps/${appId}/forms`, supplierForm)).body.id;
    await h.call('POST', `/api/forms/${supplierFormId}/publish`);
    formId = (await h.call('POST', `/api/apps/${appId}/forms`, purchaseRequestForm(supplierFormId))).body.id;
    await h.call('POST', `/api/forms/${formId}/publish`);
    expect((await h.call('POST', `/api/forms/${formId}/records`, { data: { title: 'ok', amount: 5 } })).status).toBe(201);
  });
  afterAll(async () => h.close());

  it('malformed JSON is a 400', async () => {
    const r = await h.call('POST', `/api/forms/${formId}/records`, '{"data": {"title": "x"');
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('BAD_REQUEST');
    expect(await count()).toBe(1);
  });

  it('a body over the size limit is a 413', async () => {
    const r = await h.call('POST', `/api/forms/${formId}/records`, { data: { title: 'x', details: 'y'.repeat(300 * 1024) } });
    expect(r.status).toBe(413);
    expect(r.body.error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(await count()).toBe(1);
  });

  it('unknown fields are refused, in the body and in the data', async () => {
    const top = await h.call('POST', `/api/forms/${formId}/records`, { data: { title: 'x' }, extra: 1 });
    expect(top.status).toBe(400);
    const inData = await h.call('POST', `/api/forms/${formId}/records`, { data: { title: 'x', nosuch: 1 } });
    expect(inData.status).toBe(422);
    expect(inData.body.error.details.fields).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'nosuch', code: 'unknown' })]));
    expect(await count()).toBe(1);
  });

  it('wrong types get per-field errors', async () => {
    const r = await h.call('POST', `/api/forms/${formId}/records`, { data: { title: 42, amount: 'a lot', urgent: 'yes', needBy: '27/11/2026', tags: 'it', lines: {} } });
    expect(r.status).toBe(422);
    const fields = r.body.error.details.fields.map((f: { field: string }) => f.field);
    expect(fields).toEqual(expect.arrayContaining(['title', 'amount', 'urgent', 'needBy', 'tags', 'lines']));
    expect(await count()).toBe(1);
  });

  it('operator-shaped values never act as operators', async () => {
    const asData = await h.call('POST', `/api/forms/${formId}/records`, { data: { title: { $gt: '' } } });
    expect(asData.status).toBe(422);
    for (const value of [{ $gt: '' }, { $where: 'sleep(1000)' }, [{ $ne: null }]]) {
      const r = await h.call('POST', `/api/forms/${formId}/records/query`, { filter: { field: 'title', op: 'eq', value } });
      expect(r.status).toBe(400);
      expect(r.body.error.code).toBe('INVALID_QUERY');
    }
    expect(await count()).toBe(1);
  });

  it('a filter nested 10,000 deep is a 400', async () => {
    const deep = '{"not":'.repeat(10_000) + '{"field":"amount","op":"gt","value":1}' + '}'.repeat(10_000);
    const r = await h.call('POST', `/api/forms/${formId}/records/query`, `{"filter":${deep}}`);
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('INVALID_QUERY');
  });

  it('a filter with an unknown operator or field is a 400', async () => {
    const op = await h.call('POST', `/api/forms/${formId}/records/query`, { filter: { field: 'amount', op: 'regex', value: '.*' } });
    expect(op.status).toBe(400);
    const field = await h.call('POST', `/api/forms/${formId}/records/query`, { filter: { field: 'nosuch', op: 'eq', value: 1 } });
    expect(field.status).toBe(400);
    expect(field.body.error.message).toContain('nosuch');
    const bad = await h.call('GET', `/api/forms/${formId}/records?filter=${encodeURIComponent('{not json')}`);
    expect(bad.status).toBe(400);
    const cursor = await h.call('GET', `/api/forms/${formId}/records?cursor=garbage`);
    expect(cursor.status).toBe(400);
    const agg = await h.call('POST', `/api/forms/${formId}/aggregate`, { metrics: [{ op: 'sum', field: 'title' }] });
    expect(agg.status).toBe(400);
  });

  it('a rule nested 10,000 deep is refused without harm', async () => {
    // written as text: JSON.stringify itself would overflow the stack on such a value
    const deep = '{"!":['.repeat(10_000) + '{"var":"city"}' + ']}'.repeat(10_000);
    const def = JSON.stringify({ ...supplierForm, name: 'Deep', rules: [{ field: 'city', visible: '__DEEP__' }] }).replace('"__DEEP__"', deep);
    const r = await h.call('POST', `/api/apps/${appId}/forms`, def);
    expect(r.status).toBe(422);
    expect(r.body.error.code).toBe('INVALID_DEFINITION');
    expect((await h.call('GET', `/api/apps/${appId}/forms`)).body.items).toHaveLength(2);
  });

  it('a rule with a 1,000,000-element array is refused', async () => {
    const big = { in: [{ var: 'city' }, Array.from({ length: 1_000_000 }, () => 0)] };
    const r = await h.call('POST', `/api/apps/${appId}/forms`, { ...supplierForm, name: 'Huge', rules: [{ field: 'city', visible: big }] });
    expect([413, 422]).toContain(r.status);
    const small = { in: [{ var: 'city' }, Array.from({ length: 10_000 }, () => 0)] };
    const r2 = await h.call('POST', `/api/apps/${appId}/forms`, { ...supplierForm, name: 'Big', rules: [{ field: 'city', visible: small }] });
    expect(r2.status).toBe(422);
    expect((await h.call('GET', `/api/apps/${appId}/forms`)).body.items).toHaveLength(2);
  });

  it('a validation pattern that could backtrack without end is refused', async () => {
    const r = await h.call('POST', `/api/apps/${appId}/forms`, { name: 'ReDoS', fields: [{ key: 'code', type: 'text', label: 'Code', pattern: '^(a+)+$' }] });
    expect(r.status).toBe(422);
    expect(r.body.error.details.problems[0].message).toContain('pattern');
  });

  it('colliding and reserved field keys are refused', async () => {
    const collide = await h.call('POST', `/api/apps/${appId}/forms`, { name: 'C', fields: [{ key: 'a', type: 'text', label: 'A' }, { key: 'a', type: 'number', label: 'A2' }] });
    expect(collide.status).toBe(422);
    const reserved = await h.call('POST', `/api/apps/${appId}/forms`, { name: 'R', fields: [{ key: 'createdAt', type: 'text', label: 'x' }] });
    expect(reserved.status).toBe(422);
    const proto = await h.call('POST', `/api/apps/${appId}/forms`, '{"name":"P","fields":[{"key":"x","type":"text","label":"x","__proto__":{"polluted":1}}]}');
    expect(proto.status).toBe(400);
  });

  it('publishing a form whose rule names a missing field is refused and publishes nothing', async () => {
    const form = await h.call('GET', `/api/forms/${formId}`);
    const draft = { ...form.body.draft, rules: [{ field: 'ghost', visible: true }] };
    const put = await h.call('PUT', `/api/forms/${formId}`, draft);
    expect(put.status).toBe(422);
    const after = await h.call('GET', `/api/forms/${formId}`);
    expect(after.body.publishedVersion).toBe(1);
    expect(after.body.draft.rules).toEqual(form.body.draft.rules);
  });

  it('a draft whose link points at no form cannot be published', async () => {
    const f = await h.call('POST', `/api/apps/${appId}/forms`, { name: 'Dangling', fields: [{ key: 's', type: 'link', label: 'S', form: 'no-such-form' }] });
    expect(f.status).toBe(201);
    const pub = await h.call('POST', `/api/forms/${f.body.id}/publish`);
    expect(pub.status).toBe(422);
    expect((await h.call('GET', `/api/forms/${f.body.id}`)).body.publishedVersion).toBe(0);
    expect((await h.call('POST', `/api/forms/${f.body.id}/records`, { data: {} })).status).toBe(409);
  });

  it('a link to a record that does not exist is a 422 on that field', async () => {
    const r = await h.call('POST', `/api/forms/${formId}/records`, { data: { title: 'x', supplier: 'does-not-exist' } });
    expect(r.status).toBe(422);
    expect(r.body.error.details.fields).toEqual([expect.objectContaining({ field: 'supplier' })]);
    expect(await count()).toBe(1);
  });

  it('unknown ids are 404s with the error shape', async () => {
    for (const url of ['/api/apps/nope', '/api/forms/nope', `/api/forms/${formId}/records/nope`, '/api/records/nope/timeline', '/api/nowhere']) {
      const r = await h.call('GET', url);
      expect(r.status, url).toBe(404);
      expect(r.body.error.code).toBe('NOT_FOUND');
    }
    const badId = await h.call('GET', '/api/apps/..%2F..%2Fetc');
    expect(badId.status).toBe(400);
  });
});
