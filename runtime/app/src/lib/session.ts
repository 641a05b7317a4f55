// Who is signed in: the token in localStorage and the user from GET /api/auth/me.
import { useSyncExternalStore } from 'react';
import { get, getToken, onUnauthorized, post, setToken } from './api';

export interface User {
  id: string;
  email: string;
  name: string;
  status: 'active' | 'disabled';
  admin: boolean;
  departments: string[];
  roles: string[];
  partner: unknown;
}

export type SessionState = { status: 'loading' } | { status: 'signedOut' } | { status: 'signedIn'; user: User };

let state: SessionState = getToken() ? { status: 'loading' } : { status: 'signedOut' };
const listeners = new Set<() => void>();
function set(next: SessionState): void {
  state = next;
  listeners.forEach((l) => l());
}

onUnauthorized(() => {
  setToken(null);
  set({ status: 'signedOut' });
});

/** loads the signed-in user once at start; a dead token signs out */
export async function restoreSession(): Promise<void> {
  if (!getToken()) return set({ status: 'signedOut' });
  try {
    const me = await get<{ user: User }>('/api/auth/me');
    set({ status: 'signedIn', user: me.user });
  } catch {
    setToken(null);
    set({ status: 'signedOut' });
  }
}

export async function signIn(username: string, password: string): Promise<User> {
  const r = await post<{ token: string; user: User }>('/api/auth/login', { username, password }, { token: null });
  setToken(r.token);
  set({ status: 'signedIn', user: r.user });
  return r.user;
}

export async function signOut(): Promise<void> {
  try {
    await post('/api/auth/logout');
  } catch {
    /* the token is dropped either way */
  }
  setToken(null);
  set({ status: 'signedOut' });
}

export function useSession(): SessionState {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => state,
  );
}
