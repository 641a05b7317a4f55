import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ProviderCompanySchema, RegistryError, riskLevel } from '../connectors/company-registry.js';
import { errorReplies } from '../http/schemas.js';
import { actorOf } from '../plugins/actor.js';

const Failure = Type.Object({ error: Type.Object({ code: Type.String(), message: Type.String() }) });

/** Live company lookups for forms (supplier registration fills its facts as the supplier types). */
const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/api/connectors/company-registry', {
    schema: {
      tags: ['connectors'],
      summary: 'Companies matching a name or unified social credit code, from the configured business registry (503 when none is configured, 502 when it fails)',
      querystring: Type.Object({ q: Type.String({ minLength: 1, maxLength: 300 }) }, { additionalProperties: false }),
      response: {
        200: Type.Object({ items: Type.Array(Type.Composite([ProviderCompanySchema, Type.Object({ riskLevel: Type.Union(['none', 'low', 'medium', 'high'].map((l) => Type.Literal(l))) })])) }),
        502: Failure, 503: Failure,
        ...errorReplies(400),
      },
    },
  }, async (request, reply) => {
    actorOf(request);
    if (!app.registry) return reply.status(503).send({ error: { code: 'NOT_CONFIGURED', message: 'No business registry is configured (TRELLIS_REGISTRY_URL)' } });
    try {
      const items = await app.registry.search(request.query.q);
      return { items: items.slice(0, 20).map((c) => ({ ...c, riskLevel: riskLevel(c) })) };
    } catch (e) {
      if (e instanceof RegistryError) return reply.status(502).send({ error: { code: 'UPSTREAM_FAILED', message: e.message } });
      throw e;
    }
  });
};

export default routes;
