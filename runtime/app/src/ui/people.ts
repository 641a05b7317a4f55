// Names of the people and departments records and timelines refer to by id. Loaded once per
// session (GET /api/users shows colleagues their names) and shared by every screen.
import { useEffect, useState } from 'react';
import { labelText, type Label } from '@trellis/core';
import { get } from '../lib/api';
import type { UserItem } from './types';

export interface People {
  users: Map<string, UserItem>;
  departments: Map<string, Label>;
}

let cache: Promise<People> | null = null;

function load(): Promise<People> {
  cache ??= Promise.all([
    get<{ items: UserItem[] }>('/api/users').catch(() => ({ items: [] as UserItem[] })),
    get<{ items: { id: string; name: Label }[] }>('/api/departments').catch(() => ({ items: [] })),
  ]).then(([u, d]) => ({
    users: new Map(u.items.map((x) => [x.id, x])),
    departments: new Map(d.items.map((x) => [x.id, x.name])),
  }));
  return cache;
}

/** forgets the names (on sign-out: the next person sees other colleagues) */
export function forgetPeople(): void {
  cache = null;
}

/** the names, once loaded (an empty map meanwhile: ids are shown until then) */
export function usePeople(): People {
  const [people, setPeople] = useState<People>({ users: new Map(), departments: new Map() });
  useEffect(() => {
    let live = true;
    void load().then((p) => live && setPeople(p));
    return () => {
      live = false;
    };
  }, []);
  return people;
}

export function personName(people: People, id: string | null | undefined): string {
  if (!id) return '';
  return people.users.get(id)?.name ?? id;
}

export function departmentName(people: People, id: string, lang: 'en' | 'zh'): string {
  const name = people.departments.get(id);
  return name === undefined ? id : labelText(name, lang);
}
