import type { Font } from 'fontkit';
import {
  checkPrintTemplate, labelText, layoutPrint, TrellisError, visibleDefinition,
  type DefinitionProblem, type FormDefinition, type Label, type Locale, type PrintImage, type PrintModel, type PrintTemplateDefinition,
} from '@trellis/core';
import { notFound } from '../../http/errors.js';
import type { FileStore } from '../../files/port.js';
import type { FormEntity, PrintTemplateEntity, Store } from '../../store/port.js';
import type { AccessService } from '../access/access-service.js';
import type { UserActor } from '../access/actor.js';
import type { FormCatalog } from '../form-catalog.js';
import { loadPdfFont, pdfFontPath } from './print-pdf.js';
import { newId } from '../ids.js';
import type { RecordService } from '../record-service.js';

/** Linked records read for their titles in one print. */
const MAX_LINK_LABELS = 200;
/** A logo is embedded in every page: keep it small. */
const MAX_LOGO_BYTES = 1024 * 1024;
const LOGO_TYPES = new Set(['image/png', 'image/jpeg']);

export interface PrintOptions {
  locale: Locale;
  timeZone?: string;
  /** the form the caller addressed the record through, when the route names one */
  formId?: string;
}

/** A record laid out with a template, and the logos' bytes for the renderers. */
export interface PrintJob {
  model: PrintModel;
  images: Map<string, { type: string; bytes: Buffer }>;
  fileName: string;
}

/**
 * Print templates of a form (designers of the app write them, whoever may read
 * the form's records reads them) and records laid out with them, as the
 * caller may read the record: fields hidden from them are not printed.
 */
export class PrintService {
  constructor(
    private readonly store: Store,
    private readonly catalog: FormCatalog,
    private readonly access: AccessService,
    private readonly records: RecordService,
    private readonly files: FileStore,
    /** TRELLIS_PDF_FONT; null: the bundled Noto Sans SC */
    private readonly pdfFont: string | null = null,
  ) {}

  /** The parsed font PDFs are set in (read once). */
  font(): Promise<Font> {
    return loadPdfFont(pdfFontPath(this.pdfFont));
  }

  async list(actor: UserActor, formId: string): Promise<PrintTemplateEntity[]> {
    const form = await this.catalog.get(formId);
    await this.requireRead(actor, form);
    const all = await this.store.entities.list('printTemplate', { ref: formId });
    return all.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  }

  async create(actor: UserActor, formId: string, definition: PrintTemplateDefinition): Promise<PrintTemplateEntity> {
    const form = await this.catalog.get(formId);
    await this.access.requireApp(actor, form.appId, 'design');
    await this.check(actor, form, definition, null);
    const now = new Date().toISOString();
    const entity: PrintTemplateEntity = { id: newId(), formId, appId: form.appId, definition, createdBy: actor.id, version: 1, createdAt: now, updatedAt: now };
    await this.store.entities.insert('printTemplate', entity);
    return entity;
  }

  /** The template, for those who may read its form's records or design its app (404 for anyone else). */
  async get(actor: UserActor, id: string, need: 'read' | 'design' = 'read'): Promise<PrintTemplateEntity> {
    const t = await this.store.entities.get('printTemplate', id);
    if (!t) throw notFound('Print template', id);
    const form = await this.store.forms.get(t.formId);
    if (!form) throw notFound('Print template', id);
    try {
      if (need === 'design') await this.access.requireApp(actor, form.appId, 'design');
      else await this.requireRead(actor, form);
    } catch (e) {
      if (e instanceof TrellisError && e.code === 'NOT_FOUND') throw notFound('Print template', id);
      throw e;
    }
    return t;
  }

  async update(actor: UserActor, id: string, definition: PrintTemplateDefinition, expectedVersion: number | null): Promise<PrintTemplateEntity> {
    const current = await this.get(actor, id, 'design');
    if (expectedVersion !== null && expectedVersion !== current.version) {
      throw new TrellisError('VERSION_CONFLICT', `The print template was changed by someone else (version ${current.version}, you sent ${expectedVersion})`, { expected: expectedVersion, actual: current.version });
    }
    await this.check(actor, await this.catalog.get(current.formId), definition, current.definition);
    const next: PrintTemplateEntity = { ...current, definition, version: current.version + 1, updatedAt: new Date().toISOString() };
    const saved = await this.store.entities.update('printTemplate', next, current.version);
    if (!saved) throw notFound('Print template', id);
    return saved;
  }

  async delete(actor: UserActor, id: string): Promise<void> {
    await this.get(actor, id, 'design');
    await this.store.entities.delete('printTemplate', id);
  }

  /** A record laid out with a template, as the caller may read it (404 as for reading the record). */
  async print(actor: UserActor, templateId: string, recordId: string, options: PrintOptions): Promise<PrintJob> {
    const template = await this.get(actor, templateId);
    if (options.formId !== undefined && options.formId !== template.formId) {
      throw new TrellisError('BAD_REQUEST', `Print template "${templateId}" belongs to another form`, { field: 'template' });
    }
    // records.get applies the caller's scopes and takes out the fields hidden from them
    const record = await this.records.get(template.formId, recordId, actor);
    const published = await this.catalog.published(template.formId);
    const hidden = (await this.access.form(actor, published)).hidden;
    const form = visibleDefinition(published.compiled.definition, hidden);
    const labels = await this.labels(actor, form, record.data, record.createdBy);
    const model = layoutPrint(template.definition, form, record, labels, {
      locale: options.locale, now: new Date(), timeZone: options.timeZone ?? this.records.timeZone,
    });
    const images = new Map<string, { type: string; bytes: Buffer }>();
    for (const logo of [model.header?.logo, model.footer?.logo]) {
      if (!logo || images.has(logo.id)) continue;
      const image = await this.readLogo(logo);
      if (image) images.set(logo.id, image);
    }
    const title = record.data[published.compiled.definition.titleField ?? ''];
    const base = `${model.name}${typeof title === 'string' || typeof title === 'number' ? ` ${String(title)}` : ''}`;
    return { model, images, fileName: base.trim() || labelText(template.definition.name, options.locale) || 'print' };
  }

  /** Names of the members, departments and linked records the record refers to, as the caller may see them. */
  private async labels(actor: UserActor, form: FormDefinition, data: Record<string, unknown>, createdBy: string | null): Promise<Record<string, Label>> {
    const users = new Set<string>(createdBy ? [createdBy] : []);
    const departments = new Set<string>();
    const links = new Map<string, { displayField?: string; ids: Set<string> }>();
    const collect = (fields: FormDefinition['fields'], row: Record<string, unknown>) => {
      for (const f of fields) {
        const v = row[f.key];
        if (v === undefined || v === null) continue;
        if (f.type === 'subtable') {
          if (Array.isArray(v)) for (const r of v) if (r && typeof r === 'object') collect(f.fields ?? [], r as Record<string, unknown>);
          continue;
        }
        const ids = (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string');
        if (f.type === 'member') ids.forEach((x) => users.add(x));
        else if (f.type === 'department') ids.forEach((x) => departments.add(x));
        else if (f.type === 'link' && f.form) {
          const entry = links.get(f.form) ?? { ...(f.displayField ? { displayField: f.displayField } : {}), ids: new Set<string>() };
          ids.forEach((x) => entry.ids.add(x));
          links.set(f.form, entry);
        }
      }
    };
    collect(form.fields, data);
    const out: Record<string, Label> = {};
    const dir = await this.access.directory();
    for (const id of users) {
      const name = dir.users.get(id)?.name;
      if (name !== undefined) out[id] = name;
    }
    for (const id of departments) {
      const name = dir.departments.get(id)?.name;
      if (name !== undefined) out[id] = name;
    }
    let budget = MAX_LINK_LABELS;
    for (const [formId, { displayField, ids }] of links) {
      const target = await this.catalog.published(formId).catch(() => null);
      const title = displayField ?? target?.version.definition.titleField;
      if (!title) continue;
      const some = [...ids].slice(0, budget);
      budget -= some.length;
      await Promise.all(some.map(async (id) => {
        // read as the caller: a record they may not see keeps its id, a title they may not see is not printed
        const r = await this.records.get(formId, id, actor).catch(() => null);
        const v = r?.data[title];
        if (typeof v === 'string' || typeof v === 'number') out[id] = String(v);
      }));
      if (budget <= 0) break;
    }
    return out;
  }

  private async readLogo(logo: PrintImage): Promise<{ type: string; bytes: Buffer } | null> {
    const file = await this.files.get(logo.id).catch(() => null);
    if (!file || !LOGO_TYPES.has(file.meta.type) || file.meta.size > MAX_LOGO_BYTES) return null;
    const chunks: Buffer[] = [];
    for await (const chunk of file.open()) chunks.push(Buffer.from(chunk as Uint8Array));
    return { type: file.meta.type, bytes: Buffer.concat(chunks) };
  }

  /** Read access to a form's templates: the app's designers, and whoever may read the form's records. */
  private async requireRead(actor: UserActor, form: FormEntity): Promise<void> {
    if (actor.principal.admin) return;
    const published = await this.catalog.publishedOf(form);
    if (published && (await this.access.form(actor, published)).can.view) return;
    await this.access.requireApp(actor, form.appId, 'design').catch((e: unknown) => {
      // someone who may open the app but neither read this form nor design: the form does not exist for them
      if (e instanceof TrellisError && (e.code === 'FORBIDDEN' || e.code === 'NOT_FOUND')) throw notFound('Form', form.id);
      throw e;
    });
  }

  /**
   * 422 INVALID_DEFINITION with every problem: fields of the form (its published version, else its draft),
   * and logos that are PNG or JPEG files the designer uploaded (or that the template had already).
   */
  private async check(actor: UserActor, form: FormEntity, definition: PrintTemplateDefinition, previous: PrintTemplateDefinition | null): Promise<void> {
    const published = await this.catalog.publishedOf(form);
    const problems: DefinitionProblem[] = checkPrintTemplate(definition, published?.version.definition ?? form.draft);
    const before = new Set([previous?.header?.logo?.id, previous?.footer?.logo?.id].filter((x): x is string => !!x));
    for (const at of ['header', 'footer'] as const) {
      const logo = definition[at]?.logo;
      if (!logo || before.has(logo.id)) continue;
      const file = await this.files.get(logo.id).catch(() => null);
      const mine = file !== null && (actor.principal.admin || file.meta.createdBy === actor.id);
      if (!file || !mine) problems.push({ path: `${at}.logo`, code: 'fileUnknown', message: `File "${logo.id}" was not uploaded by you: upload it again` });
      else if (!LOGO_TYPES.has(file.meta.type)) problems.push({ path: `${at}.logo`, code: 'imageType', message: `The logo must be a PNG or JPEG image, not ${file.meta.type}` });
      else if (file.meta.size > MAX_LOGO_BYTES) problems.push({ path: `${at}.logo`, code: 'tooLarge', message: 'The logo must be at most 1 MB' });
    }
    if (problems.length) throw new TrellisError('INVALID_DEFINITION', problems.map((p) => `${p.path}: ${p.message}`).join('; '), { problems });
  }
}
