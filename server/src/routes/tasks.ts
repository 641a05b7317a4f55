import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { LabelSchema } from '@trellis/core';
import { errorReplies } from '../http/schemas.js';
import { actorOf } from '../plugins/actor.js';
import { TASK_STATUSES } from '../services/workflow/task-service.js';

const Id = Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' });
const TaskSchema = Type.Object({
  id: Type.String(), instanceId: Type.String(), formId: Type.String(), recordId: Type.String(), node: Type.String(),
  nodeName: Type.Union([Type.String(), Type.Null()]), assignee: Type.String(), status: Type.String(), createdAt: Type.String(),
  decidedAt: Type.Union([Type.String(), Type.Null()]), by: Type.Union([Type.String(), Type.Null()]), comment: Type.Union([Type.String(), Type.Null()]),
});
// what a phone shows beside a task (services/workflow/task-views.ts)
const TaskListItem = Type.Object({
  ...TaskSchema.properties,
  formName: Type.Union([LabelSchema, Type.Null()]),
  title: Type.Union([Type.String(), Type.Null()], { description: "the record's title; null when the step hides it" }),
  submitter: Type.Union([Type.String(), Type.Null()]),
  stepName: Type.Union([LabelSchema, Type.Null()]),
});
const StepSchema = Type.Object({
  id: Type.String(), node: Type.String(), nodeName: Type.Union([LabelSchema, Type.Null()]), kind: Type.String(), by: Type.Union([Type.String(), Type.Null()]),
  comment: Type.Union([Type.String(), Type.Null()]), taskId: Type.Union([Type.String(), Type.Null()]), at: Type.String(), changes: Type.Array(Type.Object({ field: Type.String(), from: Type.Unknown(), to: Type.Unknown() })),
});
const Comment = Type.Optional(Type.String({ maxLength: 2000 }));
const TaskParams = Type.Object({ taskId: Id });

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/api/tasks', {
    schema: {
      tags: ['tasks'], summary: 'My tasks (open by default)',
      querystring: Type.Object({ status: Type.Optional(Type.Union(TASK_STATUSES.map((s) => Type.Literal(s)))), limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,3}$' })) }, { additionalProperties: false }),
      response: { 200: Type.Object({ items: Type.Array(TaskListItem) }) },
    },
  }, async (request) => ({ items: await app.taskViews.list(actorOf(request), request.query.status ?? 'open', Math.min(Number(request.query.limit ?? 100), 500)) }));

  app.get('/api/tasks/:taskId', {
    schema: {
      tags: ['tasks'], summary: 'One of my tasks with its record as the step shows it (hidden fields left out) and the fields I may change',
      params: TaskParams,
      response: {
        200: Type.Object({
          task: TaskListItem, record: Type.Ref('Record'), editable: Type.Array(Type.String()), hidden: Type.Array(Type.String()),
          // the form as this step shows it, and the workflow's steps so far (the approver may have no role on the form)
          form: Type.Union([Type.Object({ id: Type.String(), name: LabelSchema, definition: Type.Unsafe<unknown>({ type: 'object', additionalProperties: true }) }), Type.Null()]),
          steps: Type.Array(StepSchema),
        }),
        ...errorReplies(404),
      },
    },
  }, async (request) => app.taskViews.open(actorOf(request), request.params.taskId));

  app.post('/api/tasks/:taskId/approve', {
    schema: {
      tags: ['tasks'], summary: 'Approve; `data` changes the fields this step makes editable (send the record `version` you read)',
      params: TaskParams,
      body: Type.Object({ comment: Comment, data: Type.Optional(Type.Unsafe<Record<string, unknown>>({ type: 'object', additionalProperties: true })), version: Type.Optional(Type.Integer({ minimum: 1 })) }, { additionalProperties: false }),
      response: { 200: TaskSchema, ...errorReplies(400, 404, 409, 422) },
    },
  }, async (request) => {
    const { comment, data, version } = request.body;
    return app.tasks.act(actorOf(request), request.params.taskId, { kind: 'approve', ...(comment === undefined ? {} : { comment }), ...(data ? { data } : {}), ...(version ? { version } : {}) });
  });

  app.post('/api/tasks/:taskId/reject', {
    schema: { tags: ['tasks'], summary: 'Reject: the workflow ends rejected', params: TaskParams, body: Type.Object({ comment: Comment }, { additionalProperties: false }), response: { 200: TaskSchema, ...errorReplies(400, 404, 409) } },
  }, async (request) => app.tasks.act(actorOf(request), request.params.taskId, { kind: 'reject', ...(request.body.comment === undefined ? {} : { comment: request.body.comment }) }));

  app.post('/api/tasks/:taskId/return', {
    schema: {
      tags: ['tasks'], summary: 'Send back to the submitter (default) or to an approval step already passed (`to`: its node id)',
      params: TaskParams, body: Type.Object({ comment: Comment, to: Type.Optional(Type.String({ maxLength: 64 })) }, { additionalProperties: false }), response: { 200: TaskSchema, ...errorReplies(400, 404, 409) },
    },
  }, async (request) => {
    const { comment, to } = request.body;
    return app.tasks.act(actorOf(request), request.params.taskId, { kind: 'return', ...(comment === undefined ? {} : { comment }), ...(to ? { to } : {}) });
  });

  app.post('/api/tasks/:taskId/transfer', {
    schema: { tags: ['tasks'], summary: 'Hand the task to someone else', params: TaskParams, body: Type.Object({ to: Id, comment: Comment }, { additionalProperties: false }), response: { 200: TaskSchema, ...errorReplies(400, 404, 409) } },
  }, async (request) => {
    const { comment, to } = request.body;
    await app.users.get(actorOf(request), to); // someone the caller may see
    return app.tasks.act(actorOf(request), request.params.taskId, { kind: 'transfer', to, ...(comment === undefined ? {} : { comment }) });
  });

  app.post('/api/tasks/:taskId/comment', {
    schema: { tags: ['tasks'], summary: 'Add a comment to the record timeline', params: TaskParams, body: Type.Object({ comment: Type.String({ minLength: 1, maxLength: 2000 }) }, { additionalProperties: false }), response: { 200: TaskSchema, ...errorReplies(400, 404, 409) } },
  }, async (request) => app.tasks.act(actorOf(request), request.params.taskId, { kind: 'comment', comment: request.body.comment }));

  app.get('/api/notifications', {
    schema: {
      tags: ['tasks'], summary: 'My notifications: new tasks, CCs, reminders, outcomes, messages of notify actions (newest first)',
      querystring: Type.Object({ unread: Type.Optional(Type.Union([Type.Literal('true'), Type.Literal('false')])) }, { additionalProperties: false }),
      response: { 200: Type.Object({ items: Type.Array(Type.Object({
        id: Type.String(), kind: Type.String(), formId: Type.String(), recordId: Type.String(), instanceId: Type.String(),
        taskId: Type.Union([Type.String(), Type.Null()]), node: Type.String(), read: Type.Boolean(), createdAt: Type.String(),
        message: Type.Optional(Type.Unknown({ description: 'kind "message": the text of an automation\'s or workflow\'s notify action, a string or {en, zh}' })),
      })) }) },
    },
  }, async (request) => ({ items: await app.tasks.notifications(actorOf(request), request.query.unread === 'true') }));

  app.post('/api/notifications/:notificationId/read', {
    schema: { tags: ['tasks'], summary: 'Mark a notification read', params: Type.Object({ notificationId: Id }), response: { 204: Type.Null(), ...errorReplies(404) } },
  }, async (request, reply) => {
    await app.tasks.markRead(actorOf(request), request.params.notificationId);
    return reply.status(204).send(null);
  });
};

export default routes;
