import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { UserInputSchema } from '@trellis/core';
import { errorReplies } from '../http/schemas.js';
import { actorOf } from '../plugins/actor.js';

const UserParams = Type.Object({ userId: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' }) });
const UserPatchBody = Type.Partial(Type.Object({ ...UserInputSchema.properties, version: Type.Integer({ minimum: 1 }) }), { additionalProperties: false });

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/api/users', {
    schema: { tags: ['organisation'], summary: 'Users (administrators see everything; colleagues see names and departments)', response: { 200: Type.Object({ items: Type.Array(Type.Ref('User')) }) } },
  }, async (request) => ({ items: await app.users.list(actorOf(request)) }));

  app.post('/api/users', {
    schema: { tags: ['organisation'], summary: 'Create a user (administrators)', body: UserInputSchema, response: { 201: Type.Ref('User'), ...errorReplies(400, 409, 422) } },
  }, async (request, reply) => reply.status(201).send(await app.users.create(actorOf(request), request.body)));

  app.get('/api/users/:userId', {
    schema: { tags: ['organisation'], summary: 'A user', params: UserParams, response: { 200: Type.Ref('User'), ...errorReplies(404) } },
  }, async (request) => app.users.get(actorOf(request), request.params.userId));

  app.patch('/api/users/:userId', {
    schema: {
      tags: ['organisation'], summary: 'Change a user: name, e-mail, password, departments, roles, admin, partner, status (administrators)',
      description: 'Disabling a user or setting a password ends their sessions at once.',
      params: UserParams, body: UserPatchBody, response: { 200: Type.Ref('User'), ...errorReplies(400, 404, 409, 422) },
    },
  }, async (request) => app.users.update(actorOf(request), request.params.userId, request.body));

  app.delete('/api/users/:userId', {
    schema: { tags: ['organisation'], summary: 'Disable a user (records keep naming them)', params: UserParams, response: { 200: Type.Ref('User'), ...errorReplies(404, 409) } },
  }, async (request) => app.users.disable(actorOf(request), request.params.userId));
};

export default routes;
