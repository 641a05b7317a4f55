import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { DashboardDefinitionSchema, type DashboardDefinition } from '@trellis/core';
import { AppParams, errorReplies } from '../http/schemas.js';
import { actorOf } from '../plugins/actor.js';
import type { DashboardEntity } from '../store/port.js';

const Id = Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' });
const DashboardParams = Type.Object({ id: Id });
const VersionHeader = Type.Object({ 'if-match': Type.Optional(Type.String({ pattern: '^"?[0-9]{1,9}"?$' })) });
const Definition = Type.Unsafe<DashboardDefinition>({ ...DashboardDefinitionSchema, $id: undefined, description: 'name, dashboard filters and widgets' });
const DashboardReply = Type.Object({
  id: Type.String(), appId: Type.String(), version: Type.Integer(), definition: Type.Unknown(),
  createdBy: Type.Union([Type.String(), Type.Null()]), createdAt: Type.String(), updatedAt: Type.String(),
});
const DataQuery = Type.Object(
  {
    from: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'first day, YYYY-MM-DD (with "to")' })),
    to: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'last day, included' })),
    department: Type.Optional(Id),
  },
  { additionalProperties: false },
);
const DataReply = Type.Object({
  id: Type.String(),
  range: Type.Union([Type.Object({ from: Type.String(), to: Type.String() }), Type.Null()]),
  department: Type.Union([Type.String(), Type.Null()]),
  refreshedAt: Type.String(),
  widgets: Type.Array(Type.Unknown({ description: '{id, type, form, figures} or {id, type, form, error: {code, message}}' })),
});

const reply = (d: DashboardEntity) => ({
  id: d.id, appId: d.appId, version: d.version, definition: d.definition, createdBy: d.createdBy, createdAt: d.createdAt, updatedAt: d.updatedAt,
});

const DEBOUNCE_MS = 500;
const HEARTBEAT_MS = 25_000;

const routes: FastifyPluginAsyncTypebox = async (app) => {
  const streams = new Set<() => void>();
  app.addHook('onClose', async () => {
    for (const end of [...streams]) end();
  });

  app.get('/api/apps/:appId/dashboards', {
    schema: { tags: ['dashboards'], summary: 'Dashboards of an app (those who may open it)', params: AppParams, response: { 200: Type.Object({ items: Type.Array(DashboardReply) }), ...errorReplies(404) } },
  }, async (request) => ({ items: (await app.dashboards.list(actorOf(request), request.params.appId)).map(reply) }));

  app.post('/api/apps/:appId/dashboards', {
    schema: { tags: ['dashboards'], summary: 'Create a dashboard (designers of the app)', params: AppParams, body: Definition, response: { 201: DashboardReply, ...errorReplies(400, 404, 422) } },
  }, async (request, res) => {
    res.code(201);
    return reply(await app.dashboards.create(actorOf(request), request.params.appId, request.body));
  });

  app.get('/api/dashboards/:id', {
    schema: { tags: ['dashboards'], summary: 'A dashboard', params: DashboardParams, response: { 200: DashboardReply, ...errorReplies(404) } },
  }, async (request) => reply(await app.dashboards.get(actorOf(request), request.params.id)));

  app.put('/api/dashboards/:id', {
    schema: {
      tags: ['dashboards'], summary: 'Replace a dashboard (If-Match: <version> guards against concurrent edits)',
      params: DashboardParams, headers: VersionHeader, body: Definition, response: { 200: DashboardReply, ...errorReplies(400, 404, 409, 422) },
    },
  }, async (request) => {
    const ifMatch = request.headers['if-match'];
    return reply(await app.dashboards.update(actorOf(request), request.params.id, request.body, ifMatch ? Number(ifMatch.replaceAll('"', '')) : null));
  });

  app.delete('/api/dashboards/:id', {
    schema: { tags: ['dashboards'], summary: 'Delete a dashboard', params: DashboardParams, response: { 204: Type.Null(), ...errorReplies(404) } },
  }, async (request, res) => {
    await app.dashboards.delete(actorOf(request), request.params.id);
    return res.status(204).send(null);
  });

  app.get('/api/dashboards/:id/data', {
    schema: {
      tags: ['dashboards'], summary: "Every widget's figures as the caller sees them, with the dashboard filters applied",
      params: DashboardParams, querystring: DataQuery, response: { 200: DataReply, ...errorReplies(400, 404) },
    },
  }, async (request) => {
    const { from, to, department } = request.query;
    return app.dashboards.data(actorOf(request), request.params.id, {
      ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}), ...(department !== undefined ? { department } : {}),
    });
  });

  app.get('/api/dashboards/:id/events', {
    schema: {
      tags: ['dashboards'],
      summary: 'Server-Sent Events: `data: {"type":"changed","forms":[formId]}` when records of a form the dashboard reads change (debounced); comments as heartbeat',
      params: DashboardParams, response: { ...errorReplies(404) },
    },
  }, async (request, res) => {
    const actor = actorOf(request);
    const dashboard = await app.dashboards.get(actor, request.params.id);
    const forms = new Set(await app.dashboards.readableForms(actor, dashboard));
    res.hijack();
    const raw = res.raw;
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    raw.write(`retry: 3000\n: ready\n\n`);
    const pending = new Set<string>();
    let timer: NodeJS.Timeout | null = null;
    const flush = () => {
      timer = null;
      if (pending.size === 0) return;
      const changed = [...pending].sort();
      pending.clear();
      raw.write(`data: ${JSON.stringify({ type: 'changed', forms: changed })}\n\n`);
    };
    const unsubscribe = app.dashboardBus.subscribe((formId) => {
      if (!forms.has(formId)) return;
      pending.add(formId);
      timer ??= setTimeout(flush, DEBOUNCE_MS);
    });
    const heartbeat = setInterval(() => raw.write(': ping\n\n'), HEARTBEAT_MS);
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      unsubscribe();
      clearInterval(heartbeat);
      if (timer) clearTimeout(timer);
      streams.delete(end);
      raw.end();
    };
    streams.add(end);
    request.raw.on('close', end);
    raw.on('close', end);
  });
};

export default routes;
