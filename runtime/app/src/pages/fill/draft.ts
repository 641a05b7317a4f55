// Drafts of a form being filled, kept in localStorage on every change so a closed tab or a
// dropped connection loses nothing. One per form for a new record, one per record for an edit.
import type { RecordData } from '@trellis/core';

export interface Draft {
  value: RecordData;
  savedAt: string;
  /** the record version an edit started from */
  version?: number;
}

/** per user too: on a shared phone, one person's unsent entries never open in another's form */
export function draftKey(userId: string, formId: string, recordId?: string): string {
  return recordId ? `trellis.draft.${userId}.${formId}.${recordId}` : `trellis.draft.${userId}.${formId}`;
}

export function readDraft(key: string): Draft | null {
  try {
    const raw = localStorage.getItem(key);
    if (!raw) return null;
    const d = JSON.parse(raw) as Draft;
    return d && typeof d === 'object' && d.value && typeof d.value === 'object' && !Array.isArray(d.value) ? d : null;
  } catch {
    return null;
  }
}

/** false when the browser refused to keep it (private mode, storage full) */
export function writeDraft(key: string, draft: Draft): boolean {
  try {
    localStorage.setItem(key, JSON.stringify(draft));
    return true;
  } catch {
    return false;
  }
}

export function clearDraft(key: string): void {
  try {
    localStorage.removeItem(key);
  } catch {
    /* nothing kept */
  }
}
