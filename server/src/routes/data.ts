import { Readable } from 'node:stream';
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import multipart from '@fastify/multipart';
import { TrellisError, type ListQuery } from '@trellis/core';
import type { FastifyRequest } from 'fastify';
import type { Config } from '../config.js';
import { contentDisposition } from '../files/file-names.js';
import { errorReplies, FormParams } from '../http/schemas.js';
import { actorOf } from '../plugins/actor.js';
import type { FileFormat, ImportOptions } from '../services/data/import-service.js';

const ExportQuery = Type.Object(
  {
    format: Type.Optional(Type.Union([Type.Literal('csv'), Type.Literal('xlsx')], { description: 'csv (the default) or xlsx' })),
    filter: Type.Optional(Type.String({ maxLength: 20000, description: 'JSON filter, as for the record list' })),
    sort: Type.Optional(Type.String({ maxLength: 2000, description: 'JSON sort array, or "-createdAt,amount"' })),
    header: Type.Optional(Type.Union([Type.Literal('key'), Type.Literal('en'), Type.Literal('zh')], { description: 'column headers: field keys (default) or labels in English or Chinese' })),
  },
  { additionalProperties: false },
);
const Message = Type.Object({ en: Type.String(), zh: Type.String() });
const PreviewReply = Type.Object({
  columns: Type.Array(Type.String()), rows: Type.Integer(), sample: Type.Array(Type.Array(Type.String())),
  mapping: Type.Record(Type.String(), Type.String(), { description: 'column → field key, matched by key or en/zh label' }),
});
const DryRunReply = Type.Object({
  rows: Type.Integer(), valid: Type.Integer(),
  errors: Type.Array(Type.Object({ row: Type.Integer({ description: '1 = first row under the header' }), column: Type.Union([Type.String(), Type.Null()]), field: Type.String(), code: Type.String(), message: Message })),
});

function parseJson(name: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new TrellisError('INVALID_QUERY', `"${name}" is not valid JSON`, { parameter: name });
  }
}

function parseSort(text: string): unknown {
  if (text.trimStart().startsWith('[')) return parseJson('sort', text);
  return text.split(',').filter(Boolean).map((part) => (part.startsWith('-') ? { field: part.slice(1), dir: 'desc' } : { field: part, dir: 'asc' }));
}

function parseOptions(text: string): ImportOptions {
  const o = parseJson('options', text);
  if (typeof o !== 'object' || o === null || Array.isArray(o)) throw new TrellisError('BAD_REQUEST', '"options" is a JSON object');
  const { mapping, linkKeys, dryRun, startWorkflows, ...rest } = o as Record<string, unknown>;
  const unknown = Object.keys(rest);
  if (unknown.length) throw new TrellisError('BAD_REQUEST', `Unknown import option${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}`);
  const out: ImportOptions = {};
  if (mapping !== undefined) {
    if (typeof mapping !== 'object' || mapping === null || Array.isArray(mapping) || Object.values(mapping).some((v) => typeof v !== 'string')) {
      throw new TrellisError('BAD_REQUEST', '"mapping" maps column headers to field keys ("" skips a column): {"column": "fieldKey"}');
    }
    out.mapping = mapping as Record<string, string>;
  }
  if (linkKeys !== undefined) {
    if (typeof linkKeys !== 'object' || linkKeys === null || Array.isArray(linkKeys) || Object.values(linkKeys).some((v) => typeof v !== 'string')) {
      throw new TrellisError('BAD_REQUEST', '"linkKeys" maps link fields to a key field of the linked form: {"linkField": "keyField"}');
    }
    out.linkKeys = linkKeys as Record<string, string>;
  }
  if (dryRun !== undefined) {
    if (typeof dryRun !== 'boolean') throw new TrellisError('BAD_REQUEST', '"dryRun" is true or false');
    out.dryRun = dryRun;
  }
  if (startWorkflows !== undefined) {
    if (typeof startWorkflows !== 'boolean') throw new TrellisError('BAD_REQUEST', '"startWorkflows" is true or false');
    out.startWorkflows = startWorkflows;
  }
  return out;
}

/** Data export (CSV, streamed) and import (CSV: preview with column mapping, dry-run report). */
const routes: FastifyPluginAsyncTypebox<{ config: Config }> = async (app, { config }) => {
  await app.register(multipart, { limits: { fileSize: config.maxImportBytes, files: 1, fields: 1, headerPairs: 50 } });

  app.get('/api/forms/:formId/export', {
    schema: {
      tags: ['records'], summary: 'Export the records you may export as CSV (UTF-8 with BOM) or XLSX, formula-like cells neutralised, streamed',
      params: FormParams, querystring: ExportQuery, produces: ['text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'], response: { ...errorReplies(400, 403, 404) },
    },
  }, async (request, reply) => {
    const q = request.query;
    const query: Pick<ListQuery, 'filter' | 'sort'> = {};
    if (q.filter) query.filter = parseJson('filter', q.filter) as ListQuery['filter'];
    if (q.sort) query.sort = parseSort(q.sort) as ListQuery['sort'];
    const caller = actorOf(request);
    reply.header('cache-control', 'no-store');
    if (q.format === 'xlsx') {
      const { fileName, body } = await app.dataExport.xlsx(request.params.formId, query, q.header ?? 'key', caller);
      reply.header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      reply.header('content-disposition', contentDisposition(fileName));
      return reply.send(body);
    }
    const { fileName, body } = await app.dataExport.csv(request.params.formId, query, q.header ?? 'key', caller);
    reply.header('content-type', 'text/csv; charset=utf-8');
    reply.header('content-disposition', contentDisposition(fileName));
    return reply.send(Readable.from(body));
  });

  /** The multipart body: an optional "options" field (JSON) first, then the "file"; the file is handed on as a stream. */
  async function upload<T>(request: FastifyRequest, use: (file: Readable, options: ImportOptions, format: FileFormat) => Promise<T>): Promise<T> {
    const length = Number(request.headers['content-length']);
    if (Number.isFinite(length) && length > config.maxImportBytes + 64 * 1024) throw new TrellisError('PAYLOAD_TOO_LARGE', `The file is larger than ${config.maxImportBytes} bytes`);
    if (!request.isMultipart()) throw new TrellisError('BAD_REQUEST', 'Send the file as multipart/form-data in a field named "file"');
    let options: ImportOptions = {};
    for await (const part of request.parts()) {
      if (part.type === 'field') {
        if (part.fieldname !== 'options') throw new TrellisError('BAD_REQUEST', `Unknown multipart field "${part.fieldname}": send "options" (JSON) and "file"`);
        options = parseOptions(String(part.value));
        continue;
      }
      if (part.fieldname !== 'file') throw new TrellisError('BAD_REQUEST', 'Send the file in a multipart field named "file"');
      const xlsx = /\.xlsx$/i.test(part.filename) || part.mimetype === 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
      return use(part.file, options, xlsx ? 'xlsx' : 'csv');
    }
    throw new TrellisError('BAD_REQUEST', 'Send the file in a multipart field named "file" (after the "options" field)');
  }

  app.post('/api/forms/:formId/import/preview', {
    schema: {
      tags: ['records'], summary: 'Read an import file (CSV): its columns, row count, first rows and the automatic column → field mapping',
      consumes: ['multipart/form-data'], params: FormParams, response: { 200: PreviewReply, ...errorReplies(400, 403, 404, 413) },
    },
  }, async (request) => upload(request, (file, _options, format) => app.dataImport.preview(request.params.formId, file, actorOf(request), format)));

  app.post('/api/forms/:formId/import', {
    schema: {
      tags: ['records'],
      summary: 'Import a CSV or XLSX file (first sheet; .xlsx name or type) (multipart: "options" JSON first, then "file"). {"dryRun": true}: 200 with the exact report of the rows a submit would refuse, nothing stored. Otherwise 202 {jobId}: a background import, all or nothing; follow it at GET /api/jobs/:jobId',
      consumes: ['multipart/form-data'], params: FormParams, response: { 200: DryRunReply, 202: Type.Object({ jobId: Type.String() }), ...errorReplies(400, 403, 404, 413) },
    },
  }, async (request, reply) => upload(request, async (file, options, format) => {
    const caller = actorOf(request);
    if (options.dryRun) return reply.status(200).send(await app.dataImport.dryRun(request.params.formId, file, options, caller, format));
    return reply.status(202).send({ jobId: await app.importJobs.start(request.params.formId, file, options, caller, format) });
  }));

  app.get('/api/jobs/:jobId', {
    schema: {
      tags: ['jobs'], summary: 'An import job: its state and progress {done, total, failed} and its row errors (the user who started it, administrators)',
      params: Type.Object({ jobId: Type.String({ maxLength: 100 }) }),
      response: {
        200: Type.Object({
          id: Type.String(), formId: Type.String(), by: Type.String(),
          state: Type.Union(['waiting', 'checking', 'importing', 'completed', 'failed'].map((s) => Type.Literal(s))),
          done: Type.Integer(), total: Type.Integer(), failed: Type.Integer(),
          errors: DryRunReply.properties.errors, message: Type.Union([Type.String(), Type.Null()]), createdAt: Type.String(), updatedAt: Type.String(),
        }),
        ...errorReplies(404),
      },
    },
  }, async (request) => {
    return app.importJobs.status(request.params.jobId, actorOf(request));
  });
};

export default routes;
