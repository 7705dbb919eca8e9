/**
 * Proves that no test depends on today's date: with CRM_SYNC_TEST_CLOCK_SHIFT_DAYS=N the
 * wall clock (`new Date()`, `Date.now()`) of the test workers, and of the Node processes
 * they start (CLI, engine host: through NODE_OPTIONS), runs N days off (negative: into the
 * past). Timers and `performance.now()` are untouched, so waits and durations stay real.
 * Unset or 0 (always in CI), this file does nothing.
 *
 *   CRM_SYNC_TEST_CLOCK_SHIFT_DAYS=3650 npx vitest run test/sync
 *
 * Loaded by vitest.config.ts (setupFiles) and by Node itself (--import) in child processes.
 */
import { pathToFileURL } from 'node:url';

const days = Number(process.env.CRM_SYNC_TEST_CLOCK_SHIFT_DAYS ?? '0');
const marker = Symbol.for('crm-sync.shifted-clock');
const global = globalThis as typeof globalThis & { [marker]?: true };

if (Number.isFinite(days) && days !== 0 && global[marker] !== true) {
  global[marker] = true;
  const RealDate = Date;
  const offset = Math.round(days * 86_400_000);
  const now = (): number => RealDate.now() + offset;
  globalThis.Date = new Proxy(RealDate, {
    construct(target, args: unknown[], newTarget) {
      return Reflect.construct(target, args.length === 0 ? [now()] : args, newTarget) as object;
    },
    apply() {
      return new RealDate(now()).toString();
    },
    get(target, property, receiver) {
      if (property === 'now') return now;
      return Reflect.get(target, property, receiver) as unknown;
    },
  });
  // Child Node processes (the CLI, the engine host) get the same clock.
  const self = `--import=${pathToFileURL(import.meta.filename).href}`;
  const options = process.env.NODE_OPTIONS ?? '';
  if (!options.includes(self)) process.env.NODE_OPTIONS = `${options} ${self}`.trim();
}
