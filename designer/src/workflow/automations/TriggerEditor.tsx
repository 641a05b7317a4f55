// When an automation runs: a record created or updated, chosen fields changed, or a schedule
// (every day / week / month at a time, or a cron expression) over the records a filter picks.
import { useId, useState } from 'react';
import { nextCronTime, parseCron, type FormDefinition, type Trigger } from '@trellis/core';
import { useT, type Msg } from '@trellis/app/lib/i18n';
import {
  changeScheduleKind, changeTrigger, hhmm, parseHhmm, readSchedule, triggerKind, writeSchedule, type Schedule, type TriggerKind,
} from './model';
import { RecordFilterEditor } from './RecordFilterEditor';

const KINDS: { kind: TriggerKind; label: Msg }[] = [
  { kind: 'created', label: { en: 'When a record is created', zh: '新增数据时' } },
  { kind: 'updated', label: { en: 'When a record is updated', zh: '修改数据时' } },
  { kind: 'fieldChanged', label: { en: 'When chosen fields change', zh: '指定字段变化时' } },
  { kind: 'schedule', label: { en: 'On a schedule', zh: '定时触发' } },
];

const REPEATS: { kind: Schedule['kind']; label: Msg }[] = [
  { kind: 'daily', label: { en: 'Every day', zh: '每天' } },
  { kind: 'weekly', label: { en: 'Every week', zh: '每周' } },
  { kind: 'monthly', label: { en: 'Every month', zh: '每月' } },
  { kind: 'custom', label: { en: 'Custom (cron)', zh: '自定义（cron）' } },
];

const WEEKDAYS: Msg[] = [
  { en: 'Sunday', zh: '周日' }, { en: 'Monday', zh: '周一' }, { en: 'Tuesday', zh: '周二' }, { en: 'Wednesday', zh: '周三' },
  { en: 'Thursday', zh: '周四' }, { en: 'Friday', zh: '周五' }, { en: 'Saturday', zh: '周六' },
];

export function TriggerEditor({ on, form, onChange }: { on: Trigger; form: FormDefinition; onChange(next: Trigger): void }) {
  const t = useT();
  const id = useId();
  const kind = triggerKind(on);
  return (
    <fieldset className="wf-fieldset stack">
      <legend>{t({ en: 'Trigger', zh: '触发条件' })}</legend>
      <div className="field">
        <label htmlFor={`${id}-kind`}>{t({ en: 'Runs', zh: '触发方式' })}</label>
        <select id={`${id}-kind`} value={kind} onChange={(e) => onChange(changeTrigger(on, e.target.value as TriggerKind, form.fields[0]?.key))}>
          {KINDS.map((k) => <option key={k.kind} value={k.kind}>{t(k.label)}</option>)}
        </select>
      </div>
      {'fields' in on && (
        <fieldset className="au-checks" aria-label={t({ en: 'Fields that start it', zh: '触发字段' })}>
          <legend className="muted">{t({ en: 'Runs when any of these fields changes', zh: '以下任一字段变化时触发' })}</legend>
          {form.fields.map((f) => (
            <label key={f.key} className="wf-radio">
              <input
                type="checkbox" checked={on.fields.includes(f.key)}
                onChange={(e) => onChange({ event: 'fieldChanged', fields: e.target.checked ? [...on.fields, f.key] : on.fields.filter((k) => k !== f.key) })}
              />
              {t(f.label) || f.key}
            </label>
          ))}
          {on.fields.filter((k) => !form.fields.some((f) => f.key === k)).map((k) => (
            <label key={k} className="wf-radio">
              <input type="checkbox" checked onChange={() => onChange({ event: 'fieldChanged', fields: on.fields.filter((x) => x !== k) })} />
              {k}
            </label>
          ))}
        </fieldset>
      )}
      {'schedule' in on && (
        <>
          <ScheduleEditor cron={on.schedule} onChange={(schedule) => onChange({ ...on, schedule })} />
          <fieldset className="wf-fieldset">
            <legend>{t({ en: 'Runs over the records where', zh: '对以下记录执行' })}</legend>
            <RecordFilterEditor
              form={form} value={on.filter}
              onChange={(filter) => onChange(filter === undefined ? { schedule: on.schedule } : { schedule: on.schedule, filter })}
            />
          </fieldset>
        </>
      )}
    </fieldset>
  );
}

function ScheduleEditor({ cron, onChange }: { cron: string; onChange(cron: string): void }) {
  const t = useT();
  const id = useId();
  // "custom" sticks once chosen, even while the text typed is a preset's ("0 2 * * *")
  const [typed, setTyped] = useState(() => readSchedule(cron).kind === 'custom');
  const read = readSchedule(cron);
  const s: Schedule = typed ? { kind: 'custom', cron } : read;
  const set = (next: Schedule) => {
    setTyped(next.kind === 'custom');
    onChange(writeSchedule(next));
  };
  let error: string | null = null;
  let next: Date | null = null;
  try {
    next = nextCronTime(parseCron(cron), new Date());
  } catch (e) {
    error = e instanceof Error ? e.message : String(e);
  }
  const time = s.kind !== 'custom' && (
    <div className="field">
      <label htmlFor={`${id}-time`}>{t({ en: 'At (UTC)', zh: '时间（UTC）' })}</label>
      <input
        id={`${id}-time`} type="time" required value={hhmm(s.hour, s.minute)}
        onChange={(e) => {
          const at = parseHhmm(e.target.value);
          if (at) set({ ...s, ...at });
        }}
      />
    </div>
  );
  return (
    <div className="stack">
      <div className="row au-schedule">
        <div className="field">
          <label htmlFor={`${id}-repeat`}>{t({ en: 'Repeats', zh: '重复' })}</label>
          <select id={`${id}-repeat`} value={s.kind} onChange={(e) => set(changeScheduleKind(s.kind === 'custom' && read.kind !== 'custom' ? read : s, e.target.value as Schedule['kind']))}>
            {REPEATS.map((r) => <option key={r.kind} value={r.kind}>{t(r.label)}</option>)}
          </select>
        </div>
        {s.kind === 'weekly' && (
          <div className="field">
            <label htmlFor={`${id}-weekday`}>{t({ en: 'On', zh: '星期' })}</label>
            <select id={`${id}-weekday`} value={s.weekday} onChange={(e) => set({ ...s, weekday: Number(e.target.value) })}>
              {WEEKDAYS.map((w, i) => <option key={i} value={i}>{t(w)}</option>)}
            </select>
          </div>
        )}
        {s.kind === 'monthly' && (
          <div className="field">
            <label htmlFor={`${id}-day`}>{t({ en: 'Day of the month', zh: '每月几号' })}</label>
            <select id={`${id}-day`} value={s.day} onChange={(e) => set({ ...s, day: Number(e.target.value) })}>
              {Array.from({ length: 31 }, (_, i) => i + 1).map((d) => <option key={d} value={d}>{d}</option>)}
            </select>
          </div>
        )}
        {time}
      </div>
      {s.kind === 'custom' && (
        <div className="field">
          <label htmlFor={`${id}-cron`}>{t({ en: 'Cron expression (UTC)', zh: 'Cron 表达式（UTC）' })}</label>
          <input
            id={`${id}-cron`} className="mono" value={cron} spellCheck={false} aria-invalid={error !== null}
            aria-describedby={`${id}-cron-help`} onChange={(e) => onChange(e.target.value)}
          />
          <div id={`${id}-cron-help`} className="help">
            {t({ en: 'Five fields: minute hour day-of-month month day-of-week, e.g. “30 8 * * 1-5” is 08:30 on weekdays.', zh: '五个字段：分 时 日 月 星期，例如 “30 8 * * 1-5” 表示工作日 08:30。' })}
          </div>
        </div>
      )}
      {error !== null ? (
        <p className="alert" role="alert">{t({ en: 'The schedule is not valid: {e}', zh: '定时设置无效：{e}' }, { e: error })}</p>
      ) : (
        next && <p className="muted small">{t({ en: 'Next run: {d} UTC', zh: '下次运行：{d}（UTC）' }, { d: next.toISOString().slice(0, 16).replace('T', ' ') })}</p>
      )}
    </div>
  );
}
