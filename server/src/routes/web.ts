// Serves the built front ends: the runtime at /app/ and the designer at /designer/.
// Each is a single-page app: a path that is not a built file gets its index.html, so deep
// links (/app/forms/f1) load the app, which routes itself. Hashed assets are cached for a
// year; index.html never, so a deploy is seen at the next load.
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));

export const WEB_APPS = [
  { prefix: '/app', dist: path.join(REPO, 'runtime/app/dist') },
  { prefix: '/designer', dist: path.join(REPO, 'designer/dist') },
] as const;

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

export default async function webRoutes(app: FastifyInstance): Promise<void> {
  // sendFile only: the routes below are ours, so they can be public and fall back to index.html.
  // The build writes a .gz beside each text asset (scripts/vite-precompress.mjs), sent as is to clients that take gzip.
  await app.register(fastifyStatic, { root: REPO, serve: false, preCompressed: true });

  for (const { prefix, dist } of WEB_APPS) {
    const send = (reply: FastifyReply, rel: string) => {
      const immutable = rel.startsWith('assets/');
      return reply
        .header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache')
        .header('x-content-type-options', 'nosniff')
        .sendFile(rel, dist, { cacheControl: false });
    };
    const serve = async (url: string, reply: FastifyReply) => {
      if (!existsSync(path.join(dist, 'index.html'))) {
        return reply.status(503).type('text/plain').send(`${prefix} is not built: run \`pnpm run build\` (or \`npm run up\`).`);
      }
      const rel = decodeURIComponent(url.split('?')[0]!.slice(prefix.length + 1));
      const full = path.resolve(dist, rel);
      if (rel && full.startsWith(dist + path.sep) && isFile(full)) return send(reply, path.relative(dist, full));
      // a missing asset is a 404, not the app: a stale page must not get HTML for its script
      if (rel.startsWith('assets/')) return reply.status(404).type('text/plain').send('Not found');
      return send(reply, 'index.html');
    };
    app.get(prefix, { config: { public: true }, schema: { hide: true } }, (_req, reply) => reply.redirect(`${prefix}/`));
    app.get(`${prefix}/*`, { config: { public: true }, schema: { hide: true } }, (req, reply) => serve(req.url, reply));
  }
  app.get('/', { config: { public: true }, schema: { hide: true } }, (_req, reply) => reply.redirect('/app/'));
  // share links are handed out as /share/<token> (POST …/share-links replies `url`): the runtime's share page
  app.get<{ Params: { token: string } }>('/share/:token', { config: { public: true }, schema: { hide: true } }, (req, reply) =>
    reply.redirect(`/app/share/${encodeURIComponent(req.params.token)}`),
  );
}
