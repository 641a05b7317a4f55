import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ID_PATTERN } from '@trellis/core';
import { startHarness, type Harness } from '../support/harness.js';

// An employee attaches a quote to an expense claim; a colleague without access
// tries to read it, an approver reads it through the claim; a stranger uploads
// a receipt through the public link of a form.

const claimForm = {
  name: 'Expense claim',
  titleField: 'title',
  fields: [
    { key: 'title', type: 'text', label: 'Title', required: true },
    { key: 'quote', type: 'attachment', label: 'Quote', multiple: true },
    { key: 'lines', type: 'subtable', label: 'Lines', fields: [{ key: 'item', type: 'text', label: 'Item' }, { key: 'receipt', type: 'image', label: 'Receipt' }] },
  ],
};
const noFilesForm = { name: 'Suggestion', fields: [{ key: 'title', type: 'text', label: 'Title', required: true }] };

interface Sent { status: number; body: any; headers: Record<string, unknown>; raw: Buffer }

function multipartBody(filename: string, type: string, content: Buffer, field = 'file') {
  const boundary = `----trellis${randomBytes(8).toString('hex')}`;
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`;
  return { boundary, payload: Buffer.concat([Buffer.from(head, 'utf8'), content, Buffer.from(`\r\n--${boundary}--\r\n`)]) };
}

describe('attachments: upload, and download by those who may see them', () => {
  let h: Harness;
  let formId: string;
  let noFilesFormId: string;
  let employee: { id: string; token: string };
  let approver: { id: string; token: string };
  let outsider: { id: string; token: string };

  async function send(method: 'GET' | 'POST', url: string, opts: { token?: string; file?: { name: string; type: string; content: Buffer; field?: string }; address?: string } = {}): Promise<Sent> {
    const headers: Record<string, string> = {};
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    let payload: Buffer | undefined;
    if (opts.file) {
      const m = multipartBody(opts.file.name, opts.file.type, opts.file.content, opts.file.field);
      headers['content-type'] = `multipart/form-data; boundary=${m.boundary}`;
      payload = m.payload;
    }
    const res = await h.app.inject({ method, url, headers, payload, remoteAddress: opts.address ?? '127.0.0.1' });
    const raw = res.rawPayload;
    let body: unknown = null;
    if (String(res.headers['content-type'] ?? '').includes('json') && raw.length) body = JSON.parse(raw.toString('utf8'));
    return { status: res.statusCode, body, headers: res.headers, raw };
  }
  const upload = (token: string, name: string, content: Buffer, type = 'application/pdf') => send('POST', '/api/files', { token, file: { name, type, content } });

  async function person(name: string, roles: string[]) {
    const email = `${name.toLowerCase()}@example.com`;
    const password = `${name}-password-123`;
    const u = await h.call('POST', '/api/users', { email, name, password, roles });
    expect(u.status, JSON.stringify(u.body)).toBe(201);
    return { id: u.body.id as string, token: await h.login(email, password) };
  }

  beforeAll(async () => {
    h = await startHarness({ TRELLIS_MAX_UPLOAD_BYTES: String(64 * 1024) });
    const appId = (await h.call('POST', '/api/apps', { name: 'Finance' })).body.id;
    formId = (await h.call('POST', `/api/apps/${appId}/forms`, claimForm)).body.id;
    noFilesFormId = (await h.call('POST', `/api/apps/${appId}/forms`, noFilesForm)).body.id;
    expect((await h.call('POST', `/api/forms/${formId}/publish`)).status).toBe(200);
    expect((await h.call('POST', `/api/forms/${noFilesFormId}/publish`)).status).toBe(200);
    const submitter = await h.call('POST', '/api/roles', { name: 'Claimant', forms: { [formId]: { actions: ['submit'], scope: 'own' } } });
    const reader = await h.call('POST', '/api/roles', { name: 'Approver', forms: { [formId]: { actions: ['view'] } } });
    expect([submitter.status, reader.status], JSON.stringify([submitter.body, reader.body])).toEqual([201, 201]);
    employee = await person('Erin', [submitter.body.id]);
    approver = await person('Abe', [reader.body.id]);
    outsider = await person('Olga', []);
  });
  afterAll(async () => h.close());

  it('an upload answers the file reference a file field stores', async () => {
    const content = Buffer.from('%PDF-1.4 quote for 12 chairs');
    const r = await upload(employee.token, 'quote 报价.pdf', content);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(Object.keys(r.body).sort()).toEqual(['id', 'name', 'size', 'type', 'url']);
    expect(r.body.id).toMatch(new RegExp(ID_PATTERN));
    expect(r.body).toMatchObject({ name: 'quote 报价.pdf', size: content.length, type: 'application/pdf', url: `/api/files/${r.body.id}` });
  });

  it('the uploader downloads it as an attachment that is never sniffed', async () => {
    const content = randomBytes(3000);
    const up = await upload(employee.token, 'scan (1) 扫描.pdf', content);
    const r = await send('GET', `/api/files/${up.body.id}`, { token: employee.token });
    expect(r.status).toBe(200);
    expect(r.raw.equals(content)).toBe(true);
    expect(r.headers['content-type']).toBe('application/pdf');
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['content-disposition']).toBe(`attachment; filename="scan (1) __.pdf"; filename*=UTF-8''scan%20%281%29%20%E6%89%AB%E6%8F%8F.pdf`);
    // administrators may read every file
    expect((await send('GET', `/api/files/${up.body.id}`, { token: h.adminToken })).status).toBe(200);
  });

  it('another user cannot read it, nor find out that it exists', async () => {
    const up = await upload(employee.token, 'private.pdf', Buffer.from('secret'));
    const r = await send('GET', `/api/files/${up.body.id}`, { token: outsider.token });
    expect(r.status).toBe(404);
    expect(r.raw.toString()).not.toContain('secret');
    expect((await send('GET', `/api/files/${up.body.id}`)).status).toBe(401);
    const unknown = await send('GET', '/api/files/nosuchfile123', { token: outsider.token });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe(r.body.error.code);
  });

  it('someone who may view a record reads the files it refers to, also inside sub-table rows, and only those', async () => {
    const quote = (await upload(employee.token, 'quote.pdf', Buffer.from('quote'))).body;
    const receipt = (await upload(employee.token, 'receipt.png', Buffer.from('png'), 'image/png')).body;
    const unrelated = (await upload(employee.token, 'unrelated.pdf', Buffer.from('other'))).body;
    const rec = await h.as(employee.token)('POST', `/api/forms/${formId}/records`, { data: { title: 'Chairs', quote: [quote], lines: [{ item: 'Chair', receipt: [receipt] }] } });
    expect(rec.status, JSON.stringify(rec.body)).toBe(201);
    const via = `record=${rec.body.id}&form=${formId}`;

    // without naming the record: the approver is neither uploader nor administrator
    expect((await send('GET', `/api/files/${quote.id}`, { token: approver.token })).status).toBe(404);
    const q = await send('GET', `/api/files/${quote.id}?${via}`, { token: approver.token });
    expect(q.status).toBe(200);
    expect(q.raw.toString()).toBe('quote');
    const p = await send('GET', `/api/files/${receipt.id}?${via}`, { token: approver.token });
    expect(p.status).toBe(200);
    expect(p.headers['content-type']).toBe('image/png');
    // a record you can see does not open files it does not refer to
    expect((await send('GET', `/api/files/${unrelated.id}?${via}`, { token: approver.token })).status).toBe(404);
    // nor does a record you cannot see
    expect((await send('GET', `/api/files/${quote.id}?${via}`, { token: outsider.token })).status).toBe(404);
    // both or neither
    expect((await send('GET', `/api/files/${quote.id}?record=${rec.body.id}`, { token: approver.token })).status).toBe(400);
  });

  it('names are stripped of paths and control characters; a name with nothing left is refused', async () => {
    const r = await upload(employee.token, '../../etc/pass\u0001wd.txt', Buffer.from('x'), 'text/plain');
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body.name).toBe('passwd.txt');
    const windows = await upload(employee.token, 'C:\\Users\\erin\\photo.jpg', Buffer.from('x'), 'image/jpeg');
    expect(windows.body.name).toBe('photo.jpg');
    const none = await upload(employee.token, '..', Buffer.from('x'));
    expect(none.status).toBe(400);
    expect(none.body.error.code).toBe('BAD_REQUEST');
    // a declared type that is not a MIME type is not echoed back
    const odd = await upload(employee.token, 'page.html', Buffer.from('<script>alert(1)</script>'), 'text/html; charset=utf-8');
    expect(odd.body.type).toBe('text/html');
    const served = await send('GET', `/api/files/${odd.body.id}`, { token: employee.token });
    expect(served.headers['content-disposition']).toMatch(/^attachment;/);
    expect(served.headers['content-security-policy']).toMatch(/sandbox/);
  });

  it('a file over TRELLIS_MAX_UPLOAD_BYTES gets 413 and is not kept', async () => {
    const r = await upload(employee.token, 'huge.bin', Buffer.alloc(64 * 1024 + 1), 'application/octet-stream');
    expect(r.status).toBe(413);
    expect(r.body.error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(r.body.error.message).toMatch(/64 KB/);
    const exact = await upload(employee.token, 'exact.bin', Buffer.alloc(64 * 1024), 'application/octet-stream');
    expect(exact.status).toBe(201);
    // far over the limit: refused from its length before it is read
    const giant = await upload(employee.token, 'giant.bin', Buffer.alloc(512 * 1024), 'application/octet-stream');
    expect(giant.status).toBe(413);
  });

  it('a request without a file in the "file" field is refused', async () => {
    const wrongField = await send('POST', '/api/files', { token: employee.token, file: { name: 'a.pdf', type: 'application/pdf', content: Buffer.from('x'), field: 'document' } });
    expect(wrongField.status).toBe(400);
    const json = await h.as(employee.token)('POST', '/api/files', { name: 'a.pdf' });
    expect(json.status).toBe(400);
    expect((await send('POST', '/api/files', { file: { name: 'a.pdf', type: 'application/pdf', content: Buffer.from('x') } })).status).toBe(401);
  });

  it('a stranger uploads through a live submit link and submits the record with it', async () => {
    const link = await h.call('POST', `/api/forms/${formId}/share-links`, {});
    expect(link.status).toBe(201);
    const address = '10.9.9.1';
    const up = await send('POST', `/api/share/${link.body.token}/files`, { file: { name: 'receipt.pdf', type: 'application/pdf', content: Buffer.from('receipt') }, address });
    expect(up.status, JSON.stringify(up.body)).toBe(201);
    const sent = await h.app.inject({ method: 'POST', url: `/api/share/${link.body.token}/records`, remoteAddress: address, payload: { data: { title: 'Taxi', quote: [up.body] } } });
    expect(sent.statusCode, sent.body).toBe(201);
    // the stranger has no way to read files back; the form's readers do, through the record
    const [rec] = (await h.call('GET', `/api/forms/${formId}/records?filter=${encodeURIComponent(JSON.stringify({ field: 'title', op: 'eq', value: 'Taxi' }))}`)).body.items;
    const read = await send('GET', `/api/files/${up.body.id}?record=${rec.id}&form=${formId}`, { token: approver.token });
    expect(read.status).toBe(200);
    expect(read.raw.toString()).toBe('receipt');

    // a revoked link, a wrong token and a form without file fields take nothing
    const bad = await send('POST', '/api/share/notARealTokenAtAll_123456/files', { file: { name: 'a.pdf', type: 'application/pdf', content: Buffer.from('x') }, address });
    expect(bad.status).toBe(404);
    const other = await h.call('POST', `/api/forms/${noFilesFormId}/share-links`, {});
    const refused = await send('POST', `/api/share/${other.body.token}/files`, { file: { name: 'a.pdf', type: 'application/pdf', content: Buffer.from('x') }, address });
    expect(refused.status).toBe(400);
    expect((await h.call('DELETE', `/api/share-links/${link.body.id}`)).status).toBe(204);
    const afterRevoke = await send('POST', `/api/share/${link.body.token}/files`, { file: { name: 'a.pdf', type: 'application/pdf', content: Buffer.from('x') }, address });
    expect(afterRevoke.status).toBe(404);
  });

  it('share-link uploads count against the link\'s rate limit', async () => {
    const link = await h.call('POST', `/api/forms/${formId}/share-links`, {});
    const address = '10.9.9.2';
    const statuses: number[] = [];
    for (let i = 0; i < 62; i++) {
      const r = await send('POST', `/api/share/${link.body.token}/files`, { file: { name: `r${i}.pdf`, type: 'application/pdf', content: Buffer.from('x') }, address });
      statuses.push(r.status);
    }
    expect(statuses.slice(0, 60).every((s) => s === 201)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
  });

  it('a record cannot take someone else\'s file: knowing its id is not enough', async () => {
    const theirs = await upload(outsider.token, 'secret-plan.png', Buffer.from('not for Erin'), 'image/png');
    const mine = await upload(employee.token, 'mine.pdf', Buffer.from('mine'));
    const before = (await h.call('GET', `/api/forms/${formId}/records?count=true&limit=1`)).body.total;
    const r = await h.as(employee.token)('POST', `/api/forms/${formId}/records`, {
      data: { title: 'Borrowed', quote: [mine.body], lines: [{ item: 'Plan', receipt: [theirs.body] }] },
    });
    expect(r.status).toBe(422);
    expect(r.body.error.details.fields).toEqual([expect.objectContaining({ field: 'lines[0].receipt', code: 'fileUnknown' })]);
    expect((await h.call('GET', `/api/forms/${formId}/records?count=true&limit=1`)).body.total).toBe(before);
    // an id that names no stored file at all is refused the same way
    const ghost = await h.as(employee.token)('POST', `/api/forms/${formId}/records`, {
      data: { title: 'Ghost', quote: [{ ...mine.body, id: 'NoSuchFile123' }] },
    });
    expect(ghost.status).toBe(422);
    expect(ghost.body.error.details.fields[0].field).toBe('quote');
  });

  it('an approver without a role on the form reads the files of the record through their task', async () => {
    const appId = (await h.call('POST', '/api/apps', { name: 'Travel' })).body.id;
    const travel = (await h.call('POST', `/api/apps/${appId}/forms`, { name: 'Trip', fields: [{ key: 'title', type: 'text', label: 'Title' }, { key: 'ticket', type: 'attachment', label: 'Ticket' }] })).body.id;
    expect((await h.call('POST', `/api/forms/${travel}/publish`)).status).toBe(200);
    const flow = {
      nodes: [{ id: 'start', type: 'start' }, { id: 'ok', type: 'approval', assignees: [{ type: 'users', users: [outsider.id] }], mode: 'any' }, { id: 'end', type: 'end' }],
      edges: [{ from: 'start', to: 'ok' }, { from: 'ok', to: 'end' }],
    };
    expect((await h.call('PUT', `/api/forms/${travel}/workflow`, flow)).status).toBe(200);
    expect((await h.call('POST', `/api/forms/${travel}/workflow/publish`)).status).toBe(200);
    const ticket = await upload(h.adminToken, 'ticket.pdf', Buffer.from('BOARDING PASS'));
    const other = await upload(h.adminToken, 'other.pdf', Buffer.from('unrelated'));
    const rec = await h.call('POST', `/api/forms/${travel}/records`, { data: { title: 'Berlin', ticket: [ticket.body] } });
    expect(rec.status).toBe(201);
    const task = ((await h.as(outsider.token)('GET', '/api/tasks')).body.items as { id: string; recordId: string }[]).find((t) => t.recordId === rec.body.id)!;
    expect(task).toBeDefined();
    expect((await send('GET', `/api/files/${ticket.body.id}`, { token: outsider.token })).status).toBe(404);
    const read = await send('GET', `/api/files/${ticket.body.id}?task=${task.id}`, { token: outsider.token });
    expect(read.status).toBe(200);
    expect(read.raw.toString()).toBe('BOARDING PASS');
    // the task opens only the files its record refers to, and only for its assignee
    expect((await send('GET', `/api/files/${other.body.id}?task=${task.id}`, { token: outsider.token })).status).toBe(404);
    expect((await send('GET', `/api/files/${ticket.body.id}?task=${task.id}`, { token: employee.token })).status).toBe(404);
  });
});
