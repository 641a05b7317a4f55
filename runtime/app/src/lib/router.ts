// A small history router: the app is served under a base path (/app/ or /designer/) and
// every screen is a path below it. No dependency: the runtime's first load must stay small.
import { useSyncExternalStore } from 'react';

const BASE = import.meta.env.BASE_URL.replace(/\/$/, '');
const listeners = new Set<() => void>();

/** the current path below the base, with its query string (outside React) */
export function currentPath(): string {
  return current();
}

function current(): string {
  const p = location.pathname.startsWith(BASE) ? location.pathname.slice(BASE.length) : location.pathname;
  return (p || '/') + location.search;
}

window.addEventListener('popstate', () => listeners.forEach((l) => l()));

/** navigate to a path below the base, e.g. `/forms/f1` */
export function navigate(to: string, opts: { replace?: boolean } = {}): void {
  const url = BASE + (to.startsWith('/') ? to : `/${to}`);
  if (opts.replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  listeners.forEach((l) => l());
  window.scrollTo(0, 0);
}

/** the current path below the base, with its query string */
export function useLocation(): string {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    current,
  );
}

/** matches `/forms/:id/records` against a path; returns the params or null */
export function matchPath(pattern: string, path: string): Record<string, string> | null {
  const [pathname = '/'] = path.split('?');
  const a = pattern.split('/').filter(Boolean);
  const b = pathname.split('/').filter(Boolean);
  if (a.length !== b.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < a.length; i++) {
    const seg = a[i]!;
    if (seg.startsWith(':')) params[seg.slice(1)] = decodeURIComponent(b[i]!);
    else if (seg !== b[i]) return null;
  }
  return params;
}

export function queryParam(path: string, name: string): string | null {
  const q = path.split('?')[1];
  return q ? new URLSearchParams(q).get(name) : null;
}

/** href for an <a> below the base; use with `onClick={link(to)}` to stay in the app */
export function href(to: string): string {
  return BASE + to;
}

export function linkHandler(to: string) {
  return (e: { preventDefault(): void; metaKey?: boolean; ctrlKey?: boolean }) => {
    if (e.metaKey || e.ctrlKey) return;
    e.preventDefault();
    navigate(to);
  };
}
