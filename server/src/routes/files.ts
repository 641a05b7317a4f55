import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import multipart from '@fastify/multipart';
import { TrellisError } from '@trellis/core';
import type { FastifyRequest } from 'fastify';
import type { Config } from '../config.js';
import { contentDisposition } from '../files/file-names.js';
import { errorReplies } from '../http/schemas.js';
import { actorOf } from '../plugins/actor.js';
import type { ShareActor, UserActor } from '../services/access/actor.js';

const Id = Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' });
const FileRefSchema = Type.Object(
  { id: Type.String(), name: Type.String(), size: Type.Integer(), type: Type.String(), url: Type.String() },
  { description: 'A file reference: put it (as an array item) in an attachment, image or signature field' },
);
const TokenParams = Type.Object({ token: Type.String({ pattern: '^[A-Za-z0-9_-]{20,100}$' }) });
const PasswordHeader = Type.Object({ 'x-share-password': Type.Optional(Type.String({ maxLength: 200 })) });
const DownloadQuery = Type.Object(
  {
    record: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$', description: 'a record that refers to the file and that you may view' })),
    form: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$', description: 'the form of that record' })),
    task: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$', description: 'a task of yours whose record refers to the file' })),
  },
  { additionalProperties: false },
);
// multipart framing around the file: headers, boundary, the part's own headers
const MULTIPART_OVERHEAD = 64 * 1024;

const routes: FastifyPluginAsyncTypebox<{ config: Config }> = async (app, { config }) => {
  const service = app.fileService;
  // multipart is parsed only for the upload routes of this plugin
  await app.register(multipart, {
    // one byte over the limit reaches the store's own size check, which refuses it and keeps nothing
    // (busboy alone would silently cut the file at the limit)
    limits: { fileSize: config.maxUploadBytes + 1, files: 1, fields: 0, headerPairs: 50 },
  });

  async function receive(request: FastifyRequest, caller: UserActor | ShareActor) {
    const length = Number(request.headers['content-length']);
    if (Number.isFinite(length) && length > config.maxUploadBytes + MULTIPART_OVERHEAD) throw service.tooLarge();
    if (!request.isMultipart()) throw new TrellisError('BAD_REQUEST', 'Send the file as multipart/form-data in a field named "file"');
    const part = await request.file();
    if (!part || part.fieldname !== 'file') throw new TrellisError('BAD_REQUEST', 'Send the file in a multipart field named "file"');
    return service.upload(caller, { filename: part.filename, mimetype: part.mimetype, content: part.file });
  }

  app.post('/api/files', {
    schema: {
      tags: ['files'], summary: 'Upload one file (multipart/form-data, field "file"); the reply is the reference to store in a file field',
      consumes: ['multipart/form-data'], response: { 201: FileRefSchema, ...errorReplies(400, 413) },
    },
  }, async (request, reply) => reply.status(201).send(await receive(request, actorOf(request))));

  app.post('/api/share/:token/files', {
    config: { public: true },
    schema: {
      tags: ['share links'], summary: 'Upload one file for a submission through a public form link',
      consumes: ['multipart/form-data'], params: TokenParams, headers: PasswordHeader, response: { 201: FileRefSchema, ...errorReplies(400, 404, 413, 429) },
    },
  }, async (request, reply) => {
    const caller = await app.shares.open(request.params.token, request.headers['x-share-password'], request.ip);
    if (caller.link.kind !== 'submit') throw new TrellisError('NOT_FOUND', 'This link does not open a form for submission');
    return reply.status(201).send(await receive(request, caller));
  });

  app.get('/api/files/:fileId', {
    schema: {
      tags: ['files'], summary: 'Download a file: its uploader, administrators, with ?record=&form= of a record you may view that refers to it, or with ?task= of your task on such a record',
      params: Type.Object({ fileId: Id }), querystring: DownloadQuery, response: { ...errorReplies(400, 404) },
    },
  }, async (request, reply) => {
    const { record, form, task } = request.query;
    if ((record === undefined) !== (form === undefined)) throw new TrellisError('BAD_REQUEST', 'Pass both "record" and "form", or neither');
    const file = await service.open(actorOf(request), request.params.fileId, { record, form, task });
    return reply
      .header('content-type', file.meta.type)
      .header('content-length', String(file.meta.size))
      .header('content-disposition', contentDisposition(file.meta.name))
      .header('x-content-type-options', 'nosniff')
      // even if a browser renders it, an uploaded HTML or SVG file runs no script and reaches nothing
      .header('content-security-policy', "default-src 'none'; sandbox")
      .header('cache-control', 'private, max-age=300')
      .send(file.open());
  });
};

export default routes;
