// Names of forms by id, for lists that only carry the id (notifications, CCs). A form closed to
// the person has no name here; the list then says "a form".
import { useEffect, useState } from 'react';
import type { Label } from '@trellis/core';
import { get } from '../lib/api';
import type { FormItem } from './types';

const cache = new Map<string, Promise<Label | null>>();

function nameOf(formId: string): Promise<Label | null> {
  let p = cache.get(formId);
  if (!p) {
    p = get<FormItem>(`/api/forms/${formId}`).then((f) => f.published?.definition.name ?? null, () => null);
    cache.set(formId, p);
  }
  return p;
}

export function useFormNames(formIds: readonly string[]): Map<string, Label> {
  const [names, setNames] = useState<Map<string, Label>>(new Map());
  const key = [...new Set(formIds)].sort().join(',');
  useEffect(() => {
    let live = true;
    const ids = key ? key.split(',') : [];
    void Promise.all(ids.map(async (id) => [id, await nameOf(id)] as const)).then((pairs) => {
      if (live) setNames(new Map(pairs.filter((p): p is readonly [string, Label] => p[1] !== null)));
    });
    return () => {
      live = false;
    };
  }, [key]);
  return names;
}
