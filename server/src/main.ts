import { mkdirSync } from 'node:fs';
import { buildApp } from './app.js';
import { readConfig, type Config } from './config.js';

function cannotStart(e: unknown): never {
  // a configuration mistake (a bad variable, a short TRELLIS_SECRET, a corrupt secret file) is one clear line
  process.stderr.write(`Trellis cannot start: ${e instanceof Error ? e.message : String(e)}\n`);
  if (process.env.LOG_LEVEL === 'debug' && e instanceof Error) process.stderr.write(`${e.stack ?? ''}\n`);
  process.exit(1);
}

let config: Config;
let app: Awaited<ReturnType<typeof buildApp>>;
try {
  config = readConfig();
  mkdirSync(config.dataDir, { recursive: true });
  app = await buildApp({ config, logger: true });
} catch (e) {
  cannotStart(e);
}

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
