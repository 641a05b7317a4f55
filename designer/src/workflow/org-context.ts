// The organisation and the forms the workflow panels pick from, loaded once per designer screen.
import { createContext, useContext } from 'react';
import type { Field, FormDefinition } from '@trellis/core';
import type { AsyncState } from '@trellis/app/ui/common';
import { tr } from '@trellis/app/lib/i18n';
import type { Department, Member, Role } from '../org/org-data';

export interface Org {
  users: Member[];
  departments: Department[];
  roles: Role[];
}

export interface Directory {
  org: AsyncState<Org>;
  /** the form the workflow belongs to: its id, app and fields */
  formId: string;
  appId: string;
  fields: readonly Field[];
}

export const DirectoryContext = createContext<Directory>({ org: { status: 'loading' }, formId: '', appId: '', fields: [] });
export const useDirectory = () => useContext(DirectoryContext);

/** A display name for a user id, `role:<id>`, `field:<key>` or a stand-in from a dry run. */
export function nameOf(dir: Directory, id: string): string {
  const org = dir.org.status === 'ok' ? dir.org.value : null;
  if (id.startsWith('role:')) {
    const r = org?.roles.find((x) => x.id === id.slice(5));
    return r ? tr(r.name) : id.slice(5);
  }
  if (id.startsWith('field:')) {
    const f = dir.fields.find((x) => x.key === id.slice(6));
    return f ? tr(f.label) : id.slice(6);
  }
  if (id.startsWith('leader:')) return tr({ en: 'Leader ({n} up)', zh: '主管（上 {n} 级）' }, { n: id.slice(7) });
  const u = org?.users.find((x) => x.id === id);
  return u ? u.name : id;
}

/** A form's fields as designers see them (published version first: that is what records follow). */
export function formFields(form: { draft: unknown; published?: { definition: unknown } | null }): FormDefinition | null {
  const def = (form.published?.definition ?? form.draft) as FormDefinition | null;
  return def && Array.isArray(def.fields) ? def : null;
}
