import type { AppInput, AppPatch } from '@trellis/core';
import { notFound } from '../http/errors.js';
import type { AppEntity, Store } from '../store/port.js';
import type { AccessService } from './access/access-service.js';
import type { UserActor } from './access/actor.js';
import { deleteAppWithRemains } from './app-remains.js';
import type { AuditService } from './audit-service.js';
import type { FormCatalog } from './form-catalog.js';
import { newId } from './ids.js';

const WORKSPACE = 'default';

/** Apps: administrators create them; designers change them; others see those they may open. */
export class AppService {
  constructor(
    private readonly store: Store,
    private readonly catalog: FormCatalog,
    private readonly access: AccessService,
    private readonly audit: AuditService,
  ) {}

  async create(input: AppInput, actor: UserActor): Promise<AppEntity> {
    this.access.requireAdmin(actor);
    const now = new Date().toISOString();
    const app: AppEntity = { ...input, id: newId(), workspaceId: WORKSPACE, version: 1, createdAt: now, updatedAt: now, createdBy: actor.id };
    await this.store.apps.create(app);
    return app;
  }

  async list(actor: UserActor): Promise<AppEntity[]> {
    const apps = await this.store.apps.list(WORKSPACE);
    if (actor.principal.admin) return apps;
    const out: AppEntity[] = [];
    for (const a of apps) {
      const forms = await this.store.forms.listByApp(a.id);
      if (this.access.app(actor, a.id, forms.map((f) => f.id)).open) out.push(a);
    }
    return out;
  }

  async get(appId: string, actor: UserActor): Promise<AppEntity> {
    const app = await this.store.apps.get(appId);
    if (!app) throw notFound('App', appId);
    await this.access.requireApp(actor, appId, 'open');
    return app;
  }

  async update(appId: string, patch: AppPatch, expectedVersion: number | null, actor: UserActor): Promise<AppEntity> {
    await this.get(appId, actor);
    await this.access.requireApp(actor, appId, 'design');
    const app = await this.store.apps.update(appId, expectedVersion, { ...patch, updatedAt: new Date().toISOString() });
    if (!app) throw notFound('App', appId);
    return app;
  }

  async delete(appId: string, actor: UserActor): Promise<void> {
    await this.get(appId, actor);
    await this.access.requireApp(actor, appId, 'design');
    // with its roles, dashboards, workflows, print templates, share links, pack install; open tasks cancelled
    if (!(await deleteAppWithRemains(this.store, this.catalog, this.access, appId))) throw notFound('App', appId);
    await this.audit.record({ event: 'app.delete', actorId: actor.id, subject: appId, address: actor.address });
  }
}
