import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { RoleInputSchema } from '@trellis/core';
import { errorReplies } from '../http/schemas.js';
import { actorOf } from '../plugins/actor.js';

const RoleParams = Type.Object({ roleId: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' }) });
const RolePatchBody = Type.Partial(Type.Object({ ...RoleInputSchema.properties, version: Type.Integer({ minimum: 1 }) }), { additionalProperties: false });

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/api/roles', {
    schema: {
      tags: ['organisation'], summary: 'Roles you may see (all for administrators; your own; those of apps you design)',
      querystring: Type.Object({ appId: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' })) }, { additionalProperties: false }),
      response: { 200: Type.Object({ items: Type.Array(Type.Ref('Role')) }) },
    },
  }, async (request) => ({ items: await app.roles.list(actorOf(request), request.query.appId) }));

  app.post('/api/roles', {
    schema: {
      tags: ['organisation'], summary: 'Create a role: workspace roles (administrators) or app roles (the app’s designers too)',
      body: RoleInputSchema, response: { 201: Type.Ref('Role'), ...errorReplies(400, 422) },
    },
  }, async (request, reply) => reply.status(201).send(await app.roles.create(actorOf(request), request.body)));

  app.get('/api/roles/:roleId', {
    schema: { tags: ['organisation'], summary: 'A role', params: RoleParams, response: { 200: Type.Ref('Role'), ...errorReplies(404) } },
  }, async (request) => app.roles.get(actorOf(request), request.params.roleId));

  app.patch('/api/roles/:roleId', {
    schema: { tags: ['organisation'], summary: 'Change a role; it applies to its members at once', params: RoleParams, body: RolePatchBody, response: { 200: Type.Ref('Role'), ...errorReplies(400, 404, 409, 422) } },
  }, async (request) => app.roles.update(actorOf(request), request.params.roleId, request.body));

  app.delete('/api/roles/:roleId', {
    schema: { tags: ['organisation'], summary: 'Delete a role and take it from its members', params: RoleParams, response: { 204: Type.Null(), ...errorReplies(404) } },
  }, async (request, reply) => {
    await app.roles.delete(actorOf(request), request.params.roleId);
    return reply.status(204).send(null);
  });
};

export default routes;
