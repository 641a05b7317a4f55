import {
  checkDashboard, previousRange, resolveRange, shapeFigures, TrellisError, widgetBase, widgetQuery,
  groupOf, type DashboardData, type DashboardDefinition, type DayRange, type Filter, type FormDefinition, type Label, type Widget, type WidgetData, type WidgetFigures,
} from '@trellis/core';
import { notFound } from '../../http/errors.js';
import type { DashboardEntity, Store } from '../../store/port.js';
import type { AccessService } from '../access/access-service.js';
import type { UserActor } from '../access/actor.js';
import type { FormCatalog } from '../form-catalog.js';
import { newId } from '../ids.js';
import type { AggregateRowsCache, RecordService } from '../record-service.js';

export type { DashboardData, WidgetData };

/** Department filters name creators; a filter list holds at most this many. */
const MAX_DEPARTMENT_MEMBERS = 500;
/** Linked records read for the labels of one widget's group keys. */
const MAX_LABELS = 200;

/** Dashboards of an app, and their figures computed as the viewer. */
export class DashboardService {
  constructor(
    private readonly store: Store,
    private readonly catalog: FormCatalog,
    private readonly access: AccessService,
    private readonly records: RecordService,
    /** aggregate rows shared by viewers with the same query until their form changes (none: computed each time) */
    private readonly cache?: AggregateRowsCache,
  ) {}

  async list(actor: UserActor, appId: string): Promise<DashboardEntity[]> {
    await this.access.requireApp(actor, appId, 'open');
    const all = await this.store.entities.list('dashboard', { ref: appId });
    return all.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  }

  async create(actor: UserActor, appId: string, definition: DashboardDefinition): Promise<DashboardEntity> {
    await this.access.requireApp(actor, appId, 'design');
    await this.check(appId, definition);
    const now = new Date().toISOString();
    const entity: DashboardEntity = { id: newId(), appId, definition, createdBy: actor.id, version: 1, createdAt: now, updatedAt: now };
    await this.store.entities.insert('dashboard', entity);
    return entity;
  }

  /** The dashboard, for those who may open its app (404 for anyone else: its existence does not leak). */
  async get(actor: UserActor, id: string, need: 'open' | 'design' = 'open'): Promise<DashboardEntity> {
    const d = await this.store.entities.get('dashboard', id);
    if (!d) throw notFound('Dashboard', id);
    try {
      await this.access.requireApp(actor, d.appId, need);
    } catch (e) {
      if (e instanceof TrellisError && e.code === 'NOT_FOUND') throw notFound('Dashboard', id);
      throw e;
    }
    return d;
  }

  async update(actor: UserActor, id: string, definition: DashboardDefinition, expectedVersion: number | null): Promise<DashboardEntity> {
    const current = await this.get(actor, id, 'design');
    if (expectedVersion !== null && expectedVersion !== current.version) {
      throw new TrellisError('VERSION_CONFLICT', `The dashboard was changed by someone else (version ${current.version}, you sent ${expectedVersion})`, { expected: expectedVersion, actual: current.version });
    }
    await this.check(current.appId, definition);
    const next: DashboardEntity = { ...current, definition, version: current.version + 1, updatedAt: new Date().toISOString() };
    const saved = await this.store.entities.update('dashboard', next, current.version);
    if (!saved) throw notFound('Dashboard', id);
    return saved;
  }

  async delete(actor: UserActor, id: string): Promise<void> {
    await this.get(actor, id, 'design');
    await this.store.entities.delete('dashboard', id);
  }

  /** The forms a dashboard reads that this viewer may read records of. */
  async readableForms(actor: UserActor, d: DashboardEntity): Promise<string[]> {
    const ids = [...new Set(d.definition.widgets.map((w) => w.form))];
    const out: string[] = [];
    for (const formId of ids) {
      const published = await this.catalog.published(formId).catch(() => null);
      if (published && (await this.access.form(actor, published)).can.view) out.push(formId);
    }
    return out;
  }

  /** Every widget's figures as this viewer sees them; a widget the viewer may not compute answers an error object. */
  async data(actor: UserActor, id: string, asked: { from?: string; to?: string; department?: string }): Promise<DashboardData> {
    const d = await this.get(actor, id);
    const def = d.definition;
    let range: DayRange | null;
    try {
      range = resolveRange(def, asked, new Date(), this.records.timeZone);
    } catch (e) {
      throw new TrellisError('INVALID_QUERY', e instanceof Error ? e.message : String(e), { field: 'from' });
    }
    const department = asked.department ? await this.departmentFilter(asked.department) : null;
    const widgets = await Promise.all(def.widgets.map((w) => this.widget(actor, def, w, range, department)));
    return { id, range, department: asked.department ?? null, refreshedAt: new Date().toISOString(), widgets };
  }

  private async widget(actor: UserActor, def: DashboardDefinition, w: Widget, range: DayRange | null, department: Filter | null): Promise<WidgetData> {
    const head = { id: w.id, type: w.type, form: w.form };
    try {
      const hidden = await this.records.hiddenFor(w.form, actor);
      const used = fieldsOf(def, w, range !== null);
      const blocked = [...used].find((f) => hidden.has(f));
      if (blocked) return { ...head, error: { code: 'FORBIDDEN', message: 'This widget uses a field you may not see' } };
      const base = widgetBase(def, w, range, department);
      const current = await this.records.aggregate(w.form, widgetQuery(w, base), actor, this.cache);
      if (w.type === 'number' && w.compare === 'previousPeriod' && range) {
        const prevRange = previousRange(range);
        const prevBase = widgetBase(def, w, prevRange, department);
        const prev = await this.records.aggregate(w.form, widgetQuery(w, prevBase), actor, this.cache);
        return { ...head, figures: shapeFigures(w, base, current.rows, { rows: prev.rows, range: prevRange, base: prevBase }), labels: {} };
      }
      const figures = shapeFigures(w, base, current.rows);
      return { ...head, figures, labels: await this.labels(actor, w, figures) };
    } catch (e) {
      if (e instanceof TrellisError) return { ...head, error: { code: e.code, message: e.message } };
      throw e;
    }
  }

  /** Labels of the group keys of a series or pivot (at most MAX_LABELS linked records are read, as the viewer). */
  private async labels(actor: UserActor, w: Widget, figures: WidgetFigures): Promise<Record<string, Label>> {
    const out: Record<string, Label> = {};
    if (figures.type === 'number') return out;
    const keysOf = (field: string | null): string[] => {
      if (figures.type === 'pivot') return (field === figures.rowField ? figures.rows : figures.columns).map((r) => r.key).filter((k) => k !== null).map(String);
      return figures.rows.map((r) => r.key).filter((k) => k !== null).map(String);
    };
    const def = (await this.catalog.published(w.form)).version.definition;
    for (const g of [w.groupBy, w.type === 'pivot' ? w.columns : undefined]) {
      if (g === undefined || groupOf(g).bucket) continue;
      const field = def.fields.find((f) => f.key === groupOf(g).field);
      if (!field) continue;
      const keys = keysOf(field.key);
      if (field.options) {
        for (const o of field.options) if (typeof o !== 'string' && o.label !== undefined) out[o.value] = o.label;
      } else if (field.type === 'member' || field.type === 'department') {
        const dir = await this.access.directory();
        for (const k of keys) {
          const name = field.type === 'member' ? dir.users.get(k)?.name : dir.departments.get(k)?.name;
          if (name !== undefined) out[k] = name;
        }
      } else if (field.type === 'link' && typeof field.form === 'string') {
        const target = await this.catalog.published(field.form).catch(() => null);
        const title = target?.version.definition.titleField;
        if (!title) continue;
        await Promise.all(keys.slice(0, MAX_LABELS).map(async (k) => {
          const r = await this.records.get(field.form!, k, actor).catch(() => null);
          const v = r?.data[title];
          if (typeof v === 'string' || typeof v === 'number') out[k] = String(v);
        }));
      }
    }
    return out;
  }

  /** Records created by a member of the department or a department below it. */
  private async departmentFilter(departmentId: string): Promise<Filter> {
    const dir = await this.access.directory();
    if (!dir.departments.has(departmentId)) throw new TrellisError('INVALID_QUERY', `Department "${departmentId}" not found`, { field: 'department' });
    const members = dir.membersOf(dir.subtree([departmentId]));
    if (members.length === 0) return { not: { and: [] } };
    if (members.length > MAX_DEPARTMENT_MEMBERS) {
      throw new TrellisError('INVALID_QUERY', `The department has more than ${MAX_DEPARTMENT_MEMBERS} members: choose a smaller one`, { field: 'department' });
    }
    return { field: 'createdBy', op: 'in', value: members };
  }

  /** 422 INVALID_DEFINITION with every problem when a widget does not fit the forms of the app. */
  private async check(appId: string, definition: DashboardDefinition): Promise<void> {
    const forms = await this.store.forms.listByApp(appId);
    const defs = new Map<string, FormDefinition>();
    for (const f of forms) {
      const published = await this.catalog.publishedOf(f);
      if (published) defs.set(f.id, published.version.definition);
    }
    const problems = checkDashboard(definition, (id) => defs.get(id) ?? null);
    if (problems.length) throw new TrellisError('INVALID_DEFINITION', problems.map((p) => `${p.path}: ${p.message}`).join('; '), { problems });
  }
}

/** Every field a widget reads: group-bys, metrics, its filter, the date range field. */
function fieldsOf(def: DashboardDefinition, w: Widget, withRange: boolean): Set<string> {
  const out = new Set<string>();
  const group = (g: Widget['groupBy']) => g !== undefined && out.add(typeof g === 'string' ? g : g.field);
  group(w.groupBy);
  group(w.columns);
  for (const m of w.metrics) if (m.field) out.add(m.field);
  if (withRange) out.add(w.dateField ?? def.filters?.dateRange?.field ?? 'createdAt');
  const walk = (f: unknown, depth: number): void => {
    if (!f || typeof f !== 'object' || depth > 10) return;
    const o = f as Record<string, unknown>;
    if (typeof o.field === 'string') out.add(o.field);
    for (const k of ['and', 'or']) if (Array.isArray(o[k])) for (const x of o[k] as unknown[]) walk(x, depth + 1);
    if (o.not) walk(o.not, depth + 1);
  };
  walk(w.filter, 0);
  return out;
}
