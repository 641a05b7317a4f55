// Lookups and value linkage in the browser: the engine says what it needs (planExternal, the
// same call the server makes before it evaluates a record); this fetches it from the API as the
// user types, so a picked supplier's phone number or a matched price shows at once. What the
// user may not read, or cannot be fetched, stays "not checked here" (undefined): the server
// evaluates the record again on submit, with its own reads.
import { useEffect, useRef, useState } from 'react';
import { planExternal, type CompiledForm, type EvalContext, type ExternalData, type ExternalPlan, type RecordData } from '@trellis/core';
import { ApiError, get, post } from '../lib/api';

export const NO_EXTERNAL: ExternalData = { links: {}, fills: {} };
const DEBOUNCE_MS = 250;

type Cache = Map<string, Promise<unknown>>;

async function linkedRecord(form: string, id: string, cache: Cache): Promise<RecordData | null | undefined> {
  const key = `link:${form}:${id}`;
  if (!cache.has(key)) {
    cache.set(key, get<{ data: RecordData }>(`/api/forms/${encodeURIComponent(form)}/records/${encodeURIComponent(id)}`).then(
      (r) => r.data,
      // a record that is gone, or that this user may not see, is left to the server to judge
      (err: unknown) => (err instanceof ApiError && err.status !== 0 ? undefined : Promise.reject(err)),
    ));
  }
  return cache.get(key) as Promise<RecordData | null | undefined>;
}

async function fillValue(fill: ExternalPlan['fills'][number], cache: Cache): Promise<unknown> {
  const filter = { and: Object.entries(fill.match).map(([field, value]) => ({ field, op: 'eq', value })) };
  const key = `fill:${fill.form}:${JSON.stringify(filter)}:${fill.take}`;
  if (!cache.has(key)) {
    cache.set(key, post<{ items: { data: RecordData }[] }>(`/api/forms/${encodeURIComponent(fill.form)}/records/query`, { filter, limit: 1 }).then(
      (r) => r.items[0]?.data[fill.take],
      () => undefined,
    ));
  }
  return cache.get(key);
}

/** the linked records and fill values the engine asks for, refreshed (debounced) as `input` changes; off in preview and on share links */
export function useExternal(compiled: CompiledForm, input: RecordData, ctx: EvalContext, opts: { enabled: boolean; previous?: RecordData; locked?: ReadonlySet<string> }): ExternalData {
  const [external, setExternal] = useState<ExternalData>(NO_EXTERNAL);
  const cache = useRef<Cache>(new Map());
  const planKey = opts.enabled ? JSON.stringify(planExternal(compiled, input, ctx, opts.previous, opts.locked)) : '';

  useEffect(() => {
    if (!planKey) return;
    const plan = JSON.parse(planKey) as ExternalPlan;
    if (plan.links.length === 0 && plan.fills.length === 0) {
      setExternal(NO_EXTERNAL);
      return;
    }
    let live = true;
    const timer = setTimeout(async () => {
      try {
        const links: ExternalData['links'] = {};
        await Promise.all(plan.links.map(async (l) => {
          const found: Record<string, RecordData | null> = {};
          await Promise.all(l.ids.map(async (id) => {
            const r = await linkedRecord(l.form, id, cache.current);
            if (r !== undefined) found[id] = r;
          }));
          links[l.path] = found;
        }));
        const fills: ExternalData['fills'] = {};
        await Promise.all(plan.fills.map(async (f) => {
          fills[f.field] = await fillValue(f, cache.current);
        }));
        if (live) setExternal({ links, fills });
      } catch {
        // offline: keep what was shown; the server fills everything in on submit
        cache.current.clear();
      }
    }, DEBOUNCE_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [planKey]);
  return opts.enabled ? external : NO_EXTERNAL;
}
