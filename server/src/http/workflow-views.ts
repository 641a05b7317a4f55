import { Type } from '@sinclair/typebox';
import { LabelSchema, type FormDefinition, type Label, type WorkflowDefinition } from '@trellis/core';
import type { FastifyInstance } from 'fastify';
import type { InstanceEntity, TaskEntity } from '../store/port.js';

// What the runtime shows beside a task or a workflow step: the step's name in both languages, the
// form's name, the record's title and who submitted it. Read here so a phone lists its tasks in one
// request, without the approver needing a role on the form.

export const TaskBriefProperties = {
  formName: Type.Union([LabelSchema, Type.Null()]),
  /** the record's title field (the first text field when the form names none); null when the step hides it */
  title: Type.Union([Type.String(), Type.Null()]),
  submitter: Type.Union([Type.String(), Type.Null()]),
  stepName: Type.Union([LabelSchema, Type.Null()]),
};

export interface TaskBrief {
  formName: Label | null;
  title: string | null;
  submitter: string | null;
  stepName: Label | null;
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

/** names of a record's workflow nodes (empty when it has no workflow) */
export async function instanceNodeNames(app: FastifyInstance, instance: InstanceEntity | null): Promise<Map<string, Label>> {
  if (!instance) return new Map();
  return nodeNames(await app.engine.definition(instance));
}

export async function taskBrief(app: FastifyInstance, task: TaskEntity): Promise<TaskBrief> {
  const [published, instance, record] = await Promise.all([
    app.catalog.published(task.formId).catch(() => null),
    app.store.entities.get('instance', task.instanceId),
    app.store.records.get(task.formId, task.recordId),
  ]);
  const definition = instance ? await app.engine.definition(instance).catch(() => null) : null;
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
