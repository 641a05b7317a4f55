import { TrellisError, type DepartmentInput } from '@trellis/core';
import { notFound } from '../../http/errors.js';
import type { DepartmentEntity, Store } from '../../store/port.js';
import type { AccessService } from '../access/access-service.js';
import type { UserActor } from '../access/actor.js';
import type { AuditService } from '../audit-service.js';
import { newId } from '../ids.js';

export type DepartmentPatch = Partial<DepartmentInput> & { version?: number };

const invalid = (message: string) => new TrellisError('CONFLICT', message);

/** The department tree: create, rename, move, set the leader, delete an empty department. */
export class DepartmentService {
  constructor(
    private readonly store: Store,
    private readonly access: AccessService,
    private readonly audit: AuditService,
  ) {}

  /** The whole tree, in order; external users see none of it. */
  async list(actor: UserActor): Promise<DepartmentEntity[]> {
    if (actor.principal.partner) return [];
    const all = await this.store.entities.list('department');
    return all.sort((a, b) => a.order - b.order || a.id.localeCompare(b.id));
  }

  async get(actor: UserActor, id: string): Promise<DepartmentEntity> {
    const d = actor.principal.partner ? null : await this.store.entities.get('department', id);
    if (!d) throw notFound('Department', id);
    return d;
  }

  async create(actor: UserActor, input: DepartmentInput): Promise<DepartmentEntity> {
    this.access.requireAdmin(actor);
    const parentId = input.parentId ?? null;
    if (parentId && !(await this.store.entities.get('department', parentId))) throw notFound('Parent department', parentId);
    await this.checkLeader(input.leaderId);
    const now = new Date().toISOString();
    const dept: DepartmentEntity = {
      id: newId(), name: input.name, parentId, leaderId: input.leaderId ?? null, order: input.order ?? 0, version: 1, createdAt: now, updatedAt: now,
    };
    await this.store.entities.insert('department', dept);
    await this.changed(actor, 'department.create', dept.id, { parentId, leaderId: dept.leaderId });
    return dept;
  }

  /** Renames, moves (never under itself or its own descendants) or changes the leader. */
  async update(actor: UserActor, id: string, patch: DepartmentPatch): Promise<DepartmentEntity> {
    this.access.requireAdmin(actor);
    const { version, ...rest } = patch;
    const current = await this.store.entities.get('department', id);
    if (!current) throw notFound('Department', id);
    if (rest.parentId !== undefined && rest.parentId !== null) {
      if (!(await this.store.entities.get('department', rest.parentId))) throw notFound('Parent department', rest.parentId);
      const dir = await this.access.directory();
      if (dir.subtree([id]).includes(rest.parentId)) throw invalid('A department cannot move under itself or a department below it');
    }
    await this.checkLeader(rest.leaderId);
    const next: DepartmentEntity = {
      ...current, ...rest,
      parentId: rest.parentId === undefined ? current.parentId : rest.parentId,
      leaderId: rest.leaderId === undefined ? current.leaderId : rest.leaderId,
      version: current.version + 1, updatedAt: new Date().toISOString(),
    };
    const saved = await this.store.entities.update('department', next, version ?? null);
    if (!saved) throw notFound('Department', id);
    await this.changed(actor, 'department.update', id, { changed: Object.keys(rest), parentId: next.parentId, leaderId: next.leaderId });
    return saved;
  }

  async delete(actor: UserActor, id: string): Promise<void> {
    this.access.requireAdmin(actor);
    const dir = await this.access.directory();
    if (!dir.departments.has(id)) throw notFound('Department', id);
    if (dir.childrenOf(id).length > 0) throw invalid('Move or delete the departments below this one first');
    if (dir.membersOf([id]).length > 0) throw invalid('Move the members of this department elsewhere first');
    await this.store.entities.delete('department', id);
    await this.changed(actor, 'department.delete', id, {});
  }

  private async checkLeader(leaderId: string | null | undefined): Promise<void> {
    if (!leaderId) return;
    const u = await this.store.entities.get('user', leaderId);
    if (!u || u.partner) throw notFound('Leader (an internal user)', leaderId);
  }

  private async changed(actor: UserActor, event: string, subject: string, details: Record<string, unknown>): Promise<void> {
    await this.access.changed();
    await this.audit.record({ event, actorId: actor.id, subject, address: actor.address, details });
  }
}
