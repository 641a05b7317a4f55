import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { TrellisError, visibleDefinition } from '@trellis/core';
import { errorReplies, FormParams, RECORD_REPLY, RecordInputSchema, RecordParams } from '../http/schemas.js';
import { actorOf } from '../plugins/actor.js';
import type { ShareLinkEntity } from '../store/port.js';

const LinkOptions = Type.Object({
  expiresAt: Type.Optional(Type.Union([Type.String({ format: 'date-time' }), Type.Null()])),
  password: Type.Optional(Type.Union([Type.String({ minLength: 4, maxLength: 200 }), Type.Null()])),
}, { additionalProperties: false });
const TokenParams = Type.Object({ token: Type.String({ pattern: '^[A-Za-z0-9_-]{20,100}$' }) });
const PasswordHeader = Type.Object({ 'x-share-password': Type.Optional(Type.String({ maxLength: 200 })) });

const linkReply = (l: ShareLinkEntity) => ({
  id: l.id, kind: l.kind, formId: l.formId, recordId: l.recordId, expiresAt: l.expiresAt, password: l.passwordHash !== null, createdBy: l.createdBy, createdAt: l.createdAt,
});
const created = (l: ShareLinkEntity, token: string) => ({ ...linkReply(l), token, url: `/share/${token}` });

const routes: FastifyPluginAsyncTypebox = async (app) => {
  // --- managing links (signed in) ---
  app.post('/api/forms/:formId/share-links', {
    schema: {
      tags: ['share links'], summary: 'Open a form for public submission (needs manage); the token is shown this once',
      params: FormParams, body: LinkOptions, response: { 201: Type.Ref('NewShareLink'), ...errorReplies(400, 404, 409) },
    },
  }, async (request, reply) => {
    const { link, token } = await app.shares.createSubmitLink(actorOf(request), request.params.formId, request.body);
    return reply.status(201).send(created(link, token));
  });

  app.post('/api/forms/:formId/records/:recordId/share-links', {
    schema: {
      tags: ['share links'], summary: 'Share one record read-only; the holder sees it as you do, while you may',
      params: RecordParams, body: LinkOptions, response: { 201: Type.Ref('NewShareLink'), ...errorReplies(400, 404, 409) },
    },
  }, async (request, reply) => {
    const { link, token } = await app.shares.createRecordLink(actorOf(request), request.params.formId, request.params.recordId, request.body);
    return reply.status(201).send(created(link, token));
  });

  app.get('/api/forms/:formId/share-links', {
    schema: { tags: ['share links'], summary: "A form's live links (all for its managers, else your own)", params: FormParams, response: { 200: Type.Object({ items: Type.Array(Type.Ref('ShareLink')) }), ...errorReplies(404, 409) } },
  }, async (request) => ({ items: (await app.shares.list(actorOf(request), request.params.formId)).map(linkReply) }));

  app.delete('/api/share-links/:linkId', {
    schema: { tags: ['share links'], summary: 'Revoke a link', params: Type.Object({ linkId: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' }) }), response: { 204: Type.Null(), ...errorReplies(404) } },
  }, async (request, reply) => {
    await app.shares.revoke(actorOf(request), request.params.linkId);
    return reply.status(204).send(null);
  });

  // --- using links (public: the token is the credential) ---
  app.get('/api/share/:token', {
    config: { public: true },
    schema: {
      tags: ['share links'], summary: 'What a link opens: the form to fill, or the shared record',
      params: TokenParams, headers: PasswordHeader,
      response: {
        200: Type.Object({
          kind: Type.Union([Type.Literal('submit'), Type.Literal('record')]),
          expiresAt: Type.Union([Type.String(), Type.Null()]),
          // a submit link carries the compiled schemas to fill in; a record link only the definition to show the record with
          form: Type.Object({ id: Type.String(), version: Type.Integer(), definition: Type.Unknown(), jsonSchema: Type.Optional(Type.Unknown()), uiSchema: Type.Optional(Type.Unknown()) }),
          record: Type.Optional(Type.Ref('Record')),
        }),
        ...errorReplies(404, 429),
      },
    },
  }, async (request) => {
    const caller = await app.shares.open(request.params.token, request.headers['x-share-password'], request.ip);
    const { link } = caller;
    const published = await app.catalog.published(link.formId);
    if (link.kind === 'submit') {
      return { kind: link.kind, expiresAt: link.expiresAt, form: { id: link.formId, version: published.version.version, definition: published.version.definition, jsonSchema: published.compiled.jsonSchema, uiSchema: published.compiled.uiSchema } };
    }
    const record = await app.records.get(link.formId, link.recordId!, caller);
    const access = await app.access.form(caller, published);
    return { kind: link.kind, expiresAt: link.expiresAt, form: { id: link.formId, version: published.version.version, definition: visibleDefinition(published.version.definition, access.hidden) }, record };
  });

  app.post('/api/share/:token/records', {
    ...RECORD_REPLY,
    config: { public: true },
    schema: {
      tags: ['share links'], summary: 'Submit the shared form; the reply says only that it was received',
      params: TokenParams, headers: PasswordHeader, body: RecordInputSchema,
      response: { 201: Type.Object({ received: Type.Boolean(), at: Type.String() }), ...errorReplies(400, 404, 422, 429) },
    },
  }, async (request, reply) => {
    const caller = await app.shares.open(request.params.token, request.headers['x-share-password'], request.ip);
    if (caller.link.kind !== 'submit') throw new TrellisError('NOT_FOUND', 'This link does not open a form for submission');
    const record = await app.records.create(caller.link.formId, request.body.data, caller);
    return reply.status(201).send({ received: true, at: record.createdAt });
  });
};

export default routes;
