import fp from 'fastify-plugin';

/** Who is calling. Sign-in (issue 3) fills it in; until then every caller acts anonymously. */
export interface Actor {
  id: string;
  name?: string;
  departments?: string[];
  roles?: string[];
}

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
  }
}

/**
 * The one place where requests are authenticated: an onRequest hook sets
 * `request.actor` for every route. Routes read `request.actor` and never look
 * at headers themselves.
 */
export default fp(
  async (app) => {
    app.decorateRequest('actor', null);
    app.addHook('onRequest', async (request) => {
      request.actor = null;
    });
  },
  { name: 'actor' },
);
