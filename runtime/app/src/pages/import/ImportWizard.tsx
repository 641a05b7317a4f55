// Steps 1–3 of an import, then its start: choose a CSV or XLSX file, map its columns to fields,
// check it (dry run: the rows that would fail and why, nothing stored), then "Import N rows".
import { useEffect, useRef, useState, type DragEvent } from 'react';
import type { FormDefinition } from '@trellis/core';
import { ApiError, get } from '../../lib/api';
import { useT } from '../../lib/i18n';
import { errorText } from '../../ui/common';
import type { FormItem } from '../../ui/types';
import { assignColumn, defaultKeyField, importOptions, initialMapping, rowCount, type LinkKeys, type Mapping, type Preview } from './mapping';
import { MappingTable, type LinkedForms } from './MappingTable';
import { RowErrors } from './RowErrors';
import { dryRun, previewFile, startImport, type DryRunReport } from './upload';

const ACCEPT = '.csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The linked forms of the form's link fields (null where the caller may not read one). */
function useLinkedForms(def: FormDefinition): LinkedForms | null {
  const [linked, setLinked] = useState<LinkedForms | null>(null);
  useEffect(() => {
    const ctl = new AbortController();
    const links = def.fields.filter((f) => f.type === 'link' && f.form);
    void Promise.all(
      links.map(async (f) => {
        try {
          const item = await get<FormItem>(`/api/forms/${encodeURIComponent(f.form!)}`, { signal: ctl.signal });
          return [f.key, item.published?.definition ?? null] as const;
        } catch {
          return [f.key, null] as const;
        }
      }),
    ).then((pairs) => !ctl.signal.aborted && setLinked(Object.fromEntries(pairs)));
    return () => ctl.abort();
  }, [def]);
  return linked;
}

export function ImportWizard({ formId, def, onStarted }: { formId: string; def: FormDefinition; onStarted(jobId: string): void }) {
  const t = useT();
  const linked = useLinkedForms(def);
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [mapping, setMapping] = useState<Mapping>({});
  const [linkKeys, setLinkKeys] = useState<LinkKeys>({});
  const [startWorkflows, setStartWorkflows] = useState(false);
  const [report, setReport] = useState<DryRunReport | null>(null);
  const [busy, setBusy] = useState<'reading' | 'checking' | 'starting' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  // the answer for a file chosen before the current one is dropped
  const generation = useRef(0);

  // each link field starts matched by its linked form's title field
  useEffect(() => {
    if (!linked) return;
    setLinkKeys((keys) => {
      const next = { ...keys };
      for (const [field, target] of Object.entries(linked)) if (next[field] === undefined) next[field] = target ? defaultKeyField(target) : '';
      return next;
    });
  }, [linked]);

  function problem(e: unknown): string {
    if (e instanceof ApiError && e.status === 413) return t({ en: 'The file is too large to import.', zh: '文件太大，无法导入。' }) + ` (${e.message})`;
    if (e instanceof ApiError && e.status === 400) return t({ en: 'The file cannot be imported:', zh: '无法导入该文件：' }) + ` ${e.message}`;
    if (e instanceof ApiError && e.status === 422) return t({ en: 'The server refused the import:', zh: '服务器拒绝了导入：' }) + ` ${e.message}`;
    return errorText(e, t);
  }

  async function choose(next: File | undefined) {
    if (!next) return;
    const mine = ++generation.current;
    setError(null);
    setReport(null);
    setPreview(null);
    setFile(null);
    if (!/\.(csv|xlsx)$/i.test(next.name)) {
      setError(t({ en: '“{name}” is not a CSV or XLSX file. Save the sheet as .csv or .xlsx and choose it again.', zh: '“{name}”不是 CSV 或 XLSX 文件。请将表格另存为 .csv 或 .xlsx 后重新选择。' }, { name: next.name }));
      return;
    }
    setBusy('reading');
    try {
      const p = await previewFile(formId, next);
      if (mine !== generation.current) return;
      setFile(next);
      setPreview(p);
      setMapping((previous) => initialMapping(p, def, previous));
    } catch (e) {
      if (mine === generation.current) setError(problem(e));
    } finally {
      if (mine === generation.current) setBusy(null);
    }
  }

  async function check() {
    if (!file) return;
    const mine = generation.current;
    setBusy('checking');
    setError(null);
    try {
      const r = await dryRun(formId, file, { ...importOptions(def, mapping, linkKeys, true), dryRun: true });
      if (mine === generation.current) setReport(r);
    } catch (e) {
      if (mine === generation.current) setError(problem(e));
    } finally {
      if (mine === generation.current) setBusy(null);
    }
  }

  async function start() {
    if (!file) return;
    setBusy('starting');
    setError(null);
    try {
      const { jobId } = await startImport(formId, file, { ...importOptions(def, mapping, linkKeys, false), dryRun: false, ...(startWorkflows ? { startWorkflows } : {}) });
      onStarted(jobId);
    } catch (e) {
      setError(problem(e));
      setBusy(null);
    }
  }

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    void choose(e.dataTransfer.files[0]);
  };
  const failing = report ? report.rows - report.valid : 0;

  return (
    <div className="stack">
      <section className="card stack" aria-labelledby="import-step-file">
        <h2 id="import-step-file">{t({ en: '1. File', zh: '1. 文件' })}</h2>
        <div
          className={`import-drop${dragging ? ' import-drop-over' : ''}`}
          role="group"
          aria-label={t({ en: 'File to import', zh: '要导入的文件' })}
          onDragOver={(e) => { e.preventDefault(); setDragging(true); }}
          onDragLeave={() => setDragging(false)}
          onDrop={onDrop}
        >
          <label htmlFor="import-file" className="btn">{t({ en: 'Choose a CSV or Excel file', zh: '选择 CSV 或 Excel 文件' })}</label>
          <input
            id="import-file"
            className="sr-only"
            type="file"
            accept={ACCEPT}
            onChange={(e) => {
              void choose(e.target.files?.[0]);
              e.target.value = '';
            }}
          />
          <span className="muted small">{t({ en: 'or drop it here. The first row names the columns.', zh: '或拖放到此处。第一行为列名。' })}</span>
        </div>
        {busy === 'reading' && <p role="status">{t({ en: 'Reading the file…', zh: '正在读取文件…' })}</p>}
        {file && preview && (
          <p aria-label={t({ en: 'Chosen file', zh: '已选文件' })}>
            <strong>{file.name}</strong> · {t({ en: '{rows}, {c} columns', zh: '{rows}，{c} 列' }, { rows: t(rowCount(preview.rows)), c: preview.columns.length })}
          </p>
        )}
      </section>

      {error && <div className="alert" role="alert">{error}</div>}

      {file && preview && (
        <section className="card stack" aria-labelledby="import-step-map">
          <h2 id="import-step-map">{t({ en: '2. Columns', zh: '2. 列' })}</h2>
          {linked ? (
            <MappingTable
              def={def}
              preview={preview}
              mapping={mapping}
              linkKeys={linkKeys}
              linked={linked}
              onColumn={(column, key) => { setMapping((m) => assignColumn(m, column, key)); setReport(null); }}
              onLinkKey={(field, key) => { setLinkKeys((k) => ({ ...k, [field]: key })); setReport(null); }}
            />
          ) : (
            <p role="status">{t({ en: 'Loading the linked forms…', zh: '正在加载关联表单…' })}</p>
          )}
        </section>
      )}

      {file && preview && linked && (
        <section className="card stack" aria-labelledby="import-step-check">
          <h2 id="import-step-check">{t({ en: '3. Check and import', zh: '3. 检查并导入' })}</h2>
          <div className="row">
            <button type="button" className="btn" disabled={busy !== null} onClick={() => void check()}>
              {t({ en: 'Check (dry run)', zh: '检查（试运行）' })}
            </button>
            {busy === 'checking' && <span className="muted small" role="status">{t({ en: 'Checking every row…', zh: '正在检查每一行…' })}</span>}
          </div>
          {!report && <p className="muted small">{t({ en: 'The check converts and validates every row as a submit would, and stores nothing.', zh: '检查会像提交一样转换并校验每一行，但不保存任何数据。' })}</p>}
          {report && (
            <>
              <div className={`alert${failing ? '' : ' alert-success'}`} role="status" aria-label={t({ en: 'Dry run result', zh: '试运行结果' })}>
                {report.rows === 0
                  ? t({ en: 'The file has no rows under the header.', zh: '文件在标题行下没有数据行。' })
                  : failing
                    ? t({ en: 'Rows that would fail: {f} of {n}. Rows that would import: {v}. Nothing has been imported.', zh: '会失败的行：{f} / {n}。可以导入的行：{v}。尚未导入任何数据。' }, { f: failing.toLocaleString(), n: report.rows.toLocaleString(), v: report.valid.toLocaleString() })
                    : t({ en: '{rows} would import, none would fail.', zh: '{rows}都可以导入，没有会失败的行。' }, { rows: t(rowCount(report.rows)) })}
              </div>
              <RowErrors def={def} errors={report.errors} label={{ en: 'Rows that would fail', zh: '会失败的行' }} />
              {failing > 0 && <p className="muted">{t({ en: 'An import is all or nothing: fix these rows in the file (or the column mapping), then check again.', zh: '导入要么全部成功，要么全部不导入：请在文件（或列映射）中修正这些行，然后再次检查。' })}</p>}
              {failing === 0 && report.rows > 0 && (
                <label className="row check-row">
                  <input type="checkbox" checked={startWorkflows} onChange={(e) => setStartWorkflows(e.target.checked)} />
                  <span>{t({ en: 'Start the workflow for each imported record, as if it was submitted now', zh: '为每条导入的记录发起流程，如同刚刚提交' })}</span>
                </label>
              )}
              {failing === 0 && report.rows > 0 && (
                <button type="button" className="btn btn-primary" disabled={busy !== null} onClick={() => void start()}>
                  {busy === 'starting' ? t({ en: 'Starting…', zh: '正在开始…' }) : t({ en: 'Import {rows}', zh: '导入 {rows}' }, { rows: t(rowCount(report.rows)) })}
                </button>
              )}
            </>
          )}
        </section>
      )}
    </div>
  );
}
