import type { Assignee, RecordData } from '@trellis/core';
import type { Directory } from '../access/directory.js';

/** The active users an assignee stands for. */
export function resolveAssignee(dir: Directory, a: Assignee, submitter: string, record: RecordData): string[] {
  switch (a.type) {
    case 'users':
      return a.users.filter((u) => dir.isActive(u));
    case 'role':
      return dir.usersWithRole(a.role);
    case 'leader':
      return dir.leadersOf(submitter, a.levels ?? 1);
    case 'submitter':
      return dir.isActive(submitter) ? [submitter] : [];
    case 'field': {
      const v = record[a.field];
      const ids = Array.isArray(v) ? v : [v];
      return ids.filter((x): x is string => typeof x === 'string' && dir.isActive(x));
    }
  }
}
