import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorReplies } from '../http/schemas.js';
import { actorOf } from '../plugins/actor.js';

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/api/audit', {
    schema: {
      tags: ['organisation'], summary: 'Security events, newest first (administrators)',
      querystring: Type.Object({
        limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,3}$' })),
        before: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' })),
        actorId: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' })),
      }, { additionalProperties: false }),
      response: { 200: Type.Object({ items: Type.Array(Type.Ref('AuditEntry')), next: Type.Union([Type.String(), Type.Null()]) }), ...errorReplies(400) },
    },
  }, async (request) => {
    const actor = actorOf(request);
    app.access.requireAdmin(actor);
    const limit = Math.min(Math.max(Number(request.query.limit ?? 100), 1), 500);
    const items = await app.audit.list({ limit, ...request.query.before ? { before: request.query.before } : {}, ...request.query.actorId ? { actorId: request.query.actorId } : {} });
    return { items, next: items.length === limit ? items.at(-1)!.id : null };
  });
};

export default routes;
