// A one-time message carried to the next screen ("Approved" after acting on a task).
import type { Msg } from '../lib/i18n';

let pending: { msg: Msg; detail?: string } | null = null;

export function setFlash(msg: Msg, detail?: string): void {
  pending = detail === undefined ? { msg } : { msg, detail };
}

/** the message, once */
export function takeFlash(): { msg: Msg; detail?: string } | null {
  const f = pending;
  pending = null;
  return f;
}
