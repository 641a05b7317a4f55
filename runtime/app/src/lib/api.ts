// The one HTTP client of the runtime and the designer: JSON in and out, the session token
// as a Bearer header, and the server's error body `{error: {code, message, details}}` as ApiError.
import type { FieldError } from '@trellis/core';

const TOKEN_KEY = 'trellis.token';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** per-field errors: a 422's `details.fields`, or the field a 409 unique violation names; else [] */
  get fieldErrors(): FieldError[] {
    const d = this.details as { fields?: FieldError[]; field?: unknown } | undefined;
    if (Array.isArray(d?.fields)) return d.fields;
    if (this.code === 'UNIQUE_VIOLATION' && typeof d?.field === 'string') {
      return [{ field: d.field, code: 'unique', message: { en: 'This value is already used: it must be unique.', zh: '该值已被使用，必须唯一。' } }];
    }
    return [];
  }
}

export function getToken(): string | null {
  try {
    return localStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

export function setToken(token: string | null): void {
  if (token) localStorage.setItem(TOKEN_KEY, token);
  else localStorage.removeItem(TOKEN_KEY);
}

type Listener = () => void;
const unauthorizedListeners = new Set<Listener>();
/** called when the server answers 401 to a request that carried a token (expired or revoked session) */
export function onUnauthorized(l: Listener): () => void {
  unauthorizedListeners.add(l);
  return () => unauthorizedListeners.delete(l);
}

export interface RequestOptions {
  body?: unknown;
  signal?: AbortSignal;
  /** use this token instead of the session's (share links send none) */
  token?: string | null;
  headers?: Record<string, string>;
}

export async function api<T = unknown>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const token = opts.token === undefined ? getToken() : opts.token;
  const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
  if (token) headers.authorization = `Bearer ${token}`;
  let body: BodyInit | undefined;
  if (opts.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  let res: Response;
  try {
    res = await fetch(path, { method, headers, body, signal: opts.signal ?? null });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new ApiError(0, 'NETWORK', (err as Error).message || 'Network error');
  }
  const text = await res.text();
  let json: unknown = undefined;
  if (text) {
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
  }
  if (!res.ok) {
    const e = (json as { error?: { code?: string; message?: string; details?: unknown } } | undefined)?.error;
    if (res.status === 401 && token && opts.token === undefined) for (const l of unauthorizedListeners) l();
    throw new ApiError(res.status, e?.code ?? `HTTP_${res.status}`, e?.message ?? res.statusText, e?.details);
  }
  return json as T;
}

export const get = <T>(path: string, opts?: RequestOptions) => api<T>('GET', path, opts);
export const post = <T>(path: string, body?: unknown, opts?: RequestOptions) => api<T>('POST', path, { ...opts, body: body ?? {} });
export const put = <T>(path: string, body: unknown, opts?: RequestOptions) => api<T>('PUT', path, { ...opts, body });
export const patch = <T>(path: string, body: unknown, opts?: RequestOptions) => api<T>('PATCH', path, { ...opts, body });
export const del = <T>(path: string, opts?: RequestOptions) => api<T>('DELETE', path, opts);

/** GET that answers null for a 404 (something that may not exist: a record's workflow, an app's pack) */
export async function getOrNull<T>(path: string, opts?: RequestOptions): Promise<T | null> {
  try {
    return await get<T>(path, opts);
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return null;
    throw e;
  }
}

/** query string from defined values */
export function qs(params: Record<string, string | number | boolean | undefined | null>): string {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') u.set(k, String(v));
  const s = u.toString();
  return s ? `?${s}` : '';
}
