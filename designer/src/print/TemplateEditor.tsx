// One print template: paper, margins, header and footer, the body's blocks (add, remove, reorder,
// edit), save with the version read, and a preview of a record printed with it (the server's
// printable page, shown in a sandboxed frame).
import { useState } from 'react';
import { PRINT_BLOCK_TYPES, type DefinitionProblem, type FormDefinition, type Label, type PaperSize, type PrintBlockType, type PrintTemplateDefinition } from '@trellis/core';
import { ApiError, del, get, put } from '@trellis/app/lib/api';
import { useLang, useT } from '@trellis/app/lib/i18n';
import { errorText } from '@trellis/app/ui/common';
import { fetchPrinted } from '@trellis/app/pages/record/PrintButton';
import { uploadFile } from '@trellis/app/form/upload';
import { NumInput, SelectInput } from '../forms/inputs';
import { BlockEditor, PrintTextInput } from './BlockEditor';
import { move, newBlock, problemsByBlock } from './model';

export interface TemplateItem {
  id: string;
  formId: string;
  version: number;
  definition: PrintTemplateDefinition;
}

const BLOCK_NAMES: Record<PrintBlockType, { en: string; zh: string }> = {
  title: { en: 'Title', zh: '标题' },
  fields: { en: 'Fields', zh: '字段' },
  subtable: { en: 'Sub-table', zh: '子表' },
  text: { en: 'Text', zh: '文本' },
  signatures: { en: 'Signatures', zh: '签字栏' },
  spacer: { en: 'Space', zh: '留白' },
  pageBreak: { en: 'Page break', zh: '分页' },
};

const MARGINS = [['top', { en: 'Top', zh: '上' }], ['right', { en: 'Right', zh: '右' }], ['bottom', { en: 'Bottom', zh: '下' }], ['left', { en: 'Left', zh: '左' }]] as const;

interface RecordRow {
  id: string;
  data: Record<string, unknown>;
}

export function TemplateEditor({ item, form, formId, published, onSaved, onDeleted }: {
  item: TemplateItem; form: FormDefinition; formId: string; published: boolean; onSaved(t: TemplateItem): void; onDeleted(id: string): void;
}) {
  const t = useT();
  const lang = useLang();
  const [def, setDef] = useState(item.definition);
  const [version, setVersion] = useState(item.version);
  const [dirty, setDirty] = useState(false);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<{ tone: 'error' | 'success'; text: string } | null>(null);
  const [problems, setProblems] = useState<DefinitionProblem[]>([]);
  const [addType, setAddType] = useState<PrintBlockType>('fields');
  const [records, setRecords] = useState<RecordRow[] | null>(null);
  const [recordId, setRecordId] = useState('');
  const [preview, setPreview] = useState<string | null>(null);
  const byBlock = problemsByBlock(problems);

  const change = (next: PrintTemplateDefinition) => {
    setDef(next);
    setDirty(true);
  };
  const setBlocks = (body: PrintTemplateDefinition['body']) => change({ ...def, body });

  const save = async (): Promise<boolean> => {
    setBusy(true);
    setStatus(null);
    try {
      const saved = await put<TemplateItem>(`/api/print-templates/${encodeURIComponent(item.id)}`, def, { headers: { 'if-match': String(version) } });
      setVersion(saved.version);
      setDirty(false);
      setProblems([]);
      onSaved(saved);
      setStatus({ tone: 'success', text: t({ en: 'Saved.', zh: '已保存。' }) });
      return true;
    } catch (e) {
      const list = e instanceof ApiError ? (e.details as { problems?: DefinitionProblem[] } | undefined)?.problems : undefined;
      setProblems(list ?? []);
      setStatus({ tone: 'error', text: errorText(e, t) });
      return false;
    } finally {
      setBusy(false);
    }
  };

  const remove = async () => {
    setBusy(true);
    try {
      await del(`/api/print-templates/${encodeURIComponent(item.id)}`);
      onDeleted(item.id);
    } catch (e) {
      setStatus({ tone: 'error', text: errorText(e, t) });
      setBusy(false);
    }
  };

  const loadRecords = async () => {
    try {
      const page = await get<{ items: RecordRow[] }>(`/api/forms/${encodeURIComponent(formId)}/records?limit=20&sort=-createdAt`);
      setRecords(page.items);
      setRecordId((r) => r || page.items[0]?.id || '');
    } catch (e) {
      setStatus({ tone: 'error', text: errorText(e, t) });
    }
  };

  const showPreview = async () => {
    if (!recordId) return;
    if (dirty && !(await save())) return;
    try {
      const blob = await fetchPrinted(formId, recordId, item.id, 'html', lang);
      setPreview(await blob.text());
    } catch (e) {
      setStatus({ tone: 'error', text: errorText(e, t) });
    }
  };

  const uploadLogo = async (file: File | undefined) => {
    if (!file) return;
    setStatus(null);
    try {
      const ref = await uploadFile(file, file.name, {});
      change({ ...def, header: { ...def.header, logo: ref } });
    } catch (e) {
      setStatus({ tone: 'error', text: errorText(e, t) });
    }
  };
  const dropLogo = () => {
    const header = { ...def.header };
    delete header.logo;
    change({ ...def, header });
  };

  const recordName = (r: RecordRow) => {
    const v = form.titleField ? r.data[form.titleField] : undefined;
    return typeof v === 'string' || typeof v === 'number' ? String(v) : r.id;
  };

  return (
    <div className="pt-editor stack">
      <div className="row">
        <h2 className="pt-name">{t(def.name) || t({ en: 'Untitled', zh: '未命名' })}</h2>
        <span className="muted" aria-live="polite">{dirty ? t({ en: 'Unsaved changes', zh: '有未保存的修改' }) : t({ en: 'All changes saved', zh: '修改已保存' })}</span>
        <span className="spacer" />
        <button type="button" className="btn btn-sm btn-primary" disabled={busy || !dirty} onClick={() => void save()}>{t({ en: 'Save template', zh: '保存模板' })}</button>
        <button type="button" className="btn btn-sm btn-danger" disabled={busy} onClick={() => void remove()}>{t({ en: 'Delete template', zh: '删除模板' })}</button>
      </div>
      {status && <div className={`alert${status.tone === 'success' ? ' alert-success' : ''}`} role={status.tone === 'error' ? 'alert' : 'status'}>{status.text}</div>}
      {(byBlock.get(-1) ?? []).map((p) => <div key={p.path} className="error-text" role="alert">{p.path}: {p.message}</div>)}
      <div className="pt-columns-2">
        <section className="card stack" aria-label={t({ en: 'Page', zh: '页面' })}>
          <PrintTextInput label={t({ en: 'Template name', zh: '模板名称' })} value={def.name} onChange={(name) => change({ ...def, name: name as Label })} help={t({ en: 'English, then Chinese (optional).', zh: '先英文，再中文（可选）。' })} />
          <div className="row">
            <SelectInput label={t({ en: 'Paper', zh: '纸张' })} value={def.paper} onChange={(v) => change({ ...def, paper: v as PaperSize })}>
              {(['A4', 'A5', 'Letter'] as const).map((p) => <option key={p} value={p}>{p}</option>)}
            </SelectInput>
            <SelectInput label={t({ en: 'Orientation', zh: '方向' })} value={def.orientation} onChange={(v) => change({ ...def, orientation: v === 'landscape' ? 'landscape' : 'portrait' })}>
              <option value="portrait">{t({ en: 'Portrait', zh: '纵向' })}</option>
              <option value="landscape">{t({ en: 'Landscape', zh: '横向' })}</option>
            </SelectInput>
          </div>
          <div className="row pt-margins">
            {MARGINS.map(([side, name]) => (
              <NumInput key={side} label={t({ en: '{side} margin (mm)', zh: '{side}边距（毫米）' }, { side: t(name) })} value={def.margins[side]} min={5} max={60} onChange={(v) => change({ ...def, margins: { ...def.margins, [side]: v ?? 15 } })} />
            ))}
          </div>
          <PrintTextInput label={t({ en: 'Header', zh: '页眉' })} value={def.header?.text} onChange={(text) => change({ ...def, header: { ...def.header, text } })}
            help={t({ en: '{page} and {pages} print the page number and count; {printedAt} the time of printing.', zh: '{page} 与 {pages} 打印页码与总页数；{printedAt} 打印时间。' })} />
          <div className="field fd-field">
            <label htmlFor={`${item.id}-logo`}>{t({ en: 'Header logo (PNG or JPEG, at most 1 MB)', zh: '页眉徽标（PNG 或 JPEG，不超过 1 MB）' })}</label>
            {def.header?.logo ? (
              <div className="row">
                <span>{def.header.logo.name}</span>
                <button type="button" className="btn btn-sm" onClick={dropLogo}>{t({ en: 'Remove logo', zh: '移除徽标' })}</button>
              </div>
            ) : (
              <input id={`${item.id}-logo`} type="file" accept="image/png,image/jpeg" onChange={(e) => void uploadLogo(e.target.files?.[0])} />
            )}
          </div>
          <PrintTextInput label={t({ en: 'Footer', zh: '页脚' })} value={def.footer?.text} onChange={(text) => change({ ...def, footer: { ...def.footer, text } })}
            help={t({ en: '{page} and {pages} print the page number and count; {printedAt} the time of printing.', zh: '{page} 与 {pages} 打印页码与总页数；{printedAt} 打印时间。' })} />
        </section>
        <section className="stack" aria-label={t({ en: 'Blocks', zh: '区块' })}>
          <ol className="pt-blocks stack">
            {def.body.map((b, i) => (
              <li key={i} className="card stack pt-block" aria-label={t({ en: 'Block {n}: {type}', zh: '区块 {n}：{type}' }, { n: i + 1, type: t(BLOCK_NAMES[b.type]) })}>
                <div className="row">
                  <strong>{i + 1}. {t(BLOCK_NAMES[b.type])}</strong>
                  <span className="spacer" />
                  <button type="button" className="btn btn-sm" disabled={i === 0} aria-label={t({ en: 'Move block {n} up', zh: '上移区块 {n}' }, { n: i + 1 })} onClick={() => setBlocks(move(def.body, i, -1))}>↑</button>
                  <button type="button" className="btn btn-sm" disabled={i === def.body.length - 1} aria-label={t({ en: 'Move block {n} down', zh: '下移区块 {n}' }, { n: i + 1 })} onClick={() => setBlocks(move(def.body, i, 1))}>↓</button>
                  <button type="button" className="btn btn-sm" aria-label={t({ en: 'Remove block {n}', zh: '删除区块 {n}' }, { n: i + 1 })} onClick={() => setBlocks(def.body.filter((_, j) => j !== i))}>×</button>
                </div>
                <BlockEditor block={b} form={form} n={i + 1} onChange={(next) => setBlocks(def.body.map((x, j) => (j === i ? next : x)))} />
                {(byBlock.get(i) ?? []).map((p) => <div key={p.path} className="error-text" role="alert">{p.message}</div>)}
              </li>
            ))}
          </ol>
          <div className="row">
            <SelectInput label={t({ en: 'New block', zh: '新区块' })} value={addType} onChange={(v) => setAddType(v as PrintBlockType)}>
              {PRINT_BLOCK_TYPES.map((type) => <option key={type} value={type}>{t(BLOCK_NAMES[type])}</option>)}
            </SelectInput>
            <button type="button" className="btn btn-sm" disabled={def.body.length >= 100} onClick={() => setBlocks([...def.body, newBlock(addType, form)])}>{t({ en: 'Add block', zh: '添加区块' })}</button>
          </div>
        </section>
      </div>
      <section className="card stack" aria-label={t({ en: 'Preview', zh: '预览' })}>
        <h3>{t({ en: 'Preview', zh: '预览' })}</h3>
        {!published ? (
          <p className="muted">{t({ en: 'Publish the form and add a record to preview.', zh: '发布表单并添加记录后即可预览。' })}</p>
        ) : records === null ? (
          <button type="button" className="btn btn-sm" onClick={() => void loadRecords()}>{t({ en: 'Choose a record to preview', zh: '选择要预览的记录' })}</button>
        ) : records.length === 0 ? (
          <p className="muted">{t({ en: 'The form has no records yet.', zh: '此表单还没有记录。' })}</p>
        ) : (
          <div className="row">
            <SelectInput label={t({ en: 'Record', zh: '记录' })} value={recordId} onChange={setRecordId}>
              {records.map((r) => <option key={r.id} value={r.id}>{recordName(r)}</option>)}
            </SelectInput>
            <button type="button" className="btn btn-sm btn-primary" disabled={busy || !recordId} onClick={() => void showPreview()}>
              {dirty ? t({ en: 'Save and preview', zh: '保存并预览' }) : t({ en: 'Show preview', zh: '显示预览' })}
            </button>
          </div>
        )}
        {/* the printed page runs no script and reaches nothing: an empty sandbox */}
        {preview !== null && <iframe className="pt-preview" title={t({ en: 'Print preview', zh: '打印预览' })} sandbox="" srcDoc={preview} />}
      </section>
    </div>
  );
}
