// The workflow designer's model: the node-type catalogue (palette text and a new node's
// settings), conversion between a WorkflowDefinition and @xyflow/react nodes and edges, the
// top-to-bottom auto-layout, and where a problem's path points (a node, an edge, or the graph).
//
// The workflow schema has no place for positions (nodes and the definition refuse extra
// properties), so positions live in the browser only: auto-laid out on load, then kept per form
// in localStorage while the designer moves them.
import type { Edge, Node, XYPosition } from '@xyflow/react';
import type { NodeType, WorkflowDefinition, WorkflowEdge, WorkflowNode } from '@trellis/core';
import type { Msg } from '@trellis/app/lib/i18n';

export interface NodeData extends Record<string, unknown> {
  node: WorkflowNode;
  /** decorations, set at render */
  problems?: string[];
  inPath?: boolean;
}
export interface EdgeData extends Record<string, unknown> {
  edge: WorkflowEdge;
}
export type FlowNode = Node<NodeData, 'wf'>;
export type FlowEdge = Edge<EdgeData>;

export interface NodeKind {
  type: NodeType;
  label: Msg;
  help: Msg;
}

/** Every node type of the schema, in palette order. */
export const NODE_KINDS: NodeKind[] = [
  { type: 'start', label: { en: 'Start', zh: '开始' }, help: { en: 'Where a submitted record enters', zh: '提交的记录从这里进入' } },
  { type: 'approval', label: { en: 'Approval', zh: '审批' }, help: { en: 'Assignees approve, reject or return', zh: '审批人同意、拒绝或退回' } },
  { type: 'cc', label: { en: 'CC', zh: '抄送' }, help: { en: 'Notify people, no decision', zh: '通知相关人员，无需审批' } },
  { type: 'condition', label: { en: 'Condition', zh: '条件分支' }, help: { en: 'Branches by the record’s values', zh: '按记录的值走不同分支' } },
  { type: 'parallel', label: { en: 'Parallel split', zh: '并行分支' }, help: { en: 'All branches run at once', zh: '所有分支同时进行' } },
  { type: 'join', label: { en: 'Join', zh: '汇合' }, help: { en: 'Waits for every parallel branch', zh: '等待所有并行分支' } },
  { type: 'action', label: { en: 'Action', zh: '自动操作' }, help: { en: 'Create or update records, call a webhook', zh: '新增或更新数据、调用 Webhook' } },
  { type: 'delay', label: { en: 'Delay', zh: '延时' }, help: { en: 'Waits a time or until a date', zh: '等待一段时间或到某个日期' } },
  { type: 'end', label: { en: 'End', zh: '结束' }, help: { en: 'Sets the record’s final status', zh: '设置记录的最终状态' } },
];

export const kindOf = (type: NodeType): NodeKind => NODE_KINDS.find((k) => k.type === type)!;

/** A new node of `type` with the settings a designer then completes (approval and CC need assignees). */
export function newNode(type: NodeType, taken: ReadonlySet<string>): WorkflowNode {
  let n = 1;
  while (taken.has(`${type}${n}`)) n++;
  const id = `${type}${n}`;
  switch (type) {
    case 'approval': return { id, type, assignees: [], mode: 'any' };
    case 'cc': return { id, type, assignees: [] };
    case 'action': return { id, type, action: { type: 'createRecord', form: '', values: {} } };
    case 'delay': return { id, type, duration: { amount: 1, unit: 'days' } };
    case 'end': return { id, type };
    default: return { id, type } as WorkflowNode;
  }
}

export const edgeId = (from: string, to: string) => `${from}->${to}`;

export function toFlowEdge(edge: WorkflowEdge): FlowEdge {
  return { id: edgeId(edge.from, edge.to), source: edge.from, target: edge.to, type: 'wf', data: { edge } };
}

/** The definition the canvas shows, keeping what the canvas does not edit (name, automations). */
export function toDefinition(base: WorkflowDefinition, nodes: readonly FlowNode[], edges: readonly FlowEdge[]): WorkflowDefinition {
  const def: WorkflowDefinition = { nodes: nodes.map((n) => n.data.node), edges: edges.map((e) => e.data!.edge) };
  if (base.name !== undefined) def.name = base.name;
  if (base.automations !== undefined) def.automations = base.automations;
  return def;
}

const GAP_X = 240;
const GAP_Y = 130;

/** Layers by the longest path from the start (the graph is a DAG when valid; cycles are cut), top to bottom. */
export function autoLayout(def: WorkflowDefinition): Map<string, XYPosition> {
  if (def.edges.length === 0) {
    // nothing drawn yet: a column, with the ends well below so there is room to draw in between
    const pos = new Map<string, XYPosition>();
    const ends = def.nodes.filter((n) => n.type === 'end');
    const others = def.nodes.filter((n) => n.type !== 'end');
    others.forEach((n, i) => pos.set(n.id, { x: 0, y: i * GAP_Y }));
    ends.forEach((n, i) => pos.set(n.id, { x: i * GAP_X, y: Math.max(others.length, 4) * GAP_Y }));
    return pos;
  }
  const out = new Map<string, string[]>();
  const indeg = new Map<string, number>();
  for (const n of def.nodes) {
    out.set(n.id, []);
    indeg.set(n.id, 0);
  }
  for (const e of def.edges) {
    if (!out.has(e.from) || !indeg.has(e.to)) continue;
    out.get(e.from)!.push(e.to);
    indeg.set(e.to, indeg.get(e.to)! + 1);
  }
  // Kahn's order gives longest-path layers; nodes left on a cycle go one layer below the rest
  const layer = new Map<string, number>();
  const queue = def.nodes.filter((n) => indeg.get(n.id) === 0).map((n) => n.id);
  const rest = new Map(indeg);
  for (const id of queue) layer.set(id, 0);
  while (queue.length) {
    const id = queue.shift()!;
    for (const to of out.get(id)!) {
      layer.set(to, Math.max(layer.get(to) ?? 0, layer.get(id)! + 1));
      rest.set(to, rest.get(to)! - 1);
      if (rest.get(to) === 0) queue.push(to);
    }
  }
  const deepest = Math.max(0, ...layer.values());
  for (const n of def.nodes) if (!layer.has(n.id)) layer.set(n.id, deepest + 1);
  // ends at the bottom, so branches that end early line up with the main one
  const bottom = Math.max(0, ...layer.values());
  for (const n of def.nodes) if (n.type === 'end' && (out.get(n.id)?.length ?? 0) === 0 && (indeg.get(n.id) ?? 0) > 0) layer.set(n.id, bottom);

  const rows = new Map<number, string[]>();
  for (const n of def.nodes) rows.set(layer.get(n.id)!, [...(rows.get(layer.get(n.id)!) ?? []), n.id]);
  const pos = new Map<string, XYPosition>();
  for (const [y, ids] of [...rows.entries()].sort((a, b) => a[0] - b[0])) {
    // keep children under their parents: sort a row by the mean x of its parents
    const parentX = (id: string) => {
      const xs = def.edges.filter((e) => e.to === id && pos.has(e.from)).map((e) => pos.get(e.from)!.x);
      return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0;
    };
    const sorted = [...ids].sort((a, b) => parentX(a) - parentX(b));
    sorted.forEach((id, i) => pos.set(id, { x: (i - (sorted.length - 1) / 2) * GAP_X, y: y * GAP_Y }));
  }
  return pos;
}

const layoutKey = (formId: string) => `trellis.workflow-layout.${formId}`;

export function loadLayout(formId: string): Record<string, XYPosition> {
  try {
    const raw = localStorage.getItem(layoutKey(formId));
    const parsed = raw ? (JSON.parse(raw) as unknown) : null;
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, XYPosition>) : {};
  } catch {
    return {};
  }
}

export function saveLayout(formId: string, nodes: readonly FlowNode[]): void {
  try {
    localStorage.setItem(layoutKey(formId), JSON.stringify(Object.fromEntries(nodes.map((n) => [n.id, n.position]))));
  } catch {
    /* storage blocked: positions are a convenience */
  }
}

/** Kept positions where every node has one, else the auto-layout (a definition changed elsewhere starts afresh). */
export function initialFlow(formId: string, def: WorkflowDefinition): { nodes: FlowNode[]; edges: FlowEdge[] } {
  const kept = loadLayout(formId);
  const valid = (p: unknown): p is XYPosition => !!p && typeof (p as XYPosition).x === 'number' && typeof (p as XYPosition).y === 'number';
  const useKept = def.nodes.length > 0 && def.nodes.every((n) => valid(kept[n.id]));
  const auto = useKept ? null : autoLayout(def);
  return {
    nodes: def.nodes.map((node) => ({ id: node.id, type: 'wf', position: useKept ? kept[node.id]! : auto!.get(node.id)!, data: { node } })),
    edges: def.edges.map(toFlowEdge),
  };
}

/** A fresh workflow: a start and an end, for the designer to draw between. */
export function starterDefinition(): WorkflowDefinition {
  return { nodes: [{ id: 'start', type: 'start' }, { id: 'end', type: 'end' }], edges: [] };
}

/** Where a problem's path points: `nodes.<id>`, `nodes[3].assignees`, `edges[2].to`, or the whole graph. */
export function problemTarget(path: string, def: WorkflowDefinition): { node?: string; edge?: string } {
  const byId = /^nodes\.([A-Za-z][A-Za-z0-9_-]*)/.exec(path);
  if (byId) return { node: byId[1]! };
  const byIndex = /^nodes\[(\d+)\]/.exec(path);
  if (byIndex) {
    const n = def.nodes[Number(byIndex[1])];
    return n ? { node: n.id } : {};
  }
  const edge = /^edges\[(\d+)\]/.exec(path);
  if (edge) {
    const e = def.edges[Number(edge[1])];
    return e ? { edge: edgeId(e.from, e.to) } : {};
  }
  return {};
}
