import type { DefinitionProblem } from '../errors.js';
import { normalizeFilter, resolveFieldPath } from '../query/normalize.js';
import type { MetricOp } from '../query/query.js';
import { groupOf, type DashboardDefinition, type Widget, type WidgetGroup } from '../schema/dashboard.js';
import type { FormDefinition } from '../schema/form.js';

/** Widget types that plot or list groups: they need a group-by. */
const GROUPED = new Set(['bar', 'line', 'pie', 'funnel', 'pivot']);

/**
 * Checks a dashboard against its forms: every widget names a form of the app
 * (`form` returns null for any other), fields that exist, group-bys that can
 * be grouped, time buckets over date fields, metrics that fit their field.
 * Problems point into the definition, e.g. `widgets[2].metrics[0].field`.
 */
export function checkDashboard(def: DashboardDefinition, form: (id: string) => FormDefinition | null): DefinitionProblem[] {
  const problems: DefinitionProblem[] = [];
  const add = (path: string, code: string, message: string) => problems.push({ path, code, message });
  const ids = new Set<string>();
  const rangeField = def.filters?.dateRange?.field;
  def.widgets.forEach((w, i) => {
    const at = `widgets[${i}]`;
    if (ids.has(w.id)) add(`${at}.id`, 'duplicate', `Two widgets have the id "${w.id}"`);
    ids.add(w.id);
    const f = form(w.form);
    if (!f) {
      add(`${at}.form`, 'unknownForm', `Form "${w.form}" is not a published form of this app`);
      return;
    }
    checkWidget(w, f, at, rangeField, add);
  });
  return problems;
}

type Add = (path: string, code: string, message: string) => void;

function facts(def: FormDefinition, field: string) {
  try {
    return resolveFieldPath(def, field);
  } catch {
    return null;
  }
}

function checkGroup(def: FormDefinition, g: WidgetGroup, path: string, add: Add): void {
  const { field, bucket } = groupOf(g);
  const fieldPath = typeof g === 'string' ? path : `${path}.field`;
  const r = facts(def, field);
  if (!r) return add(fieldPath, 'unknownField', `Field "${field}" is not a field of the form`);
  if (!r.facts.groupable) return add(fieldPath, 'notGroupable', `Field "${field}" cannot be grouped by`);
  if (bucket && r.path.storage !== 'date' && r.path.storage !== 'datetime') {
    add(`${path}.bucket`, 'bucketNeedsDate', `A ${bucket} bucket needs a date field, not "${field}"`);
  }
}

function checkDateField(def: FormDefinition, field: string, path: string, add: Add): void {
  const r = facts(def, field);
  if (!r) return add(path, 'unknownField', `Field "${field}" is not a field of the form`);
  if (r.path.storage !== 'date' && r.path.storage !== 'datetime') add(path, 'notDate', `The date range needs a date field, not "${field}"`);
}

function checkWidget(w: Widget, def: FormDefinition, at: string, rangeField: string | undefined, add: Add): void {
  if (w.filter !== undefined) {
    try {
      normalizeFilter(w.filter, def, { now: new Date() });
    } catch (e) {
      add(`${at}.filter`, 'filter', e instanceof Error ? e.message : String(e));
    }
  }
  if (w.type === 'number' && (w.groupBy !== undefined || w.columns !== undefined)) add(`${at}.groupBy`, 'notGrouped', 'A number card has no group-by');
  if (GROUPED.has(w.type) && w.groupBy === undefined) add(`${at}.groupBy`, 'required', `A ${w.type} widget needs a group-by`);
  if (w.type === 'pivot' && w.columns === undefined) add(`${at}.columns`, 'required', 'A pivot table needs a column group-by');
  if (w.type !== 'pivot' && w.columns !== undefined) add(`${at}.columns`, 'pivotOnly', 'Only a pivot table has columns');
  if (w.compare && w.type !== 'number') add(`${at}.compare`, 'numberOnly', 'Only a number card compares with the previous period');
  if (w.groupBy !== undefined) checkGroup(def, w.groupBy, `${at}.groupBy`, add);
  if (w.columns !== undefined) {
    checkGroup(def, w.columns, `${at}.columns`, add);
    if (w.groupBy !== undefined && groupOf(w.columns).field === groupOf(w.groupBy).field) add(`${at}.columns`, 'duplicate', 'Rows and columns group by the same field');
  }
  if (w.dateField !== undefined) checkDateField(def, w.dateField, `${at}.dateField`, add);
  else if (rangeField !== undefined) {
    // the dashboard's date field must exist in every widget's form, unless the widget names its own
    checkDateField(def, rangeField, 'filters.dateRange.field', (path, code, message) => add(path, code, `Widget "${w.id}": ${message} (or give the widget a dateField)`));
  }
  w.metrics.forEach((m, j) => {
    const path = `${at}.metrics[${j}]`;
    if (m.field === undefined) {
      if (m.op !== 'count') add(`${path}.field`, 'required', `Metric "${m.op}" needs a field`);
      return;
    }
    const r = facts(def, m.field);
    if (!r) return add(`${path}.field`, 'unknownField', `Field "${m.field}" is not a field of the form`);
    if (!(r.facts.metrics as readonly MetricOp[]).includes(m.op)) add(`${path}.field`, 'metricType', `Metric "${m.op}" does not apply to field "${m.field}"`);
  });
}
