import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', 'data/**', '**/*.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/server/src/**'], message: 'Only the server imports its internals.' }] }],
    },
  },
  { files: ['scripts/**/*.mjs', '**/*.config.{js,ts}'], languageOptions: { globals: globals.node } },
  // The front ends run in the browser and talk to the server only over HTTP.
  {
    files: ['runtime/app/src/**/*.{ts,tsx}', 'designer/src/**/*.{ts,tsx}'],
    languageOptions: { globals: globals.browser },
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: ['node:*', '@trellis/server', '@trellis/server/*', '**/server/src/**'], message: 'The front ends use the HTTP API, never server internals.' },
      ] }],
    },
  },
  // API tests read JSON replies of many shapes.
  { files: ['tests/**/*.ts'], rules: { '@typescript-eslint/no-explicit-any': 'off' } },
  {
    // The metadata language is pure and isomorphic: no Node built-ins, no databases, no React.
    files: ['runtime/core/src/**/*.ts'],
    ignores: ['runtime/core/src/**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: ['node:*', 'fs', 'path', 'crypto', 'better-sqlite3', 'mongodb', 'fastify', 'react', '@trellis/server'], message: '@trellis/core must stay pure and isomorphic.' },
      ] }],
    },
  },
);
