import path from 'node:path';

/** Server settings, read from the environment (DESIGN.md "Configuration"; keep these names). */
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  mongoUrl: string | null;
  redisUrl: string | null;
  /** largest JSON body accepted, in bytes */
  bodyLimit: number;
  logLevel: string;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, not "${env.PORT}"`);
  const bodyLimit = Number(env.TRELLIS_BODY_LIMIT ?? 1024 * 1024);
  if (!Number.isInteger(bodyLimit) || bodyLimit < 1024) throw new Error(`TRELLIS_BODY_LIMIT must be a whole number of bytes ≥ 1024, not "${env.TRELLIS_BODY_LIMIT}"`);
  return {
    port,
    host: env.HOST ?? '127.0.0.1',
    dataDir: path.resolve(env.DATA_DIR ?? './data'),
    mongoUrl: env.MONGO_URL || null,
    redisUrl: env.REDIS_URL || null,
    bodyLimit,
    logLevel: env.LOG_LEVEL ?? 'info',
  };
}
