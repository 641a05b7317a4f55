// Users, departments and linked-record titles, loaded once per page and shared by every picker.
import { useEffect, useMemo, useState } from 'react';
import { labelText } from '@trellis/core';
import { get } from '../../lib/api';
import { getLang } from '../../lib/i18n';

export interface Choice {
  id: string;
  label: string;
  sub?: string;
}

const lists = new Map<string, Promise<Choice[]>>();
const known = new Map<string, Map<string, string>>();
const listeners = new Set<() => void>();
const notify = () => listeners.forEach((l) => l());

function namesOf(kind: string): Map<string, string> {
  let m = known.get(kind);
  if (!m) known.set(kind, (m = new Map()));
  return m;
}

function loadList(kind: 'users' | 'departments'): Promise<Choice[]> {
  let p = lists.get(kind);
  if (!p) {
    p = (kind === 'users'
      ? get<{ items: { id: string; name: string; email: string; status: string }[] }>('/api/users').then((r) =>
        r.items.filter((u) => u.status !== 'disabled').map((u) => ({ id: u.id, label: u.name, sub: u.email })))
      : get<{ items: { id: string; name: string | { en?: string; zh?: string } }[] }>('/api/departments').then((r) =>
        r.items.map((d) => ({ id: d.id, label: labelText(d.name, getLang()) })))
    ).then((items) => {
      const m = namesOf(kind);
      for (const c of items) m.set(c.id, c.label);
      notify();
      return items;
    });
    // a failed load is tried again next time
    p.catch(() => lists.delete(kind));
    lists.set(kind, p);
  }
  return p;
}

function useRerender(): void {
  const [, set] = useState(0);
  useEffect(() => {
    const l = () => set((n) => n + 1);
    listeners.add(l);
    return () => void listeners.delete(l);
  }, []);
}

/** Names of users or departments (loaded in the background) and the full list for searching. */
export function useDirectory(kind: 'users' | 'departments', enabled = true): { names: Map<string, string>; load(): Promise<Choice[]> } {
  useRerender();
  useEffect(() => {
    if (enabled) loadList(kind).catch(() => undefined);
  }, [kind, enabled]);
  return { names: namesOf(kind), load: () => loadList(kind) };
}

const titleFields = new Map<string, Promise<string | undefined>>();

/** Titles of linked records: the link's display field, else the linked form's title field. */
export function useLinkTitles(form: string | undefined, displayField: string | undefined, ids: string[], enabled: boolean) {
  useRerender();
  const kind = `link:${form ?? ''}`;
  const names = namesOf(kind);
  const titleField = useMemo(() => () => {
    if (displayField) return Promise.resolve(displayField);
    if (!form) return Promise.resolve(undefined);
    let p = titleFields.get(form);
    if (!p) {
      p = get<{ published?: { definition?: { titleField?: string } } | null }>(`/api/forms/${encodeURIComponent(form)}`)
        .then((f) => f.published?.definition?.titleField)
        .catch(() => undefined);
      titleFields.set(form, p);
    }
    return p;
  }, [form, displayField]);
  const missing = ids.filter((id) => !names.has(id)).join(',');
  useEffect(() => {
    if (!enabled || !form || !missing) return;
    const ctl = new AbortController();
    void (async () => {
      const tf = await titleField();
      for (const id of missing.split(',')) {
        try {
          const r = await get<{ data: Record<string, unknown> }>(`/api/forms/${encodeURIComponent(form)}/records/${encodeURIComponent(id)}`, { signal: ctl.signal });
          const v = tf ? r.data[tf] : undefined;
          names.set(id, v === undefined || v === null ? id : String(v));
        } catch {
          if (ctl.signal.aborted) return;
          names.set(id, id);
        }
      }
      notify();
    })();
    return () => ctl.abort();
  }, [enabled, form, missing, names, titleField]);
  return {
    names,
    titleField,
    remember(id: string, label: string) {
      names.set(id, label);
    },
  };
}
