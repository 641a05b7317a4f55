// The options of a select or multi-select: value, English and Chinese text, reorder, remove.
import type { Option } from '@trellis/core';
import { useT } from '@trellis/app/lib/i18n';

interface Row {
  value: string;
  en: string;
  zh: string;
  color?: string;
}

function toRow(o: Option): Row {
  if (typeof o === 'string') return { value: o, en: '', zh: '' };
  const l = o.label;
  return { value: o.value, en: typeof l === 'string' ? l : (l?.en ?? ''), zh: typeof l === 'string' ? '' : (l?.zh ?? ''), ...(o.color ? { color: o.color } : {}) };
}

function toOption(r: Row): Option {
  if (!r.en && !r.zh && !r.color) return r.value;
  const label = r.en || r.zh ? { ...(r.en ? { en: r.en } : {}), ...(r.zh ? { zh: r.zh } : {}) } : undefined;
  return { value: r.value, ...(label ? { label } : {}), ...(r.color ? { color: r.color } : {}) };
}

export function OptionsEditor({ options, onChange }: { options: readonly Option[]; onChange(next: Option[]): void }) {
  const t = useT();
  const rows = options.map(toRow);
  const set = (next: Row[]) => onChange(next.map(toOption));
  const values = rows.map((r) => r.value);
  return (
    <div role="group" aria-label={t({ en: 'Options', zh: '选项' })} className="fd-options">
      <div className="fd-options-head muted">
        <span>{t({ en: 'Value', zh: '值' })}</span>
        <span>{t({ en: 'English', zh: '英文' })}</span>
        <span>{t({ en: 'Chinese', zh: '中文' })}</span>
        <span />
      </div>
      {rows.map((r, i) => {
        const dup = r.value !== '' && values.indexOf(r.value) !== i;
        const n = i + 1;
        return (
          <div key={i} className="fd-option-row">
            <input
              aria-label={t({ en: 'Option {n} value', zh: '选项 {n} 的值' }, { n })}
              value={r.value}
              aria-invalid={dup || r.value === '' ? true : undefined}
              onChange={(e) => set(rows.map((x, j) => (j === i ? { ...x, value: e.target.value } : x)))}
            />
            <input aria-label={t({ en: 'Option {n} English text', zh: '选项 {n} 英文文字' }, { n })} value={r.en} onChange={(e) => set(rows.map((x, j) => (j === i ? { ...x, en: e.target.value } : x)))} />
            <input aria-label={t({ en: 'Option {n} Chinese text', zh: '选项 {n} 中文文字' }, { n })} value={r.zh} onChange={(e) => set(rows.map((x, j) => (j === i ? { ...x, zh: e.target.value } : x)))} />
            <span className="fd-option-actions">
              <button type="button" className="btn btn-sm btn-link" disabled={i === 0} aria-label={t({ en: 'Move option {n} up', zh: '上移选项 {n}' }, { n })} onClick={() => set(rows.map((x, j) => (j === i - 1 ? rows[i]! : j === i ? rows[i - 1]! : x)))}>↑</button>
              <button type="button" className="btn btn-sm btn-link" aria-label={t({ en: 'Remove option {n}', zh: '删除选项 {n}' }, { n })} onClick={() => set(rows.filter((_, j) => j !== i))}>×</button>
            </span>
            {dup && <span className="error-text fd-option-error">{t({ en: 'This value is used twice.', zh: '此值重复。' })}</span>}
            {r.value === '' && <span className="error-text fd-option-error">{t({ en: 'An option needs a value.', zh: '选项需要一个值。' })}</span>}
          </div>
        );
      })}
      <button
        type="button"
        className="btn btn-sm"
        onClick={() => {
          let n = rows.length + 1;
          while (values.includes(`Option ${n}`)) n++;
          set([...rows, { value: `Option ${n}`, en: '', zh: '' }]);
        }}
      >
        {t({ en: 'Add option', zh: '添加选项' })}
      </button>
    </div>
  );
}
