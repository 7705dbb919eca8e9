/**
 * The per-agenda filters: day window, private items, categories, classification branch,
 * task groups. Each answers null (the item belongs to the sync) or the reason it does not,
 * as a code with parameters (reasons.ts words it for the journal).
 */
import type { ItemData, TaskData } from '../model/items.ts';
import type { CrmFacts } from './plan.ts';
import type { AgendaRules, OwnerIdentity } from './rules.ts';
import { foldOwnerName } from './rules.ts';
import { crmCategoriesPass, serverCategoriesPass } from './categories.ts';
import { eventInWindow, taskInWindow, whenMs } from '../model/day-window.ts';
import type { FilterVerdict } from './reasons.ts';

const sameText = (a: string, b: string): boolean =>
  a.localeCompare(b, undefined, { sensitivity: 'accent' }) === 0;

function commonVerdict(rules: AgendaRules, data: ItemData): FilterVerdict | null {
  if (data.kind === 'contact') {
    const wanted = rules.contactCategories;
    if (wanted.length && !data.categories.some((c) => wanted.some((w) => sameText(w, c)))) {
      return { code: 'no-contact-category', params: { categories: wanted.join(', ') } };
    }
    return null;
  }
  if (rules.skipPrivate && data.isPrivate) return { code: 'private', params: {} };
  if (rules.window) {
    const inWindow =
      data.kind === 'event' ? eventInWindow(data, rules.window) : taskInWindow(data, rules.window);
    if (!inWindow) return { code: 'outside-days', params: {} };
  }
  return null;
}

/** Whether a CRM item belongs to the sync (null) or why not. */
export function crmVerdict(
  rules: AgendaRules,
  data: ItemData,
  facts: CrmFacts,
): FilterVerdict | null {
  const common = commonVerdict(rules, data);
  if (common) return common;
  if (data.kind !== 'contact' && !crmCategoriesPass(rules.categories, data.categories)) {
    return { code: 'no-paired-category', params: {} };
  }
  if (data.kind === 'contact' && rules.branchNodeIds) {
    if (
      facts.classificationNodeId == null ||
      !rules.branchNodeIds.has(facts.classificationNodeId)
    ) {
      return { code: 'outside-branch', params: {} };
    }
  }
  // Events and tasks ("activities") without a group pass: imported ones have none, and
  // must stay tracked.
  if (rules.agenda !== 'contacts' && rules.exportGroups && facts.groupName != null) {
    const groups = [...rules.exportGroups];
    if (!groups.some((g) => sameText(g, facts.groupName ?? ''))) {
      return { code: 'group-not-exported', params: { group: facts.groupName } };
    }
  }
  return null;
}

/** Whether a server item belongs to the sync (null) or why not. */
export function serverVerdict(rules: AgendaRules, data: ItemData): FilterVerdict | null {
  const common = commonVerdict(rules, data);
  if (common) return common;
  if (data.kind !== 'contact' && !serverCategoriesPass(rules.categories, data.categories)) {
    return { code: 'no-paired-category', params: {} };
  }
  if (data.kind === 'task' && rules.ownerOnly && !isOwnTask(data, rules.ownerOnly)) {
    const owner = data.owner;
    return { code: 'not-own-task', params: { owner: owner?.email || owner?.name || '?' } };
  }
  return null;
}

/**
 * A task without a named owner is the mailbox's own; one with an owner is own when the
 * owner is the CRM user by address or, where the server gives only a name, by name.
 */
export function isOwnTask(task: TaskData, me: OwnerIdentity): boolean {
  const owner = task.owner;
  if (!owner) return true;
  if (owner.email !== '') return me.emails.has(owner.email.toLowerCase());
  return owner.name.trim() === '' || me.names.has(foldOwnerName(owner.name));
}

/**
 * Whether a server item not yet synchronised may be imported by the agenda's "import from"
 * date (null) or why not. A series counts when any occurrence is on or after the day.
 */
export function importVerdict(rules: AgendaRules, data: ItemData): FilterVerdict | null {
  if (!rules.importFrom || data.kind === 'contact') return null;
  const bound = { from: rules.importFrom, to: rules.window?.to ?? FAR_FUTURE };
  if (bound.from >= bound.to) return beforeImportFrom(rules.importFrom);
  const inside =
    data.kind === 'event' ? eventInWindow(data, bound) : taskOnOrAfter(data, bound.from);
  return inside ? null : beforeImportFrom(rules.importFrom);
}

const FAR_FUTURE = '9999-12-31T00:00:00.000Z';

function beforeImportFrom(instant: string): FilterVerdict {
  return { code: 'before-import-from', params: { date: instant.slice(0, 10) } };
}

/** A task by its due date, else its start; one with neither is not "before" any day. */
function taskOnOrAfter(task: TaskData, from: string): boolean {
  const when = task.due ?? task.start;
  return !when || whenMs(when) >= Date.parse(from);
}

export function labelOf(data: ItemData): string {
  if (data.kind === 'contact') {
    const name = [data.firstName, data.lastName].filter(Boolean).join(' ');
    return name || data.organization || data.emails[0]?.value || '(no name)';
  }
  return data.subject || '(no subject)';
}
