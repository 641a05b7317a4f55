import { existsSync } from 'node:fs';
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
  /** the first administrator, created on first start only */
  adminEmail: string;
  /** unset: a random password is made and printed once */
  adminPassword: string | undefined;
  /** token signing key; unset: generated into DATA_DIR/secret */
  secret: string | undefined;
  /** how long a sign-in lasts */
  tokenTtlSeconds: number;
  /** first retry delay of a failed workflow action or automation (doubling each try) */
  jobBackoffMs: number;
  /** how long a worker holds a job without renewing it; a job of a crashed worker runs again after this */
  jobLeaseMs: number;
  /** prefix of every Redis key (several deployments, or test runs, can share one Redis) */
  redisPrefix: string;
  /** whether this node works background jobs (API-only nodes set TRELLIS_WORKERS=off) */
  workers: boolean;
  /** behind a load balancer: take the client address from X-Forwarded-For (rate limits and lockouts go by address) */
  trustProxy: boolean;
  /** how long a webhook may take to answer before the try counts as failed */
  webhookTimeoutMs: number;
  /** largest file one upload may carry, in bytes (POST /api/files) */
  maxUploadBytes: number;
  /** largest CSV/XLSX file an import takes (TRELLIS_MAX_IMPORT_BYTES, default 200 MB) */
  maxImportBytes: number;
  /** the business-registry provider company lookups ask (TRELLIS_REGISTRY_URL); null: lookups are off */
  registryUrl: string | null;
  /** sent to the provider as `Authorization: Bearer <token>` (TRELLIS_REGISTRY_TOKEN) */
  registryToken: string | null;
  /** the TTF or OTF font PDFs are set in (TRELLIS_PDF_FONT); null: the bundled Noto Sans SC */
  pdfFont: string | null;
  /** folders of template packs besides the bundled `templates/` (TRELLIS_PACKS_DIR, separated like PATH) */
  packDirs: string[];
  /** the zone dates are read in: today, date defaults, relative dates, serial-number periods, dashboard ranges (TRELLIS_TIME_ZONE; default the system's) */
  timeZone: string;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, not "${env.PORT}"`);
  const bodyLimit = Number(env.TRELLIS_BODY_LIMIT ?? 1024 * 1024);
  if (!Number.isInteger(bodyLimit) || bodyLimit < 1024) throw new Error(`TRELLIS_BODY_LIMIT must be a whole number of bytes ≥ 1024, not "${env.TRELLIS_BODY_LIMIT}"`);
  const tokenTtlSeconds = Number(env.TRELLIS_TOKEN_TTL ?? 12 * 3600);
  if (!Number.isInteger(tokenTtlSeconds) || tokenTtlSeconds < 60 || tokenTtlSeconds > 90 * 86400) {
    throw new Error(`TRELLIS_TOKEN_TTL must be a whole number of seconds from 60 to 7776000, not "${env.TRELLIS_TOKEN_TTL}"`);
  }
  const jobBackoffMs = Number(env.TRELLIS_JOB_BACKOFF_MS ?? 1000);
  if (!Number.isInteger(jobBackoffMs) || jobBackoffMs < 1 || jobBackoffMs > 3_600_000) throw new Error(`TRELLIS_JOB_BACKOFF_MS must be a whole number of milliseconds from 1 to 3600000, not "${env.TRELLIS_JOB_BACKOFF_MS}"`);
  const jobLeaseMs = Number(env.TRELLIS_JOB_LEASE_MS ?? 30_000);
  if (!Number.isInteger(jobLeaseMs) || jobLeaseMs < 100 || jobLeaseMs > 3_600_000) throw new Error(`TRELLIS_JOB_LEASE_MS must be a whole number of milliseconds from 100 to 3600000, not "${env.TRELLIS_JOB_LEASE_MS}"`);
  const redisPrefix = env.TRELLIS_REDIS_PREFIX || 'trellis';
  if (!/^[A-Za-z0-9_:.-]{1,100}$/.test(redisPrefix)) throw new Error(`TRELLIS_REDIS_PREFIX may hold letters, digits and - _ : . only, not "${redisPrefix}"`);
  const workersText = (env.TRELLIS_WORKERS ?? 'on').toLowerCase();
  if (!['on', 'off', 'true', 'false', '1', '0'].includes(workersText)) throw new Error(`TRELLIS_WORKERS must be on or off, not "${env.TRELLIS_WORKERS}"`);
  const webhookTimeoutMs = Number(env.TRELLIS_WEBHOOK_TIMEOUT_MS ?? 10_000);
  if (!Number.isInteger(webhookTimeoutMs) || webhookTimeoutMs < 100 || webhookTimeoutMs > 300_000) throw new Error(`TRELLIS_WEBHOOK_TIMEOUT_MS must be a whole number of milliseconds from 100 to 300000, not "${env.TRELLIS_WEBHOOK_TIMEOUT_MS}"`);
  const maxUploadBytes = Number(env.TRELLIS_MAX_UPLOAD_BYTES ?? 20 * 1024 * 1024);
  if (!Number.isInteger(maxUploadBytes) || maxUploadBytes < 1 || maxUploadBytes > 10 * 1024 ** 3) throw new Error(`TRELLIS_MAX_UPLOAD_BYTES must be a whole number of bytes from 1 to 10737418240, not "${env.TRELLIS_MAX_UPLOAD_BYTES}"`);
  const maxImportBytes = Number(env.TRELLIS_MAX_IMPORT_BYTES ?? 200 * 1024 * 1024);
  if (!Number.isInteger(maxImportBytes) || maxImportBytes < 1 || maxImportBytes > 10 * 1024 ** 3) throw new Error(`TRELLIS_MAX_IMPORT_BYTES must be a whole number of bytes from 1 to 10737418240, not "${env.TRELLIS_MAX_IMPORT_BYTES}"`);
  const registryUrl = env.TRELLIS_REGISTRY_URL ? env.TRELLIS_REGISTRY_URL.replace(/\/+$/, '') : null;
  if (registryUrl !== null && !/^https?:\/\/[^\s/]+/.test(registryUrl)) throw new Error(`TRELLIS_REGISTRY_URL must be an http(s) URL, not "${env.TRELLIS_REGISTRY_URL}"`);
  const timeZone = env.TRELLIS_TIME_ZONE || Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  try {
    new Intl.DateTimeFormat('en', { timeZone });
  } catch {
    throw new Error(`TRELLIS_TIME_ZONE must be an IANA time zone such as Asia/Shanghai or UTC, not "${timeZone}"`);
  }
  if (env.TRELLIS_PDF_FONT && !existsSync(env.TRELLIS_PDF_FONT)) throw new Error(`TRELLIS_PDF_FONT names no file: "${env.TRELLIS_PDF_FONT}"`);
  const adminPassword = env.TRELLIS_ADMIN_PASSWORD || undefined;
  if (adminPassword !== undefined && (adminPassword.length < 8 || adminPassword.length > 200)) throw new Error('TRELLIS_ADMIN_PASSWORD must have 8 to 200 characters');
  return {
    port,
    host: env.HOST ?? '127.0.0.1',
    dataDir: path.resolve(env.DATA_DIR ?? './data'),
    mongoUrl: env.MONGO_URL || null,
    redisUrl: env.REDIS_URL || null,
    bodyLimit,
    logLevel: env.LOG_LEVEL ?? 'info',
    adminEmail: (env.TRELLIS_ADMIN_EMAIL || 'admin@localhost').toLowerCase(),
    adminPassword,
    secret: env.TRELLIS_SECRET || undefined,
    tokenTtlSeconds,
    jobBackoffMs,
    jobLeaseMs,
    redisPrefix,
    workers: ['on', 'true', '1'].includes(workersText),
    trustProxy: ['on', 'true', '1'].includes((env.TRELLIS_TRUST_PROXY ?? 'off').toLowerCase()),
    webhookTimeoutMs,
    maxUploadBytes,
    maxImportBytes,
    registryUrl,
    registryToken: env.TRELLIS_REGISTRY_TOKEN || null,
    pdfFont: env.TRELLIS_PDF_FONT || null,
    timeZone,
    packDirs: (env.TRELLIS_PACKS_DIR ?? '').split(path.delimiter).filter(Boolean).map((d) => path.resolve(d)),
  };
}
