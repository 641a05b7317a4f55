import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Call, type Harness } from '../support/harness.js';

// The bundled ERP pack, installed with its sample data on a fresh server and walked through every
// process of the article over the HTTP API, as the people involved — sales, the middle manager,
// the finance manager, purchasing, the production planner, two workshop leads, the quality
// inspector and the warehouse: a sales plan and a sales order with lines and approval, purchase
// orders with the daily chasing of late deliveries, a master plan broken down into department
// work orders with workshop reports, quality checks and completion, stock in from purchase
// receipts and out to production with stock levels and safety-stock alerts, the product file of
// one order number, the three management dashboards against a direct computation, and the
// printed order.

const PASSWORD = 'erp-pack-password-1';
type Json = any;
interface Person { id: string; token: string; call: Call }

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
const dayOffset = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
const round2 = (n: number) => Math.round(n * 100) / 100;
const sum = (rows: Json[], field: string) => round2(rows.reduce((s, r) => s + (r.data[field] ?? 0), 0));
/** Group sums of `fields` by `key`, as a map of key → [sums…] (what a series widget shows). */
const groupSums = (rows: Json[], key: (r: Json) => unknown, fields: string[]) => {
  const out = new Map<unknown, number[]>();
  for (const r of rows) {
    const k = key(r) ?? null;
    const acc = out.get(k) ?? fields.map(() => 0);
    fields.forEach((f, i) => (acc[i] = round2(acc[i]! + (f === '#' ? 1 : (r.data[f] ?? 0)))));
    out.set(k, acc);
  }
  return out;
};
const seriesOf = (w: Json) => new Map((w.figures.rows as Json[]).map((r) => [r.key, (r.values as number[]).map((x) => (typeof x === 'number' ? round2(x) : x))]));

describe('the ERP pack', () => {
  let h: Harness;
  let appId = '';
  const form: Record<string, string> = {};
  const role: Record<string, string> = {};
  const people: Record<string, Person> = {};
  const productId: Record<string, string> = {};
  // the order the processes below follow from sale to production
  let order: Json;

  /** Background work (automations, workflow actions and the records they create) until nothing is left. */
  const settle = async () => {
    for (let i = 0; i < 6; i++) {
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
  const submit = async (who: string, formKey: string, data: Json) => {
    const r = await ok(people[who]!.call('POST', `/api/forms/${form[formKey]}/records`, { data }), 201);
    await settle();
    return r;
  };
  const tasksOf = async (who: string) => (await ok(people[who]!.call('GET', '/api/tasks'))).items as Json[];
  const taskFor = async (who: string, recordId: string) => (await tasksOf(who)).find((t) => t.recordId === recordId);
  const notes = async (who: string) => (await ok(people[who]!.call('GET', '/api/notifications'))).items as Json[];
  const messages = async (who: string, recordId: string) => (await notes(who)).filter((n) => n.kind === 'message' && n.recordId === recordId);
  const approve = async (who: string, recordId: string, data?: Json) => {
    const task = await taskFor(who, recordId);
    expect(task, `${who} has a task on ${recordId}`).toBeDefined();
    await ok(people[who]!.call('POST', `/api/tasks/${task.id}/approve`, data ? { data } : {}));
    await settle();
    return task;
  };
  const eq = (field: string, value: unknown) => ({ field, op: 'eq', value });
  const one = async (formKey: string, filter: unknown) => {
    const rows = await list(h.call, formKey, filter);
    expect(rows, JSON.stringify(filter)).toHaveLength(1);
    return rows[0];
  };
  const dashboard = async (name: string, who: string) => {
    const all = (await ok(h.call('GET', `/api/apps/${appId}/dashboards`))).items as Json[];
    const d = all.find((x) => x.definition.name.en === name);
    expect(d, name).toBeDefined();
    const data = await ok(people[who]!.call('GET', `/api/dashboards/${d.id}/data`));
    const widgets: Record<string, Json> = Object.fromEntries((data.widgets as Json[]).map((w) => [w.id, w]));
    for (const w of Object.values(widgets)) expect(w.error, `${name}/${w.id}`).toBeUndefined();
    return widgets;
  };
  const runSchedule = async (formKey: string, automationId: string) => {
    await h.jobs.add('automation', 'schedule', { formId: form[formKey], automationId, at: new Date().toISOString() }, { jobId: `run-${automationId}-${Date.now()}` });
    await settle();
  };

  async function person(name: string, roles: string[]): Promise<void> {
    const email = `${name.toLowerCase()}@erp.example.com`;
    const u = await ok(h.call('POST', '/api/users', { email, name, password: PASSWORD, roles: roles.map((r) => role[r]!) }), 201);
    const token = await h.login(email, PASSWORD);
    people[name] = { id: u.id, token, call: h.as(token) };
  }

  beforeAll(async () => {
    // dates are read in UTC, as this test computes them; retries after a concurrent edit come quickly
    h = await startHarness({ TRELLIS_JOB_BACKOFF_MS: '50', TRELLIS_TIME_ZONE: 'UTC' });
    const app = await ok(h.call('POST', '/api/packs/erp/install', { withSampleData: true }), 201);
    appId = app.id;
    const formKeys: Record<string, string> = {
      Customer: 'customer', Supplier: 'supplier', 'Product / material': 'product', 'Sales plan': 'salesPlan', 'Sales order': 'salesOrder', 'Sales line': 'salesLine',
      'Product file': 'orderFile', 'Production master plan': 'productionPlan', 'Work order': 'workOrder', 'Workshop report': 'report', 'Quality check': 'qualityCheck',
      'Material issue': 'issue', 'Purchase order': 'purchaseOrder', 'Purchase receipt': 'receipt', 'Stock movement': 'stockMove', 'Receipt or payment': 'payment',
    };
    for (const f of (await ok(h.call('GET', `/api/apps/${appId}/forms`))).items as Json[]) form[formKeys[f.draft.name.en as string]!] = f.id;
    const roleKeys: Record<string, string> = {
      'ERP administrator': 'admin', Sales: 'sales', Purchasing: 'purchasing', 'Production planner': 'planner', 'Workshop lead': 'workshop',
      'Quality inspector': 'quality', Warehouse: 'warehouse', 'Finance manager': 'finance', 'Middle manager': 'manager',
    };
    for (const r of (await ok(h.call('GET', `/api/roles?appId=${appId}`))).items as Json[]) role[roleKeys[r.name.en]!] = r.id;
    for (const p of await list(h.call, 'product')) productId[p.data.code] = p.id;

    await person('Sam', ['sales']);
    await person('Sue', ['sales']);
    await person('Max', ['manager']);
    await person('Fay', ['finance']);
    await person('Pat', ['purchasing']);
    await person('Ping', ['planner']);
    await person('Wu', ['workshop']);
    await person('Wei', ['workshop']);
    await person('Quinn', ['quality']);
    await person('Wang', ['warehouse']);
    await person('Ada', ['admin']);
  }, 120_000);
  afterAll(async () => h?.close());

  it('is listed, and installs with its sample data on a fresh server (install time: tests/bench/pack-bench.ts)', async () => {
    const packs = (await ok(h.call('GET', '/api/packs'))).items as Json[];
    expect(packs.find((p) => p.id === 'erp')).toMatchObject({ name: { en: 'ERP', zh: '企业资源计划' }, category: 'erp', forms: 16 });
    expect(Object.keys(form)).toHaveLength(16);
    expect(Object.keys(role)).toHaveLength(9);
    expect(await list(h.call, 'customer')).toHaveLength(8);
    expect(Object.keys(productId)).toHaveLength(11);
    // links were re-pointed to the new records, and formulas and lookups computed on the way in
    const orders = await list(h.call, 'salesOrder');
    expect(orders).toHaveLength(6);
    const jingyuan = orders.find((o) => o.data.customerName === '北京京源市政工程有限公司');
    expect(jingyuan.data).toMatchObject({ region: 'north', amount: 120000, cost: 74200, profit: 45800, paid: 36000, outstanding: 84000 });
    const [file] = await list(h.call, 'orderFile', eq('salesOrder', jingyuan.id));
    expect(file.data).toMatchObject({ orderNo: jingyuan.data.no, stage: 'inProduction', plannedQty: 100, producedQty: 60, passedQty: 58, failedQty: 2, passRate: 96.7 });
    for (const wo of await list(h.call, 'workOrder', eq('salesOrder', jingyuan.id))) expect(wo.data.orderNo).toBe(jingyuan.data.no);
    const pump = await get('product', productId['FG-QH200']!);
    expect(pump.data.bom).toHaveLength(7);
    expect(pump.data.bom[0]).toMatchObject({ material: productId['RM-C01'], usage: 'main', materialUnit: '件 pc' });
    // sample receipts have their lines looked up and totalled too
    const castings = await one('receipt', eq('supplierName', '泰州华铸铸造有限公司'));
    expect(castings.data).toMatchObject({ totalQty: 120, amount: 21600, materials: '120 泵体铸件 Pump casing (HT250)' });
    expect(castings.data.lines).toEqual([{ product: productId['RM-C01'], productName: '泵体铸件 Pump casing (HT250)', unit: '件 pc', qty: 120, unitCost: 180, lineAmount: 21600 }]);
    // the ERP administrator designs the app
    expect((await people.Ada!.call('GET', `/api/apps/${appId}/export`)).status).toBe(200);
  });

  it('takes a sales order with its lines through approval into the sales plan, the analysis and a new product file', async () => {
    const shuan = await one('customer', eq('name', '成都蜀安消防设备有限公司'));
    const month = today().slice(0, 7);
    // Sam plans the month for the Southwest; the middle manager approves
    const plan = await submit('Sam', 'salesPlan', { period: month, region: 'west', lines: [{ product: productId['FG-QH350'], qty: 50, price: 3500 }, { product: productId['FG-QH200'], qty: 80, price: 1250 }] });
    expect(plan.data).toMatchObject({ target: 275000, owner: people.Sam!.id });
    await approve('Max', plan.id);
    expect((await get('salesPlan', plan.id)).status).toBe('approved');

    order = await submit('Sam', 'salesOrder', {
      customer: shuan.id, deliveryDate: dayOffset(45), remark: '消防泵房改造 · fire pump room retrofit',
      lines: [{ product: productId['FG-QH350'], qty: 40, price: 3500 }, { product: productId['FG-QH200'], qty: 60, price: 1250 }],
    });
    expect(order.data).toMatchObject({ amount: 215000, cost: 40 * 2150 + 60 * 742, profit: 215000 - 40 * 2150 - 60 * 742, region: 'west', owner: people.Sam!.id, orderDate: today() });
    expect(order.data.no).toMatch(/^SO-\d{8}-\d{3}$/);
    expect(order.data.lines[0]).toMatchObject({ unitCost: 2150, lineTotal: 140000, lineCost: 86000 });
    // the middle manager first; finance only once the manager approved (215,000 ≥ 200,000)
    expect(await taskFor('Fay', order.id)).toBeUndefined();
    await approve('Max', order.id, { deliveryDate: dayOffset(50) });
    expect((await get('salesOrder', order.id)).status).toBe('running');
    expect(await list(h.call, 'salesLine', eq('salesOrder', order.id))).toHaveLength(0);
    await approve('Fay', order.id);
    order = await get('salesOrder', order.id);
    expect(order).toMatchObject({ status: 'approved', data: { deliveryDate: dayOffset(50) } });
    expect((await notes('Sam')).some((n) => n.kind === 'approved' && n.recordId === order.id)).toBe(true);

    // one sales line per order line, for the analysis by product, region and customer
    const lines = await list(h.call, 'salesLine', eq('salesOrder', order.id));
    expect(lines.map((l) => [l.data.product, l.data.qty, l.data.amount, l.data.profit]).sort()).toEqual(
      [[productId['FG-QH350'], 40, 140000, 140000 - 86000], [productId['FG-QH200'], 60, 75000, 75000 - 60 * 742]].sort(),
    );
    expect(lines.every((l) => l.data.customer === shuan.id && l.data.region === 'west' && l.data.owner === people.Sam!.id && l.data.orderNo === order.data.no)).toBe(true);
    // the month's plan counts it
    expect((await get('salesPlan', plan.id)).data).toMatchObject({ actualAmount: 215000, actualOrders: 1, attainment: 78.2 });
    // the product file of the order number is open, and production planning is told
    const file = await one('orderFile', eq('orderNo', order.data.no));
    expect(file.data).toMatchObject({ salesOrder: order.id, customer: shuan.id, amount: 215000, stage: 'ordered', plannedQty: 0, woCount: 0 });
    expect(file.data.lines).toEqual([{ product: productId['FG-QH350'], qty: 40 }, { product: productId['FG-QH200'], qty: 60 }]);
    expect(file.data.history).toContain(`订单审批通过 Order approved · ${order.data.no} · 成都蜀安消防设备有限公司 · CNY 215000`);
    const told = await messages('Ping', order.id);
    expect(told).toHaveLength(1);
    expect(told[0].message.en).toBe(`Order ${order.data.no} of 成都蜀安消防设备有限公司 is approved: plan its production (delivery ${dayOffset(50)})`);

    // a sales rep sees their own orders and lines only
    expect((await people.Sam!.call('GET', `/api/forms/${form.salesOrder}/records/${order.id}`)).status).toBe(200);
    expect((await people.Sue!.call('GET', `/api/forms/${form.salesOrder}/records/${order.id}`)).status).toBe(404);
    expect(await list(people.Sue!.call, 'salesLine')).toHaveLength(0);
    // a rejected order posts nothing
    const small = await submit('Sue', 'salesOrder', { customer: shuan.id, deliveryDate: dayOffset(20), lines: [{ product: productId['FG-MC10'], qty: 10, price: 560 }] });
    await ok(people.Max!.call('POST', `/api/tasks/${(await taskFor('Max', small.id)).id}/reject`, { comment: '价格低于底价 · below the floor price' }));
    await settle();
    expect((await get('salesOrder', small.id)).status).toBe('rejected');
    expect(await list(h.call, 'salesLine', eq('salesOrder', small.id))).toHaveLength(0);
    expect(await list(h.call, 'orderFile', eq('salesOrder', small.id))).toHaveLength(0);
    expect((await get('salesPlan', plan.id)).data.actualAmount).toBe(215000);
  });

  it('approves large purchase orders and chases the late ones every morning until they are received', async () => {
    const everspin = await one('supplier', eq('name', 'Ningbo Everspin Motor Co., Ltd.'));
    const huazhu = await one('supplier', eq('name', '泰州华铸铸造有限公司'));
    // a small order needs no approval; a large one goes to the finance manager
    const late = await submit('Pat', 'purchaseOrder', { supplier: everspin.id, promisedDate: dayOffset(-2), lines: [{ product: productId['RM-M03'], qty: 50, price: 320 }] });
    expect(late.data).toMatchObject({ amount: 16000, totalQty: 50, receiveState: 'open', buyer: people.Pat!.id, supplierName: 'Ningbo Everspin Motor Co., Ltd.' });
    expect((await get('purchaseOrder', late.id)).status).toBe('approved');
    const big = await submit('Pat', 'purchaseOrder', { supplier: huazhu.id, promisedDate: dayOffset(-1), lines: [{ product: productId['RM-C01'], qty: 200, price: 180 }, { product: productId['RM-I02'], qty: 200, price: 95 }] });
    expect(big.data.amount).toBe(55000);
    expect((await get('purchaseOrder', big.id)).status).toBe('running');
    await approve('Fay', big.id);
    expect((await get('purchaseOrder', big.id)).status).toBe('approved');
    const onTime = await submit('Pat', 'purchaseOrder', { supplier: everspin.id, promisedDate: dayOffset(10), lines: [{ product: productId['RM-M03'], qty: 20, price: 320 }] });

    // 01:00 UTC (09:00 Beijing) comes: every order past its promised date and not fully received is chased
    const before = new Map((await list(h.call, 'purchaseOrder')).map((p) => [p.id, p]));
    const due = [...before.values()].filter((p) => ['open', 'partial'].includes(p.data.receiveState) && p.data.promisedDate < today() && p.status !== 'rejected');
    expect(due.map((p) => p.id)).toEqual(expect.arrayContaining([late.id, big.id]));
    expect(due.some((p) => p.id === onTime.id)).toBe(false);
    // the sample's partly received motor order and its open hardware order are late too
    const sampleLate = [...before.values()].filter((p) => p.createdAt < late.createdAt && p.data.promisedDate <= '2026-11-20' && p.data.receiveState !== 'received');
    expect(sampleLate.map((p) => p.data.supplierName).sort()).toEqual(['Dongguan Fastline Hardware Co., Ltd.', 'Ningbo Everspin Motor Co., Ltd.']);
    expect(due.map((p) => p.id)).toEqual(expect.arrayContaining(sampleLate.map((p) => p.id)));
    await runSchedule('purchaseOrder', 'chase');
    for (const p of before.values()) {
      const after = await get('purchaseOrder', p.id);
      const chased = due.some((d) => d.id === p.id);
      expect(after.data.chaseCount, p.data.no).toBe(p.data.chaseCount + (chased ? 1 : 0));
      expect(await messages('Pat', p.id), p.data.no).toHaveLength(chased ? 1 : 0);
      if (chased) expect(after.data.lastChased).toBe(today());
    }
    const [msg] = await messages('Pat', late.id);
    expect(msg.message).toEqual({
      en: `Chase Ningbo Everspin Motor Co., Ltd.: ${late.data.no} was promised for ${dayOffset(-2)}, 0 of 50 received`,
      zh: `请催货：Ningbo Everspin Motor Co., Ltd. 的 ${late.data.no} 承诺 ${dayOffset(-2)} 交货，已到 0 / 50`,
    });
    // the middle managers see the same late orders
    const mgmt = await dashboard('Plans and actuals', 'Max');
    expect(mgmt.latePOs.figures.values).toEqual([due.length, sum(due, 'amount')]);

    // the supplier answers and delivers; the delivered order is no longer chased, the others are, again
    await ok(people.Pat!.call('PATCH', `/api/forms/${form.purchaseOrder}/records/${late.id}`, { data: { chaseNote: '明天发货 · ships tomorrow' }, version: (await get('purchaseOrder', late.id)).version }));
    await submit('Wang', 'receipt', { po: late.id, lines: [{ product: productId['RM-M03'], qty: 50 }], location: 'B-02-03' });
    expect((await get('purchaseOrder', late.id)).data).toMatchObject({ receivedQty: 50, receiveState: 'received', receivedOn: today(), chaseCount: 1 });
    await runSchedule('purchaseOrder', 'chase');
    expect((await get('purchaseOrder', late.id)).data.chaseCount).toBe(1);
    expect(await messages('Pat', late.id)).toHaveLength(1);
    expect((await get('purchaseOrder', big.id)).data.chaseCount).toBe(2);
    expect(await messages('Pat', big.id)).toHaveLength(2);
    // and the next morning's run is queued
    expect((await h.jobs.get('automation', `schedule:${form.purchaseOrder}:chase:${nextRun(1)}`))?.state).toBe('delayed');
  });

  it('breaks the master plan of the order into department work orders, which the workshops report, quality checks and complete', async () => {
    const plan = await submit('Ping', 'productionPlan', {
      salesOrder: order.id, startDate: today(), dueDate: dayOffset(30),
      lines: [
        { product: productId['FG-QH350'], qty: 40, workshop: 'assembly', lead: people.Wu!.id, dueDate: dayOffset(25) },
        { product: productId['FG-QH200'], qty: 60, workshop: 'machining', lead: people.Wei!.id },
      ],
    });
    expect(plan.data).toMatchObject({ orderNo: order.data.no, totalQty: 100, planner: people.Ping!.id });
    expect(await list(h.call, 'workOrder', eq('plan', plan.id))).toHaveLength(0);
    await approve('Max', plan.id);
    expect((await get('productionPlan', plan.id)).status).toBe('approved');

    // one work order per line, for its workshop and lead, who is told
    const wos = await list(h.call, 'workOrder', eq('plan', plan.id));
    expect(wos).toHaveLength(2);
    const woWu = wos.find((w) => w.data.lead === people.Wu!.id);
    const woWei = wos.find((w) => w.data.lead === people.Wei!.id);
    expect(woWu.data).toMatchObject({ salesOrder: order.id, orderNo: order.data.no, product: productId['FG-QH350'], qty: 40, workshop: 'assembly', state: 'issued', startDate: today(), dueDate: dayOffset(25) });
    expect(woWei.data).toMatchObject({ product: productId['FG-QH200'], qty: 60, workshop: 'machining', dueDate: dayOffset(30) });
    expect(woWu.data.no).toMatch(/^WO-\d{8}-\d{3}$/);
    const [told] = await messages('Wu', woWu.id);
    expect(told.message.en).toBe(`Work order ${woWu.data.no}: 40 × QH-350 不锈钢多级泵 Stainless multistage pump, due ${dayOffset(25)}`);
    expect(await messages('Wei', woWu.id)).toHaveLength(0);
    // each lead sees their own work orders only
    expect((await list(people.Wu!.call, 'workOrder')).map((w) => w.id)).toEqual([woWu.id]);
    expect((await people.Wei!.call('GET', `/api/forms/${form.workOrder}/records/${woWu.id}`)).status).toBe(404);
    // and cannot report on another's
    expect((await people.Wei!.call('POST', `/api/forms/${form.report}/records`, { data: { workOrder: woWu.id, outputQty: 5 } })).status).toBe(422);
    let file = await one('orderFile', eq('orderNo', order.data.no));
    expect(file.data).toMatchObject({ stage: 'planned', plannedQty: 100, woCount: 2, woDone: 0 });

    // the workshop reports its output
    await submit('Wu', 'report', { workOrder: woWu.id, outputQty: 25, hours: 75 });
    await submit('Wu', 'report', { workOrder: woWu.id, outputQty: 15, scrapQty: 1, hours: 45, note: '1 件叶轮装配划伤 · one impeller scratched' });
    expect((await get('workOrder', woWu.id)).data).toMatchObject({ producedQty: 40, state: 'inProgress' });
    expect((await one('orderFile', eq('orderNo', order.data.no))).data).toMatchObject({ stage: 'inProduction', producedQty: 40 });

    // quality checks it: rejects are reported to planning and management at once
    const qc1 = await submit('Quinn', 'qualityCheck', { workOrder: woWu.id, inspectedQty: 40, failedQty: 3, result: 'partial', defects: '性能测试扬程不足 · head below curve at rated flow' });
    expect(qc1.data).toMatchObject({ passedQty: 37, orderNo: order.data.no, inspector: people.Quinn!.id });
    expect((await get('workOrder', woWu.id)).data).toMatchObject({ goodQty: 37, failedQty: 3, state: 'inProgress' });
    for (const who of ['Ping', 'Max']) {
      const [rejects] = await messages(who, qc1.id);
      expect(rejects.message.en).toBe(`Quality check of ${woWu.data.no} (${order.data.no}): 3 of 40 QH-350 不锈钢多级泵 Stainless multistage pump rejected: 性能测试扬程不足 · head below curve at rated flow`);
    }
    // a rejection needs its defects described
    expect((await people.Quinn!.call('POST', `/api/forms/${form.qualityCheck}/records`, { data: { workOrder: woWu.id, inspectedQty: 3, failedQty: 1, result: 'partial' } })).status).toBe(422);

    // three reworked pumps pass: the good quantity reaches the order and the work order completes
    const stockBefore = (await get('product', productId['FG-QH350']!)).data.onHand;
    await submit('Wu', 'report', { workOrder: woWu.id, outputQty: 3, note: '返修 rework' });
    await submit('Quinn', 'qualityCheck', { workOrder: woWu.id, inspectedQty: 3, result: 'pass' });
    const done = await get('workOrder', woWu.id);
    expect(done.data).toMatchObject({ goodQty: 40, producedQty: 43, state: 'completed', completedOn: today(), progress: 100 });
    // the finished goods go into stock, the plan counts them, planning and management are told
    const [fg] = await list(h.call, 'stockMove', eq('workOrder', woWu.id));
    expect(fg.data).toMatchObject({ direction: 'in', kind: 'production', qty: 40, product: productId['FG-QH350'], orderNo: order.data.no });
    expect((await get('product', productId['FG-QH350']!)).data.onHand).toBe(stockBefore + 40);
    expect((await get('productionPlan', plan.id)).data).toMatchObject({ completedQty: 40, progress: 40 });
    expect((await messages('Ping', woWu.id)).some((n) => n.message.en === `Work order ${woWu.data.no} is completed: 40 good of 40 QH-350 不锈钢多级泵 Stainless multistage pump`)).toBe(true);
    file = await one('orderFile', eq('orderNo', order.data.no));
    expect(file.data).toMatchObject({ stage: 'inProduction', woDone: 1, finishedInQty: 40, passedQty: 40, failedQty: 3 });

    // the second workshop finishes in one go: the whole order is produced
    await submit('Wei', 'report', { workOrder: woWei.id, outputQty: 60 });
    await submit('Quinn', 'qualityCheck', { workOrder: woWei.id, inspectedQty: 60, result: 'pass' });
    expect((await get('workOrder', woWei.id)).data.state).toBe('completed');
    expect((await get('productionPlan', plan.id)).data).toMatchObject({ completedQty: 100, progress: 100 });
    file = await one('orderFile', eq('orderNo', order.data.no));
    expect(file.data).toMatchObject({ stage: 'completed', woCount: 2, woDone: 2, producedQty: 103, passedQty: 100, failedQty: 3, finishedInQty: 100, passRate: 97.1 });
  });

  it('takes stock in from purchase receipts and out to production, keeps the stock levels, and warns below the safety stock', async () => {
    // the sample's partly received motor order: the rest arrives
    const motorPo = (await list(h.call, 'purchaseOrder', eq('receiveState', 'partial'))).find((p) => p.data.supplierName === 'Ningbo Everspin Motor Co., Ltd.');
    expect(motorPo.data).toMatchObject({ totalQty: 100, receivedQty: 60 });
    const motorBefore = (await get('product', productId['RM-M03']!)).data.onHand;
    const receipt = await submit('Wang', 'receipt', { po: motorPo.id, lines: [{ product: productId['RM-M03'], qty: 40 }], location: 'B-02-01' });
    expect(receipt.data).toMatchObject({ supplierName: 'Ningbo Everspin Motor Co., Ltd.', poNo: motorPo.data.no, totalQty: 40, amount: 12800, receiver: people.Wang!.id });
    expect(receipt.data.lines).toEqual([{ product: productId['RM-M03'], productName: '三相电机 0.75 kW motor', unit: '台 unit', qty: 40, unitCost: 320, lineAmount: 12800 }]);
    const [moveIn] = await list(h.call, 'stockMove', eq('receipt', receipt.id));
    expect(moveIn.data).toMatchObject({ direction: 'in', kind: 'purchase', qty: 40, signedQty: 40, product: productId['RM-M03'], moveDate: today() });
    expect((await get('product', productId['RM-M03']!)).data.onHand).toBe(motorBefore + 40);
    expect((await get('purchaseOrder', motorPo.id)).data).toMatchObject({ receivedQty: 100, receiveState: 'received' });
    const [delivered] = await messages('Pat', receipt.id);
    expect(delivered.message.en).toBe(`Ningbo Everspin Motor Co., Ltd. delivered 40 三相电机 0.75 kW motor on ${motorPo.data.no} (${receipt.data.no})`);

    // one delivery of two materials of the sample's hardware order is one receipt: a movement in per material
    const hardwarePo = await one('purchaseOrder', eq('supplierName', 'Dongguan Fastline Hardware Co., Ltd.'));
    expect(hardwarePo.data).toMatchObject({ totalQty: 2000, receivedQty: 0, receiveState: 'open' });
    const oringBefore: number = (await get('product', productId['AM-O01']!)).data.onHand;
    const boltBefore: number = (await get('product', productId['AM-B02']!)).data.onHand;
    const both = await submit('Wang', 'receipt', {
      po: hardwarePo.id, receivedOn: dayOffset(-1), location: 'D-01-01',
      lines: [{ product: productId['AM-O01'], qty: 1000 }, { product: productId['AM-B02'], qty: 600 }],
    });
    expect(both.data).toMatchObject({ totalQty: 1600, amount: 1000 * 3.5 + 600 * 6 });
    const hardwareIn = await list(h.call, 'stockMove', eq('receipt', both.id));
    expect(hardwareIn.map((m) => [m.data.product, m.data.qty, m.data.direction, m.data.kind, m.data.moveDate]).sort()).toEqual(
      [[productId['AM-O01'], 1000, 'in', 'purchase', dayOffset(-1)], [productId['AM-B02'], 600, 'in', 'purchase', dayOffset(-1)]].sort(),
    );
    expect(hardwareIn.every((m) => m.data.note === `采购入库 Receipt ${both.data.no} · ${hardwarePo.data.no}`)).toBe(true);
    expect((await get('product', productId['AM-O01']!)).data.onHand).toBe(oringBefore + 1000);
    expect((await get('product', productId['AM-B02']!)).data.onHand).toBe(boltBefore + 600);
    // the order counts the receipt's total: 400 bolts are still to come
    expect((await get('purchaseOrder', hardwarePo.id)).data).toMatchObject({ receivedQty: 1600, receiveState: 'partial', receivedOn: dayOffset(-1) });
    const [hardwareTold] = await messages('Pat', both.id);
    expect(hardwareTold.message).toEqual({
      en: `Dongguan Fastline Hardware Co., Ltd. delivered 1000 O 型圈 O-ring set, 600 不锈钢螺栓组件 Bolt kit on ${hardwarePo.data.no} (${both.data.no})`,
      zh: `Dongguan Fastline Hardware Co., Ltd. 的 ${hardwarePo.data.no} 到货入库：1000 O 型圈 O-ring set, 600 不锈钢螺栓组件 Bolt kit（${both.data.no}）`,
    });

    // control boards go out to the controller work order of a sample plan: below the safety stock (40), a warning
    const [mcWo] = (await list(h.call, 'workOrder', eq('product', productId['FG-MC10']))).filter((w) => w.data.state === 'issued');
    const pcb = await get('product', productId['RM-P05']!);
    expect(pcb.data).toMatchObject({ onHand: 40, safetyStock: 40, belowSafety: false });
    const issue = await submit('Wang', 'issue', { workOrder: mcWo.id, material: pcb.id, qty: 30 });
    expect(issue.data).toMatchObject({ available: 40, materialName: 'MC-10 控制板 Control board', keeper: people.Wang!.id });
    const [moveOut] = (await list(h.call, 'stockMove', eq('workOrder', mcWo.id))).filter((m) => m.data.kind === 'issue');
    expect(moveOut.data).toMatchObject({ direction: 'out', qty: 30, signedQty: -30, value: -4500 });
    expect((await get('product', pcb.id)).data).toMatchObject({ onHand: 10, belowSafety: true, reorderQty: 290 });
    for (const who of ['Wang', 'Pat']) {
      const warned = await messages(who, pcb.id);
      expect(warned, who).toHaveLength(1);
      expect(warned[0].message.en).toBe('MC-10 控制板 Control board (RM-P05) is below its safety stock: 10 块 pc on hand, safety 40; suggested order 290');
    }
    // more than is on hand is refused, and nothing moves
    const tooMany = await people.Wang!.call('POST', `/api/forms/${form.issue}/records`, { data: { workOrder: mcWo.id, material: pcb.id, qty: 11 } });
    expect(tooMany.status, JSON.stringify(tooMany.body)).toBe(422);
    expect(tooMany.body.error.details.fields).toEqual([{ field: 'qty', code: 'check', message: { en: 'More than is on hand', zh: '超出现存量' } }]);
    expect((await get('product', pcb.id)).data.onHand).toBe(10);
    // further issues while below warn no more; the daily reorder list names every item below its safety stock
    await submit('Wang', 'issue', { workOrder: mcWo.id, material: pcb.id, qty: 5 });
    expect(await messages('Wang', pcb.id)).toHaveLength(1);
    await runSchedule('product', 'reorder');
    const products = await list(h.call, 'product');
    const below = products.filter((p) => p.data.onHand < p.data.safetyStock);
    expect(below.map((p) => p.data.code).sort()).toEqual(['AM-P03', 'RM-P05']);
    for (const p of products) expect((await messages('Pat', p.id)).filter((n) => n.message.en.startsWith('Reorder')), p.data.code).toHaveLength(below.includes(p) ? 1 : 0);
    expect(await messages('Wang', pcb.id)).toHaveLength(1);

    // stock levels: the quantity on hand of every product is the sum of its movements, and so is the dashboard
    const moves = await list(h.call, 'stockMove');
    const levels = groupSums(moves, (m) => m.data.product, ['signedQty', 'value']);
    const stock = await dashboard('Stock levels', 'Wang');
    expect(seriesOf(stock.levels)).toEqual(levels);
    for (const p of products) expect(p.data.onHand, p.data.code).toBe(levels.get(p.id)![0]);
    expect([...seriesOf(stock.below).keys()].sort()).toEqual(['AM-P03', 'RM-P05']);
    expect(seriesOf(stock.below).get('RM-P05')).toEqual([5, 40, 295]);
    expect(seriesOf(stock.over)).toEqual(groupSums(products.filter((p) => p.data.maxStock > 0 && p.data.onHand > p.data.maxStock), (p) => p.data.code, ['onHand', 'maxStock']));
  });

  it('shows everything about one order number to anyone who asks, and prints it as the product file', async () => {
    const no = order.data.no as string;
    // Sam from sales looks the order number up
    const [file] = await list(people.Sam!.call, 'orderFile', eq('orderNo', no));
    expect(file).toBeDefined();
    const plans = await list(h.call, 'productionPlan', eq('orderNo', no));
    const wos = await list(h.call, 'workOrder', eq('orderNo', no));
    const reports = await list(h.call, 'report', eq('orderNo', no));
    const checks = await list(h.call, 'qualityCheck', eq('orderNo', no));
    const issues = await list(h.call, 'issue', eq('orderNo', no));
    const moves = await list(h.call, 'stockMove', eq('orderNo', no));
    expect([plans.length, wos.length, reports.length, checks.length, moves.length]).toEqual([1, 2, 4, 3, 2]);
    // the quality inspector and the warehouse find the same
    expect((await list(people.Quinn!.call, 'qualityCheck', eq('orderNo', no))).length).toBe(checks.length);
    expect((await list(people.Wang!.call, 'stockMove', eq('orderNo', no))).length).toBe(moves.length);

    // materials issued to the order's work orders count in its file
    const [woWu] = wos.filter((w) => w.data.lead === people.Wu!.id);
    await submit('Wang', 'issue', { workOrder: woWu.id, material: productId['RM-C01'], qty: 40 });
    await submit('Wang', 'issue', { workOrder: woWu.id, material: productId['RM-I02'], qty: 160 });
    const issued = await list(h.call, 'issue', eq('orderNo', no));
    expect(issued).toHaveLength(issues.length + 2);

    const f = (await list(people.Sam!.call, 'orderFile', eq('orderNo', no)))[0];
    expect(f.data).toMatchObject({
      plannedQty: sum(plans, 'totalQty'), woCount: wos.length, woDone: wos.filter((w) => w.data.state === 'completed').length,
      producedQty: sum(reports, 'outputQty'), passedQty: sum(checks, 'passedQty'), failedQty: sum(checks, 'failedQty'),
      finishedInQty: sum(moves.filter((m) => m.data.kind === 'production'), 'qty'), materialOutQty: sum(issued, 'qty'), stage: 'completed',
    });
    // its history names every document of the order, in order
    for (const x of [...plans, ...wos, ...issued]) expect(f.data.history).toContain(x.data.no);
    expect(f.data.history).toContain(`${today()} 工单 Work order ${woWu.data.no} · 装配车间 Assembly workshop · QH-350 不锈钢多级泵 Stainless multistage pump × 40`);
    expect(f.data.history.trim().split('\n')).toHaveLength(1 + plans.length + wos.length + reports.length + checks.length + wos.length + issued.length);

    // printed as one document
    const templates = (await ok(people.Sam!.call('GET', `/api/forms/${form.orderFile}/print-templates`))).items as Json[];
    expect(templates).toHaveLength(1);
    const res = await h.app.inject({ method: 'GET', url: `/api/records/${f.id}/print?template=${templates[0].id}&format=pdf&lang=en`, headers: { authorization: `Bearer ${people.Sam!.token}` } });
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    const pdf = await readPdf(res.rawPayload);
    expect(pdf.pages).toBeGreaterThanOrEqual(1);
    const flat = pdf.text.replace(/\s+/g, '');
    expect(flat).toContain(`Productfile·order${no}`);
    for (const w of wos) expect(flat).toContain(w.data.no);
  });

  it('prints the sales order as a PDF with its number, customer and lines', async () => {
    const templates = (await ok(people.Sam!.call('GET', `/api/forms/${form.salesOrder}/print-templates`))).items as Json[];
    expect(templates).toHaveLength(1);
    for (const lang of ['zh', 'en']) {
      const res = await h.app.inject({ method: 'GET', url: `/api/records/${order.id}/print?template=${templates[0].id}&format=pdf&lang=${lang}`, headers: { authorization: `Bearer ${people.Sam!.token}` } });
      expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
      expect(res.headers['content-type']).toMatch(/application\/pdf/);
      const pdf = await readPdf(res.rawPayload);
      expect(pdf.pages).toBeGreaterThanOrEqual(1);
      const flat = pdf.text.replace(/\s+/g, '');
      expect(flat).toContain(order.data.no);
      expect(flat).toContain('成都蜀安消防设备有限公司');
      expect(flat).toContain('QH-350');
      expect(flat.replace(/,/g, '')).toContain('215000');
      expect(flat).toContain(lang === 'zh' ? `销售订单${order.data.no}` : `Salesorder${order.data.no}`);
    }
    // another sales rep may not print it
    const res = await h.app.inject({ method: 'GET', url: `/api/records/${order.id}/print?template=${templates[0].id}&format=pdf`, headers: { authorization: `Bearer ${people.Sue!.token}` } });
    expect(res.statusCode).toBe(404);
  });

  it('shows the finance manager, the middle managers and sales figures equal to a direct computation over the records', async () => {
    // the customer pays the first 30%: it counts on the order and in the cash
    await submit('Fay', 'payment', { kind: 'in', amount: 64500, customer: order.data.customer, salesOrder: order.id, method: 'transfer', note: '30% 预付款 advance' });
    expect((await get('salesOrder', order.id)).data).toMatchObject({ paid: 64500, outstanding: 150500 });
    const everspin = await one('supplier', eq('name', 'Ningbo Everspin Motor Co., Ltd.'));
    await submit('Fay', 'payment', { kind: 'out', amount: 12800, supplier: everspin.id, method: 'bill' });

    const orders = await list(h.call, 'salesOrder');
    const approved = orders.filter((o) => o.status === 'approved');
    expect(approved).toHaveLength(7);
    const payments = await list(h.call, 'payment');
    const fin = await dashboard('Finance manager', 'Fay');
    expect(fin.revenue.figures.values).toEqual([sum(approved, 'amount'), approved.length]);
    expect(fin.cost.figures.values).toEqual([sum(approved, 'cost')]);
    expect(fin.profit.figures.values).toEqual([sum(approved, 'profit')]);
    expect(round2(fin.profit.figures.values[0])).toBe(round2(sum(approved, 'amount') - sum(approved, 'cost')));
    expect(fin.receivable.figures.values).toEqual([sum(approved, 'outstanding')]);
    expect(fin.cash.figures.values).toEqual([round2(sum(payments.filter((p) => p.data.kind === 'in'), 'amount') - sum(payments.filter((p) => p.data.kind !== 'in'), 'amount'))]);
    expect(fin.cashIn.figures.values).toEqual([sum(payments.filter((p) => p.data.kind === 'in'), 'amount')]);
    expect(fin.cashOut.figures.values).toEqual([sum(payments.filter((p) => p.data.kind !== 'in'), 'amount')]);
    const pos = (await list(h.call, 'purchaseOrder')).filter((p) => p.status !== 'rejected');
    expect(fin.purchases.figures.values).toEqual([sum(pos, 'amount')]);
    const products = await list(h.call, 'product');
    expect(round2(fin.stockValue.figures.values[0])).toBe(round2(products.reduce((s, p) => s + p.data.onHand * p.data.cost, 0)));
    const byMonth = groupSums(approved, (o) => o.data.orderDate.slice(0, 7), ['amount', 'cost', 'profit']);
    expect(new Map([...seriesOf(fin.byMonth)].filter(([k]) => byMonth.has(k as string)))).toEqual(byMonth);
    expect(seriesOf(fin.cashByMonth).get(today().slice(0, 7))).toEqual(groupSums(payments, (p) => p.data.payDate.slice(0, 7), ['signedAmount']).get(today().slice(0, 7)));

    // middle managers: every plan against its actual
    const mgmt = await dashboard('Plans and actuals', 'Max');
    const salesPlans = (await list(h.call, 'salesPlan')).filter((p) => p.status === 'approved');
    expect(seriesOf(mgmt.salesByRegion)).toEqual(groupSums(salesPlans, (p) => p.data.region, ['target', 'actualAmount']));
    expect(seriesOf(mgmt.salesByRegion).get('west')).toEqual([275000, 215000]);
    expect(seriesOf(mgmt.salesByMonth)).toEqual(groupSums(salesPlans, (p) => p.data.period, ['target', 'actualAmount']));
    // a plan's actual is the approved orders of its month and region
    for (const p of salesPlans) {
      const theirs = approved.filter((o) => o.data.orderDate.slice(0, 7) === p.data.period && o.data.region === p.data.region);
      expect(p.data.actualAmount, `${p.data.period} ${p.data.region}`).toBe(sum(theirs, 'amount'));
    }
    const wos = await list(h.call, 'workOrder');
    expect(seriesOf(mgmt.production)).toEqual(groupSums(wos, (w) => w.data.workshop, ['qty', 'goodQty', 'producedQty']));
    expect(seriesOf(mgmt.byOrder)).toEqual(groupSums(wos, (w) => w.data.orderNo, ['qty', 'goodQty', '#']));
    expect(seriesOf(mgmt.byOrder).get(order.data.no)).toEqual([100, 100, 2]);
    const plans = (await list(h.call, 'productionPlan')).filter((p) => p.status === 'approved');
    expect(seriesOf(mgmt.plans)).toEqual(groupSums(plans, (p) => p.data.no, ['totalQty', 'completedQty']));
    const open = wos.filter((w) => w.data.state !== 'completed');
    expect(mgmt.openWOs.figures.values).toEqual([open.length, sum(open, 'qty')]);
    expect(seriesOf(mgmt.purchasing)).toEqual(groupSums(await list(h.call, 'purchaseOrder'), (p) => p.data.supplier, ['totalQty', 'receivedQty']));
    expect(seriesOf(mgmt.quality)).toEqual(groupSums(await list(h.call, 'qualityCheck'), (c) => c.data.result, ['#']));

    // sales analysis by product, region and customer
    const sales = await dashboard('Sales analysis', 'Max');
    const lines = await list(h.call, 'salesLine');
    expect(sales.total.figures.values).toEqual([sum(approved, 'amount'), sum(approved, 'profit'), approved.length]);
    const byProduct = groupSums(lines, (l) => l.data.product, ['qty', 'price', 'amount', 'profit']);
    for (const [k, v] of byProduct) v[1] = round2(lines.filter((l) => l.data.product === k).reduce((s, l) => s + l.data.price, 0) / lines.filter((l) => l.data.product === k).length);
    expect(seriesOf(sales.byProduct)).toEqual(byProduct);
    // ordered by quantity, largest first
    const qty = (sales.byProduct.figures.rows as Json[]).map((r) => r.values[0]);
    expect(qty).toEqual([...qty].sort((a, b) => b - a));
    expect(seriesOf(sales.byRegion)).toEqual(groupSums(approved, (o) => o.data.region, ['amount']));
    expect(seriesOf(sales.byCustomer)).toEqual(groupSums(approved, (o) => o.data.customer, ['amount', 'profit']));
    expect(seriesOf(sales.byRep)).toEqual(groupSums(approved, (o) => o.data.owner, ['amount', '#']));
    expect(seriesOf(sales.byRep).get(people.Sam!.id)).toEqual([215000, 1]);
    expect(sum(lines, 'amount')).toBe(sum(approved, 'amount'));
    const pivot = sales.regionProduct.figures;
    expect(pivot.total.values).toEqual([sum(lines, 'amount')]);
    // a sales rep's view counts only their own deals
    const mine = await dashboard('Sales analysis', 'Sam');
    expect(mine.byProduct.figures.rows.map((r: Json) => r.values[2]).reduce((a: number, b: number) => a + b, 0)).toBe(215000);
  });

  it('left no automation or workflow job failed on the way', async () => {
    expect(await h.jobs.failed('automation')).toEqual([]);
    expect(await h.jobs.failed('workflow')).toEqual([]);
  });
});

/** Epoch ms of the next daily run at `hour`:00 UTC after now. */
function nextRun(hour: number): number {
  const next = new Date();
  next.setUTCHours(hour, 0, 0, 0);
  if (next.getTime() <= Date.now()) next.setUTCDate(next.getUTCDate() + 1);
  return next.getTime();
}
