import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { DepartmentInputSchema } from '@trellis/core';
import { errorReplies } from '../http/schemas.js';
import { actorOf } from '../plugins/actor.js';

const DeptParams = Type.Object({ departmentId: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' }) });
const DeptPatchBody = Type.Partial(Type.Object({ ...DepartmentInputSchema.properties, version: Type.Integer({ minimum: 1 }) }), { additionalProperties: false });

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/api/departments', {
    schema: { tags: ['organisation'], summary: 'The department tree, as a flat list with parentId', response: { 200: Type.Object({ items: Type.Array(Type.Ref('Department')) }) } },
  }, async (request) => ({ items: await app.departments.list(actorOf(request)) }));

  app.post('/api/departments', {
    schema: { tags: ['organisation'], summary: 'Create a department (administrators)', body: DepartmentInputSchema, response: { 201: Type.Ref('Department'), ...errorReplies(400, 404) } },
  }, async (request, reply) => reply.status(201).send(await app.departments.create(actorOf(request), request.body)));

  app.get('/api/departments/:departmentId', {
    schema: { tags: ['organisation'], summary: 'A department', params: DeptParams, response: { 200: Type.Ref('Department'), ...errorReplies(404) } },
  }, async (request) => app.departments.get(actorOf(request), request.params.departmentId));

  app.patch('/api/departments/:departmentId', {
    schema: { tags: ['organisation'], summary: 'Rename, move or set the leader (administrators)', params: DeptParams, body: DeptPatchBody, response: { 200: Type.Ref('Department'), ...errorReplies(400, 404, 409) } },
  }, async (request) => app.departments.update(actorOf(request), request.params.departmentId, request.body));

  app.delete('/api/departments/:departmentId', {
    schema: { tags: ['organisation'], summary: 'Delete an empty department (administrators)', params: DeptParams, response: { 204: Type.Null(), ...errorReplies(404, 409) } },
  }, async (request, reply) => {
    await app.departments.delete(actorOf(request), request.params.departmentId);
    return reply.status(204).send(null);
  });
};

export default routes;
