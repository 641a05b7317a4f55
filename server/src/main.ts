import { mkdirSync } from 'node:fs';
import { buildApp } from './app.js';
import { readConfig } from './config.js';

const config = readConfig();
mkdirSync(config.dataDir, { recursive: true });
const app = await buildApp({ config, logger: true });

let closing = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    app.close().then(
      () => process.exit(0),
      (err: unknown) => {
        app.log.error({ err }, 'error while shutting down');
        process.exit(1);
      },
    );
  });
}

await app.listen({ port: config.port, host: config.host });
app.log.info(`Trellis is listening on http://${config.host}:${config.port} (store: ${app.store.kind}, data: ${config.dataDir})`);
