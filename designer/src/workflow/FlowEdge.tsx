// An edge on the canvas; a branch leaving a condition node shows its condition (or "Default").
import { createContext, useContext } from 'react';
import { BaseEdge, EdgeLabelRenderer, getSmoothStepPath, type EdgeProps } from '@xyflow/react';
import type { Field, Logic } from '@trellis/core';
import { useT } from '@trellis/app/lib/i18n';
import type { FlowEdge } from './model';

/** the form's fields, to name them in branch labels */
export const FieldsContext = createContext<readonly Field[]>([]);

const OPS: Record<string, string> = { '==': '=', '===': '=', '!=': '≠', '!==': '≠', '>': '>', '>=': '≥', '<': '<', '<=': '≤', in: 'in' };

/** A short reading of a condition for the canvas; the panel edits it in full. */
export function logicSummary(logic: Logic | undefined, fieldName: (key: string) => string): string {
  if (logic === undefined || logic === null || typeof logic !== 'object' || Array.isArray(logic)) return '';
  const [op, args] = Object.entries(logic as Record<string, unknown>)[0] ?? [];
  if (!op) return '';
  const side = (v: unknown): string => {
    if (v && typeof v === 'object' && !Array.isArray(v) && 'var' in v) return fieldName(String((v as { var: unknown }).var));
    return JSON.stringify(v);
  };
  if ((op === 'and' || op === 'or') && Array.isArray(args)) return args.map((a) => logicSummary(a as Logic, fieldName)).filter(Boolean).join(op === 'and' ? ' and ' : ' or ');
  if (op === '!' && Array.isArray(args)) return `not (${logicSummary(args[0] as Logic, fieldName)})`;
  if (OPS[op] && Array.isArray(args) && args.length === 2) return `${side(args[0])} ${OPS[op]} ${side(args[1])}`;
  return op;
}

export function FlowEdgeView(props: EdgeProps<FlowEdge>) {
  const t = useT();
  const fields = useContext(FieldsContext);
  const [path, labelX, labelY] = getSmoothStepPath(props);
  const edge = props.data?.edge;
  const fieldName = (key: string) => {
    const f = fields.find((x) => x.key === key);
    return f ? t(f.label) : key;
  };
  let label = '';
  if (edge?.default) label = t({ en: 'Default', zh: '默认' });
  else if (edge?.condition !== undefined) label = logicSummary(edge.condition, fieldName) || t({ en: 'Condition', zh: '条件' });
  return (
    <>
      <BaseEdge id={props.id} path={path} markerEnd={props.markerEnd} style={props.style} interactionWidth={18} />
      {label && (
        <EdgeLabelRenderer>
          <div className="wf-edge-label nodrag nopan" style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)` }}>
            {label}
          </div>
        </EdgeLabelRenderer>
      )}
    </>
  );
}
