import type { AggregateRow } from '@trellis/core';
import type { ChangeBus } from './change-bus.js';

interface Entry {
  epoch: number;
  at: number;
  rows: Promise<AggregateRow[]>;
}

/**
 * Dashboard aggregates, kept until a record of their form changes. When a
 * record changes, every open dashboard refetches at once: viewers whose
 * widgets come down to the same store query (the same filter, data scope
 * included) share one computation, and a computation already running is
 * joined rather than started again. A form's entries go stale as the change
 * bus tells of a write (on any node, with Redis); an entry is also dropped
 * after `maxAgeMs` (relative dates move on) and the oldest go beyond
 * `maxEntries`.
 */
export class AggregateCache {
  private readonly epochs = new Map<string, number>();
  private readonly entries = new Map<string, Entry>();

  constructor(
    bus: ChangeBus,
    private readonly maxEntries = 500,
    private readonly maxAgeMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {
    bus.subscribe((formId) => this.epochs.set(formId, (this.epochs.get(formId) ?? 0) + 1));
  }

  /** The rows of a store query, `key` naming it exactly (the normalized query with the data scope). */
  rows(formId: string, key: string, compute: () => Promise<AggregateRow[]>): Promise<AggregateRow[]> {
    const id = `${formId}\n${key}`;
    const epoch = this.epochs.get(formId) ?? 0;
    const hit = this.entries.get(id);
    if (hit && hit.epoch === epoch && this.now() - hit.at < this.maxAgeMs) {
      // most recently used last: the oldest go first
      this.entries.delete(id);
      this.entries.set(id, hit);
      return hit.rows;
    }
    const rows = compute();
    const entry: Entry = { epoch, at: this.now(), rows };
    this.entries.delete(id);
    this.entries.set(id, entry);
    // a failure is not kept: the next viewer tries again
    rows.catch(() => {
      if (this.entries.get(id) === entry) this.entries.delete(id);
    });
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    return rows;
  }

  get size(): number {
    return this.entries.size;
  }
}
