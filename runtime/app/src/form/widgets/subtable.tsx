// Sub-table: each row is a card with its fields and a "Remove row" button; "Add row" below.
import type { RecordData, SubField } from '@trellis/core';
import { labelText } from '@trellis/core';
import { useT } from '../../lib/i18n';
import { useFormCtx, type WidgetProps } from '../form-context';
import { subFieldState } from '../form-state';
import { FieldControl } from '../FieldControl';

export function SubtableWidget(p: WidgetProps<RecordData[]>) {
  const t = useT();
  const ctx = useFormCtx();
  const rows = Array.isArray(p.value) ? p.value : [];
  const subs = ('fields' in p.field ? (p.field.fields ?? []) : []) as SubField[];
  const minRows = 'minRows' in p.field ? (p.field.minRows ?? 0) : 0;
  const maxRows = 'maxRows' in p.field ? (p.field.maxRows ?? Infinity) : Infinity;
  const editable = ctx.mode !== 'view' && !p.state.readOnly;
  const computedRows = (ctx.computed[p.field.key] as RecordData[] | undefined) ?? [];
  const label = labelText(p.field.label, ctx.lang);

  function setRows(next: RecordData[]) {
    p.onChange(next.length ? next : undefined);
  }
  return (
    <div className="tf-subtable" id={p.id} aria-describedby={p.describedBy}>
      {rows.length === 0 && <p className="muted">{t({ en: 'No rows yet.', zh: '暂无明细行。' })}</p>}
      {rows.map((row, i) => {
        const rowLabel = t({ en: '{label} row {n}', zh: '{label} 第 {n} 行' }, { label, n: i + 1 });
        return (
          <section key={i} className="card tf-row" role="group" aria-label={rowLabel}>
            <div className="tf-row-head">
              <h3>{rowLabel}</h3>
              {editable && (
                <button
                  type="button"
                  className="btn btn-sm tf-remove-row"
                  disabled={rows.length <= minRows}
                  onClick={() => {
                    ctx.touch(p.path);
                    setRows(rows.filter((_, j) => j !== i));
                  }}
                >
                  {t({ en: 'Remove row', zh: '删除行' })}
                </button>
              )}
            </div>
            <div className="tf-grid">
              {subs.map((s) => {
                const state = subFieldState(s, !editable);
                if (!state.visible) return null;
                const computed = state.readOnly && s.type !== 'subtable' && ['formula', 'lookup', 'serial'].includes(s.type);
                const v = computed ? computedRows[i]?.[s.key] : row[s.key];
                return (
                  <div key={s.key} className={`tf-col tf-w-${s.width ?? 'full'}`}>
                    <FieldControl
                      field={s}
                      path={`${p.path}[${i}].${s.key}`}
                      value={v}
                      state={state}
                      onChange={(cell) => {
                        const next = rows.map((r, j) => {
                          if (j !== i) return r;
                          const copy = { ...r };
                          if (cell === undefined) delete copy[s.key];
                          else copy[s.key] = cell;
                          return copy;
                        });
                        setRows(next);
                      }}
                    />
                  </div>
                );
              })}
            </div>
          </section>
        );
      })}
      {editable && (
        <button
          type="button"
          className="btn btn-block tf-add-row"
          disabled={rows.length >= maxRows}
          onClick={() => {
            ctx.touch(p.path);
            setRows([...rows, {}]);
          }}
        >
          <span aria-hidden="true">+</span> {t({ en: 'Add row', zh: '添加行' })}
        </button>
      )}
      {editable && (minRows > 0 || maxRows !== Infinity) && (
        <div className="help">
          {maxRows !== Infinity
            ? t({ en: '{min} to {max} rows', zh: '{min} 至 {max} 行' }, { min: minRows, max: maxRows })
            : t({ en: 'At least {min} rows', zh: '至少 {min} 行' }, { min: minRows })}
        </div>
      )}
    </div>
  );
}
