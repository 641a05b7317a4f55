import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { LabelSchema } from '@trellis/core';
import { AppParams, errorReplies } from '../http/schemas.js';
import { actorOf } from '../plugins/actor.js';

/** A pack with its sample records is larger than other bodies, but still bounded. */
export const PACK_BODY_LIMIT = 5 * 1024 * 1024;

const BiText = Type.Object({ en: Type.String(), zh: Type.String() });
const PackSummary = Type.Object({
  id: Type.String(), name: BiText, version: Type.String(), category: Type.String(), description: BiText,
  screenshots: Type.Optional(Type.Array(Type.String())),
  forms: Type.Integer({ description: 'number of forms' }), records: Type.Integer({ description: 'number of sample records' }),
});
// checked by the pack service (checkPack), which answers 422 with a path to each problem
const PackBody = Type.Unsafe<Record<string, unknown>>({ type: 'object', additionalProperties: true, description: 'a pack: manifest, forms, workflows, dashboards, roles, printTemplates, records (see @trellis/core PackSchema)' });
const PackReply = Type.Unsafe<unknown>({ type: 'object', additionalProperties: true, description: 'a pack' });
const InstallBody = Type.Object(
  { withSampleData: Type.Optional(Type.Boolean({ description: "also store the pack's sample records" })), name: Type.Optional(LabelSchema) },
  { additionalProperties: false },
);
const PackParams = Type.Object({ packId: Type.String({ pattern: '^[a-z][a-z0-9-]{0,63}$' }) });
const ImportQuery = Type.Object({ name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })) }, { additionalProperties: false });
const ExportQuery = Type.Object({ records: Type.Optional(Type.Union([Type.Literal('true'), Type.Literal('false')], { description: "'true': include the records of every form" })) }, { additionalProperties: false });
const UpgradeBody = Type.Object(
  {
    packId: Type.Optional(Type.String({ pattern: '^[a-z][a-z0-9-]{0,63}$', description: 'a bundled pack' })),
    pack: Type.Optional(PackBody),
    resolutions: Type.Optional(Type.Record(Type.String({ maxLength: 500 }), Type.Union([Type.Literal('mine'), Type.Literal('theirs')]), { maxProperties: 5000 })),
    apply: Type.Optional(Type.Boolean({ description: 'carry the upgrade out (default: only preview it)' })),
  },
  { additionalProperties: false },
);
const UpgradeReply = Type.Object({
  packId: Type.String(), from: Type.String(), to: Type.String(), applied: Type.Boolean(),
  changes: Type.Array(Type.Object({ path: Type.String(), op: Type.String(), where: BiText })),
  conflicts: Type.Array(Type.Object({ path: Type.String(), base: Type.Unknown(), mine: Type.Unknown(), theirs: Type.Unknown(), where: BiText })),
  kept: Type.Array(Type.String(), { description: 'forms the new pack dropped, kept with their records' }),
  migrations: Type.Array(Type.Object({
    id: Type.String(), form: Type.String(), since: Type.String(), description: Type.Optional(BiText),
    records: Type.Integer({ description: 'records it changed (a preview: records that match now)' }),
    failed: Type.Array(Type.Object({ recordId: Type.String(), message: Type.String() }), { description: 'records the form refused, left as they were' }),
  }), { description: "the pack's data migrations this upgrade runs" }),
});

const OriginReply = Type.Object({
  packId: Type.String(), name: BiText, version: Type.String({ description: 'the version the app stands on' }),
  available: Type.Union([Type.String(), Type.Null()], { description: "the bundled pack's version when it is newer, else null" }),
});

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/api/packs', {
    schema: { tags: ['packs'], summary: 'The bundled template packs', response: { 200: Type.Object({ items: Type.Array(PackSummary) }), ...errorReplies() } },
  }, async (request) => {
    actorOf(request);
    return { items: await app.packs.list() };
  });

  app.post('/api/packs/:packId/install', {
    schema: { tags: ['packs'], summary: 'Install a bundled pack as a new app (administrators)', params: PackParams, body: InstallBody, response: { 201: Type.Ref('App'), ...errorReplies(400, 404, 422) } },
  }, async (request, reply) => reply.status(201).send(await app.packs.install(actorOf(request), request.params.packId, request.body)));

  app.post('/api/packs/import', {
    bodyLimit: PACK_BODY_LIMIT,
    schema: { tags: ['packs'], summary: 'Import a pack (e.g. an export) as a new app with its records (administrators)', querystring: ImportQuery, body: PackBody, response: { 201: Type.Ref('App'), ...errorReplies(400, 413, 422) } },
  }, async (request, reply) => {
    const options = request.query.name ? { name: request.query.name } : {};
    return reply.status(201).send(await app.packs.import(actorOf(request), request.body, options));
  });

  app.get('/api/apps/:appId/export', {
    schema: { tags: ['packs'], summary: "The app as a pack (its designers); `records=true` adds every form's records", params: AppParams, querystring: ExportQuery, response: { 200: PackReply, ...errorReplies(404) } },
  }, async (request) => app.packs.export(actorOf(request), request.params.appId, { records: request.query.records === 'true' }));

  app.get('/api/apps/:appId/pack', {
    schema: { tags: ['packs'], summary: 'Which pack and version the app was installed from, and a newer bundled version (administrators; 404 when not from a pack)', params: AppParams, response: { 200: OriginReply, ...errorReplies(404) } },
  }, async (request) => app.packs.origin(actorOf(request), request.params.appId));

  app.post('/api/apps/:appId/upgrade', {
    bodyLimit: PACK_BODY_LIMIT,
    schema: {
      tags: ['packs'],
      summary: 'Preview, or with `apply`, carry out the upgrade of an app to a newer version of its pack (three-way merge; records are never touched)',
      params: AppParams, body: UpgradeBody, response: { 200: UpgradeReply, ...errorReplies(400, 404, 409, 413, 422) },
    },
  }, async (request) => app.packs.upgrade(actorOf(request), request.params.appId, request.body));
};

export default routes;
