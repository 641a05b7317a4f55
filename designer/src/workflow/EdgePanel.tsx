// The property panel of the selected edge: a branch of a condition node takes a condition built
// with the ConditionBuilder, or is the default branch (taken when no condition holds).
import { useId } from 'react';
import type { Logic, WorkflowEdge, WorkflowNode } from '@trellis/core';
import { useT } from '@trellis/app/lib/i18n';
import { ConditionBuilder } from '../common/ConditionBuilder';
import { useDirectory } from './org-context';

export interface EdgePanelProps {
  edge: WorkflowEdge;
  from: WorkflowNode | undefined;
  /** position among the source's outgoing edges, and how many there are */
  index: number;
  count: number;
  onChange(next: WorkflowEdge): void;
  /** makes this edge the one default branch of its condition */
  onMakeDefault(): void;
  onMove(delta: -1 | 1): void;
  onDelete(): void;
}

export function EdgePanel({ edge, from, index, count, onChange, onMakeDefault, onMove, onDelete }: EdgePanelProps) {
  const t = useT();
  const id = useId();
  const dir = useDirectory();
  const branch = from?.type === 'condition';
  return (
    <section className="stack" aria-label={t({ en: 'Edge properties', zh: '连线属性' })}>
      <div className="row">
        <h2 style={{ margin: 0 }}>{branch ? t({ en: 'Branch', zh: '分支' }) : t({ en: 'Edge', zh: '连线' })}</h2>
        <span className="muted">{edge.from} → {edge.to}</span>
        <span className="spacer" />
        <button type="button" className="btn btn-sm btn-danger" onClick={onDelete}>{t({ en: 'Delete edge', zh: '删除连线' })}</button>
      </div>
      {!branch && <p className="muted">{t({ en: 'Only branches leaving a condition node carry conditions.', zh: '只有从条件分支节点出发的连线才带条件。' })}</p>}
      {branch && (
        <>
          <label className="wf-radio" htmlFor={`${id}-default`}>
            <input
              id={`${id}-default`} type="checkbox" checked={!!edge.default}
              onChange={(e) => (e.target.checked ? onMakeDefault() : onChange({ from: edge.from, to: edge.to }))}
            />
            {t({ en: 'Default branch', zh: '默认分支' })}
          </label>
          <p className="muted">{t({ en: 'Taken when no other branch’s condition holds. A condition node has exactly one.', zh: '其他分支条件都不满足时走此分支。每个条件节点恰好一个。' })}</p>
          {!edge.default && (
            <ConditionBuilder
              fields={dir.fields}
              value={edge.condition as Logic | undefined}
              onChange={(next) => onChange(next === undefined ? { from: edge.from, to: edge.to } : { from: edge.from, to: edge.to, condition: next })}
              label={t({ en: 'Condition', zh: '条件' })}
            />
          )}
          {count > 1 && (
            <div className="row">
              <span className="muted">{t({ en: 'Tried {n} of {m}', zh: '第 {n} 个判断，共 {m} 个' }, { n: index + 1, m: count })}</span>
              <button type="button" className="btn btn-sm" disabled={index === 0} onClick={() => onMove(-1)}>{t({ en: 'Try earlier', zh: '提前' })}</button>
              <button type="button" className="btn btn-sm" disabled={index === count - 1} onClick={() => onMove(1)}>{t({ en: 'Try later', zh: '推后' })}</button>
            </div>
          )}
        </>
      )}
    </section>
  );
}
