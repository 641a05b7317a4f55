import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { TrellisError } from '@trellis/core';
import { WORKFLOW_QUEUE } from '../workflow/flow-engine.js';
import type { JobQueue } from '../../jobs/port.js';
import type { Store } from '../../store/port.js';
import type { AccessService } from '../access/access-service.js';
import type { UserActor } from '../access/actor.js';
import { newId } from '../ids.js';
import type { RecordService } from '../record-service.js';
import { columnPlan, convertRow, eachRow, LinkResolver, rowError, type ColumnPlan, type FileFormat, type ImportOptions, type RowError } from './import-service.js';

export const IMPORT_QUEUE = 'import';
/** rows stored per insertMany (one transaction each on the embedded store) */
const BATCH = 1000;
const MAX_ERRORS = 10_000;

export interface ImportState {
  id: string;
  formId: string;
  /** the user who started it: only they and administrators read it */
  by: string;
  state: 'waiting' | 'checking' | 'importing' | 'completed' | 'failed';
  /** rows stored so far (during the undo of a failed import, what is left) */
  done: number;
  /** data rows in the file (known once the check pass has read it) */
  total: number;
  /** rows that failed */
  failed: number;
  errors: RowError[];
  /** why the import failed, when it did */
  message: string | null;
  createdAt: string;
  updatedAt: string;
}

/** The record id of row `row` of import `importId`: a retried job finds the rows it stored already. */
const recordId = (importId: string, row: number) => `${importId}-${row}`;

/**
 * Stored imports, as background jobs: the file is kept under DATA_DIR/imports,
 * every row is checked first (nothing is stored when any row fails), then rows
 * are stored in batches through insertMany with deterministic ids (a retry skips
 * what is stored); a row that fails while storing undoes the whole import.
 * The job's state (progress, errors) is a small JSON file beside the upload.
 */
export class ImportJobs {
  private readonly dir: string;

  constructor(
    dataDir: string,
    private readonly store: Store,
    private readonly records: RecordService,
    private readonly access: AccessService,
    private readonly jobs: JobQueue,
    /** told after an import stored or removed records (dashboards refresh); automations do not run for imported records, workflows start only with the option startWorkflows */
    private readonly changed: (formId: string) => Promise<void> = async () => {},
  ) {
    this.dir = path.join(dataDir, 'imports');
  }

  async attach(workers: boolean): Promise<void> {
    if (workers) await this.jobs.work(IMPORT_QUEUE, async (job) => this.run((job.data as { id: string }).id));
  }

  /** Keeps the file on disk and queues the import; the caller must be allowed to submit. */
  async start(formId: string, file: Readable, options: ImportOptions, caller: UserActor, format: FileFormat = 'csv'): Promise<string> {
    await this.records.importAccess(formId, caller);
    const id = newId();
    await mkdir(this.dir, { recursive: true });
    try {
      await pipeline(file, createWriteStream(this.path(id, 'csv')));
    } catch (e) {
      await rm(this.path(id, 'csv'), { force: true });
      throw e;
    }
    const at = new Date().toISOString();
    await writeFile(this.path(id, 'options.json'), JSON.stringify({ ...options, format }));
    await this.save({ id, formId, by: caller.id, state: 'waiting', done: 0, total: 0, failed: 0, errors: [], message: null, createdAt: at, updatedAt: at });
    await this.jobs.add(IMPORT_QUEUE, 'run', { id }, { jobId: `import.${id}`, attempts: 3, backoffMs: 1000 });
    return id;
  }

  /** The import's progress, for the user who started it and administrators (404 for anyone else). */
  async status(id: string, caller: UserActor): Promise<ImportState> {
    const state = /^[a-z0-9]{1,40}$/.test(id) ? await this.load(id) : null;
    if (!state || (state.by !== caller.id && !caller.principal.admin)) throw new TrellisError('NOT_FOUND', `No job "${id}"`);
    return state;
  }

  private async run(id: string): Promise<void> {
    const state = await this.load(id);
    if (!state || state.state === 'completed' || state.state === 'failed') return;
    try {
      await this.runChecked(state);
    } catch (e) {
      // a file or options that can never import (a bad mapping, an unreadable file): failed at once, with the reason
      if (!(e instanceof TrellisError && ['BAD_REQUEST', 'NOT_FOUND', 'FORBIDDEN', 'INVALID_QUERY'].includes(e.code))) throw e;
      await this.undo(state, state.total);
      await this.finish(state, 'failed', e.message);
    }
  }

  private async runChecked(state: ImportState): Promise<void> {
    const id = state.id;
    const principal = (await this.access.directory()).principal(state.by);
    if (!principal) return this.finish(state, 'failed', 'The user who started the import is no longer active');
    const caller: UserActor = { kind: 'user', id: state.by, principal, sessionId: null, apiKeyId: null, address: null };
    const options = JSON.parse(await readFile(this.path(id, 'options.json'), 'utf8')) as ImportOptions & { format?: FileFormat };
    const format = options.format ?? 'csv';
    const { published, access } = await this.records.importAccess(state.formId, caller);
    const compiled = published.compiled;
    const links = options.linkKeys ? new LinkResolver(this.records, compiled, options.linkKeys, caller) : null;

    // pass 1: every row converted and validated as a submit; nothing is stored when any row fails
    Object.assign(state, { state: 'checking', done: 0, failed: 0, errors: [] });
    await this.save(state);
    let plan: ColumnPlan | null = null;
    let total = 0;
    await eachRow(createReadStream(this.path(id, 'csv')), async (row) => {
      if (!plan) {
        plan = columnPlan(compiled, row, options.mapping, access.hidden);
        return;
      }
      const n = ++total;
      const converted = convertRow(compiled, plan, row, n);
      await links?.resolve(plan, row, n, converted.data, converted.errors);
      const errors = converted.errors.length ? converted.errors : (await this.records.check(state.formId, converted.data, caller, { published, access })).map((e) => rowError(plan!, n, e));
      if (errors.length) {
        state.failed++;
        for (const e of errors) if (state.errors.length < MAX_ERRORS) state.errors.push(e);
      }
    }, format);
    state.total = total;
    if (state.failed > 0) return this.finish(state, 'failed', `${state.failed} row${state.failed > 1 ? 's' : ''} would be refused: nothing was imported`);

    // pass 2: stored in batches; rows a previous try stored are skipped
    state.state = 'importing';
    await this.save(state);
    let batch: { n: number; data: Record<string, unknown> }[] = [];
    const flush = async () => {
      const items = [];
      const stored = new Set(await this.store.records.existing(state.formId, batch.map((b) => recordId(id, b.n))));
      for (const b of batch) {
        if (stored.has(recordId(id, b.n))) continue;
        const prepared = await this.records.prepare(state.formId, b.data, caller, recordId(id, b.n), { published, access });
        if ('errors' in prepared) throw new RowFailure(prepared.errors.map((e) => rowError(plan!, b.n, e)));
        items.push(prepared.item);
      }
      try {
        if (items.length) await this.store.records.insertMany(state.formId, items);
      } catch (e) {
        if (e instanceof TrellisError && e.code === 'UNIQUE_VIOLATION') {
          const field = String((e.details as { field?: unknown } | undefined)?.field ?? '');
          throw new RowFailure([{ row: batch[0]!.n, column: plan!.find((c) => c.key === field)?.column ?? null, field, code: 'unique', message: { en: `A value of this batch (rows ${batch[0]!.n}–${batch.at(-1)!.n}) is already taken`, zh: `此批（第 ${batch[0]!.n}–${batch.at(-1)!.n} 行）中的值已被占用` } }]);
        }
        throw e;
      }
      state.done = batch.at(-1)!.n;
      batch = [];
      await this.save(state);
      await this.changed(state.formId);
    };
    let n = 0;
    plan = null;
    try {
      await eachRow(createReadStream(this.path(id, 'csv')), async (row) => {
        if (!plan) {
          plan = columnPlan(compiled, row, options.mapping, access.hidden);
          return;
        }
        n++;
        const converted = convertRow(compiled, plan, row, n);
        await links?.resolve(plan, row, n, converted.data, converted.errors);
        // a linked record gone since the check pass
        if (converted.errors.length) throw new RowFailure(converted.errors);
        batch.push({ n, data: converted.data });
        if (batch.length >= BATCH) await flush();
      }, format);
      if (batch.length) await flush();
    } catch (e) {
      if (!(e instanceof RowFailure)) throw e; // retried by the jobs port; stored rows are skipped then
      state.failed = 1;
      state.errors = e.errors;
      await this.undo(state, total);
      return this.finish(state, 'failed', 'A row failed while importing: the rows stored by this import were removed again');
    }
    // the workflow starts as for a submit, one job per record (its id makes a retried import start it once)
    if (options.startWorkflows) {
      for (let row = 1; row <= total; row++) {
        const rid = recordId(id, row);
        await this.jobs.add(WORKFLOW_QUEUE, 'start', { formId: state.formId, recordId: rid }, { jobId: `start.${rid}` });
      }
    }
    await this.finish(state, 'completed', null);
  }

  /** Deletes every record this import stored (each deletion in the record's history). */
  private async undo(state: ImportState, total: number): Promise<void> {
    for (let from = 1; from <= total; from += BATCH) {
      const ids = [];
      for (let n = from; n < from + BATCH && n <= total; n++) ids.push(recordId(state.id, n));
      for (const rid of await this.store.records.existing(state.formId, ids)) {
        await this.store.records.delete(state.formId, rid, { id: newId(), recordId: rid, formId: state.formId, action: 'delete', by: state.by, at: new Date().toISOString(), version: 0, changes: [] });
        state.done = Math.max(0, state.done - 1);
      }
    }
    await this.changed(state.formId);
  }

  private async finish(state: ImportState, outcome: 'completed' | 'failed', message: string | null): Promise<void> {
    state.state = outcome;
    state.message = message;
    if (outcome === 'failed') state.done = 0;
    await this.save(state);
    await rm(this.path(state.id, 'csv'), { force: true });
    await rm(this.path(state.id, 'options.json'), { force: true });
  }

  private path(id: string, ext: string): string {
    return path.join(this.dir, `${id}.${ext}`);
  }

  private async load(id: string): Promise<ImportState | null> {
    try {
      return JSON.parse(await readFile(this.path(id, 'json'), 'utf8')) as ImportState;
    } catch {
      return null;
    }
  }

  private async save(state: ImportState): Promise<void> {
    state.updatedAt = new Date().toISOString();
    const tmp = this.path(state.id, 'json.tmp');
    await writeFile(tmp, JSON.stringify(state));
    await rename(tmp, this.path(state.id, 'json'));
  }
}

class RowFailure extends Error {
  constructor(readonly errors: RowError[]) {
    super('an import row failed');
  }
}
