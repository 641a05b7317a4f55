import { Type } from '@sinclair/typebox';
import type { FastifyReply } from 'fastify';
import type { Font } from 'fontkit';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { PrintTemplateDefinitionSchema, TrellisError, type PrintTemplateDefinition } from '@trellis/core';
import { contentDisposition } from '../files/file-names.js';
import { errorReplies, FormParams, RecordIdParams, RecordParams } from '../http/schemas.js';
import { actorOf } from '../plugins/actor.js';
import { renderPrintHtml } from '../services/print/print-html.js';
import { renderPrintPdf } from '../services/print/print-pdf.js';
import type { PrintJob } from '../services/print/print-service.js';
import type { PrintTemplateEntity } from '../store/port.js';

const Id = Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' });
const TemplateParams = Type.Object({ id: Id });
const VersionHeader = Type.Object({ 'if-match': Type.Optional(Type.String({ pattern: '^"?[0-9]{1,9}"?$' })) });
const Definition = Type.Unsafe<PrintTemplateDefinition>({
  ...PrintTemplateDefinitionSchema, $id: undefined,
  description: 'name, paper, orientation, margins (mm), header and footer, body blocks (title, fields, subtable, text, signatures, spacer, pageBreak)',
});
const TemplateReply = Type.Object({
  id: Type.String(), formId: Type.String(), appId: Type.String(), version: Type.Integer(), definition: Type.Unknown(),
  createdBy: Type.Union([Type.String(), Type.Null()]), createdAt: Type.String(), updatedAt: Type.String(),
});
const PrintQuery = Type.Object(
  {
    template: Id,
    format: Type.Optional(Type.Union([Type.Literal('html'), Type.Literal('pdf')], { description: 'html (default): a printable page; pdf: rendered by the server' })),
    lang: Type.Optional(Type.Union([Type.Literal('en'), Type.Literal('zh')], { description: 'language of labels and formatting (default en)' })),
    tz: Type.Optional(Type.String({ maxLength: 64, pattern: '^[A-Za-z0-9_+/-]+$', description: 'IANA time zone for datetimes, e.g. Asia/Shanghai (default UTC)' })),
    download: Type.Optional(Type.Union([Type.Literal('1'), Type.Literal('0')], { description: '1: sent as an attachment' })),
  },
  { additionalProperties: false },
);

const reply = (t: PrintTemplateEntity) => ({
  id: t.id, formId: t.formId, appId: t.appId, version: t.version, definition: t.definition, createdBy: t.createdBy, createdAt: t.createdAt, updatedAt: t.updatedAt,
});

function zoneOf(tz: string | undefined): string | undefined {
  if (tz === undefined) return undefined;
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
  } catch {
    throw new TrellisError('BAD_REQUEST', `Unknown time zone "${tz}"`, { field: 'tz' });
  }
  return tz;
}

// the printed page is data, not an app: it runs no script and loads nothing but its inline style and images
const HTML_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

async function send(res: FastifyReply, job: PrintJob, format: 'html' | 'pdf', download: boolean, font: () => Promise<Font>) {
  res.header('cache-control', 'no-store');
  res.header('x-content-type-options', 'nosniff');
  const disposition = (name: string) => (download ? contentDisposition(name) : contentDisposition(name).replace(/^attachment/, 'inline'));
  if (format === 'pdf') {
    res.header('content-type', 'application/pdf');
    res.header('content-disposition', disposition(`${job.fileName}.pdf`));
    return res.send(renderPrintPdf(job.model, job.images, await font()));
  }
  res.header('content-type', 'text/html; charset=utf-8');
  res.header('content-security-policy', HTML_CSP);
  if (download) res.header('content-disposition', disposition(`${job.fileName}.html`));
  return res.send(renderPrintHtml(job.model, job.images));
}

/** Print templates of a form, and records printed with them as a page or a PDF. */
const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/api/forms/:formId/print-templates', {
    schema: { tags: ['printing'], summary: "A form's print templates (those who may read its records or design its app)", params: FormParams, response: { 200: Type.Object({ items: Type.Array(TemplateReply) }), ...errorReplies(404) } },
  }, async (request) => ({ items: (await app.printing.list(actorOf(request), request.params.formId)).map(reply) }));

  app.post('/api/forms/:formId/print-templates', {
    schema: { tags: ['printing'], summary: 'Create a print template (designers of the app); 422 lists every problem with its path', params: FormParams, body: Definition, response: { 201: TemplateReply, ...errorReplies(400, 403, 404, 422) } },
  }, async (request, res) => {
    res.code(201);
    return reply(await app.printing.create(actorOf(request), request.params.formId, request.body));
  });

  app.get('/api/print-templates/:id', {
    schema: { tags: ['printing'], summary: 'A print template', params: TemplateParams, response: { 200: TemplateReply, ...errorReplies(404) } },
  }, async (request) => reply(await app.printing.get(actorOf(request), request.params.id)));

  app.put('/api/print-templates/:id', {
    schema: {
      tags: ['printing'], summary: 'Replace a print template (If-Match: <version> guards against concurrent edits)',
      params: TemplateParams, headers: VersionHeader, body: Definition, response: { 200: TemplateReply, ...errorReplies(400, 403, 404, 409, 422) },
    },
  }, async (request) => {
    const ifMatch = request.headers['if-match'];
    return reply(await app.printing.update(actorOf(request), request.params.id, request.body, ifMatch ? Number(ifMatch.replaceAll('"', '')) : null));
  });

  app.delete('/api/print-templates/:id', {
    schema: { tags: ['printing'], summary: 'Delete a print template', params: TemplateParams, response: { 204: Type.Null(), ...errorReplies(403, 404) } },
  }, async (request, res) => {
    await app.printing.delete(actorOf(request), request.params.id);
    return res.status(204).send(null);
  });

  const printSchema = {
    tags: ['printing'],
    summary: 'A record printed with a template, as the caller may read it (hidden fields are not printed): a standalone printable HTML page or a PDF',
    querystring: PrintQuery,
    produces: ['text/html', 'application/pdf'],
    response: { ...errorReplies(400, 404) },
  };

  app.get('/api/records/:recordId/print', { schema: { ...printSchema, params: RecordIdParams } }, async (request, res) => {
    const q = request.query;
    const tz = zoneOf(q.tz);
    const job = await app.printing.print(actorOf(request), q.template, request.params.recordId, { locale: q.lang ?? 'en', ...(tz ? { timeZone: tz } : {}) });
    return send(res, job, q.format ?? 'html', q.download === '1', () => app.printing.font());
  });

  app.get('/api/forms/:formId/records/:recordId/print', { schema: { ...printSchema, params: RecordParams } }, async (request, res) => {
    const q = request.query;
    const tz = zoneOf(q.tz);
    const job = await app.printing.print(actorOf(request), q.template, request.params.recordId, {
      locale: q.lang ?? 'en', formId: request.params.formId, ...(tz ? { timeZone: tz } : {}),
    });
    return send(res, job, q.format ?? 'html', q.download === '1', () => app.printing.font());
  });
};

export default routes;
