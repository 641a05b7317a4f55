import fp from 'fastify-plugin';
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
import { ShareService } from '../services/share-service.js';

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
    const records = new RecordService(store, catalog, access);
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
  { name: 'services', dependencies: ['store'] },
);
