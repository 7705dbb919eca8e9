import { describeCause } from '../../core/errors.ts';
import { loadSettings } from '../../core/settings/index.ts';
import { Poller } from '../../core/sync/poller.ts';
import type { CliIO, GlobalOptions } from '../io.ts';
import { resolveConfigPath } from '../config-path.ts';
import { renderSummary } from '../render-summary.ts';
import { refuseUnavailable } from '../open-run-context.ts';
import { exitCodeOf, exitCodeOfUsers, renderUserResults, syncAllUsers, syncOnce } from './sync.ts';

/** `crm-sync daemon`: runs until SIGINT or SIGTERM (once with schedule.automatic off). */
export async function daemonAction(
  opts: { allUsers?: boolean },
  globals: GlobalOptions,
  io: CliIO,
): Promise<void> {
  const settings = loadSettings(resolveConfigPath(globals.config, io));
  // Refused at once (exit 6) rather than failing every interval.
  refuseUnavailable(settings);
  const once = !settings.schedule.automatic;
  if (once) {
    io.stderr(
      'crm-sync: schedule.automatic is off: synchronising once now, not every schedule.intervalMinutes (crm-sync config set schedule.automatic true turns it on).\n',
    );
  }
  const run = async (): Promise<{ reachable: boolean }> => {
    const stamp = new Date().toISOString();
    try {
      if (opts.allUsers) {
        const results = await syncAllUsers({}, globals, io, 'daemon');
        io.stdout(`[${stamp}] ${renderUserResults(results)}\n`);
        // Whether to back off: only when no mailbox could be reached at all.
        return {
          reachable:
            results.length === 0 ||
            results.some((r) => r.summary !== null && !r.summary.agendas.some((a) => a.aborted)),
        };
      }
      const summary = await syncOnce({}, globals, io, 'daemon');
      io.stdout(`[${stamp}] ${renderSummary(summary)}\n`);
      return { reachable: !summary.agendas.some((a) => a.aborted) };
    } catch (err) {
      io.stderr(`[${stamp}] crm-sync: ${describeCause(err)}\n`);
      return { reachable: false };
    }
  };
  if (once) {
    // One run, as `crm-sync sync` would do it: its failure is the exit code.
    if (opts.allUsers) {
      const results = await syncAllUsers({}, globals, io, 'daemon');
      io.stdout(`${renderUserResults(results)}\n`);
      io.setExitCode?.(exitCodeOfUsers(results));
    } else {
      const summary = await syncOnce({}, globals, io, 'daemon');
      io.stdout(`${renderSummary(summary)}\n`);
      io.setExitCode?.(exitCodeOf(summary));
    }
    return;
  }
  const poller = new Poller({ intervalMs: settings.schedule.intervalMinutes * 60_000, run });
  poller.start();
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      void poller.stop().then(resolve);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
