/**
 * The `crm-sync` command. Runs on plain Node (>= 22.18 runs these sources directly), and is
 * the same engine the tray app hosts.
 */
import { runCli } from './program.ts';
import { processIO } from './process-io.ts';

process.exitCode = await runCli(process.argv.slice(2), processIO());
