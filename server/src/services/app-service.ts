import type { AppInput, AppPatch } from '@trellis/core';
import { notFound } from '../http/errors.js';
import type { Actor } from '../plugins/actor.js';
import type { AppEntity, Store } from '../store/port.js';
import type { FormService } from './form-service.js';
import { newId } from './ids.js';

const WORKSPACE = 'default';

export class AppService {
  constructor(
    private readonly store: Store,
    private readonly forms: FormService,
  ) {}

  async create(input: AppInput, actor: Actor | null): Promise<AppEntity> {
    const now = new Date().toISOString();
    const app: AppEntity = { ...input, id: newId(), workspaceId: WORKSPACE, version: 1, createdAt: now, updatedAt: now, createdBy: actor?.id ?? null };
    await this.store.apps.create(app);
    return app;
  }

  list(): Promise<AppEntity[]> {
    return this.store.apps.list(WORKSPACE);
  }

  async get(appId: string): Promise<AppEntity> {
    const app = await this.store.apps.get(appId);
    if (!app) throw notFound('App', appId);
    return app;
  }

  async update(appId: string, patch: AppPatch, expectedVersion: number | null): Promise<AppEntity> {
    const app = await this.store.apps.update(appId, expectedVersion, { ...patch, updatedAt: new Date().toISOString() });
    if (!app) throw notFound('App', appId);
    return app;
  }

  async delete(appId: string): Promise<void> {
    if (!(await this.store.apps.delete(appId))) throw notFound('App', appId);
    this.forms.forgetApp(appId);
  }
}
