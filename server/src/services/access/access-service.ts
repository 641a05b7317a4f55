import {
  andFilters, appAccess, FULL_ACCESS, limitLookups, NO_ACCESS, resolveFormAccess, submitOnlyAccess, TrellisError,
  type Field, type FormAccess, type FormDefinition, type NormFilter, type Principal, type SubField,
} from '@trellis/core';
import { forbidden } from '../../http/errors.js';
import type { Store } from '../../store/port.js';
import type { FormCatalog, PublishedForm } from '../form-catalog.js';
import type { Caller, UserActor } from './actor.js';
import { Directory } from './directory.js';

const EPOCH_KEY = 'access-epoch';
const CREDENTIAL_EPOCH_KEY = 'credential-epoch';
// lookups of lookups are followed this deep; deeper ones are hidden
const MAX_LOOKUP_DEPTH = 4;

/**
 * Answers "what may this caller do here?" from the organisation at the
 * current access epoch. Every change to users, departments or roles calls
 * `changed()`, every revoked session or key `credentialsChanged()`, and every
 * request reads both epochs, so a revoked token or a changed role applies to
 * the very next request on every node.
 */
export class AccessService {
  private current: Directory | null = null;
  private epochs: Promise<[number, number]> | null = null;
  private loading: Promise<Directory> | null = null;

  constructor(
    private readonly store: Store,
    private readonly forms: FormCatalog,
  ) {}

  /**
   * The directory at the current epochs: two small reads per call. The organisation is loaded
   * again only after it changed; a revoked session or key only starts new credential caches.
   */
  async directory(): Promise<Directory> {
    const [epoch, credentialEpoch] = await this.readEpochs();
    let dir = this.current;
    if (!dir || dir.epoch !== epoch) {
      this.loading ??= this.load(epoch).finally(() => {
        this.loading = null;
      });
      dir = await this.loading;
      // a change may have landed while loading: load once more
      if (dir.epoch !== epoch) return this.directory();
    }
    dir.useCredentialEpoch(credentialEpoch);
    return dir;
  }

  // The epochs are read once per turn of the event loop: the checks of one request (and of requests
  // arriving together) share the read. A change made here drops it at once; other nodes' changes are
  // seen on the next turn.
  private readEpochs(): Promise<[number, number]> {
    if (!this.epochs) {
      this.epochs = Promise.all([this.store.counters.peek(EPOCH_KEY), this.store.counters.peek(CREDENTIAL_EPOCH_KEY)]);
      setImmediate(() => {
        this.epochs = null;
      });
    }
    return this.epochs;
  }

  private async load(epoch: number): Promise<Directory> {
    const [users, departments, roles] = await Promise.all([
      this.store.entities.list('user'),
      this.store.entities.list('department'),
      this.store.entities.list('role'),
    ]);
    const dir = new Directory(epoch, users, departments, roles);
    if (!this.current || this.current.epoch <= epoch) this.current = dir;
    return dir;
  }

  /** Call after any change to users, departments or roles. */
  async changed(): Promise<void> {
    await this.store.counters.next(EPOCH_KEY);
    this.epochs = null;
  }

  /** Call after a session or an API key is revoked. */
  async credentialsChanged(): Promise<void> {
    await this.store.counters.next(CREDENTIAL_EPOCH_KEY);
    this.epochs = null;
  }

  requireAdmin(actor: UserActor): void {
    if (!actor.principal.admin) throw forbidden('Only an administrator may do this');
  }

  /** App-level access; `formIds` are the app's forms (any grant on one opens the app). */
  app(actor: UserActor, appId: string, formIds: readonly string[]): { open: boolean; design: boolean } {
    return appAccess(actor.principal, appId, formIds);
  }

  /** 404 unless the actor may open the app; 403 when `design` is needed and they may only open it. */
  async requireApp(actor: UserActor, appId: string, need: 'open' | 'design'): Promise<void> {
    if (actor.principal.admin) return;
    const forms = await this.store.forms.listByApp(appId);
    const a = this.app(actor, appId, forms.map((f) => f.id));
    if (!a.open) throw new TrellisError('NOT_FOUND', `App "${appId}" not found`, { id: appId });
    if (need === 'design' && !a.design) throw forbidden('You may open this app but not change it');
  }

  /** What the caller may do with the records of a published form. */
  async form(caller: Caller, published: PublishedForm): Promise<FormAccess> {
    const { form } = published;
    if (caller.kind === 'system') return FULL_ACCESS;
    if (caller.kind === 'share') {
      const link = caller.link;
      if (link.formId !== form.id) return NO_ACCESS;
      // a link works while the person who made it is an active user
      const creator = (await this.directory()).principal(link.createdBy);
      if (!creator) return NO_ACCESS;
      if (link.kind === 'submit') return submitOnlyAccess(published.version.definition);
      // a record link reads as its creator would, and reaches that one record only
      if (link.recordId === null) return NO_ACCESS;
      const base = await this.userForm(creator, published, 0);
      if (!base.can.view) return NO_ACCESS;
      const one: NormFilter = { kind: 'cmp', path: { source: 'system', column: 'id', storage: 'ref' }, op: 'eq', value: link.recordId };
      return {
        ...NO_ACCESS,
        can: { ...NO_ACCESS.can, view: true },
        scope: { ...NO_ACCESS.scope, view: andFilters([base.scope.view, one]) },
        hidden: base.hidden,
      };
    }
    return this.userForm(caller.principal, published, 0);
  }

  private async userForm(p: Principal, published: PublishedForm, depth: number): Promise<FormAccess> {
    const dir = await this.directory();
    const key = `${p.id}|${published.form.id}@${published.version.version}`;
    const hit = dir.formAccess.get(key);
    if (hit) return hit;
    const definition = published.version.definition;
    const base = resolveFormAccess(p, published.form, definition);
    // a lookup shows a field of another form: it is hidden unless that field is readable there
    const readable = new Map<string, FormAccess | null>();
    for (const form of lookedUpForms(definition)) {
      const target = depth < MAX_LOOKUP_DEPTH ? await this.forms.published(form).catch(() => null) : null;
      readable.set(form, target ? await this.userForm(p, target, depth + 1) : null);
    }
    const access = limitLookups(base, definition, (formId, field) => {
      const a = readable.get(formId);
      return !!a && a.can.view && !a.hidden.has(field);
    });
    return dir.remember(dir.formAccess, key, access);
  }
}

/** Forms that lookups of `definition` copy from (through top-level links or links inside sub-tables). */
function lookedUpForms(definition: FormDefinition): Set<string> {
  const forms = new Set<string>();
  const scan = (fields: readonly (Field | SubField)[]) => {
    for (const f of fields) {
      if (f.type !== 'link' || !f.form) continue;
      if (fields.some((l) => l.type === 'lookup' && l.link === f.key)) forms.add(f.form);
    }
  };
  scan(definition.fields);
  for (const f of definition.fields) if (f.type === 'subtable') scan(f.fields ?? []);
  return forms;
}
