import fp from 'fastify-plugin';
import type { Config } from '../config.js';
import { openFileStore } from './open-files.js';
import type { FileStore } from './port.js';

declare module 'fastify' {
  interface FastifyInstance {
    files: FileStore;
  }
}

/** External connection: where uploaded files live. Closed when the server closes. */
export default fp<{ config: Config; files?: FileStore }>(
  async (app, opts) => {
    const files = opts.files ?? (await openFileStore(opts.config));
    app.decorate('files', files);
    app.addHook('onClose', async () => {
      await files.close();
    });
  },
  { name: 'files' },
);
