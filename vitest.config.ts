import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    environment: 'node',
    // A hang guard, not a time budget: tests wait on conditions, and a loaded 2-core machine
    // (CI, or a developer's with other jobs) can take minutes over what an idle one needs.
    testTimeout: 600_000,
    hookTimeout: 120_000,
  },
});
