import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteKeys, requireRedis, TEST_REDIS_URL, uniquePrefix } from '@trellis/server/jobs/bullmq/redis-test-support';
import { http, startServerProcess, type ServerProcess } from '../support/process.js';

// The built server is killed outright (SIGKILL) in the middle of workflow work and started
// again on the same data: every action takes effect once, no task and no timer is lost.
// The same on the embedded job runner and on BullMQ with a real Redis.

const DRIVERS = {
  embedded: (): Record<string, string> => ({}),
  bullmq: (): Record<string, string> => ({ REDIS_URL: TEST_REDIS_URL, TRELLIS_REDIS_PREFIX: uniquePrefix('crash') }),
};

const title = { key: 'title', type: 'text', label: 'Title', required: true };

/** Polls `fn` until it returns something truthy, and returns that; fails after `timeoutMs` with `what`. */
async function until<T>(fn: () => Promise<T> | T, timeoutMs: number, what = 'the condition'): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`${what} did not hold within ${timeoutMs} ms (last: ${JSON.stringify(v)})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A webhook receiver that never answers the first delivery (its sender is killed meanwhile) and accepts the rest. */
async function startReceiver() {
  const deliveries: string[] = [];
  const server = createServer((req, res) => {
    deliveries.push(String(req.headers['x-trellis-delivery'] ?? ''));
    req.resume();
    if (deliveries.length === 1) return; // held open until the connection dies with the server
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    deliveries,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

describe.each(Object.keys(DRIVERS) as (keyof typeof DRIVERS)[])('the server is killed mid-workflow and restarted (%s jobs)', (driver) => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'trellis-crash-'));
  // one prefix for every start of this driver's server: the restarted one must see the same queues
  const env: Record<string, string> = { DATA_DIR: dataDir, TRELLIS_JOB_LEASE_MS: '1000', TRELLIS_JOB_BACKOFF_MS: '200', ...DRIVERS[driver]() };
  let server: ServerProcess | null = null;
  let token = '';
  let adminId = '';
  let appId = '';
  const receivers: { close(): Promise<void> }[] = [];

  const api = (method: string, url: string, body?: unknown) => http(server!.url, method, url, body, token);
  /** SIGKILL: no graceful shutdown, no drained jobs, whatever was in flight is cut off */
  const crashAndRestart = async (beforeStart?: () => Promise<unknown>) => {
    await server?.stop('SIGKILL');
    server = null;
    await beforeStart?.();
    server = await startServerProcess(env);
  };

  async function form(definition: object): Promise<string> {
    const r = await api('POST', `/api/apps/${appId}/forms`, definition);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect((await api('POST', `/api/forms/${r.body.id}/publish`)).status).toBe(200);
    return r.body.id;
  }
  async function publishFlow(formId: string, flow: object) {
    const saved = await api('PUT', `/api/forms/${formId}/workflow`, flow);
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    const published = await api('POST', `/api/forms/${formId}/workflow/publish`);
    expect(published.status, JSON.stringify(published.body)).toBe(200);
  }
  async function submit(formId: string, data: object): Promise<{ id: string }> {
    const r = await api('POST', `/api/forms/${formId}/records`, { data });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body;
  }
  const instanceOf = async (recordId: string) => {
    const r = await api('GET', `/api/records/${recordId}/workflow`);
    return r.status === 200 ? (r.body as { id: string; status: string; error: unknown }) : null;
  };
  const completed = (recordId: string, timeoutMs: number) =>
    until(async () => (await instanceOf(recordId))?.status === 'completed', timeoutMs, `the workflow of ${recordId} completing`);
  const recordStatus = async (formId: string, recordId: string) => (await api('GET', `/api/forms/${formId}/records/${recordId}`)).body.status as string;

  beforeAll(async () => {
    if (driver === 'bullmq') await requireRedis();
    server = await startServerProcess(env);
    // the first sign-in is used throughout: sessions live in DATA_DIR and survive the kills
    token = server.token;
    expect(token).not.toBe('');
    adminId = (await api('GET', '/api/auth/me')).body.user.id;
    appId = (await api('POST', '/api/apps', { name: 'Crash' })).body.id;
  });
  afterAll(async () => {
    await server?.stop('SIGKILL');
    await Promise.all(receivers.map((r) => r.close()));
    rmSync(dataDir, { recursive: true, force: true });
    const prefix = env.TRELLIS_REDIS_PREFIX;
    if (prefix) await deleteKeys(TEST_REDIS_URL, prefix);
  });

  it('killed while a webhook is in flight: the record the earlier action created is not created again, and the webhook is redelivered with the same key', async () => {
    const hook = await startReceiver();
    receivers.push(hook);
    const orderForm = await form({ name: 'Order', fields: [title] });
    const copyForm = await form({ name: 'Order copy', fields: [title, { key: 'source', type: 'text', label: 'Source order' }] });
    await publishFlow(orderForm, {
      nodes: [
        { id: 'start', type: 'start' },
        { id: 'copy', type: 'action', action: { type: 'createRecord', form: copyForm, values: { title: { var: 'title' }, source: { var: 'record.id' } } } },
        { id: 'tell', type: 'action', action: { type: 'webhook', url: hook.url } },
        { id: 'end', type: 'end', status: 'approved' },
      ],
      edges: [{ from: 'start', to: 'copy' }, { from: 'copy', to: 'tell' }, { from: 'tell', to: 'end' }],
    });
    const copies = async () => (await api('GET', `/api/forms/${copyForm}/records?count=true`)).body as { total: number; items: { data: { source: string } }[] };

    const order = await submit(orderForm, { title: 'Crash me' });
    await until(() => hook.deliveries.length > 0, 10_000, 'the first webhook delivery');
    // the createRecord step is done and the webhook hangs: now the process dies
    expect((await copies()).total).toBe(1);
    await crashAndRestart();

    // the webhook job's lease (1 s) runs out, it runs again and the flow goes on to its end
    await completed(order.id, 15_000);
    expect(await recordStatus(orderForm, order.id)).toBe('approved');
    const after = await copies();
    expect(after.total).toBe(1);
    expect(after.items[0]!.data.source).toBe(order.id);
    // at least once, and every delivery has one key the receiver can drop repeats by
    expect(hook.deliveries.length).toBeGreaterThanOrEqual(2);
    expect(new Set(hook.deliveries).size).toBe(1);
    expect(hook.deliveries[0]).toContain((await instanceOf(order.id))!.id);
  });

  it('killed right after a submit: the approval task is there after the restart, once, and approving it completes the flow', async () => {
    const leave = await form({ name: 'Leave', fields: [title] });
    await publishFlow(leave, {
      nodes: [
        { id: 'start', type: 'start' },
        { id: 'approve', type: 'approval', assignees: [{ type: 'users', users: [adminId] }], mode: 'any' },
        { id: 'end', type: 'end', status: 'approved' },
      ],
      edges: [{ from: 'start', to: 'approve' }, { from: 'approve', to: 'end' }],
    });
    const request = await submit(leave, { title: 'Two days off' });
    await crashAndRestart();

    const tasksOfRecord = async () => ((await api('GET', '/api/tasks')).body.items as { id: string; recordId: string; node: string }[]).filter((t) => t.recordId === request.id);
    const [task] = await until(async () => {
      const mine = await tasksOfRecord();
      return mine.length > 0 ? mine : null;
    }, 10_000, 'the approval task');
    expect(task!.node).toBe('approve');
    expect(await tasksOfRecord()).toHaveLength(1);
    const approved = await api('POST', `/api/tasks/${task!.id}/approve`, { comment: 'ok' });
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    await completed(request.id, 5_000);
    expect(await recordStatus(leave, request.id)).toBe('approved');
  });

  it('killed while a delay waits: after a restart past its time the flow goes on by itself', async () => {
    const reminder = await form({ name: 'Reminder', fields: [title, { key: 'due', type: 'datetime', label: 'Due' }] });
    await publishFlow(reminder, {
      nodes: [
        { id: 'start', type: 'start' },
        { id: 'wait', type: 'delay', until: 'due' },
        { id: 'end', type: 'end', status: 'approved' },
      ],
      edges: [{ from: 'start', to: 'wait' }, { from: 'wait', to: 'end' }],
    });
    const due = Date.now() + 4000;
    const rec = await submit(reminder, { title: 'Ring', due: new Date(due).toISOString() });
    expect((await instanceOf(rec.id))?.status).toBe('running');
    // the server is down when the timer comes due
    await crashAndRestart(() => until(() => Date.now() > due + 500, 10_000, 'the due time passing'));

    const restartedAt = Date.now();
    await completed(rec.id, 8_000);
    expect(Date.now() - restartedAt).toBeLessThan(8_000);
    expect(await recordStatus(reminder, rec.id)).toBe('approved');
  });
});
