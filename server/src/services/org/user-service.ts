import { TrellisError, type UserInput } from '@trellis/core';
import { hashPassword } from '../../auth/password.js';
import { notFound } from '../../http/errors.js';
import type { Store, UserEntity } from '../../store/port.js';
import type { AccessService } from '../access/access-service.js';
import type { UserActor } from '../access/actor.js';
import type { AuditService } from '../audit-service.js';
import type { AuthService } from '../auth-service.js';
import { newId } from '../ids.js';

export type UserPatch = Partial<UserInput> & { version?: number };

/** A user as replies show it: never the password hash. */
export type PublicUser = Omit<UserEntity, 'passwordHash'> & { hasPassword: boolean };

export function publicUser(u: UserEntity): PublicUser {
  const { passwordHash, ...rest } = u;
  return { ...rest, hasPassword: passwordHash !== null };
}

const invalid = (message: string, field: string) =>
  new TrellisError('VALIDATION_FAILED', message, { fields: [{ field, code: 'reference', message: { en: message, zh: message } }] });

/** Members of the workspace; only administrators change them. */
export class UserService {
  constructor(
    private readonly store: Store,
    private readonly access: AccessService,
    private readonly auth: AuthService,
    private readonly audit: AuditService,
  ) {}

  /** Everyone, for administrators; internal users see internal colleagues (to pick approvers), external users only themselves. */
  async list(actor: UserActor): Promise<PublicUser[]> {
    const all = await this.store.entities.list('user');
    if (actor.principal.admin) return all.map(publicUser);
    if (actor.principal.partner) return all.filter((u) => u.id === actor.id).map(publicUser);
    return all.filter((u) => !u.partner && u.status === 'active').map((u) => this.colleague(u));
  }

  async get(actor: UserActor, id: string): Promise<PublicUser> {
    const u = await this.store.entities.get('user', id);
    if (!u) throw notFound('User', id);
    if (actor.principal.admin || u.id === actor.id) return publicUser(u);
    if (actor.principal.partner || u.partner) throw notFound('User', id);
    return this.colleague(u);
  }

  // what a colleague sees of another user: no roles, admin flag or partner
  private colleague(u: UserEntity): PublicUser {
    return { ...publicUser(u), roles: [], admin: false, partner: null };
  }

  async create(actor: UserActor, input: UserInput): Promise<PublicUser> {
    this.access.requireAdmin(actor);
    await this.checkReferences(input);
    const now = new Date().toISOString();
    const user: UserEntity = {
      id: newId(), email: input.email.toLowerCase(), name: input.name, status: input.status ?? 'active',
      admin: (input.admin ?? false) && !input.partner, departments: input.departments ?? [], roles: input.roles ?? [],
      partner: input.partner ?? null, passwordHash: input.password ? await hashPassword(input.password) : null,
      version: 1, createdAt: now, updatedAt: now,
    };
    if (input.admin && input.partner) throw invalid('An external user (with a partner) cannot be an administrator', 'admin');
    await this.store.entities.insert('user', user).catch((e: unknown) => {
      if (e instanceof TrellisError && e.code === 'UNIQUE_VIOLATION') throw new TrellisError('UNIQUE_VIOLATION', `A user with e-mail "${user.email}" exists already`, { field: 'email' });
      throw e;
    });
    await this.access.changed();
    await this.audit.record({ event: 'user.create', actorId: actor.id, subject: user.id, address: actor.address, details: { email: user.email, admin: user.admin, roles: user.roles, departments: user.departments, partner: user.partner } });
    return publicUser(user);
  }

  async update(actor: UserActor, id: string, patch: UserPatch): Promise<PublicUser> {
    this.access.requireAdmin(actor);
    const { version, password, ...rest } = patch;
    const current = await this.store.entities.get('user', id);
    if (!current) throw notFound('User', id);
    await this.checkReferences(rest);
    const next: UserEntity = {
      ...current,
      ...rest,
      email: (rest.email ?? current.email).toLowerCase(),
      partner: rest.partner === undefined ? current.partner : rest.partner,
      passwordHash: password ? await hashPassword(password) : current.passwordHash,
      version: current.version + 1,
      updatedAt: new Date().toISOString(),
    };
    if (next.admin && next.partner) throw invalid('An external user (with a partner) cannot be an administrator', 'admin');
    if (current.admin && current.status === 'active' && (!next.admin || next.status !== 'active')) await this.keepAnAdmin(id);
    const saved = await this.store.entities.update('user', next, version ?? null);
    if (!saved) throw notFound('User', id);
    if (next.status !== 'active' || password) await this.auth.revokeSessions(id);
    await this.access.changed();
    const changed = Object.keys(rest).concat(password ? ['password'] : []);
    await this.audit.record({ event: 'user.update', actorId: actor.id, subject: id, address: actor.address, details: { changed, admin: next.admin, status: next.status, roles: next.roles, departments: next.departments } });
    return publicUser(saved);
  }

  /** Users are disabled rather than deleted, so records keep naming who wrote them. */
  async disable(actor: UserActor, id: string): Promise<PublicUser> {
    return this.update(actor, id, { status: 'disabled' });
  }

  // the workspace must keep at least one active administrator
  private async keepAnAdmin(leaving: string): Promise<void> {
    const others = (await this.store.entities.list('user')).filter((u) => u.id !== leaving && u.admin && u.status === 'active' && !u.partner);
    if (others.length === 0) throw new TrellisError('CONFLICT', 'This is the last active administrator: make someone else an administrator first');
  }

  private async checkReferences(input: Partial<UserInput>): Promise<void> {
    for (const d of input.departments ?? []) {
      if (!(await this.store.entities.get('department', d))) throw invalid(`Department "${d}" does not exist`, 'departments');
    }
    for (const r of input.roles ?? []) {
      if (!(await this.store.entities.get('role', r))) throw invalid(`Role "${r}" does not exist`, 'roles');
    }
    if (input.partner) {
      const { formId, recordId } = input.partner;
      if (!(await this.store.records.get(formId, recordId))) throw invalid(`Partner record "${recordId}" of form "${formId}" does not exist`, 'partner');
    }
  }
}
