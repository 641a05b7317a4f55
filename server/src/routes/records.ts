import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AggregateQuerySchema, LabelSchema, ListQuerySchema, TrellisError, type ListQuery } from '@trellis/core';
import { actorOf } from '../plugins/actor.js';
import { errorReplies, FormParams, RECORD_REPLY, RecordIdParams, RecordInputSchema, RecordParams, RecordPatchSchema } from '../http/schemas.js';


const ListReply = Type.Object({
  items: Type.Array(Type.Ref('Record')),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
  total: Type.Optional(Type.Integer()),
});

const ListQueryString = Type.Object(
  {
    filter: Type.Optional(Type.String({ maxLength: 20000, description: 'JSON filter, e.g. {"field":"amount","op":"gt","value":100}' })),
    sort: Type.Optional(Type.String({ maxLength: 2000, description: 'JSON sort array, or "-createdAt,amount" (leading - = descending)' })),
    limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,4}$' })),
    cursor: Type.Optional(Type.String({ maxLength: 4000 })),
    count: Type.Optional(Type.Union([Type.Literal('true'), Type.Literal('false')])),
  },
  { additionalProperties: false },
);

function parseJsonParam(name: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new TrellisError('INVALID_QUERY', `Query parameter "${name}" is not valid JSON`, { parameter: name });
  }
}

/** `?sort=` takes the JSON sort array or the short form `-createdAt,amount`. */
function parseSort(text: string): unknown {
  if (text.trimStart().startsWith('[')) return parseJsonParam('sort', text);
  return text.split(',').filter(Boolean).map((part) => (part.startsWith('-') ? { field: part.slice(1), dir: 'desc' } : { field: part, dir: 'asc' }));
}

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/api/forms/:formId/records', {
    ...RECORD_REPLY,
    schema: { tags: ['records'], summary: 'Submit a record', params: FormParams, body: RecordInputSchema, response: { 201: Type.Ref('Record'), ...errorReplies(400, 404, 409, 422) } },
  }, async (request, reply) => reply.status(201).send(await app.records.create(request.params.formId, request.body.data, actorOf(request))));

  app.get('/api/forms/:formId/records', {
    ...RECORD_REPLY,
    schema: { tags: ['records'], summary: 'List records (filter, sort, cursor page)', params: FormParams, querystring: ListQueryString, response: { 200: ListReply, ...errorReplies(400, 404, 409) } },
  }, async (request) => {
    const q = request.query;
    const query: ListQuery = {};
    if (q.filter) query.filter = parseJsonParam('filter', q.filter) as ListQuery['filter'];
    if (q.sort) query.sort = parseSort(q.sort) as ListQuery['sort'];
    if (q.limit) query.limit = Number(q.limit);
    if (q.cursor) query.cursor = q.cursor;
    if (q.count) query.count = q.count === 'true';
    return app.records.list(request.params.formId, query, actorOf(request));
  });

  app.post('/api/forms/:formId/records/query', {
    ...RECORD_REPLY,
    schema: { tags: ['records'], summary: 'List records with the query in the body', params: FormParams, body: ListQuerySchema, response: { 200: ListReply, ...errorReplies(400, 404, 409) } },
  }, async (request) => app.records.list(request.params.formId, request.body as ListQuery, actorOf(request)));

  app.post('/api/forms/:formId/aggregate', {
    schema: {
      tags: ['records'], summary: 'Group and aggregate records', params: FormParams, body: AggregateQuerySchema,
      response: { 200: Type.Object({ rows: Type.Array(Type.Object({ group: Type.Record(Type.String(), Type.Unknown()), values: Type.Record(Type.String(), Type.Union([Type.Number(), Type.String(), Type.Null()])) })) }), ...errorReplies(400, 404, 409) },
    },
  }, async (request) => app.records.aggregate(request.params.formId, request.body, actorOf(request)));

  app.get('/api/forms/:formId/records/:recordId', {
    ...RECORD_REPLY,
    schema: { tags: ['records'], summary: 'Get a record', params: RecordParams, response: { 200: Type.Ref('Record'), ...errorReplies(404) } },
  }, async (request) => app.records.get(request.params.formId, request.params.recordId, actorOf(request)));

  app.patch('/api/forms/:formId/records/:recordId', {
    ...RECORD_REPLY,
    schema: { tags: ['records'], summary: 'Change a record (send the version you read)', params: RecordParams, body: RecordPatchSchema, response: { 200: Type.Ref('Record'), ...errorReplies(400, 404, 409, 422) } },
  }, async (request) => app.records.update(request.params.formId, request.params.recordId, request.body.data, request.body.version, actorOf(request)));

  app.delete('/api/forms/:formId/records/:recordId', {
    schema: { tags: ['records'], summary: 'Delete a record', params: RecordParams, response: { 204: Type.Null(), ...errorReplies(404) } },
  }, async (request, reply) => {
    await app.records.delete(request.params.formId, request.params.recordId, actorOf(request));
    return reply.status(204).send(null);
  });

  app.get('/api/records/:recordId/timeline', {
    schema: { tags: ['records'], summary: "A record's history: who changed which fields when", params: RecordIdParams, response: {
      200: Type.Object({
        items: Type.Array(Type.Ref('HistoryEntry')),
        workflow: Type.Array(Type.Object({
          id: Type.String(), node: Type.String(), nodeName: Type.Union([LabelSchema, Type.Null()]), kind: Type.String(), by: Type.Union([Type.String(), Type.Null()]), comment: Type.Union([Type.String(), Type.Null()]),
          taskId: Type.Union([Type.String(), Type.Null()]), at: Type.String(), changes: Type.Array(Type.Object({ field: Type.String(), from: Type.Unknown(), to: Type.Unknown() })),
        }), { description: 'workflow steps: who did what at which node, with comments and the field changes made there' }),
      }),
      ...errorReplies(404),
    } },
  }, async (request) => {
    const actor = actorOf(request);
    // the timeline checks that the caller may read the record
    const items = await app.records.timeline(request.params.recordId, actor);
    const hidden = items[0] ? await app.records.hiddenFor(items[0].formId, actor) : new Set<string>();
    return { items, workflow: await app.taskViews.steps(request.params.recordId, hidden) };
  });
};

export default routes;
