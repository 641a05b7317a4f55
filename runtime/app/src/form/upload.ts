// File uploads with progress (XMLHttpRequest reports upload progress; fetch does not) and
// downloads of permission-checked files as blobs (the session token travels in a header,
// so a plain <a href> or <img src> cannot fetch them).
import { ApiError, getToken } from '../lib/api';

export interface FileRef {
  id: string;
  name: string;
  size: number;
  type: string;
  url?: string;
}

export function isFileRef(v: unknown): v is FileRef {
  return !!v && typeof v === 'object' && typeof (v as FileRef).id === 'string' && typeof (v as FileRef).name === 'string';
}

/** Uploads one file to POST /api/files (or a share link's upload route); `onProgress` gets 0..1. */
export function uploadFile(file: Blob, name: string, opts: { shareToken?: string; onProgress?(fraction: number): void; signal?: AbortSignal }): Promise<FileRef> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', opts.shareToken ? `/api/share/${encodeURIComponent(opts.shareToken)}/files` : '/api/files');
    const token = opts.shareToken ? null : getToken();
    if (token) xhr.setRequestHeader('authorization', `Bearer ${token}`);
    xhr.setRequestHeader('accept', 'application/json');
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) opts.onProgress?.(e.loaded / e.total);
    };
    xhr.onload = () => {
      let body: { error?: { code?: string; message?: string; details?: unknown } } & Partial<FileRef> = {};
      try {
        body = JSON.parse(xhr.responseText) as typeof body;
      } catch {
        /* not JSON */
      }
      if (xhr.status === 201 && isFileRef(body)) resolve(body);
      else reject(new ApiError(xhr.status, body.error?.code ?? `HTTP_${xhr.status}`, body.error?.message ?? xhr.statusText, body.error?.details));
    };
    xhr.onerror = () => reject(new ApiError(0, 'NETWORK', 'Network error'));
    xhr.onabort = () => reject(new DOMException('Upload cancelled', 'AbortError'));
    opts.signal?.addEventListener('abort', () => xhr.abort());
    const data = new FormData();
    data.append('file', file, name);
    xhr.send(data);
  });
}

/** The file's bytes as an object URL (revoke it when done); `via` names the record that refers to it. */
export async function fileObjectUrl(ref: FileRef, via: { formId?: string; recordId?: string; taskId?: string }, signal?: AbortSignal): Promise<string> {
  const q = via.taskId
    ? `?task=${encodeURIComponent(via.taskId)}`
    : via.formId && via.recordId ? `?record=${encodeURIComponent(via.recordId)}&form=${encodeURIComponent(via.formId)}` : '';
  const token = getToken();
  let res: Response;
  try {
    res = await fetch(`/api/files/${encodeURIComponent(ref.id)}${q}`, { headers: token ? { authorization: `Bearer ${token}` } : {}, signal: signal ?? null });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new ApiError(0, 'NETWORK', 'Network error');
  }
  if (!res.ok) throw new ApiError(res.status, `HTTP_${res.status}`, res.statusText);
  return URL.createObjectURL(await res.blob());
}

export function formatSize(n: number): string {
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MB`;
  if (n >= 1024) return `${Math.round(n / 1024)} KB`;
  return `${n} B`;
}

/** Whether a MIME type matches an accept list such as ["image/*", "application/pdf"]. */
export function accepts(type: string, accept: readonly string[] | undefined): boolean {
  if (!accept || accept.length === 0) return true;
  return accept.some((a) => (a.endsWith('/*') ? type.startsWith(a.slice(0, -1)) : a === type));
}
