import { randomBytes } from 'node:crypto';
import { TrellisError } from '@trellis/core';
import { newApiKey, parseApiKey, verifyApiKeySecret } from '../auth/api-key.js';
import { hashPassword, needsRehash, verifyPassword } from '../auth/password.js';
import { signToken, verifyToken } from '../auth/token.js';
import { forbidden, notFound } from '../http/errors.js';
import type { ApiKeyEntity, SessionEntity, Store, UserEntity } from '../store/port.js';
import type { AccessService } from './access/access-service.js';
import type { UserActor } from './access/actor.js';
import type { AuditService } from './audit-service.js';
import { newId } from './ids.js';

/** Lockout and rate limits of sign-in, per account and per address. */
export const LOGIN_LIMITS = Object.freeze({
  /** failed sign-ins on one account before it is locked for the rest of the window */
  accountFailures: 5,
  /** failed sign-ins from one address before it is refused for the rest of the window */
  addressFailures: 20,
  failureWindowMs: 15 * 60_000,
  /** sign-in attempts (good or bad) from one address per minute */
  addressAttempts: 30,
  attemptWindowMs: 60_000,
});

export interface AuthOptions {
  secret: Buffer;
  tokenTtlSeconds: number;
}

export interface LoginResult {
  token: string;
  expiresAt: string;
  user: UserEntity;
}

export interface RequestInfo {
  address: string | null;
  userAgent: string | null;
}

const unauthorized = (message: string) => new TrellisError('UNAUTHORIZED', message);
// the scheme name is case-insensitive (RFC 9110)
const BEARER_RE = /^Bearer ([A-Za-z0-9._~+/=-]{1,4096})$/i;

function rateLimited(message: string, resetAt: number, now: number): TrellisError {
  return new TrellisError('RATE_LIMITED', message, { retryAfter: Math.max(1, Math.ceil((resetAt - now) / 1000)) });
}

/** Sign-in, sessions, tokens, API keys and the first administrator. */
export class AuthService {
  constructor(
    private readonly store: Store,
    private readonly access: AccessService,
    private readonly audit: AuditService,
    private readonly options: AuthOptions,
  ) {}

  /**
   * The caller behind a request's credentials: `Authorization: Bearer <token>`
   * (a session token or an API key) or `X-API-Key`. Null when none is sent;
   * UNAUTHORIZED when one is sent and is not good (tampered, expired, revoked,
   * or its user is disabled).
   */
  async authenticate(authorization: string | undefined, apiKeyHeader: string | undefined, address: string | null): Promise<UserActor | null> {
    let credential: string | undefined = apiKeyHeader;
    if (authorization !== undefined) {
      const m = BEARER_RE.exec(authorization);
      if (!m) throw unauthorized('The Authorization header must be "Bearer <token>"');
      credential = m[1];
    }
    if (credential === undefined) return null;
    const dir = await this.access.directory();

    const key = parseApiKey(credential);
    if (key) {
      let entity = dir.apiKeys.get(key.id);
      if (entity === undefined) entity = dir.remember(dir.apiKeys, key.id, await this.store.entities.get('apiKey', key.id));
      if (!entity || entity.revokedAt || !verifyApiKeySecret(key.secret, entity.hash)) throw unauthorized('This API key is not valid or was revoked');
      const principal = dir.principal(entity.userId);
      if (!principal) throw unauthorized('The user of this API key is disabled');
      return { kind: 'user', id: principal.id, principal, sessionId: null, apiKeyId: entity.id, address };
    }

    const now = Date.now();
    const claims = verifyToken(credential, this.options.secret, Math.floor(now / 1000));
    if (!claims) throw unauthorized('The token is not valid or has expired; sign in again');
    let session = dir.sessions.get(claims.sid);
    if (session === undefined) session = dir.remember(dir.sessions, claims.sid, await this.store.entities.get('session', claims.sid));
    if (!session || session.revokedAt || session.userId !== claims.uid || Date.parse(session.expiresAt) <= now) {
      throw unauthorized('This session has ended; sign in again');
    }
    const principal = dir.principal(session.userId);
    if (!principal) throw unauthorized('This account is disabled');
    return { kind: 'user', id: principal.id, principal, sessionId: session.id, apiKeyId: null, address };
  }

  async login(email: string, password: string, info: RequestInfo): Promise<LoginResult> {
    const now = Date.now();
    const who = email.toLowerCase();
    const from = info.address ?? 'unknown';
    const account = `login:account:${who}`;
    const addr = `login:address:${from}`;
    // Every attempt counts against the address first, so nothing below (locked accounts
    // included) can be hammered without limit.
    const attempts = await this.store.throttle.hit(`login:attempts:${from}`, LOGIN_LIMITS.attemptWindowMs, now);
    if (attempts.count > LOGIN_LIMITS.addressAttempts) throw rateLimited('Too many sign-in attempts; slow down', attempts.resetAt, now);
    const addressFails = await this.store.throttle.peek(addr, now);
    if (addressFails && addressFails.count >= LOGIN_LIMITS.addressFailures) {
      throw rateLimited('Too many failed sign-ins from this address; try again later', addressFails.resetAt, now);
    }
    // The account's failure count is taken before the password is checked (and cleared on
    // success), so a burst of parallel guesses gets no more checks than the limit allows.
    const reserved = await this.store.throttle.hit(account, LOGIN_LIMITS.failureWindowMs, now);
    if (reserved.count > LOGIN_LIMITS.accountFailures) throw rateLimited('Too many failed sign-ins for this account; try again later', reserved.resetAt, now);

    const user = await this.store.entities.getByKey('user', who);
    // verifyPassword spends the same time on a missing user, so timing does not tell who exists
    const good = await verifyPassword(password, user?.passwordHash ?? null);
    if (!user || !good || user.status !== 'active') {
      await this.store.throttle.hit(addr, LOGIN_LIMITS.failureWindowMs, now);
      const reason = !user ? 'unknown account' : !good ? 'wrong password' : 'disabled';
      await this.audit.record({ event: 'login.failure', actorId: null, subject: who, address: info.address, details: { reason, failures: reserved.count } });
      if (reserved.count === LOGIN_LIMITS.accountFailures) {
        await this.audit.record({ event: 'login.lockout', actorId: null, subject: who, address: info.address, details: { until: new Date(reserved.resetAt).toISOString() } });
      }
      throw unauthorized('Wrong e-mail or password');
    }
    await this.store.throttle.clear(account);
    // hashes made with weaker parameters are replaced while the password is at hand
    if (user.passwordHash && needsRehash(user.passwordHash)) {
      const rehashed = { ...user, passwordHash: await hashPassword(password), version: user.version + 1, updatedAt: new Date().toISOString() };
      await this.store.entities.update('user', rehashed, user.version).catch(() => undefined); // a concurrent edit wins; next sign-in tries again
    }
    const session: SessionEntity = {
      id: newId(), userId: user.id, createdAt: new Date(now).toISOString(),
      expiresAt: new Date(now + this.options.tokenTtlSeconds * 1000).toISOString(), revokedAt: null,
      address: info.address, userAgent: info.userAgent?.slice(0, 300) ?? null,
    };
    await this.store.entities.insert('session', session);
    await this.audit.record({ event: 'login.success', actorId: user.id, subject: user.id, address: info.address, details: { session: session.id } });
    const token = signToken({ sid: session.id, uid: user.id, exp: Math.floor(now / 1000) + this.options.tokenTtlSeconds }, this.options.secret);
    return { token, expiresAt: session.expiresAt, user };
  }

  /** Ends the session behind the caller's token (an API key is revoked with `revokeApiKey`). */
  async logout(actor: UserActor): Promise<void> {
    if (!actor.sessionId) throw new TrellisError('BAD_REQUEST', 'Only a session token can sign out; revoke an API key instead');
    await this.revokeSessions(actor.id, (s) => s.id === actor.sessionId);
    await this.audit.record({ event: 'logout', actorId: actor.id, subject: actor.sessionId, address: actor.address });
  }

  async sessions(userId: string): Promise<SessionEntity[]> {
    const now = Date.now();
    return (await this.store.entities.list('session', { ref: userId })).filter((s) => !s.revokedAt && Date.parse(s.expiresAt) > now);
  }

  async revokeSession(actor: UserActor, sessionId: string): Promise<void> {
    const session = await this.store.entities.get('session', sessionId);
    if (!session || (session.userId !== actor.id && !actor.principal.admin)) throw notFound('Session', sessionId);
    await this.revokeSessions(session.userId, (s) => s.id === sessionId);
    await this.audit.record({ event: 'session.revoke', actorId: actor.id, subject: sessionId, address: actor.address });
  }

  /** Revokes the user's live sessions that `which` picks; every node sees it on the next request. */
  async revokeSessions(userId: string, which: (s: SessionEntity) => boolean = () => true): Promise<number> {
    const at = new Date().toISOString();
    let n = 0;
    for (const s of await this.sessions(userId)) {
      if (!which(s)) continue;
      await this.store.entities.update('session', { ...s, revokedAt: at }, null);
      n++;
    }
    await this.access.credentialsChanged();
    return n;
  }

  async changePassword(actor: UserActor, current: string, next: string): Promise<void> {
    const user = await this.confirmPassword(actor, current, 'password.change');
    await this.store.entities.update('user', { ...user, passwordHash: await hashPassword(next), version: user.version + 1, updatedAt: new Date().toISOString() }, user.version);
    // every other session ends: a changed password shuts out whoever else had it
    await this.revokeSessions(actor.id, (s) => s.id !== actor.sessionId);
    await this.audit.record({ event: 'password.change', actorId: actor.id, subject: actor.id, address: actor.address });
  }

  /**
   * A new API key for the caller. It outlives sessions and password changes, so it takes the
   * current password, and an API key cannot mint more keys: a stolen session or key cannot
   * turn itself into a lasting one.
   */
  async createApiKey(actor: UserActor, name: string, password: string): Promise<{ entity: ApiKeyEntity; key: string }> {
    if (actor.apiKeyId) throw forbidden('An API key cannot create API keys; sign in with your password');
    await this.confirmPassword(actor, password, 'apikey.create');
    const k = newApiKey();
    const entity: ApiKeyEntity = { id: k.id, userId: actor.id, name, hash: k.hash, createdAt: new Date().toISOString(), revokedAt: null };
    await this.store.entities.insert('apiKey', entity);
    await this.audit.record({ event: 'apikey.create', actorId: actor.id, subject: entity.id, address: actor.address, details: { name } });
    return { entity, key: k.key };
  }

  /** The caller's keys; an administrator may ask for another user's. */
  async apiKeys(actor: UserActor, userId: string = actor.id): Promise<ApiKeyEntity[]> {
    if (userId !== actor.id) this.access.requireAdmin(actor);
    return (await this.store.entities.list('apiKey', { ref: userId })).filter((k) => !k.revokedAt);
  }

  async revokeApiKey(actor: UserActor, id: string): Promise<void> {
    const key = await this.store.entities.get('apiKey', id);
    if (!key || key.revokedAt || (key.userId !== actor.id && !actor.principal.admin)) throw notFound('API key', id);
    await this.store.entities.update('apiKey', { ...key, revokedAt: new Date().toISOString() }, null);
    await this.access.credentialsChanged();
    await this.audit.record({ event: 'apikey.revoke', actorId: actor.id, subject: id, address: actor.address });
  }

  /**
   * Creates the first administrator when there are no users yet. Without a
   * configured password a random one is made and returned, to be printed
   * once; there is never a fixed default.
   */
  async bootstrap(email: string, password: string | undefined): Promise<{ email: string; password: string | null } | null> {
    if ((await this.store.entities.list('user', { limit: 1 })).length > 0) return null;
    const chosen = password ?? randomBytes(18).toString('base64url');
    const now = new Date().toISOString();
    const admin: UserEntity = {
      id: newId(), email: email.toLowerCase(), name: 'Administrator', status: 'active', admin: true, departments: [], roles: [],
      partner: null, passwordHash: await hashPassword(chosen), version: 1, createdAt: now, updatedAt: now,
    };
    try {
      await this.store.entities.insert('user', admin);
    } catch (e) {
      // another node created it first
      if (e instanceof TrellisError && e.code === 'UNIQUE_VIOLATION') return null;
      throw e;
    }
    await this.access.changed();
    await this.audit.record({ event: 'user.create', actorId: null, subject: admin.id, details: { email: admin.email, admin: true, bootstrap: true } });
    return { email: admin.email, password: password ? null : chosen };
  }

  /**
   * Checks the caller's current password before a sensitive change. Wrong passwords count toward
   * the account's sign-in lockout, so a stolen token cannot guess the password at speed.
   */
  private async confirmPassword(actor: UserActor, password: string, purpose: string): Promise<UserEntity> {
    const user = await this.store.entities.get('user', actor.id);
    if (!user) throw notFound('User', actor.id);
    const now = Date.now();
    const account = `login:account:${user.email}`;
    const reserved = await this.store.throttle.hit(account, LOGIN_LIMITS.failureWindowMs, now);
    if (reserved.count > LOGIN_LIMITS.accountFailures) throw rateLimited('Too many wrong passwords for this account; try again later', reserved.resetAt, now);
    if (!(await verifyPassword(password, user.passwordHash))) {
      await this.audit.record({ event: `${purpose}.failure`, actorId: actor.id, subject: actor.id, address: actor.address });
      throw new TrellisError('FORBIDDEN', 'The current password is wrong');
    }
    await this.store.throttle.clear(account);
    return user;
  }
}
