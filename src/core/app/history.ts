/**
 * What the main window's history pages read from the CRM database: the runs, the journal
 * (what each run did to each item and why) and the trash of items deleted by sync, which
 * the user can restore. Read with the settings as they are now (`refresh` re-reads them).
 */
import { existsSync } from 'node:fs';
import type { CrmDatabase } from '../crm/database.ts';
import { describeCause } from '../errors.ts';
import { listTrash, restoreFromTrash } from '../sync/crm-side/index.ts';
import { listRuns, readJournal } from '../sync/journal.ts';
import type { JournalItem, Outcome, RunBrief, TrashItem } from '../../shared/app-api.ts';
import { withCrmDatabase } from './crm-file.ts';
import { general } from './outcomes.ts';
import { briefOfRun } from './run-brief.ts';
import type { SettingsState } from './settings-state.ts';

export interface JournalFilter {
  runId?: number;
  text?: string;
  conflictsOnly?: boolean;
  limit?: number;
}

export class History {
  readonly #settings: SettingsState;
  readonly #refresh: () => void;

  /** `refresh` re-reads the settings (and whatever follows them) before each read. */
  constructor(settings: SettingsState, refresh: () => void) {
    this.#settings = settings;
    this.#refresh = refresh;
  }

  listRuns(limit: number): RunBrief[] {
    return this.#read([], (db) => listRuns(db, limit).map(briefOfRun));
  }

  /** The last run, or null (also when the database cannot be read: the status says why). */
  lastRun(): RunBrief | null {
    try {
      return this.#read<RunBrief | null>(null, (db) => {
        const [last] = listRuns(db, 1);
        return last ? briefOfRun(last) : null;
      });
    } catch {
      return null;
    }
  }

  journal(filter: JournalFilter): JournalItem[] {
    return this.#read([], (db) =>
      readJournal(db, {
        ...(filter.runId === undefined ? {} : { runId: filter.runId }),
        ...(filter.text ? { text: filter.text } : {}),
        ...(filter.conflictsOnly ? { conflictsOnly: true } : {}),
        limit: filter.limit ?? 500,
      }).map((e) => ({
        id: e.id,
        runId: e.runId,
        at: e.at,
        agenda: e.agenda,
        action: e.action,
        label: e.label,
        reason: e.reason,
        reasonCode: e.reasonCode,
        reasonParams: e.reasonParams,
        outcome: e.outcome,
        error: e.error,
        conflict: e.conflict,
      })),
    );
  }

  listTrash(): TrashItem[] {
    return this.#read([], (db) =>
      listTrash(db, { includeRestored: true, limit: 1000 }).map((e) => ({
        id: e.id,
        entity: e.entity,
        label: e.label,
        reason: e.reason,
        deletedAt: e.deletedAt,
        restoredAt: e.restoredAt,
      })),
    );
  }

  restoreTrash(id: number): Outcome {
    this.#refresh();
    const settings = this.#settings.current;
    if (!settings) return general(this.#settings.problem);
    try {
      withCrmDatabase(this.#settings.absolute(settings.crm.databasePath), (db) =>
        restoreFromTrash(db, id),
      );
      return { ok: true };
    } catch (err) {
      return general(describeCause(err));
    }
  }

  /** Reads the history; `empty` while there is no database to read it from. */
  #read<T>(empty: T, use: (db: CrmDatabase) => T): T {
    this.#refresh();
    const settings = this.#settings.current;
    if (!settings || settings.crm.databasePath.trim() === '') return empty;
    const path = this.#settings.absolute(settings.crm.databasePath);
    if (!existsSync(path)) return empty;
    return withCrmDatabase(path, use);
  }
}
