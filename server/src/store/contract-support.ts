import { expect } from 'vitest';
import { isTrellisError } from '@trellis/core';

/** Helpers shared by the store contract suites. */

export const NOW = '2026-01-02T03:04:05.006Z';
let seq = 0;
/** A fresh id, unique across one test run. */
export const uid = (prefix: string): string => `${prefix}${Date.now().toString(36)}${(seq++).toString(36).padStart(4, '0')}`;

/** Expects `p` to reject with a TrellisError of `code` (and details matching `details`). */
export async function rejects(p: Promise<unknown>, code: string, details?: Record<string, unknown>): Promise<void> {
  let caught: unknown = null;
  try {
    await p;
  } catch (e) {
    caught = e;
  }
  expect(isTrellisError(caught), `expected TrellisError ${code}, got ${String(caught)}`).toBe(true);
  if (!isTrellisError(caught)) return;
  expect(caught.code).toBe(code);
  if (details) expect(caught.details).toMatchObject(details);
}
