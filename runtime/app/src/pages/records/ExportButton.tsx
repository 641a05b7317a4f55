// "Export": the list as it is filtered and sorted, as CSV or Excel, through GET /api/forms/:formId/export.
import { useState } from 'react';
import type { Filter, FormDefinition } from '@trellis/core';
import { ApiError, getToken } from '../../lib/api';
import { useLang, useT } from '../../lib/i18n';
import { errorText } from '../../ui/common';
import { buildQuery, type ListState } from './query';

async function download(url: string, fallbackName: string): Promise<void> {
  const token = getToken();
  let res: Response;
  try {
    res = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  } catch {
    throw new ApiError(0, 'NETWORK', 'Network error');
  }
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
    throw new ApiError(res.status, body?.error?.code ?? `HTTP_${res.status}`, body?.error?.message ?? res.statusText);
  }
  const name = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(res.headers.get('content-disposition') ?? '')?.[1];
  const href = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = href;
  a.download = name ? decodeURIComponent(name) : fallbackName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 60_000);
}

/** `scope`: a filter the list is limited to (a dashboard drill-down), AND-ed into the export's */
export function ExportButton({ formId, def, state, scope }: { formId: string; def: FormDefinition; state: ListState; scope?: Filter | undefined }) {
  const t = useT();
  const lang = useLang();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function run(format: 'csv' | 'xlsx') {
    setBusy(true);
    setError(null);
    try {
      const query = buildQuery(def, state, null);
      if (scope) query.filter = query.filter ? { and: [scope, query.filter] } : scope;
      const params = new URLSearchParams({ format, header: lang });
      if (query.filter) params.set('filter', JSON.stringify(query.filter));
      if (query.sort) params.set('sort', JSON.stringify(query.sort));
      await download(`/api/forms/${encodeURIComponent(formId)}/export?${params}`, `${t(def.name)}.${format}`);
      setOpen(false);
    } catch (e) {
      setError(e instanceof ApiError && e.status === 404 && e.message.startsWith('No route')
        ? t({ en: 'Export is not available on this server yet.', zh: '此服务器暂不支持导出。' })
        : errorText(e, t));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="export">
      <button type="button" className="btn" aria-expanded={open} onClick={() => { setOpen(!open); setError(null); }}>
        {t({ en: 'Export', zh: '导出' })}
      </button>
      {open && (
        <div className="panel row export-panel" role="group" aria-label={t({ en: 'Export format', zh: '导出格式' })}>
          <button type="button" className="btn btn-sm" disabled={busy} onClick={() => void run('csv')}>CSV</button>
          <button type="button" className="btn btn-sm" disabled={busy} onClick={() => void run('xlsx')}>{t({ en: 'Excel', zh: 'Excel' })}</button>
          {busy && <span className="muted small" role="status">{t({ en: 'Preparing…', zh: '正在准备…' })}</span>}
        </div>
      )}
      {error && <div className="alert" role="alert">{error}</div>}
    </div>
  );
}
