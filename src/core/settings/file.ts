/**
 * Reading and writing the settings file (JSON). Every way the file can be wrong ends in a
 * ConfigError of one sentence naming the file and the field, because the person reading
 * it may be editing the file by hand.
 */
import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { resolve } from 'node:path';
import { ConfigError, describeCause } from '../errors.ts';
import { writeFileAtomic } from '../atomic-write.ts';
import { describeIssues, joinProblems } from './issues.ts';
import { locateJsonError } from './json-location.ts';
import { MIGRATIONS, isPlainObject, migrateDocument } from './migrations.ts';
import type { Migration } from './migrations.ts';
import { settingsSchema } from '../../shared/settings/schema.ts';
import type { Settings } from '../../shared/settings/schema.ts';

/**
 * A settings file that breaks the schema: the ConfigError sentence, plus the file, the
 * validation issues and the document they concern, for the app to word each problem.
 */
export class SettingsFileInvalidError extends ConfigError {
  readonly file: string;
  readonly issues: readonly z.core.$ZodIssue[];
  readonly document: unknown;
  constructor(message: string, file: string, error: z.ZodError, document: unknown) {
    super(message, { cause: error });
    this.file = file;
    this.issues = error.issues;
    this.document = document;
  }
}

function errorCode(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null || !('code' in err)) return undefined;
  return typeof err.code === 'string' ? err.code : undefined;
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    const code = errorCode(err);
    if (code === 'ENOENT') {
      throw new ConfigError(
        `Settings file ${file} does not exist; create it with \`crm-sync init --config ${file}\`.`,
        { cause: err },
      );
    }
    if (code === 'EISDIR') {
      throw new ConfigError(`Settings file ${file} is a folder, not a file.`, { cause: err });
    }
    if (code === 'EACCES' || code === 'EPERM') {
      throw new ConfigError(`Settings file ${file} cannot be read: permission denied.`, {
        cause: err,
      });
    }
    throw new ConfigError(`Settings file ${file} cannot be read: ${describeCause(err)}.`, {
      cause: err,
    });
  }
}

function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    if (text.trim() === '') {
      throw new ConfigError(
        `Settings file ${file} is empty; write the settings as a JSON object, or recreate it with \`crm-sync init --config ${file} --force\`.`,
        { cause: err },
      );
    }
    const at = locateJsonError(text);
    const where =
      at === undefined
        ? describeCause(err)
        : `${at.problem} at line ${at.line}, column ${at.column}`;
    throw new ConfigError(`Settings file ${file} is not valid JSON: ${where}.`, { cause: err });
  }
}

/**
 * Validates a settings document (already parsed from JSON): upgrades an older version,
 * fills in defaults for missing fields and rejects anything unknown or out of range.
 * `source` names where it came from in messages.
 */
export function parseSettings(
  raw: unknown,
  source: string,
  migrations: readonly Migration[] = MIGRATIONS,
): Settings {
  if (!isPlainObject(raw)) {
    throw new ConfigError(
      `Settings file ${source} must hold a JSON object of settings (got ${Array.isArray(raw) ? 'a list' : JSON.stringify(raw)}).`,
    );
  }
  const doc = migrateDocument(raw, source, migrations);
  const result = settingsSchema.safeParse(doc);
  if (!result.success) {
    const problems = joinProblems(describeIssues(result.error.issues, doc));
    throw new SettingsFileInvalidError(
      `Settings file ${source}: ${problems}.`,
      source,
      result.error,
      doc,
    );
  }
  return result.data;
}

/** Reads, upgrades and validates the settings file. */
export function loadSettings(file: string): Settings {
  const path = resolve(file);
  // A byte-order mark (Windows editors) is not JSON.
  const text = readText(path).replace(/^\uFEFF/, '');
  return parseSettings(parseJson(text, path), path);
}

/**
 * Validates and writes the settings atomically, owner-only, keeping the previous file as
 * `<file>.bak`. The schema has no field for a secret, so none can be written here.
 */
export function saveSettings(file: string, settings: Settings): void {
  const path = resolve(file);
  const result = settingsSchema.safeParse(settings);
  if (!result.success) {
    const problems = joinProblems(describeIssues(result.error.issues, settings));
    throw new ConfigError(`Settings not saved to ${path}: ${problems}.`, { cause: result.error });
  }
  try {
    writeFileAtomic(path, `${JSON.stringify(result.data, null, 2)}\n`, { backup: true });
  } catch (err) {
    throw new ConfigError(`Settings file ${path} cannot be written: ${describeCause(err)}.`, {
      cause: err,
    });
  }
}
