import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { actorOf } from '../plugins/actor.js';
import { AppInputSchema, AppParams, errorReplies } from '../http/schemas.js';

const AppPatchBody = Type.Partial(Type.Object({ ...AppInputSchema.properties, version: Type.Integer({ minimum: 1 }) }), { additionalProperties: false });

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/api/apps', {
    schema: { tags: ['apps'], summary: 'List apps', response: { 200: Type.Object({ items: Type.Array(Type.Ref('App')) }) } },
  }, async (request) => ({ items: await app.apps.list(actorOf(request)) }));

  app.post('/api/apps', {
    schema: { tags: ['apps'], summary: 'Create an app', body: AppInputSchema, response: { 201: Type.Ref('App'), ...errorReplies(400) } },
  }, async (request, reply) => reply.status(201).send(await app.apps.create(request.body, actorOf(request))));

  app.get('/api/apps/:appId', {
    schema: { tags: ['apps'], summary: 'Get an app', params: AppParams, response: { 200: Type.Ref('App'), ...errorReplies(404) } },
  }, async (request) => app.apps.get(request.params.appId, actorOf(request)));

  app.patch('/api/apps/:appId', {
    schema: { tags: ['apps'], summary: 'Change an app (send `version` to guard against concurrent edits)', params: AppParams, body: AppPatchBody, response: { 200: Type.Ref('App'), ...errorReplies(400, 404, 409) } },
  }, async (request) => {
    const { version, ...patch } = request.body;
    return app.apps.update(request.params.appId, patch, version ?? null, actorOf(request));
  });

  app.delete('/api/apps/:appId', {
    schema: { tags: ['apps'], summary: 'Delete an app with its forms and records', params: AppParams, response: { 204: Type.Null(), ...errorReplies(404) } },
  }, async (request, reply) => {
    await app.apps.delete(request.params.appId, actorOf(request));
    return reply.status(204).send(null);
  });
};

export default routes;
