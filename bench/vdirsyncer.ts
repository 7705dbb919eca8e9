/**
 * vdirsyncer (Debian's package) as the third client of `--compare`: one pair, the
 * server's collection <-> a folder of files (its "filesystem" storage), configured in a
 * throwaway folder. Installed with apt-get when missing, as `scripts/test.ts` does for the
 * test servers.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { CollectionKind } from './minimal-client.ts';
import { measureProcess } from './process-usage.ts';
import type { ProcessUsage } from './process-usage.ts';

export function vdirsyncerVersion(): string | undefined {
  const r = spawnSync('vdirsyncer', ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim().replace(/^vdirsyncer, version /, '') : undefined;
}

/** Installs vdirsyncer when it is missing; returns its version, or undefined if it cannot. */
export function ensureVdirsyncer(log: (m: string) => void): string | undefined {
  const present = vdirsyncerVersion();
  if (present !== undefined) return present;
  log('vdirsyncer is missing: installing it with apt-get');
  const root = process.getuid?.() === 0;
  const apt = (args: string[]) =>
    spawnSync(root ? 'apt-get' : 'sudo', root ? args : ['apt-get', ...args], {
      stdio: ['ignore', 2, 2],
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    }).status;
  if (apt(['update', '-qq']) !== 0 || apt(['install', '-y', '-qq', 'vdirsyncer']) !== 0) {
    log('could not install vdirsyncer (apt-get install vdirsyncer): it is left out');
    return undefined;
  }
  return vdirsyncerVersion();
}

export interface VdirsyncerPair {
  dir: string;
  /** The folder holding the collection's items as files. */
  itemsDir: string;
  fileext: string;
  discover(timeoutMs: number): Promise<ProcessUsage>;
  sync(timeoutMs: number): Promise<ProcessUsage>;
}

const toml = (s: string): string => JSON.stringify(s);

/**
 * A pair for one collection. `rootUrl` is the server's root (vdirsyncer finds the
 * collection itself, as a user's configuration does); `collection` is its name.
 */
export function vdirsyncerPair(options: {
  dir: string;
  kind: CollectionKind;
  rootUrl: string;
  collection: string;
  user: string;
  password: string;
}): VdirsyncerPair {
  const { dir, kind } = options;
  const fileext = kind === 'calendar' ? '.ics' : '.vcf';
  const local = path.join(dir, 'local');
  const itemsDir = path.join(local, options.collection);
  // An existing local folder: `discover` then has nothing to ask.
  fs.mkdirSync(itemsDir, { recursive: true });
  const config = path.join(dir, 'config');
  fs.writeFileSync(
    config,
    [
      '[general]',
      `status_path = ${toml(path.join(dir, 'status'))}`,
      '',
      '[pair bench]',
      'a = "bench_local"',
      'b = "bench_remote"',
      `collections = [${toml(options.collection)}]`,
      '',
      '[storage bench_local]',
      'type = "filesystem"',
      `path = ${toml(local)}`,
      `fileext = ${toml(fileext)}`,
      '',
      '[storage bench_remote]',
      `type = ${toml(kind === 'calendar' ? 'caldav' : 'carddav')}`,
      `url = ${toml(options.rootUrl)}`,
      `username = ${toml(options.user)}`,
      `password = ${toml(options.password)}`,
      '',
    ].join('\n'),
  );
  const logFile = path.join(dir, 'vdirsyncer.log');
  const run = (command: string, timeoutMs: number) =>
    measureProcess('vdirsyncer', ['--config', config, command], { timeoutMs, logFile });
  return {
    dir,
    itemsDir,
    fileext,
    discover: (timeoutMs) => run('discover', timeoutMs),
    sync: (timeoutMs) => run('sync', timeoutMs),
  };
}

/** Local changes in the pair's folder: a third of the files edited, a third deleted, the rest new. */
export function changeVdirsyncerFiles(
  pair: VdirsyncerPair,
  counts: { update: number; remove: number; add: number },
  pick: (files: readonly string[], k: number) => string[],
): void {
  const files = fs
    .readdirSync(pair.itemsDir)
    .filter((f) => f.endsWith(pair.fileext))
    .sort();
  const picked = pick(files, counts.update + counts.remove);
  for (const f of picked.slice(0, counts.update)) {
    const file = path.join(pair.itemsDir, f);
    const text = fs.readFileSync(file, 'utf8');
    const changed =
      pair.fileext === '.ics'
        ? text.replace(/^SUMMARY([;:][^\r\n]*)$/m, 'SUMMARY$1 (vdirsyncer)')
        : text.replace(/^FN:([^\r\n]*)$/m, 'FN:$1 (vdirsyncer)');
    fs.writeFileSync(file, changed);
  }
  for (const f of picked.slice(counts.update)) fs.rmSync(path.join(pair.itemsDir, f));
  for (let i = 0; i < counts.add; i++) {
    const uid = `vdirsyncer-${i}@bench.example`;
    const data =
      pair.fileext === '.ics'
        ? [
            'BEGIN:VCALENDAR',
            'VERSION:2.0',
            'PRODID:-//CRM Sync bench//vdirsyncer//EN',
            'BEGIN:VEVENT',
            `UID:${uid}`,
            'DTSTAMP:20261207T080000Z',
            'DTSTART:20261211T090000Z',
            'DTEND:20261211T100000Z',
            `SUMMARY:Nová ${i}`,
            'END:VEVENT',
            'END:VCALENDAR',
            '',
          ].join('\r\n')
        : [
            'BEGIN:VCARD',
            'VERSION:3.0',
            `UID:${uid}`,
            `FN:Nový ${i}`,
            'N:;;;;',
            'END:VCARD',
            '',
          ].join('\r\n');
    fs.writeFileSync(path.join(pair.itemsDir, `vdirsyncer-${i}${pair.fileext}`), data);
  }
}
