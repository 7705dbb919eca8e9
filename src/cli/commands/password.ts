import type { Command } from 'commander';
import type { PasswordSetOptions } from '../actions/password.ts';
import type { CliIO, GlobalOptions } from '../io.ts';

export function registerPasswordCommand(program: Command, io: CliIO): void {
  const password = program
    .command('password')
    .description('Change the server (or proxy) password kept in the secret store; settings stay.');
  password
    .command('set')
    .description('Store a new server password (asked on the terminal, or read with --stdin).')
    .option('--stdin', 'read the password from standard input')
    .option('--proxy', "the proxy's password (connection.proxy.user) instead of the server's")
    .action(async (options: PasswordSetOptions, cmd: Command) => {
      const { passwordSetAction } = await import('../actions/password.ts');
      await passwordSetAction(options, cmd.optsWithGlobals<GlobalOptions>(), io);
    });
}
