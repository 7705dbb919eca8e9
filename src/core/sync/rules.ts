/**
 * What the settings mean for one agenda's run, derived once so the planner stays a pure
 * function of plain data.
 */
import type { Settings } from '../settings/schema.ts';
import { effectiveConflictPolicy } from '../settings/derived.ts';
import type { AgendaKind } from './model.ts';
import type { DayWindow } from './window.ts';
import { dayWindow } from './window.ts';

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
  /** Tasks: export only tasks of these activity groups; null = all. */
  exportGroups: ReadonlySet<string> | null;
  /** Events: CRM status given to imported events ('' = leave). */
  importedStatus: string;
  /** Events: link imported events to persons (and their companies) by e-mail. */
  linkByEmail: { persons: boolean; companies: boolean };
}

export function deriveRules(
  settings: Settings,
  agenda: AgendaKind,
  now: Date,
  branch: { nodeIds: ReadonlySet<number>; rootId: number } | null,
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
  };
  if (agenda === 'events') {
    const e = settings.agendas.events;
    rules.importedStatus = e.importedStatus;
    rules.linkByEmail = { persons: e.linkByAttendeeEmail, companies: e.linkCompanies };
  } else {
    const t = settings.agendas.tasks;
    rules.exportGroups = t.exportGroups.mode === 'all' ? null : new Set(t.exportGroups.groups);
  }
  return rules;
}
