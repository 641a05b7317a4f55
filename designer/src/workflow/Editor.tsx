// The workflow editor: the drawing's state, save and publish, problems, and the side panels.
import { useEffect, useMemo, useState } from 'react';
import { applyEdgeChanges, applyNodeChanges, useReactFlow, type EdgeChange, type NodeChange } from '@xyflow/react';
import type { DryRunResult, FormDefinition, Label, NodeType, WorkflowDefinition, WorkflowEdge, WorkflowNode } from '@trellis/core';
import { ApiError, post, put } from '@trellis/app/lib/api';
import { href, linkHandler } from '@trellis/app/lib/router';
import { useT } from '@trellis/app/lib/i18n';
import { errorText } from '@trellis/app/ui/common';
import { DryRunPanel } from './DryRunPanel';
import { EdgePanel } from './EdgePanel';
import { FlowCanvas, useCanvasCenter, type Selection } from './FlowCanvas';
import { FieldsContext } from './FlowEdge';
import { FormsCacheContext, type FormsCache } from './forms-cache';
import { edgeId, initialFlow, newNode, saveLayout, toDefinition, toFlowEdge, type FlowEdge, type FlowNode } from './model';
import { NodePanel } from './NodePanel';
import { useDirectory } from './org-context';
import { Palette } from './Palette';
import { liveProblems, problemsOf, serverProblems, type Problem } from './problems';
import { ProblemsPanel } from './ProblemsPanel';
import { useLeaveWarning } from '../common/use-leave-warning';
import { AutomationsPanel } from './automations/AutomationsPanel';
import { withAutomations, withoutUntouchedStarter } from './automations/model';

export interface WorkflowView {
  formId: string;
  version: number;
  publishedVersion: number;
  draft: WorkflowDefinition;
}

type Tab = 'properties' | 'problems' | 'dryrun' | 'automations';
type Notice = { kind: 'ok' | 'error'; text: string } | null;

export function Editor({ view, form, formName, initialForms }: { view: WorkflowView; form: FormDefinition; formName: Label; initialForms: Map<string, FormDefinition | null> }) {
  const t = useT();
  const dir = useDirectory();
  const { fitView } = useReactFlow();
  const center = useCanvasCenter();
  const start = useMemo(() => initialFlow(view.formId, view.draft), [view]);
  const [nodes, setNodes] = useState<FlowNode[]>(start.nodes);
  const [edges, setEdges] = useState<FlowEdge[]>(start.edges);
  const [selection, setSelection] = useState<Selection>(null);
  const [tab, setTab] = useState<Tab>('properties');
  const [version, setVersion] = useState(view.version);
  const [published, setPublished] = useState(view.publishedVersion);
  const [savedJson, setSavedJson] = useState(() => JSON.stringify(withoutUntouchedStarter(view.draft)));
  const [fromServer, setFromServer] = useState<Problem[]>([]);
  const [notice, setNotice] = useState<Notice>(null);
  const [busy, setBusy] = useState(false);
  const [dry, setDry] = useState<DryRunResult | null>(null);
  const [forms, setForms] = useState(initialForms);
  const cache: FormsCache = useMemo(() => ({ forms, remember: (entries) => setForms((m) => new Map([...m, ...entries])) }), [forms]);

  const [automations, setAutomations] = useState(() => view.draft.automations ?? []);
  const def = useMemo(() => withoutUntouchedStarter(toDefinition(withAutomations(view.draft, automations), nodes, edges)), [view.draft, automations, nodes, edges]);
  const defJson = JSON.stringify(def);
  const dirty = defJson !== savedJson;
  const org = dir.org.status === 'ok' ? dir.org.value : null;
  const live = useMemo(() => {
    const roles = new Set(org?.roles.map((r) => r.id));
    const users = new Set(org?.users.filter((u) => u.status === 'active').map((u) => u.id));
    return liveProblems(def, form, { form: (id) => forms.get(id) ?? null, roleExists: (id) => !org || roles.has(id), userExists: (id) => !org || users.has(id) }, new Set(forms.keys()));
    // defJson stands for def: positions alone do not change the problems
  }, [defJson, form, forms, org]);
  const ids = new Set(nodes.map((n) => n.id));
  const current = new Map(def.nodes.map((n) => [n.id, n]));
  const stillTrue = (p: Problem) => !p.node || (current.has(p.node) && (p.sent === undefined || JSON.stringify(current.get(p.node)) === p.sent));
  const problems = [...fromServer.filter(stillTrue), ...live];

  // a changed graph makes the last dry run's path stale
  useEffect(() => setDry(null), [defJson]);
  useEffect(() => {
    if (!nodes.some((n) => n.dragging)) saveLayout(view.formId, nodes);
  }, [nodes, view.formId]);
  useLeaveWarning(dirty);

  const path = dry ? { nodes: new Set(dry.path), edges: new Set(dry.edges.map((e) => edgeId(e.from, e.to))) } : null;

  const addNode = (type: NodeType, at = center(nodes.length)) => {
    const node = newNode(type, ids);
    setNodes((ns) => [...ns, { id: node.id, type: 'wf', position: at, data: { node } }]);
    setSelection({ kind: 'node', id: node.id });
    setTab('properties');
  };
  const updateNode = (next: WorkflowNode) => setNodes((ns) => ns.map((n) => (n.id === next.id ? { ...n, data: { ...n.data, node: next } } : n)));
  const deleteNode = (id: string) => {
    setNodes((ns) => ns.filter((n) => n.id !== id));
    setEdges((es) => es.filter((e) => e.source !== id && e.target !== id));
    setSelection(null);
  };
  const connect = (from: string, to: string) => {
    if (from === to || edges.some((e) => e.source === from && e.target === to)) return;
    setEdges((es) => [...es, toFlowEdge({ from, to })]);
    // a branch of a condition needs its condition next
    if (nodes.find((n) => n.id === from)?.data.node.type === 'condition') {
      setSelection({ kind: 'edge', id: edgeId(from, to) });
      setTab('properties');
    }
  };
  const updateEdge = (next: WorkflowEdge) => setEdges((es) => es.map((e) => (e.id === edgeId(next.from, next.to) ? { ...e, data: { edge: next } } : e)));
  const makeDefault = (edge: WorkflowEdge) =>
    setEdges((es) => es.map((e) => {
      const cur = e.data!.edge;
      if (cur.from !== edge.from) return e;
      if (cur.to === edge.to) return { ...e, data: { edge: { from: cur.from, to: cur.to, default: true } } };
      return cur.default ? { ...e, data: { edge: { from: cur.from, to: cur.to } } } : e;
    }));
  const moveEdge = (edge: WorkflowEdge, delta: -1 | 1) =>
    setEdges((es) => {
      const siblings = es.map((e, i) => [e, i] as const).filter(([e]) => e.source === edge.from);
      const at = siblings.findIndex(([e]) => e.target === edge.to);
      const other = siblings[at + delta];
      if (!other) return es;
      const next = [...es];
      next[siblings[at]![1]] = other[0];
      next[other[1]] = siblings[at]![0];
      return next;
    });

  const onNodesChange = (changes: NodeChange<FlowNode>[]) => {
    for (const c of changes) if (c.type === 'select' && c.selected) setSelection({ kind: 'node', id: c.id });
    if (changes.some((c) => c.type === 'remove')) setSelection(null);
    setNodes((ns) => applyNodeChanges(changes.filter((c) => c.type !== 'select'), ns));
  };
  const onEdgesChange = (changes: EdgeChange<FlowEdge>[]) => {
    for (const c of changes) if (c.type === 'select' && c.selected) setSelection({ kind: 'edge', id: c.id });
    setEdges((es) => applyEdgeChanges(changes.filter((c) => c.type !== 'select'), es));
  };

  const select = (sel: Selection) => {
    setSelection(sel);
    if (sel) setTab('properties');
  };
  const pickProblem = (p: Problem) => {
    if (p.node) {
      select({ kind: 'node', id: p.node });
      void fitView({ nodes: [{ id: p.node }], duration: 300, maxZoom: 1 });
    } else if (p.edge) select({ kind: 'edge', id: p.edge });
  };

  const refused = (e: unknown, sent: WorkflowDefinition, what: { en: string; zh: string }) => {
    const list = (e instanceof ApiError && (e.status === 422 || e.status === 400) ? serverProblems(problemsOf(e.details), sent) : []).map((p) => {
      const n = p.node ? sent.nodes.find((x) => x.id === p.node) : undefined;
      return n ? { ...p, sent: JSON.stringify(n) } : p;
    });
    setFromServer(list);
    if (list.length) setTab('problems');
    const conflict = e instanceof ApiError && e.status === 409;
    setNotice({
      kind: 'error',
      text: `${t(what)} ${
        conflict
          ? t({ en: 'Someone else changed this workflow meanwhile: reload the page to see their version.', zh: '其他人同时修改了此流程：请刷新页面查看最新版本。' })
          : list.length
            ? t({ en: 'The server found {n} problem(s): see Problems.', zh: '服务器发现 {n} 个问题：见“问题”面板。' }, { n: list.length })
            : errorText(e, t)
      }`,
    });
  };
  const save = async (): Promise<boolean> => {
    const sent = def;
    try {
      const saved = await put<WorkflowView>(`/api/forms/${encodeURIComponent(view.formId)}/workflow`, sent, { headers: version ? { 'if-match': String(version) } : {} });
      setVersion(saved.version);
      setSavedJson(JSON.stringify(sent));
      setFromServer([]);
      return true;
    } catch (e) {
      refused(e, sent, { en: 'The draft was not saved.', zh: '草稿未保存。' });
      return false;
    }
  };
  const onSave = async () => {
    setBusy(true);
    setNotice(null);
    if (await save()) setNotice({ kind: 'ok', text: t({ en: 'Draft saved.', zh: '草稿已保存。' }) });
    setBusy(false);
  };
  const onPublish = async () => {
    setBusy(true);
    setNotice(null);
    const sent = def;
    if ((!dirty && version > 0) || (await save())) {
      try {
        const r = await post<{ version: number }>(`/api/forms/${encodeURIComponent(view.formId)}/workflow/publish`);
        setPublished(r.version);
        setVersion((v) => v + 1);
        setFromServer([]);
        setNotice({ kind: 'ok', text: t({ en: 'Published version {v}. New records follow it.', zh: '已发布版本 {v}，新提交的记录将按此流程运行。' }, { v: r.version }) });
      } catch (e) {
        refused(e, sent, { en: 'Not published.', zh: '未发布。' });
      }
    }
    setBusy(false);
  };

  const selNode = selection?.kind === 'node' ? nodes.find((n) => n.id === selection.id)?.data.node : undefined;
  const selEdge = selection?.kind === 'edge' ? edges.find((e) => e.id === selection.id)?.data?.edge : undefined;
  const siblings = selEdge ? def.edges.filter((e) => e.from === selEdge.from) : [];

  return (
    <FormsCacheContext.Provider value={cache}>
      <FieldsContext.Provider value={form.fields}>
        <div className="wf-screen">
          <header className="row wf-header">
            <h1 style={{ margin: 0 }}>{t({ en: 'Workflow: {f}', zh: '流程：{f}' }, { f: t(formName) })}</h1>
            <a href={href(`/forms/${view.formId}`)} onClick={linkHandler(`/forms/${view.formId}`)}>{t({ en: 'Back to the form', zh: '返回表单' })}</a>
            <span className={`tag ${dirty ? 'tag-warning' : ''}`}>{dirty ? t({ en: 'Unsaved changes', zh: '有未保存的修改' }) : version === 0 ? t({ en: 'Not saved yet', zh: '尚未保存' }) : t({ en: 'Draft saved', zh: '草稿已保存' })}</span>
            <span className="tag">{published ? t({ en: 'Published version {v}', zh: '已发布版本 {v}' }, { v: published }) : t({ en: 'Not published', zh: '未发布' })}</span>
            <span className="spacer" />
            <button type="button" className="btn" aria-pressed={tab === 'dryrun'} onClick={() => setTab('dryrun')}>{t({ en: 'Dry run', zh: '试运行' })}</button>
            <button type="button" className="btn" disabled={busy} onClick={() => void onSave()}>{t({ en: 'Save', zh: '保存' })}</button>
            <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void onPublish()}>{t({ en: 'Publish', zh: '发布' })}</button>
          </header>
          {notice && <div className={`alert ${notice.kind === 'ok' ? 'alert-success' : ''}`} role={notice.kind === 'ok' ? 'status' : 'alert'}>{notice.text}</div>}
          <div className="wf-body">
            <Palette onAdd={(type) => addNode(type)} />
            <FlowCanvas
              nodes={nodes} edges={edges} selection={selection} problems={problems} path={path}
              onNodesChange={onNodesChange} onEdgesChange={onEdgesChange} onConnect={connect}
              onDropNode={(type, at) => addNode(type, at)} onSelect={select}
            />
            <aside className="wf-side">
              <div role="tablist" className="row wf-tabs" aria-label={t({ en: 'Panels', zh: '面板' })}>
                {([
                  ['properties', t({ en: 'Properties', zh: '属性' })],
                  ['problems', `${t({ en: 'Problems', zh: '问题' })} (${problems.length})`],
                  ['dryrun', t({ en: 'Dry run', zh: '试运行' })],
                  ['automations', `${t({ en: 'Automations', zh: '智能助手' })} (${automations.length})`],
                ] as const).map(([key, text]) => (
                  <button key={key} type="button" role="tab" id={`wf-tab-${key}`} aria-controls="wf-tabpanel" aria-selected={tab === key} className="btn btn-sm" onClick={() => setTab(key)}>{text}</button>
                ))}
              </div>
              <div role="tabpanel" id="wf-tabpanel" aria-labelledby={`wf-tab-${tab}`} className="wf-tabpanel">
                {tab === 'automations' && <AutomationsPanel automations={automations} form={form} problems={problems} onChange={setAutomations} />}
                {tab === 'problems' && <ProblemsPanel problems={problems} onPick={pickProblem} />}
                {tab === 'dryrun' && <DryRunPanel def={def} form={form} result={dry} onResult={(r) => { setDry(r); if (r) void fitView({ padding: 0.2, maxZoom: 1, duration: 300 }); }} />}
                {tab === 'properties' && selNode && (
                  <NodePanel
                    key={selNode.id}
                    node={selNode}
                    outgoing={def.edges.filter((e) => e.from === selNode.id)}
                    targets={def.nodes}
                    onChange={updateNode}
                    onDelete={() => deleteNode(selNode.id)}
                    onConnect={(to) => connect(selNode.id, to)}
                    onSelectEdge={(from, to) => select({ kind: 'edge', id: edgeId(from, to) })}
                  />
                )}
                {tab === 'properties' && selEdge && (
                  <EdgePanel
                    key={edgeId(selEdge.from, selEdge.to)}
                    edge={selEdge}
                    from={def.nodes.find((n) => n.id === selEdge.from)}
                    index={siblings.findIndex((e) => e.to === selEdge.to)}
                    count={siblings.length}
                    onChange={updateEdge}
                    onMakeDefault={() => makeDefault(selEdge)}
                    onMove={(d) => moveEdge(selEdge, d)}
                    onDelete={() => {
                      setEdges((es) => es.filter((e) => e.id !== edgeId(selEdge.from, selEdge.to)));
                      setSelection(null);
                    }}
                  />
                )}
                {tab === 'properties' && !selNode && !selEdge && (
                  <p className="muted">{t({ en: 'Select a node or an edge to edit it. Drag from a node’s bottom handle to another node’s top handle to connect them.', zh: '选中节点或连线进行编辑。从节点底部的连接点拖到另一节点顶部即可连线。' })}</p>
                )}
              </div>
            </aside>
          </div>
        </div>
      </FieldsContext.Provider>
    </FormsCacheContext.Provider>
  );
}
