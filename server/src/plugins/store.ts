import fp from 'fastify-plugin';
import type { Store } from '../store/port.js';

declare module 'fastify' {
  interface FastifyInstance {
    store: Store;
  }
}

/** External connection: the store. Closed when the server closes. */
export default fp<{ store: Store }>(
  async (app, opts) => {
    await opts.store.migrate();
    app.decorate('store', opts.store);
    app.addHook('onClose', async () => {
      await opts.store.close();
    });
  },
  { name: 'store' },
);
