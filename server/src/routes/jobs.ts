import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { TrellisError } from '@trellis/core';
import { errorReplies } from '../http/schemas.js';
import { actorOf } from '../plugins/actor.js';
import { AUTOMATION_QUEUE } from '../services/workflow/automations.js';
import { WORKFLOW_QUEUE } from '../services/workflow/flow-engine.js';

const QUEUES = [WORKFLOW_QUEUE, AUTOMATION_QUEUE] as const;
const Queue = Type.Union(QUEUES.map((q) => Type.Literal(q)));
const JobSchema = Type.Object({
  id: Type.String(), queue: Type.String(), name: Type.String(), data: Type.Unknown(), state: Type.String(), attemptsMade: Type.Integer(),
  error: Type.Union([Type.String(), Type.Null()]), createdAt: Type.Number(), runAt: Type.Union([Type.Number(), Type.Null()]),
});

/** The dead-letter view: background work that failed for good, for administrators to read and retry. */
const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/api/jobs/failed', {
    schema: {
      tags: ['jobs'], summary: 'Jobs failed for good (webhooks that never answered, actions that kept failing), newest first (administrators)',
      querystring: Type.Object({ queue: Type.Optional(Queue) }, { additionalProperties: false }),
      response: { 200: Type.Object({ items: Type.Array(JobSchema) }) },
    },
  }, async (request) => {
    app.access.requireAdmin(actorOf(request));
    const queues = request.query.queue ? [request.query.queue] : QUEUES;
    const items = (await Promise.all(queues.map((q) => app.jobs.failed(q, 200)))).flat().sort((a, b) => b.createdAt - a.createdAt);
    return { items };
  });

  app.post('/api/jobs/:queue/:jobId/retry', {
    schema: {
      tags: ['jobs'], summary: 'Run a failed job again (administrators)',
      params: Type.Object({ queue: Queue, jobId: Type.String({ pattern: '^[A-Za-z0-9_.:-]{1,200}$' }) }),
      response: { 204: Type.Null(), ...errorReplies(404) },
    },
  }, async (request, reply) => {
    app.access.requireAdmin(actorOf(request));
    if (!(await app.jobs.retry(request.params.queue, request.params.jobId))) throw new TrellisError('NOT_FOUND', `No failed job "${request.params.jobId}"`);
    return reply.status(204).send(null);
  });
};

export default routes;
