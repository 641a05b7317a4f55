import fp from 'fastify-plugin';
import { TrellisError } from '@trellis/core';
import type { UserActor } from '../services/access/actor.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** the signed-in caller; set on every route that is not public */
    actor: UserActor | null;
  }
  interface FastifyContextConfig {
    /** open without sign-in: /healthz, sign-in itself, share links */
    public?: boolean;
  }
}

/**
 * The one place where requests are authenticated: an onRequest hook resolves
 * the caller from `Authorization: Bearer <token or API key>` or `X-API-Key`,
 * and refuses every route that is not marked public when there is none.
 * Routes read `request.actor` and never look at headers themselves.
 */
export default fp(
  async (app) => {
    app.decorateRequest('actor', null);
    app.addHook('onRequest', async (request) => {
      request.actor = null;
      if (request.routeOptions.config?.public) return;
      const apiKey = request.headers['x-api-key'];
      const actor = await app.auth.authenticate(request.headers.authorization, typeof apiKey === 'string' ? apiKey : undefined, request.ip);
      if (!actor) throw new TrellisError('UNAUTHORIZED', 'Sign in first: send "Authorization: Bearer <token>" (POST /api/auth/login gives one)');
      request.actor = actor;
    });
  },
  { name: 'actor', dependencies: ['services'] },
);

/** The signed-in caller of a non-public route (the hook above guarantees one). */
export function actorOf(request: { actor: UserActor | null }): UserActor {
  if (!request.actor) throw new TrellisError('UNAUTHORIZED', 'Sign in first');
  return request.actor;
}
