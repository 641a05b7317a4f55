import fp from 'fastify-plugin';
import { FileService } from '../files/file-service.js';
import { TaskViews } from '../services/workflow/task-views.js';
import { loadSecret } from '../auth/secret.js';
import type { Config } from '../config.js';
import { AccessService } from '../services/access/access-service.js';
import { AppService } from '../services/app-service.js';
import { AuditService } from '../services/audit-service.js';
import { AuthService } from '../services/auth-service.js';
import { FormCatalog } from '../services/form-catalog.js';
import { FormService } from '../services/form-service.js';
import { DepartmentService } from '../services/org/department-service.js';
import { RoleService } from '../services/org/role-service.js';
import { UserService } from '../services/org/user-service.js';
import { RecordService } from '../services/record-service.js';
import { ExportService } from '../services/data/export-service.js';
import { ImportService } from '../services/data/import-service.js';
import { ImportJobs } from '../services/data/import-jobs.js';
import { DashboardService } from '../services/dashboards/dashboard-service.js';
import { LocalChangeBus, type ChangeBus } from '../services/dashboards/change-bus.js';
import { RedisChangeBus } from '../services/dashboards/redis-change-bus.js';
import { AggregateCache } from '../services/dashboards/aggregate-cache.js';
import { PrintService } from '../services/print/print-service.js';
import { PackLibrary, packDirs } from '../services/packs/pack-library.js';
import { PackService } from '../services/packs/pack-service.js';
import { ShareService } from '../services/share-service.js';
import { ActionRunner } from '../services/workflow/action-runner.js';
import { HttpCompanyRegistry, type CompanyRegistry } from '../connectors/company-registry.js';
import { Automations } from '../services/workflow/automations.js';
import { FlowEngine } from '../services/workflow/flow-engine.js';
import { TaskService } from '../services/workflow/task-service.js';
import { WorkflowService } from '../services/workflow/workflow-service.js';

declare module 'fastify' {
  interface FastifyInstance {
    access: AccessService;
    catalog: FormCatalog;
    audit: AuditService;
    auth: AuthService;
    apps: AppService;
    forms: FormService;
    records: RecordService;
    users: UserService;
    departments: DepartmentService;
    roles: RoleService;
    shares: ShareService;
    workflows: WorkflowService;
    engine: FlowEngine;
    tasks: TaskService;
    fileService: FileService;
    taskViews: TaskViews;
    dashboards: DashboardService;
    /** the business registry company lookups ask (null: TRELLIS_REGISTRY_URL is not set) */
    registry: CompanyRegistry | null;
    dashboardBus: ChangeBus;
    dataExport: ExportService;
    dataImport: ImportService;
    importJobs: ImportJobs;
    packs: PackService;
    printing: PrintService;
  }
}

/** App services over the store; routes call these and nothing below them. */
export default fp<{ config: Config }>(
  async (app, { config }) => {
    const store = app.store;
    const catalog = new FormCatalog(store);
    const access = new AccessService(store, catalog);
    const audit = new AuditService(store);
    const auth = new AuthService(store, access, audit, { secret: loadSecret(config.secret, config.dataDir), tokenTtlSeconds: config.tokenTtlSeconds });
    const records = new RecordService(store, catalog, access, config.timeZone);
    app.decorate('access', access);
    app.decorate('catalog', catalog);
    app.decorate('audit', audit);
    app.decorate('auth', auth);
    app.decorate('apps', new AppService(store, catalog, access, audit));
    app.decorate('forms', new FormService(store, catalog, access));
    app.decorate('records', records);
    app.decorate('users', new UserService(store, access, auth, audit));
    app.decorate('departments', new DepartmentService(store, access, audit));
    app.decorate('roles', new RoleService(store, access, audit));
    app.decorate('shares', new ShareService(store, catalog, records, access, audit));
    const forms = app.forms;
    const registry = config.registryUrl ? new HttpCompanyRegistry(config.registryUrl, config.registryToken, config.webhookTimeoutMs) : null;
    app.decorate('registry', registry);
    const actions = new ActionRunner(store, catalog, records, () => access.directory(), { webhookTimeoutMs: config.webhookTimeoutMs, registry });
    const engine = new FlowEngine(store, catalog, records, access, app.jobs, actions, app.log, config.jobBackoffMs);
    const automations = new Automations(store, catalog, records, engine, app.jobs, actions, app.log, config.jobBackoffMs);
    app.decorate('engine', engine);
    app.decorate('workflows', new WorkflowService(store, forms, catalog, audit, async (formId) => {
      engine.forget(formId);
      await automations.schedule(formId);
    }));
    const tasks = new TaskService(store, records, access, engine);
    app.decorate('tasks', tasks);
    app.decorate('taskViews', new TaskViews(store, catalog, tasks, engine));
    const fileService = new FileService(app.files, catalog, records, tasks, config.maxUploadBytes);
    records.observe({ checking: (published, data, previous, caller) => fileService.checkReferences(published, data, previous, caller) });
    app.decorate('fileService', fileService);
    // dashboards hear of record changes on every node through Redis when there is one, else on this node
    const dashboardBus: ChangeBus = config.redisUrl
      ? await RedisChangeBus.open(config.redisUrl, config.redisPrefix, (err) => app.log.warn({ err }, 'dashboard change bus (Redis)'))
      : new LocalChangeBus();
    if (dashboardBus instanceof RedisChangeBus) app.addHook('onClose', async () => dashboardBus.close());
    const changed = async (p: { form: { id: string } }) => dashboardBus.publish(p.form.id);
    records.observe({ created: changed, updated: changed, deleted: changed, statusChanged: async (formId) => dashboardBus.publish(formId) });
    app.decorate('dashboardBus', dashboardBus);
    app.decorate('dashboards', new DashboardService(store, catalog, access, records, new AggregateCache(dashboardBus)));
    app.decorate('printing', new PrintService(store, catalog, access, records, app.files, config.pdfFont));
    app.decorate('dataExport', new ExportService(store, records));
    app.decorate('packs', new PackService(
      { store, catalog, access, apps: app.apps, forms, roles: app.roles, workflows: app.workflows, dashboards: app.dashboards, records, printing: app.printing },
      new PackLibrary(packDirs(config.packDirs)), audit,
    ));
    app.decorate('dataImport', new ImportService(records));
    app.decorate('importJobs', new ImportJobs(config.dataDir, store, records, access, app.jobs, async (formId) => dashboardBus.publish(formId)));
    await engine.attach(config.workers);
    await automations.attach(config.workers);
    await app.importJobs.attach(config.workers);

    // ended rate-limit windows are swept now and then (each key is reused in place while live)
    const sweep = setInterval(() => {
      store.throttle.purge(Date.now()).catch((err: unknown) => app.log.warn({ err }, 'could not purge rate-limit windows'));
    }, 10 * 60_000);
    sweep.unref();
    app.addHook('onClose', async () => clearInterval(sweep));

    const first = await auth.bootstrap(config.adminEmail, config.adminPassword);
    if (first?.password) {
      // printed once, on the console of the first start only: there is no default password
      process.stdout.write(`\nTrellis created the first administrator:\n  e-mail:   ${first.email}\n  password: ${first.password}\nSign in and change it (POST /api/auth/password).\n\n`);
    }
  },
  { name: 'services', dependencies: ['store', 'jobs', 'files'] },
);
