import type { Principal } from '@trellis/core';
import type { ShareLinkEntity } from '../../store/port.js';

/** A signed-in person (by session token or API key), resolved for this request. */
export interface UserActor {
  kind: 'user';
  id: string;
  principal: Principal;
  sessionId: string | null;
  apiKeyId: string | null;
  address: string | null;
}

/** Someone holding a share link: submits one form, or reads one record, and nothing else. */
export interface ShareActor {
  kind: 'share';
  link: ShareLinkEntity;
  address: string | null;
}

/** The platform itself, carrying out a workflow action or an automation: full access, recorded as `by`. */
export interface SystemActor {
  kind: 'system';
  /** who the work is done for (the submitter of the record that triggered it), or null */
  onBehalfOf: string | null;
}

export type Caller = UserActor | ShareActor | SystemActor;

/** The user id a change is recorded under (share-link submissions have none; the system acts for the submitter). */
export function callerId(caller: Caller): string | null {
  if (caller.kind === 'user') return caller.id;
  return caller.kind === 'system' ? caller.onBehalfOf : null;
}
