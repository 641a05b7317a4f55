// The badges of the shell: open tasks and unread notifications. Refreshed when a screen changes
// them (after approving, after reading), on a route change and every minute while the tab is seen.
import { useEffect, useSyncExternalStore } from 'react';
import { get } from '../lib/api';

export interface Counts {
  tasks: number | null;
  unread: number | null;
}

// the task list pages at 100: the badge shows 99+ past that
export const COUNT_LIMIT = 100;
let counts: Counts = { tasks: null, unread: null };
const listeners = new Set<() => void>();
let inFlight: Promise<void> | null = null;

export function refreshCounts(): Promise<void> {
  inFlight ??= (async () => {
    try {
      const [tasks, unread] = await Promise.all([
        get<{ items: unknown[] }>(`/api/tasks?limit=${COUNT_LIMIT}`),
        get<{ items: unknown[] }>('/api/notifications?unread=true'),
      ]);
      counts = { tasks: tasks.items.length, unread: unread.items.length };
      listeners.forEach((l) => l());
    } catch {
      // a badge that failed to load keeps its last value; the pages themselves show errors
    } finally {
      inFlight = null;
    }
  })();
  return inFlight;
}

export function useCounts(): Counts {
  useEffect(() => {
    void refreshCounts();
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') void refreshCounts();
    }, 60_000);
    return () => clearInterval(timer);
  }, []);
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => counts,
  );
}

export function badgeText(n: number): string {
  return n >= COUNT_LIMIT ? '99+' : String(n);
}
