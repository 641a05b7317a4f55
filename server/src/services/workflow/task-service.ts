import { stripHidden, TrellisError, type RecordData, type WorkflowEvent } from '@trellis/core';
import { forbidden, notFound } from '../../http/errors.js';
import type { FlowLogEntity, InstanceEntity, NotificationEntity, RecordEntity, Store, TaskEntity } from '../../store/port.js';
import type { AccessService } from '../access/access-service.js';
import type { UserActor } from '../access/actor.js';
import { diffData } from '../diff.js';
import type { RecordService } from '../record-service.js';
import { instanceIdOf, type FlowEngine } from './flow-engine.js';

export type TaskDecision =
  | { kind: 'approve'; comment?: string; data?: RecordData; version?: number }
  | { kind: 'reject'; comment?: string }
  | { kind: 'return'; comment?: string; to?: string }
  | { kind: 'transfer'; comment?: string; to: string }
  | { kind: 'comment'; comment: string };

const TASK_STATUSES = ['open', 'approved', 'rejected', 'returned', 'transferred', 'escalated', 'cancelled'] as const;
export type TaskListStatus = (typeof TASK_STATUSES)[number];

/** People's tasks and notifications, and what they do with them. */
export class TaskService {
  constructor(
    private readonly store: Store,
    private readonly records: RecordService,
    private readonly access: AccessService,
    private readonly engine: FlowEngine,
  ) {}

  /** The caller's tasks with this status, newest first. */
  list(actor: UserActor, status: TaskListStatus = 'open', limit = 100): Promise<TaskEntity[]> {
    return this.store.entities.list('task', { ref: `${actor.id}:${status}`, limit });
  }

  /**
   * Approve, reject, return, transfer or comment on a task. Only its assignee
   * may; a task decided meanwhile (another approver of an any-one step was
   * faster) is a 409. An approval may carry changes to the fields the step
   * makes editable.
   */
  async act(actor: UserActor, taskId: string, decision: TaskDecision): Promise<TaskEntity> {
    const task = await this.store.entities.get('task', taskId);
    if (!task) throw notFound('Task', taskId);
    if (task.assignee !== actor.id) throw forbidden('This task is assigned to someone else');
    const event = this.event(actor, taskId, decision);
    let before: (instance: InstanceEntity) => Promise<void> = async () => undefined;
    // The edit is written just before the instance (after the step accepted the approval). If another
    // approval wins the race for the instance in between, this one gets its 409 but the edit stays:
    // rare (the same task approved twice at once), and the edit was the assignee's to make.
    if (decision.kind === 'approve' && decision.data && Object.keys(decision.data).length > 0) {
      const { data, version } = decision;
      before = async (instance) => this.editAtStep(actor, instance, task, data, version);
    }
    await this.engine.apply(task.instanceId, event, before);
    return (await this.store.entities.get('task', taskId)) ?? task;
  }

  /**
   * The record behind one of the caller's tasks, as the task's step shows it: an approver reads
   * it whatever their roles say about the form, without the fields the step hides, and learns
   * which fields they may change.
   */
  async record(actor: UserActor, taskId: string): Promise<{ task: TaskEntity; record: RecordEntity; editable: string[]; hidden: string[] }> {
    const task = await this.store.entities.get('task', taskId);
    if (!task || task.assignee !== actor.id) throw notFound('Task', taskId);
    const instance = await this.store.entities.get('instance', task.instanceId);
    const record = await this.store.records.get(task.formId, task.recordId);
    if (!instance || !record) throw notFound('Task', taskId);
    const node = (await this.engine.definition(instance)).nodes.find((n) => n.id === task.node);
    const fields = node?.type === 'approval' ? (node.fields ?? {}) : {};
    const hidden = Object.entries(fields).filter(([, a]) => a === 'hidden').map(([k]) => k);
    const editable = task.status === 'open' ? Object.entries(fields).filter(([, a]) => a === 'editable').map(([k]) => k) : [];
    return { task, record: { ...record, data: stripHidden(record.data, new Set(hidden)) }, editable, hidden };
  }

  /** The submitter takes a record back before anyone decided. */
  async withdraw(actor: UserActor, recordId: string): Promise<InstanceEntity> {
    return this.engine.apply(await this.instanceOf(actor, recordId), { type: 'withdraw', by: actor.id });
  }

  /** The submitter sends a returned record through the workflow again. */
  async resubmit(actor: UserActor, recordId: string): Promise<InstanceEntity> {
    return this.engine.apply(await this.instanceOf(actor, recordId), { type: 'resubmit', by: actor.id });
  }

  /** Workflow steps of a record, oldest first (for its timeline). */
  async steps(recordId: string): Promise<FlowLogEntity[]> {
    return (await this.store.entities.list('flowLog', { ref: recordId })).reverse();
  }

  async instance(recordId: string): Promise<InstanceEntity | null> {
    return this.store.entities.get('instance', instanceIdOf(recordId));
  }

  /** Instances in error, for administrators to look at and retry. */
  async failed(actor: UserActor): Promise<InstanceEntity[]> {
    this.access.requireAdmin(actor);
    return this.store.entities.list('instance', { ref: 'error', limit: 500 });
  }

  async retry(actor: UserActor, instanceId: string): Promise<InstanceEntity> {
    this.access.requireAdmin(actor);
    return this.engine.retry(instanceId, actor.id);
  }

  async notifications(actor: UserActor, unreadOnly: boolean, limit = 100): Promise<NotificationEntity[]> {
    const all = await this.store.entities.list('notification', { ref: actor.id, limit: unreadOnly ? 1000 : limit });
    return (unreadOnly ? all.filter((n) => !n.read) : all).slice(0, limit);
  }

  async markRead(actor: UserActor, id: string): Promise<void> {
    const n = await this.store.entities.get('notification', id);
    if (!n || n.userId !== actor.id) throw notFound('Notification', id);
    if (!n.read) await this.store.entities.update('notification', { ...n, read: true }, null);
  }

  private event(actor: UserActor, taskId: string, d: TaskDecision): WorkflowEvent {
    const comment = d.comment === undefined ? {} : { comment: d.comment };
    switch (d.kind) {
      case 'approve': return { type: 'approve', taskId, by: actor.id, ...comment };
      case 'reject': return { type: 'reject', taskId, by: actor.id, ...comment };
      case 'return': return { type: 'return', taskId, by: actor.id, ...comment, ...(d.to ? { to: d.to } : {}) };
      case 'transfer': {
        return { type: 'transfer', taskId, by: actor.id, to: d.to, ...comment };
      }
      case 'comment': return { type: 'comment', taskId, by: actor.id, comment: d.comment };
    }
  }

  /** Applies an approver's edits: only the fields the step makes editable, validated like any edit. */
  private async editAtStep(actor: UserActor, instance: InstanceEntity, task: TaskEntity, data: RecordData, version: number | undefined): Promise<void> {
    const node = (await this.engine.definition(instance)).nodes.find((n) => n.id === task.node);
    const editable = new Set(Object.entries(node?.type === 'approval' ? (node.fields ?? {}) : {}).filter(([, a]) => a === 'editable').map(([k]) => k));
    const record = await this.store.records.get(instance.formId, instance.recordId);
    if (!record) throw notFound('Record', instance.recordId);
    const notEditable = Object.keys(data).filter((k) => !editable.has(k));
    if (notEditable.length) {
      throw new TrellisError('VALIDATION_FAILED', `Not editable at this step: ${notEditable.join(', ')}`, {
        fields: notEditable.map((field) => ({ field, code: 'readOnly', message: { en: 'Not editable at this step', zh: '此节点不可编辑' } })),
      });
    }
    const locked = new Set(Object.keys(record.data).concat(Object.keys(data)).filter((k) => !editable.has(k)));
    const saved = await this.records.update(instance.formId, instance.recordId, data, version ?? record.version, { kind: 'system', onBehalfOf: actor.id }, { locked });
    const changes = diffData(record.data, saved.data);
    if (changes.length) {
      const log: FlowLogEntity = {
        id: `${task.id}-edit-${saved.version}`, recordId: instance.recordId, formId: instance.formId, instanceId: instance.id, node: task.node,
        kind: 'edited', by: actor.id, comment: null, taskId: task.id, at: saved.updatedAt, changes,
      };
      await this.store.entities.insert('flowLog', log).catch(() => undefined);
    }
  }

  /** The record's instance, for its submitter. */
  private async instanceOf(actor: UserActor, recordId: string): Promise<string> {
    const instance = await this.store.entities.get('instance', instanceIdOf(recordId));
    if (!instance || instance.state.submitter !== actor.id) throw notFound('Workflow of record', recordId);
    return instance.id;
  }
}

export { TASK_STATUSES };
