import { defineConfig } from 'vitest/config';

// A fixed non-UTC zone with DST makes time-zone bugs show up on a UTC build machine.
// CRM_SYNC_TEST_TZ runs the suite in another zone, to prove no test depends on the zone.
process.env.TZ = process.env.CRM_SYNC_TEST_TZ || 'Europe/Prague';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    environment: 'node',
    // Does nothing unless CRM_SYNC_TEST_CLOCK_SHIFT_DAYS is set (see the file).
    setupFiles: ['test/support/shifted-clock.ts'],
    // Limits for a hang, not for speed: on a busy 2-core machine (other test runs, CPU hogs)
    // a jsdom dialog walk-through that takes 2 s alone took over 30 s, and a hook that starts
    // Radicale or a child process over 60 s. Per-test limits in slow suites are longer still.
    testTimeout: 120_000,
    hookTimeout: 180_000,
    reporters: ['default', './test/support/closing-line-reporter.ts'],
  },
});
