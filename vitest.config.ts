import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

// Tests run on the TypeScript sources: the workspace packages resolve to src, not dist.
export default defineConfig({
  resolve: {
    alias: [
      { find: /^@trellis\/core$/, replacement: here('./runtime/core/src/index.ts') },
      { find: /^@trellis\/server$/, replacement: here('./server/src/app.ts') },
      { find: /^@trellis\/server\/(.*)$/, replacement: here('./server/src/$1.ts') },
    ],
  },
  test: {
    include: ['runtime/core/src/**/*.test.ts', 'server/src/**/*.test.ts', 'tests/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
