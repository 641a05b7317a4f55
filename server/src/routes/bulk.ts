import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { actorOf } from '../plugins/actor.js';
import { errorReplies, FormParams } from '../http/schemas.js';

// Bulk edit and delete of selected records: each record goes through the single-record path
// (permissions, rules, validation, history), and the reply says per record what happened.

const Ids = Type.Array(Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' }), { minItems: 1, maxItems: 500, description: 'record ids (1 to 500)' });

const Failure = Type.Object({
  id: Type.String(),
  status: Type.Integer({ description: 'what the single-record route would answer: 403, 404, 409, 422…' }),
  code: Type.String(),
  message: Type.String(),
  fields: Type.Optional(Type.Unknown({ description: 'field errors, as in a 422' })),
});

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/api/forms/:formId/records/bulk-update', {
    schema: {
      tags: ['records'],
      summary: 'Set the same fields on several records (each as one PATCH at its current version)',
      params: FormParams,
      body: Type.Object({ ids: Ids, data: Type.Record(Type.String(), Type.Unknown(), { description: 'field: value' }) }, { additionalProperties: false }),
      response: {
        200: Type.Object({ updated: Type.Array(Type.Object({ id: Type.String(), version: Type.Integer() })), failed: Type.Array(Failure) }),
        ...errorReplies(400, 404, 422),
      },
    },
  }, async (request) => app.records.bulkUpdate(request.params.formId, request.body.ids, request.body.data, actorOf(request)));

  app.post('/api/forms/:formId/records/bulk-delete', {
    schema: {
      tags: ['records'],
      summary: 'Delete several records (each recorded in its history)',
      params: FormParams,
      body: Type.Object({ ids: Ids }, { additionalProperties: false }),
      response: { 200: Type.Object({ deleted: Type.Array(Type.String()), failed: Type.Array(Failure) }), ...errorReplies(400, 404) },
    },
  }, async (request) => app.records.bulkDelete(request.params.formId, request.body.ids, actorOf(request)));
};

export default routes;
