import { defineConfig } from 'vitest/config';

// A fixed non-UTC zone with DST makes time-zone bugs show up on a UTC build machine.
process.env.TZ = 'Europe/Prague';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ['default', './test/support/closing-line-reporter.ts'],
  },
});
