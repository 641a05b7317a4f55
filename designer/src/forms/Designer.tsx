// The form designer: palette, canvas, property panel and live preview around one working copy of
// the definition; Save (PUT the draft), Publish (summary of changes, then POST publish); where-used
// checks before a field is deleted or its key changes.
import { useMemo, useState } from 'react';
import { DndContext, DragOverlay, KeyboardSensor, PointerSensor, useSensor, useSensors, type DragEndEvent, type DragOverEvent, type DragStartEvent } from '@dnd-kit/core';
import { sortableKeyboardCoordinates } from '@dnd-kit/sortable';
import {
  checkFormDefinition, diffForms, fieldType, whereUsed,
  type DashboardLike, type DefinitionProblem, type FieldType, type FormChange, type FormDefinition, type Usage, type WorkflowDefinition,
} from '@trellis/core';
import { ApiError, get, post, put } from '@trellis/app/lib/api';
import { useT } from '@trellis/app/lib/i18n';
import { href, linkHandler } from '@trellis/app/lib/router';
import { Canvas } from './Canvas';
import { applyDrop, collision } from './dnd';
import { FormSettings } from './FormSettings';
import { fromDefinition, locate, newField, problemsByField, renameInState, toDefinition, updateField, type AppForm, type DesignState, type DSub } from './model';
import { Palette } from './Palette';
import { PropertyPanel } from './PropertyPanel';
import { Preview } from './Preview';
import { PublishDialog } from './PublishDialog';
import { WhereUsedDialog } from './WhereUsedDialog';
import { useLeaveWarning } from '../common/use-leave-warning';

export interface LoadedForm {
  id: string;
  appId: string;
  version: number;
  publishedVersion: number;
  draft: FormDefinition | null;
  published: { version: number; definition: FormDefinition } | null;
}

type Pending =
  | { kind: 'delete'; uid: string; usages: Usage[] }
  | { kind: 'rename'; uid: string; to: string; usages: Usage[] }
  | { kind: 'publish'; changes: FormChange[] };

type Status = { tone: 'info' | 'success' | 'error'; text: string } | null;

function problemsOf(err: unknown): DefinitionProblem[] {
  if (!(err instanceof ApiError) || err.code !== 'INVALID_DEFINITION') return [];
  const d = err.details as { problems?: DefinitionProblem[] } | undefined;
  return Array.isArray(d?.problems) ? d.problems : [];
}

export function Designer({ form, forms, workflow, dashboards = [] }: { form: LoadedForm; forms: AppForm[]; workflow: WorkflowDefinition | null; dashboards?: DashboardLike[] }) {
  const t = useT();
  const initial = form.draft ?? form.published?.definition ?? { name: form.id, fields: [] };
  const [state, setState] = useState<DesignState>(() => fromDefinition(initial));
  const [saved, setSaved] = useState(() => JSON.stringify(toDefinition(fromDefinition(initial))));
  const [version, setVersion] = useState(form.version);
  const [published, setPublished] = useState(form.published);
  const [selected, setSelected] = useState<string | null>(null);
  // the server's problems, pinned to fields when they arrive (a later reorder does not move them)
  const [serverProblems, setServerProblems] = useState<Map<string, DefinitionProblem[]>>(() => new Map());
  const [pending, setPending] = useState<Pending | null>(null);
  const [busy, setBusy] = useState(false);
  const [publishError, setPublishError] = useState<unknown>(null);
  const [status, setStatus] = useState<Status>(null);
  const [dragType, setDragType] = useState<FieldType | null>(null);
  const [overId, setOverId] = useState<string | null>(null);

  const definition = useMemo(() => toDefinition(state), [state]);
  const json = JSON.stringify(definition);
  const dirty = json !== saved;
  const localProblems = useMemo(() => checkFormDefinition(definition), [definition]);
  const allProblems = useMemo(() => [...localProblems, ...[...serverProblems.values()].flat()], [localProblems, serverProblems]);
  const byField = useMemo(() => {
    const out = problemsByField(state, localProblems);
    for (const [uid, list] of serverProblems) out.set(uid, [...(out.get(uid) ?? []), ...list]);
    return out;
  }, [state, localProblems, serverProblems]);
  const [lastGood, setLastGood] = useState<FormDefinition | null>(null);
  if (localProblems.length === 0 && definition.fields.length > 0 && JSON.stringify(lastGood) !== json) setLastGood(definition);
  const appForms = useMemo(() => forms.map((f) => (f.id === form.id ? { ...f, definition, name: definition.name } : f)), [forms, form.id, definition]);

  // leaving with unsaved changes asks first
  useLeaveWarning(dirty);

  const edit = (next: DesignState) => {
    setState(next);
    // a field the admin changed drops the server's complaints about it; the rest stay until the next save
    setServerProblems((cur) => {
      if (cur.size === 0) return cur;
      const kept = new Map<string, DefinitionProblem[]>();
      for (const [uid, list] of cur) {
        const same = uid === '' ? next.rules === state.rules && next.name === state.name : locate(next, uid)?.field === locate(state, uid)?.field;
        if (same) kept.set(uid, list);
      }
      return kept;
    });
    setStatus(null);
  };

  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 5 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  );

  const onDragStart = (e: DragStartEvent) => {
    const d = e.active.data.current as { kind?: string; type?: FieldType } | undefined;
    setDragType(d?.kind === 'palette' && d.type ? d.type : null);
  };
  const onDragOver = (e: DragOverEvent) => setOverId(e.over ? String(e.over.id) : null);
  const onDragEnd = (e: DragEndEvent) => {
    setDragType(null);
    setOverId(null);
    const res = applyDrop(state, e.active, e.over);
    if (res.refused) setStatus({ tone: 'error', text: t({ en: 'A sub-table cannot contain a sub-table.', zh: '子表单中不能再放子表单。' }) });
    if (res.state !== state) edit(res.state);
    if (res.select) setSelected(res.select);
  };

  const addField = (type: FieldType) => {
    const field = newField(type, state.fields.map((f) => f.key));
    const at = locate(state, selected);
    const index = at && !at.parent ? at.index + 1 : state.fields.length;
    edit({ ...state, fields: [...state.fields.slice(0, index), field, ...state.fields.slice(index)] });
    setSelected(field._uid);
  };

  const addChild = (parentUid: string, type: FieldType) => {
    const parent = state.fields.find((f) => f._uid === parentUid);
    if (!parent) return;
    const child = newField(type, (parent.fields ?? []).map((c) => c.key)) as unknown as DSub;
    edit(updateField(state, parentUid, (f) => ({ ...f, fields: [...((f as { fields?: DSub[] }).fields ?? []), child] })));
    setSelected(child._uid);
  };

  const usagesOf = (path: string): Usage[] =>
    whereUsed({ formId: form.id, form: definition, field: path, otherForms: forms, workflow, dashboards });

  const askDelete = (uid: string) => {
    const at = locate(state, uid);
    if (at) setPending({ kind: 'delete', uid, usages: usagesOf(at.path) });
  };

  const doDelete = (uid: string) => {
    const at = locate(state, uid);
    if (!at) return;
    const fields = at.parent
      ? state.fields.map((f) => (f._uid === at.parent!._uid ? { ...f, fields: (f.fields ?? []).filter((c) => c._uid !== uid) } : f))
      : state.fields.filter((f) => f._uid !== uid);
    // the field's own rules go with it; rules of other fields that read it show up as problems
    const rules = at.parent ? state.rules : state.rules.filter((r) => r.field !== at.field.key);
    const titleField = !at.parent && state.titleField === at.field.key ? undefined : state.titleField;
    const next: DesignState = { ...state, fields, rules };
    if (titleField === undefined) delete next.titleField;
    else next.titleField = titleField;
    edit(next);
    if (selected === uid) setSelected(null);
  };

  const askRename = (uid: string, to: string) => {
    const at = locate(state, uid);
    if (!at) return;
    const usages = usagesOf(at.path).filter((u) => u.kind !== 'ruleTarget');
    if (usages.length === 0) {
      edit(clearAuto(renameInState(state, uid, to), uid));
      return;
    }
    setPending({ kind: 'rename', uid, to, usages });
  };

  const save = async (): Promise<boolean> => {
    if (localProblems.length > 0) {
      setStatus({ tone: 'error', text: t({ en: 'Fix the {n} problems before saving.', zh: '请先修正 {n} 个问题再保存。' }, { n: localProblems.length }) });
      return false;
    }
    setBusy(true);
    setStatus({ tone: 'info', text: t({ en: 'Saving…', zh: '保存中…' }) });
    try {
      const res = await put<LoadedForm>(`/api/forms/${encodeURIComponent(form.id)}`, definition, { headers: { 'if-match': String(version) } });
      setVersion(res.version);
      setSaved(JSON.stringify(definition));
      setServerProblems(new Map());
      setStatus({ tone: 'success', text: t({ en: 'Draft saved.', zh: '草稿已保存。' }) });
      return true;
    } catch (err) {
      setServerProblems(problemsByField(state, problemsOf(err)));
      const conflict = err instanceof ApiError && err.code === 'VERSION_CONFLICT';
      setStatus({
        tone: 'error',
        text: conflict
          ? t({ en: 'Someone else changed this form. Reload the page to see their version (your changes here are not saved).', zh: '他人修改了此表单。请刷新页面查看（此处的修改未保存）。' })
          : `${t({ en: 'Not saved:', zh: '未保存：' })} ${err instanceof Error ? err.message : String(err)}`,
      });
      return false;
    } finally {
      setBusy(false);
    }
  };

  const askPublish = async () => {
    if (dirty && !(await save())) return;
    if (!dirty && localProblems.length > 0) {
      setStatus({ tone: 'error', text: t({ en: 'Fix the {n} problems before publishing.', zh: '请先修正 {n} 个问题再发布。' }, { n: localProblems.length }) });
      return;
    }
    setPublishError(null);
    setPending({ kind: 'publish', changes: diffForms(published?.definition ?? null, definition) });
  };

  const publish = async () => {
    setBusy(true);
    setPublishError(null);
    try {
      const res = await post<{ version: number }>(`/api/forms/${encodeURIComponent(form.id)}/publish`, {});
      // publishing leaves the draft's version alone; read back what the server now holds
      const fresh = await get<LoadedForm>(`/api/forms/${encodeURIComponent(form.id)}`);
      setVersion(fresh.version);
      setPublished(fresh.published ?? { version: res.version, definition });
      setPending(null);
      setServerProblems(new Map());
      setStatus({ tone: 'success', text: t({ en: 'Published version {v}.', zh: '已发布版本 {v}。' }, { v: res.version }) });
    } catch (err) {
      const problems = problemsOf(err);
      setServerProblems(problemsByField(state, problems));
      setPublishError(err);
    } finally {
      setBusy(false);
    }
  };

  // what a screen reader hears while something is dragged: names, not ids
  const nameOf = (id: string | number | undefined): string => {
    const s = String(id ?? '');
    if (s.startsWith('palette:')) return t(fieldType(s.slice(8) as FieldType).label);
    if (s === 'canvas') return t({ en: 'the end of the form', zh: '表单末尾' });
    if (s.startsWith('zone:')) return t({ en: 'the fields of {name}', zh: '{name}的字段' }, { name: t(locate(state, s.slice(5))?.field.label) });
    const at = locate(state, s);
    return at ? t(at.field.label) || at.field.key : s;
  };
  const announcements = {
    onDragStart: ({ active }: { active: { id: string | number } }) => t({ en: 'Picked up {name}.', zh: '已拿起{name}。' }, { name: nameOf(active.id) }),
    onDragOver: ({ active, over }: { active: { id: string | number }; over: { id: string | number } | null }) =>
      over ? t({ en: '{name} is over {target}.', zh: '{name}位于{target}上方。' }, { name: nameOf(active.id), target: nameOf(over.id) }) : t({ en: '{name} is not over a drop place.', zh: '{name}不在可放置区域。' }, { name: nameOf(active.id) }),
    onDragEnd: ({ active, over }: { active: { id: string | number }; over: { id: string | number } | null }) =>
      over ? t({ en: '{name} was dropped on {target}.', zh: '{name}已放到{target}。' }, { name: nameOf(active.id), target: nameOf(over.id) }) : t({ en: '{name} was dropped.', zh: '{name}已放下。' }, { name: nameOf(active.id) }),
    onDragCancel: ({ active }: { active: { id: string | number } }) => t({ en: 'Moving {name} was cancelled.', zh: '已取消移动{name}。' }, { name: nameOf(active.id) }),
  };
  const screenReaderInstructions = {
    draggable: t({ en: 'To move a field, press Space, move it with the arrow keys, and press Space again to drop it or Escape to cancel.', zh: '要移动字段，请按空格键，用方向键移动，再按空格键放下，或按 Esc 取消。' }),
  };

  const selectedAt = locate(state, selected);
  const formProblems = byField.get('') ?? [];
  const nameText = t(state.name) || t({ en: 'Untitled form', zh: '未命名表单' });

  return (
    <div className="fd">
      <div className="fd-toolbar row">
        <nav aria-label={t({ en: 'Breadcrumb', zh: '路径' })} className="muted">
          <a href={href(`/apps/${form.appId}`)} onClick={linkHandler(`/apps/${form.appId}`)}>{t({ en: 'App', zh: '应用' })}</a> /
        </nav>
        <h1 className="fd-title">{nameText}</h1>
        <span className="muted fd-state" aria-live="polite">
          {dirty ? t({ en: 'Unsaved changes', zh: '有未保存的修改' }) : t({ en: 'All changes saved', zh: '修改已保存' })}
          {' · '}
          {published ? t({ en: 'Published version {v}', zh: '已发布版本 {v}' }, { v: published.version }) : t({ en: 'Not published', zh: '未发布' })}
        </span>
        <span className="spacer" />
        <button type="button" className={`btn btn-sm${allProblems.length ? ' fd-problem-count' : ''}`} onClick={() => setSelected(null)} disabled={allProblems.length === 0}>
          {allProblems.length
            ? t(allProblems.length === 1 ? { en: '1 problem', zh: '1 个问题' } : { en: '{n} problems', zh: '{n} 个问题' }, { n: allProblems.length })
            : t({ en: 'No problems', zh: '没有问题' })}
        </button>
        <a className="btn btn-sm" href={href(`/forms/${form.id}/workflow`)} onClick={linkHandler(`/forms/${form.id}/workflow`)}>{t({ en: 'Workflow', zh: '流程' })}</a>
        <button type="button" className="btn btn-sm" disabled={busy || !dirty} onClick={() => void save()}>{t({ en: 'Save', zh: '保存' })}</button>
        <button type="button" className="btn btn-sm btn-primary" disabled={busy} onClick={() => void askPublish()}>{t({ en: 'Publish', zh: '发布' })}</button>
      </div>
      {status && (
        <div className={`alert${status.tone === 'success' ? ' alert-success' : status.tone === 'info' ? ' alert-info' : ''} fd-status`} role={status.tone === 'error' ? 'alert' : 'status'}>
          {status.text}
        </div>
      )}
      <DndContext sensors={sensors} collisionDetection={collision} accessibility={{ announcements, screenReaderInstructions }} onDragStart={onDragStart} onDragOver={onDragOver} onDragEnd={onDragEnd} onDragCancel={() => { setDragType(null); setOverId(null); }}>
        <div className="fd-body">
          <Palette onAdd={addField} />
          <div
            className="fd-center"
            onClick={(e) => {
              // a click on the empty canvas (not on a card or a control) shows the form's settings
              const el = e.target as HTMLElement;
              if (el === e.currentTarget || el.classList.contains('fd-canvas') || el.classList.contains('fd-grid')) setSelected(null);
            }}
          >
            <Canvas
              fields={state.fields}
              selected={selected}
              problems={byField}
              overId={overId}
              onSelect={setSelected}
              onDelete={askDelete}
              onAddChild={addChild}
            />
          </div>
          <aside className="fd-panel" aria-label={t({ en: 'Properties', zh: '属性' })}>
            {selectedAt ? (
              <PropertyPanel
                key={selectedAt.field._uid}
                state={state}
                uid={selectedAt.field._uid}
                formId={form.id}
                forms={appForms}
                problems={byField.get(selectedAt.field._uid) ?? []}
                onChange={edit}
                onRenameKey={askRename}
                onDelete={askDelete}
              />
            ) : (
              <FormSettings state={state} onChange={edit} problems={allProblems} formProblems={formProblems} byField={byField} onSelect={setSelected} />
            )}
          </aside>
          <Preview definition={lastGood} stale={localProblems.length > 0 && lastGood !== null} />
        </div>
        <DragOverlay dropAnimation={null}>{dragType ? <div className="fd-drag-overlay">{t(fieldType(dragType).label)}</div> : null}</DragOverlay>
      </DndContext>

      {pending?.kind === 'delete' && (
        <WhereUsedDialog
          mode="delete"
          fieldName={t(locate(state, pending.uid)?.field.label) || (locate(state, pending.uid)?.field.key ?? '')}
          from={locate(state, pending.uid)?.path ?? ''}
          usages={pending.usages}
          onCancel={() => setPending(null)}
          onConfirm={() => {
            doDelete(pending.uid);
            setPending(null);
          }}
        />
      )}
      {pending?.kind === 'rename' && (
        <WhereUsedDialog
          mode="rename"
          fieldName={t(locate(state, pending.uid)?.field.label)}
          from={locate(state, pending.uid)?.path ?? ''}
          to={pending.to}
          usages={pending.usages}
          onCancel={() => setPending(null)}
          onConfirm={(rewrite) => {
            edit(clearAuto(renameInState(state, pending.uid, pending.to, rewrite), pending.uid));
            setPending(null);
          }}
        />
      )}
      {pending?.kind === 'publish' && (
        <PublishDialog
          changes={pending.changes}
          publishedVersion={published?.version ?? 0}
          busy={busy}
          error={publishError}
          onCancel={() => {
            setPending(null);
            if (publishError !== null) {
              const n = [...serverProblems.values()].flat().length;
              setStatus({
                tone: 'error',
                text: n
                  ? t({ en: 'Not published: {n} problems are marked on the fields.', zh: '未发布：{n} 个问题已标注在字段上。' }, { n })
                  : `${t({ en: 'Not published:', zh: '未发布：' })} ${publishError instanceof Error ? publishError.message : String(publishError)}`,
              });
              setPublishError(null);
            }
          }}
          onConfirm={() => void publish()}
        />
      )}
    </div>
  );
}

/** A key typed by the admin no longer follows the label. */
function clearAuto(s: DesignState, uid: string): DesignState {
  return updateField(s, uid, (f) => {
    const next = { ...f };
    delete next._autoKey;
    return next;
  });
}
