// The @xyflow/react canvas: nodes and edges of the drawing with their decorations (problems,
// dry-run path, selection), drops from the palette, connecting handles, Delete to remove.
import { useCallback, useRef, type DragEvent } from 'react';
import {
  Background, Controls, MarkerType, ReactFlow, useReactFlow,
  type Connection, type EdgeChange, type NodeChange, type XYPosition,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import type { NodeType } from '@trellis/core';
import { useT } from '@trellis/app/lib/i18n';
import { FlowEdgeView } from './FlowEdge';
import { FlowNodeView } from './FlowNode';
import { kindOf, type FlowEdge, type FlowNode } from './model';
import { DRAG_TYPE } from './Palette';
import type { Problem } from './problems';

const nodeTypes = { wf: FlowNodeView };
const edgeTypes = { wf: FlowEdgeView };
const NODE_W = 190;
const NODE_H = 64;

export type Selection = { kind: 'node' | 'edge'; id: string } | null;

export interface FlowCanvasProps {
  nodes: FlowNode[];
  edges: FlowEdge[];
  selection: Selection;
  problems: Problem[];
  path: { nodes: ReadonlySet<string>; edges: ReadonlySet<string> } | null;
  onNodesChange(changes: NodeChange<FlowNode>[]): void;
  onEdgesChange(changes: EdgeChange<FlowEdge>[]): void;
  onConnect(from: string, to: string): void;
  onDropNode(type: NodeType, at: XYPosition): void;
  onSelect(sel: Selection): void;
}

export function FlowCanvas(props: FlowCanvasProps) {
  const t = useT();
  const { screenToFlowPosition } = useReactFlow();
  const wrapper = useRef<HTMLDivElement>(null);
  const byNode = new Map<string, string[]>();
  const byEdge = new Map<string, string[]>();
  for (const p of props.problems) {
    if (p.node) byNode.set(p.node, [...new Set([...(byNode.get(p.node) ?? []), p.message])]);
    if (p.edge) byEdge.set(p.edge, [...(byEdge.get(p.edge) ?? []), p.message]);
  }

  const nodes: FlowNode[] = props.nodes.map((n) => {
    const name = n.data.node.name;
    const kind = t(kindOf(n.data.node.type).label);
    const inPath = props.path?.nodes.has(n.id) ?? false;
    return {
      ...n,
      selected: props.selection?.kind === 'node' && props.selection.id === n.id,
      ariaLabel: `${kind}: ${name ? t(name) : n.id}`,
      data: { ...n.data, problems: byNode.get(n.id) ?? [], inPath },
    };
  });
  const edges: FlowEdge[] = props.edges.map((e) => {
    const inPath = props.path?.edges.has(e.id) ?? false;
    const bad = byEdge.has(e.id);
    return {
      ...e,
      selected: props.selection?.kind === 'edge' && props.selection.id === e.id,
      className: `${inPath ? 'wf-edge-path' : ''}${bad ? ' wf-edge-bad' : ''}${props.path && !inPath ? ' wf-edge-off' : ''}`,
      markerEnd: { type: MarkerType.ArrowClosed },
      animated: inPath,
      ariaLabel: t({ en: 'Edge from {a} to {b}', zh: '从 {a} 到 {b} 的连线' }, { a: e.source, b: e.target }),
      domAttributes: inPath ? { 'data-in-path': 'true' } : {},
    } as FlowEdge;
  });

  const onDrop = useCallback(
    (e: DragEvent) => {
      const type = e.dataTransfer.getData(DRAG_TYPE) as NodeType;
      if (!type) return;
      e.preventDefault();
      const at = screenToFlowPosition({ x: e.clientX, y: e.clientY });
      props.onDropNode(type, { x: at.x - NODE_W / 2, y: at.y - NODE_H / 2 });
    },
    [screenToFlowPosition, props],
  );

  return (
    <div
      className="wf-canvas"
      ref={wrapper}
      onDragOver={(e) => {
        if (e.dataTransfer.types.includes(DRAG_TYPE)) {
          e.preventDefault();
          e.dataTransfer.dropEffect = 'move';
        }
      }}
      onDrop={onDrop}
    >
      <ReactFlow<FlowNode, FlowEdge>
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        onNodesChange={props.onNodesChange}
        onEdgesChange={props.onEdgesChange}
        onConnect={(c: Connection) => c.source && c.target && props.onConnect(c.source, c.target)}
        isValidConnection={(c) => c.source !== c.target && !props.edges.some((e) => e.source === c.source && e.target === c.target)}
        onNodeClick={(_, n) => props.onSelect({ kind: 'node', id: n.id })}
        onEdgeClick={(_, e) => props.onSelect({ kind: 'edge', id: e.id })}
        onPaneClick={() => props.onSelect(null)}
        deleteKeyCode={['Delete', 'Backspace']}
        fitView
        fitViewOptions={{ padding: 0.2, maxZoom: 1 }}
        minZoom={0.2}
        maxZoom={1.5}
        proOptions={{ hideAttribution: true }}
        ariaLabelConfig={{ 'node.a11yDescription.default': t({ en: 'Press Enter to select this node, Delete to remove it, arrow keys to move it.', zh: '按 Enter 选中节点，Delete 删除，方向键移动。' }) }}
      >
        <Background gap={16} />
        <Controls />
      </ReactFlow>
    </div>
  );
}

/** Where a node added with a palette button goes: the middle of what the canvas shows, a little lower for each. */
export function useCanvasCenter(): (offset: number) => XYPosition {
  const { screenToFlowPosition } = useReactFlow();
  return (offset) => {
    const el = document.querySelector('.wf-canvas');
    const r = el?.getBoundingClientRect() ?? { left: 0, top: 0, width: 800, height: 600 };
    const p = screenToFlowPosition({ x: r.left + r.width / 2, y: r.top + r.height / 2 });
    return { x: p.x - NODE_W / 2 + (offset % 5) * 24, y: p.y - NODE_H / 2 + (offset % 5) * 24 };
  };
}
