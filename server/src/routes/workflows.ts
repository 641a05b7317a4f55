import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { LabelSchema, WorkflowDefinitionSchema, type WorkflowDefinition } from '@trellis/core';
import { notFound } from '../http/errors.js';
import { errorReplies, FormParams, RecordIdParams } from '../http/schemas.js';
import { actorOf } from '../plugins/actor.js';
import type { InstanceEntity } from '../store/port.js';

const VersionHeader = Type.Object({ 'if-match': Type.Optional(Type.String({ pattern: '^"?[0-9]{1,9}"?$' })) });
const Definition = Type.Unsafe<WorkflowDefinition>({ ...WorkflowDefinitionSchema, $id: undefined, description: 'nodes, edges and automations (checked fully on publish)' });
const WorkflowReply = Type.Object({
  formId: Type.String(), version: Type.Integer(), publishedVersion: Type.Integer(),
  draft: Type.Unknown(), published: Type.Union([Type.Unknown(), Type.Null()]),
});
const InstanceReply = Type.Object({
  id: Type.String(), formId: Type.String(), recordId: Type.String(), workflowVersion: Type.Integer(),
  status: Type.String(), outcome: Type.Union([Type.String(), Type.Null()]), submitter: Type.String(),
  error: Type.Union([Type.Object({ node: Type.String(), token: Type.String(), message: Type.String() }), Type.Null()]),
  tasks: Type.Array(Type.Unknown()), createdAt: Type.String(), updatedAt: Type.String(),
  nodeNames: Type.Optional(Type.Record(Type.String(), LabelSchema, { description: 'node id → name, for showing the current step' })),
});

const instanceReply = (i: InstanceEntity) => ({
  id: i.id, formId: i.formId, recordId: i.recordId, workflowVersion: i.workflowVersion, status: i.state.status, outcome: i.state.outcome,
  submitter: i.state.submitter, error: i.state.error, tasks: i.state.tasks, createdAt: i.createdAt, updatedAt: i.updatedAt,
});

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/api/forms/:formId/workflow', {
    schema: { tags: ['workflows'], summary: "A form's workflow: the draft and the published version", params: FormParams, response: { 200: WorkflowReply, ...errorReplies(404) } },
  }, async (request) => app.workflows.get(actorOf(request), request.params.formId));

  app.put('/api/forms/:formId/workflow', {
    schema: {
      tags: ['workflows'], summary: "Replace the workflow's draft (If-Match: <version> guards against concurrent edits)",
      params: FormParams, headers: VersionHeader, body: Definition, response: { 200: WorkflowReply, ...errorReplies(400, 404, 409, 422) },
    },
  }, async (request) => {
    const ifMatch = request.headers['if-match'];
    return app.workflows.saveDraft(actorOf(request), request.params.formId, request.body, ifMatch ? Number(ifMatch.replaceAll('"', '')) : null);
  });

  app.post('/api/forms/:formId/workflow/publish', {
    schema: {
      tags: ['workflows'], summary: 'Check the draft graph and publish it; records submitted from now on follow it',
      params: FormParams, response: { 200: Type.Object({ formId: Type.String(), version: Type.Integer(), publishedAt: Type.String() }), ...errorReplies(404, 409, 422) },
    },
  }, async (request) => {
    const v = await app.workflows.publish(actorOf(request), request.params.formId);
    return { formId: v.formId, version: v.version, publishedAt: v.publishedAt };
  });

  app.get('/api/records/:recordId/workflow', {
    schema: { tags: ['workflows'], summary: "The workflow instance of a record (its steps are in the timeline)", params: RecordIdParams, response: { 200: InstanceReply, ...errorReplies(404) } },
  }, async (request) => {
    const instance = await app.tasks.instance(request.params.recordId);
    if (!instance) throw notFound('Workflow of record', request.params.recordId);
    // only those who may read the record see its workflow
    await app.records.get(instance.formId, instance.recordId, actorOf(request));
    return { ...instanceReply(instance), nodeNames: Object.fromEntries(await app.taskViews.nodeNames(instance)) };
  });

  app.post('/api/records/:recordId/workflow/withdraw', {
    schema: { tags: ['workflows'], summary: 'The submitter withdraws before anyone decided', params: RecordIdParams, response: { 200: InstanceReply, ...errorReplies(404, 409) } },
  }, async (request) => instanceReply(await app.tasks.withdraw(actorOf(request), request.params.recordId)));

  app.post('/api/records/:recordId/workflow/resubmit', {
    schema: { tags: ['workflows'], summary: 'The submitter sends a returned record through again', params: RecordIdParams, response: { 200: InstanceReply, ...errorReplies(404, 409) } },
  }, async (request) => instanceReply(await app.tasks.resubmit(actorOf(request), request.params.recordId)));

  app.get('/api/workflow-instances', {
    schema: {
      tags: ['workflows'], summary: 'Instances in error (administrators)',
      querystring: Type.Object({ status: Type.Literal('error') }, { additionalProperties: false }),
      response: { 200: Type.Object({ items: Type.Array(InstanceReply) }) },
    },
  }, async (request) => ({ items: (await app.tasks.failed(actorOf(request))).map(instanceReply) }));

  app.post('/api/workflow-instances/:instanceId/retry', {
    schema: {
      tags: ['workflows'], summary: 'Run the failed step of an instance again (administrators)',
      params: Type.Object({ instanceId: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' }) }), response: { 200: InstanceReply, ...errorReplies(404, 409) },
    },
  }, async (request) => instanceReply(await app.tasks.retry(actorOf(request), request.params.instanceId)));
};

export default routes;
