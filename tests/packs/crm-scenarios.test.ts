import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Call, type Harness } from '../support/harness.js';

// The bundled CRM pack, installed with its sample data on a fresh server and walked through
// every process of the article over the HTTP API, as the people involved: round-robin lead
// assignment within a region, the regional pools and claiming, duplicate claims (撞单) refused,
// hand-over, follow-up plans with their reminder and follow-up records, the automatic return to
// the public pool, quote → order → contract → payment plan → invoice request, returns with a
// service work order, and the sales dashboard against a direct computation.

const PASSWORD = 'crm-pack-password-1';
type Json = any;
interface Person { id: string; call: Call }

describe('the CRM pack', () => {
  let h: Harness;
  let appId = '';
  const form: Record<string, string> = {};
  const role: Record<string, string> = {};
  const people: Record<string, Person> = {};

  /** Background work (automations, workflow actions and the records they create) until nothing is left. */
  const settle = async () => {
    for (let i = 0; i < 4; i++) {
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
  /** The one open task of `who` on the record, approved (with data the step makes editable). */
  const approve = async (who: string, recordId: string, data?: Json) => {
    const task = await taskFor(who, recordId);
    expect(task, `${who} has a task on ${recordId}`).toBeDefined();
    await ok(people[who]!.call('POST', `/api/tasks/${task.id}/approve`, data ? { data } : {}));
    await settle();
    return task;
  };
  const byLink = (field: string, id: string) => ({ field, op: 'eq', value: id });

  async function person(name: string, roles: string[]): Promise<void> {
    const email = `${name.toLowerCase()}@crm.example.com`;
    const u = await ok(h.call('POST', '/api/users', { email, name, password: PASSWORD, roles: roles.map((r) => role[r]!) }), 201);
    people[name] = { id: u.id, call: h.as(await h.login(email, PASSWORD)) };
  }

  beforeAll(async () => {
    // retries after a concurrent edit come quickly, so settling waits for them
    // days are counted in UTC here, as the test computes its dates
    h = await startHarness({ TRELLIS_JOB_BACKOFF_MS: '50', TRELLIS_TIME_ZONE: 'UTC' });
    const app = await ok(h.call('POST', '/api/packs/crm/install', { withSampleData: true }), 201);
    appId = app.id;
    for (const f of (await ok(h.call('GET', `/api/apps/${appId}/forms`))).items as Json[]) {
      form[{
        Customer: 'customer', 'Claim from the pool': 'claim', 'Customer hand-over': 'handover', 'Follow-up plan': 'plan',
        'Follow-up record': 'followup', Quotation: 'quote', 'Sales order': 'order', Contract: 'contract', 'Payment plan': 'payplan',
        'Invoice request': 'invoice', Return: 'returns', 'Service work order': 'service',
      }[f.draft.name.en as string]!] = f.id;
    }
    const keyOfRole: Record<string, string> = {
      'CRM administrator': 'admin', 'Sales rep': 'rep', 'Sales manager': 'manager', Finance: 'finance', 'Customer service': 'service',
      'East China sales': 'pool_east', 'South China sales': 'pool_south', 'North China sales': 'pool_north',
    };
    for (const r of (await ok(h.call('GET', `/api/roles?appId=${appId}`))).items as Json[]) role[keyOfRole[r.name.en]!] = r.id;

    await person('Li', ['rep', 'pool_east']);
    await person('Wang', ['rep', 'pool_east']);
    await person('Chen', ['rep', 'pool_south']);
    // a rep not yet in the North China sales role: the North region has nobody to take its leads
    await person('Zhou', ['rep']);
    await person('Zhao', ['manager']);
    await person('Qian', ['finance']);
    await person('Sun', ['service']);
    await person('Ma', ['admin']);
  }, 120_000);
  afterAll(async () => h?.close());

  it('is listed, and installs with its sample data on a fresh server (install time: tests/bench/pack-bench.ts)', async () => {
    const packs = (await ok(h.call('GET', '/api/packs'))).items as Json[];
    expect(packs.find((p) => p.id === 'crm')).toMatchObject({ name: { en: 'CRM', zh: '客户关系管理' }, category: 'crm', forms: 12 });
    expect(Object.keys(form)).toHaveLength(12);
    expect(Object.keys(role)).toHaveLength(8);
    expect(await list(h.call, 'customer')).toHaveLength(10);
    const orders = await list(h.call, 'order');
    expect(orders).toHaveLength(4);
    // links were re-pointed to the new records, and formulas computed on the way in
    const o1 = orders.find((o) => o.data.lines.some((l: Json) => l.product === '灌装线监控系统'));
    expect(o1.data.amount).toBe(98000);
    expect((await get('customer', o1.data.customer)).data.name).toBe('青岛海润食品有限公司');
    // the CRM administrator role designs the app
    expect((await people.Ma!.call('GET', `/api/apps/${appId}/export`)).status).toBe(200);
  });

  it('assigns new leads round-robin among the reps of their region and tells each rep', async () => {
    // four East leads entered at the same moment: Li and Wang get two each
    const names = [['宁波海天塑机贸易有限公司', '057487001111'], ['Wuxi Sunrise Textiles Co., Ltd.', '051082002222'], ['南京博远软件有限公司', '02583003333'], ['Changzhou Tianning Bearings Co., Ltd.', '051986001212']] as const;
    const leads = await Promise.all(names.map(([name, phone]) => submit('Zhao', 'customer', { name, phone, region: 'east', source: 'fair', pool: 'lead' })));
    const south = await submit('Zhao', 'customer', { name: '佛山顺和家具有限公司', phone: '075784004444', region: 'south', pool: 'lead' });
    const north = await submit('Zhao', 'customer', { name: '天津港湾冷链物流有限公司', phone: '02266005151', region: 'north', pool: 'lead' });
    await settle();
    const owners = await Promise.all(leads.map(async (l) => (await get('customer', l.id)).data));
    const count = (who: string) => owners.filter((d) => d.owner === people[who]!.id).length;
    expect([count('Li'), count('Wang')]).toEqual([2, 2]);
    // given to a rep, a lead becomes theirs, followed up today
    expect(owners.every((d) => d.pool === 'owned' && d.lastFollowUp === new Date().toISOString().slice(0, 10))).toBe(true);
    for (const [i, lead] of leads.entries()) {
      const who = owners[i]!.owner === people.Li!.id ? 'Li' : 'Wang';
      const told = (await notes(who)).filter((n) => n.kind === 'message' && n.recordId === lead.id);
      expect(told, `${who} told of ${names[i]![0]}`).toHaveLength(1);
      expect(told[0].message).toMatchObject({ en: `Customer ${names[i]![0]} is now yours` });
    }
    // the South region has one rep: Chen gets its lead
    expect((await get('customer', south.id)).data).toMatchObject({ pool: 'owned', owner: people.Chen!.id });
    // the North region has nobody yet: its lead waits in the lead pool, and the administrator sees why
    expect((await get('customer', north.id)).data).toMatchObject({ pool: 'lead' });
    expect((await get('customer', north.id)).data.owner).toBeUndefined();
    const failed = (await ok(h.call('GET', '/api/jobs/failed?queue=automation'))).items as Json[];
    const stuck = failed.find((j) => JSON.stringify(j).includes(north.id));
    expect(stuck?.error).toMatch(/Nobody to give record/);
    // Zhou joins North China sales, the administrator retries, and the lead is Zhou's
    await ok(h.call('PATCH', `/api/users/${people.Zhou!.id}`, { roles: [role.rep!, role.pool_north!] }));
    expect((await h.call('POST', `/api/jobs/automation/${encodeURIComponent(stuck.id)}/retry`)).status).toBe(204);
    await settle();
    expect((await get('customer', north.id)).data).toMatchObject({ pool: 'owned', owner: people.Zhou!.id });
    expect((await notes('Zhou')).some((n) => n.kind === 'message' && n.recordId === north.id)).toBe(true);
  });

  it('shows each rep the pools of their own region, lets them claim from it, and never a customer someone holds', async () => {
    const chenSees = await list(people.Chen!.call, 'customer');
    expect(chenSees.length).toBeGreaterThan(0);
    expect(chenSees.every((c) => c.data.region === 'south' && (['lead', 'public'].includes(c.data.pool) || c.data.owner === people.Chen!.id))).toBe(true);
    expect(chenSees.map((c) => c.data.name)).toEqual(expect.arrayContaining(['Shenzhen Nova IoT Technology Co., Ltd.', '广州珠江医疗器械有限公司']));
    // another region's pool is not Chen's to see
    const liSees = await list(people.Li!.call, 'customer');
    expect(liSees.some((c) => c.data.region === 'south')).toBe(false);
    expect(liSees.some((c) => c.data.name === 'Greenleaf Retail (Hangzhou) Co., Ltd.')).toBe(true);

    const nova = chenSees.find((c) => c.data.name === 'Shenzhen Nova IoT Technology Co., Ltd.');
    // the owner field cannot simply be written by a rep
    expect((await people.Chen!.call('PATCH', `/api/forms/${form.customer}/records/${nova.id}`, { data: { owner: people.Chen!.id }, version: nova.version })).status).toBe(403);
    await submit('Chen', 'claim', { customer: nova.id, note: '老客户介绍' });
    await settle();
    const claimed = (await get('customer', nova.id)).data;
    expect(claimed).toMatchObject({ pool: 'owned', owner: people.Chen!.id, lastFollowUp: new Date().toISOString().slice(0, 10) });
    // now it is Chen's own customer, out of the pool
    expect((await people.Chen!.call('GET', `/api/forms/${form.customer}/records/${nova.id}`)).status).toBe(200);

    // a customer someone holds is out of every pool: no one else can even name it in a claim
    const again = await people.Wang!.call('POST', `/api/forms/${form.claim}/records`, { data: { customer: nova.id } });
    expect(again.status).toBe(422);
    expect(again.body.error.details.fields[0]).toMatchObject({ field: 'customer', code: 'linkNotFound' });
    await settle();
    expect((await get('customer', nova.id)).data.owner).toBe(people.Chen!.id);
    expect((await list(people.Wang!.call, 'claim')).some((c) => c.data.customer === nova.id)).toBe(false);
  });

  it('refuses a second sales person entering a customer that already exists (撞单), however the name is typed', async () => {
    const mine = await submit('Li', 'customer', { name: 'Hangzhou Bluewave Optics Co., Ltd.', phone: '057166005555', region: 'east' });
    expect(mine.data).toMatchObject({ owner: people.Li!.id, pool: 'owned' });
    // a rep enters customers for themselves only
    const forOther = await submit('Li', 'customer', { name: 'Ningbo Portside Trading', phone: '057488112233', region: 'east', owner: people.Wang!.id });
    expect(forOther.data.owner).toBe(people.Li!.id);
    for (const name of ['Hangzhou Bluewave Optics Co., Ltd.', '  HANGZHOU BLUEWAVE OPTICS CO., LTD. ']) {
      const dup = await people.Wang!.call('POST', `/api/forms/${form.customer}/records`, { data: { name, phone: '057166005555', region: 'east' } });
      expect(dup.status, JSON.stringify(dup.body)).toBe(409);
      expect(dup.body.error.code).toBe('UNIQUE_VIOLATION');
    }
    // the same for a customer of the sample data sitting in the public pool
    const pool = await people.Wang!.call('POST', `/api/forms/${form.customer}/records`, { data: { name: '苏州金龙物流有限公司', phone: '051265432100', region: 'east' } });
    expect(pool.status).toBe(409);
    expect((await list(h.call, 'customer', { field: 'name', op: 'contains', value: 'Bluewave' }))).toHaveLength(1);
  });

  it('hands a customer over to another rep once the sales manager approves', async () => {
    const customer = await submit('Li', 'customer', { name: '杭州云帆电子商务有限公司', phone: '057177006666', region: 'east' });
    const handover = await submit('Li', 'handover', { customer: customer.id, toOwner: people.Wang!.id, reason: '调岗，客户转交王芳跟进' });
    expect(handover.data.fromOwner).toBe(people.Li!.id);
    expect((await get('customer', customer.id)).data.owner).toBe(people.Li!.id);
    await approve('Zhao', handover.id);
    expect((await get('handover', handover.id)).status).toBe('approved');
    expect((await get('customer', customer.id)).data).toMatchObject({ owner: people.Wang!.id, pool: 'owned' });
    expect((await notes('Wang')).some((n) => n.kind === 'cc' && n.recordId === handover.id)).toBe(true);
    expect((await notes('Li')).some((n) => n.kind === 'approved' && n.recordId === handover.id)).toBe(true);
    // Li no longer reaches the customer; Wang does
    expect((await people.Li!.call('GET', `/api/forms/${form.customer}/records/${customer.id}`)).status).toBe(404);
    expect((await people.Wang!.call('GET', `/api/forms/${form.customer}/records/${customer.id}`)).status).toBe(200);
  });

  it('reminds the rep of a planned follow-up when its time comes and again when it is overdue; the follow-up record moves the customer on', async () => {
    const customer = await submit('Li', 'customer', { name: 'Jiaxing Evergreen Paper Co., Ltd.', phone: '057382007777', region: 'east' });
    const planAt = new Date(Date.now() + 86_400_000).toISOString();
    const plan = await submit('Li', 'plan', { customer: customer.id, planAt, method: 'visit', purpose: 'Present the annual maintenance offer' });
    await settle();
    expect(plan.data.owner).toBe(people.Li!.id);
    const instance = await ok(people.Li!.call('GET', `/api/records/${plan.id}/workflow`));
    expect(instance.status).toBe('running');
    expect(await taskFor('Li', plan.id)).toBeUndefined();
    // waiting for the planned time: a delayed job due then
    const timerId = `timer:${instance.id}:delay:${instance.id}-k1`;
    const timer = await h.jobs.get('workflow', timerId);
    expect(timer?.state).toBe('delayed');
    expect(Math.abs(timer!.runAt! - Date.parse(planAt))).toBeLessThan(2000);
    // the time comes (without waiting for it)
    await h.jobs.add('workflow', 'event', { instanceId: instance.id, event: { type: 'delayDone', token: `${instance.id}-k1` } }, { jobId: `due-${plan.id}` });
    await settle();
    const task = await taskFor('Li', plan.id);
    expect(task?.node).toBe('doIt');
    expect((await notes('Li')).some((n) => n.kind === 'task' && n.taskId === task.id)).toBe(true);
    // a day later it is still open: a reminder
    await h.jobs.add('workflow', 'event', { instanceId: instance.id, event: { type: 'timeout', taskId: task.id } }, { jobId: `late-${task.id}` });
    await settle();
    expect((await notes('Li')).some((n) => n.kind === 'reminder' && n.taskId === task.id)).toBe(true);
    await approve('Li', plan.id, { result: 'Offer presented; they compare with one other vendor.' });
    expect((await get('plan', plan.id))).toMatchObject({ status: 'done', data: { result: 'Offer presented; they compare with one other vendor.' } });

    const time = '2026-11-20T02:30:00.000Z';
    await submit('Li', 'followup', { customer: customer.id, method: 'visit', time, content: '拜访采购部，演示年度维保方案', opportunity: 'Annual maintenance', stage: 's3_proposal', expectedAmount: 56000 });
    await settle();
    expect((await get('customer', customer.id)).data).toMatchObject({ lastFollowUp: '2026-11-20', stage: 's3_proposal', expectedAmount: 56000 });
    // a follow-up without a stage leaves the stage as it was
    await submit('Li', 'followup', { customer: customer.id, method: 'phone', time: '2026-11-25T01:00:00.000Z', content: 'Called to confirm the meeting' });
    await settle();
    expect((await get('customer', customer.id)).data).toMatchObject({ lastFollowUp: '2026-11-25', stage: 's3_proposal', expectedAmount: 56000 });
  });

  it('returns customers without a follow-up for 30 days to the public pool on the nightly run and tells the manager', async () => {
    const stale = await submit('Wang', 'customer', { name: '温州瑞安阀门有限公司', phone: '057765008888', region: 'east' });
    const fresh = await submit('Wang', 'customer', { name: 'Shaoxing Keqiao Fabrics Co., Ltd.', phone: '057584009999', region: 'east' });
    const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);
    // the date of the last follow-up is kept by the follow-up records: a rep cannot move it
    const forged = await people.Wang!.call('PATCH', `/api/forms/${form.customer}/records/${stale.id}`, { data: { lastFollowUp: daysAgo(-7) }, version: stale.version });
    expect(forged.status, JSON.stringify(forged.body)).toBe(422);
    expect(forged.body.error.details.fields[0]).toMatchObject({ field: 'lastFollowUp' });
    // the last follow-ups were 30 days ago (due back) and 29 days ago (one day left)
    await ok(h.call('PATCH', `/api/forms/${form.customer}/records/${stale.id}`, { data: { lastFollowUp: daysAgo(30) }, version: stale.version }));
    await ok(h.call('PATCH', `/api/forms/${form.customer}/records/${fresh.id}`, { data: { lastFollowUp: daysAgo(29) }, version: fresh.version }));
    await settle();
    // the 01:00 run comes due now
    await h.jobs.add('automation', 'schedule', { formId: form.customer, automationId: 'backToPool', at: new Date().toISOString() }, { jobId: `nightly-${Date.now()}` });
    await settle();
    const back = (await get('customer', stale.id)).data;
    expect(back.pool).toBe('public');
    expect(back.owner).toBeUndefined();
    expect((await get('customer', fresh.id)).data).toMatchObject({ pool: 'owned', owner: people.Wang!.id });
    expect((await notes('Zhao')).some((n) => n.kind === 'message' && n.recordId === stale.id && /public pool/.test(n.message.en))).toBe(true);
    // it is back in the East pool: Li sees it there and may claim it
    expect((await list(people.Li!.call, 'customer')).some((c) => c.id === stale.id)).toBe(true);
    // the sample customers are all in the pools already, the next run moves nobody else
    const queued = await h.jobs.get('automation', `schedule:${form.customer}:backToPool:${nextRun(1)}`);
    expect(queued?.state).toBe('delayed');
  });

  it('takes a quote through order, contract, payment plan and invoice request, each approved by its owner', async () => {
    const customer = await submit('Li', 'customer', { name: '上海申通智能装备有限公司', phone: '02164001234', region: 'east' });
    const quote = await submit('Li', 'quote', { customer: customer.id, validUntil: '2026-12-31', lines: [{ product: 'MES 软件许可', qty: 10, price: 12000 }, { product: '实施服务', qty: 1, price: 50000 }] });
    expect(quote.data).toMatchObject({ amount: 170000, owner: people.Li!.id, region: 'east' });
    expect(quote.data.no).toMatch(/^QT-\d{8}-\d{3}$/);
    expect(await taskFor('Qian', quote.id)).toBeUndefined();
    await approve('Zhao', quote.id);
    expect((await get('quote', quote.id)).status).toBe('approved');
    expect((await notes('Li')).some((n) => n.kind === 'approved' && n.recordId === quote.id)).toBe(true);

    const [order] = await list(h.call, 'order', byLink('quote', quote.id));
    expect(order.data).toMatchObject({ customer: customer.id, region: 'east', owner: people.Li!.id, amount: 170000, orderDate: new Date().toISOString().slice(0, 10) });
    expect(order.data.lines).toHaveLength(2);
    expect(order.status).toBe('running');
    await approve('Zhao', order.id);

    const [contract] = await list(h.call, 'contract', byLink('order', order.id));
    expect(contract.data).toMatchObject({ customer: customer.id, amount: 170000, owner: people.Li!.id });
    // the manager signs off the terms and the date, then finance reviews
    await approve('Zhao', contract.id, { signDate: '2026-11-28', terms: '签约付30%，验收付70%' });
    expect(await taskFor('Zhao', contract.id)).toBeUndefined();
    await approve('Qian', contract.id);
    expect((await get('contract', contract.id))).toMatchObject({ status: 'approved', data: { signDate: '2026-11-28' } });

    const [plan] = await list(h.call, 'payplan', byLink('contract', contract.id));
    expect(plan.data).toMatchObject({ amount: 170000, customer: customer.id });
    expect(Date.parse(plan.data.dueDate) - Date.parse(new Date().toISOString().slice(0, 10))).toBe(30 * 86_400_000);
    await approve('Qian', plan.id);

    const [invoice] = await list(h.call, 'invoice', byLink('contract', contract.id));
    expect(invoice.data).toMatchObject({ amount: 170000, kind: 'vat_special', owner: people.Li!.id });
    // only the invoice number is finance's to write at this step
    const task = await taskFor('Qian', invoice.id);
    expect((await people.Qian!.call('POST', `/api/tasks/${task.id}/approve`, { data: { amount: 1 } })).status).toBe(422);
    await approve('Qian', invoice.id, { invoiceNo: '31000123' });
    expect((await get('invoice', invoice.id))).toMatchObject({ status: 'approved', data: { invoiceNo: '31000123' } });

    // Li follows the whole chain of his deal, and another rep sees none of it
    for (const [key, id] of [['quote', quote.id], ['order', order.id], ['contract', contract.id], ['payplan', plan.id], ['invoice', invoice.id]] as const) {
      expect((await people.Li!.call('GET', `/api/forms/${form[key]}/records/${id}`)).status, key).toBe(200);
      expect((await people.Wang!.call('GET', `/api/forms/${form[key]}/records/${id}`)).status, key).toBe(404);
      // kept for audit: each step's decision is in the record's timeline
      const steps = (await ok(h.call('GET', `/api/records/${id}/timeline`))).workflow as Json[];
      expect(steps.some((s) => s.kind === 'approved'), key).toBe(true);
    }
  });

  it('approves a return and opens a pick-up work order that customer service closes', async () => {
    const [order] = await list(h.call, 'order', { field: 'amount', op: 'eq', value: 170000 });
    const ret = await submit('Li', 'returns', { order: order.id, customer: order.data.customer, product: 'MES 软件许可', qty: 2, refund: 24000, reason: '客户缩减上线工位' });
    await approve('Zhao', ret.id);
    expect(await list(h.call, 'service', byLink('returnOf', ret.id))).toHaveLength(0);
    await approve('Qian', ret.id);
    expect((await get('returns', ret.id)).status).toBe('approved');
    const [ticket] = await list(h.call, 'service', byLink('returnOf', ret.id));
    expect(ticket.data).toMatchObject({ kind: 'pickup', customer: order.data.customer, description: 'MES 软件许可 × 2: 客户缩减上线工位' });
    expect(ticket.data.no).toMatch(/^FW-/);
    expect((await notes('Sun')).some((n) => n.kind === 'task' && n.recordId === ticket.id)).toBe(true);
    await approve('Sun', ticket.id, { engineer: people.Sun!.id, resolution: '已上门取回2套许可加密狗' });
    expect((await get('service', ticket.id))).toMatchObject({ status: 'closed', data: { engineer: people.Sun!.id } });
    // the rep who raised the return sees its work order
    expect((await people.Li!.call('GET', `/api/forms/${form.service}/records/${ticket.id}`)).status).toBe(200);
  });

  it('shows a sales dashboard whose figures equal a direct computation over the records', async () => {
    const dashboards = (await ok(h.call('GET', `/api/apps/${appId}/dashboards`))).items as Json[];
    expect(dashboards).toHaveLength(1);
    const figuresAs = async (call: Call) => Object.fromEntries(((await ok(call('GET', `/api/dashboards/${dashboards[0].id}/data`))).widgets as Json[]).map((w) => [w.id, w]));
    const sum = (rows: Json[], field: string) => rows.reduce((s, r) => s + (r.data[field] ?? 0), 0);
    const groupSums = (rows: Json[], key: (r: Json) => string | null, field: string) => {
      const out = new Map<string | null, number>();
      for (const r of rows) out.set(key(r), (out.get(key(r)) ?? 0) + (r.data[field] ?? 0));
      return out;
    };
    const seriesOf = (w: Json) => new Map((w.figures.rows as Json[]).map((r) => [r.key, r.values[0]]));

    const w = await figuresAs(h.call);
    const approvedOrders = (await list(h.call, 'order')).filter((o) => o.status === 'approved');
    // the sample's four orders and the one approved above
    expect(approvedOrders).toHaveLength(5);
    expect(w.revenue.figures.values).toEqual([sum(approvedOrders, 'amount'), approvedOrders.length]);
    expect(sum(approvedOrders, 'amount')).toBe(98000 + 260000 + 24000 + 21000 + 170000);
    expect(seriesOf(w.byRegion)).toEqual(groupSums(approvedOrders, (o) => o.data.region ?? null, 'amount'));
    expect(seriesOf(w.byRep)).toEqual(groupSums(approvedOrders, (o) => o.data.owner ?? null, 'amount'));
    expect(seriesOf(w.byRep).get(people.Li!.id)).toBe(170000);
    // the line has a point for every month between the first and the last order; those without orders are 0
    const byMonth = groupSums(approvedOrders, (o) => o.data.orderDate.slice(0, 7), 'amount');
    expect(new Map([...seriesOf(w.byMonth)].filter(([k, v]) => v !== 0 || byMonth.has(k)))).toEqual(byMonth);
    expect([...seriesOf(w.byMonth).keys()]).toEqual([...seriesOf(w.byMonth).keys()].sort());
    const customers = await list(h.call, 'customer');
    const funnel = new Map<string | null, number>();
    for (const c of customers) funnel.set(c.data.stage ?? null, (funnel.get(c.data.stage ?? null) ?? 0) + 1);
    expect(seriesOf(w.funnel)).toEqual(funnel);
    expect((w.funnel.figures.rows as Json[]).map((r) => r.key)).toEqual([...funnel.keys()].sort());
    const approvedContracts = (await list(h.call, 'contract')).filter((c) => c.status === 'approved');
    expect(w.contracts.figures.values).toEqual([sum(approvedContracts, 'amount')]);

    // it refreshes itself: a new approved order shows at once
    const quote = await submit('Chen', 'quote', { customer: (await list(people.Chen!.call, 'customer'))[0].id, lines: [{ product: 'Smart meter', qty: 5, price: 1000 }] });
    await approve('Zhao', quote.id);
    const [order] = await list(h.call, 'order', byLink('quote', quote.id));
    await approve('Zhao', order.id);
    const after = await figuresAs(h.call);
    expect(after.revenue.figures.values).toEqual([sum(approvedOrders, 'amount') + 5000, approvedOrders.length + 1]);
    expect(seriesOf(after.byRep).get(people.Chen!.id)).toBe(5000);

    // a rep's dashboard counts only what the rep may see
    const mine = await figuresAs(people.Li!.call);
    const liOrders = (await list(people.Li!.call, 'order')).filter((o) => o.status === 'approved');
    expect(mine.revenue.figures.values).toEqual([sum(liOrders, 'amount'), liOrders.length]);
    expect(liOrders.every((o) => o.data.owner === people.Li!.id)).toBe(true);
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
