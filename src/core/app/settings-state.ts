/**
 * The settings file as the app's engine sees it: the settings as last read (re-read on
 * every request, since `crm-sync config` may change them), why there are none to use, what
 * stands between them and a sync, and saving what the wizard or a settings page sends.
 */
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { ConfigError, describeCause } from '../errors.ts';
import { SettingsFileInvalidError, loadSettings, saveSettings } from '../settings/file.ts';
import { readinessProblems } from '../../shared/settings/readiness.ts';
import { defaultSettings } from '../../shared/settings/schema.ts';
import type { Settings } from '../../shared/settings/schema.ts';
import type { FieldProblem, Outcome } from '../../shared/app-api.ts';
import { checkImportedStatus } from './crm-access.ts';
import {
  GENERAL_FIELD,
  readinessFieldProblems,
  settingsIssueProblems,
  validateSettings,
} from './field-problems.ts';
import { general } from './outcomes.ts';

const NO_SETTINGS = 'There are no settings yet.';

export class SettingsState {
  readonly file: string;
  /** Settings as last read; null when there is no valid settings file. */
  #settings: Settings | null = null;
  #exists = false;
  /** Why #settings is null (no file yet, invalid file). */
  #problem: string | null = null;
  /** The same, with codes for the app (SyncStatus.problemDetails). */
  #problemDetails: FieldProblem[] = [];

  constructor(file: string) {
    this.file = resolve(file);
    this.reload();
  }

  /** The settings in use; null when there is no valid settings file. */
  get current(): Settings | null {
    return this.#settings;
  }

  /** Why there are no settings to use, as a sentence. */
  get problem(): string {
    return this.#problem ?? NO_SETTINGS;
  }

  reload(): void {
    if (!existsSync(this.file)) {
      this.#settings = null;
      this.#exists = false;
      this.#problem = `There are no settings yet (${this.file}): run the setup wizard.`;
      this.#problemDetails = [
        {
          field: GENERAL_FIELD,
          message: this.#problem,
          code: 'settings-none',
          params: { file: this.file },
        },
      ];
      return;
    }
    this.#exists = true;
    try {
      this.#settings = loadSettings(this.file);
      this.#problem = null;
      this.#problemDetails = [];
    } catch (err) {
      this.#settings = null;
      this.#problem = describeCause(err);
      this.#problemDetails = settingsFileProblems(err, this.#problem);
    }
  }

  /** What the settings pages start from: the defaults while there is no file. */
  forEditing(): { exists: boolean; settings: Settings } {
    if (!this.#exists) return { exists: false, settings: defaultSettings() };
    if (!this.#settings) throw new ConfigError(this.#problem ?? 'Settings unreadable.');
    return { exists: true, settings: this.#settings };
  }

  /**
   * Checks and writes the settings and uses them from now on; `databaseChanged` when they
   * name another CRM database than before.
   */
  save(input: Settings): Outcome<{ databaseChanged: boolean }> {
    const checked = validateSettings(input);
    if (!checked.ok) return checked;
    const status = checked.settings.agendas.events.importedStatus;
    if (status !== this.#settings?.agendas.events.importedStatus) {
      const path = this.absolute(checked.settings.crm.databasePath);
      const statusChecked = checkImportedStatus(path, status);
      if (!statusChecked.ok) return statusChecked;
    }
    try {
      saveSettings(this.file, checked.settings);
    } catch (err) {
      return general(describeCause(err));
    }
    const oldDatabase = this.#settings?.crm.databasePath;
    this.#settings = checked.settings;
    this.#exists = true;
    this.#problem = null;
    this.#problemDetails = [];
    return {
      ok: true,
      value: { databaseChanged: oldDatabase !== checked.settings.crm.databasePath },
    };
  }

  /** What stands between the settings and a sync, in sentences naming the key. */
  problems(): string[] {
    const settings = this.#settings;
    if (!settings) return [this.problem];
    const problems = readinessProblems(settings);
    const missing = this.#databaseMissing(settings);
    if (missing) problems.push(missing.message);
    return problems;
  }

  /** The same as problems(), each with its field and code, for the app to word. */
  problemDetails(): FieldProblem[] {
    const settings = this.#settings;
    if (!settings) {
      return this.#problemDetails.length > 0
        ? this.#problemDetails.map((p) => ({ ...p }))
        : [{ field: GENERAL_FIELD, message: this.problem }];
    }
    const problems = readinessFieldProblems(settings);
    const missing = this.#databaseMissing(settings);
    if (missing) problems.push(missing);
    return problems;
  }

  configured(): boolean {
    return this.#settings !== null && this.problems().length === 0;
  }

  /** How often the schedule runs; null when it must not run by itself. */
  automaticIntervalMs(): number | null {
    const settings = this.#settings;
    // schedule.automatic off: no run at start, on the interval or on waking; only when asked.
    if (!settings || settings.schedule.automatic !== true || !this.configured()) return null;
    return settings.schedule.intervalMinutes * 60_000;
  }

  /** A database path as the settings mean it: relative to the settings file's folder. */
  absolute(path: string): string {
    if (path.trim() === '' || isAbsolute(path)) return path;
    return resolve(dirname(this.file), path);
  }

  /** The CRM database the settings name is not there (a readiness problem of the app's). */
  #databaseMissing(settings: Settings): FieldProblem | null {
    if (settings.crm.databasePath === '') return null;
    const path = this.absolute(settings.crm.databasePath);
    if (existsSync(path)) return null;
    return {
      field: 'crm.databasePath',
      message: `crm.databasePath: the CRM database ${path} does not exist.`,
      code: 'readiness-crm-database-missing',
      params: { field: 'crm.databasePath', path },
    };
  }
}

/**
 * Why the settings file cannot be used, for the app: a file that breaks the schema is a
 * heading and each of its problems (coded); any other reason is its English sentence.
 */
function settingsFileProblems(err: unknown, message: string): FieldProblem[] {
  if (!(err instanceof SettingsFileInvalidError)) return [{ field: GENERAL_FIELD, message }];
  return [
    { field: GENERAL_FIELD, message, code: 'settings-file-invalid', params: { file: err.file } },
    ...settingsIssueProblems(err.issues, err.document),
  ];
}
