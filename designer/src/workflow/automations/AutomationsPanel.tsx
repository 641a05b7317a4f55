// The form's automations (智能助手): actions run when a record is created or updated, when chosen
// fields change, or on a schedule over the records a filter picks. They live in the workflow
// draft beside the graph, so Save and Publish send them with it; problems of core's checks for
// `automations.<id>` show on the automation they name.
import { useEffect, useId, useState } from 'react';
import type { Automation, FormDefinition, Label, Logic } from '@trellis/core';
import { get } from '@trellis/app/lib/api';
import { useT, type Msg } from '@trellis/app/lib/i18n';
import { ConditionBuilder } from '../../common/ConditionBuilder';
import { labelParts, partsToLabel } from '../../org/org-data';
import { useFormsCache } from '../forms-cache';
import { useDirectory } from '../org-context';
import type { Problem } from '../problems';
import { ActionsEditor } from './ActionsEditor';
import { newAutomation, readSchedule, triggerKind, hhmm } from './model';
import { TriggerEditor } from './TriggerEditor';
import './automations.css';

const MAX_AUTOMATIONS = 50;

export interface AutomationsPanelProps {
  automations: Automation[];
  form: FormDefinition;
  problems: Problem[];
  onChange(next: Automation[]): void;
}

export function AutomationsPanel({ automations, form, problems, onChange }: AutomationsPanelProps) {
  const t = useT();
  const dir = useDirectory();
  const cache = useFormsCache();
  const [open, setOpen] = useState<string | null>(automations.length === 1 ? automations[0]!.id : null);
  // "change this record" targets this form: the live check needs its published fields
  useEffect(() => {
    if (cache.forms.has(dir.formId)) return;
    const ctl = new AbortController();
    get<{ published?: { definition: unknown } | null }>(`/api/forms/${encodeURIComponent(dir.formId)}`, { signal: ctl.signal })
      .then((f) => cache.remember([[dir.formId, (f.published?.definition as FormDefinition | undefined) ?? null]]))
      .catch(() => undefined);
    return () => ctl.abort();
  }, [dir.formId, cache]);

  const add = () => {
    const a = newAutomation(new Set(automations.map((x) => x.id)));
    onChange([...automations, a]);
    setOpen(a.id);
  };
  const setAt = (id: string, next: Automation) => onChange(automations.map((a) => (a.id === id ? next : a)));
  return (
    <section className="stack au-panel" aria-label={t({ en: 'Automations', zh: '智能助手' })}>
      <p className="muted">
        {t({ en: 'Automations run actions when records are created or changed, or on a schedule, with or without an approval flow.', zh: '智能助手在新增、修改数据时或按定时执行操作，可与审批流程并存。' })}
      </p>
      {automations.length === 0 && <p className="muted">{t({ en: 'No automations yet.', zh: '还没有智能助手。' })}</p>}
      <ul className="au-list" aria-label={t({ en: 'Automations of the form', zh: '表单的智能助手' })}>
        {automations.map((a) => (
          <li key={a.id}>
            <AutomationCard
              automation={a} form={form} open={open === a.id}
              problems={problems.filter((p) => p.automation === a.id)}
              onToggle={() => setOpen(open === a.id ? null : a.id)}
              onChange={(next) => setAt(a.id, next)}
              onDelete={() => onChange(automations.filter((x) => x.id !== a.id))}
            />
          </li>
        ))}
      </ul>
      <div>
        <button type="button" className="btn btn-primary btn-sm" disabled={automations.length >= MAX_AUTOMATIONS} onClick={add}>
          {t({ en: 'Add automation', zh: '添加智能助手' })}
        </button>
      </div>
    </section>
  );
}

const WEEKDAYS: Msg[] = [
  { en: 'Sundays', zh: '周日' }, { en: 'Mondays', zh: '周一' }, { en: 'Tuesdays', zh: '周二' }, { en: 'Wednesdays', zh: '周三' },
  { en: 'Thursdays', zh: '周四' }, { en: 'Fridays', zh: '周五' }, { en: 'Saturdays', zh: '周六' },
];

/** One line saying when the automation runs. */
function useTriggerSummary(a: Automation, form: FormDefinition): string {
  const t = useT();
  const on = a.on;
  switch (triggerKind(on)) {
    case 'created': return t({ en: 'When a record is created', zh: '新增数据时' });
    case 'updated': return t({ en: 'When a record is updated', zh: '修改数据时' });
    case 'fieldChanged': {
      const names = ('fields' in on ? on.fields : []).map((k) => {
        const f = form.fields.find((x) => x.key === k);
        return f ? t(f.label) : k;
      });
      return t({ en: 'When {f} changes', zh: '{f} 变化时' }, { f: names.join(', ') || '…' });
    }
    case 'schedule': {
      const s = readSchedule('schedule' in on ? on.schedule : '');
      if (s.kind === 'daily') return t({ en: 'Every day at {h} UTC', zh: '每天 {h}（UTC）' }, { h: hhmm(s.hour, s.minute) });
      if (s.kind === 'weekly') return t({ en: '{d} at {h} UTC', zh: '每{d} {h}（UTC）' }, { d: t(WEEKDAYS[s.weekday]!), h: hhmm(s.hour, s.minute) });
      if (s.kind === 'monthly') return t({ en: 'Day {n} of every month at {h} UTC', zh: '每月 {n} 日 {h}（UTC）' }, { n: s.day, h: hhmm(s.hour, s.minute) });
      return t({ en: 'On schedule “{c}” (UTC)', zh: '按定时 “{c}”（UTC）' }, { c: s.cron });
    }
  }
}

function AutomationCard(props: {
  automation: Automation; form: FormDefinition; open: boolean; problems: Problem[];
  onToggle(): void; onChange(next: Automation): void; onDelete(): void;
}) {
  const { automation: a, form, open, problems, onChange } = props;
  const t = useT();
  const id = useId();
  const dir = useDirectory();
  const name = labelParts(a.name);
  const title = t(a.name as Label) || a.id;
  const summary = useTriggerSummary(a, form);
  const setName = (part: 'en' | 'zh', text: string) => {
    const label = partsToLabel({ ...name, [part]: text });
    const { name: _old, ...rest } = a;
    onChange(label === '' ? rest : { ...rest, name: label });
  };
  return (
    <article className={`au-card ${problems.length ? 'au-card-bad' : ''}`} aria-label={title}>
      <header className="row au-card-head">
        <button type="button" className="btn-link au-toggle" aria-expanded={open} aria-controls={`${id}-body`} onClick={props.onToggle}>
          <span aria-hidden="true" className="au-caret">{open ? '▾' : '▸'}</span>
          <strong>{title}</strong>
        </button>
        {problems.length > 0 && <span className="tag tag-warning">{t({ en: '{n} problem(s)', zh: '{n} 个问题' }, { n: problems.length })}</span>}
        <span className="spacer" />
        <button type="button" className="btn btn-sm btn-danger" aria-label={t({ en: 'Delete automation {n}', zh: '删除智能助手 {n}' }, { n: title })} onClick={props.onDelete}>
          {t({ en: 'Delete', zh: '删除' })}
        </button>
      </header>
      <p className="muted small au-summary">
        {summary} · {t({ en: '{n} action(s)', zh: '{n} 个操作' }, { n: a.actions.length })}
      </p>
      {problems.length > 0 && (
        <ul className="au-problems" aria-label={t({ en: 'Problems of {n}', zh: '{n} 的问题' }, { n: title })}>
          {problems.map((p) => (
            <li key={p.key} className="au-problem">
              <span className={`tag ${p.source === 'server' ? 'tag-danger' : 'tag-warning'}`}>{p.source === 'server' ? t({ en: 'Server', zh: '服务器' }) : t({ en: 'Check', zh: '检查' })}</span>{' '}
              {p.message.replace(/^Automation "[^"]+": /, '')}
            </li>
          ))}
        </ul>
      )}
      {open && (
        <div id={`${id}-body`} className="stack au-body">
          <div className="row">
            <div className="field grow">
              <label htmlFor={`${id}-name`}>{t({ en: 'Automation name', zh: '名称' })}</label>
              <input id={`${id}-name`} value={name.en} onChange={(e) => setName('en', e.target.value)} />
            </div>
            <div className="field grow">
              <label htmlFor={`${id}-name-zh`}>{t({ en: 'Name in Chinese', zh: '中文名称' })}</label>
              <input id={`${id}-name-zh`} lang="zh" value={name.zh} onChange={(e) => setName('zh', e.target.value)} />
            </div>
          </div>
          <TriggerEditor on={a.on} form={form} onChange={(on) => onChange({ ...a, on })} />
          <ConditionBuilder
            fields={dir.fields}
            value={a.condition as Logic | undefined}
            label={t({ en: 'Only when (optional)', zh: '仅当满足（可选）' })}
            hint={t({ en: 'Tested on the record each time; no condition: always.', zh: '每次都对记录判断；不设条件则总是执行。' })}
            onChange={(condition) => {
              const { condition: _old, ...rest } = a;
              onChange(condition === undefined ? rest : { ...rest, condition });
            }}
          />
          <ActionsEditor actions={a.actions} onChange={(actions) => onChange({ ...a, actions })} />
        </div>
      )}
    </article>
  );
}
