import {
  encodeCursor, evaluateRecord, normalizeAggregate, normalizeFilter, normalizeListQuery, planExternal, serialPlan, TrellisError,
  type AggregateResult, type EvalContext, type ExternalData, type ListQuery, type RecordData,
} from '@trellis/core';
import { notFound } from '../http/errors.js';
import type { Actor } from '../plugins/actor.js';
import type { HistoryEntry, RecordEntity, Store } from '../store/port.js';
import { diffData } from './diff.js';
import type { FormService, PublishedForm } from './form-service.js';
import { newId } from './ids.js';

export interface ListResult {
  items: RecordEntity[];
  nextCursor: string | null;
  total?: number;
}

const DEFAULT_STATUS = 'active';

/** Records of a published form: validate and store, read, list, aggregate, history. */
export class RecordService {
  constructor(
    private readonly store: Store,
    private readonly forms: FormService,
  ) {}

  async create(formId: string, input: RecordData, actor: Actor | null): Promise<RecordEntity> {
    const published = await this.forms.published(formId);
    const ctx = context(actor);
    const data = await this.evaluate(published, input, ctx, 'create');
    const at = ctx.now.toISOString();
    const record: RecordEntity = {
      id: newId(), formId, formVersion: published.version.version, version: 1, data,
      createdBy: actor?.id ?? null, createdAt: at, updatedAt: at, status: DEFAULT_STATUS,
    };
    const history: HistoryEntry = { id: newId(), recordId: record.id, formId, action: 'create', by: record.createdBy, at, version: 1, changes: [] };
    return this.store.records.insert(record, history, serialPlan(published.compiled, formId, ctx.now, ctx.timeZone));
  }

  async get(formId: string, recordId: string): Promise<RecordEntity> {
    await this.forms.get(formId);
    const record = await this.store.records.get(formId, recordId);
    if (!record) throw notFound('Record', recordId);
    return record;
  }

  async update(formId: string, recordId: string, patch: RecordData, expectedVersion: number, actor: Actor | null): Promise<RecordEntity> {
    const published = await this.forms.published(formId);
    const previous = await this.store.records.get(formId, recordId);
    if (!previous) throw notFound('Record', recordId);
    if (previous.version !== expectedVersion) {
      throw new TrellisError('VERSION_CONFLICT', `Record "${recordId}" was changed by someone else (version ${previous.version}, you sent ${expectedVersion})`, { expected: expectedVersion, actual: previous.version });
    }
    const ctx = context(actor);
    const data = await this.evaluate(published, patch, ctx, 'update', previous.data);
    const changes = diffData(previous.data, data);
    if (changes.length === 0 && previous.formVersion === published.version.version) return previous;
    const at = ctx.now.toISOString();
    const next: RecordEntity = { ...previous, data, formVersion: published.version.version, version: previous.version + 1, updatedAt: at };
    const history: HistoryEntry = { id: newId(), recordId, formId, action: 'update', by: actor?.id ?? null, at, version: next.version, changes };
    const saved = await this.store.records.update(next, expectedVersion, history);
    if (!saved) throw notFound('Record', recordId);
    return saved;
  }

  async delete(formId: string, recordId: string, actor: Actor | null): Promise<void> {
    await this.forms.get(formId);
    const history: HistoryEntry = { id: newId(), recordId, formId, action: 'delete', by: actor?.id ?? null, at: new Date().toISOString(), version: 0, changes: [] };
    if (!(await this.store.records.delete(formId, recordId, history))) throw notFound('Record', recordId);
  }

  async list(formId: string, query: ListQuery): Promise<ListResult> {
    const { compiled } = await this.forms.published(formId);
    const norm = normalizeListQuery(query, compiled.definition, { now: new Date() });
    const page = await this.store.records.find(formId, norm);
    const last = page.items.at(-1);
    const result: ListResult = { items: page.items, nextCursor: page.hasMore && last ? encodeCursor(norm.sort, last) : null };
    if (page.total !== undefined) result.total = page.total;
    return result;
  }

  async aggregate(formId: string, query: unknown): Promise<AggregateResult> {
    const { compiled } = await this.forms.published(formId);
    const norm = normalizeAggregate(query, compiled.definition, { now: new Date() });
    return { rows: await this.store.records.aggregate(formId, norm) };
  }

  async timeline(recordId: string): Promise<HistoryEntry[]> {
    const entries = await this.store.records.history(recordId);
    if (entries.length === 0) throw notFound('Record', recordId);
    return entries;
  }

  /** Runs the record engine with the linked records and value-linkage fills it asks for; 422 on any field error. */
  private async evaluate(published: PublishedForm, input: RecordData, ctx: EvalContext, mode: 'create' | 'update', previous?: RecordData): Promise<RecordData> {
    const { compiled } = published;
    const plan = planExternal(compiled, input, ctx, previous);
    const external: ExternalData = { links: {}, fills: {} };
    for (const link of plan.links) {
      const found = new Map((await this.store.records.getMany(link.form, link.ids)).map((r) => [r.id, r.data]));
      external.links[link.path] = Object.fromEntries(link.ids.map((id) => [id, found.get(id) ?? null]));
    }
    for (const fill of plan.fills) external.fills[fill.field] = await this.findFill(fill, ctx);
    const result = evaluateRecord(compiled, input, ctx, external, previous ? { mode, previous } : { mode });
    if (result.errors.length) {
      throw new TrellisError('VALIDATION_FAILED', `Record is not valid: ${result.errors.map((e) => `${e.field}: ${e.message.en}`).join('; ')}`, { fields: result.errors });
    }
    return result.data;
  }

  /** Value linkage: the `take` field of the newest record in another form whose fields equal the match values. */
  private async findFill(fill: { form: string; match: Record<string, unknown>; take: string }, ctx: EvalContext): Promise<unknown> {
    if (Object.values(fill.match).some((v) => v === undefined || v === null || v === '')) return undefined;
    let target: PublishedForm;
    try {
      target = await this.forms.published(fill.form);
    } catch {
      return undefined;
    }
    const filter = { and: Object.entries(fill.match).map(([field, value]) => ({ field, op: 'eq' as const, value })) };
    let norm;
    try {
      norm = normalizeFilter(filter, target.compiled.definition, { now: ctx.now });
    } catch {
      return undefined; // a match value of the wrong type simply finds nothing
    }
    const page = await this.store.records.find(fill.form, { filter: norm, sort: [{ path: { source: 'system', column: 'createdAt', storage: 'datetime' }, dir: 'desc' }], limit: 1, after: null, count: false });
    return page.items[0]?.data[fill.take];
  }
}

function context(actor: Actor | null): EvalContext {
  return { user: actor, now: new Date() };
}
