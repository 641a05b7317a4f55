// Member, department and linked-record pickers: a search box, the matches as buttons, the choice as chips.
import { useEffect, useMemo, useState } from 'react';
import { labelText } from '@trellis/core';
import { get, qs } from '../../lib/api';
import { useT } from '../../lib/i18n';
import { errorText } from '../../ui/common';
import { useFormCtx, type WidgetProps } from '../form-context';
import { useDirectory, useLinkTitles, type Choice } from './directory';

interface PickerProps extends WidgetProps<string | string[]> {
  /** choices for a search text (may call the server) */
  search(text: string, signal: AbortSignal): Promise<Choice[]>;
  /** display names of chosen ids */
  names: Map<string, string>;
  placeholder: string;
}

function SearchPicker(p: PickerProps) {
  const t = useT();
  const ctx = useFormCtx();
  const [text, setText] = useState('');
  const [open, setOpen] = useState(false);
  const [results, setResults] = useState<Choice[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const chosen = p.value === undefined ? [] : Array.isArray(p.value) ? p.value : [p.value];
  const multiple = !!p.field.multiple;
  const disabled = p.state.readOnly || ctx.mode !== 'fill';

  useEffect(() => {
    if (!open || disabled) return;
    const ctl = new AbortController();
    const timer = setTimeout(() => {
      setError(null);
      p.search(text.trim(), ctl.signal).then(
        (r) => !ctl.signal.aborted && setResults(r),
        (e: unknown) => !ctl.signal.aborted && setError(e),
      );
    }, 200);
    return () => {
      clearTimeout(timer);
      ctl.abort();
    };
  }, [text, open, disabled]);

  function pick(id: string) {
    if (multiple) p.onChange(chosen.includes(id) ? chosen : [...chosen, id]);
    else {
      p.onChange(id);
      setOpen(false);
      setText('');
    }
  }
  function remove(id: string) {
    const rest = chosen.filter((x) => x !== id);
    p.onChange(multiple ? (rest.length ? rest : undefined) : undefined);
  }

  return (
    <div className="tf-picker">
      {chosen.length > 0 && (
        <ul className="tf-chips" aria-label={t({ en: 'Chosen', zh: '已选' })}>
          {chosen.map((id) => (
            <li key={id} className="tf-chip">
              <span>{p.names.get(id) ?? id}</span>
              {!disabled && (
                <button type="button" className="btn btn-sm" aria-label={t({ en: 'Remove {name}', zh: '移除 {name}' }, { name: p.names.get(id) ?? id })} onClick={() => remove(id)}>
                  ×
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {(multiple || chosen.length === 0 || open) && (
        <input
          id={p.id}
          type="search"
          autoComplete="off"
          disabled={disabled}
          placeholder={ctx.mode === 'preview' ? t({ en: 'Available when filling the form', zh: '填写表单时可用' }) : p.placeholder}
          aria-describedby={p.describedBy}
          aria-invalid={p.invalid || undefined}
          aria-required={p.state.required || undefined}
          aria-controls={`${p.id}-results`}
          aria-expanded={open}
          value={text}
          onFocus={() => setOpen(true)}
          onChange={(e) => {
            setText(e.target.value);
            setOpen(true);
          }}
        />
      )}
      {!multiple && chosen.length > 0 && !open && !disabled && (
        <button type="button" className="btn btn-sm" id={p.id} onClick={() => setOpen(true)}>
          {t({ en: 'Change', zh: '更改' })}
        </button>
      )}
      {open && !disabled && (
        <div id={`${p.id}-results`} className="tf-results">
          {error !== null ? (
            <div className="error-text" role="alert">{errorText(error, t)}</div>
          ) : results === null ? (
            <div className="muted" role="status">{t({ en: 'Searching…', zh: '搜索中…' })}</div>
          ) : results.length === 0 ? (
            <div className="muted" role="status">{t({ en: 'No matches', zh: '没有匹配项' })}</div>
          ) : (
            <ul className="list" aria-label={t({ en: 'Matches for {label}', zh: '{label} 的匹配项' }, { label: p.label })}>
              {results.map((r) => (
                <li key={r.id}>
                  <button type="button" className="list-item" aria-pressed={chosen.includes(r.id)} onClick={() => pick(r.id)}>
                    <span>{r.label}</span>
                    {r.sub && <span className="muted"> {r.sub}</span>}
                  </button>
                </li>
              ))}
            </ul>
          )}
          <button type="button" className="btn btn-sm" onClick={() => setOpen(false)}>{t({ en: 'Close', zh: '关闭' })}</button>
        </div>
      )}
    </div>
  );
}

function matches(c: Choice, text: string): boolean {
  const q = text.toLowerCase();
  return !q || c.label.toLowerCase().includes(q) || (c.sub ?? '').toLowerCase().includes(q);
}

export function MemberWidget(p: WidgetProps<string | string[]>) {
  const t = useT();
  const ctx = useFormCtx();
  const dir = useDirectory('users', ctx.mode !== 'preview');
  return (
    <SearchPicker
      {...p}
      names={dir.names}
      placeholder={t({ en: 'Search people by name or e-mail', zh: '按姓名或邮箱搜索成员' })}
      search={async (text) => (await dir.load()).filter((c) => matches(c, text)).slice(0, 20)}
    />
  );
}

export function DepartmentWidget(p: WidgetProps<string | string[]>) {
  const t = useT();
  const ctx = useFormCtx();
  const dir = useDirectory('departments', ctx.mode !== 'preview');
  return (
    <SearchPicker
      {...p}
      names={dir.names}
      placeholder={t({ en: 'Search departments', zh: '搜索部门' })}
      search={async (text) => (await dir.load()).filter((c) => matches(c, text)).slice(0, 30)}
    />
  );
}

/** Records of the linked form, searched by its display field (or title field) on the server. */
export function LinkWidget(p: WidgetProps<string | string[]>) {
  const t = useT();
  const ctx = useFormCtx();
  const chosen = useMemo(() => (p.value === undefined ? [] : Array.isArray(p.value) ? p.value : [p.value]), [p.value]);
  const linked = useLinkTitles(p.field.form, p.field.displayField, chosen, ctx.mode !== 'preview');
  return (
    <SearchPicker
      {...p}
      names={linked.names}
      placeholder={t({ en: 'Search records', zh: '搜索记录' })}
      search={async (text, signal) => {
        const titleField = await linked.titleField();
        const filter = text && titleField ? JSON.stringify({ field: titleField, op: 'contains', value: text }) : undefined;
        const page = await get<{ items: { id: string; data: Record<string, unknown> }[] }>(
          `/api/forms/${encodeURIComponent(p.field.form ?? '')}/records${qs({ filter, limit: 20, sort: '-createdAt' })}`,
          { signal },
        );
        return page.items.map((r) => {
          const title = titleField ? r.data[titleField] : undefined;
          const label = title === undefined || title === null ? r.id : typeof title === 'object' ? labelText(title as never) : String(title);
          linked.remember(r.id, label);
          return { id: r.id, label };
        });
      }}
    />
  );
}
