import { visibleDefinition, type FormDefinition, type Label, type WorkflowDefinition } from '@trellis/core';
import type { FlowLogEntity, InstanceEntity, RecordEntity, Store, TaskEntity } from '../../store/port.js';
import type { UserActor } from '../access/actor.js';
import type { FormCatalog, PublishedForm } from '../form-catalog.js';
import type { FlowEngine } from './flow-engine.js';
import type { TaskListStatus, TaskService } from './task-service.js';

/** What a phone shows beside a task: the form's name, the record's title, who submitted it, the step's name. */
export interface TaskBrief {
  formName: Label | null;
  /** the record's title field (the first text field when the form names none); null when the step hides it */
  title: string | null;
  submitter: string | null;
  stepName: Label | null;
}

export type StepView = FlowLogEntity & { nodeName: Label | null };

export interface TaskView {
  task: TaskEntity & TaskBrief;
  record: RecordEntity;
  editable: string[];
  hidden: string[];
  /** the form as the step shows it (hidden fields left out); null when it is no longer published */
  form: { id: string; name: Label; definition: FormDefinition } | null;
  steps: StepView[];
}

/** node id → its name, for the nodes that have one */
export function nodeNames(definition: WorkflowDefinition): Map<string, Label> {
  const out = new Map<string, Label>();
  for (const n of definition.nodes) if (n.name !== undefined) out.set(n.id, n.name);
  return out;
}

/** the fields an approval node hides from its approvers */
export function stepHidden(definition: WorkflowDefinition, node: string): Set<string> {
  const n = definition.nodes.find((x) => x.id === node);
  const fields = n?.type === 'approval' ? (n.fields ?? {}) : {};
  return new Set(Object.entries(fields).filter(([, a]) => a === 'hidden').map(([k]) => k));
}

export function titleFieldOf(definition: FormDefinition): string | null {
  return definition.titleField ?? definition.fields.find((f) => f.type === 'text')?.key ?? null;
}

/**
 * Read models of tasks and workflow steps for the runtime: an approver lists their tasks and opens
 * one in a request each, without a role on the form. A form is read once per request, however
 * many tasks share it.
 */
export class TaskViews {
  constructor(
    private readonly store: Store,
    private readonly catalog: FormCatalog,
    private readonly tasks: TaskService,
    private readonly engine: FlowEngine,
  ) {}

  async list(actor: UserActor, status: TaskListStatus, limit: number): Promise<(TaskEntity & TaskBrief)[]> {
    const tasks = await this.tasks.list(actor, status, limit);
    const reads = this.reads();
    return Promise.all(tasks.map(async (t) => ({ ...t, ...(await this.brief(t, reads)) })));
  }

  /** one of the caller's tasks with its record as the step shows it, the form without the hidden fields, and the steps so far */
  async open(actor: UserActor, taskId: string): Promise<TaskView> {
    const view = await this.tasks.record(actor, taskId);
    const reads = this.reads();
    const hidden = new Set(view.hidden);
    const published = await reads.form(view.task.formId);
    const steps = await this.steps(view.task.recordId, hidden);
    return {
      ...view,
      task: { ...view.task, ...(await this.brief(view.task, reads)) },
      form: published && { id: view.task.formId, name: published.version.definition.name, definition: visibleDefinition(published.version.definition, hidden) },
      steps,
    };
  }

  /** a record's workflow steps, oldest first, with node names and without changes to `hidden` fields */
  async steps(recordId: string, hidden: ReadonlySet<string>): Promise<StepView[]> {
    const steps = await this.tasks.steps(recordId);
    const names = steps.length ? await this.nodeNames(await this.tasks.instance(recordId)) : new Map<string, Label>();
    return steps.map((s) => ({ ...s, nodeName: names.get(s.node) ?? null, changes: s.changes.filter((c) => !hidden.has(c.field)) }));
  }

  /** names of an instance's workflow nodes (empty without an instance) */
  async nodeNames(instance: InstanceEntity | null): Promise<Map<string, Label>> {
    return instance ? nodeNames(await this.engine.definition(instance)) : new Map();
  }

  private async brief(task: TaskEntity, reads: ReturnType<TaskViews['reads']>): Promise<TaskBrief> {
    const [published, instance, record] = await Promise.all([
      reads.form(task.formId),
      this.store.entities.get('instance', task.instanceId),
      this.store.records.get(task.formId, task.recordId),
    ]);
    const definition = instance ? await this.engine.definition(instance).catch(() => null) : null;
    const hidden = definition ? stepHidden(definition, task.node) : new Set<string>();
    const titleKey = published ? titleFieldOf(published.version.definition) : null;
    const raw = titleKey && !hidden.has(titleKey) ? record?.data[titleKey] : undefined;
    return {
      formName: published?.version.definition.name ?? null,
      title: typeof raw === 'string' || typeof raw === 'number' ? String(raw) : null,
      submitter: instance?.state.submitter ?? null,
      stepName: definition ? (nodeNames(definition).get(task.node) ?? null) : null,
    };
  }

  // per-request memo of published forms (a form removed since reads as null); the engine caches workflow versions itself
  private reads() {
    const forms = new Map<string, Promise<PublishedForm | null>>();
    return {
      form: (formId: string) => {
        if (!forms.has(formId)) forms.set(formId, this.catalog.published(formId).catch(() => null));
        return forms.get(formId)!;
      },
    };
  }
}
