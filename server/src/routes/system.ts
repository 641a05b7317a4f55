import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/healthz', {
    config: { public: true },
    schema: { tags: ['system'], summary: 'Liveness and store health', response: { 200: Type.Object({ ok: Type.Boolean(), store: Type.String() }), 503: Type.Object({ ok: Type.Boolean(), store: Type.String() }) } },
  }, async (_request, reply) => {
    const ok = await app.store.ping().catch(() => false);
    return reply.status(ok ? 200 : 503).send({ ok, store: app.store.kind });
  });

  app.get('/api/openapi.json', { config: { public: true }, schema: { hide: true } }, async () => app.swagger());
};

export default routes;
