import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { TrellisError, type Field, type FieldError, type RecordData } from '@trellis/core';
import { notFound } from '../http/errors.js';
import type { Caller, ShareActor, UserActor } from '../services/access/actor.js';
import type { FormCatalog, PublishedForm } from '../services/form-catalog.js';
import { newId } from '../services/ids.js';
import type { RecordService } from '../services/record-service.js';
import type { TaskService } from '../services/workflow/task-service.js';
import { safeFileName, safeMimeType } from './file-names.js';
import { FilesError, type FileMeta, type FileRef, type FileStore } from './port.js';

const FILE_TYPES = new Set(['attachment', 'image', 'signature']);

export interface Upload {
  filename: string;
  mimetype: string | undefined;
  content: Readable;
}

export function fileRef(meta: FileMeta): FileRef {
  return { id: meta.id, name: meta.name, size: meta.size, type: meta.type, url: `/api/files/${meta.id}` };
}

/** Whether a form has a field that holds files (at the top or in a sub-table). */
export function hasFileField(fields: readonly Field[]): boolean {
  return fields.some((f) => FILE_TYPES.has(f.type) || (f.fields ?? []).some((s) => FILE_TYPES.has(s.type)));
}

/** The files a record's data refers to through the form's attachment, image and signature fields (sub-tables too): id → field path, e.g. `lines[1].photo`. */
export function referencedFiles(fields: readonly Field[], data: RecordData): Map<string, string> {
  const out = new Map<string, string>();
  const take = (v: unknown, path: string) => {
    if (!Array.isArray(v)) return;
    for (const ref of v) if (ref && typeof ref === 'object' && typeof (ref as { id?: unknown }).id === 'string' && !out.has((ref as { id: string }).id)) out.set((ref as { id: string }).id, path);
  };
  for (const f of fields) {
    if (FILE_TYPES.has(f.type)) take(data[f.key], f.key);
    if (f.type !== 'subtable' || !Array.isArray(data[f.key])) continue;
    const subs = (f.fields ?? []).filter((s) => FILE_TYPES.has(s.type));
    (data[f.key] as unknown[]).forEach((row, i) => {
      if (row && typeof row === 'object') for (const s of subs) take((row as RecordData)[s.key], `${f.key}[${i}].${s.key}`);
    });
  }
  return out;
}

/** Ids of the files a record's data refers to. */
export function referencedFileIds(fields: readonly Field[], data: RecordData): Set<string> {
  return new Set(referencedFiles(fields, data).keys());
}

/**
 * Uploads and permission-checked downloads. A file may be read by its
 * uploader, by administrators, and by anyone who may view a record whose
 * data (as they see it) refers to the file.
 */
export class FileService {
  constructor(
    private readonly files: FileStore,
    private readonly catalog: FormCatalog,
    private readonly records: RecordService,
    private readonly tasks: TaskService,
    readonly maxBytes: number,
  ) {}

  async upload(caller: UserActor | ShareActor, upload: Upload): Promise<FileRef> {
    const name = safeFileName(upload.filename);
    if (name === null) throw new TrellisError('BAD_REQUEST', 'The file needs a name (without path separators or control characters)', { field: 'file' });
    if (caller.kind === 'share') {
      // a submit link takes files only for a form that has somewhere to put them
      const published = await this.catalog.published(caller.link.formId);
      if (!hasFileField(published.version.definition.fields)) throw new TrellisError('BAD_REQUEST', 'This form takes no files');
    }
    // the id is the only thing that names a file: 128 random bits after the time part, so it cannot be guessed
    const id = `${newId()}${randomBytes(16).toString('base64url')}`;
    try {
      const meta = await this.files.put({
        id, name, type: safeMimeType(upload.mimetype),
        createdBy: caller.kind === 'user' ? caller.id : null,
        shareLinkId: caller.kind === 'share' ? caller.link.id : null,
        createdAt: new Date().toISOString(),
      }, upload.content, this.maxBytes);
      return fileRef(meta);
    } catch (err) {
      if (isTooLarge(err)) throw this.tooLarge();
      throw err;
    }
  }

  /**
   * A record may newly refer only to files its author uploaded (through the same share link, for a
   * public submission): otherwise knowing a file id would be enough to attach someone else's file
   * and read it through one's own record. Files the record had already are kept as they are;
   * administrators and the system (workflow actions copying attachments) may refer to any stored file.
   */
  async checkReferences(published: PublishedForm, data: RecordData, previous: RecordData | null, caller: Caller): Promise<void> {
    const fields = published.version.definition.fields;
    const before = previous ? referencedFileIds(fields, previous) : new Set<string>();
    const errors: FieldError[] = [];
    for (const [id, field] of referencedFiles(fields, data)) {
      if (before.has(id)) continue;
      const file = await this.files.get(id);
      const mine = file !== null && (caller.kind === 'system'
        || (caller.kind === 'user' && (caller.principal.admin || file.meta.createdBy === caller.id))
        || (caller.kind === 'share' && file.meta.shareLinkId === caller.link.id));
      if (!mine) {
        errors.push({ field, code: 'fileUnknown', message: { en: `File "${id}" was not uploaded by you: upload it again`, zh: `文件「${id}」不是你上传的，请重新上传` } });
      }
    }
    if (errors.length) throw new TrellisError('VALIDATION_FAILED', 'The record refers to files that are not yours', { fields: errors });
  }

  tooLarge(): TrellisError {
    return new TrellisError('PAYLOAD_TOO_LARGE', `The file is larger than the upload limit of ${formatBytes(this.maxBytes)}`, { limit: this.maxBytes });
  }

  /** The file to send, or 404 (unknown, or not the caller's to read: the two look alike). */
  async open(actor: UserActor, id: string, via: { record?: string; form?: string; task?: string }): Promise<{ meta: FileMeta; open(): Readable }> {
    const file = await this.files.get(id);
    if (!file) throw notFound('File', id);
    if (actor.principal.admin || (file.meta.createdBy !== null && file.meta.createdBy === actor.id)) return file;
    if (via.record && via.form) {
      // records.get applies the caller's scopes and strips fields hidden from them
      const record = await this.records.get(via.form, via.record, actor);
      const published = await this.catalog.published(via.form);
      if (referencedFileIds(published.version.definition.fields, record.data).has(id)) return file;
    }
    if (via.task) {
      // an approver reads the record of their task (as the step shows it) without a role on the form
      const view = await this.tasks.record(actor, via.task);
      const published = await this.catalog.published(view.task.formId);
      if (referencedFileIds(published.version.definition.fields, view.record.data).has(id)) return file;
    }
    throw notFound('File', id);
  }
}

function isTooLarge(err: unknown): boolean {
  if (err instanceof FilesError && err.code === 'TOO_LARGE') return true;
  return (err as { code?: unknown } | null)?.code === 'FST_REQ_FILE_TOO_LARGE';
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${Math.round((n / (1024 * 1024)) * 10) / 10} MB`;
  if (n >= 1024) return `${Math.round((n / 1024) * 10) / 10} KB`;
  return `${n} bytes`;
}
