import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorReplies } from '../http/schemas.js';
import { actorOf } from '../plugins/actor.js';
import type { ApiKeyEntity } from '../store/port.js';

const ApiKeySchema = Type.Object({ id: Type.String(), userId: Type.String(), name: Type.String(), createdAt: Type.String() });
const keyReply = (k: ApiKeyEntity) => ({ id: k.id, userId: k.userId, name: k.name, createdAt: k.createdAt });

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/api/api-keys', {
    schema: {
      tags: ['auth'], summary: 'Your API keys (administrators may pass ?userId=)',
      querystring: Type.Object({ userId: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' })) }, { additionalProperties: false }),
      response: { 200: Type.Object({ items: Type.Array(ApiKeySchema) }) },
    },
  }, async (request) => ({ items: (await app.auth.apiKeys(actorOf(request), request.query.userId)).map(keyReply) }));

  app.post('/api/api-keys', {
    schema: {
      tags: ['auth'], summary: 'Create an API key (with your current password); `key` is shown this once (send it as "Authorization: Bearer <key>" or "X-API-Key")',
      body: Type.Object({ name: Type.String({ minLength: 1, maxLength: 100 }), password: Type.String({ minLength: 1, maxLength: 200, description: 'your current password' }) }, { additionalProperties: false }),
      response: { 201: Type.Object({ ...ApiKeySchema.properties, key: Type.String() }), ...errorReplies(400) },
    },
  }, async (request, reply) => {
    const { entity, key } = await app.auth.createApiKey(actorOf(request), request.body.name, request.body.password);
    return reply.status(201).send({ ...keyReply(entity), key });
  });

  app.delete('/api/api-keys/:keyId', {
    schema: { tags: ['auth'], summary: 'Revoke an API key', params: Type.Object({ keyId: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' }) }), response: { 204: Type.Null(), ...errorReplies(404) } },
  }, async (request, reply) => {
    await app.auth.revokeApiKey(actorOf(request), request.params.keyId);
    return reply.status(204).send(null);
  });
};

export default routes;
