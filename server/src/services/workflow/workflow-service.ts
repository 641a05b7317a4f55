import { actionForm, checkWorkflow, checkWorkflowShape, TrellisError, type FormDefinition, type WorkflowDefinition } from '@trellis/core';
import type { Store, WorkflowEntity, WorkflowVersionEntity } from '../../store/port.js';
import type { UserActor } from '../access/actor.js';
import type { AuditService } from '../audit-service.js';
import type { FormCatalog } from '../form-catalog.js';
import type { FormService } from '../form-service.js';

export interface WorkflowView {
  formId: string;
  draft: WorkflowDefinition;
  version: number;
  publishedVersion: number;
  published: WorkflowDefinition | null;
}

const EMPTY: WorkflowDefinition = { nodes: [], edges: [] };

/** A form's workflow: the draft designers edit, and published versions that running instances keep. */
export class WorkflowService {
  constructor(
    private readonly store: Store,
    private readonly forms: FormService,
    private readonly catalog: FormCatalog,
    private readonly audit: AuditService,
    /** told after a version is published (the engine reads it at once, schedules are queued) */
    private readonly onPublished: (formId: string) => Promise<void> = async () => undefined,
  ) {}

  async get(actor: UserActor, formId: string): Promise<WorkflowView> {
    await this.forms.requireDesign(actor, formId);
    return this.view(formId, await this.store.entities.get('workflow', formId));
  }

  /** Replaces the draft; only its shape is checked here (publishing checks the graph). */
  async saveDraft(actor: UserActor, formId: string, draft: WorkflowDefinition, expectedVersion: number | null): Promise<WorkflowView> {
    await this.forms.requireDesign(actor, formId);
    const problems = checkWorkflowShape(draft);
    if (problems.length) throw new TrellisError('INVALID_DEFINITION', problems.map((p) => `${p.path}: ${p.message}`).join('; '), { problems });
    const now = new Date().toISOString();
    const current = await this.store.entities.get('workflow', formId);
    if (!current) {
      const created: WorkflowEntity = { id: formId, formId, draft, publishedVersion: 0, version: 1, createdAt: now, updatedAt: now };
      await this.store.entities.insert('workflow', created);
      return this.view(formId, created);
    }
    if (expectedVersion !== null && expectedVersion !== current.version) {
      throw new TrellisError('VERSION_CONFLICT', `The workflow was changed by someone else (version ${current.version}, you sent ${expectedVersion})`, { expected: expectedVersion, actual: current.version });
    }
    const saved = await this.store.entities.update('workflow', { ...current, draft, version: current.version + 1, updatedAt: now }, current.version);
    return this.view(formId, saved);
  }

  /** Checks the draft against the form and the organisation, then stores it as the next version; new records follow it. */
  async publish(actor: UserActor, formId: string): Promise<WorkflowVersionEntity> {
    await this.forms.requireDesign(actor, formId);
    const current = await this.store.entities.get('workflow', formId);
    if (!current) throw new TrellisError('NOT_FOUND', `Form "${formId}" has no workflow draft yet`, { id: formId });
    const form = await this.catalog.published(formId);
    const targets = new Map<string, FormDefinition | null>();
    for (const action of actionsOf(current.draft)) {
      const formId = actionForm(action);
      if (formId === null || targets.has(formId)) continue;
      const target = await this.catalog.published(formId).catch(() => null);
      targets.set(formId, target?.version.definition ?? null);
    }
    const [roles, users] = await Promise.all([this.store.entities.list('role'), this.store.entities.list('user')]);
    const roleIds = new Set(roles.map((r) => r.id));
    const userIds = new Set(users.filter((u) => u.status === 'active').map((u) => u.id));
    const problems = checkWorkflow(current.draft, form.version.definition, {
      form: (id) => targets.get(id) ?? null,
      roleExists: (id) => roleIds.has(id),
      userExists: (id) => userIds.has(id),
    });
    if (problems.length) throw new TrellisError('INVALID_DEFINITION', problems.map((p) => p.message).join('; '), { problems });
    const version = current.publishedVersion + 1;
    const entity: WorkflowVersionEntity = { id: `${formId}.v${version}`, formId, version, definition: current.draft, publishedAt: new Date().toISOString(), publishedBy: actor.id };
    await this.store.entities.insert('workflowVersion', entity);
    await this.store.entities.update('workflow', { ...current, publishedVersion: version, version: current.version + 1, updatedAt: entity.publishedAt }, current.version);
    await this.audit.record({ event: 'workflow.publish', actorId: actor.id, subject: formId, address: actor.address, details: { version } });
    await this.onPublished(formId);
    return entity;
  }

  private async view(formId: string, wf: WorkflowEntity | null): Promise<WorkflowView> {
    const published = wf && wf.publishedVersion > 0 ? await this.store.entities.get('workflowVersion', `${formId}.v${wf.publishedVersion}`) : null;
    return { formId, draft: wf?.draft ?? EMPTY, version: wf?.version ?? 0, publishedVersion: wf?.publishedVersion ?? 0, published: published?.definition ?? null };
  }
}

function actionsOf(def: WorkflowDefinition) {
  return [
    ...def.nodes.flatMap((n) => (n.type === 'action' ? [n.action] : [])),
    ...(def.automations ?? []).flatMap((a) => a.actions),
  ];
}
