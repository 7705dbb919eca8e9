/**
 * The built command (scripts/build-cli.ts -> out/cli/crm-sync.mjs) and how bin/crm-sync.mjs
 * chooses it: the build while every source it was made from is unchanged, the TypeScript
 * sources otherwise. It all runs in a copy of the project (bin, the build script, package.json
 * and the command's sources copied, node_modules linked), so neither the project's own
 * out/cli nor an edit made meanwhile in the working tree plays a part.
 *
 * Which one ran shows in what a user sees with --verbose: the stack trace of an error names
 * the files it came from.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRODUCT_VERSION } from '../../src/core/version.ts';
import { tempDir } from '../support/cli.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
/** What the command and its build script are made of (src/core never imports the UI). */
const COPIED = ['bin', 'scripts', 'package.json', 'src/cli', 'src/core', 'src/demo', 'src/shared'];

let project: string;

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

function node(args: string[]): Result {
  const env: Record<string, string | undefined> = { ...process.env };
  delete env['CRM_SYNC_CONFIG'];
  const res = spawnSync(process.execPath, args, { cwd: project, env, input: '', encoding: 'utf8' });
  return { code: res.status ?? -1, stdout: res.stdout, stderr: res.stderr };
}

/** The copy's bin/crm-sync.mjs, as a user runs it. */
const crmSync = (args: string[]): Result => node([path.join(project, 'bin/crm-sync.mjs'), ...args]);

/** Where the command's code came from: the stack trace of a missing settings file says. */
function codeRunFrom(): string {
  const res = crmSync(['status', '--config', path.join(project, 'missing.json'), '--verbose']);
  expect(res.code).toBe(3);
  if (res.stderr.includes(path.join(project, 'out', 'cli') + path.sep)) return 'build';
  if (res.stderr.includes(path.join(project, 'src') + path.sep)) return 'sources';
  return `unknown:\n${res.stderr}`;
}

beforeAll(() => {
  project = fs.realpathSync(tempDir('crm-sync-build-'));
  for (const part of COPIED) {
    fs.cpSync(path.join(ROOT, part), path.join(project, part), { recursive: true });
  }
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(project, 'node_modules'));
  const build = node([path.join(project, 'scripts/build-cli.ts')]);
  expect(build.stderr).toBe('');
  expect(build.code).toBe(0);
});

afterAll(() => {
  fs.rmSync(project, { recursive: true, force: true });
});

describe('the built crm-sync command', () => {
  it('is what bin runs while the sources are unchanged: --version, init and status', () => {
    expect(codeRunFrom()).toBe('build');
    expect(crmSync(['--version'])).toMatchObject({ code: 0, stdout: `${PRODUCT_VERSION}\n` });

    const config = path.join(project, 'demo.json');
    expect(crmSync(['init', '--demo', '--config', config]).code).toBe(0);
    const status = crmSync(['status', '--config', config, '--json']);
    expect(status.code).toBe(0);
    const report = JSON.parse(status.stdout) as {
      crm: { user: string; userFound: boolean; counts: Record<string, number> };
    };
    expect(report.crm).toMatchObject({ user: 'pbartos', userFound: true });
    expect(report.crm.counts['persons']).toBeGreaterThan(0);
  });

  it('gives way to the sources once one of them is edited, until it is built again', () => {
    const edited = path.join(project, 'src/core/settings/file.ts');
    fs.appendFileSync(edited, '\n// an edit made after the build\n');
    expect(codeRunFrom()).toBe('sources');
    expect(crmSync(['--version'])).toMatchObject({ code: 0, stdout: `${PRODUCT_VERSION}\n` });

    expect(node([path.join(project, 'scripts/build-cli.ts')]).code).toBe(0);
    expect(codeRunFrom()).toBe('build');
  });

  it('runs from the sources when there is no build (a clone before any build)', () => {
    const outDir = path.join(project, 'out', 'cli');
    fs.renameSync(outDir, `${outDir}-moved`);
    try {
      expect(codeRunFrom()).toBe('sources');
      expect(crmSync(['--version'])).toMatchObject({ code: 0, stdout: `${PRODUCT_VERSION}\n` });
    } finally {
      fs.renameSync(`${outDir}-moved`, outDir);
    }
  });
});
