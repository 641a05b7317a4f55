import {
  andFilters, encodeCursor, evaluateRecord, fieldType, matchFilter, normalizeAggregate, normalizeFilter, normalizeListQuery, planExternal,
  serialPlan, stripHidden, TrellisError, visibleDefinition,
  type AggregateResult, type AggregateRow, type EvalContext, type ExternalData, type FormAccess, type ListQuery, type NormFilter, type RecordAction,
  type RecordData,
} from '@trellis/core';
import { forbidden, notFound, statusOf } from '../http/errors.js';
import type { HistoryEntry, RecordEntity, Store } from '../store/port.js';
import type { AccessService } from './access/access-service.js';
import { callerId, type Caller } from './access/actor.js';
import { diffData } from './diff.js';
import type { FormCatalog, PublishedForm } from './form-catalog.js';
import { newId } from './ids.js';

/** a form and the caller's access to submit into it, resolved once for a whole import */
export interface ImportAccess {
  published: PublishedForm;
  access: FormAccess;
}

type FieldErrorLike = { field: string; code: string; message: { en: string; zh: string } };

/** One record a bulk change could not apply to, with the reason (as the single-record route would answer). */
export interface BulkFailure {
  id: string;
  status: number;
  code: string;
  message: string;
  fields?: unknown;
}

export interface ListResult {
  items: RecordEntity[];
  nextCursor: string | null;
  total?: number;
}

const DEFAULT_STATUS = 'active';
const ID_PATH = { source: 'system', column: 'id', storage: 'ref' } as const;

/** Told about record writes (workflows and automations start from here); must not throw. */
/** Keeps aggregate rows per store query (see dashboards/aggregate-cache.ts). */
export interface AggregateRowsCache {
  rows(formId: string, key: string, compute: () => Promise<AggregateRow[]>): Promise<AggregateRow[]>;
}

export interface RecordObserver {
  /** after the data is evaluated, before anything is stored: throw to refuse it (previous is null on create) */
  checking?(published: PublishedForm, data: RecordData, previous: RecordData | null, caller: Caller): Promise<void>;
  /** before a record is stored, once its id is known */
  creating?(published: PublishedForm, recordId: string, caller: Caller): Promise<void>;
  created?(published: PublishedForm, record: RecordEntity, caller: Caller): Promise<void>;
  updated?(published: PublishedForm, previous: RecordEntity, record: RecordEntity, caller: Caller): Promise<void>;
  deleted?(published: PublishedForm, recordId: string, caller: Caller): Promise<void>;
  /** a workflow set the record's status (no data changed, so `updated` is not called) */
  statusChanged?(formId: string, recordId: string, status: string): Promise<void>;
}

/**
 * Records of a published form: validate and store, read, list, aggregate,
 * history, each within what the caller may do. Data scopes are part of every
 * store query; hidden fields are taken out of every reply.
 */
export class RecordService {
  private readonly observers: RecordObserver[] = [];

  constructor(
    private readonly store: Store,
    private readonly forms: FormCatalog,
    private readonly access: AccessService,
    /** the zone dates are read in (TRELLIS_TIME_ZONE) */
    readonly timeZone = 'UTC',
  ) {}

  /** Now, and the zone dates are read in: for queries, rules and ranges computed outside this service. */
  clock(): { now: Date; timeZone: string } {
    return { now: new Date(), timeZone: this.timeZone };
  }

  observe(observer: RecordObserver): void {
    this.observers.push(observer);
  }

  /** Validates and stores a new record. With `options.id` (a workflow action's idempotency), a record that already has that id is returned as it is. */
  async create(formId: string, input: RecordData, caller: Caller, options: { id?: string } = {}): Promise<RecordEntity> {
    const published = await this.forms.published(formId);
    const access = await this.allowed(caller, published, 'submit');
    if (options.id) {
      const existing = await this.store.records.get(formId, options.id);
      if (existing) return shown(existing, access);
    }
    const ctx = context(caller, this.timeZone);
    const data = await this.evaluate(published, input, ctx, caller, access, 'create');
    for (const o of this.observers) await o.checking?.(published, data, null, caller);
    const at = ctx.now.toISOString();
    const record: RecordEntity = {
      id: options.id ?? newId(), formId, formVersion: published.version.version, version: 1, data,
      createdBy: callerId(caller), createdAt: at, updatedAt: at, status: DEFAULT_STATUS,
    };
    for (const o of this.observers) await o.creating?.(published, record.id, caller);
    const history: HistoryEntry = { id: newId(), recordId: record.id, formId, action: 'create', by: record.createdBy, at, version: 1, changes: [] };
    const saved = await this.store.records.insert(record, history, serialPlan(published.compiled, formId, ctx.now, ctx.timeZone));
    for (const o of this.observers) await o.created?.(published, saved, caller);
    return shown(saved, access);
  }

  /** Sets a record's status (a workflow's progress and outcome), recorded in its history. */
  async setStatus(formId: string, recordId: string, status: string, by: string | null): Promise<void> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const current = await this.store.records.get(formId, recordId);
      if (!current || current.status === status) return;
      const at = new Date().toISOString();
      const next: RecordEntity = { ...current, status, version: current.version + 1, updatedAt: at };
      const history: HistoryEntry = { id: newId(), recordId, formId, action: 'update', by, at, version: next.version, changes: [{ field: 'status', from: current.status, to: status }] };
      try {
        await this.store.records.update(next, current.version, history);
        for (const o of this.observers) await o.statusChanged?.(formId, recordId, status);
        return;
      } catch (e) {
        if (!(e instanceof TrellisError && e.code === 'VERSION_CONFLICT')) throw e;
      }
    }
    throw new TrellisError('CONFLICT', `Record "${recordId}" kept changing while its status was set`);
  }

  async get(formId: string, recordId: string, caller: Caller): Promise<RecordEntity> {
    const published = await this.forms.published(formId);
    const access = await this.allowed(caller, published, 'view');
    const record = await this.find(formId, recordId, access.scope.view);
    if (!record) throw notFound('Record', recordId);
    return shown(record, access);
  }

  /**
   * Changes a record. `options.locked` replaces the caller's locked fields (an approver edits only the fields their step
   * allows); `options.historyId` names the change in the record's history (an action finds its own change again).
   */
  async update(formId: string, recordId: string, patch: RecordData, expectedVersion: number, caller: Caller, options: { locked?: ReadonlySet<string>; historyId?: string } = {}): Promise<RecordEntity> {
    const published = await this.forms.published(formId);
    const allowed = await this.allowed(caller, published, 'edit');
    const access = options.locked ? { ...allowed, locked: options.locked } : allowed;
    const previous = await this.reach(formId, recordId, access, 'edit');
    if (previous.version !== expectedVersion) {
      throw new TrellisError('VERSION_CONFLICT', `Record "${recordId}" was changed by someone else (version ${previous.version}, you sent ${expectedVersion})`, { expected: expectedVersion, actual: previous.version });
    }
    const ctx = context(caller, this.timeZone);
    const data = await this.evaluate(published, patch, ctx, caller, access, 'update', previous.data);
    const changes = diffData(previous.data, data);
    for (const o of this.observers) if (changes.length) await o.checking?.(published, data, previous.data, caller);
    if (changes.length === 0 && previous.formVersion === published.version.version) return shown(previous, access);
    const at = ctx.now.toISOString();
    const next: RecordEntity = { ...previous, data, formVersion: published.version.version, version: previous.version + 1, updatedAt: at };
    // an edit may not carry a record out of what the editor may edit (e.g. re-point it to another supplier)
    if (!matchFilter(access.scope.edit, next)) throw forbidden('This change would move the record outside the records you may edit');
    const history: HistoryEntry = { id: options.historyId ?? newId(), recordId, formId, action: 'update', by: callerId(caller), at, version: next.version, changes };
    const saved = await this.store.records.update(next, expectedVersion, history);
    if (!saved) throw notFound('Record', recordId);
    for (const o of this.observers) await o.updated?.(published, previous, saved, caller);
    return shown(saved, access);
  }

  /**
   * Bulk edit: the same change to each record, one at a time through `update`
   * (permissions, rules, validation, unique checks, workflow guards and history
   * per record), at each record's current version (retried when it changes
   * meanwhile). A change naming a field the caller may not set fails as a whole
   * before any record is touched.
   */
  async bulkUpdate(formId: string, ids: readonly string[], patch: RecordData, caller: Caller): Promise<{ updated: { id: string; version: number }[]; failed: BulkFailure[] }> {
    const published = await this.forms.published(formId);
    const access = await this.allowed(caller, published, 'edit');
    const byKey = new Map(published.compiled.definition.fields.map((f) => [f.key, f]));
    const keys = Object.keys(patch);
    if (keys.length === 0) throw new TrellisError('BAD_REQUEST', 'Name at least one field to change');
    const unknown = keys.filter((k) => !byKey.has(k) || access.hidden.has(k));
    if (unknown.length) throw new TrellisError('BAD_REQUEST', `Unknown field${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}`, { fields: unknown });
    const refused = keys.filter((k) => access.locked.has(k) || fieldType(byKey.get(k)!.type).facts(byKey.get(k)!).computed);
    if (refused.length) {
      throw new TrellisError('VALIDATION_FAILED', `You may not change ${refused.join(', ')}`, {
        fields: refused.map((field) => ({ field, code: 'readOnly', message: { en: 'You may not change this field', zh: '您不能修改此字段' } })),
      });
    }
    const updated: { id: string; version: number }[] = [];
    const failed: BulkFailure[] = [];
    for (const id of new Set(ids)) {
      try {
        updated.push({ id, version: (await this.updateCurrent(formId, id, patch, caller)).version });
      } catch (e) {
        failed.push(failure(id, e));
      }
    }
    return { updated, failed };
  }

  /** Bulk delete, one record at a time through `delete` (each recorded in its history). */
  async bulkDelete(formId: string, ids: readonly string[], caller: Caller): Promise<{ deleted: string[]; failed: BulkFailure[] }> {
    const published = await this.forms.published(formId);
    await this.allowed(caller, published, 'delete');
    const deleted: string[] = [];
    const failed: BulkFailure[] = [];
    for (const id of new Set(ids)) {
      try {
        await this.delete(formId, id, caller);
        deleted.push(id);
      } catch (e) {
        failed.push(failure(id, e));
      }
    }
    return { deleted, failed };
  }

  /** `update` at the record's current version, read again when someone else changes it in between. */
  private async updateCurrent(formId: string, recordId: string, patch: RecordData, caller: Caller): Promise<RecordEntity> {
    for (let attempt = 0; ; attempt++) {
      // the version only: `update` itself checks that the caller may reach the record (404/403 as for one PATCH)
      const current = await this.store.records.get(formId, recordId);
      try {
        return await this.update(formId, recordId, patch, current?.version ?? 1, caller);
      } catch (e) {
        if (!(e instanceof TrellisError && e.code === 'VERSION_CONFLICT') || attempt >= 2) throw e;
      }
    }
  }

  async delete(formId: string, recordId: string, caller: Caller): Promise<void> {
    const published = await this.forms.published(formId);
    const access = await this.allowed(caller, published, 'delete');
    await this.reach(formId, recordId, access, 'delete');
    const history: HistoryEntry = { id: newId(), recordId, formId, action: 'delete', by: callerId(caller), at: new Date().toISOString(), version: 0, changes: [] };
    if (!(await this.store.records.delete(formId, recordId, history))) throw notFound('Record', recordId);
    for (const o of this.observers) await o.deleted?.(published, recordId, caller);
  }

  async list(formId: string, query: ListQuery, caller: Caller): Promise<ListResult> {
    const published = await this.forms.published(formId);
    const access = await this.allowed(caller, published, 'view');
    // hidden fields are not part of the form this caller queries: filtering or sorting on them is an unknown field
    const definition = visibleDefinition(published.compiled.definition, access.hidden);
    const norm = normalizeListQuery(query, definition, this.clock());
    norm.filter = andFilters([access.scope.view, norm.filter]);
    const page = await this.store.records.find(formId, norm);
    const last = page.items.at(-1);
    const result: ListResult = {
      items: page.items.map((r) => shown(r, access)),
      nextCursor: page.hasMore && last ? encodeCursor(norm.sort, last) : null,
    };
    if (page.total !== undefined) result.total = page.total;
    return result;
  }

  /**
   * A group-by aggregate over the records the caller may see. `cache` (dashboards) may answer
   * from rows it keeps for the same store query: `key` names it exactly, the data scope included.
   */
  async aggregate(formId: string, query: unknown, caller: Caller, cache?: AggregateRowsCache): Promise<AggregateResult> {
    const published = await this.forms.published(formId);
    const access = await this.allowed(caller, published, 'view');
    const definition = visibleDefinition(published.compiled.definition, access.hidden);
    const norm = normalizeAggregate(query, definition, this.clock());
    norm.filter = andFilters([access.scope.view, norm.filter]);
    const compute = () => this.store.records.aggregate(formId, norm);
    return { rows: await (cache ? cache.rows(formId, JSON.stringify(norm), compute) : compute()) };
  }

  /** The form and the caller's access for an export (403/404 as for reading; the `export` grant has its own scope). */
  async exportAccess(formId: string, caller: Caller): Promise<{ published: PublishedForm; access: FormAccess }> {
    const published = await this.forms.published(formId);
    return { published, access: await this.allowed(caller, published, 'export') };
  }

  /** The form and the caller's access for an import: importing is submitting (403/404 as for a submit). */
  async importAccess(formId: string, caller: Caller): Promise<ImportAccess> {
    const published = await this.forms.published(formId);
    return { published, access: await this.allowed(caller, published, 'submit') };
  }

  /** Validate-only: runs the record engine exactly as a submit would and returns the field errors (empty when the record would be stored). */
  async check(formId: string, input: RecordData, caller: Caller, resolved?: ImportAccess): Promise<FieldErrorLike[]> {
    const prepared = await this.prepare(formId, input, caller, 'unsaved', resolved);
    return 'errors' in prepared ? prepared.errors : [];
  }

  /**
   * An import's record: evaluated exactly as a submit (formulas, lookups, validation, observers' checks),
   * ready for the store's insertMany under the given id; the field errors instead when a submit would refuse it.
   */
  async prepare(formId: string, input: RecordData, caller: Caller, id: string, resolved?: ImportAccess, options: { trusted?: boolean } = {}): Promise<
    { item: { record: RecordEntity; history: HistoryEntry; serials: ReturnType<typeof serialPlan> } } | { errors: FieldErrorLike[] }
  > {
    // an import resolves the form and the caller's access once, not per row
    const { published, access } = resolved ?? (await this.importAccess(formId, caller));
    const ctx = context(caller, this.timeZone);
    let data: RecordData;
    try {
      data = await this.evaluate(published, input, ctx, caller, access, 'create', undefined, options.trusted);
      for (const o of this.observers) await o.checking?.(published, data, null, caller);
    } catch (e) {
      const fields = e instanceof TrellisError ? (e.details as { fields?: unknown } | undefined)?.fields : undefined;
      if (Array.isArray(fields)) return { errors: fields as FieldErrorLike[] };
      throw e;
    }
    const at = ctx.now.toISOString();
    const record: RecordEntity = {
      id, formId, formVersion: published.version.version, version: 1, data,
      createdBy: callerId(caller), createdAt: at, updatedAt: at, status: DEFAULT_STATUS,
    };
    const history: HistoryEntry = { id: newId(), recordId: id, formId, action: 'create', by: record.createdBy, at, version: 1, changes: [] };
    return { item: { record, history, serials: serialPlan(published.compiled, formId, ctx.now, ctx.timeZone) } };
  }

  /** Fields of a form hidden from the caller. */
  async hiddenFor(formId: string, caller: Caller): Promise<ReadonlySet<string>> {
    const published = await this.forms.published(formId);
    return (await this.access.form(caller, published)).hidden;
  }

  /** A record's history, for those who may see the record; changes to hidden fields are left out. */
  async timeline(recordId: string, caller: Caller): Promise<HistoryEntry[]> {
    const entries = await this.store.records.history(recordId);
    const formId = entries[0]?.formId;
    if (!formId) throw notFound('Record', recordId);
    const published = await this.forms.published(formId).catch(() => null);
    const access = published ? await this.access.form(caller, published) : null;
    if (!access?.can.view) throw notFound('Record', recordId);
    const exists = await this.find(formId, recordId, access.scope.view);
    // the history of a deleted record is for those who see every record of the form
    if (!exists && !(entries.some((e) => e.action === 'delete') && access.scope.view.kind === 'true')) throw notFound('Record', recordId);
    if (access.hidden.size === 0) return entries;
    const redact = (field: string, v: unknown) => stripHidden({ [field]: v }, access.hidden)[field] ?? null;
    return entries.map((e) => ({
      ...e,
      changes: e.changes.filter((c) => !access.hidden.has(c.field)).map((c) => ({ ...c, from: redact(c.field, c.from), to: redact(c.field, c.to) })),
    }));
  }

  /**
   * The caller's access to the form, or an error: 404 when the form is closed
   * to them altogether (its existence does not leak), 403 when they may see
   * it but not do this.
   */
  private async allowed(caller: Caller, published: PublishedForm, action: 'submit' | RecordAction): Promise<FormAccess> {
    const access = await this.access.form(caller, published);
    if (access.can[action]) return access;
    if (!access.can.submit && !access.can.view) throw notFound('Form', published.form.id);
    throw forbidden(`You may not ${action === 'view' ? 'read' : action} records of this form`);
  }

  /** The record within `scope`, by one store query (the scope is part of it), or null. */
  private async find(formId: string, recordId: string, scope: NormFilter): Promise<RecordEntity | null> {
    if (scope.kind === 'true') return this.store.records.get(formId, recordId);
    if (scope.kind === 'false') return null;
    const filter = andFilters([{ kind: 'cmp', path: ID_PATH, op: 'eq', value: recordId }, scope]);
    const page = await this.store.records.find(formId, { filter, sort: [], limit: 1, after: null, count: false });
    return page.items[0] ?? null;
  }

  /** The record to edit or delete: 404 when the caller cannot see it, 403 when they see it but may not do this. */
  private async reach(formId: string, recordId: string, access: FormAccess, action: 'edit' | 'delete'): Promise<RecordEntity> {
    const record = await this.find(formId, recordId, access.scope[action]);
    if (record) return record;
    if (await this.find(formId, recordId, access.scope.view)) throw forbidden(`You may not ${action} this record`);
    throw notFound('Record', recordId);
  }

  /** Runs the record engine with the linked records and value-linkage fills it asks for; 422 on any field error. */
  private async evaluate(
    published: PublishedForm, input: RecordData, ctx: EvalContext, caller: Caller, access: FormAccess,
    mode: 'create' | 'update', previous?: RecordData, trust = false,
  ): Promise<RecordData> {
    const { compiled } = published;
    // fields hidden from the caller are ignored in what they send: an error would tell them the stored value
    // (a share-link submitter sees nothing back, yet fills every field: only hidden fields they may not set go)
    if (access.hidden.size > 0) input = stripHidden(input, new Set([...access.hidden].filter((k) => access.locked.has(k))));
    // the system (workflow actions, automations) may write fields that are read-only to people, and so may
    // an administrator's pack (sample records, an exported app's records: `trust`)
    const trusted = caller.kind === 'system' || trust;
    const plan = planExternal(compiled, input, ctx, previous, access.locked, trusted);
    // links the record already had stand as they are, even when someone else pointed them where this caller cannot see
    const kept = new Map((previous ? planExternal(compiled, {}, ctx, previous).links : []).map((l) => [l.path, new Set(l.ids)]));
    const external: ExternalData = { links: {}, fills: {} };
    for (const link of plan.links) {
      const unchanged = link.ids.filter((id) => kept.get(link.path)?.has(id));
      const added = link.ids.filter((id) => !kept.get(link.path)?.has(id));
      // a new link may only point at records the caller can see in the linked form
      const records = [
        ...(unchanged.length ? await this.store.records.getMany(link.form, unchanged) : []),
        ...(added.length ? await this.readable(link.form, added, caller) : []),
      ];
      const found = new Map(records.map((r) => [r.id, r.data]));
      external.links[link.path] = Object.fromEntries(link.ids.map((id) => [id, found.get(id) ?? null]));
    }
    for (const fill of plan.fills) external.fills[fill.field] = await this.findFill(fill, ctx, caller);
    const options = { mode, locked: access.locked, trusted, ...(previous ? { previous } : {}) };
    const result = evaluateRecord(compiled, input, ctx, external, options);
    if (result.errors.length) {
      throw new TrellisError('VALIDATION_FAILED', `Record is not valid: ${result.errors.map((e) => `${e.field}: ${e.message.en}`).join('; ')}`, { fields: result.errors });
    }
    return result.data;
  }

  /** Records among `ids` of form `formId` that the caller may see (with every field: lookups read them). */
  private async readable(formId: string, ids: string[], caller: Caller): Promise<RecordEntity[]> {
    const target = await this.forms.published(formId).catch(() => null);
    if (!target) return [];
    const access = await this.access.form(caller, target);
    if (!access.can.view) return [];
    if (access.scope.view.kind === 'true') return this.store.records.getMany(formId, ids);
    const filter = andFilters([{ kind: 'in', path: ID_PATH, values: ids, negate: false }, access.scope.view]);
    return (await this.store.records.find(formId, { filter, sort: [], limit: ids.length, after: null, count: false })).items;
  }

  /** Value linkage: the `take` field of the newest record in another form whose fields equal the match values, as the caller may see it. */
  private async findFill(fill: { form: string; match: Record<string, unknown>; take: string }, ctx: EvalContext, caller: Caller): Promise<unknown> {
    if (Object.values(fill.match).some((v) => v === undefined || v === null || v === '')) return undefined;
    const target = await this.forms.published(fill.form).catch(() => null);
    if (!target) return undefined;
    const access = await this.access.form(caller, target);
    if (!access.can.view || access.hidden.has(fill.take) || Object.keys(fill.match).some((k) => access.hidden.has(k))) return undefined;
    const filter = { and: Object.entries(fill.match).map(([field, value]) => ({ field, op: 'eq' as const, value })) };
    let norm;
    try {
      norm = normalizeFilter(filter, target.compiled.definition, { now: ctx.now, ...(ctx.timeZone ? { timeZone: ctx.timeZone } : {}) });
    } catch {
      return undefined; // a match value of the wrong type simply finds nothing
    }
    const page = await this.store.records.find(fill.form, { filter: andFilters([access.scope.view, norm]), sort: [{ path: { source: 'system', column: 'createdAt', storage: 'datetime' }, dir: 'desc' }], limit: 1, after: null, count: false });
    return page.items[0]?.data[fill.take];
  }
}

function failure(id: string, e: unknown): BulkFailure {
  if (!(e instanceof TrellisError)) throw e;
  const out: BulkFailure = { id, status: statusOf(e.code), code: e.code, message: e.message };
  const fields = (e.details as { fields?: unknown } | undefined)?.fields;
  if (fields !== undefined) out.fields = fields;
  return out;
}

function shown(record: RecordEntity, access: FormAccess): RecordEntity {
  const data = stripHidden(record.data, access.hidden);
  return data === record.data ? record : { ...record, data };
}

function context(caller: Caller, timeZone: string): EvalContext {
  if (caller.kind !== 'user') return { user: null, now: new Date(), timeZone };
  const p = caller.principal;
  return { user: { id: p.id, name: p.name, departments: p.departments, roles: p.roles.map((r) => r.id) }, now: new Date(), timeZone };
}
