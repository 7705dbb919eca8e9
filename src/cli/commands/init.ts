import type { Command } from 'commander';
import { Option } from 'commander';
import type { InitOptions } from '../actions/init.ts';
import type { CliIO, GlobalOptions } from '../io.ts';
import { SERVER_KIND_IDS } from '../../shared/server-kinds.ts';
import { INIT_AGENDAS } from '../init-agendas.ts';

export function registerInitCommand(program: Command, io: CliIO): void {
  program
    .command('init')
    .description(
      'Create the settings file and the CRM database (every wizard answer can be a flag).',
    )
    .option(
      '--database <file>',
      'CRM database file, created if missing (default: crm.sqlite beside the settings file)',
    )
    .option('--crm-user <login>', 'CRM user whose agenda is synchronised')
    .option('--crm-user-name <name>', 'display name when the CRM user is created in a new database')
    .addOption(new Option('--server <kind>', 'server kind').choices([...SERVER_KIND_IDS]))
    .option('--url <url>', 'EWS URL (Exchange) or CalDAV/CardDAV server URL')
    .option('--email <address>', 'mailbox e-mail address (Exchange autodiscovery, Microsoft 365)')
    .option('--user <name>', 'server user name')
    .option('--domain <domain>', 'Windows domain for NTLM (Exchange)')
    .option(
      '--auth <method>',
      'basic | ntlm | oauth (Exchange); basic | digest | bearer (CalDAV/CardDAV)',
    )
    .option('--tenant <id>', 'Microsoft 365 tenant id or domain')
    .option('--client-id <id>', 'Microsoft 365 application (client) id')
    .option(
      '--password-stdin',
      'read the server password from standard input and keep it in the secret store',
    )
    .option('--interval <minutes>', 'check for changes every N minutes (default 10)')
    .option(
      '--agendas <list>',
      `agendas to synchronise, comma-separated: ${INIT_AGENDAS.join(',')} (default events,contacts)`,
    )
    .option('--no-start-at-login', 'do not start the tray app when the user logs in')
    .option(
      '--demo',
      'fill a new CRM database with a realistic Czech sample (users pbartos and jnovakova, password "demo")',
    )
    .option('--force', 'overwrite an existing settings file')
    .option(
      '--no-check',
      'do not connect to the server to check the settings and name the folders to be used',
    )
    .option(
      '--use-redirect',
      "CalDAV/CardDAV: when the server's .well-known address sends you to another server, use that server's address",
    )
    .addHelpText(
      'after',
      `
The CRM user's password is checked against the database. It is read from
CRM_SYNC_CRM_PASSWORD, or asked for on the terminal. Passwords are never written to the
settings file.

Examples:
  crm-sync init --demo --config demo.json
  crm-sync init --database crm.sqlite --crm-user pbartos --server dav \\
      --url https://dav.example.com/ --user pbartos --password-stdin < password.txt
  crm-sync init --crm-user pbartos --server exchange --email pbartos@example.com --auth ntlm`,
    )
    .action(async (options: InitOptions, cmd: Command) => {
      const { initAction } = await import('../actions/init.ts');
      await initAction(options, cmd.optsWithGlobals<GlobalOptions>(), io);
    });
}
