import type { RecordData } from '@trellis/core';
import type { FieldChange } from '../store/port.js';

function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a === null || b === null) return false;
  if (typeof a !== 'object' || typeof b !== 'object') return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Fields whose value differs between two versions of a record's data, with both values (missing → null). */
export function diffData(before: RecordData, after: RecordData): FieldChange[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  const changes: FieldChange[] = [];
  for (const key of keys) {
    if (!same(before[key], after[key])) changes.push({ field: key, from: before[key] ?? null, to: after[key] ?? null });
  }
  return changes;
}
