import { TrellisError } from '@trellis/core';
import { hashShareToken, newShareToken } from '../auth/api-key.js';
import { hashPassword, verifyPassword } from '../auth/password.js';
import { forbidden, notFound } from '../http/errors.js';
import type { ShareLinkEntity, Store } from '../store/port.js';
import type { AccessService } from './access/access-service.js';
import type { ShareActor, UserActor } from './access/actor.js';
import type { AuditService } from './audit-service.js';
import type { FormCatalog } from './form-catalog.js';
import { newId } from './ids.js';
import type { RecordService } from './record-service.js';

/** Uses of one link from one address per minute; wrong passwords per quarter hour from one address and in all. */
export const SHARE_LIMITS = Object.freeze({ uses: 60, useWindowMs: 60_000, passwordFailures: 10, linkPasswordFailures: 100, passwordWindowMs: 15 * 60_000 });

export interface ShareLinkOptions {
  expiresAt?: string | null;
  password?: string | null;
}

const gone = () => new TrellisError('NOT_FOUND', 'This link does not exist, has expired or was revoked');

/**
 * Share links: a form opened for public submission, or one record opened
 * for reading. The token is shown once and only its hash is kept; a holder
 * can do exactly what the link says and nothing else.
 */
export class ShareService {
  constructor(
    private readonly store: Store,
    private readonly forms: FormCatalog,
    private readonly records: RecordService,
    private readonly access: AccessService,
    private readonly audit: AuditService,
  ) {}

  /** A public submission link; needs `manage` on the form. */
  async createSubmitLink(actor: UserActor, formId: string, options: ShareLinkOptions): Promise<{ link: ShareLinkEntity; token: string }> {
    const published = await this.forms.published(formId);
    const access = await this.access.form(actor, published);
    if (!access.can.manage) {
      if (!access.can.view && !access.can.submit) throw notFound('Form', formId);
      throw forbidden('Only those who manage a form may open it to the public');
    }
    return this.create(actor, 'submit', formId, null, options);
  }

  /** A read-only link to one record; the holder sees it as its creator does, for as long as the creator may. */
  async createRecordLink(actor: UserActor, formId: string, recordId: string, options: ShareLinkOptions): Promise<{ link: ShareLinkEntity; token: string }> {
    await this.records.get(formId, recordId, actor);
    return this.create(actor, 'record', formId, recordId, options);
  }

  /** Links of a form: all of them for its managers, otherwise those the caller made. */
  async list(actor: UserActor, formId: string): Promise<ShareLinkEntity[]> {
    const published = await this.forms.published(formId);
    const access = await this.access.form(actor, published);
    if (!access.can.view && !access.can.submit) throw notFound('Form', formId);
    const links = await this.store.entities.list('shareLink', { ref: formId });
    return links.filter((l) => !l.revokedAt && (access.can.manage || l.createdBy === actor.id));
  }

  async revoke(actor: UserActor, id: string): Promise<void> {
    const link = await this.store.entities.get('shareLink', id);
    if (!link || link.revokedAt) throw notFound('Share link', id);
    if (link.createdBy !== actor.id) {
      const published = await this.forms.published(link.formId).catch(() => null);
      const access = published ? await this.access.form(actor, published) : null;
      if (!access?.can.manage) throw notFound('Share link', id);
    }
    await this.store.entities.update('shareLink', { ...link, revokedAt: new Date().toISOString() }, null);
    await this.audit.record({ event: 'sharelink.revoke', actorId: actor.id, subject: id, address: actor.address, details: { formId: link.formId } });
  }

  /**
   * The caller behind a link token: 404 for an unknown, expired or revoked
   * link (all alike), 401 for a missing or wrong password, 429 past the
   * rate limits.
   */
  async open(token: string, password: string | undefined, address: string | null): Promise<ShareActor> {
    if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) throw gone();
    const link = await this.store.entities.getByKey('shareLink', hashShareToken(token));
    if (!link || link.revokedAt || (link.expiresAt && Date.parse(link.expiresAt) <= Date.now())) throw gone();
    // a link lives only while the person who made it is an active user
    if (!(await this.access.directory()).principal(link.createdBy)) throw gone();
    const now = Date.now();
    const who = `${link.id}:${address ?? 'unknown'}`;
    const uses = await this.store.throttle.hit(`share:uses:${who}`, SHARE_LIMITS.useWindowMs, now);
    if (uses.count > SHARE_LIMITS.uses) throw new TrellisError('RATE_LIMITED', 'This link is used too often from your address; try again later', { retryAfter: Math.ceil((uses.resetAt - now) / 1000) });
    if (link.passwordHash) {
      if (password === undefined) throw new TrellisError('UNAUTHORIZED', 'This link needs a password (send it in the X-Share-Password header)', { passwordRequired: true });
      // counted before the check and cleared on success, so parallel guesses get no more checks than the limit
      const key = `share:password:${who}`;
      const tries = await this.store.throttle.hit(key, SHARE_LIMITS.passwordWindowMs, now);
      // and per link from everywhere, so many addresses do not multiply the guesses
      const all = await this.store.throttle.hit(`share:password:${link.id}`, SHARE_LIMITS.passwordWindowMs, now);
      if (all.count > SHARE_LIMITS.linkPasswordFailures) {
        throw new TrellisError('RATE_LIMITED', 'Too many wrong passwords for this link; try again later', { retryAfter: Math.ceil((all.resetAt - now) / 1000) });
      }
      if (tries.count > SHARE_LIMITS.passwordFailures) {
        throw new TrellisError('RATE_LIMITED', 'Too many wrong passwords for this link; try again later', { retryAfter: Math.ceil((tries.resetAt - now) / 1000) });
      }
      if (!(await verifyPassword(password, link.passwordHash))) throw new TrellisError('UNAUTHORIZED', 'Wrong password for this link', { passwordRequired: true });
      await Promise.all([this.store.throttle.clear(key), this.store.throttle.clear(`share:password:${link.id}`)]);
    }
    return { kind: 'share', link, address };
  }

  private async create(actor: UserActor, kind: ShareLinkEntity['kind'], formId: string, recordId: string | null, options: ShareLinkOptions) {
    const expiresAt = options.expiresAt ?? null;
    if (expiresAt !== null && !(Date.parse(expiresAt) > Date.now())) throw new TrellisError('BAD_REQUEST', '"expiresAt" must be a date-time in the future');
    const { token, hash } = newShareToken();
    const link: ShareLinkEntity = {
      id: newId(), kind, tokenHash: hash, formId, recordId, expiresAt: expiresAt && new Date(expiresAt).toISOString(),
      passwordHash: options.password ? await hashPassword(options.password) : null,
      createdBy: actor.id, createdAt: new Date().toISOString(), revokedAt: null,
    };
    await this.store.entities.insert('shareLink', link);
    await this.audit.record({ event: 'sharelink.create', actorId: actor.id, subject: link.id, address: actor.address, details: { kind, formId, recordId, expiresAt: link.expiresAt, password: link.passwordHash !== null } });
    return { link, token };
  }
}
