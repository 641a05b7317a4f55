import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { startHarness, type Call, type Harness } from '../support/harness.js';

// exceljs is the server's dependency: the test writes its XLSX files with it
const ExcelJS = createRequire(new URL('../../server/package.json', import.meta.url))('exceljs') as {
  Workbook: new () => { addWorksheet(name: string): { addRow(values: unknown[]): unknown }; xlsx: { writeBuffer(): Promise<ArrayBuffer> } };
};

// CSV export and import (preview, dry run): only what the caller may export, formula-like
// cells neutralised, an exact per-row report of what a submit would refuse, nothing stored by a dry run.

const PASSWORD = 'import-export-password';
const form = {
  name: { en: 'Order', zh: '订单' },
  titleField: 'title',
  fields: [
    { key: 'title', type: 'text', label: { en: 'Title', zh: '标题' }, required: true },
    { key: 'qty', type: 'number', label: { en: 'Quantity', zh: '数量' }, min: 0, max: 100 },
    { key: 'kind', type: 'select', label: { en: 'Kind', zh: '类型' }, options: ['a', 'b'] },
    { key: 'due', type: 'date', label: { en: 'Due date', zh: '到期日' } },
    { key: 'cost', type: 'number', label: { en: 'Cost', zh: '成本' } },
  ],
};

type Part = { name: string; value: string | Buffer; filename?: string };
function multipart(parts: Part[]): { payload: Buffer; headers: Record<string, string> } {
  const boundary = '----trellis-test-boundary';
  const chunks: Buffer[] = [];
  for (const p of parts) {
    const disposition = `form-data; name="${p.name}"${p.filename ? `; filename="${p.filename}"` : ''}`;
    const type = p.filename ? `Content-Type: ${p.filename.endsWith('.xlsx') ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'text/csv'}\r\n` : '';
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}\r\n${type}\r\n`), typeof p.value === 'string' ? Buffer.from(p.value, 'utf8') : p.value, Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

describe('data export and import (CSV)', () => {
  let h: Harness;
  let formId = '';
  let ann: { call: Call; token: string };
  let olga: { call: Call; token: string };
  let viewer: { call: Call; token: string };
  const url = (p = '') => `/api/forms/${formId}${p}`;

  const raw = async (token: string, method: 'GET' | 'POST', path: string, body?: { payload: Buffer; headers: Record<string, string> }) => {
    const res = await h.app.inject({ method, url: path, headers: { authorization: `Bearer ${token}`, ...(body?.headers ?? {}) }, ...(body ? { payload: body.payload } : {}) });
    return { status: res.statusCode, text: res.body, headers: res.headers, json: () => JSON.parse(res.body) };
  };
  const upload = (token: string, path: string, csv: string, options?: unknown) =>
    raw(token, 'POST', path, multipart([...(options ? [{ name: 'options', value: JSON.stringify(options) }] : []), { name: 'file', value: csv, filename: 'data.csv' }]));
  const count = async () => (await h.call('GET', `${url('/records')}?count=true&limit=1`)).body.total as number;

  beforeAll(async () => {
    h = await startHarness();
    const ok = async (p: Promise<{ status: number; body: any }>, status = 201) => {
      const r = await p;
      expect(r.status, JSON.stringify(r.body)).toBe(status);
      return r.body;
    };
    const app = await ok(h.call('POST', '/api/apps', { name: { en: 'Sales', zh: '销售' } }));
    formId = (await ok(h.call('POST', `/api/apps/${app.id}/forms`, form))).id;
    await ok(h.call('POST', `/api/forms/${formId}/publish`), 200);
    const clerk = await ok(h.call('POST', '/api/roles', { name: 'Clerk', forms: { [formId]: { actions: ['submit', 'view', 'export'], scope: 'department', fields: { cost: 'hidden' } } } }));
    const reader = await ok(h.call('POST', '/api/roles', { name: 'Reader', forms: { [formId]: { actions: ['view'], scope: 'all' } } }));
    const people: Record<string, { call: Call; token: string }> = {};
    for (const [name, dept, role] of [['ann', 'Sales', clerk], ['olga', 'Ops', clerk], ['viewer', 'Ops', reader]] as const) {
      let d = (await h.call('GET', '/api/departments')).body.items?.find((x: any) => x.name === dept);
      d ??= await ok(h.call('POST', '/api/departments', { name: dept }));
      await ok(h.call('POST', '/api/users', { email: `${name}@example.com`, name, password: PASSWORD, departments: [d.id], roles: [role.id] }));
      const token = await h.login(`${name}@example.com`, PASSWORD);
      people[name] = { call: h.as(token), token };
    }
    ({ ann, olga, viewer } = people as Record<'ann' | 'olga' | 'viewer', { call: Call; token: string }>);
    await ok(ann.call('POST', url('/records'), { data: { title: '=1+1', qty: 3, kind: 'a', due: '2026-01-05' } }));
    await ok(ann.call('POST', url('/records'), { data: { title: 'Plain, "quoted"\nline', qty: -0, kind: 'b' } }));
    await ok(olga.call('POST', url('/records'), { data: { title: 'Ops 订单', qty: 7 } }));
    await ok(h.call('PATCH', url(`/records/${(await h.call('GET', url('/records?filter=' + encodeURIComponent(JSON.stringify({ field: 'title', op: 'eq', value: 'Ops 订单' }))))).body.items[0].id}`), { data: { cost: 12.5 }, version: 1 }), 200);
  });
  afterAll(async () => h?.close());

  it('an administrator exports every record as CSV with a BOM, an attachment name and neutralised formula cells', async () => {
    const r = await raw(h.adminToken, 'GET', `${url('/export')}?format=csv&sort=title`);
    expect(r.status, r.text).toBe(200);
    expect(r.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(String(r.headers['content-disposition'])).toBe(`attachment; filename="Order.csv"; filename*=UTF-8''Order.csv`);
    expect(r.text.charCodeAt(0)).toBe(0xfeff);
    const lines = r.text.slice(1).split('\r\n');
    expect(lines[0]).toBe('title,qty,kind,due,cost');
    // sorted by title: "=1+1" < "Ops 订单" < "Plain…"; the formula cell carries the leading quote
    expect(lines[1]).toBe("'=1+1,3,a,2026-01-05,");
    expect(lines[2]).toBe('Ops 订单,7,,,12.5');
    expect(lines.slice(3).join('\r\n')).toBe('"Plain, ""quoted""\nline",0,b,,\r\n');
  });

  it('headers may be labels in Chinese, and a filter narrows the export', async () => {
    const filter = encodeURIComponent(JSON.stringify({ field: 'qty', op: 'gt', value: 5 }));
    const r = await raw(h.adminToken, 'GET', `${url('/export')}?header=zh&filter=${filter}`);
    expect(r.status, r.text).toBe(200);
    expect(r.text.slice(1)).toBe('标题,数量,类型,到期日,成本\r\nOps 订单,7,,,12.5\r\n');
  });

  it('a department clerk exports only the records of her department and never the hidden field', async () => {
    const r = await raw(ann.token, 'GET', `${url('/export')}?sort=title`);
    expect(r.status, r.text).toBe(200);
    const lines = r.text.slice(1).trimEnd().split('\r\n');
    expect(lines[0]).toBe('title,qty,kind,due');
    expect(r.text).not.toContain('Ops 订单');
    expect(r.text).not.toContain('12.5');
    expect(lines[1]).toBe("'=1+1,3,a,2026-01-05");
    const o = await raw(olga.token, 'GET', url('/export'));
    expect(o.text.slice(1)).toBe('title,qty,kind,due\r\nOps 订单,7,,\r\n');
  });

  it('without the export grant the export is refused (403), and a filter on a hidden field is an unknown field', async () => {
    expect((await raw(viewer.token, 'GET', url('/export'))).status).toBe(403);
    const hidden = await raw(ann.token, 'GET', `${url('/export')}?filter=${encodeURIComponent(JSON.stringify({ field: 'cost', op: 'gt', value: 1 }))}`);
    expect(hidden.status).toBe(400);
  });

  it('the preview lists the columns, the row count, a sample and the columns matched by key or label', async () => {
    const csv = '\uFEFFTITLE, Quantity ,类型,Unknown column\r\nA,1,a,x\r\nB,2,b,y\r\n';
    const r = await upload(h.adminToken, url('/import/preview'), csv);
    expect(r.status, r.text).toBe(200);
    expect(r.json()).toEqual({
      columns: ['TITLE', ' Quantity ', '类型', 'Unknown column'],
      rows: 2,
      sample: [['A', '1', 'a', 'x'], ['B', '2', 'b', 'y']],
      mapping: { TITLE: 'title', ' Quantity ': 'qty', 类型: 'kind' },
    });
  });

  it('a dry run reports every bad row and cell exactly and stores nothing', async () => {
    const before = await count();
    const csv = [
      'Title,Amount,Kind,Due date',
      'Good one,5,a,2026-02-01', // 1: valid
      ',5,a,', // 2: title required
      'Too many,500,b,', // 3: qty above max
      'Not a number,abc,a,', // 4: qty does not parse
      'Bad option,1,z,', // 5: option not allowed
      'Bad date,1,a,31/31/2026', // 6: date does not parse
      "'=SUM(A1),2,b,", // 7: valid (a neutralised cell imports as its text)
    ].join('\r\n');
    const r = await upload(h.adminToken, url('/import'), csv, { dryRun: true, mapping: { Amount: 'qty' } });
    expect(r.status, r.text).toBe(200);
    const report = r.json();
    expect(report.rows).toBe(7);
    expect(report.valid).toBe(2);
    expect(report.errors.map((e: any) => [e.row, e.column, e.field, e.code])).toEqual([
      [2, 'Title', 'title', 'required'],
      [3, 'Amount', 'qty', 'maximum'],
      [4, 'Amount', 'qty', 'invalid'],
      [5, 'Kind', 'kind', 'invalid'],
      [6, 'Due date', 'due', 'invalid'],
    ]);
    for (const e of report.errors) expect(e.message.en && e.message.zh).toBeTruthy();
    expect(await count()).toBe(before);
  });

  it('a dry run of an XLSX file (typed cells: numbers, dates) reports the same way', async () => {
    const before = await count();
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Orders');
    ws.addRow(['标题', '数量', '类型', '到期日']);
    ws.addRow(['Good', 5, 'a', new Date(Date.UTC(2026, 1, 1))]); // 1: valid (a real date cell)
    ws.addRow([null, 5, 'a', null]); // 2: title required
    ws.addRow(['Too many', 500, 'b', null]); // 3: qty above max
    ws.addRow(['Bad kind', 1, 'z', null]); // 4: option not allowed
    ws.addRow(['=1+1 text', 1.5, 'b', '2026-02-30']); // 5: no such date
    const file = Buffer.from(await wb.xlsx.writeBuffer());
    const r = await raw(h.adminToken, 'POST', url('/import'), multipart([{ name: 'options', value: '{"dryRun":true}' }, { name: 'file', value: file, filename: 'orders.xlsx' }]));
    expect(r.status, r.text).toBe(200);
    expect(r.json().rows).toBe(5);
    expect(r.json().valid).toBe(1);
    expect(r.json().errors.map((e: any) => [e.row, e.column, e.field, e.code])).toEqual([
      [2, '标题', 'title', 'required'],
      [3, '数量', 'qty', 'maximum'],
      [4, '类型', 'kind', 'invalid'],
      [5, '到期日', 'due', 'invalid'],
    ]);
    expect(await count()).toBe(before);
  });

  it('import needs the submit permission (403), a file and a known mapping', async () => {
    expect((await upload(viewer.token, url('/import/preview'), 'Title\r\nx\r\n')).status).toBe(403);
    expect((await upload(viewer.token, url('/import'), 'Title\r\nx\r\n', { dryRun: true })).status).toBe(403);
    const badMap = await upload(h.adminToken, url('/import'), 'Title\r\nx\r\n', { dryRun: true, mapping: { Title: 'nope' } });
    expect(badMap.status).toBe(400);
    expect(badMap.json().error.message).toContain('nope');
    // a clerk may not import into the hidden field
    expect((await upload(ann.token, url('/import'), 'Title,Cost\r\nx,1\r\n', { dryRun: true, mapping: { Cost: 'cost' } })).status).toBe(400);
    expect((await upload(viewer.token, url('/import'), 'Title\r\nx\r\n', { dryRun: false })).status).toBe(403);
    expect((await upload(h.adminToken, url('/import'), 'Title\r\nx\r\n', { dryRun: true, extra: 1 })).status).toBe(400);
    const before = await count();
    expect(before).toBe(3);
  });
});

describe('stored CSV import (background job, all or nothing)', () => {
  let h: Harness;
  let formId = '';
  const stock = {
    name: { en: 'Stock', zh: '库存' },
    titleField: 'code',
    fields: [
      { key: 'no', type: 'serial', label: { en: 'No.', zh: '编号' }, pattern: 'ST-{0000}' },
      { key: 'code', type: 'text', label: { en: 'Code', zh: '代码' }, required: true, unique: true },
      { key: 'qty', type: 'number', label: { en: 'Quantity', zh: '数量' } },
      { key: 'price', type: 'number', label: { en: 'Price', zh: '单价' } },
      { key: 'total', type: 'formula', label: { en: 'Total', zh: '合计' }, formula: { '*': [{ var: 'qty' }, { var: 'price' }] } },
      { key: 'kind', type: 'select', label: { en: 'Kind', zh: '类型' }, options: ['a', 'b'] },
      { key: 'tags', type: 'multiselect', label: { en: 'Tags', zh: '标签' }, options: ['x', 'y', 'z'] },
      { key: 'ok', type: 'checkbox', label: { en: 'OK', zh: '合格' } },
      { key: 'due', type: 'date', label: { en: 'Due', zh: '到期' } },
      { key: 'at', type: 'datetime', label: { en: 'At', zh: '时间' } },
      { key: 'mail', type: 'email', label: { en: 'Mail', zh: '邮箱' } },
    ],
  };
  const url = (p = '') => `/api/forms/${formId}${p}`;
  const raw = async (method: 'GET' | 'POST', path: string, body?: { payload: Buffer; headers: Record<string, string> }) => {
    const res = await h.app.inject({ method, url: path, headers: { authorization: `Bearer ${h.adminToken}`, ...(body?.headers ?? {}) }, ...(body ? { payload: body.payload } : {}) });
    return { status: res.statusCode, text: res.body, bytes: res.rawPayload, headers: res.headers, json: () => JSON.parse(res.body) };
  };
  const count = async () => (await h.call('GET', `${url('/records')}?count=true&limit=1`)).body.total as number;
  const start = async (csv: string) => {
    const r = await raw('POST', url('/import'), multipart([{ name: 'options', value: '{}' }, { name: 'file', value: csv, filename: 'stock.csv' }]));
    expect(r.status, r.text).toBe(202);
    return r.json().jobId as string;
  };

  beforeAll(async () => {
    h = await startHarness();
    const app = (await h.call('POST', '/api/apps', { name: { en: 'Stock', zh: '库存' } })).body;
    const created = await h.call('POST', `/api/apps/${app.id}/forms`, stock);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    formId = created.body.id;
    expect((await h.call('POST', `/api/forms/${formId}/publish`)).status).toBe(200);
  });
  afterAll(async () => h?.close());

  it('imports rows as a job that reaches its total, computes serials and formulas, and exports back unchanged', async () => {
    const columns = ['code', 'qty', 'price', 'kind', 'tags', 'ok', 'due', 'at', 'mail'];
    const rows = [
      ["'=cmd", '2', '3.5', 'a', 'x;z', 'true', '2026-03-01', '2026-03-01T08:30:00.000Z', 'a@example.com'],
      ['B 订单, "two"', '-4', '10', 'b', 'y', 'false', '', '', ''],
      ['C', '', '', '', '', '', '', '', ''],
    ];
    const csv = [columns, ...rows].map((r) => r.map((c) => (/[",\r\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',')).join('\r\n');
    const jobId = await start(csv);
    await h.jobs.drain('import');
    const job = await h.call('GET', `/api/jobs/${jobId}`);
    expect(job.status, JSON.stringify(job.body)).toBe(200);
    expect(job.body).toMatchObject({ state: 'completed', done: 3, total: 3, failed: 0, errors: [] });
    const exported = await raw('GET', `${url('/export')}?sort=no`);
    const lines = exported.text.slice(1).trimEnd().split('\r\n');
    expect(lines[0]).toBe('no,code,qty,price,total,kind,tags,ok,due,at,mail');
    const back = lines.slice(1).map((l) => parseCsvLine(l));
    expect(back.map((r) => r[0])).toEqual(['ST-0001', 'ST-0002', 'ST-0003']);
    expect(back.map((r) => r[4])).toEqual(['7', '-40', '']);
    // every imported column comes back as it went in
    for (let i = 0; i < rows.length; i++) {
      const got = Object.fromEntries(['no', 'code', 'qty', 'price', 'total', 'kind', 'tags', 'ok', 'due', 'at', 'mail'].map((k, j) => [k, back[i]![j]]));
      expect(columns.map((c) => got[c])).toEqual(rows[i]!.map((c, j) => (columns[j] === 'ok' && c === '' ? got.ok : c)));
    }
  });

  it('an XLSX export reads back as the same rows, and imports into another form losslessly', async () => {
    const csvText = (await raw('GET', `${url('/export')}?sort=no`)).text.slice(1).trimEnd().split('\r\n').map(parseCsvLine);
    const x = await raw('GET', `${url('/export')}?format=xlsx&sort=no`);
    expect(x.status, x.text).toBe(200);
    expect(x.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(String(x.headers['content-disposition'])).toContain("filename*=UTF-8''Stock.xlsx");
    expect(x.bytes.subarray(0, 2).toString()).toBe('PK');
    const file = (name: string) => multipart([{ name: 'options', value: '{}' }, { name: 'file', value: x.bytes, filename: name }]);
    const preview = await raw('POST', url('/import/preview'), file('stock.xlsx'));
    expect(preview.status, preview.text).toBe(200);
    // the header, and every cell as the CSV export has it (the formula-like cell stays neutralised)
    expect(preview.json().columns).toEqual(csvText[0]);
    expect(preview.json().sample).toEqual(csvText.slice(1));
    expect(preview.json().mapping).toEqual({ code: 'code', qty: 'qty', price: 'price', kind: 'kind', tags: 'tags', ok: 'ok', due: 'due', at: 'at', mail: 'mail' });
    // into a copy of the form: the copy exports the same CSV (serials and formulas computed again)
    const app = (await h.call('POST', '/api/apps', { name: { en: 'Copy', zh: '副本' } })).body;
    const copy = (await h.call('POST', `/api/apps/${app.id}/forms`, stock)).body.id as string;
    expect((await h.call('POST', `/api/forms/${copy}/publish`)).status).toBe(200);
    const started = await raw('POST', `/api/forms/${copy}/import`, file('stock.xlsx'));
    expect(started.status, started.text).toBe(202);
    await h.jobs.drain('import');
    expect((await h.call('GET', `/api/jobs/${started.json().jobId}`)).body).toMatchObject({ state: 'completed', done: 3, total: 3 });
    const again = (await raw('GET', `/api/forms/${copy}/export?sort=no`)).text.slice(1).trimEnd().split('\r\n').map(parseCsvLine);
    expect(again).toEqual(csvText);
  });

  it('a row that fails while storing (a duplicate code in the second batch) undoes the whole import', async () => {
    const before = await count();
    const lines = ['code,qty'];
    for (let i = 1; i < 1500; i++) lines.push(`D${i},${i}`);
    lines.push('D1,0');
    const jobId = await start(lines.join('\n'));
    await h.jobs.drain('import');
    const job = (await h.call('GET', `/api/jobs/${jobId}`)).body;
    expect(job).toMatchObject({ state: 'failed', total: 1500, done: 0, failed: 1 });
    expect(job.errors[0]).toMatchObject({ code: 'unique', field: 'code', column: 'code' });
    expect(await count()).toBe(before);
  });

  it('rows that would be refused fail the job before anything is stored', async () => {
    const before = await count();
    const jobId = await start('code,qty\nE1,1\n,2\nE3,abc\n');
    await h.jobs.drain('import');
    const job = (await h.call('GET', `/api/jobs/${jobId}`)).body;
    expect(job).toMatchObject({ state: 'failed', total: 3, failed: 2, done: 0 });
    expect(job.errors.map((e: any) => [e.row, e.field, e.code])).toEqual([[2, 'code', 'required'], [3, 'qty', 'invalid']]);
    expect(await count()).toBe(before);
  });

  it('a job run again after a crash does not store rows twice, and only its starter and administrators read it', async () => {
    const before = await count();
    const lines = ['code,qty'];
    for (let i = 1; i <= 1200; i++) lines.push(`F${i},${i}`);
    const jobId = await start(lines.join('\n'));
    await h.jobs.drain('import');
    expect(await count()).toBe(before + 1200);
    // a crash after storing: the state still says importing and the file is still there
    const dir = path.join(h.dataDir, 'imports');
    const state = JSON.parse(readFileSync(path.join(dir, `${jobId}.json`), 'utf8'));
    writeFileSync(path.join(dir, `${jobId}.json`), JSON.stringify({ ...state, state: 'importing', done: 1000 }));
    writeFileSync(path.join(dir, `${jobId}.csv`), lines.join('\n'));
    writeFileSync(path.join(dir, `${jobId}.options.json`), '{}');
    await (h.app as any).importJobs.run(jobId);
    expect(await count()).toBe(before + 1200);
    expect((await h.call('GET', `/api/jobs/${jobId}`)).body).toMatchObject({ state: 'completed', done: 1200, total: 1200 });
    // someone else gets 404
    const role = (await h.call('POST', '/api/roles', { name: 'Stocker', forms: { [formId]: { actions: ['submit', 'view'], scope: 'all' } } })).body;
    await h.call('POST', '/api/users', { email: 'sam@example.com', name: 'Sam', password: 'stock-password-1', roles: [role.id] });
    const sam = h.as(await h.login('sam@example.com', 'stock-password-1'));
    expect((await sam('GET', `/api/jobs/${jobId}`)).status).toBe(404);
  });

  it('links are resolved by a chosen key field of the linked form: no match or several matches are row errors', async () => {
    const app = (await h.call('POST', '/api/apps', { name: { en: 'Parts', zh: '零件' } })).body;
    const part = {
      name: { en: 'Part', zh: '零件' },
      titleField: 'name',
      fields: [
        { key: 'name', type: 'text', label: { en: 'Name', zh: '名称' }, required: true },
        { key: 'stock', type: 'link', label: { en: 'Stock', zh: '库存' }, form: formId, multiple: true },
        { key: 'byQty', type: 'link', label: { en: 'By quantity', zh: '按数量' }, form: formId },
      ],
    };
    const created = await h.call('POST', `/api/apps/${app.id}/forms`, part);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const partId = created.body.id as string;
    expect((await h.call('POST', `/api/forms/${partId}/publish`)).status).toBe(200);
    const csv = 'Name,Stock,By quantity\nP1,C,\nP2,F5;F6,7\nP3,nope,\nP4,,2\n';
    const options = { linkKeys: { stock: 'code', byQty: 'qty' } };
    const send = (o: unknown) => raw('POST', `/api/forms/${partId}/import`, multipart([{ name: 'options', value: JSON.stringify(o) }, { name: 'file', value: csv, filename: 'parts.csv' }]));
    const dry = await send({ ...options, dryRun: true });
    expect(dry.status, dry.text).toBe(200);
    // qty 2: the first stock row and F2
    expect(dry.json().errors.map((e: any) => [e.row, e.column, e.field, e.code])).toEqual([[3, 'Stock', 'stock', 'linkNotFound'], [4, 'By quantity', 'byQty', 'linkAmbiguous']]);
    expect(dry.json()).toMatchObject({ rows: 4, valid: 2 });
    const ok = await raw('POST', `/api/forms/${partId}/import`, multipart([{ name: 'options', value: JSON.stringify(options) }, { name: 'file', value: 'Name,Stock,By quantity\nP1,C,\nP2,F5;F6,7\n', filename: 'parts.csv' }]));
    expect(ok.status, ok.text).toBe(202);
    await h.jobs.drain('import');
    expect((await h.call('GET', `/api/jobs/${ok.json().jobId}`)).body).toMatchObject({ state: 'completed', done: 2 });
    const idOf = async (code: string) => (await h.call('GET', `${url('/records')}?filter=${encodeURIComponent(JSON.stringify({ field: 'code', op: 'eq', value: code }))}`)).body.items[0].id as string;
    const items = (await h.call('GET', `/api/forms/${partId}/records?sort=name`)).body.items;
    expect(items.map((r: any) => r.data)).toEqual([
      { name: 'P1', stock: [await idOf('C')] },
      { name: 'P2', stock: [await idOf('F5'), await idOf('F6')], byQty: await idOf('F7') },
    ]);
    expect((await send({ linkKeys: { name: 'code' }, dryRun: true })).status).toBe(400);
  });

  it('with startWorkflows, each imported record starts the form\'s workflow as a submit would; without, none does', async () => {
    const me = (await h.call('GET', '/api/auth/me')).body;
    const app = (await h.call('POST', '/api/apps', { name: 'Claims' })).body;
    const claims = (await h.call('POST', `/api/apps/${app.id}/forms`, { name: 'Claim', fields: [{ key: 'code', type: 'text', label: 'Code', required: true }] })).body.id as string;
    expect((await h.call('POST', `/api/forms/${claims}/publish`)).status).toBe(200);
    const flow = {
      nodes: [{ id: 'start', type: 'start' }, { id: 'ok', type: 'approval', assignees: [{ type: 'users', users: [me.id ?? me.user?.id] }], mode: 'any' }, { id: 'end', type: 'end' }],
      edges: [{ from: 'start', to: 'ok' }, { from: 'ok', to: 'end' }],
    };
    expect((await h.call('PUT', `/api/forms/${claims}/workflow`, flow)).status).toBe(200);
    expect((await h.call('POST', `/api/forms/${claims}/workflow/publish`)).status).toBe(200);
    const importInto = async (csv: string, options: object) => {
      const r = await raw('POST', `/api/forms/${claims}/import`, multipart([{ name: 'options', value: JSON.stringify(options) }, { name: 'file', value: csv, filename: 'claims.csv' }]));
      expect(r.status, r.text).toBe(202);
      await h.jobs.drain('import');
      expect((await h.call('GET', `/api/jobs/${r.json().jobId}`)).body.state).toBe('completed');
      await h.jobs.drain('workflow', 2000);
    };
    const tasksFor = async () => {
      const tasks = (await h.call('GET', '/api/tasks?status=open')).body.items as { recordId: string; formId: string }[];
      const records = (await h.call('GET', `/api/forms/${claims}/records?limit=50`)).body.items as { id: string; data: { code: string } }[];
      const code = new Map(records.map((r) => [r.id, r.data.code]));
      return tasks.filter((t) => t.formId === claims).map((t) => code.get(t.recordId)).sort();
    };
    await importInto('code\nOLD-1\nOLD-2\n', {});
    expect(await tasksFor()).toEqual([]);
    await importInto('code\nNEW-1\nNEW-2\nNEW-3\n', { startWorkflows: true });
    expect(await tasksFor()).toEqual(['NEW-1', 'NEW-2', 'NEW-3']);
    const bad = await raw('POST', `/api/forms/${claims}/import`, multipart([{ name: 'options', value: '{"startWorkflows": "yes"}' }, { name: 'file', value: 'code\nX\n', filename: 'claims.csv' }]));
    expect(bad.status).toBe(400);
    expect(bad.json().error.message).toBe('"startWorkflows" is true or false');
  });
});

/** One CSV line to cells (the export writes RFC 4180). */
function parseCsvLine(line: string): string[] {
  const out: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      out.push(cell);
      cell = '';
    }
    else cell += ch;
  }
  out.push(cell);
  return out;
}
