import type { Pack } from '../schema/pack.js';

/**
 * Three-way merge of pack versions: the pack an app was installed from
 * (base), the app as its admin changed it (mine) and a newer pack (theirs).
 * Objects merge property by property; lists whose items name themselves
 * (forms, fields and roles by `key`, workflow nodes and widgets by `id`,
 * edges by their ends, rules by `field`, options by `value`, lists of distinct
 * strings by the string) merge item by item; anything else is one value. A change on one side only is taken;
 * the same change on both sides is taken once; different changes to the same
 * value, and a deletion on one side of what the other side changed, are
 * conflicts — decided by `resolutions` (path → 'mine' | 'theirs'), else
 * listed, with mine kept for now. Sample records are never merged.
 */

export type Resolution = 'mine' | 'theirs';

export interface MergeConflict {
  /** e.g. `forms[order].definition.fields[amount].label`; absent values are undefined */
  path: string;
  base: unknown;
  mine: unknown;
  theirs: unknown;
}

export interface PackChange {
  path: string;
  op: 'add' | 'remove' | 'change';
}

export interface PackMerge {
  /** theirs' manifest with the merged forms, workflows, dashboards, roles and print templates (no records) */
  merged: Pack;
  /** conflicts no resolution decided */
  conflicts: MergeConflict[];
  /** what the merge changes in mine */
  changes: PackChange[];
}

const PARTS = ['forms', 'workflows', 'dashboards', 'roles', 'printTemplates'] as const;

export function mergePack(base: Pack, mine: Pack, theirs: Pack, resolutions: Readonly<Record<string, Resolution>> = {}): PackMerge {
  const conflicts: MergeConflict[] = [];
  const merged: Record<string, unknown> = { manifest: theirs.manifest };
  for (const part of PARTS) {
    const value = merge3(base[part], mine[part], theirs[part], part, { resolutions, conflicts });
    if (value !== undefined) merged[part] = value;
  }
  const changes: PackChange[] = [];
  for (const part of PARTS) diff(mine[part], merged[part], part, changes);
  return { merged: merged as unknown as Pack, conflicts, changes };
}

/** The paths where two packs differ (forms, workflows, dashboards, roles, print templates), item by item in keyed lists. */
export function diffPack(a: Pack, b: Pack): PackChange[] {
  const out: PackChange[] = [];
  for (const part of PARTS) diff(a[part], b[part], part, out);
  return out;
}

interface MergeContext {
  resolutions: Readonly<Record<string, Resolution>>;
  conflicts: MergeConflict[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Deep equality of JSON values; object property order does not matter. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  if (isObj(a) && isObj(b)) {
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && jsonEqual(a[k], b[k]));
  }
  return false;
}

type Identity = (item: unknown) => string | null;
const IDENTITIES: Identity[] = [
  (x) => (isObj(x) && typeof x.key === 'string' ? x.key : null),
  (x) => (isObj(x) && typeof x.id === 'string' ? x.id : null),
  (x) => (isObj(x) && typeof x.from === 'string' && typeof x.to === 'string' ? `${x.from}>${x.to}` : null),
  (x) => (isObj(x) && typeof x.field === 'string' ? x.field : null),
  (x) => (isObj(x) && typeof x.value === 'string' ? x.value : null),
  // a list of distinct strings (options, allowed actions) merges as a set that keeps its order
  (x) => (typeof x === 'string' ? x : null),
];

/** Whether a list item names itself `id` in any of the ways the merge knows (for naming paths). */
export function itemNamed(item: unknown, id: string): boolean {
  return IDENTITIES.some((identity) => identity(item) === id);
}

/** How the items of these lists name themselves, when every item of each names itself uniquely the same way. */
function identityOf(lists: unknown[][]): Identity | null {
  if (lists.every((l) => l.length === 0)) return null;
  return IDENTITIES.find((id) => lists.every((l) => {
    const seen = new Set<string>();
    return l.every((x) => {
      const k = id(x);
      if (k === null || seen.has(k)) return false;
      seen.add(k);
      return true;
    });
  })) ?? null;
}

const child = (path: string, key: string) => `${path}.${key}`;
const item = (path: string, id: string) => `${path}[${id}]`;

function merge3(b: unknown, m: unknown, t: unknown, path: string, ctx: MergeContext): unknown {
  if (jsonEqual(m, t)) return m;
  if (jsonEqual(b, m)) return t;
  if (jsonEqual(b, t)) return m;
  if (isObj(m) && isObj(t) && (b === undefined || isObj(b))) {
    const base: Obj = b ?? {};
    const out: Obj = {};
    const keys = [...new Set([...Object.keys(t), ...Object.keys(m), ...Object.keys(base)])];
    for (const k of keys) {
      const v = merge3(own(base, k), own(m, k), own(t, k), child(path, k), ctx);
      if (v !== undefined) out[k] = v;
    }
    return out;
  }
  if (Array.isArray(m) && Array.isArray(t) && (b === undefined || Array.isArray(b))) {
    const base = (b as unknown[] | undefined) ?? [];
    const id = identityOf([base, m, t]);
    if (id) return mergeKeyed(base, m, t, id, path, ctx);
  }
  const decided = Object.hasOwn(ctx.resolutions, path) ? ctx.resolutions[path] : undefined;
  if (decided === 'mine') return m;
  if (decided === 'theirs') return t;
  ctx.conflicts.push({ path, base: b, mine: m, theirs: t });
  return m;
}

const own = (o: Obj, k: string): unknown => (Object.hasOwn(o, k) ? o[k] : undefined);

function mergeKeyed(b: unknown[], m: unknown[], t: unknown[], id: Identity, path: string, ctx: MergeContext): unknown[] {
  const byId = (list: unknown[]) => new Map(list.map((x) => [id(x)!, x]));
  const [bm, mm, tm] = [byId(b), byId(m), byId(t)];
  const order = mergedOrder([...bm.keys()], [...mm.keys()], [...tm.keys()]);
  const out: unknown[] = [];
  for (const k of order) {
    const v = merge3(bm.get(k), mm.get(k), tm.get(k), item(path, k), ctx);
    if (v !== undefined) out.push(v);
  }
  return out;
}

/** Theirs' order, unless only mine reordered what all three share; items only one side has go after their predecessor there. */
function mergedOrder(base: string[], mine: string[], theirs: string[]): string[] {
  const shared = new Set(base.filter((k) => mine.includes(k) && theirs.includes(k)));
  const rel = (list: string[]) => list.filter((k) => shared.has(k));
  const same = (x: string[], y: string[]) => x.length === y.length && x.every((k, i) => k === y[i]);
  const mineMoved = !same(rel(mine), rel(base));
  const theirsMoved = !same(rel(theirs), rel(base));
  const [skeleton, other] = mineMoved && !theirsMoved ? [mine, theirs] : [theirs, mine];
  const out = [...skeleton];
  other.forEach((k, i) => {
    if (out.includes(k)) return;
    let at = 0;
    for (let j = i - 1; j >= 0; j--) {
      const p = out.indexOf(other[j]!);
      if (p >= 0) {
        at = p + 1;
        break;
      }
    }
    out.splice(at, 0, k);
  });
  // what the base had and one side deleted comes last; merge3 drops it unless the other side changed it
  for (const k of base) if (!out.includes(k)) out.push(k);
  return out;
}

function diff(a: unknown, b: unknown, path: string, out: PackChange[]): void {
  if (jsonEqual(a, b)) return;
  if (a === undefined) return void out.push({ path, op: 'add' });
  if (b === undefined) return void out.push({ path, op: 'remove' });
  if (isObj(a) && isObj(b)) {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) diff(own(a, k), own(b, k), child(path, k), out);
    return;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    const id = identityOf([a, b]);
    if (id) {
      const [am, bm] = [new Map(a.map((x) => [id(x)!, x])), new Map(b.map((x) => [id(x)!, x]))];
      for (const k of new Set([...am.keys(), ...bm.keys()])) diff(am.get(k), bm.get(k), item(path, k), out);
      const order = (keys: string[], other: Map<string, unknown>) => keys.filter((k) => other.has(k));
      const [oa, ob] = [order([...am.keys()], bm), order([...bm.keys()], am)];
      if (oa.some((k, i) => k !== ob[i])) out.push({ path, op: 'change' });
      return;
    }
  }
  out.push({ path, op: 'change' });
}
