import type { DashboardDefinition, Effect, InstanceState, Label, Partner, PrintTemplateDefinition, RoleInput, TaskStatus, WorkflowDefinition } from '@trellis/core';
import type { Pack } from '@trellis/core';

/**
 * The organisation and security part of the storage port: small documents of a
 * few kinds kept in one generic repository. Each kind names at most one unique
 * key (a user's e-mail, a share link's token hash) and one reference it is
 * listed by (a session's user, a role's app); `entityKeys` says which, so both
 * adapters index the same things.
 */

export interface UserEntity {
  id: string;
  /** lower-case; unique in the workspace */
  email: string;
  name: string;
  status: 'active' | 'disabled';
  admin: boolean;
  departments: string[];
  roles: string[];
  /** external users (suppliers, customers) act for this record only */
  partner: Partner | null;
  /** `scrypt$…` (auth/password.ts), null until a password is set */
  passwordHash: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface DepartmentEntity {
  id: string;
  name: Label;
  parentId: string | null;
  leaderId: string | null;
  order: number;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface RoleEntity extends RoleInput {
  id: string;
  appId: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** A signed-in session; the token names it, so revoking it cuts the token off. */
export interface SessionEntity {
  id: string;
  userId: string;
  createdAt: string;
  expiresAt: string;
  revokedAt: string | null;
  address: string | null;
  userAgent: string | null;
}

export interface ApiKeyEntity {
  id: string;
  userId: string;
  name: string;
  /** sha256 of the secret part, hex */
  hash: string;
  createdAt: string;
  revokedAt: string | null;
}

export interface ShareLinkEntity {
  id: string;
  /** `submit`: anyone with the link may submit the form; `record`: anyone with it may read one record */
  kind: 'submit' | 'record';
  /** sha256 of the link token, hex: the token itself is never stored */
  tokenHash: string;
  formId: string;
  recordId: string | null;
  expiresAt: string | null;
  passwordHash: string | null;
  createdBy: string;
  createdAt: string;
  revokedAt: string | null;
}

export interface AuditEntry {
  /** time-ordered: newest entries have the greatest ids */
  id: string;
  at: string;
  event: string;
  actorId: string | null;
  /** what the event is about: a user, role, key or link id */
  subject: string | null;
  address: string | null;
  details: Record<string, unknown>;
}

/** The workflow of a form: the draft the designer edits and which version is published. Its id is the form id. */
export interface WorkflowEntity {
  id: string;
  formId: string;
  draft: WorkflowDefinition;
  publishedVersion: number;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface WorkflowVersionEntity {
  /** `${formId}.v${version}` */
  id: string;
  formId: string;
  version: number;
  definition: WorkflowDefinition;
  publishedAt: string;
  publishedBy: string | null;
}

/** One run of a workflow over one record. */
export interface InstanceEntity {
  id: string;
  formId: string;
  recordId: string;
  /** the workflow version it started on, and keeps */
  workflowVersion: number;
  state: InstanceState;
  /**
   * effects of the last step not yet carried out; written with the state in one
   * version-checked update, so a crash between the two loses nothing
   */
  outbox: { batch: number; effects: Effect[] } | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** A task in someone's list (a copy of the instance's task, for listing by person). */
export interface TaskEntity {
  id: string;
  instanceId: string;
  formId: string;
  recordId: string;
  node: string;
  nodeName: string | null;
  assignee: string;
  status: TaskStatus;
  createdAt: string;
  decidedAt: string | null;
  by: string | null;
  comment: string | null;
}

export interface NotificationEntity {
  id: string;
  userId: string;
  kind: string;
  formId: string;
  recordId: string;
  instanceId: string;
  taskId: string | null;
  node: string;
  read: boolean;
  createdAt: string;
  /** the text of a `notify` action's message (kind "message") */
  message?: Label;
}

/** A workflow step in a record's timeline. */
export interface FlowLogEntity {
  id: string;
  recordId: string;
  formId: string;
  instanceId: string;
  node: string;
  kind: string;
  by: string | null;
  comment: string | null;
  taskId: string | null;
  at: string;
  /** field changes an approver made at this step */
  changes: { field: string; from: unknown; to: unknown }[];
}

/** A dashboard of an app: widgets over its forms. */
export interface DashboardEntity {
  id: string;
  appId: string;
  definition: DashboardDefinition;
  createdBy: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** A print template of a form: how one record is laid out on paper. */
export interface PrintTemplateEntity {
  id: string;
  formId: string;
  appId: string;
  definition: PrintTemplateDefinition;
  createdBy: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** Which pack an app was installed (or imported) from, and that pack as installed: the base of the next upgrade's merge. Its id is the app id. */
export interface PackInstallEntity {
  id: string;
  appId: string;
  packId: string;
  packVersion: string;
  /** the pack as installed, in pack-local keys, without sample records */
  base: Pack;
  /** pack-local key → id of each form, role, dashboard and sample record the pack created */
  keys: PackKeys;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface PackKeys {
  forms: Record<string, string>;
  roles: Record<string, string>;
  dashboards: Record<string, string>;
  /** form key → record key → record id */
  records: Record<string, Record<string, string>>;
}

export interface EntityTypes {
  workflow: WorkflowEntity;
  workflowVersion: WorkflowVersionEntity;
  instance: InstanceEntity;
  task: TaskEntity;
  notification: NotificationEntity;
  flowLog: FlowLogEntity;
  user: UserEntity;
  department: DepartmentEntity;
  role: RoleEntity;
  session: SessionEntity;
  apiKey: ApiKeyEntity;
  shareLink: ShareLinkEntity;
  audit: AuditEntry;
  dashboard: DashboardEntity;
  packInstall: PackInstallEntity;
  printTemplate: PrintTemplateEntity;
}
export type EntityKind = keyof EntityTypes;

/** The unique key and the listing reference of a document; adapters store both beside it. */
export function entityKeys<K extends EntityKind>(kind: K, doc: EntityTypes[K]): { key: string | null; ref: string | null } {
  const d = doc as EntityTypes[EntityKind];
  switch (kind) {
    case 'user':
      return { key: (d as UserEntity).email, ref: null };
    case 'department':
      return { key: null, ref: (d as DepartmentEntity).parentId };
    case 'role':
      return { key: null, ref: (d as RoleEntity).appId };
    case 'session':
      return { key: null, ref: (d as SessionEntity).userId };
    case 'apiKey':
      return { key: null, ref: (d as ApiKeyEntity).userId };
    case 'shareLink':
      return { key: (d as ShareLinkEntity).tokenHash, ref: (d as ShareLinkEntity).formId };
    case 'audit':
      return { key: null, ref: (d as AuditEntry).actorId };
    case 'workflow':
      return { key: null, ref: null };
    // listed by app
    case 'dashboard':
      return { key: null, ref: (d as DashboardEntity).appId };
    case 'packInstall':
      return { key: null, ref: (d as PackInstallEntity).packId };
    // listed by form
    case 'printTemplate':
      return { key: null, ref: (d as PrintTemplateEntity).formId };
    case 'workflowVersion':
      return { key: null, ref: (d as WorkflowVersionEntity).formId };
    // listed by status: administrators look for the instances in error
    case 'instance':
      return { key: null, ref: (d as InstanceEntity).state.status };
    // listed by person and status: "my open tasks" reads one reference
    case 'task':
      return { key: null, ref: `${(d as TaskEntity).assignee}:${(d as TaskEntity).status}` };
    case 'notification':
      return { key: null, ref: (d as NotificationEntity).userId };
    case 'flowLog':
      return { key: null, ref: (d as FlowLogEntity).recordId };
    default:
      throw new Error(`unknown entity kind ${String(kind)}`);
  }
}

export interface EntityListOptions {
  /** only documents whose reference (see `entityKeys`) equals this */
  ref?: string;
  /** only documents with a smaller id (the next page of a newest-first listing) */
  before?: string;
  /** at most this many (all when absent) */
  limit?: number;
}

export interface EntityRepo {
  /** UNIQUE_VIOLATION (details.field "key") when another document of the kind has the same unique key */
  insert<K extends EntityKind>(kind: K, doc: EntityTypes[K]): Promise<void>;
  get<K extends EntityKind>(kind: K, id: string): Promise<EntityTypes[K] | null>;
  /** the document whose unique key is `key` */
  getByKey<K extends EntityKind>(kind: K, key: string): Promise<EntityTypes[K] | null>;
  /** newest id first */
  list<K extends EntityKind>(kind: K, options?: EntityListOptions): Promise<EntityTypes[K][]>;
  /**
   * replaces the document with `doc` (same id); when `expectedVersion` is a number the stored
   * document's `version` must equal it, else VERSION_CONFLICT; null when missing; UNIQUE_VIOLATION as insert
   */
  update<K extends EntityKind>(kind: K, doc: EntityTypes[K], expectedVersion: number | null): Promise<EntityTypes[K] | null>;
  /** false when missing */
  delete(kind: EntityKind, id: string): Promise<boolean>;
}

export interface ThrottleWindow {
  count: number;
  /** epoch milliseconds when the window ends and the count starts again from zero */
  resetAt: number;
}

/** Fixed-window hit counters shared by every server node (rate limits, login lockout). */
export interface ThrottleRepo {
  /** adds a hit to `key`; a window starts at the first hit after the last one ended and lasts `windowMs` */
  hit(key: string, windowMs: number, now: number): Promise<ThrottleWindow>;
  /** the live window of `key`, null when none (never hit, or ended by `now`) */
  peek(key: string, now: number): Promise<ThrottleWindow | null>;
  clear(key: string): Promise<void>;
  /** removes windows that ended before `now` */
  purge(now: number): Promise<number>;
}
