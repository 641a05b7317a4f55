import { grantList, type FormAccess, type Principal, type RoleGrants } from '@trellis/core';
import type { ApiKeyEntity, DepartmentEntity, RoleEntity, SessionEntity, UserEntity } from '../../store/port.js';

// Caches that grow with traffic inside one snapshot are dropped whole past this size.
const MAX_CACHED = 20_000;

export function roleGrants(role: RoleEntity): RoleGrants {
  const forms: RoleGrants['forms'] = {};
  for (const [formId, grant] of Object.entries(role.forms ?? {})) forms[formId] = grantList(grant);
  return { id: role.id, appId: role.appId, apps: role.apps ?? {}, forms };
}

/**
 * The organisation as it stood at one access epoch: users, the department
 * tree and roles, with principals, form access, sessions and API keys
 * memoised. Any change to the organisation bumps the epoch, and the next
 * request builds a fresh directory, so changes apply at once on every node.
 */
export class Directory {
  readonly users: ReadonlyMap<string, UserEntity>;
  readonly departments: ReadonlyMap<string, DepartmentEntity>;
  readonly roles: ReadonlyMap<string, RoleEntity>;
  private readonly children = new Map<string | null, string[]>();
  private readonly members = new Map<string, string[]>();
  private readonly principals = new Map<string, Principal | null>();
  readonly formAccess = new Map<string, FormAccess>();
  // Sessions and keys seen at one credential epoch. A new epoch gets new maps (never cleared in
  // place), so a lookup that started before a revocation writes into the old, dropped map.
  sessions = new Map<string, SessionEntity | null>();
  apiKeys = new Map<string, ApiKeyEntity | null>();
  private credentialEpoch = -1;

  constructor(
    readonly epoch: number,
    users: UserEntity[],
    departments: DepartmentEntity[],
    roles: RoleEntity[],
  ) {
    this.users = new Map(users.map((u) => [u.id, u]));
    this.departments = new Map(departments.map((d) => [d.id, d]));
    this.roles = new Map(roles.map((r) => [r.id, r]));
    for (const d of departments) {
      const siblings = this.children.get(d.parentId) ?? [];
      siblings.push(d.id);
      this.children.set(d.parentId, siblings);
    }
    for (const u of users) {
      for (const d of u.departments) {
        const list = this.members.get(d) ?? [];
        list.push(u.id);
        this.members.set(d, list);
      }
    }
  }

  /** Starts new credential caches when `epoch` is newer than the one they hold (epochs only grow). */
  useCredentialEpoch(epoch: number): void {
    if (epoch <= this.credentialEpoch) return;
    this.credentialEpoch = epoch;
    this.sessions = new Map();
    this.apiKeys = new Map();
  }

  /** `ids` and every department below them (a broken, cyclic tree is walked once). */
  subtree(ids: readonly string[]): string[] {
    const seen = new Set<string>();
    const queue = [...ids];
    while (queue.length > 0) {
      const id = queue.pop()!;
      if (seen.has(id)) continue;
      seen.add(id);
      queue.push(...(this.children.get(id) ?? []));
    }
    return [...seen];
  }

  membersOf(departmentIds: readonly string[]): string[] {
    return [...new Set(departmentIds.flatMap((d) => this.members.get(d) ?? []))];
  }

  childrenOf(id: string | null): string[] {
    return this.children.get(id) ?? [];
  }

  /** Active users who have role `roleId`. */
  usersWithRole(roleId: string): string[] {
    return [...this.users.values()].filter((u) => u.status === 'active' && u.roles.includes(roleId)).map((u) => u.id);
  }

  isActive(userId: string): boolean {
    return this.users.get(userId)?.status === 'active';
  }

  /**
   * The leaders of `userId`'s departments, `levels` up the tree (1: their own
   * department). A department the user leads themself counts one level up,
   * so nobody approves their own request.
   */
  leadersOf(userId: string, levels: number): string[] {
    const user = this.users.get(userId);
    if (!user) return [];
    const out = new Set<string>();
    for (const start of user.departments) {
      let dept = this.departments.get(start);
      let level = 1;
      const seen = new Set<string>();
      while (dept && !seen.has(dept.id)) {
        seen.add(dept.id);
        const leader = dept.leaderId && dept.leaderId !== userId ? dept.leaderId : null;
        if (leader) {
          if (level === levels) {
            if (this.isActive(leader)) out.add(leader);
            break;
          }
          level++;
        }
        dept = dept.parentId ? this.departments.get(dept.parentId) : undefined;
      }
    }
    return [...out];
  }

  /** The active user's principal; null for a missing or disabled user. */
  principal(userId: string): Principal | null {
    if (this.principals.has(userId)) return this.principals.get(userId)!;
    const u = this.users.get(userId);
    let p: Principal | null = null;
    if (u && u.status === 'active') {
      const departments = u.departments.filter((d) => this.departments.has(d));
      const departmentTree = this.subtree(departments);
      p = {
        id: u.id,
        name: u.name,
        // an external user is never an administrator, whatever the stored flag says
        admin: u.admin && !u.partner,
        partner: u.partner,
        departments,
        departmentTree,
        departmentPeers: this.membersOf(departments),
        departmentTreePeers: this.membersOf(departmentTree),
        roles: u.roles.map((r) => this.roles.get(r)).filter((r): r is RoleEntity => r !== undefined).map(roleGrants),
      };
    }
    this.principals.set(userId, p);
    return p;
  }

  remember<V>(map: Map<string, V>, key: string, value: V): V {
    if (map.size >= MAX_CACHED) map.clear();
    map.set(key, value);
    return value;
  }
}
