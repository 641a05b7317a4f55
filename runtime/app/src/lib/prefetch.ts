// The first load of a deep link (a form page opened from a message or a home-screen shortcut)
// would otherwise be a waterfall: the app's script → who am I → the page's chunk → the form.
// prefetch() starts a GET before the page that needs it is even loaded; the page takes the
// answer with takePrefetched(), once. A failed or unused prefetch costs nothing: the page asks again.
import { get, getToken } from './api';

const pending = new Map<string, Promise<unknown>>();

export function prefetch(path: string): void {
  if (!getToken() || pending.has(path)) return;
  const p = get(path);
  p.catch(() => pending.delete(path));
  pending.set(path, p);
}

/** the prefetched answer for `path` if one is under way (taken once), else a fresh GET */
export function takePrefetched<T>(path: string, signal?: AbortSignal): Promise<T> {
  const p = pending.get(path);
  pending.delete(path);
  return (p as Promise<T> | undefined)?.catch(() => get<T>(path, { signal })) ?? get<T>(path, { signal });
}
