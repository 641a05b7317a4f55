// The automations editor's model: new automations, the schedule presets a cron expression is
// shown as, the record filter of a schedule as rows, the "change this record" action, and where a
// problem's path points among the automations (`automations.<id>`, `automations[2].on`).
import {
  RELATIVE_DATES, type Action, type Automation, type Filter, type FilterCondition, type FilterOp, type Trigger, type WorkflowDefinition,
} from '@trellis/core';

/** A new automation: on a record created, with one action for the designer to fill. */
export function newAutomation(taken: ReadonlySet<string>): Automation {
  let n = 1;
  while (taken.has(`automation${n}`)) n++;
  return { id: `automation${n}`, on: { event: 'created' }, actions: [{ type: 'notify', to: [], message: { en: '', zh: '' } }] };
}

/** The draft with these automations (an empty list leaves a draft that had none without the key, so it stays unchanged). */
export function withAutomations(draft: WorkflowDefinition, list: readonly Automation[]): WorkflowDefinition {
  const { automations: had, ...rest } = draft;
  return list.length === 0 && had === undefined ? rest : { ...rest, automations: [...list] };
}

/**
 * The starter graph left as it is (a start and an end, unconnected, unnamed) is no workflow
 * anybody drew: with automations it is saved as no graph at all, so a form can have automations
 * without an approval flow (a graph must otherwise lead from the start to an end to publish).
 */
export function withoutUntouchedStarter(def: WorkflowDefinition): WorkflowDefinition {
  const untouched =
    def.edges.length === 0 && def.nodes.length === 2 &&
    def.nodes.some((n) => JSON.stringify(n) === '{"id":"start","type":"start"}') && def.nodes.some((n) => JSON.stringify(n) === '{"id":"end","type":"end"}');
  return untouched && (def.automations?.length ?? 0) > 0 ? { ...def, nodes: [], edges: [] } : def;
}

// ---- triggers

export type TriggerKind = 'created' | 'updated' | 'fieldChanged' | 'schedule';

export function triggerKind(on: Trigger): TriggerKind {
  return 'schedule' in on ? 'schedule' : on.event;
}

/** A trigger of another kind, keeping what carries over (the fields watched, the schedule). */
export function changeTrigger(on: Trigger, kind: TriggerKind, firstField: string | undefined): Trigger {
  if (kind === triggerKind(on)) return on;
  if (kind === 'schedule') return { schedule: '0 2 * * *' };
  if (kind === 'fieldChanged') return { event: 'fieldChanged', fields: firstField ? [firstField] : [] };
  return { event: kind };
}

// ---- schedules

export type Schedule =
  | { kind: 'daily'; hour: number; minute: number }
  | { kind: 'weekly'; weekday: number; hour: number; minute: number }
  | { kind: 'monthly'; day: number; hour: number; minute: number }
  | { kind: 'custom'; cron: string };

const NUM = '(\\d{1,2})';

/** The preset a cron expression is (daily, weekly on one weekday, monthly on one day), else custom. */
export function readSchedule(cron: string): Schedule {
  const text = cron.trim().replace(/\s+/g, ' ');
  const ok = (minute: number, hour: number) => minute <= 59 && hour <= 23;
  let m = new RegExp(`^${NUM} ${NUM} \\* \\* \\*$`).exec(text);
  if (m && ok(Number(m[1]), Number(m[2]))) return { kind: 'daily', minute: Number(m[1]), hour: Number(m[2]) };
  m = new RegExp(`^${NUM} ${NUM} \\* \\* ([0-7])$`).exec(text);
  if (m && ok(Number(m[1]), Number(m[2]))) return { kind: 'weekly', minute: Number(m[1]), hour: Number(m[2]), weekday: Number(m[3]) % 7 };
  m = new RegExp(`^${NUM} ${NUM} ${NUM} \\* \\*$`).exec(text);
  if (m && ok(Number(m[1]), Number(m[2])) && Number(m[3]) >= 1 && Number(m[3]) <= 31) return { kind: 'monthly', minute: Number(m[1]), hour: Number(m[2]), day: Number(m[3]) };
  return { kind: 'custom', cron };
}

export function writeSchedule(s: Schedule): string {
  switch (s.kind) {
    case 'daily': return `${s.minute} ${s.hour} * * *`;
    case 'weekly': return `${s.minute} ${s.hour} * * ${s.weekday}`;
    case 'monthly': return `${s.minute} ${s.hour} ${s.day} * *`;
    case 'custom': return s.cron;
  }
}

/** A preset of another kind at the same time of day (custom starts from the current expression). */
export function changeScheduleKind(s: Schedule, kind: Schedule['kind']): Schedule {
  if (s.kind === kind) return s;
  const at = s.kind === 'custom' ? { hour: 2, minute: 0 } : { hour: s.hour, minute: s.minute };
  if (kind === 'daily') return { kind, ...at };
  if (kind === 'weekly') return { kind, weekday: 1, ...at };
  if (kind === 'monthly') return { kind, day: 1, ...at };
  return { kind, cron: writeSchedule(s) };
}

export const hhmm = (hour: number, minute: number) => `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;

export function parseHhmm(text: string): { hour: number; minute: number } | null {
  const m = /^(\d{1,2}):(\d{2})$/.exec(text);
  if (!m || Number(m[1]) > 23 || Number(m[2]) > 59) return null;
  return { hour: Number(m[1]), minute: Number(m[2]) };
}

// ---- the record filter of a schedule

/** A relative date value as the filter writes it. */
export type Relative = { relative: string };

export const isRelative = (v: unknown): v is Relative =>
  !!v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 1 && typeof (v as Relative).relative === 'string';

/** `last<N>Days` → N, for the "N days" input; null for the named periods. */
export function lastNDays(rel: string): number | null {
  const m = /^last(\d{1,4})Days$/.exec(rel);
  return m ? Number(m[1]) : null;
}

/** The named periods offered besides "last N days" (last7Days… are that with N set). */
export const NAMED_PERIODS = RELATIVE_DATES.filter((r) => lastNDays(r) === null);

/** The condition rows of an AND filter (or of one condition); null when the filter is more than that. */
export function filterRows(filter: unknown): FilterCondition[] | null {
  if (filter === undefined) return [];
  if (!filter || typeof filter !== 'object') return null;
  if ('field' in filter) return [filter as FilterCondition];
  const and = (filter as { and?: unknown }).and;
  if (Array.isArray(and) && and.every((f) => !!f && typeof f === 'object' && 'field' in f)) return and as FilterCondition[];
  return null;
}

/** Rows back into a filter: none → no filter (every record), else `{and: rows}`. */
export function rowsFilter(rows: readonly FilterCondition[]): Filter | undefined {
  return rows.length === 0 ? undefined : { and: [...rows] };
}

export const needsValue = (op: FilterOp) => op !== 'empty' && op !== 'notEmpty';

// ---- "change this record"

/** The filter that picks the record the automation runs on (the README's form of it). */
const SELF_FILTER = { field: 'id', op: 'eq', value: { var: 'record.id' } };

export function selfUpdate(formId: string): Extract<Action, { type: 'updateRecords' }> {
  return { type: 'updateRecords', form: formId, filter: { ...SELF_FILTER, value: { ...SELF_FILTER.value } }, values: {} };
}

/** Whether the action changes the record the automation runs on (an update of this form found by its id). */
export function isSelfUpdate(action: Action, formId: string): action is Extract<Action, { type: 'updateRecords' }> {
  if (action.type !== 'updateRecords' || action.form !== formId) return false;
  const rows = filterRows(action.filter);
  return rows !== null && rows.length === 1 && JSON.stringify(rows[0]) === JSON.stringify(SELF_FILTER);
}

// ---- problems

/** The automation a problem's path names: `automations.<id>…` or `automations[<index>]…`. */
export function automationTarget(path: string, def: WorkflowDefinition): { automation?: string } {
  const byId = /^automations\.([A-Za-z][A-Za-z0-9_-]*)/.exec(path);
  if (byId) return { automation: byId[1]! };
  const byIndex = /^automations\[(\d+)\]/.exec(path);
  if (byIndex) {
    const a = def.automations?.[Number(byIndex[1])];
    return a ? { automation: a.id } : {};
  }
  return {};
}
