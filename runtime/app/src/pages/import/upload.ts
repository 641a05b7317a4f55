// The import requests: multipart bodies with the "options" part before the "file" part (the
// server reads the file as a stream and must know the options first), errors as ApiError.
import { ApiError, get, getToken } from '../../lib/api';
import type { Msg } from '../../lib/i18n';
import type { ImportRequest, Preview } from './mapping';

export interface RowError {
  /** 1 = the first row under the header */
  row: number;
  column: string | null;
  field: string;
  code: string;
  message: Msg;
}

export interface DryRunReport {
  rows: number;
  valid: number;
  errors: RowError[];
}

export interface ImportJob {
  id: string;
  formId: string;
  state: 'waiting' | 'checking' | 'importing' | 'completed' | 'failed';
  done: number;
  total: number;
  failed: number;
  errors: RowError[];
  message: string | null;
}

async function send<T>(path: string, file: File, options: unknown, signal?: AbortSignal): Promise<T> {
  const body = new FormData();
  if (options !== undefined) body.append('options', JSON.stringify(options));
  body.append('file', file, file.name);
  const token = getToken();
  let res: Response;
  try {
    res = await fetch(path, { method: 'POST', body, headers: { accept: 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, signal: signal ?? null });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new ApiError(0, 'NETWORK', 'Network error');
  }
  const json = (await res.json().catch(() => null)) as ({ error?: { code?: string; message?: string; details?: unknown } } & T) | null;
  if (!res.ok) throw new ApiError(res.status, json?.error?.code ?? `HTTP_${res.status}`, json?.error?.message ?? res.statusText, json?.error?.details);
  return json as T;
}

const base = (formId: string) => `/api/forms/${encodeURIComponent(formId)}`;

export const previewFile = (formId: string, file: File, signal?: AbortSignal) => send<Preview>(`${base(formId)}/import/preview`, file, undefined, signal);

export const dryRun = (formId: string, file: File, options: ImportRequest & { dryRun: true }, signal?: AbortSignal) =>
  send<DryRunReport>(`${base(formId)}/import`, file, options, signal);

export const startImport = (formId: string, file: File, options: ImportRequest & { dryRun: false }) =>
  send<{ jobId: string }>(`${base(formId)}/import`, file, options);

export const jobStatus = (jobId: string, signal?: AbortSignal) => get<ImportJob>(`/api/jobs/${encodeURIComponent(jobId)}`, { signal });
