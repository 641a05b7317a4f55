import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

// Tests run on the TypeScript sources: the workspace packages resolve to src, not dist.
// Two groups: the unit/API/job tests in parallel, then the browser tests one file at a time
// (each starts the built server and chromium; on 2 cores they must not fight the others).
export default defineConfig({
  resolve: {
    alias: [
      { find: /^@trellis\/core$/, replacement: here('./runtime/core/src/index.ts') },
      { find: /^@trellis\/server$/, replacement: here('./server/src/app.ts') },
      { find: /^@trellis\/server\/(.*)$/, replacement: here('./server/src/$1.ts') },
    ],
  },
  test: {
    exclude: ['**/node_modules/**', '**/dist/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['runtime/core/src/**/*.test.ts', 'server/src/**/*.test.ts', 'tests/**/*.test.ts', 'runtime/app/src/**/*.test.ts', 'designer/src/**/*.test.ts'],
          exclude: ['**/node_modules/**', '**/dist/**', 'tests/e2e/**'],
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          include: ['tests/e2e/**/*.test.ts'],
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 120_000,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
