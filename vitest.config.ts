import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  resolve: {
    alias: [
      { find: /^@\//, replacement: `${root}` },
      // lib/data marks itself server-only; tests run on the server side too.
      { find: /^server-only$/, replacement: `${root}node_modules/server-only/empty.js` },
    ],
  },
  test: {
    environment: 'node',
    env: { NODE_ENV: 'test', LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent' },
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['**/*.test.ts'],
          exclude: [
            '**/node_modules/**',
            '.next/**',
            '.next-e2e/**',
            'data/**',
            'firmware/**',
            // Local scratch (git-excluded): never part of a run.
            '.scratch/**',
            'test/integration/**',
            'test/e2e/**',
          ],
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          // Real MariaDB/MySQL at DATABASE_URL's server; each file makes and drops its own database.
          include: ['test/integration/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          // Builds and starts Next, drives /usr/bin/chromium; run with `npm run test:e2e`.
          include: ['test/e2e/**/*.test.ts'],
          globalSetup: ['test/e2e/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
