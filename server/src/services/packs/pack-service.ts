import { compareVersions, TrellisError, type Pack, type PackManifest, type PackSummary, type Resolution } from '@trellis/core';
import type { AppEntity } from '../../store/port.js';
import type { UserActor } from '../access/actor.js';
import type { AuditService } from '../audit-service.js';
import { exportApp } from './pack-exporter.js';
import { installPack, type InstallOptions } from './pack-installer.js';
import type { PackLibrary } from './pack-library.js';
import { upgradeApp, type UpgradeResult } from './pack-upgrader.js';
import type { PackDeps } from './pack-writer.js';

export interface UpgradeRequest {
  /** a bundled pack by id … */
  packId?: string;
  /** … or the pack itself */
  pack?: unknown;
  resolutions?: Record<string, Resolution>;
  apply?: boolean;
}

/** Which pack an app came from, and whether the bundled pack is newer. */
export interface PackOrigin {
  packId: string;
  /** the pack's name as installed */
  name: PackManifest['name'];
  /** the version the app stands on */
  version: string;
  /** the bundled pack's version when it is newer, else null */
  available: string | null;
}

/** Template packs: the bundled ones, installing and importing them as apps, exporting apps as packs, upgrading. */
export class PackService {
  constructor(
    private readonly deps: PackDeps,
    private readonly library: PackLibrary,
    private readonly audit: AuditService,
  ) {}

  /** The bundled packs (anyone signed in may look). */
  list(): Promise<PackSummary[]> {
    return this.library.list();
  }

  /** Installs a bundled pack as a new app (administrators, as for any new app). */
  async install(actor: UserActor, packId: string, options: InstallOptions): Promise<AppEntity> {
    this.deps.access.requireAdmin(actor);
    const pack = await this.library.get(packId);
    return this.installed(actor, pack, options, 'pack.install');
  }

  /** Installs a pack someone sends (an export of another app or workspace) as a new app, with its records. */
  async import(actor: UserActor, doc: unknown, options: InstallOptions): Promise<AppEntity> {
    this.deps.access.requireAdmin(actor);
    return this.installed(actor, doc as Pack, { withSampleData: true, ...options }, 'pack.import');
  }

  /** The app as a pack (its designers); records only when asked. */
  async export(actor: UserActor, appId: string, options: { records?: boolean }): Promise<Pack> {
    await this.deps.apps.get(appId, actor);
    await this.deps.access.requireApp(actor, appId, 'design');
    return (await exportApp(this.deps.store, appId, options)).pack;
  }

  /** Which pack (and version) the app was installed or imported from; 404 when it was not (administrators). */
  async origin(actor: UserActor, appId: string): Promise<PackOrigin> {
    this.deps.access.requireAdmin(actor);
    await this.deps.apps.get(appId, actor);
    const install = await this.deps.store.entities.get('packInstall', appId);
    if (!install) throw new TrellisError('NOT_FOUND', 'This app was not installed from a pack', { appId });
    // the listed summaries: a bundled pack that fails its checks offers no upgrade (an upgrade would refuse it)
    const bundled = (await this.library.list()).find((p) => p.id === install.packId);
    const available = bundled && compareVersions(bundled.version, install.packVersion) > 0 ? bundled.version : null;
    return { packId: install.packId, name: install.base.manifest.name, version: install.packVersion, available };
  }

  /** Previews (or, with `apply`, carries out) the upgrade of an app to a newer version of its pack. */
  async upgrade(actor: UserActor, appId: string, request: UpgradeRequest): Promise<UpgradeResult> {
    await this.deps.apps.get(appId, actor);
    await this.deps.access.requireApp(actor, appId, 'design');
    if ((request.packId === undefined) === (request.pack === undefined)) {
      throw new TrellisError('BAD_REQUEST', 'Send either "packId" (a bundled pack) or "pack" (the pack itself)');
    }
    const theirs = request.packId !== undefined ? await this.library.get(request.packId) : (request.pack as Pack);
    const result = await upgradeApp(this.deps, actor, appId, theirs, { resolutions: request.resolutions ?? {}, apply: request.apply ?? false });
    if (result.applied) {
      await this.audit.record({ event: 'pack.upgrade', actorId: actor.id, subject: appId, address: actor.address, details: { packId: result.packId, from: result.from, to: result.to } });
    }
    return result;
  }

  private async installed(actor: UserActor, pack: Pack, options: InstallOptions, event: string): Promise<AppEntity> {
    const app = await installPack(this.deps, actor, pack, options);
    await this.audit.record({ event, actorId: actor.id, subject: app.id, address: actor.address, details: { packId: pack.manifest.id, version: pack.manifest.version, sample: Boolean(options.withSampleData) } });
    return app;
  }
}
