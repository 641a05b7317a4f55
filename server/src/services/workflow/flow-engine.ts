import {
  newInstance, step, TrellisError,
  type Automation, type Effect, type WorkflowDefinition, type WorkflowEvent,
} from '@trellis/core';
import { isPermanent, type Job, type JobQueue } from '../../jobs/port.js';
import type { InstanceEntity, Store, TaskEntity, WorkflowVersionEntity } from '../../store/port.js';
import type { AccessService } from '../access/access-service.js';
import type { FormCatalog, PublishedForm } from '../form-catalog.js';
import type { RecordService } from '../record-service.js';
import type { ActionRunner } from './action-runner.js';
import { resolveAssignee } from './assignees.js';

export const WORKFLOW_QUEUE = 'workflow';
// Safety nets: a job added before each write, run this long after it, finishes what a crash cut short.
const SAFETY_DELAY_MS = 3000;
const ACTION_ATTEMPTS = 5;
const MAX_RETRIES = 20;
// which workflow version is current is read at most once a second per form on each node
const CURRENT_TTL_MS = 1000;

interface EventJob { instanceId: string; event: WorkflowEvent }
interface ActionJob { instanceId: string; key: string; token: string; node: string }
interface StartJob { formId: string; recordId: string }
interface OutboxJob { instanceId: string; version: number }


export interface Logger {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/**
 * Runs workflow instances: starts one when a record of a form with a
 * published workflow is created, applies events through the pure step
 * function with a version check, and carries out its effects. The state and
 * the effects still to do are written together (an outbox), and a delayed
 * safety job is queued before every write, so a crash at any point leaves
 * the work done or redone, never lost; every effect is idempotent.
 */
export class FlowEngine {
  private readonly current = new Map<string, { at: number; version: WorkflowVersionEntity | null }>();
  private readonly versions = new Map<string, WorkflowDefinition>();

  constructor(
    private readonly store: Store,
    private readonly catalog: FormCatalog,
    private readonly records: RecordService,
    private readonly access: AccessService,
    private readonly jobs: JobQueue,
    private readonly actions: ActionRunner,
    private readonly log: Logger,
    private readonly backoffMs = 1000,
  ) {}

  /** Starts listening to record writes and, on a node that works jobs, registers the job handlers. */
  async attach(work = true): Promise<void> {
    this.records.observe({
      creating: async (published, recordId) => {
        if (!(await this.publishedWorkflow(published.form.id))) return;
        await this.jobs.add(WORKFLOW_QUEUE, 'start', { formId: published.form.id, recordId } satisfies StartJob, { jobId: `start.${recordId}`, delayMs: SAFETY_DELAY_MS });
      },
      created: async (published, record) => {
        try {
          await this.start(published, record.id);
        } catch (err) {
          // the safety job queued in `creating` starts it again
          this.log.error({ err, recordId: record.id }, 'could not start the workflow; the safety job will');
        }
      },
    });
    if (work) await this.jobs.work(WORKFLOW_QUEUE, (job) => this.handle(job), { concurrency: 8 });
  }

  /** The published workflow version of a form, whatever it holds (read at most once a second per form). */
  async publishedVersion(formId: string): Promise<WorkflowVersionEntity | null> {
    const hit = this.current.get(formId);
    if (hit && Date.now() - hit.at < CURRENT_TTL_MS) return hit.version;
    const wf = await this.store.entities.get('workflow', formId);
    const version = wf && wf.publishedVersion > 0 ? await this.store.entities.get('workflowVersion', `${formId}.v${wf.publishedVersion}`) : null;
    if (this.current.size > 10_000) this.current.clear();
    this.current.set(formId, { at: Date.now(), version });
    return version;
  }

  /** A version was published on this node: read it at once. */
  forget(formId: string): void {
    this.current.delete(formId);
  }

  /** The published workflow version of a form when it has an approval graph, else null. */
  async publishedWorkflow(formId: string): Promise<WorkflowVersionEntity | null> {
    const v = await this.publishedVersion(formId);
    return v && v.definition.nodes.length > 0 ? v : null;
  }

  /** The automations of the form's published workflow. */
  async publishedAutomations(formId: string): Promise<Automation[]> {
    return (await this.publishedVersion(formId))?.definition.automations ?? [];
  }

  /** Starts the workflow of a new record (idempotent: the instance id is derived from the record id). */
  async start(published: PublishedForm, recordId: string): Promise<InstanceEntity | null> {
    const version = await this.publishedWorkflow(published.form.id);
    if (!version) return null;
    const id = instanceIdOf(recordId);
    const existing = await this.store.entities.get('instance', id);
    if (existing) return existing;
    const record = await this.store.records.get(published.form.id, recordId);
    if (!record) return null;
    const now = new Date().toISOString();
    const instance: InstanceEntity = {
      id, formId: published.form.id, recordId, workflowVersion: version.version, state: newInstance(record.createdBy ?? 'anonymous'),
      outbox: null, version: 0, createdAt: now, updatedAt: now,
    };
    try {
      await this.store.entities.insert('instance', instance);
    } catch (e) {
      if (e instanceof TrellisError && e.code === 'CONFLICT') return this.store.entities.get('instance', id);
      throw e;
    }
    return this.apply(id, { type: 'start' });
  }

  /**
   * Applies an event to an instance: carries out any effects left from before,
   * steps, writes the new state with its effects (version-checked, retried
   * on a concurrent change), then carries the effects out. The step's own
   * CONFLICT (a decided task) and FORBIDDEN reach the caller.
   */
  async apply(instanceId: string, event: WorkflowEvent, beforeWrite?: (instance: InstanceEntity) => Promise<void>): Promise<InstanceEntity> {
    for (let attempt = 0; attempt < MAX_RETRIES; attempt++) {
      let instance = await this.store.entities.get('instance', instanceId);
      if (!instance) throw new TrellisError('NOT_FOUND', `Workflow instance "${instanceId}" not found`);
      if (instance.outbox) {
        await this.carryOut(instance);
        const cleared = await this.clearOutbox(instance);
        if (!cleared) continue;
        instance = cleared;
      }
      const definition = await this.definition(instance);
      const record = await this.store.records.get(instance.formId, instance.recordId);
      const dir = await this.access.directory();
      const result = step(definition, instance.state, event, {
        instanceId, now: new Date(), record: record?.data ?? {}, resolve: (a, submitter) => resolveAssignee(dir, a, submitter, record?.data ?? {}),
      });
      if (beforeWrite) await beforeWrite(instance);
      const next: InstanceEntity = { ...instance, state: result.state, outbox: { batch: instance.version + 1, effects: result.effects }, version: instance.version + 1, updatedAt: new Date().toISOString() };
      await this.jobs.add(WORKFLOW_QUEUE, 'outbox', { instanceId, version: next.version } satisfies OutboxJob, { jobId: `outbox.${instanceId}.${next.version}`, delayMs: SAFETY_DELAY_MS });
      try {
        await this.store.entities.update('instance', next, instance.version);
      } catch (e) {
        if (e instanceof TrellisError && e.code === 'VERSION_CONFLICT') continue;
        throw e;
      }
      await this.carryOut(next);
      return (await this.clearOutbox(next)) ?? next;
    }
    throw new TrellisError('CONFLICT', 'The workflow kept changing; try again');
  }

  /** An admin puts an instance in error through its failed step again. */
  retry(instanceId: string, by: string): Promise<InstanceEntity> {
    return this.apply(instanceId, { type: 'retry', by });
  }

  /** The definition an instance runs on; published versions never change, so they are kept once read. */
  async definition(instance: InstanceEntity): Promise<WorkflowDefinition> {
    const id = `${instance.formId}.v${instance.workflowVersion}`;
    const hit = this.versions.get(id);
    if (hit) return hit;
    const v = await this.store.entities.get('workflowVersion', id);
    if (!v) throw new TrellisError('INTERNAL', `Workflow version ${instance.workflowVersion} of form "${instance.formId}" is missing`);
    if (this.versions.size > 1000) this.versions.clear();
    this.versions.set(id, v.definition);
    return v.definition;
  }

  private async clearOutbox(instance: InstanceEntity): Promise<InstanceEntity | null> {
    const next = { ...instance, outbox: null, version: instance.version + 1 };
    try {
      return await this.store.entities.update('instance', next, instance.version);
    } catch (e) {
      // someone else moved on; they carry out (or already carried out) the same effects
      if (e instanceof TrellisError && e.code === 'VERSION_CONFLICT') return null;
      throw e;
    }
  }

  /** Carries out the instance's pending effects; each is idempotent, so doing them twice writes once. */
  private async carryOut(instance: InstanceEntity): Promise<void> {
    if (!instance.outbox) return;
    const { batch, effects } = instance.outbox;
    const definition = await this.definition(instance);
    const names = new Map(definition.nodes.map((n) => [n.id, typeof n.name === 'string' ? n.name : (n.name?.en ?? n.name?.zh ?? null)]));
    for (const [i, effect] of effects.entries()) {
      await this.effect(instance, effect, `${instance.id}-b${batch}-${i}`, names);
    }
  }

  private async effect(instance: InstanceEntity, e: Effect, effectId: string, names: Map<string, string | null>): Promise<void> {
    const at = new Date().toISOString();
    switch (e.type) {
      case 'task.open': {
        const task: TaskEntity = {
          id: e.task.id, instanceId: instance.id, formId: instance.formId, recordId: instance.recordId, node: e.task.node,
          nodeName: names.get(e.task.node) ?? null, assignee: e.task.assignee, status: 'open', createdAt: e.task.createdAt,
          decidedAt: null, by: null, comment: null,
        };
        await insertOnce(this.store, 'task', task);
        return;
      }
      case 'task.close': {
        const task = await this.store.entities.get('task', e.taskId);
        const state = instance.state.tasks.find((t) => t.id === e.taskId);
        if (!task || task.status === e.status) return;
        await this.store.entities.update('task', { ...task, status: e.status, decidedAt: state?.decidedAt ?? at, by: state?.by ?? null, comment: state?.comment ?? null }, null);
        return;
      }
      case 'notify':
        for (const [j, userId] of e.users.entries()) {
          await insertOnce(this.store, 'notification', {
            id: `${effectId}-${j}`, userId, kind: e.kind, formId: instance.formId, recordId: instance.recordId, instanceId: instance.id,
            taskId: e.taskId ?? null, node: e.node, read: false, createdAt: at,
          });
        }
        return;
      case 'log':
        await insertOnce(this.store, 'flowLog', {
          id: effectId, recordId: instance.recordId, formId: instance.formId, instanceId: instance.id, node: e.node, kind: e.kind,
          by: e.by, comment: e.comment, taskId: e.taskId ?? null, at, changes: [],
        });
        return;
      case 'record.status':
        await this.records.setStatus(instance.formId, instance.recordId, e.status, null);
        return;
      // the job id names this step of the instance (a retry after an error is a new step); the action
      // itself is idempotent by `e.key`, which stays the same
      case 'action.run':
        await this.jobs.add(WORKFLOW_QUEUE, 'action', { instanceId: instance.id, key: e.key, token: e.token, node: e.node } satisfies ActionJob, { jobId: `action:${effectId}`, attempts: ACTION_ATTEMPTS, backoffMs: this.backoffMs });
        return;
      case 'timer.set':
        await this.jobs.add(WORKFLOW_QUEUE, 'event', { instanceId: instance.id, event: e.event } satisfies EventJob, { jobId: `timer:${instance.id}:${e.key}`, delayMs: Math.max(0, Date.parse(e.at) - Date.now()) });
        return;
      case 'timer.cancel':
        await this.jobs.cancel(WORKFLOW_QUEUE, `timer:${instance.id}:${e.key}`);
        return;
    }
  }

  private async handle(job: Job): Promise<void> {
    switch (job.name) {
      case 'start': {
        const { formId, recordId } = job.data as StartJob;
        const published = await this.catalog.published(formId).catch(() => null);
        if (published) await this.start(published, recordId);
        return;
      }
      case 'outbox': {
        const { instanceId } = job.data as OutboxJob;
        const instance = await this.store.entities.get('instance', instanceId);
        if (instance?.outbox) {
          await this.carryOut(instance);
          await this.clearOutbox(instance);
        }
        return;
      }
      case 'event': {
        const { instanceId, event } = job.data as EventJob;
        try {
          await this.apply(instanceId, event);
        } catch (e) {
          // a timer for a task decided meanwhile, a duplicate delivery: nothing left to do
          if (e instanceof TrellisError && (e.code === 'CONFLICT' || e.code === 'NOT_FOUND')) return;
          throw e;
        }
        return;
      }
      case 'action': {
        const { instanceId, key, token, node } = job.data as ActionJob;
        const instance = await this.store.entities.get('instance', instanceId);
        if (!instance) return;
        const definition = await this.definition(instance);
        const n = definition.nodes.find((x) => x.id === node);
        if (!n || n.type !== 'action') return;
        try {
          await this.actions.run(n.action, key, instance);
        } catch (e) {
          const last = isPermanent(e) || job.attempt >= ACTION_ATTEMPTS;
          if (!last) throw e;
          await this.apply(instanceId, { type: 'actionFailed', token, message: e instanceof Error ? e.message : String(e) });
          return;
        }
        await this.apply(instanceId, { type: 'actionDone', token });
        return;
      }
      default:
        this.log.warn({ name: job.name }, 'unknown workflow job');
    }
  }
}

/** One instance per record: its id is derived from the record's. */
export function instanceIdOf(recordId: string): string {
  return `wf-${recordId}`.slice(0, 64);
}

async function insertOnce<K extends 'task' | 'notification' | 'flowLog'>(store: Store, kind: K, doc: Parameters<Store['entities']['insert']>[1] & { id: string }): Promise<void> {
  try {
    await store.entities.insert(kind, doc as never);
  } catch (e) {
    if (e instanceof TrellisError && e.code === 'CONFLICT') return; // done before a crash
    throw e;
  }
}
