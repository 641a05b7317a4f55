import type { Label } from '../schema/label.js';
import { labelText } from '../schema/label-text.js';
import type { Pack } from '../schema/pack.js';
import { itemNamed } from './merge.js';

/** A text in both languages. */
export interface BiText {
  en: string;
  zh: string;
}

type Step = { prop: string } | { item: string };
type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/** `forms[order].definition.fields[amount].label` → prop forms, item order, prop definition, … (null when it does not parse). */
export function parsePackPath(path: string): Step[] | null {
  const steps: Step[] = [];
  let i = 0;
  while (i < path.length) {
    if (path[i] === '[') {
      const end = path.indexOf(']', i);
      if (end < 0) return null;
      steps.push({ item: path.slice(i + 1, end) });
      i = end + 1;
    } else {
      if (path[i] === '.') i++;
      const m = /^[^.[\]]+/.exec(path.slice(i));
      if (!m) return null;
      steps.push({ prop: m[0] });
      i += m[0].length;
    }
  }
  return steps;
}

const both = (en: string, zh: string): BiText => ({ en, zh });
const named = (en: string, zh: string, label: Label | undefined, fallback: string): BiText => {
  const e = labelText(label, 'en') || fallback;
  const z = labelText(label, 'zh') || fallback;
  return both(`${en} “${e}”`, `${zh}「${z}」`);
};

/** what a property is called (the property itself when it has no name here) */
const PROPS: Record<string, BiText> = {
  label: both('label', '标题'),
  name: both('name', '名称'),
  title: both('title', '标题'),
  description: both('description', '说明'),
  help: both('help text', '提示'),
  required: both('required', '必填'),
  default: both('default value', '默认值'),
  options: both('options', '选项'),
  formula: both('formula', '公式'),
  rules: both('rules', '规则'),
  fields: both('fields', '字段'),
  nodes: both('steps', '节点'),
  edges: both('connections', '连线'),
  automations: both('automations', '自动化'),
  widgets: both('widgets', '组件'),
  actions: both('actions', '动作'),
  assignees: both('assignees', '负责人'),
  condition: both('condition', '条件'),
  filter: both('filter', '筛选'),
  scope: both('scope', '范围'),
  en: both('(English)', '（英文）'),
  zh: both('(Chinese)', '（中文）'),
};

/** How the item `id` of the list `list` (found as `found`, when a pack has it) reads. */
function itemText(list: string, id: string, found: unknown, siblings: unknown): BiText {
  const o = isObj(found) ? found : {};
  switch (list) {
    case 'fields': return named('field', '字段', o.label as Label | undefined, id);
    case 'nodes': return named('step', '节点', o.name as Label | undefined, id);
    case 'automations': return named('automation', '自动化', o.name as Label | undefined, id);
    case 'widgets': return named('widget', '组件', o.title as Label | undefined, id);
    case 'options': return named('option', '选项', o.label as Label | undefined, id);
    case 'rules': return both(`rule of “${id}”`, `「${id}」的规则`);
    case 'edges': {
      const [from = id, to = ''] = id.split('>');
      const nodes = Array.isArray(siblings) ? siblings : [];
      const nameOf = (nodeId: string, locale: 'en' | 'zh') => {
        const node = nodes.find((n) => isObj(n) && n.id === nodeId);
        return (isObj(node) && labelText(node.name as Label | undefined, locale)) || nodeId;
      };
      return both(`connection ${nameOf(from, 'en')} → ${nameOf(to, 'en')}`, `连线 ${nameOf(from, 'zh')} → ${nameOf(to, 'zh')}`);
    }
    default: return both(`“${id}”`, `「${id}」`);
  }
}

/**
 * A change or conflict path of a pack merge, in words: `forms[customer].definition.fields[name].label.en`
 * → "form “Customer” › field “Company name” › label (English)". Names come from the first of `packs`
 * that holds each item (an item one side removed is still named by the other); the path itself
 * when it does not parse.
 */
export function describePackPath(path: string, packs: readonly Pack[]): BiText {
  const steps = parsePackPath(path);
  const head = steps?.[0];
  if (!steps || !head || !('prop' in head)) return both(path, path);
  const formName = (key: string): Label | undefined => {
    for (const p of packs) {
      const f = p.forms.find((x) => x.key === key);
      if (f) return f.definition.name;
    }
    return undefined;
  };
  const parts: BiText[] = [];
  // the values at this point of the path, one per pack (undefined where a pack lacks it)
  let here: unknown[] = packs.map((p) => p as unknown);
  let lastProp = '';
  let parentList: unknown[] = packs.map(() => undefined);
  const top = head.prop;
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i]!;
    if ('item' in step) {
      const found = here.map((list) => (Array.isArray(list) ? list.find((x) => itemNamed(x, step.item)) : undefined));
      const first = found.find((x) => x !== undefined);
      if (i === 1 && top === 'forms') parts.push(named('form', '表单', formName(step.item), step.item));
      else if (i === 1 && top === 'dashboards') parts.push(named('dashboard', '仪表盘', isObj(first) && isObj(first.definition) ? (first.definition.name as Label) : undefined, step.item));
      else if (i === 1 && top === 'roles') parts.push(named('role', '角色', isObj(first) ? (first.name as Label) : undefined, step.item));
      else {
        const nodesBeside = lastProp === 'edges' ? parentList.map((p) => (isObj(p) ? p.nodes : undefined)).find(Array.isArray) : undefined;
        parts.push(itemText(lastProp, step.item, first, nodesBeside));
      }
      parentList = found;
      here = found;
      continue;
    }
    const { prop } = step;
    if (i === 1 && top === 'workflows') parts.push(named('workflow of', '流程：表单', formName(prop), prop));
    else if (i === 1 && top === 'printTemplates') parts.push(named('print templates of', '打印模板：表单', formName(prop), prop));
    else if (i === 3 && top === 'roles' && lastProp === 'forms') parts.push(named('permissions on form', '表单权限', formName(prop), prop));
    else if (i === 2 && top === 'roles' && prop === 'forms') {
      // named by the form that follows
    } else if (i > 0 && prop !== 'definition' && !(steps[i + 1] && 'item' in steps[i + 1]!)) {
      // a list is named by its item (fields[x] reads "field “X”"), the wrapper `definition` not at all
      parts.push(PROPS[prop] ?? both(prop, prop));
    }
    parentList = here;
    here = here.map((v) => (isObj(v) ? v[prop] : undefined));
    lastProp = prop;
  }
  if (!parts.length) return both(path, path);
  // "label (English)": a language follows its property without the separator
  const join = (locale: 'en' | 'zh') =>
    parts.reduce((text, part, n) => {
      const word = part[locale];
      if (n === 0) return word;
      return /^[(（]/.test(word) ? `${text}${locale === 'en' ? ' ' : ''}${word}` : `${text} › ${word}`;
    }, '');
  return { en: join('en'), zh: join('zh') };
}
