import Fastify, { type FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Config } from './config.js';
import { registerErrorHandler } from './http/errors.js';
import { SHARED_SCHEMAS } from './http/schemas.js';
import actor from './plugins/actor.js';
import filesPlugin from './files/plugin.js';
import jobsPlugin from './plugins/jobs.js';
import services from './plugins/services.js';
import storePlugin from './plugins/store.js';
import apiKeyRoutes from './routes/api-keys.js';
import appRoutes from './routes/apps.js';
import auditRoutes from './routes/audit.js';
import authRoutes from './routes/auth.js';
import jobRoutes from './routes/jobs.js';
import taskRoutes from './routes/tasks.js';
import workflowRoutes from './routes/workflows.js';
import departmentRoutes from './routes/departments.js';
import roleRoutes from './routes/roles.js';
import shareRoutes from './routes/share.js';
import userRoutes from './routes/users.js';
import fileRoutes from './routes/files.js';
import formRoutes from './routes/forms.js';
import recordRoutes from './routes/records.js';
import systemRoutes from './routes/system.js';
import bulkRoutes from './routes/bulk.js';
import dashboardRoutes from './routes/dashboards.js';
import connectorRoutes from './routes/connectors.js';
import dataRoutes from './routes/data.js';
import packRoutes from './routes/packs.js';
import printRoutes from './routes/print.js';
import webRoutes from './routes/web.js';
import { openStore } from './store/open-store.js';
import type { JobQueue } from './jobs/port.js';
import type { Store } from './store/port.js';

export interface BuildOptions {
  config: Config;
  /** a store opened by the caller (tests, benchmarks); otherwise the configured one is opened */
  store?: Store;
  /** a job queue opened by the caller; otherwise the configured one is opened */
  jobs?: JobQueue;
  logger?: boolean;
}

/** Builds the server in layers: connections (store) → services → routes. */
export async function buildApp({ config, store, jobs, logger = false }: BuildOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: logger ? { level: config.logLevel } : false,
    bodyLimit: config.bodyLimit,
    trustProxy: config.trustProxy,
    // Unknown properties are errors, not silently dropped; bodies are never coerced.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, useDefaults: false, allErrors: false } },
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
  }).withTypeProvider<TypeBoxTypeProvider>();

  registerErrorHandler(app);
  for (const schema of SHARED_SCHEMAS) app.addSchema(schema);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Trellis API', version: '0.1.0', description: 'Forms, records and workflows of a Trellis workspace.' },
    },
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => String(json.$id ?? `def-${i}`) },
  });

  await app.register(storePlugin, { store: store ?? (await openStore(config)) });
  await app.register(jobsPlugin, { config, ...(jobs ? { jobs } : {}) });
  await app.register(filesPlugin, { config });
  await app.register(services, { config });
  await app.register(actor);

  await app.register(systemRoutes);
  await app.register(appRoutes);
  await app.register(formRoutes);
  await app.register(recordRoutes);
  await app.register(bulkRoutes);
  await app.register(authRoutes);
  await app.register(apiKeyRoutes);
  await app.register(userRoutes);
  await app.register(departmentRoutes);
  await app.register(roleRoutes);
  await app.register(shareRoutes);
  await app.register(fileRoutes, { config });
  await app.register(auditRoutes);
  await app.register(workflowRoutes);
  await app.register(taskRoutes);
  await app.register(jobRoutes);
  await app.register(dashboardRoutes);
  await app.register(connectorRoutes);
  await app.register(dataRoutes, { config });
  await app.register(packRoutes);
  await app.register(printRoutes);
  await app.register(webRoutes);
  return app;
}
