import path from 'node:path';
import type { Config } from '../config.js';
import type { FileStore } from './port.js';

/** The file store the configuration asks for: GridFS when MONGO_URL is set, else a folder under DATA_DIR. */
export async function openFileStore(config: Pick<Config, 'mongoUrl' | 'dataDir'>): Promise<FileStore> {
  if (config.mongoUrl) {
    const { createGridFsFileStore } = await import('./gridfs-store.js');
    return createGridFsFileStore(config.mongoUrl);
  }
  const { createDiskFileStore } = await import('./disk-store.js');
  return createDiskFileStore(path.join(config.dataDir, 'files'));
}
