import { TrellisError } from '../errors.js';
import type { RecordData } from '../record.js';
import type { CursorPosition, NormSort, Scalar, StorageType } from './normalized.js';

// The core compiles for ES2023 without DOM or Node types; these globals exist in browsers and Node ≥ 16.
interface CodecGlobals {
  btoa(data: string): string;
  atob(data: string): string;
  TextEncoder: new () => { encode(input: string): Uint8Array };
  TextDecoder: new (label?: string, options?: { fatal?: boolean }) => { decode(input: Uint8Array): string };
}
const g = globalThis as unknown as CodecGlobals;

/** Longest cursor accepted (the list query schema allows 4000 characters). */
export const MAX_CURSOR_LENGTH = 4000;
const MAX_ID_LENGTH = 200;

function toBase64Url(text: string): string {
  const bytes = new g.TextEncoder().encode(text);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return g.btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(cursor: string): string {
  const b64 = cursor.replace(/-/g, '+').replace(/_/g, '/');
  const binary = g.atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return new g.TextDecoder('utf-8', { fatal: true }).decode(bytes);
}

function scalarOf(v: unknown): Scalar {
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  return null;
}

/**
 * The cursor after `record` for `sort`: base64url of JSON `[value…, id]`,
 * each value read from the system column or from `data[key]` (missing → null).
 */
export function encodeCursor(sort: NormSort[], record: { id: string; data: RecordData }): string {
  const values = sort.map(({ path }) => {
    const source: Record<string, unknown> = path.source === 'system' ? (record as unknown as Record<string, unknown>) : (record.data ?? {});
    const key = path.source === 'system' ? path.column : path.key;
    return scalarOf(Object.hasOwn(source, key) ? source[key] : undefined);
  });
  return toBase64Url(JSON.stringify([...values, record.id]));
}

function fits(v: unknown, storage: StorageType): boolean {
  if (v === null) return true;
  switch (storage) {
    case 'number': return typeof v === 'number' && Number.isFinite(v);
    case 'boolean': return typeof v === 'boolean';
    case 'text': case 'date': case 'datetime': case 'ref': return typeof v === 'string';
    default: return false; // arrays and json do not sort
  }
}

function bad(reason: string): TrellisError {
  return new TrellisError('INVALID_QUERY', `Invalid cursor: ${reason}`, { field: 'cursor' });
}

/** Reads a cursor made by `encodeCursor` for the same sort; anything else is INVALID_QUERY. */
export function decodeCursor(cursor: string, sort: NormSort[]): CursorPosition {
  if (typeof cursor !== 'string' || cursor === '') throw bad('empty');
  if (cursor.length > MAX_CURSOR_LENGTH) throw bad('too long');
  if (!/^[A-Za-z0-9_-]+$/.test(cursor) || cursor.length % 4 === 1) throw bad('not base64url');
  let parsed: unknown;
  try {
    parsed = JSON.parse(fromBase64Url(cursor));
  } catch {
    throw bad('not readable');
  }
  if (!Array.isArray(parsed) || parsed.length !== sort.length + 1) throw bad('does not match the sort');
  const id: unknown = parsed[sort.length];
  if (typeof id !== 'string' || id === '' || id.length > MAX_ID_LENGTH) throw bad('bad record id');
  const values: Scalar[] = [];
  for (let i = 0; i < sort.length; i++) {
    const v: unknown = parsed[i];
    const s = sort[i] as NormSort;
    if (!fits(v, s.path.storage)) throw bad(`value ${i + 1} does not fit the sort`);
    values.push(v as Scalar);
  }
  return { values, id };
}
