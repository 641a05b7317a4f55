import type { AppGrant, FormGrant, Partner } from '../schema/access.js';

/** A role as access checks read it: where it applies and what it grants, each form's groups as a list. */
export interface RoleGrants {
  id: string;
  /** null: workspace role; else the app it belongs to (it grants on that app and its forms only) */
  appId: string | null;
  apps: Record<string, AppGrant>;
  forms: Record<string, FormGrant[]>;
}

/**
 * A signed-in person as permission checks see them, resolved by the server
 * from the user, the department tree and the roles at the moment of the
 * request (so a change applies at once).
 */
export interface Principal {
  id: string;
  name: string;
  /** workspace administrator: every permission, every record, every field */
  admin: boolean;
  /** set for external users: they only reach records tied to this partner */
  partner: Partner | null;
  /** departments the user belongs to */
  departments: string[];
  /** those departments and every department below them */
  departmentTree: string[];
  /** ids of the users in the user's departments (the user included) */
  departmentPeers: string[];
  /** ids of the users in the user's departments and every department below them */
  departmentTreePeers: string[];
  roles: RoleGrants[];
}

/** The grant groups of a role for one form, a single group being a list of one. */
export function grantList(grant: FormGrant | FormGrant[] | undefined): FormGrant[] {
  if (grant === undefined) return [];
  return Array.isArray(grant) ? grant : [grant];
}

/** Roles that may grant on `appId`: workspace roles and that app's own roles. */
export function rolesFor(p: Principal, appId: string): RoleGrants[] {
  return p.roles.filter((r) => r.appId === null || r.appId === appId);
}

/** What the user may do with an app as a whole. External users never design. */
export function appAccess(p: Principal, appId: string, formIds: readonly string[]): { open: boolean; design: boolean } {
  if (p.admin) return { open: true, design: true };
  let open = false;
  let design = false;
  for (const r of rolesFor(p, appId)) {
    const g = r.apps[appId];
    if (g?.design) design = true;
    if (g?.open) open = true;
    if (!open && formIds.some((f) => grantList(r.forms[f]).some((x) => x.actions.length > 0))) open = true;
  }
  if (p.partner) design = false;
  return { open: open || design, design };
}
