// Problems shown on the canvas and in the side list: the browser's own checks while the designer
// draws (core's checkWorkflowShape and checkWorkflow, the same code the server runs), and the
// server's 422 answer to a save or a publish.
import {
  actionForm, checkWorkflow, checkWorkflowShape, type DefinitionProblem, type FormDefinition, type WorkflowDefinition, type WorkflowNode, type WorkflowRefs,
} from '@trellis/core';
import { tr, type Msg } from '@trellis/app/lib/i18n';
import { automationTarget } from './automations/model';
import { problemTarget } from './model';

export interface Problem {
  key: string;
  source: 'check' | 'server';
  message: string;
  node?: string;
  edge?: string;
  /** the automation the problem is about (paths `automations.<id>`) */
  automation?: string;
  /** server problems: the node as it was sent; once the designer changes it, the problem is theirs to re-check */
  sent?: string;
}

/** What a designer has not filled in yet, said plainly (the schema's own messages name union branches). */
function incomplete(n: WorkflowNode): Msg[] {
  const out: Msg[] = [];
  if ((n.type === 'approval' || n.type === 'cc') && n.assignees.length === 0) out.push({ en: 'Choose at least one assignee', zh: '请至少选择一个处理人' });
  if (n.type === 'approval' && n.timeout?.action === 'escalate' && !n.timeout.escalateTo?.length) out.push({ en: 'Choose who the task escalates to', zh: '请选择超时后转交给谁' });
  if (n.type === 'action') {
    const a = n.action;
    if (a.type === 'webhook' && !/^https?:\/\/./.test(a.url)) out.push({ en: 'Enter the webhook URL (http:// or https://)', zh: '请填写 Webhook 地址（http:// 或 https://）' });
    if ((a.type === 'createRecord' || a.type === 'updateRecords') && !a.form) out.push({ en: 'Choose the target form', zh: '请选择目标表单' });
    if (a.type === 'notify' && a.to.length === 0) out.push({ en: 'Choose who is notified', zh: '请选择通知对象' });
    if (a.type === 'notify' && !(typeof a.message === 'string' ? a.message : a.message.en || a.message.zh)) out.push({ en: 'Write the message', zh: '请填写通知内容' });
    if (a.type === 'assignInTurn' && !a.field) out.push({ en: 'Choose the member field the record is given in', zh: '请选择分配到的成员字段' });
    if (a.type === 'assignInTurn' && a.among.length === 0) out.push({ en: 'Choose who takes turns', zh: '请选择轮流的人员' });
    if (a.type === 'lookupCompany' && (a.query === null || a.query === undefined)) out.push({ en: 'Choose the field that names the company', zh: '请选择企业名称字段' });
    if (a.type === 'lookupCompany' && Object.keys(a.set).length === 0) out.push({ en: 'Choose at least one field to fill', zh: '请至少选择一个要写入的字段' });
    if (a.type === 'webhook' && a.secret !== undefined && a.secret.length < 8) out.push({ en: 'The signing secret needs at least 8 characters', zh: '签名密钥至少 8 个字符' });
  }
  if (n.type === 'delay' && n.duration === undefined && n.until === undefined) out.push({ en: 'Set how long to wait or the date field to wait for', zh: '请设置等待时长或日期字段' });
  return out;
}

/** Where a problem's path points: a node, an edge, an automation, or the whole graph. */
const targetOf = (path: string, def: WorkflowDefinition) => ({ ...problemTarget(path, def), ...automationTarget(path, def) });

/** What an automation has not filled in yet (its actions as action nodes are checked). */
function incompleteAutomation(a: NonNullable<WorkflowDefinition['automations']>[number]): Msg[] {
  const out: Msg[] = [];
  if (a.actions.length === 0) out.push({ en: 'Add at least one action', zh: '请至少添加一个操作' });
  if ('fields' in a.on && a.on.fields.length === 0) out.push({ en: 'Choose the fields whose change starts it', zh: '请选择触发的字段' });
  a.actions.forEach((action, i) => {
    for (const m of incomplete({ id: a.id, type: 'action', action })) out.push({ en: `Action ${i + 1}: ${m.en}`, zh: `操作 ${i + 1}：${m.zh}` });
  });
  return out;
}

function stripNode(message: string): string {
  return message.replace(/^Node "[^"]+": /, '');
}

/** Shape problems of one node or edge folded into one line: ajv lists every union branch's complaint. */
function foldShape(problems: DefinitionProblem[], def: WorkflowDefinition, source: Problem['source'], skip: ReadonlySet<string>): Problem[] {
  const groups = new Map<string, { node?: string; edge?: string; automation?: string; paths: string[] }>();
  for (const p of problems) {
    const target = targetOf(p.path, def);
    if (target.node && skip.has(target.node)) continue;
    if (target.automation && skip.has(`automation:${target.automation}`)) continue;
    const key = target.node ? `n:${target.node}` : target.edge ? `e:${target.edge}` : target.automation ? `a:${target.automation}` : `g:${p.path}`;
    const g = groups.get(key) ?? { ...target, paths: [] };
    g.paths.push(`${p.path}: ${p.message}`);
    groups.set(key, g);
  }
  return [...groups.entries()].map(([key, g]) => ({
    key: `${source}:shape:${key}`, source, node: g.node, edge: g.edge, automation: g.automation,
    message: (g.node || g.edge || g.automation ? tr({ en: 'Settings incomplete or wrong: ', zh: '设置不完整或有误：' }) : '') + g.paths.slice(0, 3).join('; '),
  }));
}

/**
 * Live problems of the drawing. `refs.form` answers only target forms already loaded; problems
 * about forms not loaded yet are left to the server.
 */
export function liveProblems(def: WorkflowDefinition, form: FormDefinition, refs: WorkflowRefs, loadedForms: ReadonlySet<string>): Problem[] {
  const out: Problem[] = [];
  const explained = new Set<string>();
  for (const n of def.nodes) {
    for (const m of incomplete(n)) {
      explained.add(n.id);
      out.push({ key: `check:${n.id}:${m.en}`, source: 'check', node: n.id, message: tr(m) });
    }
  }
  for (const a of def.automations ?? []) {
    for (const m of incompleteAutomation(a)) {
      explained.add(`automation:${a.id}`);
      out.push({ key: `check:automation:${a.id}:${m.en}`, source: 'check', automation: a.id, message: tr(m) });
    }
  }
  const shape = checkWorkflowShape(def);
  if (shape.length) return [...out, ...foldShape(shape, def, 'check', explained)];
  const pending = (n: WorkflowNode) => n.type === 'action' && actionForm(n.action) !== null && !loadedForms.has(actionForm(n.action)!);
  const waiting = new Set(def.nodes.filter(pending).map((n) => n.id));
  for (const a of def.automations ?? []) if (a.actions.some((x) => actionForm(x) !== null && !loadedForms.has(actionForm(x)!))) waiting.add(`automation:${a.id}`);
  checkWorkflow(def, form, refs).forEach((p, i) => {
    const target = targetOf(p.path, def);
    const on = target.node ?? (target.automation ? `automation:${target.automation}` : undefined);
    if (on && waiting.has(on) && (p.code === 'actionForm' || p.code === 'actionField')) return;
    out.push({ key: `check:${i}:${p.message}`, source: 'check', ...target, message: stripNode(p.message) });
  });
  return out;
}

/** The server's 422 problems, pointed at the nodes of the definition that was sent. */
export function serverProblems(problems: DefinitionProblem[], sent: WorkflowDefinition): Problem[] {
  const shape = problems.filter((p) => p.code === 'schema');
  const rest = problems.filter((p) => p.code !== 'schema');
  // a node the schema refuses is usually one not filled in: say what is missing where we can tell
  const explained: Problem[] = [];
  const skip = new Set<string>();
  for (const p of shape) {
    const id = problemTarget(p.path, sent).node;
    const node = id ? sent.nodes.find((n) => n.id === id) : undefined;
    if (!node || skip.has(node.id)) continue;
    const missing = incomplete(node);
    if (!missing.length) continue;
    skip.add(node.id);
    for (const m of missing) explained.push({ key: `server:${node.id}:${m.en}`, source: 'server', node: node.id, message: tr(m) });
  }
  return [
    ...explained,
    ...foldShape(shape, sent, 'server', skip),
    ...rest.map((p, i) => ({ key: `server:${i}:${p.message}`, source: 'server' as const, ...targetOf(p.path, sent), message: stripNode(p.message) })),
  ];
}

/**
 * The problems of an error answer: a 422 lists `details.problems` (paths like `nodes.<id>`); a body
 * the route's schema refused is a 400 listing `{path: "body/nodes/3/assignees", message}`.
 */
export function problemsOf(details: unknown): DefinitionProblem[] {
  const isProblem = (p: unknown): p is { path?: unknown; message: string; code?: unknown } => !!p && typeof p === 'object' && typeof (p as { message?: unknown }).message === 'string';
  if (Array.isArray(details)) {
    return details.filter(isProblem).map((p) => ({
      path: String(p.path ?? '').replace(/^body\/?/, '').split('/').filter(Boolean).map((seg, i) => (/^\d+$/.test(seg) ? `[${seg}]` : i === 0 ? seg : `.${seg}`)).join(''),
      code: 'schema',
      message: p.message,
    }));
  }
  const list = (details as { problems?: unknown } | undefined)?.problems;
  return Array.isArray(list) ? (list.filter(isProblem) as DefinitionProblem[]) : [];
}
