import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { buildApp } from '@trellis/server';
import { readConfig } from '@trellis/server/config';

export interface Harness {
  app: FastifyInstance;
  dataDir: string;
  /** JSON request through Fastify's inject; returns status and parsed body */
  call<T = any>(method: InjectOptions['method'], url: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: T }>;
  close(): Promise<void>;
}

/** A server on the embedded store in a fresh data folder (a real SQLite file). */
export async function startHarness(env: Record<string, string> = {}): Promise<Harness> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'trellis-test-'));
  const app = await buildApp({ config: readConfig({ DATA_DIR: dataDir, ...env }) });
  await app.ready();
  return {
    app,
    dataDir,
    async call(method, url, body, headers = {}) {
      const res = await app.inject({
        method, url, headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
        payload: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = res.body;
      return { status: res.statusCode, body: text ? JSON.parse(text) : null };
    },
    async close() {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
