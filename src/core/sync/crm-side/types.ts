/**
 * The CRM side of the sync engine: what it hands the planner (CrmItem) and what the executor
 * hands back (CrmWrite). Items travel in the neutral model of ../model.ts; everything the
 * model lacks but the filters need rides along in CrmItemFacts.
 */
import type { ItemData, ItemIdentity } from '../../model/items.ts';

/** The CRM row kinds that pair with server items. */
export type CrmEntity = 'event' | 'task' | 'person';
export const CRM_ENTITIES: readonly CrmEntity[] = ['event', 'task', 'person'];

/** What the planner's filters need that ItemData does not carry. */
export interface CrmItemFacts {
  ownerId: number | null;
  /** Activity group (events, tasks); null for persons or no group. */
  groupName: string | null;
  /** Classification node (persons); null for events and tasks or unfiled persons. */
  classificationNodeId: number | null;
  /** Tasks: the "show in calendar" flag. Events: always true. Persons: false. */
  showInCalendar: boolean;
}

export interface CrmItem {
  crmId: number;
  entity: CrmEntity;
  /** uid = the row's uid ('' if never paired); crmStamp = crmStampOf(entity, crmId, databaseId). */
  identity: ItemIdentity;
  /** Categories are CRM category names here; the engine translates them. */
  data: ItemData;
  /** UTC ISO instant: the later of the row's updated_at and its last change_log entry. */
  modifiedAt: string;
  facts: CrmItemFacts;
}

/** CRM-only things a write from the server may set; the engine decides them from settings. */
export interface ImportExtras {
  /**
   * Events and tasks: the CRM category to set, already translated to a CRM name (created with
   * the entity's kind when missing). undefined = leave as is, null = clear. Persons: add this
   * category to the person's categories (e.g. a default category for imported contacts).
   */
  categoryName?: string | null;
  /** Persons: replace the person's categories with these CRM names. undefined = leave. */
  categoryNames?: string[];
  /** Events, on create only: the CRM "Status" to give an imported event. */
  status?: string;
  /** Events: link to CRM persons whose e-mail matches an attendee or the organizer. */
  linkByEmail?: { persons: boolean; companies: boolean };
  /** On create only: activity group of an imported event or task. */
  groupId?: number | null;
  /** Persons, on create only: where to file an imported person (e.g. the synced branch). */
  classificationNodeId?: number | null;
  /**
   * Persons: how many e-mails / phones the server can hold (Exchange: 3 e-mails). CRM entries
   * past that many were never on the server, so an update from it must not drop them.
   * undefined = no limit: the server's list replaces the CRM's.
   */
  listLimits?: { emails?: number; phones?: number };
}

export type CrmWrite =
  | {
      op: 'create';
      entity: CrmEntity;
      data: ItemData;
      identity: ItemIdentity;
      extras: ImportExtras;
    }
  | {
      op: 'update';
      entity: CrmEntity;
      crmId: number;
      data: ItemData;
      identity: ItemIdentity;
      extras: ImportExtras;
    }
  | {
      op: 'delete';
      entity: CrmEntity;
      crmId: number;
      /** Why, for the trash ("deleted on the server"); a default is used when absent. */
      reason?: string;
    };

export interface CrmWriteContext {
  /** The CRM user the run works for: owner of created rows. */
  ownerId: number;
  /** The run id, stamped on every change_log row the write causes. */
  origin: string;
}

/** Codes of the notes a CRM write leaves (the app words them as note.<code>). */
export const CRM_WRITE_NOTE_CODES = [
  'linked',
  'shared-address',
  'company-created',
  'company-ambiguous',
  'organization-kept',
  'invalid-address-skipped',
  'time-zone-dropped',
  'override-cancelled',
  'name-missing',
  'already-deleted',
  'moved-to-trash',
] as const;

export type CrmWriteNoteCode = (typeof CRM_WRITE_NOTE_CODES)[number];

/** Something the journal should tell about a write; `message` is English, params for i18n. */
export interface CrmWriteNote {
  code: CrmWriteNoteCode;
  message: string;
  params: Record<string, string | number>;
}

export interface CrmWriteResult {
  crmId: number;
  notes: CrmWriteNote[];
  /** Persons / companies newly linked to an event by e-mail (not those linked before). */
  linkedPersonIds: number[];
  linkedCompanyIds: number[];
  /** Deletes: the trash entry holding the row; null when the row was already gone. */
  trashId: number | null;
}

/** A CRM row the engine meant to update or trash is no longer there. */
export class CrmRowMissingError extends Error {
  readonly entity: CrmEntity;
  readonly crmId: number;
  constructor(entity: CrmEntity, crmId: number) {
    super(`CRM ${entity} ${crmId} does not exist (deleted meanwhile?).`);
    this.name = 'CrmRowMissingError';
    this.entity = entity;
    this.crmId = crmId;
  }
}

export function note(
  code: CrmWriteNoteCode,
  message: string,
  params: Record<string, string | number> = {},
): CrmWriteNote {
  return { code, message, params };
}
