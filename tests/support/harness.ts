import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { buildApp } from '@trellis/server';
import { readConfig } from '@trellis/server/config';
import type { JobQueue } from '@trellis/server/jobs/port';

export const ADMIN_EMAIL = 'admin@example.com';
export const ADMIN_PASSWORD = 'admin-password-for-tests';

export type Reply<T = any> = { status: number; body: T; headers: Record<string, unknown> };
export type Call = <T = any>(method: InjectOptions['method'], url: string, body?: unknown, headers?: Record<string, string>) => Promise<Reply<T>>;

export interface Harness {
  app: FastifyInstance;
  dataDir: string;
  /** the first administrator's token */
  adminToken: string;
  /** the server's job queue (to wait for background work, read the dead-letter view) */
  jobs: JobQueue;
  /** JSON request through Fastify's inject, signed in as the administrator unless `headers.authorization` says otherwise ("" sends none) */
  call: Call;
  /** the same, signed in with `token` ("" for no sign-in at all) */
  as(token: string): Call;
  /** signs in and returns the token (fails the test on anything but 200) */
  login(email: string, password: string): Promise<string>;
  close(): Promise<void>;
}

/** A server on the embedded store in a fresh data folder (a real SQLite file), with a known first administrator. */
export async function startHarness(env: Record<string, string> = {}): Promise<Harness> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'trellis-test-'));
  const app = await buildApp({ config: readConfig({ DATA_DIR: dataDir, TRELLIS_ADMIN_EMAIL: ADMIN_EMAIL, TRELLIS_ADMIN_PASSWORD: ADMIN_PASSWORD, ...env }) });
  await app.ready();
  const request = (token: string): Call => async (method, url, body, headers = {}) => {
    const auth: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
    const merged = { ...auth, ...headers };
    if (merged.authorization === '') delete merged.authorization;
    const res = await app.inject({
      method, url, headers: body === undefined ? merged : { 'content-type': 'application/json', ...merged },
      payload: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = res.body;
    return { status: res.statusCode, body: text ? JSON.parse(text) : null, headers: res.headers };
  };
  const login = async (email: string, password: string): Promise<string> => {
    const r = await request('')('POST', '/api/auth/login', { username: email, password });
    if (r.status !== 200) throw new Error(`login of ${email} failed: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body.token as string;
  };
  const adminToken = await login(ADMIN_EMAIL, ADMIN_PASSWORD);
  return {
    app,
    dataDir,
    adminToken,
    jobs: (app as unknown as { jobs: JobQueue }).jobs,
    call: request(adminToken),
    as: request,
    login,
    async close() {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
