/**
 * Packs the built app (out/) with electron-builder into an unpacked Linux app, using a
 * stand-in Electron distribution (the real one cannot be downloaded here), and checks what
 * would ship: app.asar, the unpacked native module, the assets.
 *
 * Needs `npm run build` first (README's test command builds before the tests run); without
 * out/ the test fails and says so.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Arch, build, Platform } from 'electron-builder';
import { afterAll, describe, expect, it } from 'vitest';
import { loadAsar } from './electron-builder-internals.ts';

const projectDir = join(import.meta.dirname, '..', '..');
const built = existsSync(join(projectDir, 'out', 'main', 'index.js'));
const work = mkdtempSync(join(tmpdir(), 'crm-sync-pack-'));

afterAll(() => rmSync(work, { recursive: true, force: true }));

/** An "Electron" that is just a shell script: enough for electron-builder to lay out an app. */
function standInElectron(): string {
  const dir = join(work, 'electron-dist');
  mkdirSync(join(dir, 'resources'), { recursive: true });
  writeFileSync(join(dir, 'electron'), '#!/bin/sh\necho stand-in Electron\n');
  chmodSync(join(dir, 'electron'), 0o755);
  return dir;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) =>
      join(entry.parentPath, entry.name)
        .slice(dir.length + 1)
        .replaceAll('\\', '/'),
    );
}

describe('electron-builder with a stand-in Electron (linux dir target)', () => {
  it.runIf(process.platform === 'linux')(
    'packs out/, package.json and production dependencies, unpacks the native module',
    async () => {
      expect(built, 'out/ is missing: run `npm run build` before this test').toBe(true);
      const output = join(work, 'dist');
      await build({
        projectDir,
        targets: Platform.LINUX.createTarget('dir', Arch.x64),
        config: { electronDist: standInElectron(), directories: { output } },
        publish: 'never',
      });

      const resources = join(output, 'linux-unpacked', 'resources');
      const asar = loadAsar()
        .listPackage(join(resources, 'app.asar'), { isPack: false })
        .map((path) => path.replaceAll('\\', '/'));
      const topLevel = new Set(asar.map((path) => path.split('/')[1]));
      expect([...topLevel].sort()).toEqual(['node_modules', 'out', 'package.json']);
      for (const file of [
        '/package.json',
        '/out/main/index.js',
        '/out/main/engine-host.js',
        '/out/preload/index.cjs',
        '/out/renderer/index.html',
        '/node_modules/zod/package.json',
        '/node_modules/better-sqlite3/lib/index.js',
      ]) {
        expect(asar, file).toContain(file);
      }
      expect(asar.filter((path) => path.endsWith('.map'))).toEqual([]);
      // Vite bundles the renderer libraries; they must not ship as node_modules.
      expect(
        asar.filter((path) => /^\/node_modules\/(react|react-dom|electron)\//.test(path)),
      ).toEqual([]);
      expect(asar.filter((path) => path.startsWith('/node_modules/better-sqlite3/deps/'))).toEqual(
        [],
      );

      const unpacked = filesUnder(join(resources, 'app.asar.unpacked'));
      expect(unpacked.filter((path) => path.endsWith('.node')).sort()).toEqual([
        'node_modules/better-sqlite3/prebuilds/linux-arm64.node',
        'node_modules/better-sqlite3/prebuilds/linux-x64.node',
        'node_modules/better-sqlite3/prebuilds/linuxmusl-arm64.node',
        'node_modules/better-sqlite3/prebuilds/linuxmusl-x64.node',
      ]);

      const assets = filesUnder(join(resources, 'assets'));
      expect(assets).toEqual(
        expect.arrayContaining(['icon.png', 'tray-idle.png', 'tray-idle@2x.png']),
      );
      expect(existsSync(join(output, 'linux-unpacked', 'crm-sync-app'))).toBe(true);
    },
    120_000,
  );
});
