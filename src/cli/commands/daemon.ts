import type { Command } from 'commander';
import { describeCause } from '../../core/errors.ts';
import { loadSettings } from '../../core/settings/index.ts';
import { Poller } from '../../core/sync/poller.ts';
import type { CliIO, GlobalOptions } from '../io.ts';
import { resolveConfigPath } from '../config-path.ts';
import { renderSummary } from '../render-summary.ts';
import { syncOnce } from './sync.ts';

export function registerDaemonCommand(program: Command, io: CliIO): void {
  program
    .command('daemon')
    .description('Synchronise now and then every schedule.intervalMinutes, until stopped (Ctrl+C).')
    .action(async (_opts: unknown, cmd: Command) => {
      const globals = cmd.optsWithGlobals<GlobalOptions>();
      const settings = loadSettings(resolveConfigPath(globals.config, io));
      const poller = new Poller({
        intervalMs: settings.schedule.intervalMinutes * 60_000,
        run: async () => {
          const stamp = new Date().toISOString();
          try {
            const summary = await syncOnce({}, globals, io, 'daemon');
            io.stdout(`[${stamp}] ${renderSummary(summary)}\n`);
            return { reachable: !summary.agendas.some((a) => a.aborted) };
          } catch (err) {
            io.stderr(`[${stamp}] crm-sync: ${describeCause(err)}\n`);
            return { reachable: false };
          }
        },
      });
      poller.start();
      await new Promise<void>((resolve) => {
        const stop = (): void => {
          void poller.stop().then(resolve);
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });
}
