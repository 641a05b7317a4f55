// Shapes of the API replies the runtime pages read (server/src/routes/*.ts answer them).
import type { FormDefinition, Label, RecordData } from '@trellis/core';

export interface AppItem {
  id: string;
  name: Label;
  description?: Label;
  icon?: string;
  color?: string;
}

export interface FormPermissions {
  design: boolean;
  actions: string[];
  hidden: string[];
  readOnly: string[];
}

export interface FormItem {
  id: string;
  appId: string;
  publishedVersion: number;
  permissions?: FormPermissions;
  published?: { version: number; definition: FormDefinition; jsonSchema: unknown; uiSchema: unknown } | null;
}

export interface RecordItem {
  id: string;
  formId: string;
  version: number;
  data: RecordData;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
  /** 'active' without a workflow; else running, approved (or an end node's status), rejected, returned, withdrawn */
  status: string;
}

export interface ListReply {
  items: RecordItem[];
  nextCursor: string | null;
}

export interface TaskItem {
  id: string;
  instanceId: string;
  formId: string;
  recordId: string;
  node: string;
  nodeName: string | null;
  assignee: string;
  status: string;
  createdAt: string;
  decidedAt: string | null;
  by: string | null;
  comment: string | null;
  formName: Label | null;
  title: string | null;
  submitter: string | null;
  stepName: Label | null;
}

export interface Change {
  field: string;
  from: unknown;
  to: unknown;
}

export interface WorkflowStep {
  id: string;
  node: string;
  nodeName: Label | null;
  kind: string;
  by: string | null;
  comment: string | null;
  taskId: string | null;
  at: string;
  changes: Change[];
}

export interface HistoryEntry {
  id: string;
  action: 'create' | 'update' | 'delete';
  by: string | null;
  at: string;
  version: number;
  changes: Change[];
}

export interface TimelineReply {
  items: HistoryEntry[];
  workflow: WorkflowStep[];
}

export interface InstanceTask {
  id: string;
  node: string;
  assignee: string;
  status: string;
}

export interface InstanceReply {
  id: string;
  status: 'running' | 'completed' | 'rejected' | 'returned' | 'withdrawn' | 'error';
  outcome: string | null;
  submitter: string;
  tasks: InstanceTask[];
  nodeNames?: Record<string, Label>;
}

export interface TaskView {
  task: TaskItem;
  record: RecordItem;
  editable: string[];
  hidden: string[];
  form: { id: string; name: Label; definition: FormDefinition } | null;
  steps: WorkflowStep[];
}

export interface NotificationItem {
  id: string;
  kind: string;
  formId: string;
  recordId: string;
  instanceId: string;
  taskId: string | null;
  node: string;
  read: boolean;
  createdAt: string;
  /** kind "message": the text a notify action sent */
  message?: Label;
}

export interface UserItem {
  id: string;
  email: string;
  name: string;
  status: 'active' | 'disabled';
}
