// The settings of one block of a print template: its texts, the fields it prints, the columns and
// totals of a sub-table, signature labels, a spacer's height.
import { useId } from 'react';
import type { FormDefinition, Label, PrintBlock, PrintText } from '@trellis/core';
import { useT } from '@trellis/app/lib/i18n';
import { CheckInput, NumInput, SelectInput, TextInput } from '../forms/inputs';
import { columnsOf, move, scalarFields, subtables } from './model';

type Block<K extends PrintBlock['type']> = Extract<PrintBlock, { type: K }>;

function parts(v: PrintText | Label | undefined): { en: string; zh: string } {
  if (v === undefined) return { en: '', zh: '' };
  return typeof v === 'string' ? { en: v, zh: '' } : { en: v.en ?? '', zh: v.zh ?? '' };
}

function joined(en: string, zh: string): PrintText {
  return zh === '' ? en : { en, zh };
}

/** A text in English and Chinese; with no Chinese it is stored as one plain string. */
export function PrintTextInput({ label, value, onChange, multiline, help }: { label: string; value: PrintText | undefined; onChange(v: PrintText): void; multiline?: boolean; help?: string }) {
  const t = useT();
  const id = useId();
  const p = parts(value);
  const input = (lang: 'en' | 'zh', text: string) => {
    const aria = `${label} (${lang === 'en' ? 'English' : '中文'})`;
    const set = (v: string) => onChange(lang === 'en' ? joined(v, p.zh) : joined(p.en, v));
    return multiline
      ? <textarea id={lang === 'en' ? id : undefined} aria-label={aria} rows={3} value={text} onChange={(e) => set(e.target.value)} />
      : <input id={lang === 'en' ? id : undefined} aria-label={aria} value={text} onChange={(e) => set(e.target.value)} />;
  };
  return (
    <div className="field fd-field pt-text">
      <label htmlFor={id}>{label}</label>
      <div className="pt-langs">
        {input('en', p.en)}
        {input('zh', p.zh)}
      </div>
      <div className="help">{help ?? t({ en: 'English, then Chinese (optional). {field} prints a field’s value.', zh: '先英文，再中文（可选）。{字段键} 会打印该字段的值。' })}</div>
    </div>
  );
}

export function BlockEditor({ block, form, n, onChange }: { block: PrintBlock; form: FormDefinition; n: number; onChange(b: PrintBlock): void }) {
  const t = useT();
  switch (block.type) {
    case 'title':
      return <PrintTextInput label={t({ en: 'Title {n}', zh: '标题 {n}' }, { n })} value={block.text} onChange={(text) => onChange({ ...block, text })} />;
    case 'text':
      return <PrintTextInput multiline label={t({ en: 'Text {n}', zh: '文本 {n}' }, { n })} value={block.text} onChange={(text) => onChange({ ...block, text })} />;
    case 'fields':
      return <FieldsEditor block={block} form={form} n={n} onChange={onChange} />;
    case 'subtable':
      return <SubtableEditor block={block} form={form} n={n} onChange={onChange} />;
    case 'signatures':
      return (
        <div className="stack">
          {block.labels.map((l, i) => (
            <div key={i} className="row pt-item">
              <TextInput label={t({ en: 'Signature {i}', zh: '签字 {i}' }, { i: i + 1 })} value={typeof l === 'string' ? l : t(l)} onChange={(v) => onChange({ ...block, labels: block.labels.map((x, j) => (j === i ? v : x)) })} />
              <button type="button" className="btn btn-sm" disabled={block.labels.length === 1} aria-label={t({ en: 'Remove signature {i}', zh: '删除签字 {i}' }, { i: i + 1 })} onClick={() => onChange({ ...block, labels: block.labels.filter((_, j) => j !== i) })}>×</button>
            </div>
          ))}
          <button type="button" className="btn btn-sm" disabled={block.labels.length >= 6} onClick={() => onChange({ ...block, labels: [...block.labels, t({ en: 'Signature', zh: '签字' })] })}>
            {t({ en: 'Add signature', zh: '添加签字' })}
          </button>
        </div>
      );
    case 'spacer':
      return <NumInput label={t({ en: 'Space {n} (mm)', zh: '留白 {n}（毫米）' }, { n })} value={block.height} min={1} max={200} onChange={(v) => onChange({ ...block, height: v ?? 10 })} />;
    case 'pageBreak':
      return <p className="muted">{t({ en: 'What follows starts on a new page.', zh: '之后的内容从新的一页开始。' })}</p>;
  }
}

function FieldsEditor({ block, form, n, onChange }: { block: Block<'fields'>; form: FormDefinition; n: number; onChange(b: PrintBlock): void }) {
  const t = useT();
  const choices = scalarFields(form);
  const setItem = (i: number, patch: { field?: string; label?: string }) =>
    onChange({
      ...block,
      fields: block.fields.map((f, j) => {
        if (j !== i) return f;
        const next = { ...f, ...patch };
        if (next.label === '') delete next.label;
        return next;
      }),
    });
  return (
    <div className="stack">
      <SelectInput label={t({ en: 'Columns of block {n}', zh: '区块 {n} 的列数' }, { n })} value={String(block.columns)} onChange={(v) => onChange({ ...block, columns: Number(v) })}>
        {[1, 2, 3, 4].map((c) => <option key={c} value={c}>{c}</option>)}
      </SelectInput>
      {block.fields.map((f, i) => (
        <div key={i} className="row pt-item">
          <SelectInput label={t({ en: 'Field {i}', zh: '字段 {i}' }, { i: i + 1 })} value={f.field} onChange={(field) => setItem(i, { field })}>
            {!choices.some((c) => c.key === f.field) && <option value={f.field}>{f.field}</option>}
            {choices.map((c) => <option key={c.key} value={c.key}>{t(c.label)}</option>)}
          </SelectInput>
          <TextInput label={t({ en: 'Label of field {i}', zh: '字段 {i} 的标签' }, { i: i + 1 })} placeholder={t({ en: 'as in the form', zh: '同表单' })} value={typeof f.label === 'string' ? f.label : f.label ? t(f.label) : ''} onChange={(label) => setItem(i, { label })} />
          <button type="button" className="btn btn-sm" disabled={i === 0} aria-label={t({ en: 'Move field {i} up', zh: '上移字段 {i}' }, { i: i + 1 })} onClick={() => onChange({ ...block, fields: move(block.fields, i, -1) })}>↑</button>
          <button type="button" className="btn btn-sm" disabled={i === block.fields.length - 1} aria-label={t({ en: 'Move field {i} down', zh: '下移字段 {i}' }, { i: i + 1 })} onClick={() => onChange({ ...block, fields: move(block.fields, i, 1) })}>↓</button>
          <button type="button" className="btn btn-sm" disabled={block.fields.length === 1} aria-label={t({ en: 'Remove field {i}', zh: '删除字段 {i}' }, { i: i + 1 })} onClick={() => onChange({ ...block, fields: block.fields.filter((_, j) => j !== i) })}>×</button>
        </div>
      ))}
      <button type="button" className="btn btn-sm" disabled={choices.length === 0} onClick={() => onChange({ ...block, fields: [...block.fields, { field: choices[0]!.key }] })}>
        {t({ en: 'Add field', zh: '添加字段' })}
      </button>
    </div>
  );
}

function SubtableEditor({ block, form, n, onChange }: { block: Block<'subtable'>; form: FormDefinition; n: number; onChange(b: PrintBlock): void }) {
  const t = useT();
  const tables = subtables(form);
  const columns = columnsOf(form, block.field);
  const printed = new Set((block.columns ?? columns).map((c) => ('field' in c ? c.field : c.key)));
  const totals = new Set(block.totals ?? []);
  const setPrinted = (key: string, on: boolean) => {
    const keep = columns.filter((c) => (c.key === key ? on : printed.has(c.key)));
    // a sub-table prints at least one column
    if (keep.length === 0) return;
    const old = new Map((block.columns ?? []).map((c) => [c.field, c]));
    const next: Block<'subtable'> = { ...block, columns: keep.map((c) => old.get(c.key) ?? { field: c.key }) };
    if (!on) next.totals = (block.totals ?? []).filter((k) => k !== key);
    if (next.totals?.length === 0) delete next.totals;
    onChange(next);
  };
  const setTotal = (key: string, on: boolean) => {
    const list = columns.filter((c) => (c.key === key ? on : totals.has(c.key))).map((c) => c.key);
    const next: Block<'subtable'> = { ...block, totals: list };
    if (list.length === 0) delete next.totals;
    onChange(next);
  };
  return (
    <div className="stack">
      <SelectInput label={t({ en: 'Sub-table of block {n}', zh: '区块 {n} 的子表' }, { n })} value={block.field} onChange={(field) => onChange({ type: 'subtable', field })}>
        {!tables.some((c) => c.key === block.field) && <option value={block.field}>{block.field || t({ en: '(choose)', zh: '（请选择）' })}</option>}
        {tables.map((c) => <option key={c.key} value={c.key}>{t(c.label)}</option>)}
      </SelectInput>
      <PrintTextInput label={t({ en: 'Caption of block {n}', zh: '区块 {n} 的标题' }, { n })} value={block.title} onChange={(title) => {
        const next: Block<'subtable'> = { ...block, title };
        if (title === '') delete next.title;
        onChange(next);
      }} help={t({ en: 'Empty: the sub-table’s label.', zh: '留空则用子表的名称。' })} />
      {columns.length > 0 && (
        <fieldset className="pt-columns">
          <legend>{t({ en: 'Columns printed, and totals', zh: '打印的列与合计' })}</legend>
          {columns.map((c) => (
            <div key={c.key} className="row">
              <CheckInput label={t(c.label)} checked={printed.has(c.key)} onChange={(on) => setPrinted(c.key, on)} />
              {c.numeric && printed.has(c.key) && (
                <CheckInput label={t({ en: 'Total of {c}', zh: '{c} 合计' }, { c: t(c.label) })} checked={totals.has(c.key)} onChange={(on) => setTotal(c.key, on)} />
              )}
            </div>
          ))}
        </fieldset>
      )}
    </div>
  );
}
