import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';

// Supplier registration fills company facts and risk flags from the business registry (a local
// HTTP server plays the provider), and purchasing is told of each new supplier by a notify action.

const COMPANIES = [
  {
    creditCode: '91310000MA1FL8XQ3K', name: '上海华东精密零件有限公司', legalRepresentative: '王建国', registeredCapital: 5_000_000,
    foundedOn: '2012-06-18', status: '存续', address: '上海市嘉定区安亭镇墨玉路 88 号', businessScope: '精密机械零部件制造',
    risks: [{ type: 'lawsuit', level: 'medium', text: '买卖合同纠纷 1 起', date: '2025-03-02' }],
  },
  { creditCode: '91440300MA5G0X7Y1P', name: 'Shenzhen Closed Trading Co.', status: 'revoked' },
  { creditCode: '91110108MA01ABCD2E', name: '北京清白科技有限公司', legalRepresentative: '李清', registeredCapital: 1_000_000, foundedOn: '2019-01-09', status: '存续' },
];

const supplierForm = {
  name: { en: 'Supplier registration', zh: '供应商注册' },
  fields: [
    { key: 'company', type: 'text', label: { en: 'Company', zh: '企业名称' }, required: true },
    { key: 'legal_rep', type: 'text', label: 'Legal representative' },
    { key: 'capital', type: 'money', label: 'Registered capital' },
    { key: 'founded', type: 'date', label: 'Founded' },
    { key: 'reg_status', type: 'text', label: 'Registration status' },
    { key: 'risk', type: 'select', label: 'Risk', options: ['none', 'low', 'medium', 'high'] },
    { key: 'risks', type: 'textarea', label: 'Risk flags' },
    { key: 'found', type: 'checkbox', label: 'Found in the registry' },
    { key: 'buyer', type: 'member', label: 'Buyer' },
  ],
};

describe('company lookups and notifications', () => {
  let h: Harness;
  let plain: Harness;
  let provider: Server;
  let url = '';
  const asked: { q: string; auth: string | undefined }[] = [];
  let failing = false;
  let garbled = false;
  let suppliers = '';
  let buyerId = '';
  let buyerToken = '';
  let purchasingIds: string[] = [];
  let purchasingToken = '';

  const settle = () => h.jobs.drain('automation', 3000);

  beforeAll(async () => {
    provider = createServer((req, res) => {
      const u = new URL(req.url ?? '/', 'http://x');
      const q = u.searchParams.get('q') ?? '';
      asked.push({ q, auth: req.headers.authorization });
      if (req.headers.authorization !== 'Bearer registry-token') return void res.writeHead(401).end();
      if (failing) return void res.writeHead(503).end();
      if (u.pathname !== '/v1/companies') return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': 'application/json' });
      if (garbled) return void res.end(JSON.stringify({ items: [{ name: 'no credit code' }] }));
      const items = COMPANIES.filter((c) => c.creditCode === q || c.name.includes(q));
      res.end(JSON.stringify({ items }));
    });
    await new Promise<void>((resolve) => provider.listen(0, '127.0.0.1', resolve));
    const addr = provider.address();
    url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/v1/`;
    h = await startHarness({ TRELLIS_REGISTRY_URL: url, TRELLIS_REGISTRY_TOKEN: 'registry-token', TRELLIS_JOB_BACKOFF_MS: '50' });
    plain = await startHarness();

    const app = (await h.call('POST', '/api/apps', { name: { en: 'Suppliers', zh: '供应商' } })).body.id;
    suppliers = (await h.call('POST', `/api/apps/${app}/forms`, supplierForm)).body.id;
    expect((await h.call('POST', `/api/forms/${suppliers}/publish`)).status).toBe(200);
    const role = await h.call('POST', '/api/roles', { name: 'Purchasing', forms: { [suppliers]: { actions: ['view'] } } });
    expect(role.status, JSON.stringify(role.body)).toBe(201);
    const person = async (name: string, roles: string[] = []) => {
      const email = `${name.toLowerCase()}@example.com`;
      const u = await h.call('POST', '/api/users', { email, name, password: 'password-123', roles });
      expect(u.status, JSON.stringify(u.body)).toBe(201);
      return { id: u.body.id as string, token: await h.login(email, 'password-123') };
    };
    const pam = await person('Pam', [role.body.id]);
    const paul = await person('Paul', [role.body.id]);
    const bea = await person('Bea');
    purchasingIds = [pam.id, paul.id];
    purchasingToken = pam.token;
    buyerId = bea.id;
    buyerToken = bea.token;

    const flow = {
      nodes: [], edges: [],
      automations: [
        {
          id: 'registry', on: { event: 'created' },
          actions: [{
            type: 'lookupCompany', query: { var: 'company' },
            set: { legal_rep: 'legalRepresentative', capital: 'registeredCapital', founded: 'foundedOn', reg_status: 'status', risk: 'riskLevel', risks: 'risks', found: 'found' },
          }],
        },
        {
          id: 'tell', on: { event: 'created' },
          actions: [
            { type: 'notify', to: [{ type: 'role', role: role.body.id }], message: { en: 'New supplier {company} to review', zh: '新供应商 {company} 待审核' } },
            { type: 'notify', to: [{ type: 'field', field: 'buyer' }, { type: 'role', role: role.body.id }], message: 'You buy from {company}' },
          ],
        },
      ],
    };
    expect((await h.call('PUT', `/api/forms/${suppliers}/workflow`, flow)).status).toBe(200);
    const published = await h.call('POST', `/api/forms/${suppliers}/workflow/publish`);
    expect(published.status, JSON.stringify(published.body)).toBe(200);
  });
  afterAll(async () => {
    await h?.close();
    await plain?.close();
    provider?.close();
  });

  it('a registered supplier gets its company facts and risk flags from the registry', async () => {
    const created = await h.call('POST', `/api/forms/${suppliers}/records`, { data: { company: '上海华东精密零件有限公司' } });
    expect(created.status).toBe(201);
    await settle();
    const r = (await h.call('GET', `/api/forms/${suppliers}/records/${created.body.id}`)).body;
    expect(r.data).toMatchObject({
      company: '上海华东精密零件有限公司', legal_rep: '王建国', capital: 5_000_000, founded: '2012-06-18', reg_status: '存续',
      risk: 'medium', risks: '[medium] lawsuit: 买卖合同纠纷 1 起 (2025-03-02)', found: true,
    });
    expect(asked.at(-1)).toEqual({ q: '上海华东精密零件有限公司', auth: 'Bearer registry-token' });
    // the change is in the record's history, made by the system
    const timeline = await h.call('GET', `/api/records/${created.body.id}/timeline`);
    expect(JSON.stringify(timeline.body)).toContain('legal_rep');
  });

  it('a credit code finds the company too; a company that no longer trades is high risk; an unknown one is marked not found', async () => {
    const byCode = (await h.call('POST', `/api/forms/${suppliers}/records`, { data: { company: '91440300MA5G0X7Y1P' } })).body;
    const unknown = (await h.call('POST', `/api/forms/${suppliers}/records`, { data: { company: 'Nobody Ltd', legal_rep: 'typed by hand' } })).body;
    await settle();
    const a = (await h.call('GET', `/api/forms/${suppliers}/records/${byCode.id}`)).body.data;
    expect(a).toMatchObject({ reg_status: 'revoked', risk: 'high', found: true });
    expect(a.legal_rep ?? null).toBeNull();
    const b = (await h.call('GET', `/api/forms/${suppliers}/records/${unknown.id}`)).body.data;
    expect(b.found).toBe(false);
    expect(b.legal_rep ?? null).toBeNull();
  });

  it('purchasing and the buyer are notified with the company in the message, once each', async () => {
    const created = (await h.call('POST', `/api/forms/${suppliers}/records`, { data: { company: '北京清白科技有限公司', buyer: buyerId } })).body;
    await settle();
    const mine = async (token: string) =>
      ((await h.as(token)('GET', '/api/notifications')).body.items as { kind: string; recordId: string; message?: unknown }[]).filter((n) => n.recordId === created.id);
    const pam = await mine(purchasingToken);
    expect(pam.map((n) => n.kind)).toEqual(['message', 'message']);
    expect(pam.map((n) => n.message)).toEqual(expect.arrayContaining([
      { en: 'New supplier 北京清白科技有限公司 to review', zh: '新供应商 北京清白科技有限公司 待审核' },
      'You buy from 北京清白科技有限公司',
    ]));
    expect((await mine(buyerToken)).map((n) => n.message)).toEqual(['You buy from 北京清白科技有限公司']);
    expect(purchasingIds).toHaveLength(2);
    // a notify action run again (a retry after a crash) sends nothing new
    const failedBefore = await h.jobs.failed('automation');
    expect(failedBefore.filter((j) => JSON.stringify(j.data).includes(created.id))).toEqual([]);
  });

  it('a registry that fails is tried again; the supplier is saved all the same', async () => {
    failing = true;
    const created = await h.call('POST', `/api/forms/${suppliers}/records`, { data: { company: '北京清白科技有限公司' } });
    expect(created.status).toBe(201);
    setTimeout(() => (failing = false), 120);
    await settle();
    const r = (await h.call('GET', `/api/forms/${suppliers}/records/${created.body.id}`)).body.data;
    expect(r).toMatchObject({ legal_rep: '李清', risk: 'none', found: true });
  });

  it('the live lookup answers signed-in users with the risk level, and says clearly when the provider fails', async () => {
    const found = await h.as(buyerToken)('GET', `/api/connectors/company-registry?q=${encodeURIComponent('精密')}`);
    expect(found.status).toBe(200);
    expect(found.body.items).toHaveLength(1);
    expect(found.body.items[0]).toMatchObject({ creditCode: '91310000MA1FL8XQ3K', riskLevel: 'medium' });
    expect((await h.as('')('GET', '/api/connectors/company-registry?q=x')).status).toBe(401);
    expect((await h.call('GET', '/api/connectors/company-registry')).status).toBe(400);
    expect((await h.call('GET', `/api/connectors/company-registry?q=${'x'.repeat(301)}`)).status).toBe(400);
    failing = true;
    const down = await h.call('GET', '/api/connectors/company-registry?q=x');
    failing = false;
    expect(down.status).toBe(502);
    expect(down.body.error).toEqual({ code: 'UPSTREAM_FAILED', message: 'The business registry answered 503' });
    garbled = true;
    const bad = await h.call('GET', '/api/connectors/company-registry?q=x');
    garbled = false;
    expect(bad.status).toBe(502);
    expect(bad.body.error.message).toMatch(/does not fit the interface/);
    const off = await plain.call('GET', '/api/connectors/company-registry?q=x');
    expect(off.status).toBe(503);
    expect(off.body.error.code).toBe('NOT_CONFIGURED');
  });

  it('publishing refuses a lookup that writes a computed or missing field, and a message naming an unknown field', async () => {
    const flow = {
      nodes: [], edges: [],
      automations: [{
        id: 'bad', on: { event: 'created' },
        actions: [
          { type: 'lookupCompany', query: { var: 'company' }, set: { nope: 'name', found: 'status' } },
          { type: 'notify', to: [{ type: 'field', field: 'company' }], message: 'Hi {ghost}' },
        ],
      }],
    };
    expect((await h.call('PUT', `/api/forms/${suppliers}/workflow`, flow)).status).toBe(200);
    const published = await h.call('POST', `/api/forms/${suppliers}/workflow/publish`);
    expect(published.status).toBe(422);
    expect(published.body.error.details.problems.map((p: { message: string }) => p.message)).toEqual([
      'Automation "bad": the lookup writes "nope", which the form does not have',
      'Automation "bad": the company\'s status goes into a text or textarea field; "found" is a checkbox field',
      'Automation "bad": "company" is not a member field of the form',
      'Automation "bad": the message names {ghost}, which the form does not have',
    ]);
  });
});
