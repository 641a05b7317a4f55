// The formula editor: an expression such as `{price} * {qty}` (core/design/expression.ts) with a
// field picker and a function list to insert from, the live result computed by core's json-logic
// on sample values the admin types, and the error when the expression is wrong. Stored as json-logic.
import { useId, useMemo, useRef, useState } from 'react';
import {
  applyLogic, checkLogic, CONTEXT_VARS, ExpressionError, expressionToLogic, fieldType, logicToExpression, logicVars, ruleScope,
  type Field, type Logic, type SubField,
} from '@trellis/core';
import { useT, type Msg } from '@trellis/app/lib/i18n';

const FUNCTIONS: { name: string; template: string; help: Msg }[] = [
  { name: 'round', template: 'round(, 2)', help: { en: 'round(number, digits)', zh: 'round(数字, 小数位)' } },
  { name: 'sumOf', template: 'sumOf({}, "")', help: { en: 'sum of a sub-table column: sumOf({lines}, "amount")', zh: '子表列求和：sumOf({lines}, "amount")' } },
  { name: 'avgOf', template: 'avgOf({}, "")', help: { en: 'average of a sub-table column', zh: '子表列平均值' } },
  { name: 'maxOf', template: 'maxOf({}, "")', help: { en: 'largest value of a sub-table column', zh: '子表列最大值' } },
  { name: 'minOf', template: 'minOf({}, "")', help: { en: 'smallest value of a sub-table column', zh: '子表列最小值' } },
  { name: 'countOf', template: 'countOf({})', help: { en: 'number of rows of a sub-table', zh: '子表行数' } },
  { name: 'if', template: 'if(, , )', help: { en: 'if(condition, then, else)', zh: 'if(条件, 是, 否)' } },
  { name: 'min', template: 'min(, )', help: { en: 'smallest of the arguments', zh: '参数中的最小值' } },
  { name: 'max', template: 'max(, )', help: { en: 'largest of the arguments', zh: '参数中的最大值' } },
  { name: 'abs', template: 'abs()', help: { en: 'absolute value', zh: '绝对值' } },
  { name: 'floor', template: 'floor()', help: { en: 'round down', zh: '向下取整' } },
  { name: 'ceil', template: 'ceil()', help: { en: 'round up', zh: '向上取整' } },
  { name: 'cat', template: 'cat(, )', help: { en: 'join texts', zh: '连接文本' } },
  { name: 'upper', template: 'upper()', help: { en: 'upper case', zh: '转大写' } },
  { name: 'lower', template: 'lower()', help: { en: 'lower case', zh: '转小写' } },
  { name: 'trim', template: 'trim()', help: { en: 'remove spaces at both ends', zh: '去除两端空格' } },
  { name: 'len', template: 'len()', help: { en: 'length of a text or list', zh: '文本或列表长度' } },
  { name: 'left', template: 'left(, 1)', help: { en: 'first n characters', zh: '左起 n 个字符' } },
  { name: 'right', template: 'right(, 1)', help: { en: 'last n characters', zh: '右起 n 个字符' } },
  { name: 'datediff', template: 'datediff(, , "days")', help: { en: 'datediff(from, to, "days"|"hours"|"months"|"years")', zh: 'datediff(开始, 结束, 单位)' } },
  { name: 'dateadd', template: 'dateadd(, 1, "days")', help: { en: 'dateadd(date, n, unit)', zh: 'dateadd(日期, 数量, 单位)' } },
  { name: 'coalesce', template: 'coalesce(, )', help: { en: 'first value that is not empty', zh: '第一个非空值' } },
];

type AnyField = Field | SubField;

export interface FormulaEditorProps {
  value: Logic | undefined;
  onChange(next: Logic | undefined): void;
  /** fields the formula may read (siblings; for a row formula, the row's fields) */
  fields: readonly AnyField[];
  /** for a row formula: the form's top-level fields, read as {$parent.key} */
  parentFields?: readonly AnyField[];
  /** names of the group and of the expression box (default "Formula", "Formula expression") */
  label?: { group: string; input: string };
}

function parse(src: string, known: Set<string>): { logic?: Logic; error?: string; at?: number } {
  if (src.trim() === '') return {};
  try {
    const logic = expressionToLogic(src);
    const problems = checkLogic(logic, { isKnownVar: (n) => known.has(n) });
    return problems.length ? { logic, error: problems[0]! } : { logic };
  } catch (e) {
    if (e instanceof ExpressionError) return { error: e.message, at: e.at };
    return { error: (e as Error).message };
  }
}

function sampleFor(f: AnyField, text: string): unknown {
  if (text === '') return undefined;
  const t = f.type === 'lookup' ? (f.valueType ?? 'text') : f.type;
  if (t === 'number' || t === 'money' || t === 'formula') return Number.isFinite(Number(text)) ? Number(text) : text;
  if (t === 'checkbox') return text === 'true';
  if (t === 'subtable' || t === 'multiselect') {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return undefined;
    }
  }
  return text;
}

export function FormulaEditor({ value, onChange, fields, parentFields, label }: FormulaEditorProps) {
  const t = useT();
  const uid = useId();
  const area = useRef<HTMLTextAreaElement>(null);
  const [src, setSrc] = useState(() => logicToExpression(value) ?? JSON.stringify(value));
  const [samples, setSamples] = useState<Record<string, string>>({});
  const [pick, setPick] = useState('');
  const [fn, setFn] = useState('');
  const known = useMemo(() => new Set([...fields.map((f) => f.key), ...CONTEXT_VARS, ...(parentFields ? ['$parent'] : [])]), [fields, parentFields]);
  const parsed = useMemo(() => parse(src, known), [src, known]);

  const edit = (next: string) => {
    setSrc(next);
    const p = parse(next, known);
    if (next.trim() === '') onChange(undefined);
    else if (p.logic !== undefined && !p.error) onChange(p.logic);
  };

  const insert = (text: string) => {
    const el = area.current;
    const start = el?.selectionStart ?? src.length;
    const end = el?.selectionEnd ?? src.length;
    const next = src.slice(0, start) + text + src.slice(end);
    edit(next);
    requestAnimationFrame(() => {
      el?.focus();
      const caret = start + (text.indexOf('(') >= 0 ? text.indexOf('(') + 1 : text.length);
      el?.setSelectionRange(caret, caret);
    });
  };

  const used = parsed.logic !== undefined ? logicVars(parsed.logic).filter((v) => !CONTEXT_VARS.includes(v)) : [];
  const sampleFields = used.flatMap((k) => (k === '$parent' ? (parentFields ?? []).map((f) => ({ f, key: `$parent.${f.key}` })) : fields.filter((f) => f.key === k).map((f) => ({ f, key: k }))));
  let result: { ok: true; value: unknown } | { ok: false } = { ok: false };
  if (parsed.logic !== undefined && !parsed.error) {
    const data: Record<string, unknown> = {};
    const parent: Record<string, unknown> = {};
    for (const { f, key } of sampleFields) {
      const v = sampleFor(f, samples[key] ?? '');
      if (key.startsWith('$parent.')) parent[f.key] = v;
      else data[key] = v;
    }
    if (parentFields) data.$parent = parent;
    result = { ok: true, value: applyLogic(parsed.logic, ruleScope(data, { user: null, now: new Date() })) };
  }
  const pickable = [...fields, ...(parentFields ?? []).map((f) => ({ ...f, key: `$parent.${f.key}` }))];

  return (
    <div className="fd-formula" role="group" aria-label={label?.group ?? t({ en: 'Formula', zh: '公式' })}>
      <label htmlFor={`${uid}-src`}>{label?.input ?? t({ en: 'Formula expression', zh: '公式表达式' })}</label>
      <textarea
        id={`${uid}-src`}
        ref={area}
        className="mono"
        rows={3}
        spellCheck={false}
        value={src}
        aria-invalid={parsed.error ? true : undefined}
        aria-describedby={`${uid}-status`}
        placeholder="{price} * {qty}"
        onChange={(e) => edit(e.target.value)}
      />
      <div className="row fd-formula-tools">
        <select aria-label={t({ en: 'Field to insert', zh: '要插入的字段' })} value={pick} onChange={(e) => setPick(e.target.value)}>
          <option value="">{t({ en: 'Field…', zh: '字段…' })}</option>
          {pickable.map((f) => <option key={f.key} value={f.key}>{(t(f.label) || f.key) + ` {${f.key}}`}</option>)}
        </select>
        <button type="button" className="btn btn-sm" disabled={!pick} onClick={() => insert(`{${pick}}`)}>
          {t({ en: 'Insert field', zh: '插入字段' })}
        </button>
        <select aria-label={t({ en: 'Function to insert', zh: '要插入的函数' })} value={fn} onChange={(e) => setFn(e.target.value)}>
          <option value="">{t({ en: 'Function…', zh: '函数…' })}</option>
          {FUNCTIONS.map((f) => <option key={f.name} value={f.name} title={t(f.help)}>{`${f.name} — ${t(f.help)}`}</option>)}
        </select>
        <button type="button" className="btn btn-sm" disabled={!fn} onClick={() => insert(FUNCTIONS.find((f) => f.name === fn)!.template)}>
          {t({ en: 'Insert function', zh: '插入函数' })}
        </button>
      </div>
      <div id={`${uid}-status`} aria-live="polite">
        {parsed.error ? (
          <p className="error-text" role="alert">
            {parsed.at !== undefined ? t({ en: 'Error at character {n}: ', zh: '第 {n} 个字符处有错误：' }, { n: parsed.at + 1 }) : t({ en: 'Error: ', zh: '错误：' })}
            {parsed.error}
          </p>
        ) : src.trim() === '' ? (
          <p className="muted">{t({ en: 'Write an expression, e.g. {price} * {qty}.', zh: '请输入表达式，例如 {price} * {qty}。' })}</p>
        ) : null}
      </div>
      {sampleFields.length > 0 && (
        <fieldset className="fd-samples">
          <legend>{t({ en: 'Sample values', zh: '示例值' })}</legend>
          {sampleFields.map(({ f, key }) => (
            <label key={key} className="fd-sample">
              <span>{`${t(f.label) || f.key} {${key}}`}{['subtable', 'multiselect'].includes(f.type) ? ' (JSON)' : ''}</span>
              <input
                aria-label={t({ en: 'Sample value of {name}', zh: '{name} 的示例值' }, { name: t(f.label) || f.key })}
                type={['number', 'money'].includes(f.type) ? 'number' : 'text'}
                placeholder={f.type === 'subtable' ? '[{"qty": 2}]' : t(fieldType(f.type).label)}
                value={samples[key] ?? ''}
                onChange={(e) => setSamples({ ...samples, [key]: e.target.value })}
              />
            </label>
          ))}
        </fieldset>
      )}
      {result.ok && (
        <p className="fd-formula-result">
          {t({ en: 'Result', zh: '结果' })}: <output aria-label={t({ en: 'Formula result', zh: '公式结果' })}>{result.value === null || result.value === undefined ? '—' : JSON.stringify(result.value)}</output>
        </p>
      )}
    </div>
  );
}
