import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { PasswordSchema } from '@trellis/core';
import { errorReplies } from '../http/schemas.js';
import { actorOf } from '../plugins/actor.js';
import { publicUser } from '../services/org/user-service.js';

const SessionSchema = Type.Object({
  id: Type.String(), createdAt: Type.String(), expiresAt: Type.String(),
  address: Type.Union([Type.String(), Type.Null()]), userAgent: Type.Union([Type.String(), Type.Null()]), current: Type.Boolean(),
});

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/api/auth/login', {
    config: { public: true },
    schema: {
      tags: ['auth'], summary: 'Sign in: a token for "Authorization: Bearer <token>"',
      description: 'Five failed sign-ins lock an account for 15 minutes; an address is limited too (429 with Retry-After).',
      body: Type.Object({ username: Type.String({ minLength: 1, maxLength: 254 }), password: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false }),
      response: { 200: Type.Object({ token: Type.String(), expiresAt: Type.String(), user: Type.Ref('User') }), ...errorReplies(400, 429) },
    },
  }, async (request) => {
    const r = await app.auth.login(request.body.username, request.body.password, { address: request.ip, userAgent: request.headers['user-agent'] ?? null });
    return { token: r.token, expiresAt: r.expiresAt, user: publicUser(r.user) };
  });

  app.post('/api/auth/logout', {
    schema: { tags: ['auth'], summary: "End this token's session", response: { 204: Type.Null(), ...errorReplies(400) } },
  }, async (request, reply) => {
    await app.auth.logout(actorOf(request));
    return reply.status(204).send(null);
  });

  app.get('/api/auth/me', {
    schema: {
      tags: ['auth'], summary: 'The signed-in user',
      response: { 200: Type.Object({ user: Type.Ref('User'), departmentTree: Type.Array(Type.String()), via: Type.Union([Type.Literal('token'), Type.Literal('apiKey')]) }) },
    },
  }, async (request) => {
    const actor = actorOf(request);
    return { user: await app.users.get(actor, actor.id), departmentTree: actor.principal.departmentTree, via: actor.apiKeyId ? 'apiKey' as const : 'token' as const };
  });

  app.post('/api/auth/password', {
    schema: {
      tags: ['auth'], summary: 'Change your password (your other sessions end)',
      body: Type.Object({ currentPassword: Type.String({ maxLength: 200 }), newPassword: PasswordSchema }, { additionalProperties: false }),
      response: { 204: Type.Null(), ...errorReplies(400) },
    },
  }, async (request, reply) => {
    await app.auth.changePassword(actorOf(request), request.body.currentPassword, request.body.newPassword);
    return reply.status(204).send(null);
  });

  app.get('/api/auth/sessions', {
    schema: { tags: ['auth'], summary: 'Your live sessions', response: { 200: Type.Object({ items: Type.Array(SessionSchema) }) } },
  }, async (request) => {
    const actor = actorOf(request);
    const sessions = await app.auth.sessions(actor.id);
    return { items: sessions.map((s) => ({ id: s.id, createdAt: s.createdAt, expiresAt: s.expiresAt, address: s.address, userAgent: s.userAgent, current: s.id === actor.sessionId })) };
  });

  app.delete('/api/auth/sessions/:sessionId', {
    schema: { tags: ['auth'], summary: 'End one of your sessions', params: Type.Object({ sessionId: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' }) }), response: { 204: Type.Null(), ...errorReplies(404) } },
  }, async (request, reply) => {
    await app.auth.revokeSession(actorOf(request), request.params.sessionId);
    return reply.status(204).send(null);
  });
};

export default routes;
