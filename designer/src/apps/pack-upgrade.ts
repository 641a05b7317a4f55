// Pure helpers of the upgrade screen (PackUpgrade.tsx).
import type { MergeConflict, Resolution } from '@trellis/core';

/** a value of a conflict, short enough to read in a line ("—" when the side has none) */
export function shortValue(value: unknown): string {
  if (value === undefined) return '—';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 120 ? `${text.slice(0, 117)}…` : text;
}

/** every conflict has a choice (an upgrade with an open conflict is refused) */
export function allResolved(conflicts: readonly Pick<MergeConflict, 'path'>[], resolutions: Record<string, Resolution>): boolean {
  return conflicts.every((c) => resolutions[c.path] !== undefined);
}
