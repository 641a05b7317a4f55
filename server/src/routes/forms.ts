import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { FORM_ACTIONS, visibleDefinition } from '@trellis/core';
import { AppParams, errorReplies, FormDefinitionSchema, FormParams } from '../http/schemas.js';
import { actorOf } from '../plugins/actor.js';
import type { FormView } from '../services/form-service.js';

const VersionHeader = Type.Object({ 'if-match': Type.Optional(Type.String({ pattern: '^"?[0-9]{1,9}"?$' })) });

/**
 * A form as every form route answers it: for those who may change it, the
 * draft and the compiled current version; for everyone else no draft, and
 * the published version without the fields hidden from them.
 */
function formReply({ form, published, design, access }: FormView) {
  const hidden = access?.hidden ?? new Set<string>();
  const visible = (key: string) => design || !hidden.has(key);
  return {
    ...form,
    draft: design ? form.draft : null,
    published: published && {
      version: published.version.version,
      publishedAt: published.version.publishedAt,
      definition: design ? published.version.definition : visibleDefinition(published.version.definition, hidden),
      jsonSchema: design ? published.compiled.jsonSchema : withoutProperties(published.compiled.jsonSchema, visible),
      uiSchema: design ? published.compiled.uiSchema : withoutUiFields(published.compiled.uiSchema, visible, access?.locked ?? new Set()),
    },
    permissions: {
      design,
      actions: access ? FORM_ACTIONS.filter((a) => access.can[a]) : design ? [...FORM_ACTIONS] : [],
      hidden: design ? [] : [...hidden],
      readOnly: design || !access ? [] : [...access.locked].filter((k) => !hidden.has(k)),
    },
  };
}

/** The uiSchema without hidden fields, read-only fields marked so (the runtime renders them disabled). */
function withoutUiFields(ui: Record<string, unknown>, keep: (key: string) => boolean, locked: ReadonlySet<string>): Record<string, unknown> {
  const out = Object.fromEntries(Object.entries(ui).filter(([k]) => k.startsWith('ui:') || keep(k)));
  for (const k of locked) if (keep(k)) out[k] = { ...(out[k] as object | undefined), 'ui:readonly': true };
  if (Array.isArray(out['ui:order'])) out['ui:order'] = (out['ui:order'] as unknown[]).filter((k) => typeof k !== 'string' || k === '*' || keep(k));
  return out;
}

function withoutProperties(schema: unknown, keep: (key: string) => boolean): unknown {
  const s = schema as { properties?: Record<string, unknown>; required?: string[] };
  return {
    ...s,
    ...(s.properties ? { properties: Object.fromEntries(Object.entries(s.properties).filter(([k]) => keep(k))) } : {}),
    ...(s.required ? { required: s.required.filter(keep) } : {}),
  };
}

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/api/apps/:appId/forms', {
    schema: { tags: ['forms'], summary: "List an app's forms", params: AppParams, response: { 200: Type.Object({ items: Type.Array(Type.Ref('Form')) }), ...errorReplies(404) } },
  }, async (request) => ({ items: (await app.forms.list(actorOf(request), request.params.appId)).map(formReply) }));

  app.post('/api/apps/:appId/forms', {
    schema: { tags: ['forms'], summary: 'Create a form (its draft)', params: AppParams, body: FormDefinitionSchema, response: { 201: Type.Ref('Form'), ...errorReplies(400, 404, 422) } },
  }, async (request, reply) => reply.status(201).send(formReply({ form: await app.forms.create(actorOf(request), request.params.appId, request.body), published: null, design: true, access: null })));

  app.get('/api/forms/:formId', {
    schema: { tags: ['forms'], summary: 'Get a form: its draft and its compiled published version', params: FormParams, response: { 200: Type.Ref('Form'), ...errorReplies(404) } },
  }, async (request) => formReply(await app.forms.get(actorOf(request), request.params.formId)));

  app.put('/api/forms/:formId', {
    schema: {
      tags: ['forms'], summary: "Replace a form's draft (send If-Match: <version> to guard against concurrent edits)",
      params: FormParams, headers: VersionHeader, body: FormDefinitionSchema, response: { 200: Type.Ref('Form'), ...errorReplies(400, 404, 409, 422) },
    },
  }, async (request) => {
    const ifMatch = request.headers['if-match'];
    const expected = ifMatch ? Number(ifMatch.replaceAll('"', '')) : null;
    return formReply(await app.forms.saveDraft(actorOf(request), request.params.formId, request.body, expected));
  });

  app.post('/api/forms/:formId/publish', {
    schema: {
      tags: ['forms'], summary: 'Publish the draft as a new version', params: FormParams,
      response: { 200: Type.Object({ formId: Type.String(), version: Type.Integer(), publishedAt: Type.String() }), ...errorReplies(404, 409, 422) },
    },
  }, async (request) => {
    const v = await app.forms.publish(actorOf(request), request.params.formId);
    return { formId: v.formId, version: v.version, publishedAt: v.publishedAt };
  });

  app.get('/api/forms/:formId/versions', {
    schema: {
      tags: ['forms'], summary: 'Published versions of a form', params: FormParams,
      response: { 200: Type.Object({ items: Type.Array(Type.Object({ version: Type.Integer(), publishedAt: Type.String(), publishedBy: Type.Union([Type.String(), Type.Null()]) })) }), ...errorReplies(404) },
    },
  }, async (request) => {
    const versions = await app.forms.versions(actorOf(request), request.params.formId);
    return { items: versions.map((v) => ({ version: v.version, publishedAt: v.publishedAt, publishedBy: v.publishedBy })) };
  });
};

export default routes;
