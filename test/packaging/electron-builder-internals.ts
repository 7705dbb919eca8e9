/**
 * electron-builder's own config loader, schema validation and file matcher, so the tests
 * judge electron-builder.yml exactly as `electron-builder` will. They are internal modules
 * of app-builder-lib (electron-builder's engine, not a direct dependency), resolved from
 * where electron-builder itself loads them; minimal typings below.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Configuration } from 'electron-builder';

const fromTests = createRequire(import.meta.url);
const fromElectronBuilder = createRequire(fromTests.resolve('electron-builder/package.json'));
const fromAppBuilderLib = createRequire(
  fromElectronBuilder.resolve('app-builder-lib/package.json'),
);

interface ConfigModule {
  getConfig(
    projectDir: string,
    configPath: string | null,
    configFromOptions: Configuration | null,
  ): Promise<Configuration>;
  validateConfiguration(config: Configuration, debugLogger: unknown): Promise<void>;
}

interface FileStat {
  isDirectory(): boolean;
}

export interface FileMatcher {
  createFilter(): (file: string, stat: FileStat) => boolean;
}

interface FileMatcherModule {
  FileMatcher: new (
    from: string,
    to: string,
    macroExpander: (pattern: string) => string,
    patterns?: string[] | string | null,
  ) => FileMatcher;
}

interface BuilderUtil {
  DebugLogger: new (isEnabled?: boolean) => unknown;
}

export interface AsarModule {
  listPackage(archivePath: string, options: { isPack: boolean }): string[];
}

const configModule = fromAppBuilderLib('./out/util/config/config.js') as ConfigModule;
const fileMatcherModule = fromAppBuilderLib('./out/fileMatcher.js') as FileMatcherModule;
const builderUtil = fromAppBuilderLib('builder-util') as BuilderUtil;

/** electron-builder.yml of `projectDir`, loaded as electron-builder loads it. */
export function loadBuilderConfig(projectDir: string): Promise<Configuration> {
  return configModule.getConfig(projectDir, null, null);
}

/** Throws electron-builder's own "Invalid configuration object" error when invalid. */
export function validateBuilderConfig(config: Configuration): Promise<void> {
  return configModule.validateConfiguration(config, new builderUtil.DebugLogger(false));
}

/**
 * A predicate over paths relative to `projectDir` (forward slashes), using electron-builder's
 * matcher; `platform` fills the `${platform}` macro (win32, darwin, linux).
 */
export function fileFilter(
  projectDir: string,
  patterns: string[],
  platform: 'win32' | 'darwin' | 'linux',
): (relativePath: string) => boolean {
  const expand = (pattern: string) => pattern.replaceAll('${platform}', platform);
  const matcher = new fileMatcherModule.FileMatcher(projectDir, '/app', expand, patterns);
  const filter = matcher.createFilter();
  const file: FileStat = { isDirectory: () => false };
  return (relativePath) => filter(join(projectDir, ...relativePath.split('/')), file);
}

export function loadAsar(): AsarModule {
  return fromAppBuilderLib('@electron/asar') as AsarModule;
}
