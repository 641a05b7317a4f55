import type { RecordData } from '../record.js';
import type { FieldPath, NormFilter, Scalar } from './normalized.js';

/** The parts of a record a filter can read. */
export interface MatchableRecord {
  id: string;
  data: RecordData;
  createdAt?: string;
  updatedAt?: string;
  createdBy?: string | null;
  status?: string;
  formVersion?: number;
}

function read(record: MatchableRecord, path: FieldPath): unknown {
  if (path.source === 'system') return (record as unknown as Record<string, unknown>)[path.column];
  return record.data[path.key];
}

// As the adapters see it: missing and null are the same "no value"
const nothing = (v: unknown) => v === undefined || v === null;

function compare(a: unknown, b: Scalar): number | null {
  if (nothing(a) || b === null) return null;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  return null;
}

// ASCII-only case folding, as SQLite's LIKE
const fold = (s: string) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());

/**
 * Evaluates a normalized filter against one record in memory, with the
 * store adapters' meaning (store/contract.ts). Used to check a record that
 * is about to be written, e.g. that an edit keeps it inside the editor's scope.
 */
export function matchFilter(filter: NormFilter, record: MatchableRecord): boolean {
  switch (filter.kind) {
    case 'true': return true;
    case 'false': return false;
    case 'and': return filter.items.every((f) => matchFilter(f, record));
    case 'or': return filter.items.some((f) => matchFilter(f, record));
    case 'not': return !matchFilter(filter.item, record);
    case 'cmp': {
      const v = read(record, filter.path);
      if (filter.op === 'eq' || filter.op === 'ne') {
        const equal = filter.value === null ? nothing(v) : compare(v, filter.value) === 0;
        return filter.op === 'eq' ? equal : !equal;
      }
      const c = compare(v, filter.value);
      if (c === null) return false;
      return filter.op === 'gt' ? c > 0 : filter.op === 'gte' ? c >= 0 : filter.op === 'lt' ? c < 0 : c <= 0;
    }
    case 'in': {
      const v = read(record, filter.path);
      const found = filter.values.some((x) => (x === null ? nothing(v) : compare(v, x) === 0));
      return found !== filter.negate;
    }
    case 'text': {
      const v = read(record, filter.path);
      if (typeof v !== 'string') return false;
      const [hay, needle] = [fold(v), fold(filter.value)];
      return filter.mode === 'contains' ? hay.includes(needle) : hay.startsWith(needle);
    }
    case 'has': {
      const v = read(record, filter.path);
      const items = Array.isArray(v) ? v : [];
      const hit = (x: Scalar) => items.some((i) => i === x);
      if (filter.mode === 'any') return filter.values.some(hit);
      if (filter.mode === 'all') return filter.values.every(hit);
      return !filter.values.some(hit);
    }
    case 'empty': {
      const v = read(record, filter.path);
      const empty = nothing(v) || v === '' || (Array.isArray(v) && v.length === 0);
      return empty !== filter.negate;
    }
  }
}
