/**
 * The planner's input and output: plain data, so planning is a pure function that tests can
 * feed with anything and the CLI can print as a dry run.
 */
import type { ItemData, ItemIdentity } from './model.ts';
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
}

/** How a CRM write should treat what only the CRM has. */
export interface CrmWriteExtras {
  /** CRM category to set (already translated); undefined = leave; null = none. */
  categoryName?: string | null;
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
