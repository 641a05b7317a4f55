import type {
  AggregateRow, AppInput, FormDefinition, NormAggregateQuery, NormListQuery, RecordData,
} from '@trellis/core';
import type { EntityRepo, ThrottleRepo } from './entities.js';

export * from './entities.js';

/**
 * The storage port. Two adapters implement it: the embedded SQLite store
 * (store/sqlite) and MongoDB (store/mongo). Both pass store/contract.ts.
 * Adapters are the only code that knows a database; they receive checked,
 * normalized queries (see @trellis/core query/normalized.ts).
 */

export interface AppEntity extends AppInput {
  id: string;
  workspaceId: string;
  version: number;
  createdAt: string;
  updatedAt: string;
  createdBy: string | null;
}

export interface FormEntity {
  id: string;
  appId: string;
  /** the draft the designer edits */
  draft: FormDefinition;
  /** version number of the newest published version, 0 when never published */
  publishedVersion: number;
  /** bumped on every draft save; PUT may carry it to detect concurrent edits */
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface FormVersionEntity {
  formId: string;
  version: number;
  definition: FormDefinition;
  publishedAt: string;
  publishedBy: string | null;
}

export interface RecordEntity {
  id: string;
  formId: string;
  formVersion: number;
  /** optimistic-concurrency version, 1 on create */
  version: number;
  data: RecordData;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
  status: string;
}

export interface FieldChange {
  field: string;
  from: unknown;
  to: unknown;
}

export interface HistoryEntry {
  id: string;
  recordId: string;
  formId: string;
  action: 'create' | 'update' | 'delete';
  by: string | null;
  at: string;
  /** record version after the change */
  version: number;
  changes: FieldChange[];
}

/** A serial number the adapter allocates inside the insert, so a failed insert leaves no gap. */
export interface SerialAllocation {
  field: string;
  /** counter key, e.g. `${formId}:no:20261127`: one sequence per form, field and pattern period */
  counter: string;
  render: (n: number) => string;
}

/** Index wanted on a record field, derived from the published form. */
export interface IndexSpec {
  key: string;
  unique: boolean;
}

export interface ListPage {
  /** at most `limit` records, in sort order */
  items: RecordEntity[];
  /** whether more records follow the last item (adapters fetch limit + 1) */
  hasMore: boolean;
  /** number of records matching the filter, when `count` was asked */
  total?: number;
}

export interface AppRepo {
  create(app: AppEntity): Promise<void>;
  get(id: string): Promise<AppEntity | null>;
  list(workspaceId: string): Promise<AppEntity[]>;
  /** writes when the stored version equals `expectedVersion`; returns null when the app does not exist, throws VERSION_CONFLICT on mismatch */
  update(id: string, expectedVersion: number | null, patch: Partial<AppInput> & { updatedAt: string }): Promise<AppEntity | null>;
  /** deletes the app, its forms, versions, records, history and counters */
  delete(id: string): Promise<boolean>;
}

export interface FormRepo {
  create(form: FormEntity): Promise<void>;
  get(id: string): Promise<FormEntity | null>;
  listByApp(appId: string): Promise<FormEntity[]>;
  /** replaces the draft; VERSION_CONFLICT when `expectedVersion` is given and stale */
  saveDraft(id: string, draft: FormDefinition, expectedVersion: number | null, updatedAt: string): Promise<FormEntity | null>;
  /** stores a new published version (publishedVersion + 1) and returns it */
  publish(id: string, definition: FormDefinition, by: string | null, at: string): Promise<FormVersionEntity>;
  getVersion(formId: string, version: number): Promise<FormVersionEntity | null>;
  listVersions(formId: string): Promise<FormVersionEntity[]>;
}

export interface RecordRepo {
  /** creates or drops indexes so the form's record storage has exactly `specs` (plus the built-in ones); a unique index that existing records violate throws UNIQUE_VIOLATION */
  syncIndexes(formId: string, specs: IndexSpec[]): Promise<void>;
  /** inserts the record and its history entry atomically, filling serial fields first; UNIQUE_VIOLATION names the field */
  insert(record: RecordEntity, history: HistoryEntry, serials: SerialAllocation[]): Promise<RecordEntity>;
  /** inserts many records of one form (an import, a seed) all or nothing in one transaction where the database has them; serials as in `insert` */
  insertMany(formId: string, items: { record: RecordEntity; history: HistoryEntry; serials: SerialAllocation[] }[]): Promise<RecordEntity[]>;
  get(formId: string, id: string): Promise<RecordEntity | null>;
  /** ids among `ids` that exist in the form */
  existing(formId: string, ids: string[]): Promise<string[]>;
  getMany(formId: string, ids: string[]): Promise<RecordEntity[]>;
  /** replaces data when the stored version is `expectedVersion`; null when missing; VERSION_CONFLICT when stale; UNIQUE_VIOLATION names the field */
  update(next: RecordEntity, expectedVersion: number, history: HistoryEntry): Promise<RecordEntity | null>;
  /** deletes and records the history entry; false when missing */
  delete(formId: string, id: string, history: HistoryEntry): Promise<boolean>;
  find(formId: string, query: NormListQuery): Promise<ListPage>;
  count(formId: string, query: Pick<NormListQuery, 'filter'>): Promise<number>;
  aggregate(formId: string, query: NormAggregateQuery): Promise<AggregateRow[]>;
  history(recordId: string): Promise<HistoryEntry[]>;
}

export interface CounterRepo {
  /** atomically increments and returns the counter (1 for a new key) */
  next(key: string): Promise<number>;
  peek(key: string): Promise<number>;
}

export interface Store {
  readonly kind: 'sqlite' | 'mongo';
  apps: AppRepo;
  forms: FormRepo;
  records: RecordRepo;
  counters: CounterRepo;
  /** users, departments, roles, sessions, API keys, share links, audit entries */
  entities: EntityRepo;
  /** fixed-window hit counters for rate limits and lockouts */
  throttle: ThrottleRepo;
  /** creates tables/collections and runs pending migrations */
  migrate(): Promise<void>;
  ping(): Promise<boolean>;
  close(): Promise<void>;
}
