// Where an action takes one value from: a field of the source record (or row), who submitted
// it, or a fixed value typed in. Writes the json-logic (`{"var": …}` or a literal) so nobody
// types JSON; an expression written elsewhere (a pack) is kept and shown as such.
import type { Field, Logic, SubField } from '@trellis/core';
import { useT } from '@trellis/app/lib/i18n';

export interface SourceField {
  /** the variable name json-logic reads (`amount`, `record.title` inside rows) */
  path: string;
  label: string;
}

export function sourceFields(fields: readonly (Field | SubField)[], t: ReturnType<typeof useT>, prefix = ''): SourceField[] {
  return fields.map((f) => ({ path: `${prefix}${f.key}`, label: t(f.label) }));
}

type Parsed = { kind: 'none' } | { kind: 'var'; path: string } | { kind: 'fixed'; text: string } | { kind: 'expr' };

function parse(v: Logic | undefined): Parsed {
  if (v === undefined) return { kind: 'none' };
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
    const keys = Object.keys(v);
    if (keys.length === 1 && keys[0] === 'var' && typeof (v as { var: unknown }).var === 'string') return { kind: 'var', path: (v as { var: string }).var };
    return { kind: 'expr' };
  }
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return { kind: 'fixed', text: String(v) };
  return { kind: 'expr' };
}

/** a typed-in value as the target field wants it */
function literal(text: string, targetType: string | undefined): Logic {
  if ((targetType === 'number' || targetType === 'money') && text.trim() !== '' && Number.isFinite(Number(text))) return Number(text);
  if (targetType === 'checkbox') return text === 'true';
  return text;
}

export function ValueSource(props: {
  label: string;
  value: Logic | undefined;
  onChange(next: Logic | undefined): void;
  sources: SourceField[];
  targetType?: string;
  /** offer the record's submitter (`createdBy`) and the record itself (`id`, e.g. for a link to it) */
  withSubmitter?: boolean;
}) {
  const t = useT();
  const p = parse(props.value);
  const selectValue = p.kind === 'var' ? `var:${p.path}` : p.kind;
  const change = (choice: string) => {
    if (choice === 'none') props.onChange(undefined);
    else if (choice === 'fixed') props.onChange(literal('', props.targetType));
    else if (choice === 'expr') return;
    else props.onChange({ var: choice.slice(4) } as Logic);
  };
  const known = p.kind !== 'var' || props.sources.some((s) => s.path === p.path) || (!!props.withSubmitter && (p.path === 'createdBy' || p.path === 'id'));
  return (
    <div className="wf-value-source">
      <select aria-label={props.label} value={selectValue} onChange={(e) => change(e.target.value)}>
        <option value="none">{t({ en: '— not set —', zh: '— 不设置 —' })}</option>
        {props.sources.map((s) => <option key={s.path} value={`var:${s.path}`}>{t({ en: 'Field: {f}', zh: '字段：{f}' }, { f: s.label })}</option>)}
        {props.withSubmitter && <option value="var:createdBy">{t({ en: 'Submitter', zh: '提交人' })}</option>}
        {props.withSubmitter && <option value="var:id">{t({ en: 'This record (its ID)', zh: '本条记录（ID）' })}</option>}
        {!known && p.kind === 'var' && <option value={`var:${p.path}`}>{p.path}</option>}
        <option value="fixed">{t({ en: 'Fixed value', zh: '固定值' })}</option>
        {p.kind === 'expr' && <option value="expr">{t({ en: 'Expression (kept as written)', zh: '表达式（保持原样）' })}</option>}
      </select>
      {p.kind === 'fixed' && (
        <input
          aria-label={t({ en: '{f}: fixed value', zh: '{f}：固定值' }, { f: props.label })}
          type={props.targetType === 'number' || props.targetType === 'money' ? 'number' : 'text'}
          value={p.text}
          onChange={(e) => props.onChange(literal(e.target.value, props.targetType))}
        />
      )}
    </div>
  );
}
