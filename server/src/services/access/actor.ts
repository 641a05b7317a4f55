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

export type Caller = UserActor | ShareActor;

/** The user id a change is recorded under (share-link submissions have none). */
export function callerId(caller: Caller): string | null {
  return caller.kind === 'user' ? caller.id : null;
}
