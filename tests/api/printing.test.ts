import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';

// Printing an order with sixty lines and Chinese text: the PDF the server
// renders is parsed back (page count, text), the printable page escapes what
// users typed, a clerk who may not see a field does not get it printed, and
// templates that do not fit their form are refused with the path of each problem.

const PASSWORD = 'clerk-password-123';

type PdfText = { pages: number; text: string[] };

/** The text of each page, as a PDF reader extracts it. */
async function readPdf(bytes: Buffer): Promise<PdfText> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const doc = await pdfjs.getDocument({ data: new Uint8Array(bytes), useSystemFonts: false, disableFontFace: true, isEvalSupported: false }).promise;
  const text: string[] = [];
  for (let i = 1; i <= doc.numPages; i++) {
    const content = await (await doc.getPage(i)).getTextContent();
    text.push(content.items.map((x) => ('str' in x ? x.str : '')).join('\n'));
  }
  await doc.destroy();
  return { pages: doc.numPages, text };
}

function template(over: Record<string, unknown> = {}) {
  return {
    name: { en: 'Purchase order', zh: '采购订单' },
    paper: 'A4',
    orientation: 'portrait',
    margins: { top: 20, right: 15, bottom: 20, left: 15 },
    header: { text: 'ACME Trading · {title}' },
    footer: { text: 'Page {page} of {pages}' },
    body: [
      { type: 'title', text: { en: 'Purchase order {title}', zh: '采购订单 {title}' } },
      { type: 'fields', columns: 2, fields: [{ field: 'amount' }, { field: 'state' }, { field: 'buyer' }, { field: 'supplier' }, { field: 'cost', label: 'Internal cost' }, { field: 'createdAt' }] },
      { type: 'text', text: 'Note: {note}' },
      { type: 'subtable', field: 'lines', columns: [{ field: 'sku', label: 'SKU' }, { field: 'item', width: 3 }, { field: 'qty' }, { field: 'price' }], totals: ['qty', 'price'] },
      { type: 'signatures', labels: ['Buyer 采购员', 'Supplier 供应商'] },
    ],
    ...over,
  };
}

describe('printing a record with a template', () => {
  let h: Harness;
  let orderForm: string;
  let otherForm: string;
  let orderId: string;
  let otherRecord: string;
  let templateId: string;
  let clerkToken: string;
  let outsiderToken: string;
  let adminId: string;

  const raw = async (url: string, token: string) => {
    const res = await h.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
    return { status: res.statusCode, headers: res.headers, body: res.rawPayload, text: res.body };
  };

  beforeAll(async () => {
    h = await startHarness();
    const admin = h.call;
    const appId = (await admin('POST', '/api/apps', { name: 'Purchasing' })).body.id as string;
    const form = async (definition: unknown) => {
      const r = await admin('POST', `/api/apps/${appId}/forms`, definition);
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      expect((await admin('POST', `/api/forms/${r.body.id}/publish`)).status).toBe(200);
      return r.body.id as string;
    };
    const supplierForm = await form({ name: 'Supplier', titleField: 'name', fields: [{ key: 'name', type: 'text', label: 'Name' }] });
    orderForm = await form({
      name: { en: 'Order', zh: '订单' },
      titleField: 'title',
      fields: [
        { key: 'title', type: 'text', label: { en: 'Title', zh: '标题' } },
        { key: 'amount', type: 'money', label: 'Amount', currency: 'CNY' },
        { key: 'state', type: 'select', label: 'Status', options: [{ value: 'ok', label: { en: 'Approved', zh: '已批准' } }, 'draft'] },
        { key: 'buyer', type: 'member', label: 'Buyer' },
        { key: 'supplier', type: 'link', label: 'Supplier', form: supplierForm },
        { key: 'cost', type: 'number', label: 'Cost', precision: 2 },
        { key: 'note', type: 'textarea', label: 'Note' },
        {
          key: 'lines', type: 'subtable', label: { en: 'Lines', zh: '明细' }, fields: [
            { key: 'sku', type: 'text', label: 'SKU' },
            { key: 'item', type: 'text', label: { en: 'Item', zh: '品名' } },
            { key: 'qty', type: 'number', label: 'Qty' },
            { key: 'price', type: 'money', label: 'Price' },
          ],
        },
      ],
    });
    otherForm = await form({ name: 'Other', fields: [{ key: 'title', type: 'text', label: 'Title' }] });
    otherRecord = (await admin('POST', `/api/forms/${otherForm}/records`, { data: { title: 'elsewhere' } })).body.id as string;

    const acme = (await admin('POST', `/api/forms/${supplierForm}/records`, { data: { name: 'ACME 供应链有限公司' } })).body.id as string;
    adminId = (await admin('GET', '/api/auth/me')).body.id as string;
    const lines = Array.from({ length: 60 }, (_, i) => ({ sku: `SKU-${String(i + 1).padStart(3, '0')}`, item: `办公椅 Office chair ${i + 1}`, qty: i + 1, price: 10.5 }));
    const created = await admin('POST', `/api/forms/${orderForm}/records`, {
      data: {
        title: '办公用品采购 Q3', amount: 12345.5, state: 'ok', buyer: adminId, supplier: acme, cost: 9876.25,
        note: 'Deliver before Friday <script>alert("x")</script>', lines,
      },
    });
    expect(created.status).toBe(201);
    orderId = created.body.id as string;

    // a clerk reads orders but not their cost; an outsider has no grant on the form
    const role = await admin('POST', '/api/roles', { name: 'Clerk', forms: { [orderForm]: { actions: ['view'], fields: { cost: 'hidden' } }, [supplierForm]: { actions: ['view'] } } });
    expect(role.status).toBe(201);
    expect((await admin('POST', '/api/users', { email: 'clerk@example.com', name: 'Clerk', password: PASSWORD, roles: [role.body.id] })).status).toBe(201);
    expect((await admin('POST', '/api/users', { email: 'outsider@example.com', name: 'Outsider', password: PASSWORD })).status).toBe(201);
    clerkToken = await h.login('clerk@example.com', PASSWORD);
    outsiderToken = await h.login('outsider@example.com', PASSWORD);

    const t = await admin('POST', `/api/forms/${orderForm}/print-templates`, template());
    expect(t.status).toBe(201);
    templateId = t.body.id as string;
  });

  afterAll(async () => {
    await h?.close();
  });

  it('renders a PDF of several pages with real text: title, values, Chinese, the last line, page numbers', async () => {
    const res = await raw(`/api/records/${orderId}/print?template=${templateId}&format=pdf&tz=Asia/Shanghai`, h.adminToken);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.body.subarray(0, 5).toString()).toBe('%PDF-');
    // the font is subset: sixty lines of Chinese and Latin text stay small
    expect(res.body.length).toBeLessThan(200_000);
    const pdf = await readPdf(res.body);
    expect(pdf.pages).toBe(3);
    const all = pdf.text.join('\n');
    expect(pdf.text[0]).toContain('Purchase order 办公用品采购 Q3');
    expect(pdf.text[0]).toContain('ACME Trading · 办公用品采购 Q3');
    expect(all).toContain('CN¥12,345.50');
    expect(all).toContain('Approved');
    expect(all).toContain('ACME 供应链有限公司');
    expect(all).toContain('Internal cost');
    expect(all).toContain('9,876.25');
    expect(all).toContain('SKU-060');
    expect(all).toContain('办公椅 Office chair 60');
    // totals: 1 + 2 + … + 60 and 60 × 10.50
    expect(all).toContain('1,830');
    expect(all).toContain('630.00');
    pdf.text.forEach((page, i) => expect(page).toContain(`Page ${i + 1} of ${pdf.pages}`));
    // the header row of the sub-table is repeated on the next page
    expect(pdf.text[1]).toContain('SKU');
    expect(pdf.text[1]).toContain('Office chair');
  });

  it('renders a standalone printable page that escapes what users typed', async () => {
    const res = await raw(`/api/forms/${orderForm}/records/${orderId}/print?template=${templateId}&lang=zh`, h.adminToken);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(String(res.headers['content-security-policy'])).toContain("default-src 'none'");
    const html = res.text;
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('@page { size: 210mm 297mm; margin: 20mm 15mm 20mm 15mm;');
    expect(html).toContain('counter(page)');
    expect(html).toContain('display: table-header-group');
    expect(html).toContain('采购订单 办公用品采购 Q3');
    expect(html).toContain('已批准');
    expect(html).toContain('合计');
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('Deliver before Friday &#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62;');
    expect((html.match(/<tr>/g) ?? []).length).toBe(61);
  });

  it('does not print a field the reader may not see', async () => {
    const html = (await raw(`/api/records/${orderId}/print?template=${templateId}`, clerkToken)).text;
    expect(html).toContain('Purchase order 办公用品采购 Q3');
    expect(html).not.toContain('Internal cost');
    expect(html).not.toContain('9,876.25');
    const pdf = await readPdf((await raw(`/api/records/${orderId}/print?template=${templateId}&format=pdf`, clerkToken)).body);
    const all = pdf.text.join('\n');
    expect(all).toContain('SKU-060');
    expect(all).not.toContain('Internal cost');
    expect(all).not.toContain('9,876.25');
    // the template is there for readers of the form, not for others
    expect((await h.as(clerkToken)('GET', `/api/forms/${orderForm}/print-templates`)).body.items).toHaveLength(1);
    expect((await h.as(outsiderToken)('GET', `/api/forms/${orderForm}/print-templates`)).status).toBe(404);
    expect((await raw(`/api/records/${orderId}/print?template=${templateId}`, outsiderToken)).status).toBe(404);
    // reading is not designing
    expect((await h.as(clerkToken)('POST', `/api/forms/${orderForm}/print-templates`, template())).status).toBe(403);
    expect((await h.as(clerkToken)('DELETE', `/api/print-templates/${templateId}`)).status).toBe(403);
  });

  it('refuses a template that does not fit the form, naming the path of each problem', async () => {
    const bad = template({
      body: [
        { type: 'fields', columns: 2, fields: [{ field: 'title' }, { field: 'nope' }] },
        { type: 'subtable', field: 'title' },
        { type: 'subtable', field: 'lines', columns: [{ field: 'sku' }], totals: ['item'] },
        { type: 'text', text: '{ghost}' },
      ],
    });
    const r = await h.call('POST', `/api/forms/${orderForm}/print-templates`, bad);
    expect(r.status).toBe(422);
    expect(r.body.error.code).toBe('INVALID_DEFINITION');
    expect(r.body.error.details.problems.map((p: { path: string }) => p.path)).toEqual([
      'body[0].fields[1].field', 'body[1].field', 'body[2].totals[0]', 'body[3].text',
    ]);
    // the schema itself: a block type that does not exist, five columns
    expect((await h.call('POST', `/api/forms/${orderForm}/print-templates`, template({ body: [{ type: 'chart' }] }))).status).toBe(400);
    expect((await h.call('POST', `/api/forms/${orderForm}/print-templates`, template({ body: [{ type: 'fields', columns: 5, fields: [{ field: 'title' }] }] }))).status).toBe(400);
    expect((await h.call('GET', `/api/forms/${orderForm}/print-templates`)).body.items).toHaveLength(1);
  });

  it('does not print a record of another form with the template', async () => {
    expect((await raw(`/api/records/${otherRecord}/print?template=${templateId}`, h.adminToken)).status).toBe(404);
    const wrongForm = await raw(`/api/forms/${otherForm}/records/${otherRecord}/print?template=${templateId}`, h.adminToken);
    expect(wrongForm.status).toBe(400);
    expect(JSON.parse(wrongForm.text).error.code).toBe('BAD_REQUEST');
    expect((await raw(`/api/records/${orderId}/print?template=nope`, h.adminToken)).status).toBe(404);
    expect((await raw(`/api/records/${orderId}/print?template=${templateId}&tz=Mars/Olympus`, h.adminToken)).status).toBe(400);
  });

  it('edits with the version read, and deletes', async () => {
    const t = await h.call('GET', `/api/print-templates/${templateId}`);
    expect(t.body.version).toBe(1);
    const next = template({ paper: 'A5', orientation: 'landscape' });
    const saved = await h.call('PUT', `/api/print-templates/${templateId}`, next, { 'if-match': '1' });
    expect(saved.status).toBe(200);
    expect(saved.body.version).toBe(2);
    expect((await h.call('PUT', `/api/print-templates/${templateId}`, next, { 'if-match': '1' })).status).toBe(409);
    const html = (await raw(`/api/records/${orderId}/print?template=${templateId}`, h.adminToken)).text;
    expect(html).toContain('size: 210mm 148mm');
    const extra = await h.call('POST', `/api/forms/${orderForm}/print-templates`, template({ name: 'Spare' }));
    expect((await h.call('DELETE', `/api/print-templates/${extra.body.id}`)).status).toBe(204);
    expect((await h.call('GET', `/api/print-templates/${extra.body.id}`)).status).toBe(404);
    expect((await h.call('GET', `/api/forms/${orderForm}/print-templates`)).body.items.map((x: { id: string }) => x.id)).toEqual([templateId]);
  });
});
