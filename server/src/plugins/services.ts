import fp from 'fastify-plugin';
import { AppService } from '../services/app-service.js';
import { FormService } from '../services/form-service.js';
import { RecordService } from '../services/record-service.js';

declare module 'fastify' {
  interface FastifyInstance {
    apps: AppService;
    forms: FormService;
    records: RecordService;
  }
}

/** App services over the store; routes call these and nothing below them. */
export default fp(
  async (app) => {
    const forms = new FormService(app.store);
    app.decorate('apps', new AppService(app.store, forms));
    app.decorate('forms', forms);
    app.decorate('records', new RecordService(app.store, forms));
  },
  { name: 'services', dependencies: ['store'] },
);
