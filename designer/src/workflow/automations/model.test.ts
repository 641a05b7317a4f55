import { describe, expect, it } from 'vitest';
import { parseCron, type WorkflowDefinition } from '@trellis/core';
import {
  automationTarget, changeScheduleKind, filterRows, isSelfUpdate, lastNDays, newAutomation, readSchedule, rowsFilter, selfUpdate,
  withAutomations, withoutUntouchedStarter, writeSchedule,
} from './model';

describe('schedules', () => {
  it('reads the presets a cron expression is and writes them back', () => {
    expect(readSchedule('0 2 * * *')).toEqual({ kind: 'daily', hour: 2, minute: 0 });
    expect(readSchedule('30 8 * * 1')).toEqual({ kind: 'weekly', hour: 8, minute: 30, weekday: 1 });
    expect(readSchedule('0 9 * * 7')).toMatchObject({ kind: 'weekly', weekday: 0 });
    expect(readSchedule('15 23 31 * *')).toEqual({ kind: 'monthly', hour: 23, minute: 15, day: 31 });
    for (const cron of ['0 2 * * *', '30 8 * * 1', '15 23 31 * *']) expect(writeSchedule(readSchedule(cron))).toBe(cron);
  });
  it('keeps anything else as custom, out-of-range numbers included', () => {
    expect(readSchedule('*/15 * * * *')).toEqual({ kind: 'custom', cron: '*/15 * * * *' });
    expect(readSchedule('0 8 * * 1-5').kind).toBe('custom');
    expect(readSchedule('0 24 * * *').kind).toBe('custom');
    expect(readSchedule('0 2 0 * *').kind).toBe('custom');
  });
  it('changes the repeat at the same time of day, and every preset is a valid cron', () => {
    const daily = readSchedule('45 6 * * *');
    for (const kind of ['weekly', 'monthly', 'custom'] as const) {
      const s = changeScheduleKind(daily, kind);
      expect(() => parseCron(writeSchedule(s))).not.toThrow();
      expect(writeSchedule(s).startsWith('45 6 ')).toBe(true);
    }
    expect(changeScheduleKind({ kind: 'custom', cron: 'nonsense' }, 'daily')).toEqual({ kind: 'daily', hour: 2, minute: 0 });
  });
});

describe('record filters', () => {
  it('reads one condition or an AND of conditions as rows, and writes AND', () => {
    const c = { field: 'lastFollowUp', op: 'lt' as const, value: { relative: 'last30Days' } };
    expect(filterRows(undefined)).toEqual([]);
    expect(filterRows(c)).toEqual([c]);
    expect(filterRows({ and: [c] })).toEqual([c]);
    expect(filterRows({ or: [c] })).toBeNull();
    expect(rowsFilter([])).toBeUndefined();
    expect(rowsFilter([c])).toEqual({ and: [c] });
    expect(lastNDays('last30Days')).toBe(30);
    expect(lastNDays('lastMonth')).toBeNull();
  });
});

describe('automations in the draft', () => {
  const starter: WorkflowDefinition = { nodes: [{ id: 'start', type: 'start' }, { id: 'end', type: 'end' }], edges: [] };
  it('a draft without automations stays without the key when none are added', () => {
    expect(withAutomations(starter, [])).toEqual(starter);
    expect('automations' in withAutomations(starter, [])).toBe(false);
    expect(withAutomations({ ...starter, automations: [newAutomation(new Set())] }, [])).toEqual({ ...starter, automations: [] });
  });
  it('saves the untouched starter as no graph only when there are automations', () => {
    expect(withoutUntouchedStarter(starter)).toEqual(starter);
    const a = newAutomation(new Set(['automation1']));
    expect(a.id).toBe('automation2');
    expect(withoutUntouchedStarter({ ...starter, automations: [a] })).toEqual({ nodes: [], edges: [], automations: [a] });
    const drawn = { ...starter, edges: [{ from: 'start', to: 'end' }], automations: [a] };
    expect(withoutUntouchedStarter(drawn)).toEqual(drawn);
    const named = { nodes: [{ id: 'start', type: 'start' as const, name: 'Go' }, { id: 'end', type: 'end' as const }], edges: [], automations: [a] };
    expect(withoutUntouchedStarter(named)).toEqual(named);
  });
  it('knows the "change this record" action', () => {
    expect(isSelfUpdate(selfUpdate('leads'), 'leads')).toBe(true);
    expect(isSelfUpdate({ ...selfUpdate('leads'), values: { pool: true } }, 'leads')).toBe(true);
    expect(isSelfUpdate(selfUpdate('leads'), 'other')).toBe(false);
    expect(isSelfUpdate({ type: 'updateRecords', form: 'leads', filter: { and: [] }, values: {} }, 'leads')).toBe(false);
  });
  it('points problem paths at automations by id or index', () => {
    const def: WorkflowDefinition = { ...starter, automations: [newAutomation(new Set())] };
    expect(automationTarget('automations.automation1', def)).toEqual({ automation: 'automation1' });
    expect(automationTarget('automations[0].actions[0].to', def)).toEqual({ automation: 'automation1' });
    expect(automationTarget('automations[3]', def)).toEqual({});
    expect(automationTarget('nodes.start', def)).toEqual({});
  });
});
