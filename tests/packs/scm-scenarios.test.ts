import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Call, type Harness } from '../support/harness.js';

// The bundled SCM pack, installed with its sample data on a fresh server and walked through every
// process of the article over the HTTP API, as the people involved — purchasing, the warehouse,
// quality, finance, requesters of two departments and two external supplier accounts: supplier
// registration with business-registry facts and risk flags (a local HTTP server plays the
// provider), certificates uploaded by a supplier, on-site review → capability profile, scoring
// from receipts, requisitions rolled up by material and department, shipping notices from
// unshipped order lines with reminders and receiving by scanning the notice's code, stock counts
// and transfers per warehouse, and the reconciliation round trip with the printed statement.

const PASSWORD = 'scm-pack-password-1';
type Json = any;
interface Person { id: string; token: string; call: Call }

/** What the local registry provider knows (the interface of README "Connectors"). */
const COMPANIES = [
  {
    creditCode: '91320500MA1Q2W3E4R', name: '苏州恒通精密模具有限公司', legalRepresentative: '周恒', registeredCapital: 8_000_000,
    foundedOn: '2010-04-12', status: '存续', address: '江苏省苏州市吴中区木渎镇金枫路 18 号', businessScope: '精密模具设计制造',
    risks: [{ type: 'lawsuit', level: 'high', text: '被执行人 2 起，涉案金额 320 万元', date: '2026-08-09' }, { type: 'tax', level: 'low', text: '欠税公告已结清', date: '2025-01-15' }],
  },
  {
    creditCode: '91330100MA27XY8Z9P', name: 'Hangzhou Clearwater Packaging Co., Ltd.', legalRepresentative: 'Lin Qing', registeredCapital: 2_000_000,
    foundedOn: '2018-03-03', status: '存续', address: '杭州市余杭区良渚街道 99 号', businessScope: 'Paper packaging', risks: [],
  },
];

/** The multipart body of one file upload. */
function multipart(filename: string, type: string, content: Buffer) {
  const boundary = `----scm${randomBytes(8).toString('hex')}`;
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`;
  return { boundary, payload: Buffer.concat([Buffer.from(head, 'utf8'), content, Buffer.from(`\r\n--${boundary}--\r\n`)]) };
}

/** The text of each page of a PDF, as a reader extracts it. */
async function readPdf(bytes: Buffer): Promise<{ pages: number; text: string }> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const doc = await pdfjs.getDocument({ data: new Uint8Array(bytes), useSystemFonts: false, disableFontFace: true, isEvalSupported: false }).promise;
  const text: string[] = [];
  for (let i = 1; i <= doc.numPages; i++) {
    const content = await (await doc.getPage(i)).getTextContent();
    text.push(content.items.map((x) => ('str' in x ? x.str : '')).join(''));
  }
  await doc.destroy();
  return { pages: doc.numPages, text: text.join('\n') };
}

const today = () => new Date().toISOString().slice(0, 10);
const round1 = (n: number) => Math.round(n * 10) / 10;

describe('the SCM pack', () => {
  let h: Harness;
  let provider: Server;
  const asked: { q: string; auth: string | undefined }[] = [];
  let appId = '';
  const form: Record<string, string> = {};
  const role: Record<string, string> = {};
  const dept: Record<string, string> = {};
  const people: Record<string, Person> = {};
  const supplierId: Record<string, string> = {};

  const settle = async () => {
    for (let i = 0; i < 5; i++) {
      await h.jobs.drain('automation', 1000);
      await h.jobs.drain('workflow', 1000);
    }
  };
  const ok = async (reply: Promise<{ status: number; body: Json }>, status = 200) => {
    const r = await reply;
    expect(r.status, JSON.stringify(r.body)).toBe(status);
    return r.body;
  };
  const q = (filter: unknown) => `filter=${encodeURIComponent(JSON.stringify(filter))}`;
  const list = async (call: Call, formKey: string, filter?: unknown): Promise<Json[]> => {
    const out: Json[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/api/forms/${form[formKey]}/records?limit=200${filter ? `&${q(filter)}` : ''}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const page = await ok(call('GET', url));
      out.push(...page.items);
      cursor = page.nextCursor ?? null;
    } while (cursor);
    return out;
  };
  const get = async (formKey: string, id: string) => ok(h.call('GET', `/api/forms/${form[formKey]}/records/${id}`));
  const submit = async (who: string, formKey: string, data: Json) => ok(people[who]!.call('POST', `/api/forms/${form[formKey]}/records`, { data }), 201);
  const tasksOf = async (who: string) => (await ok(people[who]!.call('GET', '/api/tasks'))).items as Json[];
  const taskFor = async (who: string, recordId: string) => (await tasksOf(who)).find((t) => t.recordId === recordId);
  const notes = async (who: string) => (await ok(people[who]!.call('GET', '/api/notifications'))).items as Json[];
  const approve = async (who: string, recordId: string, data?: Json) => {
    const task = await taskFor(who, recordId);
    expect(task, `${who} has a task on ${recordId}`).toBeDefined();
    await ok(people[who]!.call('POST', `/api/tasks/${task.id}/approve`, data ? { data } : {}));
    await settle();
    return task;
  };
  const eq = (field: string, value: unknown) => ({ field, op: 'eq', value });
  const upload = async (who: string, name: string, content: Buffer, type = 'application/pdf') => {
    const m = multipart(name, type, content);
    const res = await h.app.inject({ method: 'POST', url: '/api/files', headers: { authorization: `Bearer ${people[who]!.token}`, 'content-type': `multipart/form-data; boundary=${m.boundary}` }, payload: m.payload });
    expect(res.statusCode, res.body).toBe(201);
    return JSON.parse(res.body) as Json;
  };

  async function person(name: string, roles: string[], extra: Json = {}): Promise<void> {
    const email = `${name.toLowerCase()}@scm.example.com`;
    const u = await ok(h.call('POST', '/api/users', { email, name, password: PASSWORD, roles: roles.map((r) => role[r]!), ...extra }), 201);
    const token = await h.login(email, PASSWORD);
    people[name] = { id: u.id, token, call: h.as(token) };
  }

  beforeAll(async () => {
    provider = createServer((req, res) => {
      const u = new URL(req.url ?? '/', 'http://x');
      const text = u.searchParams.get('q') ?? '';
      asked.push({ q: text, auth: req.headers.authorization });
      if (req.headers.authorization !== 'Bearer scm-registry-token') return void res.writeHead(401).end();
      if (u.pathname !== '/v1/companies') return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ items: COMPANIES.filter((c) => c.creditCode === text || c.name === text) }));
    });
    await new Promise<void>((resolve) => provider.listen(0, '127.0.0.1', resolve));
    const addr = provider.address();
    const port = typeof addr === 'object' && addr ? addr.port : 0;
    h = await startHarness({ TRELLIS_REGISTRY_URL: `http://127.0.0.1:${port}/v1/`, TRELLIS_REGISTRY_TOKEN: 'scm-registry-token', TRELLIS_JOB_BACKOFF_MS: '50' });

    const app = await ok(h.call('POST', '/api/packs/scm/install', { withSampleData: true }), 201);
    appId = app.id;
    const formKeys: Record<string, string> = {
      Material: 'product', Supplier: 'supplier', Certificate: 'certificate', 'On-site review template': 'reviewTemplate', 'On-site review': 'review',
      'Supplier evaluation': 'evaluation', 'Purchase requisition': 'requisition', 'Purchase order': 'po', 'Shipping notice': 'notice',
      'Reconciliation statement': 'statement', 'Goods receipt': 'receipt', 'Stock count': 'stockCount', 'Stock transfer': 'transfer', 'Put-away': 'stockIn',
    };
    for (const f of (await ok(h.call('GET', `/api/apps/${appId}/forms`))).items as Json[]) form[formKeys[f.draft.name.en as string]!] = f.id;
    const roleKeys: Record<string, string> = {
      'SCM administrator': 'admin', Purchasing: 'purchasing', Warehouse: 'warehouse', 'Warehouse supervisor': 'supervisor', Quality: 'quality', Finance: 'finance',
      'Requester (any department)': 'staff', 'Supplier (external)': 'supplier',
    };
    for (const r of (await ok(h.call('GET', `/api/roles?appId=${appId}`))).items as Json[]) role[roleKeys[r.name.en]!] = r.id;
    for (const s of await list(h.call, 'supplier')) supplierId[s.data.name] = s.id;

    dept.production = (await ok(h.call('POST', '/api/departments', { name: { en: 'Production', zh: '生产部' } }), 201)).id;
    dept.rnd = (await ok(h.call('POST', '/api/departments', { name: { en: 'R&D', zh: '研发部' } }), 201)).id;
    await person('Pam', ['purchasing']);
    await person('Wes', ['warehouse']);
    await person('Vic', ['supervisor']);
    await person('Quinn', ['quality']);
    await person('Fay', ['finance']);
    await person('Ada', ['admin']);
    await person('Sid', ['staff'], { departments: [dept.production] });
    await person('Sue', ['staff'], { departments: [dept.production] });
    await person('Rae', ['staff'], { departments: [dept.rnd] });
    // external supplier accounts, each tied to its company's record
    await person('Sam', ['supplier'], { partner: { formId: form.supplier, recordId: supplierId['上海华东精密零件有限公司'] } });
    await person('Gina', ['supplier'], { partner: { formId: form.supplier, recordId: supplierId['东莞嘉禾包装制品有限公司'] } });
  }, 120_000);
  afterAll(async () => {
    await h?.close();
    provider?.close();
  });

  it('is listed, and installs with its sample data on a fresh server (install time: tests/bench/pack-bench.ts)', async () => {
    const packs = (await ok(h.call('GET', '/api/packs'))).items as Json[];
    expect(packs.find((p) => p.id === 'scm')).toMatchObject({ name: { en: 'Supply chain (SCM)', zh: '供应链管理' }, category: 'scm', forms: 14 });
    expect(Object.keys(form)).toHaveLength(14);
    expect(Object.keys(role)).toHaveLength(8);
    expect(Object.keys(supplierId)).toHaveLength(4);
    // formulas computed on the way in, links re-pointed to the new records
    const huadong = await get('supplier', supplierId['上海华东精密零件有限公司']!);
    expect(huadong.data).toMatchObject({ onTimeRate: 0, qualityRate: 98.8, strengths: '质量 Quality; 技术 Tech; 服务 Service; ' });
    const templates = await list(h.call, 'reviewTemplate');
    expect(templates).toHaveLength(4);
    expect(templates.every((t) => t.data.weightSum === 100)).toBe(true);
    const receipts = await list(h.call, 'receipt');
    expect(receipts.map((r) => r.data.amount).sort((a, b) => a - b)).toEqual([5800, 9600, 48000]);
    expect((await get('supplier', receipts.find((r) => r.data.amount === 48000).data.supplier)).data.name).toBe('Ningbo Eastsea Polymer Co., Ltd.');
    // values people may not set (shipping state, progress, registry facts) come in with the sample
    expect((await list(h.call, 'po')).map((o) => o.data.shipState).sort()).toEqual(['open', 'open', 'received', 'received', 'received']);
    expect((await list(h.call, 'notice')).every((n) => n.data.state === 'received')).toBe(true);
    expect((await list(h.call, 'requisition')).map((r) => r.data.progress).sort()).toEqual(['approved', 'ordered', 'submitted', 'submitted']);
    expect(huadong.data).toMatchObject({ riskLevel: 'low', found: true, creditCode: '91310000MA1FL8XQ3K', lots: 1 });
    // stock lives per warehouse; the quantity on hand is their sum, and the sample transfers are done already
    const products = await list(h.call, 'product');
    for (const p of products) expect(p.data.onHand, p.data.code).toBe(p.data.qtyCentral + p.data.qtyLine + p.data.qtySpares);
    expect(products.find((p) => p.data.code === 'M-1001').data).toMatchObject({ qtyCentral: 9000, qtyLine: 3000, onHand: 12000 });
    expect((await list(h.call, 'transfer')).map((t) => [t.status, t.data.fromWh, t.data.toWh, t.data.qty]).sort()).toEqual([['approved', 'central', 'line', 3000], ['approved', 'central', 'spares', 40]]);
    // the SCM administrator designs the app
    expect((await people.Ada!.call('GET', `/api/apps/${appId}/export`)).status).toBe(200);
  });

  it('registers a supplier with its company facts and risk flags from the business registry, warns of the risk and has purchasing admit it', async () => {
    const risky = await submit('Pam', 'supplier', { name: '苏州恒通精密模具有限公司', type: 'equipment', contact: '周恒', phone: '051266123456' });
    const clean = await submit('Pam', 'supplier', { name: 'Hangzhou Clearwater Packaging Co., Ltd.', type: 'packaging' });
    const unknown = await submit('Pam', 'supplier', { name: '无锡查无此司贸易有限公司', type: 'raw' });
    await settle();
    expect(asked.filter((a) => a.auth === 'Bearer scm-registry-token').map((a) => a.q)).toEqual(expect.arrayContaining(['苏州恒通精密模具有限公司', 'Hangzhou Clearwater Packaging Co., Ltd.']));
    const r = (await get('supplier', risky.id)).data;
    expect(r).toMatchObject({
      creditCode: '91320500MA1Q2W3E4R', legalRep: '周恒', capital: 8_000_000, founded: '2010-04-12', regStatus: '存续',
      address: '江苏省苏州市吴中区木渎镇金枫路 18 号', bizScope: '精密模具设计制造', found: true, riskLevel: 'high', buyer: people.Pam!.id,
    });
    expect(r.risks).toContain('被执行人 2 起');
    expect(r.risks).toContain('欠税公告已结清');
    expect((await get('supplier', clean.id)).data).toMatchObject({ found: true, riskLevel: 'none', legalRep: 'Lin Qing' });
    expect((await get('supplier', unknown.id)).data).toMatchObject({ found: false });
    // purchasing and finance are warned of the risky one, and only of it
    for (const who of ['Pam', 'Fay']) {
      const warned = (await notes(who)).filter((n) => n.kind === 'message' && [risky.id, clean.id, unknown.id].includes(n.recordId));
      expect(warned.map((n) => n.recordId), who).toEqual([risky.id]);
      expect(warned[0].message.en).toMatch(/^Supplier 苏州恒通精密模具有限公司 has high risk: /);
    }
    expect((await notes('Wes')).some((n) => n.recordId === risky.id)).toBe(false);
    // registry facts are not typed by people
    const typed = await people.Pam!.call('PATCH', `/api/forms/${form.supplier}/records/${clean.id}`, { data: { riskLevel: 'low' }, version: (await get('supplier', clean.id)).version });
    expect(typed.status).toBe(422);
    // purchasing admits the supplier
    await approve('Pam', clean.id);
    expect((await get('supplier', clean.id)).status).toBe('approved');
    expect((await get('supplier', risky.id)).status).toBe('running');
    supplierId.hengtong = risky.id;
  });

  it("lets a supplier upload its own certificates, which quality checks, and hides them from another supplier", async () => {
    const huadong = supplierId['上海华东精密零件有限公司']!;
    const jiahe = supplierId['东莞嘉禾包装制品有限公司']!;
    // a supplier sees its own company only
    expect((await list(people.Sam!.call, 'supplier')).map((s) => s.id)).toEqual([huadong]);
    expect((await people.Sam!.call('GET', `/api/forms/${form.supplier}/records/${jiahe}`)).status).toBe(404);
    expect((await list(people.Sam!.call, 'supplier'))[0].data).not.toHaveProperty('risks');
    // nor any internal form
    for (const key of ['requisition', 'stockCount', 'review', 'product']) expect((await people.Sam!.call('GET', `/api/forms/${form[key]}/records`)).status, key).toBe(404);

    const scan = await upload('Sam', 'IATF16949-华东精密.pdf', Buffer.from('%PDF-1.4 IATF 16949 certificate scan'));
    const cert = await submit('Sam', 'certificate', { supplier: huadong, kind: 'iatf16949', certNo: 'IATF-0412345', issuer: 'TÜV SÜD', validUntil: '2029-03-31', file: [scan] });
    expect(cert.data.file[0]).toMatchObject({ id: scan.id, name: 'IATF16949-华东精密.pdf' });
    // the certificate needs its scan, and may only be the supplier's own
    const noFile = await people.Sam!.call('POST', `/api/forms/${form.certificate}/records`, { data: { supplier: huadong, kind: 'iso9001', certNo: 'X', validUntil: '2027-01-01' } });
    expect(noFile.status).toBe(422);
    expect(noFile.body.error.details.fields.map((f: Json) => f.field)).toEqual(['file']);
    const forged = await people.Sam!.call('POST', `/api/forms/${form.certificate}/records`, { data: { supplier: jiahe, kind: 'iso9001', certNo: 'X', validUntil: '2027-01-01', file: [scan] } });
    expect(forged.status).toBe(422);
    expect(forged.body.error.details.fields.map((f: Json) => [f.field, f.code])).toEqual([['supplier', 'linkNotFound']]);

    const theirs = await submit('Gina', 'certificate', { supplier: jiahe, kind: 'licence', certNo: '粤包许 2026-0088', validUntil: '2028-06-30', file: [await upload('Gina', '包装许可证.pdf', Buffer.from('%PDF-1.4 licence'))] });
    expect((await list(people.Gina!.call, 'certificate')).map((c) => c.id)).toEqual([theirs.id]);
    expect((await people.Gina!.call('GET', `/api/forms/${form.certificate}/records/${cert.id}`)).status).toBe(404);
    expect((await people.Gina!.call('GET', `/api/records/${cert.id}/timeline`)).status).toBe(404);
    expect((await h.app.inject({ method: 'GET', url: `/api/files/${scan.id}?form=${form.certificate}&record=${cert.id}`, headers: { authorization: `Bearer ${people.Gina!.token}` } })).statusCode).toBe(404);
    expect((await list(people.Sam!.call, 'certificate')).map((c) => c.id)).toEqual([cert.id]);

    // quality checks it, and reads the scan
    expect((await h.app.inject({ method: 'GET', url: `/api/files/${scan.id}?form=${form.certificate}&record=${cert.id}`, headers: { authorization: `Bearer ${people.Quinn!.token}` } })).statusCode).toBe(200);
    await approve('Quinn', cert.id, { checkNote: '证书真实有效，已在 IATF 官网核验' });
    expect(await get('certificate', cert.id)).toMatchObject({ status: 'approved', data: { checkNote: '证书真实有效，已在 IATF 官网核验' } });
    expect((await notes('Sam')).some((n) => n.kind === 'approved' && n.recordId === cert.id)).toBe(true);
  });

  it("scores an on-site review with the template of the supplier's type and builds the capability profile from it", async () => {
    const [tEquip] = await list(people.Quinn!.call, 'reviewTemplate', eq('supplierType', 'equipment'));
    expect(tEquip.data.items.length).toBeGreaterThan(0);
    const scores = { sQuality: 88, sDelivery: 55, sCost: 70, sTech: 92, sService: 61 };
    const review = await submit('Quinn', 'review', { supplier: supplierId.hengtong, template: tEquip.id, reviewDate: '2026-11-26', ...scores, findings: '模具图纸管理规范；交期承诺不稳定。' });
    const w = tEquip.data;
    const expected = round1((scores.sQuality * w.wQuality + scores.sDelivery * w.wDelivery + scores.sCost * w.wCost + scores.sTech * w.wTech + scores.sService * w.wService) / 100);
    expect(review.data).toMatchObject({ wQuality: 30, wTech: 25, total: expected, reviewer: people.Quinn!.id });
    expect(review.data.conclusion).toBe(expected >= 80 ? 'Qualified 合格' : 'Conditional 限期整改');
    await settle();
    const profile = (await get('supplier', supplierId.hengtong!)).data;
    expect(profile).toMatchObject({
      capQuality: 88, capDelivery: 55, capCost: 70, capTech: 92, capService: 61, reviewScore: expected, lastReview: '2026-11-26',
      strengths: '质量 Quality; 技术 Tech; ', weaknesses: '交付 Delivery; ',
    });
    // purchasing reads the review; a supplier does not
    expect((await people.Pam!.call('GET', `/api/forms/${form.review}/records/${review.id}`)).status).toBe(200);
    expect((await people.Sam!.call('GET', `/api/forms/${form.review}/records`)).status).toBe(404);
  });

  it('prepares a shipping notice from the unshipped order lines, reminds purchasing and the warehouse, and receives it by scanning its code', async () => {
    const huadong = supplierId['上海华东精密零件有限公司']!;
    const samOrders = await list(people.Sam!.call, 'po');
    expect(samOrders.every((o) => o.data.supplier === huadong)).toBe(true);
    const open = samOrders.find((o) => o.data.shipState === 'open');
    expect(open.data.lines).toHaveLength(1);
    // the supplier may only set the ship date of the order
    const raise = await people.Sam!.call('PATCH', `/api/forms/${form.po}/records/${open.id}`, { data: { dueDate: '2027-01-31' }, version: open.version });
    expect(raise.status).toBe(422);
    await ok(people.Sam!.call('PATCH', `/api/forms/${form.po}/records/${open.id}`, { data: { shipDate: today() }, version: open.version }));
    await settle();
    const [notice] = await list(h.call, 'notice', eq('order', open.id));
    expect(notice.data).toMatchObject({ supplier: huadong, supplierName: '上海华东精密零件有限公司', shipDate: today(), dueDate: open.data.dueDate, state: 'shipped' });
    expect(notice.data.lines.map((l: Json) => [l.product, l.qty, l.price])).toEqual(open.data.lines.map((l: Json) => [l.product, l.qty, l.price]));
    expect(notice.data.amount).toBe(open.data.amount);
    expect(notice.data.code).toMatch(/^ASN-\d{8}-\d{3}$/);
    expect((await get('po', open.id)).data.shipState).toBe('notified');
    // a later change of the ship date makes no second notice
    const po = await get('po', open.id);
    await ok(people.Sam!.call('PATCH', `/api/forms/${form.po}/records/${open.id}`, { data: { shipDate: '2026-12-01' }, version: po.version }));
    await settle();
    expect(await list(h.call, 'notice', eq('order', open.id))).toHaveLength(1);
    // the supplier adds the carrier; another supplier does not see the notice
    await ok(people.Sam!.call('PATCH', `/api/forms/${form.notice}/records/${notice.id}`, { data: { carrier: '德邦物流', trackingNo: 'DPK20261128077' }, version: notice.version }));
    expect((await people.Gina!.call('GET', `/api/forms/${form.notice}/records/${notice.id}`)).status).toBe(404);
    // purchasing and the warehouse are told what is coming; finance is not
    for (const who of ['Pam', 'Wes']) {
      const told = (await notes(who)).filter((n) => n.kind === 'message' && n.recordId === notice.id);
      expect(told, who).toHaveLength(1);
      expect(told[0].message.en).toBe(`上海华东精密零件有限公司 ships ${notice.data.code} on ${today()}, due ${open.data.dueDate}: amount ${open.data.amount}`);
    }
    expect((await notes('Fay')).some((n) => n.recordId === notice.id)).toBe(false);

    // the warehouse scans the code: supplier, order, due date and lines come from the notice
    const receipt = await submit('Wes', 'receipt', { scan: notice.data.code });
    expect(receipt.data).toMatchObject({ supplier: huadong, order: open.id, dueDate: open.data.dueDate, receivedOn: today(), receiver: people.Wes!.id, warehouse: 'central', amount: open.data.amount, totalQty: 8000 });
    expect(receipt.data.lines.map((l: Json) => [l.product, l.qty])).toEqual(notice.data.lines.map((l: Json) => [l.product, l.qty]));
    expect(receipt.data.onTime).toBe(today() <= open.data.dueDate ? 1 : 0);
    await settle();
    expect((await get('notice', notice.id)).data.state).toBe('received');
    expect((await get('po', open.id)).data.shipState).toBe('received');
    // the same delivery cannot be received twice, and a code no notice has is refused
    const twice = await people.Wes!.call('POST', `/api/forms/${form.receipt}/records`, { data: { scan: notice.data.code } });
    expect([twice.status, twice.body.error.code]).toEqual([409, 'UNIQUE_VIOLATION']);
    const nowhere = await people.Wes!.call('POST', `/api/forms/${form.receipt}/records`, { data: { scan: 'ASN-19990101-999' } });
    expect(nowhere.status).toBe(422);
    expect(nowhere.body.error.details.fields.map((f: Json) => f.field)).toContain('supplier');

    // nothing is in stock before quality has inspected it
    const stock = async () => new Map((await list(h.call, 'product')).map((p) => [p.id, p.data]));
    const stockBefore = await stock();
    expect(await list(h.call, 'stockIn', eq('source', notice.data.code))).toEqual([]);

    // quality inspects: the delivery counts in the supplier's rates
    const before = (await get('supplier', huadong)).data;
    await approve('Quinn', receipt.id, { rejectedQty: 40, inspectNote: '40 件镀层不良' });
    expect((await get('receipt', receipt.id)).status).toBe('approved');
    const after = (await get('supplier', huadong)).data;
    expect(after).toMatchObject({ lots: before.lots + 1, onTimeLots: before.onTimeLots + receipt.data.onTime, receivedQty: before.receivedQty + 8000, rejectedQty: before.rejectedQty + 40 });
    // … and each line is put away in the receipt's warehouse (central): a put-away per line, adding to that warehouse only
    const putAways = await list(h.call, 'stockIn', eq('source', notice.data.code));
    expect(putAways.map((p) => [p.data.product, p.data.warehouse, p.data.qty]).sort()).toEqual(receipt.data.lines.map((l: Json) => [l.product, 'central', l.qty]).sort());
    const stockAfter = await stock();
    for (const [id, was] of stockBefore) {
      const added = receipt.data.lines.filter((l: Json) => l.product === id).reduce((s: number, l: Json) => s + l.qty, 0);
      expect(stockAfter.get(id), id).toMatchObject({ qtyCentral: was.qtyCentral + added, qtyLine: was.qtyLine, qtySpares: was.qtySpares, onHand: was.onHand + added });
    }

    // a delivery due today: the morning run reminds the warehouse
    const jiahe = supplierId['东莞嘉禾包装制品有限公司']!;
    const [carton] = (await list(h.call, 'product', eq('code', 'P-3001')));
    const rush = await submit('Pam', 'po', { supplier: jiahe, dueDate: today(), lines: [{ product: carton.id, qty: 300, price: 6.3 }] });
    await ok(people.Gina!.call('PATCH', `/api/forms/${form.po}/records/${rush.id}`, { data: { shipDate: today() }, version: rush.version }));
    await settle();
    const [rushNotice] = await list(h.call, 'notice', eq('order', rush.id));
    await h.jobs.add('automation', 'schedule', { formId: form.notice, automationId: 'dueToday', at: new Date().toISOString() }, { jobId: `due-${Date.now()}` });
    await settle();
    const due = (await notes('Wes')).filter((n) => n.kind === 'message' && /is due today/.test(n.message.en));
    expect(due.map((n) => n.recordId)).toEqual([rushNotice.id]);
  });

  it("scores suppliers by combining manual scores with on-time and quality rates computed from receipts", async () => {
    for (const name of ['上海华东精密零件有限公司', '东莞嘉禾包装制品有限公司']) {
      const id = supplierId[name]!;
      const received = (await list(h.call, 'receipt', eq('supplier', id))).filter((r) => r.status === 'approved');
      const onTime = received.reduce((s, r) => s + r.data.onTime, 0);
      const qty = received.reduce((s, r) => s + r.data.totalQty, 0);
      const rejected = received.reduce((s, r) => s + (r.data.rejectedQty ?? 0), 0);
      const onTimeRate = round1((onTime / received.length) * 100);
      const qualityRate = round1(((qty - rejected) / qty) * 100);
      expect((await get('supplier', id)).data, name).toMatchObject({ lots: received.length, onTimeRate, qualityRate });

      const evaluation = await submit('Pam', 'evaluation', { supplier: id, period: '2026-Q4', priceScore: 80, serviceScore: 90, comment: 'Quarterly review' });
      const total = round1(onTimeRate * 0.3 + qualityRate * 0.3 + 80 * 0.2 + 90 * 0.2);
      const grade = total >= 90 ? 'A' : total >= 80 ? 'B' : total >= 60 ? 'C' : 'D';
      expect(evaluation.data, name).toMatchObject({ onTimeRate, qualityRate, total, grade });
      await settle();
      expect((await get('supplier', id)).data, name).toMatchObject({ score: total, grade });
    }
    // each supplier reads its own evaluation, never another's
    const samSees = await list(people.Sam!.call, 'evaluation');
    expect(samSees.length).toBeGreaterThan(0);
    expect(samSees.every((e) => e.data.supplier === supplierId['上海华东精密零件有限公司'])).toBe(true);
    expect(samSees[0].data).not.toHaveProperty('comment');
  });

  it('takes requisitions from any department, shows each department its own, and rolls them up by material and department', async () => {
    const products = Object.fromEntries((await list(h.call, 'product')).map((p) => [p.data.code, p.id]));
    const sid1 = await submit('Sid', 'requisition', { product: products['M-1001'], qty: 3000, neededBy: '2026-12-18', reason: '二号线扩产' });
    await submit('Sue', 'requisition', { product: products['P-3001'], qty: 200, neededBy: '2026-12-12' });
    await submit('Rae', 'requisition', { product: products['M-1001'], qty: 500, neededBy: '2026-12-20', reason: 'Prototype jig' });
    await submit('Rae', 'requisition', { product: products['S-4001'], qty: 12, neededBy: '2027-01-05' });
    await settle();
    expect(sid1.data).toMatchObject({ department: dept.production, requester: people.Sid!.id, estimate: 1800, progress: 'submitted' });
    expect(sid1.data.no).toMatch(/^PR-\d{8}-\d{3}$/);
    // each department sees its own requisitions; purchasing sees them all
    expect((await list(people.Sid!.call, 'requisition')).map((r) => r.data.department)).toEqual([dept.production, dept.production]);
    expect((await list(people.Rae!.call, 'requisition')).every((r) => r.data.department === dept.rnd)).toBe(true);
    const all = await list(people.Pam!.call, 'requisition');
    expect(all).toHaveLength(8);
    await approve('Pam', sid1.id, { buyerNote: '并入华东精密 12 月订单' });
    expect((await get('requisition', sid1.id))).toMatchObject({ status: 'approved', data: { progress: 'approved', buyerNote: '并入华东精密 12 月订单' } });
    expect((await notes('Sid')).some((n) => n.kind === 'approved' && n.recordId === sid1.id)).toBe(true);

    const dashboards = (await ok(h.call('GET', `/api/apps/${appId}/dashboards`))).items as Json[];
    expect(dashboards).toHaveLength(1);
    const widgets = Object.fromEntries(((await ok(people.Pam!.call('GET', `/api/dashboards/${dashboards[0].id}/data`))).widgets as Json[]).map((w) => [w.id, w]));
    const reqs = await list(h.call, 'requisition');
    const cellsOf = (w: Json) => {
      const out = new Map<string, number>();
      w.figures.rows.forEach((r: Json, i: number) => w.figures.columns.forEach((c: Json, j: number) => {
        const value = w.figures.cells[i][j].values[0];
        if (value) out.set(`${r.key}|${c.key}`, value);
      }));
      return out;
    };
    const direct = (key: (r: Json) => string, value: (r: Json) => number) => {
      const out = new Map<string, number>();
      for (const r of reqs) out.set(key(r), (out.get(key(r)) ?? 0) + value(r));
      return out;
    };
    expect(cellsOf(widgets.reqByProduct)).toEqual(direct((r) => `${r.data.product}|${r.data.department ?? null}`, (r) => r.data.qty));
    expect(widgets.reqByProduct.figures.total.values[0]).toBe(reqs.reduce((s, r) => s + r.data.qty, 0));
    expect(cellsOf(widgets.reqByProduct).get(`${products['M-1001']}|${dept.production}`)).toBe(3000);
    expect(cellsOf(widgets.reqProgress)).toEqual(direct((r) => `${r.data.department ?? null}|${r.data.progress}`, () => 1));
    expect(widgets.reqCount.figures.values).toEqual([reqs.filter((r) => r.data.progress === 'submitted').length]);
    // the other figures of the dashboard against the records
    const receipts = await list(h.call, 'receipt');
    expect(widgets.received.figures.values).toEqual([receipts.filter((r) => !r.data.statement).reduce((s, r) => s + r.data.amount, 0)]);
    const orders = (await list(h.call, 'po')).filter((o) => o.data.shipState !== 'received');
    expect(widgets.openOrders.figures.values).toEqual([orders.reduce((s, o) => s + o.data.amount, 0), orders.length]);
    const bySupplier = new Map<string, number>();
    for (const r of receipts) bySupplier.set(r.data.supplier, (bySupplier.get(r.data.supplier) ?? 0) + r.data.amount);
    expect(new Map((widgets.bySupplier.figures.rows as Json[]).map((r) => [r.key, r.values[0]]))).toEqual(bySupplier);
    const suppliers = await list(h.call, 'supplier');
    const risk = new Map<string | null, number>();
    for (const s of suppliers) risk.set(s.data.riskLevel ?? null, (risk.get(s.data.riskLevel ?? null) ?? 0) + 1);
    expect(new Map((widgets.risk.figures.rows as Json[]).map((r) => [r.key, r.values[0]]))).toEqual(risk);
    expect(new Map((widgets.scores.figures.rows as Json[]).map((r) => [r.key, r.values]))).toEqual(new Map(suppliers.map((s) => [s.data.name, [s.data.onTimeRate ?? null, s.data.qualityRate ?? null, s.data.score ?? null]])));
  });

  it('counts stock per warehouse: the approved count becomes that warehouse\'s quantity', async () => {
    const [bolt] = await list(h.call, 'product', eq('code', 'M-1001'));
    const count = await submit('Wes', 'stockCount', { batch: '2026-11 月末盘点', product: bolt.id, countedQty: bolt.data.qtyCentral - 35, note: '3 箱包装破损报废' });
    // the count is of the central warehouse unless it names another
    expect(count.data).toMatchObject({ warehouse: 'central', bookQty: bolt.data.qtyCentral, diff: -35, countDate: today() });
    expect((await get('product', bolt.id)).data.onHand).toBe(bolt.data.onHand);
    await approve('Fay', count.id);
    expect((await get('stockCount', count.id)).status).toBe('approved');
    expect((await get('product', bolt.id)).data).toMatchObject({ qtyCentral: bolt.data.qtyCentral - 35, qtyLine: bolt.data.qtyLine, qtySpares: bolt.data.qtySpares, onHand: bolt.data.onHand - 35 });
    // the warehouse cannot set the quantities by hand, nor purchasing
    const p = await get('product', bolt.id);
    expect((await people.Wes!.call('PATCH', `/api/forms/${form.product}/records/${bolt.id}`, { data: { qtyCentral: 1 }, version: p.version })).status).toBe(403);
    expect((await people.Pam!.call('PATCH', `/api/forms/${form.product}/records/${bolt.id}`, { data: { qtyCentral: 1 }, version: p.version })).status).toBe(422);
  });

  it('transfers stock between warehouses once the supervisor approves, and counts the line-side store on its own', async () => {
    const [resin] = await list(h.call, 'product', eq('code', 'M-2001'));
    const before = resin.data;
    expect(before.qtyCentral).toBeGreaterThan(30);
    // a clerk asks to move 30 kg from the central warehouse to the line-side store
    const refused = async (data: Json, field: string) => {
      const r = await people.Wes!.call('POST', `/api/forms/${form.transfer}/records`, { data });
      expect(r.status, JSON.stringify(r.body)).toBe(422);
      expect(r.body.error.details.fields.map((f: Json) => f.field)).toEqual([field]);
    };
    await refused({ product: resin.id, fromWh: 'central', toWh: 'line', qty: before.qtyCentral + 1 }, 'qty');
    await refused({ product: resin.id, fromWh: 'line', toWh: 'line', qty: 30 }, 'toWh');
    await refused({ product: resin.id, fromWh: 'central', toWh: 'line', qty: 0 }, 'qty');
    const tr = await submit('Wes', 'transfer', { product: resin.id, fromWh: 'central', toWh: 'line', qty: 30, reason: '注塑二线换料' });
    expect(tr.data).toMatchObject({ requester: people.Wes!.id, requestedOn: today(), available: before.qtyCentral });
    expect(tr.data.no).toMatch(/^TR-\d{8}-\d{3}$/);
    await settle();
    // nothing moves before the approval, and the clerk does not approve their own request
    expect((await get('product', resin.id)).data).toMatchObject({ qtyCentral: before.qtyCentral, qtyLine: before.qtyLine });
    expect(await taskFor('Wes', tr.id)).toBeUndefined();
    await approve('Vic', tr.id);
    expect((await get('transfer', tr.id)).status).toBe('approved');
    const moved = (await get('product', resin.id)).data;
    expect(moved).toMatchObject({ qtyCentral: before.qtyCentral - 30, qtyLine: before.qtyLine + 30, qtySpares: before.qtySpares, onHand: before.onHand });

    // a rejected transfer moves nothing
    const no = await submit('Wes', 'transfer', { product: resin.id, fromWh: 'line', toWh: 'central', qty: 100, reason: 'Return surplus' });
    await settle();
    const task = await taskFor('Vic', no.id);
    await ok(people.Vic!.call('POST', `/api/tasks/${task.id}/reject`, { comment: '线边仍需用料' }));
    await settle();
    expect((await get('transfer', no.id)).status).toBe('rejected');
    expect((await get('product', resin.id)).data).toMatchObject({ qtyCentral: moved.qtyCentral, qtyLine: moved.qtyLine, onHand: moved.onHand });

    // a count of the line-side store books that store only
    const count = await submit('Wes', 'stockCount', { batch: '线边仓周盘', product: resin.id, warehouse: 'line', countedQty: moved.qtyLine - 5 });
    expect(count.data).toMatchObject({ bookQty: moved.qtyLine, diff: -5 });
    await approve('Fay', count.id);
    expect((await get('product', resin.id)).data).toMatchObject({ qtyCentral: moved.qtyCentral, qtyLine: moved.qtyLine - 5, qtySpares: moved.qtySpares, onHand: moved.onHand - 5 });

    // the line-side stock is used up while a transfer of all of it waits: the approval cannot move it, nothing moves,
    // and the administrator sees why; after the next count finds the stock again, a retry moves it
    const all = moved.qtyLine - 5;
    const late = await submit('Wes', 'transfer', { product: resin.id, fromWh: 'line', toWh: 'central', qty: all, reason: 'Line stopped' });
    await settle();
    const empty = await submit('Wes', 'stockCount', { batch: '线边仓盘点', product: resin.id, warehouse: 'line', countedQty: 0 });
    await approve('Fay', empty.id);
    await approve('Vic', late.id);
    const stuck = await ok(h.call('GET', `/api/records/${late.id}/workflow`));
    expect(stuck.status).toBe('error');
    expect((await get('product', resin.id)).data).toMatchObject({ qtyCentral: moved.qtyCentral, qtyLine: 0 });
    expect(((await ok(h.call('GET', '/api/workflow-instances?status=error'))).items as Json[]).map((i) => i.id)).toContain(stuck.id);
    const found = await submit('Wes', 'stockCount', { batch: '线边仓复盘', product: resin.id, warehouse: 'line', countedQty: all });
    await approve('Fay', found.id);
    await ok(h.call('POST', `/api/workflow-instances/${stuck.id}/retry`));
    await settle();
    expect((await get('transfer', late.id)).status).toBe('approved');
    expect((await get('product', resin.id)).data).toMatchObject({ qtyCentral: moved.qtyCentral + all, qtyLine: 0 });
  });

  it('reconciles: the supplier picks a period, finance reviews, the supplier prints, stamps and uploads, finance closes, and the supplier sees the result', async () => {
    const huadong = supplierId['上海华东精密零件有限公司']!;
    const open = (await list(h.call, 'receipt', eq('supplier', huadong))).filter((r) => r.status === 'approved' && !r.data.statement && r.data.receivedOn >= '2026-10-01' && r.data.receivedOn <= today());
    expect(open.length).toBe(2);
    const expected = open.reduce((s, r) => s + r.data.amount, 0);

    const st = await submit('Sam', 'statement', { supplier: huadong, periodFrom: '2026-10-01', periodTo: today() });
    await settle();
    let statement = await get('statement', st.id);
    expect(statement.data).toMatchObject({ receiptCount: open.length, amount: expected, result: 'pending', supplierName: '上海华东精密零件有限公司' });
    expect(statement.data.no).toMatch(/^ST-\d{6}-\d{3}$/);
    for (const r of open) expect(statement.data.details).toContain(r.data.scan);
    for (const r of open) expect((await get('receipt', r.id)).data.statement).toBe(st.id);
    // Gina neither sees the statement nor may make one for another company
    expect((await people.Gina!.call('GET', `/api/forms/${form.statement}/records/${st.id}`)).status).toBe(404);
    expect((await people.Gina!.call('POST', `/api/forms/${form.statement}/records`, { data: { supplier: huadong, periodFrom: '2026-10-01', periodTo: today() } })).status).toBe(422);

    // internal first review
    expect(await taskFor('Sam', st.id)).toBeUndefined();
    await approve('Fay', st.id, { financeNote: '金额与入库记录一致' });
    // the supplier prints the statement as a PDF
    const templates = (await ok(people.Sam!.call('GET', `/api/forms/${form.statement}/print-templates`))).items as Json[];
    expect(templates).toHaveLength(1);
    const res = await h.app.inject({ method: 'GET', url: `/api/records/${st.id}/print?template=${templates[0].id}&format=pdf&lang=zh`, headers: { authorization: `Bearer ${people.Sam!.token}` } });
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    expect(res.headers['content-type']).toMatch(/application\/pdf/);
    const pdf = await readPdf(res.rawPayload);
    expect(pdf.pages).toBeGreaterThanOrEqual(1);
    const flat = pdf.text.replace(/\s+/g, '');
    expect(flat).toContain('上海华东精密零件有限公司');
    expect(flat.replace(/,/g, '')).toContain(expected.toFixed(2));
    expect(flat).toContain(open[0].data.scan);
    // … stamps it and uploads the scan with its task (the step is Sam's, not another supplier's)
    expect(await taskFor('Gina', st.id)).toBeUndefined();
    const blurred = await upload('Sam', `${statement.data.no}-盖章.jpg`, Buffer.from('blurred photo'), 'image/jpeg');
    await approve('Sam', st.id, { stampedScan: [blurred] });
    expect((await get('statement', st.id)).data.result).toBe('pending');
    // finance cannot read the stamp and sends the step back to the supplier
    const final = await taskFor('Fay', st.id);
    expect(final.node).toBe('finalReview');
    await ok(people.Fay!.call('POST', `/api/tasks/${final.id}/return`, { to: 'stamp', comment: '印章不清晰，请重新扫描上传' }));
    await settle();
    expect((await taskFor('Sam', st.id))?.node).toBe('stamp');
    const stamped = await upload('Sam', `${statement.data.no}-盖章.pdf`, Buffer.from('%PDF-1.4 stamped statement'));
    await approve('Sam', st.id, { stampedScan: [stamped] });
    expect((await get('statement', st.id)).data.stampedScan.map((f: Json) => f.id)).toEqual([stamped.id]);
    // finance reads the scan through the statement, and closes it
    expect((await h.app.inject({ method: 'GET', url: `/api/files/${stamped.id}?form=${form.statement}&record=${st.id}`, headers: { authorization: `Bearer ${people.Fay!.token}` } })).statusCode).toBe(200);
    await approve('Fay', st.id);
    statement = await get('statement', st.id);
    expect(statement).toMatchObject({ status: 'reconciled', data: { result: 'reconciled', reconciledOn: today(), amount: expected } });
    // the supplier is told and reads the result
    expect((await notes('Sam')).some((n) => n.kind === 'message' && n.recordId === st.id && n.message.en === `Statement ${statement.data.no} is reconciled: CNY ${expected}`)).toBe(true);
    const seen = await ok(people.Sam!.call('GET', `/api/forms/${form.statement}/records/${st.id}`));
    expect(seen).toMatchObject({ status: 'reconciled', data: { result: 'reconciled', amount: expected } });
    expect(seen.data).not.toHaveProperty('financeNote');
    // a second statement for the same period finds nothing left to reconcile
    const again = await submit('Sam', 'statement', { supplier: huadong, periodFrom: '2026-10-01', periodTo: today() });
    await settle();
    expect((await get('statement', again.id)).data).toMatchObject({ receiptCount: 0, amount: 0 });
  });

  it('left no automation or workflow job failed on the way', async () => {
    expect(await h.jobs.failed('automation')).toEqual([]);
    expect(await h.jobs.failed('workflow')).toEqual([]);
  });
});
