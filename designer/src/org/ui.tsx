// Small pieces the organisation and app settings screens share: a modal dialog, en/zh name
// inputs, a searchable checkbox list, and the busy/error state of one action.
import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { useT, type Msg } from '@trellis/app/lib/i18n';

/** A native modal <dialog>: focus is kept inside, Escape closes it. */
export function Modal({ title, onClose, children, wide }: { title: string; onClose: () => void; children: ReactNode; wide?: boolean }) {
  const ref = useRef<HTMLDialogElement>(null);
  const id = useId();
  const t = useT();
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
    return () => d?.close();
  }, []);
  return (
    <dialog
      ref={ref}
      className={wide ? 'org-modal org-modal-wide' : 'org-modal'}
      aria-labelledby={id}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      <div className="row org-modal-head">
        <h2 id={id}>{title}</h2>
        <span className="spacer" />
        <button type="button" className="btn btn-sm" aria-label={t({ en: 'Close', zh: '关闭' })} onClick={onClose}>
          ×
        </button>
      </div>
      {children}
    </dialog>
  );
}

/** Two inputs for a label: English and Chinese. */
export function LabelFields({
  value,
  onChange,
  what,
  required,
}: {
  value: { en: string; zh: string };
  onChange: (next: { en: string; zh: string }) => void;
  what: Msg;
  required?: boolean;
}) {
  const t = useT();
  const id = useId();
  return (
    <div className="org-two">
      <div className="field">
        <label htmlFor={`${id}-en`}>{t({ en: '{what} (English)', zh: '{what}（英文）' }, { what: t(what) })}</label>
        <input id={`${id}-en`} maxLength={200} required={required && !value.zh.trim()} value={value.en} onChange={(e) => onChange({ ...value, en: e.target.value })} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-zh`}>{t({ en: '{what} (Chinese)', zh: '{what}（中文）' }, { what: t(what) })}</label>
        <input id={`${id}-zh`} maxLength={200} value={value.zh} onChange={(e) => onChange({ ...value, zh: e.target.value })} />
      </div>
    </div>
  );
}

export interface CheckOption {
  value: string;
  label: string;
  /** shown after the label, muted (e.g. the app of a role) */
  note?: string;
  /** indentation level (department trees) */
  depth?: number;
}

/** A multi-pick as a fieldset of checkboxes, with a search box once the list is long. */
export function CheckList({ legend, options, value, onChange, empty }: { legend: string; options: CheckOption[]; value: readonly string[]; onChange: (next: string[]) => void; empty?: string }) {
  const t = useT();
  const [q, setQ] = useState('');
  const needle = q.trim().toLowerCase();
  const shown = needle ? options.filter((o) => o.label.toLowerCase().includes(needle)) : options;
  const set = new Set(value);
  return (
    <fieldset className="org-checklist">
      <legend>{legend}</legend>
      {options.length > 8 && (
        <input type="search" className="org-checklist-search" aria-label={t({ en: 'Filter {what}', zh: '筛选{what}' }, { what: legend })} placeholder={t({ en: 'Filter…', zh: '筛选…' })} value={q} onChange={(e) => setQ(e.target.value)} />
      )}
      {options.length === 0 && <p className="muted">{empty ?? t({ en: 'Nothing to pick yet.', zh: '暂无可选项。' })}</p>}
      <div className="org-checklist-items">
        {shown.map((o) => (
          <label key={o.value} className="org-check" style={{ paddingLeft: (o.depth ?? 0) * 18 }}>
            <input
              type="checkbox"
              checked={set.has(o.value)}
              onChange={(e) => onChange(e.target.checked ? [...value, o.value] : value.filter((v) => v !== o.value))}
            />
            <span>{o.label}</span>
            {o.note && <span className="muted"> · {o.note}</span>}
          </label>
        ))}
      </div>
    </fieldset>
  );
}

/** The state of one button's work: busy while it runs, its error kept for an inline message. */
export function useAction(): { busy: boolean; error: unknown; run: (work: () => Promise<unknown>) => Promise<boolean>; clear: () => void } {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  return {
    busy,
    error,
    clear: () => setError(null),
    run: async (work) => {
      setBusy(true);
      setError(null);
      try {
        await work();
        return true;
      } catch (err) {
        setError(err);
        return false;
      } finally {
        setBusy(false);
      }
    },
  };
}

/** "1 member" / "3 members" */
export function memberCount(t: ReturnType<typeof useT>, n: number): string {
  return n === 1 ? t({ en: '1 member', zh: '1 人' }) : t({ en: '{n} members', zh: '{n} 人' }, { n });
}
