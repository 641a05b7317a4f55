import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AppParams, errorReplies, FormDefinitionSchema, FormParams } from '../http/schemas.js';
import type { PublishedForm } from '../services/form-service.js';
import type { FormEntity } from '../store/port.js';

const VersionHeader = Type.Object({ 'if-match': Type.Optional(Type.String({ pattern: '^"?[0-9]{1,9}"?$' })) });

/** A form as every form route answers it: the draft and, once published, the compiled current version. */
function formReply(form: FormEntity, published: PublishedForm | null) {
  return {
    ...form,
    published: published && {
      version: published.version.version,
      publishedAt: published.version.publishedAt,
      definition: published.version.definition,
      jsonSchema: published.compiled.jsonSchema,
      uiSchema: published.compiled.uiSchema,
    },
  };
}

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/api/apps/:appId/forms', {
    schema: { tags: ['forms'], summary: "List an app's forms", params: AppParams, response: { 200: Type.Object({ items: Type.Array(Type.Ref('Form')) }), ...errorReplies(404) } },
  }, async (request) => ({ items: await app.forms.list(request.params.appId) }));

  app.post('/api/apps/:appId/forms', {
    schema: { tags: ['forms'], summary: 'Create a form (its draft)', params: AppParams, body: FormDefinitionSchema, response: { 201: Type.Ref('Form'), ...errorReplies(400, 404, 422) } },
  }, async (request, reply) => reply.status(201).send(formReply(await app.forms.create(request.params.appId, request.body), null)));

  app.get('/api/forms/:formId', {
    schema: { tags: ['forms'], summary: 'Get a form: its draft and its compiled published version', params: FormParams, response: { 200: Type.Ref('Form'), ...errorReplies(404) } },
  }, async (request) => {
    const form = await app.forms.get(request.params.formId);
    return formReply(form, await app.forms.publishedOf(form));
  });

  app.put('/api/forms/:formId', {
    schema: {
      tags: ['forms'], summary: "Replace a form's draft (send If-Match: <version> to guard against concurrent edits)",
      params: FormParams, headers: VersionHeader, body: FormDefinitionSchema, response: { 200: Type.Ref('Form'), ...errorReplies(400, 404, 409, 422) },
    },
  }, async (request) => {
    const ifMatch = request.headers['if-match'];
    const expected = ifMatch ? Number(ifMatch.replaceAll('"', '')) : null;
    const form = await app.forms.saveDraft(request.params.formId, request.body, expected);
    return formReply(form, await app.forms.publishedOf(form));
  });

  app.post('/api/forms/:formId/publish', {
    schema: {
      tags: ['forms'], summary: 'Publish the draft as a new version', params: FormParams,
      response: { 200: Type.Object({ formId: Type.String(), version: Type.Integer(), publishedAt: Type.String() }), ...errorReplies(404, 409, 422) },
    },
  }, async (request) => {
    const v = await app.forms.publish(request.params.formId, request.actor?.id ?? null);
    return { formId: v.formId, version: v.version, publishedAt: v.publishedAt };
  });

  app.get('/api/forms/:formId/versions', {
    schema: {
      tags: ['forms'], summary: 'Published versions of a form', params: FormParams,
      response: { 200: Type.Object({ items: Type.Array(Type.Object({ version: Type.Integer(), publishedAt: Type.String(), publishedBy: Type.Union([Type.String(), Type.Null()]) })) }), ...errorReplies(404) },
    },
  }, async (request) => {
    const versions = await app.forms.versions(request.params.formId);
    return { items: versions.map((v) => ({ version: v.version, publishedAt: v.publishedAt, publishedBy: v.publishedBy })) };
  });
};

export default routes;
