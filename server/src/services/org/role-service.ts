import { checkScopeCondition, grantList, TrellisError, type FormDefinition, type RoleInput } from '@trellis/core';
import { forbidden, notFound } from '../../http/errors.js';
import type { RoleEntity, Store } from '../../store/port.js';
import type { AccessService } from '../access/access-service.js';
import type { UserActor } from '../access/actor.js';
import type { AuditService } from '../audit-service.js';
import { newId } from '../ids.js';

export type RolePatch = Partial<RoleInput> & { version?: number };

const invalid = (path: string, message: string) =>
  new TrellisError('INVALID_DEFINITION', message, { problems: [{ path, code: 'role', message }] });

/**
 * Roles: workspace roles (administrators only) and app roles (administrators
 * and the app's designers). An app role grants on its own app and forms only,
 * so a designer cannot reach beyond the app they already hold.
 */
export class RoleService {
  constructor(
    private readonly store: Store,
    private readonly access: AccessService,
    private readonly audit: AuditService,
  ) {}

  /** Administrators see every role; designers also the roles of their apps; everyone sees the roles they have. */
  async list(actor: UserActor, appId?: string): Promise<RoleEntity[]> {
    const all = await this.store.entities.list('role', appId ? { ref: appId } : {});
    if (actor.principal.admin) return all;
    const mine = new Set(actor.principal.roles.map((r) => r.id));
    const out: RoleEntity[] = [];
    for (const r of all) if (mine.has(r.id) || (r.appId && (await this.designs(actor, r.appId)))) out.push(r);
    return out;
  }

  async get(actor: UserActor, id: string): Promise<RoleEntity> {
    const role = await this.store.entities.get('role', id);
    if (!role) throw notFound('Role', id);
    const visible = actor.principal.admin || actor.principal.roles.some((r) => r.id === id) || (role.appId !== null && (await this.designs(actor, role.appId)));
    if (!visible) throw notFound('Role', id);
    return role;
  }

  async create(actor: UserActor, input: RoleInput): Promise<RoleEntity> {
    const appId = input.appId ?? null;
    await this.mayEdit(actor, appId);
    await this.check({ ...input, appId });
    const now = new Date().toISOString();
    const role: RoleEntity = { ...input, id: newId(), appId, version: 1, createdAt: now, updatedAt: now };
    await this.store.entities.insert('role', role);
    await this.changed(actor, 'role.create', role, {});
    return role;
  }

  async update(actor: UserActor, id: string, patch: RolePatch): Promise<RoleEntity> {
    const { version, ...rest } = patch;
    const current = await this.get(actor, id);
    if (rest.appId !== undefined && (rest.appId ?? null) !== current.appId) throw invalid('appId', 'A role cannot move between the workspace and an app; create a new role');
    await this.mayEdit(actor, current.appId);
    const next: RoleEntity = { ...current, ...rest, appId: current.appId, version: current.version + 1, updatedAt: new Date().toISOString() };
    await this.check(next);
    const saved = await this.store.entities.update('role', next, version ?? null);
    if (!saved) throw notFound('Role', id);
    await this.changed(actor, 'role.update', saved, { changed: Object.keys(rest) });
    return saved;
  }

  /** Deletes the role and takes it away from every user who had it. */
  async delete(actor: UserActor, id: string): Promise<void> {
    const role = await this.get(actor, id);
    await this.mayEdit(actor, role.appId);
    await this.store.entities.delete('role', id);
    for (const u of await this.store.entities.list('user')) {
      if (!u.roles.includes(id)) continue;
      await this.store.entities.update('user', { ...u, roles: u.roles.filter((r) => r !== id), version: u.version + 1, updatedAt: new Date().toISOString() }, null);
    }
    await this.changed(actor, 'role.delete', role, {});
  }

  private async designs(actor: UserActor, appId: string): Promise<boolean> {
    const forms = await this.store.forms.listByApp(appId);
    return this.access.app(actor, appId, forms.map((f) => f.id)).design;
  }

  private async mayEdit(actor: UserActor, appId: string | null): Promise<void> {
    if (actor.principal.admin) return;
    if (appId === null) throw forbidden('Only an administrator may change workspace roles');
    if (!(await this.designs(actor, appId))) throw forbidden("Only an administrator or the app's designer may change its roles");
  }

  /** Every app and form the role names exists (and belongs to its app, for an app role); field keys and scope conditions fit the form. */
  private async check(role: RoleInput & { appId: string | null }): Promise<void> {
    if (role.appId && !(await this.store.apps.get(role.appId))) throw invalid('appId', `App "${role.appId}" does not exist`);
    for (const appId of Object.keys(role.apps ?? {})) {
      if (role.appId && appId !== role.appId) throw invalid(`apps.${appId}`, `A role of app "${role.appId}" cannot grant on app "${appId}"`);
      if (!(await this.store.apps.get(appId))) throw invalid(`apps.${appId}`, `App "${appId}" does not exist`);
    }
    for (const [formId, grant] of Object.entries(role.forms ?? {})) {
      const form = await this.store.forms.get(formId);
      if (!form) throw invalid(`forms.${formId}`, `Form "${formId}" does not exist`);
      if (role.appId && form.appId !== role.appId) throw invalid(`forms.${formId}`, `A role of app "${role.appId}" cannot grant on form "${formId}" of another app`);
      const published = form.publishedVersion > 0 ? await this.store.forms.getVersion(formId, form.publishedVersion) : null;
      const definitions: FormDefinition[] = [form.draft, ...(published ? [published.definition] : [])];
      for (const [i, g] of grantList(grant).entries()) {
        for (const key of Object.keys(g.fields ?? {})) {
          if (!definitions.some((d) => d.fields.some((f) => f.key === key))) throw invalid(`forms.${formId}[${i}].fields.${key}`, `Form "${formId}" has no field "${key}"`);
        }
        if (g.scope && typeof g.scope === 'object') checkScopeCondition(g.scope.condition, published?.definition ?? form.draft);
      }
    }
  }

  private async changed(actor: UserActor, event: string, role: RoleEntity, details: Record<string, unknown>): Promise<void> {
    await this.access.changed();
    await this.audit.record({ event, actorId: actor.id, subject: role.id, address: actor.address, details: { appId: role.appId, ...details } });
  }
}
