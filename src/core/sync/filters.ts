/**
 * The per-agenda filters: day window, private items, categories, classification branch,
 * task groups. Each answers null (the item belongs to the sync) or the reason it does not,
 * in words for the journal.
 */
import type { ItemData } from './model.ts';
import type { CrmFacts } from './plan.ts';
import type { AgendaRules } from './rules.ts';
import { crmCategoriesPass, serverCategoriesPass } from './categories.ts';
import { eventInWindow, taskInWindow } from './window.ts';

const sameText = (a: string, b: string): boolean =>
  a.localeCompare(b, undefined, { sensitivity: 'accent' }) === 0;

function commonVerdict(rules: AgendaRules, data: ItemData): string | null {
  if (data.kind === 'contact') {
    const wanted = rules.contactCategories;
    if (wanted.length && !data.categories.some((c) => wanted.some((w) => sameText(w, c)))) {
      return `has none of the synchronised contact categories (${wanted.join(', ')})`;
    }
    return null;
  }
  if (rules.skipPrivate && data.isPrivate)
    return 'is private, and private items are not synchronised';
  if (rules.window) {
    const inWindow =
      data.kind === 'event' ? eventInWindow(data, rules.window) : taskInWindow(data, rules.window);
    if (!inWindow) return 'is outside the synchronised days';
  }
  return null;
}

/** Whether a CRM item belongs to the sync (null) or why not. */
export function crmVerdict(rules: AgendaRules, data: ItemData, facts: CrmFacts): string | null {
  const common = commonVerdict(rules, data);
  if (common) return common;
  if (data.kind !== 'contact' && !crmCategoriesPass(rules.categories, data.categories)) {
    return 'has no paired category';
  }
  if (data.kind === 'contact' && rules.branchNodeIds) {
    if (
      facts.classificationNodeId == null ||
      !rules.branchNodeIds.has(facts.classificationNodeId)
    ) {
      return 'is outside the synchronised branch of the classification tree';
    }
  }
  // Tasks without a group pass: imported tasks have none, and must stay tracked.
  if (rules.agenda === 'tasks' && rules.exportGroups && facts.groupName != null) {
    const groups = [...rules.exportGroups];
    if (!groups.some((g) => sameText(g, facts.groupName ?? ''))) {
      return `is in activity group "${facts.groupName}", which is not exported`;
    }
  }
  return null;
}

/** Whether a server item belongs to the sync (null) or why not. */
export function serverVerdict(rules: AgendaRules, data: ItemData): string | null {
  const common = commonVerdict(rules, data);
  if (common) return common;
  if (data.kind !== 'contact' && !serverCategoriesPass(rules.categories, data.categories)) {
    return 'has no paired category';
  }
  return null;
}

export function labelOf(data: ItemData): string {
  if (data.kind === 'contact') {
    const name = [data.firstName, data.lastName].filter(Boolean).join(' ');
    return name || data.organization || data.emails[0]?.value || '(no name)';
  }
  return data.subject || '(no subject)';
}
