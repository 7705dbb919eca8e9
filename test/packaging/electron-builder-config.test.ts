/**
 * electron-builder.yml, judged by electron-builder's own loader, schema and file matcher
 * (no installer can be built here: they download Electron and packaging tools).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Configuration, FileSet, TargetConfiguration } from 'electron-builder';
import { beforeAll, describe, expect, it } from 'vitest';
import { APP_ID, PRODUCT_NAME } from '../../src/shared/product.ts';
import {
  fileFilter,
  loadBuilderConfig,
  validateBuilderConfig,
} from './electron-builder-internals.ts';

const projectDir = join(import.meta.dirname, '..', '..');
const platforms = ['win32', 'darwin', 'linux'] as const;

let config: Configuration;
beforeAll(async () => {
  config = await loadBuilderConfig(projectDir);
});

/**
 * The `files` patterns. electron-builder's loader turns plain strings into one file set
 * without `from`/`to` (`[{ filter: [...] }]`); the YAML must use no other form.
 */
function filePatterns(): string[] {
  const files = config.files;
  const list: (string | FileSet)[] = Array.isArray(files) ? files : files == null ? [] : [files];
  return list.flatMap((entry) => {
    if (typeof entry === 'string') return [entry];
    expect(entry.from ?? '.', 'files: no from/to file sets').toBe('.');
    expect(entry.to, 'files: no from/to file sets').toBeUndefined();
    const filter = entry.filter ?? [];
    return Array.isArray(filter) ? filter : [filter];
  });
}

/** Target names of a platform section (`target: [nsis]` or `[{ target: nsis }]`). */
function targetNames(target: unknown): string[] {
  const list = Array.isArray(target) ? target : target == null ? [] : [target];
  return list.map((entry: string | TargetConfiguration) =>
    typeof entry === 'string' ? entry : entry.target,
  );
}

describe('electron-builder.yml', () => {
  it("passes electron-builder's own configuration schema (app-builder-lib/scheme.json)", async () => {
    await expect(validateBuilderConfig(config)).resolves.toBeUndefined();
  });

  it('names the app as src/shared/product.ts does', () => {
    expect(config.appId).toBe(APP_ID);
    expect(config.productName).toBe(PRODUCT_NAME);
    expect(config.directories?.output).toBe('dist');
  });

  it('packs the build output and package.json, never sources, tests or configs', () => {
    const patterns = filePatterns();
    expect(patterns).toContain('out/**/*');
    expect(patterns).toContain('package.json');
    for (const platform of platforms) {
      const included = fileFilter(projectDir, patterns, platform);
      for (const path of [
        'package.json',
        'out/main/index.js',
        'out/main/engine-host.js',
        'out/preload/index.cjs',
        'out/renderer/index.html',
        'out/renderer/assets/index-abc123.js',
      ]) {
        expect(included(path), `${path} (${platform})`).toBe(true);
      }
      for (const path of [
        'src/main/index.ts',
        'src/core/secrets/secret-store.ts',
        'test/packaging/electron-builder-config.test.ts',
        'scripts/make-icons.ts',
        'electron.vite.config.ts',
        'tsconfig.json',
        'out/main/index.js.map',
        'assets/icon.png', // shipped as extraResources, outside app.asar
        'bench/run.ts',
      ]) {
        expect(included(path), `${path} (${platform})`).toBe(false);
      }
    }
  });

  it('ships only the target OS binaries of better-sqlite3, without its C sources', () => {
    // electron-builder filters node_modules with the exclusions of `files` only.
    const exclusions = filePatterns().filter((pattern) => pattern.startsWith('!'));
    const pkg = 'node_modules/better-sqlite3';
    const prebuilds: Record<(typeof platforms)[number], string[]> = {
      win32: ['win32-x64', 'win32-arm64'],
      darwin: ['darwin-x64', 'darwin-arm64'],
      linux: ['linux-x64', 'linux-arm64', 'linuxmusl-x64', 'linuxmusl-arm64'],
    };
    const allPrebuilds = Object.values(prebuilds).flat();
    for (const platform of platforms) {
      const included = fileFilter(projectDir, ['**/*', ...exclusions], platform);
      for (const name of allPrebuilds) {
        expect(included(`${pkg}/prebuilds/${name}.node`), `${name} on ${platform}`).toBe(
          prebuilds[platform].includes(name),
        );
      }
      expect(included(`${pkg}/lib/index.js`)).toBe(true);
      expect(included(`${pkg}/package.json`)).toBe(true);
      expect(included(`${pkg}/deps/sqlite3/sqlite3.c`)).toBe(false);
      expect(included(`${pkg}/src/better_sqlite3.cpp`)).toBe(false);
      expect(included('node_modules/zod/package.json')).toBe(true);
    }
  });

  it('does not override `files` per platform (that would replace the whole list)', () => {
    for (const section of [config.win, config.mac, config.linux]) {
      expect(section?.files).toBeUndefined();
    }
  });

  it('keeps native modules out of app.asar and does not rebuild them', () => {
    const asarUnpack = config.asarUnpack;
    const patterns = Array.isArray(asarUnpack) ? asarUnpack : [asarUnpack];
    expect(patterns).toContain('**/*.node');
    const unpacked = fileFilter(projectDir, patterns as string[], 'linux');
    expect(unpacked('node_modules/better-sqlite3/prebuilds/linux-x64.node')).toBe(true);
    expect(unpacked('out/main/index.js')).toBe(false);
    expect(config.asar).not.toBe(false);
    // better-sqlite3 13 is N-API with prebuilt binaries: a rebuild would compile it from
    // source against Electron's headers (and fails offline).
    expect(config.npmRebuild).toBe(false);
  });

  it('builds NSIS for Windows, a DMG for macOS, AppImage and deb for Linux', () => {
    expect(targetNames(config.win?.target)).toEqual(['nsis']);
    expect(targetNames(config.mac?.target)).toEqual(['dmg']);
    expect(targetNames(config.linux?.target).sort()).toEqual(['AppImage', 'deb']);
    expect(config.mac?.category).toBe('public.app-category.productivity');
    expect(config.linux?.category).toBe('Office');
  });

  it('makes a per-user NSIS installer with a Start menu entry and a choosable folder', () => {
    expect(config.nsis?.oneClick).toBe(false);
    expect(config.nsis?.perMachine).toBe(false);
    expect(config.nsis?.selectPerMachineByDefault ?? false).toBe(false);
    expect(config.nsis?.allowToChangeInstallationDirectory).toBe(true);
    expect(config.nsis?.createStartMenuShortcut ?? true).toBe(true);
    expect(config.nsis?.deleteAppDataOnUninstall ?? false).toBe(false);
  });

  it('ships assets/ next to app.asar and points at icons that exist', () => {
    expect(config.extraResources).toEqual([
      expect.objectContaining({ from: 'assets', to: 'assets' }),
    ]);
    for (const icon of [config.icon, config.win?.icon, config.mac?.icon, config.linux?.icon]) {
      expect(icon, 'icon path').toEqual(expect.any(String));
      expect(existsSync(join(projectDir, icon as string)), `${icon} exists`).toBe(true);
    }
  });

  it('is not paired with an install-time rebuild (no postinstall in package.json)', () => {
    const pkg = JSON.parse(readFileSync(join(projectDir, 'package.json'), 'utf8')) as {
      scripts?: Record<string, string>;
    };
    expect(pkg.scripts?.['postinstall']).toBeUndefined();
  });
});
