import path from 'node:path';
import type { Config } from '../config.js';
import type { Store } from './port.js';

/** Opens the store the configuration asks for: MongoDB when MONGO_URL is set, else SQLite in DATA_DIR. */
export async function openStore(config: Pick<Config, 'mongoUrl' | 'dataDir'>): Promise<Store> {
  if (config.mongoUrl) {
    const { createMongoStore } = await import('./mongo/mongo-store.js');
    return createMongoStore({ url: config.mongoUrl });
  }
  const { createSqliteStore } = await import('./sqlite/sqlite-store.js');
  return createSqliteStore({ file: path.join(config.dataDir, 'trellis.db') });
}
