import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { precompress } from '../scripts/vite-precompress.mjs';

// Served by the Trellis server at /designer/ (server/src/routes/web.ts). `pnpm dev` here proxies the API.
// The designer reuses the runtime's renderer, API client and i18n from runtime/app/src.
export default defineConfig({
  base: '/designer/',
  plugins: [react(), precompress()],
  resolve: { alias: [{ find: /^@trellis\/app\/(.*)$/, replacement: fileURLToPath(new URL('../runtime/app/src/$1', import.meta.url)) }] },
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 1500 },
  server: { proxy: { '/api': 'http://127.0.0.1:3000' } },
});
