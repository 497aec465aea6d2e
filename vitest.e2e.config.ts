import { defineConfig } from 'vitest/config';

/** Browser journeys against the built web app; run with `npx vitest run -c vitest.e2e.config.ts`. */
export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // One browser at a time: the journeys are heavy and share nothing worth parallelising.
    fileParallelism: false,
  },
});
