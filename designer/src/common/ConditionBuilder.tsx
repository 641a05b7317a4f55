// The visual condition builder: rows of "field · operator · value" joined by All/Any, with one
// level of groups, so nobody types JSON. It edits json-logic through core's pure model
// (conditionToLogic / logicToCondition); an expression too complex for rows is shown read-only
// with a Clear button. Used by the form designer (show/hide, required-if, read-only) and the
// workflow designer (branch conditions).
import { useRef, useState } from 'react';
import {
  CONDITION_FIELD_TYPES, conditionToLogic, isConditionGroup, logicToCondition, logicToExpression, operatorsFor, VALUELESS_OPS,
  type ConditionGroup, type ConditionModel, type ConditionOp, type ConditionRow, type Field, type Logic,
} from '@trellis/core';
import { useT } from '@trellis/app/lib/i18n';
import { ConditionValueInput } from './ConditionValueInput';
import './condition-builder.css';

export interface ConditionBuilderProps {
  /** the fields a condition may test (top-level fields of the form) */
  fields: readonly Field[];
  /** the current expression; undefined = no condition */
  value: Logic | undefined;
  onChange(next: Logic | undefined): void;
  /** accessible name of the group, e.g. "Show when" */
  label: string;
  /** a short hint under the label */
  hint?: string;
}

const OP_TEXT: Record<ConditionOp, { en: string; zh: string }> = {
  eq: { en: 'equals', zh: '等于' },
  ne: { en: 'not equals', zh: '不等于' },
  contains: { en: 'contains', zh: '包含' },
  empty: { en: 'is empty', zh: '为空' },
  notEmpty: { en: 'is not empty', zh: '不为空' },
  gt: { en: '>', zh: '>' },
  gte: { en: '>=', zh: '>=' },
  lt: { en: '<', zh: '<' },
  lte: { en: '<=', zh: '<=' },
  in: { en: 'in list', zh: '属于' },
  checked: { en: 'is checked', zh: '已勾选' },
  notChecked: { en: 'is not checked', zh: '未勾选' },
};

type Item = ConditionRow | ConditionGroup;

export function ConditionBuilder(props: ConditionBuilderProps) {
  const t = useT();
  const usable = props.fields.filter((f) => CONDITION_FIELD_TYPES.includes(f.type));
  const emitted = useRef<string | undefined>(undefined);
  const [model, setModel] = useState<ConditionModel | null>(() => logicToCondition(props.value));
  // an expression changed from outside (another field selected, undo, load) is read again
  const incoming = JSON.stringify(props.value ?? null);
  const [seen, setSeen] = useState(incoming);
  if (incoming !== seen) {
    setSeen(incoming);
    if (incoming !== emitted.current) setModel(logicToCondition(props.value));
  }

  const update = (next: ConditionModel) => {
    setModel(next);
    const logic = conditionToLogic(next);
    emitted.current = JSON.stringify(logic ?? null);
    props.onChange(logic);
  };

  const newRow = (): ConditionRow => {
    const f = usable[0];
    return { field: f?.key ?? '', op: f ? operatorsFor(f.type)[0]! : 'eq' };
  };

  const heading = (
    <div className="cb-head">
      <span className="cb-title">{props.label}</span>
      {props.hint && <span className="muted cb-hint">{props.hint}</span>}
    </div>
  );

  if (model === null) {
    const text = logicToExpression(props.value) ?? JSON.stringify(props.value);
    return (
      <div role="group" aria-label={props.label} className="cb">
        {heading}
        <p className="muted">{t({ en: 'This condition is too complex for the builder:', zh: '此条件过于复杂，无法在构建器中编辑：' })}</p>
        <code className="cb-summary">{text}</code>
        <div className="row">
          <button type="button" className="btn btn-sm" onClick={() => update({ join: 'all', items: [] })}>
            {t({ en: 'Clear', zh: '清除' })}
          </button>
        </div>
      </div>
    );
  }

  const setItems = (items: Item[]) => update({ ...model, items });

  return (
    <div role="group" aria-label={props.label} className="cb">
      {heading}
      {usable.length === 0 && <p className="muted">{t({ en: 'No fields to test yet.', zh: '还没有可用于条件的字段。' })}</p>}
      {model.items.length > 1 && <JoinSelect value={model.join} onChange={(join) => update({ ...model, join })} />}
      {model.items.map((item, i) =>
        isConditionGroup(item) ? (
          <div key={i} className="cb-group" role="group" aria-label={t({ en: 'Group {n}', zh: '条件组 {n}' }, { n: i + 1 })}>
            {item.items.length > 1 && <JoinSelect value={item.join} onChange={(join) => setItems(model.items.map((x, j) => (j === i ? { ...item, join } : x)))} />}
            {item.items.map((row, k) => (
              <RowEditor
                key={k}
                row={row}
                fields={usable}
                onChange={(r) => setItems(model.items.map((x, j) => (j === i ? { ...item, items: item.items.map((y, m) => (m === k ? r : y)) } : x)))}
                onRemove={() => {
                  const rest = item.items.filter((_, m) => m !== k);
                  setItems(rest.length ? model.items.map((x, j) => (j === i ? { ...item, items: rest } : x)) : model.items.filter((_, j) => j !== i));
                }}
              />
            ))}
            <div className="row">
              <button type="button" className="btn btn-sm" disabled={!usable.length} onClick={() => setItems(model.items.map((x, j) => (j === i ? { ...item, items: [...item.items, newRow()] } : x)))}>
                {t({ en: 'Add condition', zh: '添加条件' })}
              </button>
              <button type="button" className="btn btn-sm btn-link" onClick={() => setItems(model.items.filter((_, j) => j !== i))}>
                {t({ en: 'Remove group', zh: '删除条件组' })}
              </button>
            </div>
          </div>
        ) : (
          <RowEditor
            key={i}
            row={item}
            fields={usable}
            onChange={(r) => setItems(model.items.map((x, j) => (j === i ? r : x)))}
            onRemove={() => setItems(model.items.filter((_, j) => j !== i))}
          />
        ),
      )}
      <div className="row">
        <button type="button" className="btn btn-sm" disabled={!usable.length} onClick={() => setItems([...model.items, newRow()])}>
          {t({ en: 'Add condition', zh: '添加条件' })}
        </button>
        <button
          type="button"
          className="btn btn-sm"
          disabled={!usable.length}
          onClick={() => setItems([...model.items, { join: model.join === 'all' ? 'any' : 'all', items: [newRow()] }])}
        >
          {t({ en: 'Add group', zh: '添加条件组' })}
        </button>
      </div>
    </div>
  );
}

function JoinSelect({ value, onChange }: { value: 'all' | 'any'; onChange(v: 'all' | 'any'): void }) {
  const t = useT();
  return (
    <label className="cb-join">
      <span className="sr-only">{t({ en: 'Match', zh: '匹配方式' })}</span>
      <select aria-label={t({ en: 'Match', zh: '匹配方式' })} value={value} onChange={(e) => onChange(e.target.value as 'all' | 'any')}>
        <option value="all">{t({ en: 'All of these hold', zh: '满足所有条件' })}</option>
        <option value="any">{t({ en: 'Any of these holds', zh: '满足任一条件' })}</option>
      </select>
    </label>
  );
}

function RowEditor({ row, fields, onChange, onRemove }: { row: ConditionRow; fields: readonly Field[]; onChange(r: ConditionRow): void; onRemove(): void }) {
  const t = useT();
  const field = fields.find((f) => f.key === row.field);
  const ops = field ? operatorsFor(field.type) : (['eq'] as ConditionOp[]);
  return (
    <div className="cb-row">
      <select
        className="cb-f"
        aria-label={t({ en: 'Field', zh: '字段' })}
        value={row.field}
        onChange={(e) => {
          const f = fields.find((x) => x.key === e.target.value);
          const nextOps = f ? operatorsFor(f.type) : ops;
          onChange({ field: e.target.value, op: nextOps.includes(row.op) ? row.op : nextOps[0]! });
        }}
      >
        {!field && <option value={row.field}>{row.field || '—'}</option>}
        {fields.map((f) => (
          <option key={f.key} value={f.key}>
            {t(f.label) || f.key}
          </option>
        ))}
      </select>
      <select
        className="cb-o"
        aria-label={t({ en: 'Operator', zh: '运算符' })}
        value={row.op}
        onChange={(e) => {
          const op = e.target.value as ConditionOp;
          const keep = !VALUELESS_OPS.includes(op) && (op === 'in') === Array.isArray(row.value);
          onChange(keep ? { ...row, op } : { field: row.field, op });
        }}
      >
        {!ops.includes(row.op) && <option value={row.op}>{t(OP_TEXT[row.op])}</option>}
        {ops.map((op) => (
          <option key={op} value={op}>
            {t(OP_TEXT[op])}
          </option>
        ))}
      </select>
      {!VALUELESS_OPS.includes(row.op) && field && (
        <span className="cb-v">
          <ConditionValueInput field={field} op={row.op} value={row.value} onChange={(value) => onChange({ ...row, value })} />
        </span>
      )}
      <button type="button" className="btn btn-sm btn-link cb-remove" aria-label={t({ en: 'Remove condition', zh: '删除条件' })} onClick={onRemove}>
        ×
      </button>
    </div>
  );
}
