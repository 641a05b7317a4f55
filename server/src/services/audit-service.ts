import type { AuditEntry, Store } from '../store/port.js';
import { newId } from './ids.js';

export interface AuditEvent {
  event: string;
  actorId: string | null;
  subject?: string | null;
  address?: string | null;
  details?: Record<string, unknown>;
}

/** Security events (sign-ins, failures, permission changes, keys, links), kept for administrators to read. */
export class AuditService {
  constructor(private readonly store: Store) {}

  async record(e: AuditEvent): Promise<void> {
    const entry: AuditEntry = {
      id: newId(), at: new Date().toISOString(), event: e.event, actorId: e.actorId,
      subject: e.subject ?? null, address: e.address ?? null, details: e.details ?? {},
    };
    await this.store.entities.insert('audit', entry);
  }

  /** Newest first; `before` is the last id of the previous page. */
  list(options: { before?: string; limit: number; actorId?: string }): Promise<AuditEntry[]> {
    const { before, limit, actorId } = options;
    return this.store.entities.list('audit', { limit, ...(before ? { before } : {}), ...(actorId ? { ref: actorId } : {}) });
  }
}
