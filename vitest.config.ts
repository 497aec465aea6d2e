import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// KPL_TEST_BACKEND=mysql re-runs only the integration tests (*.int.test.ts) against MariaDB + Redis.
const mysqlRun = process.env.KPL_TEST_BACKEND === 'mysql';

export default defineConfig({
  resolve: {
    alias: { '@kpl/shared': fileURLToPath(new URL('./packages/shared/src/index.ts', import.meta.url)) },
  },
  test: {
    include: mysqlRun
      ? ['apps/server/src/**/*.int.test.ts']
      : ['apps/server/src/**/*.test.ts', 'apps/web/src/**/*.test.ts', 'packages/shared/src/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    env: { KPL_TEST_BACKEND: mysqlRun ? 'mysql' : 'sqlite' },
  },
});
