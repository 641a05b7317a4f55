// The rows an import refuses, a page at a time: row number, column, field and the reason.
import { useState } from 'react';
import type { FormDefinition } from '@trellis/core';
import { useT, type Msg } from '../../lib/i18n';
import type { RowError } from './upload';

const PAGE = 20;
/** the server lists at most this many problems (its counts stay exact) */
const LISTED_MAX = 10_000;

/** a field's label; a sub-table cell ("items[2].qty") by its table's label */
function fieldLabel(def: FormDefinition, key: string, t: ReturnType<typeof useT>): string {
  const top = key.split(/[.[]/)[0] ?? key;
  const f = def.fields.find((x) => x.key === top);
  return f ? t(f.label) + (top === key ? '' : ` (${key.slice(top.length)})`) : key;
}

export function RowErrors({ def, errors, label }: { def: FormDefinition; errors: readonly RowError[]; label: Msg }) {
  const t = useT();
  const [page, setPage] = useState(0);
  const pages = Math.max(1, Math.ceil(errors.length / PAGE));
  const at = Math.min(page, pages - 1);
  const shown = errors.slice(at * PAGE, at * PAGE + PAGE);
  if (errors.length === 0) return null;
  return (
    <div className="stack">
      <div className="table-scroll">
        <table className="import-table" aria-label={t(label)}>
          <thead>
            <tr>
              <th scope="col">{t({ en: 'Row', zh: '行' })}</th>
              <th scope="col">{t({ en: 'Column', zh: '列' })}</th>
              <th scope="col">{t({ en: 'Field', zh: '字段' })}</th>
              <th scope="col">{t({ en: 'Reason', zh: '原因' })}</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((e, i) => (
              <tr key={`${at}-${i}`}>
                <td>{e.row}</td>
                <td>{e.column ?? '—'}</td>
                <td>{fieldLabel(def, e.field, t)}</td>
                <td>{t(e.message)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="row">
        <span className="muted small">
          {t({ en: 'Problems {from}–{to} of {n}', zh: '第 {from}–{to} 个问题，共 {n} 个' }, { from: at * PAGE + 1, to: at * PAGE + shown.length, n: errors.length })}
          {errors.length >= LISTED_MAX && ` ${t({ en: '(only the first 10,000 are listed)', zh: '（只列出前 10,000 个）' })}`}
        </span>
        <span className="spacer" />
        {pages > 1 && (
          <>
            <button type="button" className="btn btn-sm" disabled={at === 0} onClick={() => setPage(at - 1)}>{t({ en: 'Previous', zh: '上一页' })}</button>
            <button type="button" className="btn btn-sm" disabled={at >= pages - 1} onClick={() => setPage(at + 1)}>{t({ en: 'Next', zh: '下一页' })}</button>
          </>
        )}
      </div>
    </div>
  );
}
