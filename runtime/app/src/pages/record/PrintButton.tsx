// "Print" on a record: the form's print templates, each opening the printable page in a new tab
// or downloading the PDF. The server renders both as the signed-in user may read the record; the
// token travels in a header, so the output is fetched and handed to the browser as a blob.
import { useState } from 'react';
import type { Label } from '@trellis/core';
import { ApiError, get, getToken } from '../../lib/api';
import { useLang, useT } from '../../lib/i18n';

export interface PrintTemplateSummary {
  id: string;
  version: number;
  definition: { name: Label };
}

/** The record printed with a template, as a blob (HTML page or PDF), in the given language and the browser's time zone. */
export async function fetchPrinted(formId: string, recordId: string, templateId: string, format: 'html' | 'pdf', lang: 'en' | 'zh', signal?: AbortSignal): Promise<Blob> {
  const q = new URLSearchParams({ template: templateId, format, lang });
  const tz = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (tz) q.set('tz', tz);
  const token = getToken();
  let res: Response;
  try {
    res = await fetch(`/api/forms/${encodeURIComponent(formId)}/records/${encodeURIComponent(recordId)}/print?${q}`, {
      headers: token ? { authorization: `Bearer ${token}` } : {}, signal: signal ?? null,
    });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new ApiError(0, 'NETWORK', 'Network error');
  }
  if (!res.ok) {
    let e: { code?: string; message?: string; details?: unknown } | undefined;
    try {
      e = ((await res.json()) as { error?: typeof e }).error;
    } catch {
      /* not JSON */
    }
    throw new ApiError(res.status, e?.code ?? `HTTP_${res.status}`, e?.message ?? res.statusText, e?.details);
  }
  return res.blob();
}

function download(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export function PrintButton({ formId, recordId }: { formId: string; recordId: string }) {
  const t = useT();
  const lang = useLang();
  const [open, setOpen] = useState(false);
  const [templates, setTemplates] = useState<PrintTemplateSummary[] | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const toggle = async () => {
    setOpen((o) => !o);
    if (templates !== null) return;
    try {
      setTemplates((await get<{ items: PrintTemplateSummary[] }>(`/api/forms/${encodeURIComponent(formId)}/print-templates`)).items);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
      setTemplates([]);
    }
  };

  const run = async (tpl: PrintTemplateSummary, format: 'html' | 'pdf') => {
    setError(null);
    setBusy(`${tpl.id}:${format}`);
    // the tab opens now, while the click still counts as the user's: a tab opened after the fetch would be blocked
    const tab = format === 'html' ? window.open('', '_blank') : null;
    try {
      const blob = await fetchPrinted(formId, recordId, tpl.id, format, lang);
      if (format === 'pdf') {
        download(blob, `${t(tpl.definition.name) || 'print'}.pdf`);
      } else {
        const url = URL.createObjectURL(blob);
        if (tab) tab.location.href = url;
        else window.location.href = url;
        setTimeout(() => URL.revokeObjectURL(url), 60_000);
      }
    } catch (e) {
      tab?.close();
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(null);
    }
  };

  return (
    <div className="print-menu">
      <button type="button" className="btn btn-sm" aria-expanded={open} onClick={() => void toggle()}>
        {t({ en: 'Print', zh: '打印' })}
      </button>
      {open && (
        <div className="card stack" role="region" aria-label={t({ en: 'Print templates', zh: '打印模板' })}>
          {templates === null && <p className="muted">{t({ en: 'Loading…', zh: '加载中…' })}</p>}
          {templates?.length === 0 && !error && <p className="muted">{t({ en: 'This form has no print templates yet.', zh: '此表单还没有打印模板。' })}</p>}
          {templates?.map((tpl) => {
            const name = t(tpl.definition.name);
            return (
              <div key={tpl.id} className="row">
                <strong>{name}</strong>
                <button type="button" className="btn btn-sm" disabled={busy !== null} aria-label={t({ en: 'Print {name}', zh: '打印{name}' }, { name })} onClick={() => void run(tpl, 'html')}>
                  {busy === `${tpl.id}:html` ? t({ en: 'Opening…', zh: '正在打开…' }) : t({ en: 'Printable page', zh: '打印页面' })}
                </button>
                <button type="button" className="btn btn-sm" disabled={busy !== null} aria-label={t({ en: 'Download {name} as PDF', zh: '下载{name} PDF' }, { name })} onClick={() => void run(tpl, 'pdf')}>
                  {busy === `${tpl.id}:pdf` ? t({ en: 'Preparing…', zh: '正在生成…' }) : 'PDF'}
                </button>
              </div>
            );
          })}
          {error && <div className="alert" role="alert">{error}</div>}
        </div>
      )}
    </div>
  );
}
