/**
 * Settings by dotted key ("agendas.events.daysPast"), for `crm-sync config get/set` and
 * the CLI's wizard flags. A value is typed as text and parsed by the kind of its field;
 * the whole settings object is validated after every change.
 */
import { ConfigError } from '../errors.ts';
import { catalogue, fieldEntries, findEntry, valueAt } from './catalogue.ts';
import type { CatalogueEntry, FieldEntry } from './catalogue.ts';
import { describeIssues, joinProblems, showValue } from './issues.ts';
import { isPlainObject } from './migrations.ts';
import { settingsSchema } from '../../shared/settings/schema.ts';
import type { Settings } from '../../shared/settings/schema.ts';
import { suggestionText } from './suggest.ts';
import {
  parseBoolean,
  parseCategoryPairs,
  parseChoice,
  parseDecimal,
  parseExtensionList,
  parseInteger,
  parseTextList,
} from './text-values.ts';

/** Every leaf setting key, in schema order. */
export function settingKeys(): string[] {
  return fieldEntries().map((e) => e.key);
}

function entryFor(key: string): CatalogueEntry {
  const entry = findEntry(key);
  if (entry !== undefined) return entry;
  const suggestion = suggestionText(
    key,
    catalogue().map((e) => e.key),
  );
  throw new ConfigError(
    suggestion === ''
      ? `Unknown setting key "${key}"; \`crm-sync config keys\` lists them all.`
      : `Unknown setting key "${key}"; did you mean ${suggestion}?`,
  );
}

/** The value of a setting, or of a whole group ("agendas.events") as an object. */
export function getSettingValue(settings: Settings, key: string): unknown {
  const entry = entryFor(key);
  return structuredClone(valueAt(settings, entry.path));
}

function invalid(key: string, expectation: string, raw: string): ConfigError {
  return new ConfigError(`${key} must be ${expectation} (got ${showValue(raw)}).`);
}

function parseFieldText(field: FieldEntry, raw: string): unknown {
  const { key, meta } = field;
  let value: unknown;
  switch (meta.kind) {
    case 'version':
      throw new ConfigError(`${key} is written by crm-sync and cannot be set.`);
    case 'text':
      value = raw.trim();
      break;
    case 'integer':
      value = parseInteger(raw);
      break;
    case 'number':
      value = parseDecimal(raw);
      break;
    case 'boolean':
      value = parseBoolean(raw);
      break;
    case 'choice':
      value = parseChoice(raw, meta.choices ?? []);
      break;
    case 'textList':
      value = parseTextList(raw);
      break;
    case 'extensionList':
      value = parseExtensionList(raw);
      break;
    case 'categoryPairs':
      value = parseCategoryPairs(raw);
      break;
  }
  if (value === undefined) throw invalid(key, meta.expectation, raw);
  return value;
}

function parseGroupText(entry: CatalogueEntry, raw: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    value = undefined;
  }
  if (!isPlainObject(value)) {
    throw invalid(entry.key, 'a JSON object of its settings, e.g. {"mode": "all"}', raw);
  }
  return value;
}

/**
 * A copy of the settings with one value changed. `raw` is text: numbers, booleans
 * (true/false, yes/no, on/off, 1/0), choices (any case), lists (JSON or "a;b;c") and, for
 * a group key, a JSON object replacing the group. Fields the object leaves out get their
 * defaults.
 */
export function setSettingValue(settings: Settings, key: string, raw: string): Settings {
  const entry = entryFor(key);
  const value = entry.type === 'field' ? parseFieldText(entry, raw) : parseGroupText(entry, raw);
  const updated: Record<string, unknown> = structuredClone(settings);
  let parent: Record<string, unknown> = updated;
  for (const segment of entry.path.slice(0, -1)) {
    const child = parent[segment];
    if (!isPlainObject(child)) parent[segment] = {};
    parent = parent[segment] as Record<string, unknown>;
  }
  parent[entry.path.at(-1) ?? key] = value;
  const result = settingsSchema.safeParse(updated);
  if (!result.success) {
    throw new ConfigError(`${joinProblems(describeIssues(result.error.issues, updated))}.`, {
      cause: result.error,
    });
  }
  return result.data;
}
