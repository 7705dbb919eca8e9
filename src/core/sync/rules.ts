/**
 * What the settings mean for one agenda's run, derived once so the planner stays a pure
 * function of plain data.
 */
import type { Settings } from '../../shared/settings/schema.ts';
import { effectiveConflictPolicy, impersonatedMailbox } from '../settings/derived.ts';
import type { AgendaKind, PersonRef } from '../model/items.ts';
import type { DayWindow } from '../model/day-window.ts';
import { dayWindow } from '../model/day-window.ts';

export type Direction = 'two-way' | 'import' | 'export';
export type ResolvedConflictPolicy = 'server-wins' | 'crm-wins' | 'newer-wins';

export interface CategoryPair {
  crm: string;
  server: string;
}

export interface CategoryRules {
  mode: 'all' | 'paired';
  /** CRM category for imported items in "all" mode ('' = none). */
  defaultCategory: string;
  pairs: CategoryPair[];
}

export interface AgendaRules {
  agenda: AgendaKind;
  direction: Direction;
  /**
   * Whether new CRM items are created in this folder. Only the agenda's first folder
   * receives new CRM items; further folders sync what is paired with them and import.
   */
  createOnServer: boolean;
  conflictPolicy: ResolvedConflictPolicy;
  /** Null for contacts (no window). */
  window: DayWindow | null;
  skipPrivate: boolean;
  /** Events and tasks. */
  categories: CategoryRules;
  /** Contacts: only these categories (empty = all). */
  contactCategories: string[];
  /** Contacts: classification nodes in the chosen branch; null = the whole tree. */
  branchNodeIds: ReadonlySet<number> | null;
  /** Contacts: where imported persons are filed (the branch's top node); null = nowhere. */
  branchRootNodeId: number | null;
  /** Events and tasks: export only items of these activity groups; null = all. */
  exportGroups: ReadonlySet<string> | null;
  /**
   * Events and tasks: server items before this UTC instant (a day's start) are not imported;
   * null = no lower bound. Only imports: CRM items and paired items are not bounded by it.
   */
  importFrom: string | null;
  /** Tasks: import only server tasks owned by these addresses or names; null = any owner. */
  ownerOnly: OwnerIdentity | null;
  /** Events: CRM status given to imported events ('' = leave). */
  importedStatus: string;
  /** Events: link imported events to persons (and their companies) by e-mail. */
  linkByEmail: { persons: boolean; companies: boolean };
  /**
   * Events: the ORGANIZER of an exported meeting (attendees) that has none, the CRM user's
   * mailbox (set by the engine); absent or null = none known.
   */
  organizer?: PersonRef | null;
  /**
   * Put CRM items back on the server where the server lost them (it was emptied or
   * replaced), instead of deleting them in the CRM: the user's choice (--restore-server).
   */
  restoreServer?: boolean;
}

/** Who "the CRM user" is on the server: lower-case e-mail addresses and folded names. */
export interface OwnerIdentity {
  emails: ReadonlySet<string>;
  names: ReadonlySet<string>;
}

/**
 * The CRM user as a server names a task's owner: the user's e-mail address, the mailbox the
 * connection opens (Exchange e-mail or impersonated mailbox; a DAV user name that is an
 * address), and the user's display name and login (Exchange often gives only a name).
 */
export function ownerIdentityOf(
  settings: Settings,
  user: { login: string; displayName: string; email: string | null },
): OwnerIdentity {
  const ex = settings.connection.exchange;
  const emails = [user.email ?? '', ex.email, impersonatedMailbox(settings) ?? '']
    .concat(settings.connection.dav.user.includes('@') ? [settings.connection.dav.user] : [])
    .map((e) => e.trim().toLowerCase())
    .filter((e) => e !== '');
  const names = [user.displayName, user.login].map(foldOwnerName).filter((n) => n !== '');
  return { emails: new Set(emails), names: new Set(names) };
}

export function deriveRules(
  settings: Settings,
  agenda: AgendaKind,
  now: Date,
  branch: { nodeIds: ReadonlySet<number>; rootId: number } | null,
  owner: OwnerIdentity | null = null,
): AgendaRules {
  const noCategories: CategoryRules = { mode: 'all', defaultCategory: '', pairs: [] };
  const base = {
    agenda,
    createOnServer: true,
    conflictPolicy: effectiveConflictPolicy(settings, agenda),
    contactCategories: [],
    branchNodeIds: null,
    branchRootNodeId: null,
    exportGroups: null,
    importFrom: null,
    ownerOnly: null,
    importedStatus: '',
    linkByEmail: { persons: false, companies: false },
  };
  if (agenda === 'contacts') {
    const c = settings.agendas.contacts;
    return {
      ...base,
      direction: c.direction,
      window: null,
      skipPrivate: false,
      categories: noCategories,
      contactCategories: [...c.categories],
      branchNodeIds: branch?.nodeIds ?? null,
      branchRootNodeId: branch?.rootId ?? null,
    };
  }
  const a = settings.agendas[agenda];
  const categories: CategoryRules = {
    mode: a.categoryMode,
    defaultCategory: a.defaultCategory,
    pairs: a.categoryPairs.map((p) => ({ crm: p.crm, server: p.server })),
  };
  const rules: AgendaRules = {
    ...base,
    direction: a.direction,
    window: dayWindow(now, a.daysPast, a.daysFuture),
    skipPrivate: a.skipPrivate,
    categories,
    exportGroups: a.exportGroups.mode === 'all' ? null : new Set(a.exportGroups.groups),
    importFrom: a.importFrom === '' ? null : `${a.importFrom}T00:00:00.000Z`,
  };
  if (agenda === 'events') {
    const e = settings.agendas.events;
    rules.importedStatus = e.importedStatus;
    rules.linkByEmail = { persons: e.linkByAttendeeEmail, companies: e.linkCompanies };
  } else if (settings.agendas.tasks.ownerOnly) {
    // Without knowing who the user is on the server, every named owner would look foreign.
    rules.ownerOnly = owner;
  }
  return rules;
}

/** How names are compared: trimmed, case and accents as the user typed them. */
export function foldOwnerName(name: string): string {
  return name.trim().replace(/\s+/g, ' ').toLocaleLowerCase();
}
