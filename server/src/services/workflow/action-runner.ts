import { createHash, createHmac } from 'node:crypto';
import {
  applyLogic, fillMessage, logicVars, normalizeFilter, ruleScope, TrellisError,
  type Action, type Filter, type Mapping, type RecordData,
} from '@trellis/core';
import { bestMatch, factValue, RegistryError, type CompanyRegistry, type ProviderCompany } from '../../connectors/company-registry.js';
import { PermanentJobError } from '../../jobs/port.js';
import type { NotificationEntity, Store } from '../../store/port.js';
import type { Directory } from '../access/directory.js';
import type { FormCatalog } from '../form-catalog.js';
import type { RecordService } from '../record-service.js';
import { resolveAssignee } from './assignees.js';

/** The record an action reads: the one the workflow or automation runs over. */
export interface ActionSource {
  formId: string;
  recordId: string;
}

export interface ActionRunnerOptions {
  webhookTimeoutMs?: number;
  fetcher?: typeof fetch;
  /** the business registry `lookupCompany` asks; null: such actions fail, saying why */
  registry?: CompanyRegistry | null;
}

/**
 * Carries out workflow and automation actions. Each takes an idempotency key:
 * a created record's id is derived from it (a second run finds it), updates
 * and company lookups set values (running twice changes nothing more), a
 * notification's id is derived from it and the person, and a webhook carries
 * it as `X-Trellis-Delivery` for the receiver to drop repeats.
 */
export class ActionRunner {
  private readonly webhookTimeoutMs: number;
  private readonly fetcher: typeof fetch;
  private readonly registry: CompanyRegistry | null;

  constructor(
    private readonly store: Store,
    private readonly catalog: FormCatalog,
    private readonly records: RecordService,
    private readonly directory: () => Promise<Directory>,
    options: ActionRunnerOptions = {},
  ) {
    this.webhookTimeoutMs = options.webhookTimeoutMs ?? 10_000;
    this.fetcher = options.fetcher ?? fetch;
    this.registry = options.registry ?? null;
  }

  /** A person as rules read them (`$user.id`, `$user.departments`); null for nobody or someone gone. */
  async userOf(id: string | null): Promise<{ id: string; departments: string[] } | null> {
    if (!id) return null;
    const p = (await this.directory()).principal(id);
    return p ? { id: p.id, departments: p.departments } : null;
  }

  /** `by`: the person whose change set this off (an automation on a record event); values and filters read them as `$user` */
  async run(action: Action, key: string, source: ActionSource, by: string | null = null): Promise<void> {
    const record = await this.store.records.get(source.formId, source.recordId);
    if (!record) throw new PermanentJobError(`The record "${source.recordId}" no longer exists`);
    const user = await this.userOf(by);
    // the record's fields and its system fields (as the checks allow and the designer's value pickers write
    // them: {"var": "id"}, {"var": "createdBy"}), and the whole record as `record`
    const system = { id: record.id, createdBy: record.createdBy, createdAt: record.createdAt, updatedAt: record.updatedAt, status: record.status };
    const scope = { ...ruleScope(record.data, { user, ...this.records.clock() }), ...system, record: { ...record.data, ...system } };
    const onBehalfOf = record.createdBy;
    switch (action.type) {
      case 'createRecord': {
        // one record, or one per row of a sub-table (each row's values read its columns, the record as `record`)
        const rows = action.forEach === undefined ? [null] : tableRows(record.data[action.forEach]);
        for (const [i, row] of rows.entries()) {
          const at = row === null ? scope : { ...scope, ...row, record: scope.record };
          const data: RecordData = {};
          for (const [field, mapping] of Object.entries(action.values)) {
            const v = mapValue(mapping, at, record.data);
            if (v !== null && v !== undefined) data[field] = v;
          }
          // the id comes from the action's key (and the row): a retry finds the records made before and goes on
          const id = recordIdFor(row === null ? key : `${key}\n${i}`);
          try {
            await this.records.create(action.form, data, { kind: 'system', onBehalfOf }, { id });
          } catch (e) {
            // wrong values can never become right by retrying: the instance goes to error, nothing more is written
            if (e instanceof TrellisError && ['VALIDATION_FAILED', 'NOT_FOUND', 'UNIQUE_VIOLATION', 'CONFLICT'].includes(e.code)) {
              throw new PermanentJobError(`Creating a record in form "${action.form}"${row === null ? '' : ` for row ${i + 1} of "${action.forEach}"`} failed: ${e.message}`);
            }
            throw e;
          }
        }
        return;
      }
      case 'updateRecords': {
        const target = await this.catalog.published(action.form).catch(() => null);
        if (!target) throw new PermanentJobError(`Form "${action.form}" is not published`);
        let filter;
        try {
          filter = normalizeFilter(resolveFilterValues(action.filter, scope), target.compiled.definition, this.records.clock());
        } catch (e) {
          throw new PermanentJobError(`The filter of the update does not fit form "${action.form}": ${e instanceof Error ? e.message : String(e)}`);
        }
        const page = await this.store.records.find(action.form, { filter, sort: [], limit: action.limit ?? 100, after: null, count: false });
        // values that read the target (a counter moving on from its own value) must not apply twice when the
        // action runs again after a failure: the change is named after the action's key, and found again
        const incremental = Object.values(action.values).some((l) => logicVars(l).includes('target'));
        for (const r of page.items) {
          const historyId = incremental ? `a${createHash('sha256').update(`${key}\n${r.id}`).digest('hex').slice(0, 23)}` : undefined;
          if (historyId && (await this.store.records.history(r.id)).some((h) => h.id === historyId)) continue;
          const patch: RecordData = {};
          for (const [field, logic] of Object.entries(action.values)) patch[field] = applyLogic(logic, { ...scope, target: r.data });
          try {
            await this.records.update(action.form, r.id, patch, r.version, { kind: 'system', onBehalfOf }, historyId ? { historyId } : {});
          } catch (e) {
            if (e instanceof TrellisError && e.code === 'VALIDATION_FAILED') throw new PermanentJobError(`Updating record "${r.id}" of form "${action.form}" failed: ${e.message}`);
            throw e; // a concurrent edit (409): the retry reads the record again
          }
        }
        return;
      }
      case 'webhook': {
        const body = JSON.stringify(action.body === undefined ? { formId: record.formId, record: { id: record.id, status: record.status, data: record.data } } : applyLogic(action.body, scope));
        const headers: Record<string, string> = { 'content-type': 'application/json', 'x-trellis-delivery': key };
        if (action.secret) headers['x-trellis-signature'] = `sha256=${createHmac('sha256', action.secret).update(body).digest('hex')}`;
        let res: Response;
        try {
          res = await this.fetcher(action.url, { method: 'POST', headers, body, signal: AbortSignal.timeout(this.webhookTimeoutMs) });
        } catch (e) {
          throw new Error(`Webhook ${action.url} did not answer: ${e instanceof Error ? e.message : String(e)}`);
        }
        if (!res.ok) throw new Error(`Webhook ${action.url} answered ${res.status}`);
        return;
      }
      case 'notify': {
        const dir = await this.directory();
        const users = new Set(action.to.flatMap((a) => resolveAssignee(dir, a, record.createdBy ?? '', record.data)));
        const message = fillMessage(action.message, record.data);
        const at = new Date().toISOString();
        for (const userId of users) {
          const n: NotificationEntity = {
            id: `m${createHash('sha256').update(`${key}\n${userId}`).digest('hex').slice(0, 23)}`,
            userId, kind: 'message', formId: record.formId, recordId: record.id, instanceId: '', taskId: null, node: '', read: false, createdAt: at, message,
          };
          try {
            await this.store.entities.insert('notification', n);
          } catch (e) {
            if (!(e instanceof TrellisError && e.code === 'CONFLICT')) throw e; // sent by a try before a crash
          }
        }
        return;
      }
      case 'assignInTurn': {
        const current = record.data[action.field];
        if (typeof current === 'string' && current) return; // given already (by hand, or by this action before a retry)
        const dir = await this.directory();
        const people = [...new Set(action.among.flatMap((a) => resolveAssignee(dir, a, record.createdBy ?? '', record.data)))].sort();
        if (people.length === 0) throw new PermanentJobError(`Nobody to give record "${record.id}" to: the people taking turns are all gone or disabled`);
        // one rotation per form, field and group of people: it goes on across records, automations and restarts
        const group = createHash('sha256').update(people.join('\n')).digest('hex').slice(0, 16);
        const n = await this.store.counters.next(`turn:${source.formId}:${action.field}:${group}`);
        try {
          await this.records.update(source.formId, record.id, { [action.field]: people[(n - 1) % people.length]! }, record.version, { kind: 'system', onBehalfOf });
        } catch (e) {
          if (e instanceof TrellisError && e.code === 'VALIDATION_FAILED') throw new PermanentJobError(`Giving record "${record.id}" to the next person failed: ${e.message}`);
          throw e; // a concurrent edit (409): the retry reads the record again
        }
        return;
      }
      case 'lookupCompany': {
        if (!this.registry) throw new PermanentJobError('Company lookups are off: the server has no business registry (set TRELLIS_REGISTRY_URL)');
        const q = applyLogic(action.query, scope);
        const query = typeof q === 'string' || typeof q === 'number' ? String(q).trim() : '';
        let match: ProviderCompany | null = null;
        if (query) {
          try {
            match = bestMatch(query, await this.registry.search(query));
          } catch (e) {
            // the provider is down or answered badly: tried again later, then the instance shows the error
            if (e instanceof RegistryError) throw new Error(e.message);
            throw e;
          }
        }
        const patch: RecordData = {};
        for (const [field, fact] of Object.entries(action.set)) patch[field] = factValue(fact, match);
        try {
          await this.records.update(source.formId, record.id, patch, record.version, { kind: 'system', onBehalfOf });
        } catch (e) {
          if (e instanceof TrellisError && e.code === 'VALIDATION_FAILED') throw new PermanentJobError(`Writing the company facts into record "${record.id}" failed: ${e.message}`);
          throw e; // a concurrent edit (409): the retry reads the record again
        }
        return;
      }
    }
  }
}

/** The rows of a sub-table value (anything else has none). */
function tableRows(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.filter((r): r is Record<string, unknown> => r !== null && typeof r === 'object' && !Array.isArray(r)) : [];
}

/** A record id derived from an idempotency key (same key, same id). */
export function recordIdFor(key: string): string {
  return `a${createHash('sha256').update(key).digest('hex').slice(0, 19)}`;
}

function mapValue(mapping: Mapping, scope: Record<string, unknown>, source: RecordData): unknown {
  if (mapping !== null && typeof mapping === 'object' && !Array.isArray(mapping) && 'rows' in mapping && 'values' in mapping && typeof mapping.rows === 'string') {
    const rows = source[mapping.rows];
    if (!Array.isArray(rows)) return [];
    return rows.map((row: unknown) => {
      const rowScope = { ...(row as object), record: scope.record, $now: scope.$now, $today: scope.$today };
      return Object.fromEntries(Object.entries(mapping.values as Record<string, unknown>).map(([k, l]) => [k, applyLogic(l as never, rowScope)]));
    });
  }
  return applyLogic(mapping as never, scope);
}

/** A filter whose condition values may be json-logic over the source record. */
function resolveFilterValues(filter: unknown, scope: object): Filter {
  const walk = (f: unknown): unknown => {
    if (f === null || typeof f !== 'object' || Array.isArray(f)) return f;
    const o = f as Record<string, unknown>;
    if (Array.isArray(o.and)) return { and: o.and.map(walk) };
    if (Array.isArray(o.or)) return { or: o.or.map(walk) };
    if ('not' in o) return { not: walk(o.not) };
    const value = o.value !== null && typeof o.value === 'object' && !Array.isArray(o.value) && !('relative' in o.value) ? applyLogic(o.value as never, scope) : o.value;
    return { ...o, ...(value === undefined ? {} : { value }) };
  };
  return walk(filter) as Filter;
}
