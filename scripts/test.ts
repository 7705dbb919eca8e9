/**
 * README's test command runs this (via `npm test`): every check CI runs, in order, stopping
 * at the first failure. Runs on the Node that `npm` puts first on PATH (the `node` dev
 * dependency, Node 24), whatever the system Node is.
 */
import { spawnSync } from 'node:child_process';

interface Step {
  name: string;
  cmd: string;
  args: string[];
}

const steps: Step[] = [
  { name: 'lint', cmd: 'npx', args: ['--no-install', 'eslint', '.'] },
  { name: 'format', cmd: 'npx', args: ['--no-install', 'prettier', '--check', '.'] },
  { name: 'typecheck', cmd: 'npm', args: ['run', '--silent', 'typecheck'] },
  { name: 'build', cmd: 'npx', args: ['--no-install', 'electron-vite', 'build'] },
  // The tests that run `crm-sync` then run this build, as a user's `npx crm-sync` does.
  { name: 'build the crm-sync command', cmd: 'node', args: ['scripts/build-cli.ts'] },
  { name: 'unit and integration tests', cmd: 'npx', args: ['--no-install', 'vitest', 'run'] },
];

const env = { ...process.env, TZ: 'Europe/Prague', FORCE_COLOR: process.env.CI ? '0' : '1' };

/**
 * The real CalDAV/CardDAV servers the integration tests start and the browser the UI tests
 * drive (Debian packages). Installed here when missing, so README's one command works on a
 * fresh machine.
 */
const TEST_PACKAGES: Record<string, string> = {
  radicale: 'radicale',
  xandikos: 'xandikos',
  chromium: 'chromium',
  xmllint: 'libxml2-utils',
};
const missing = Object.keys(TEST_PACKAGES).filter(
  (bin) => spawnSync('sh', ['-c', `command -v ${bin}`], { stdio: 'ignore' }).status !== 0,
);
if (missing.length) {
  const packages = missing.map((bin) => TEST_PACKAGES[bin] ?? bin);
  process.stdout.write(`\n== test servers: installing ${packages.join(', ')} with apt-get\n`);
  const root = process.getuid?.() === 0;
  const apt = (args: string[]) =>
    spawnSync(root ? 'apt-get' : 'sudo', root ? args : ['apt-get', ...args], {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    }).status;
  if (apt(['update', '-qq']) !== 0 || apt(['install', '-y', '-qq', ...packages]) !== 0) {
    process.stdout.write(
      `\nThe integration and UI tests need ${packages.join(' and ')}: install them (apt-get install ${packages.join(' ')}) and run again.\n`,
    );
    process.exit(1);
  }
}

for (const step of steps) {
  process.stdout.write(`\n== ${step.name}\n`);
  const started = Date.now();
  const res = spawnSync(step.cmd, step.args, { stdio: 'inherit', env });
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  if (res.status !== 0) {
    process.stdout.write(`\n== ${step.name} FAILED (${secs} s)\n`);
    process.exit(res.status ?? 1);
  }
  process.stdout.write(`== ${step.name} ok (${secs} s)\n`);
}
