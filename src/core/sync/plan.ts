/**
 * The planner's input and output: plain data, so planning is a pure function that tests can
 * feed with anything and the CLI can print as a dry run.
 */
import type { CategoryRecord } from './categories.ts';
import type { ItemData, ItemIdentity } from '../model/items.ts';
import type { ReasonCode, ReasonParams } from './reasons.ts';
import type { AgendaRules } from './rules.ts';
import type { MirrorItem, Pairing } from './state.ts';

/** What filters need to know of a CRM row beyond its item data. */
export interface CrmFacts {
  ownerId: number | null;
  groupName: string | null;
  classificationNodeId: number | null;
  showInCalendar: boolean;
}

export interface CrmSnapshot {
  crmId: number;
  identity: ItemIdentity;
  /** Categories in the CRM's vocabulary. */
  data: ItemData;
  hash: string;
  /** When the row last changed (UTC ISO), for "newer wins". */
  modifiedAt: string | null;
  facts: CrmFacts;
}

export interface PlanInput {
  rules: AgendaRules;
  crm: readonly CrmSnapshot[];
  /** The server folder as last seen (the mirror, already brought up to date). */
  server: readonly MirrorItem[];
  pairings: readonly Pairing[];
  /** Every CRM category name of this agenda's kind (to tell managed server categories). */
  crmCategoryNames: readonly string[];
  /**
   * The content hash CRM row `crmId` would have after taking `data` from the server with
   * `extras`, nothing written; undefined when it cannot tell. Absent: not checked.
   */
  crmHashAfter?: (crmId: number, data: ItemData, extras: CrmWriteExtras) => string | undefined;
  /** The server's form of what is sent (ServerFolderSession.asStored). Absent: as sent. */
  serverAsStored?: (data: ItemData) => ItemData;
}

/** How a CRM write should treat what only the CRM has. */
export interface CrmWriteExtras {
  /** CRM category to set (already translated); undefined = leave; null = none. */
  categoryName?: string | null;
  /** Persons: the person's CRM categories after the server's (replace); undefined = leave. */
  categoryNames?: string[];
  /** Status given to imported events (on create only). */
  status?: string;
  /** Link events to persons (and companies) whose e-mail matches an attendee/organizer. */
  linkByEmail?: { persons: boolean; companies: boolean };
  /** Classification node for imported persons. */
  classificationNodeId?: number | null;
}

interface Common {
  /** Subject or name, for messages. */
  label: string;
  /** Why, in words the user understands; goes to the journal. */
  reason: string;
  /** The same reason as a stable code with its parameters, for the app to translate. */
  reasonCode: ReasonCode;
  reasonParams: ReasonParams;
  /** True when both sides had changed and a policy chose. */
  conflict?: boolean;
  /**
   * Writes and links: what the pairing should record of the item's categories once done
   * (see categories.ts); undefined = keep what it has.
   */
  categories?: CategoryRecord;
}

export type PlannedAction =
  | (Common & {
      kind: 'create-server';
      crmId: number;
      data: ItemData;
      identity: ItemIdentity;
      crmHash: string;
    })
  | (Common & {
      kind: 'update-server';
      crmId: number;
      serverId: string;
      version: string;
      data: ItemData;
      identity: ItemIdentity;
      crmHash: string;
    })
  | (Common & { kind: 'delete-server'; crmId: number; serverId: string; version: string })
  | (Common & {
      kind: 'create-crm';
      serverId: string;
      data: ItemData;
      identity: ItemIdentity;
      extras: CrmWriteExtras;
      serverHash: string;
      serverVersion: string;
    })
  | (Common & {
      kind: 'update-crm';
      crmId: number;
      serverId: string;
      data: ItemData;
      identity: ItemIdentity;
      extras: CrmWriteExtras;
      serverHash: string;
      serverVersion: string;
    })
  | (Common & { kind: 'delete-crm'; crmId: number; serverId: string })
  | (Common & {
      kind: 'link';
      crmId: number;
      serverId: string;
      uid: string;
      crmHash: string;
      serverHash: string;
      serverVersion: string;
    })
  | (Common & { kind: 'untrack'; crmId: number; serverId: string })
  | (Common & { kind: 'skip'; crmId: number | null; serverId: string | null });

export type ActionKind = PlannedAction['kind'];

/** Which side an action writes to. */
export function sideOf(kind: ActionKind): 'server' | 'crm' | 'state' {
  if (kind.endsWith('-server')) return 'server';
  if (kind.endsWith('-crm')) return 'crm';
  return 'state';
}
