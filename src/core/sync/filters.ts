/**
 * The per-agenda filters: day window, private items, categories, classification branch,
 * task groups. Each answers null (the item belongs to the sync) or the reason it does not,
 * as a code with parameters (reasons.ts words it for the journal).
 */
import type { ItemData } from './model.ts';
import type { CrmFacts } from './plan.ts';
import type { AgendaRules } from './rules.ts';
import { crmCategoriesPass, serverCategoriesPass } from './categories.ts';
import { eventInWindow, taskInWindow } from './window.ts';
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
  // Tasks without a group pass: imported tasks have none, and must stay tracked.
  if (rules.agenda === 'tasks' && rules.exportGroups && facts.groupName != null) {
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
  return null;
}

export function labelOf(data: ItemData): string {
  if (data.kind === 'contact') {
    const name = [data.firstName, data.lastName].filter(Boolean).join(' ');
    return name || data.organization || data.emails[0]?.value || '(no name)';
  }
  return data.subject || '(no subject)';
}
