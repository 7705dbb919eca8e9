/**
 * Category translation between the CRM and the server (events and tasks). In "all" mode a
 * CRM category travels to the server under its own name and never back (imported items get
 * the default CRM category); in "paired" mode only paired categories sync, translated both
 * ways. Names compare case-insensitively, as Outlook does.
 */
import type { CategoryRules } from './rules.ts';

const same = (a: string, b: string): boolean =>
  a.localeCompare(b, undefined, { sensitivity: 'accent' }) === 0;

function pairForCrm(rules: CategoryRules, crm: string): string | undefined {
  return rules.pairs.find((p) => same(p.crm, crm))?.server;
}

function pairForServer(rules: CategoryRules, server: string): string | undefined {
  return rules.pairs.find((p) => same(p.server, server))?.crm;
}

/** Whether a CRM item with these CRM categories belongs to the sync. */
export function crmCategoriesPass(rules: CategoryRules, crmCategories: readonly string[]): boolean {
  if (rules.mode === 'all') return true;
  return crmCategories.some((c) => pairForCrm(rules, c) !== undefined);
}

/** Whether a server item with these categories belongs to the sync. */
export function serverCategoriesPass(
  rules: CategoryRules,
  serverCategories: readonly string[],
): boolean {
  if (rules.mode === 'all') return true;
  return serverCategories.some((c) => pairForServer(rules, c) !== undefined);
}

/**
 * The server's category list after sending a CRM item: the CRM's categories (translated in
 * "paired" mode) replace those the sync manages; categories the user set only on the
 * server stay.
 */
export function serverCategoriesFor(
  rules: CategoryRules,
  crmCategories: readonly string[],
  existingServer: readonly string[],
  knownCrmNames: readonly string[],
): string[] {
  const managed = (name: string): boolean =>
    rules.mode === 'paired'
      ? pairForServer(rules, name) !== undefined
      : knownCrmNames.some((k) => same(k, name));
  const sent = crmCategories
    .map((c) => (rules.mode === 'paired' ? pairForCrm(rules, c) : c))
    .filter((c): c is string => c !== undefined && c !== '');
  const kept = existingServer.filter((c) => !managed(c) && !sent.some((s) => same(s, c)));
  return [...new Set([...kept, ...sent])].sort();
}

/**
 * The CRM category to set when importing: "paired" mode translates the first paired server
 * category; "all" mode gives new items the default category and never changes it later.
 * undefined = leave the CRM's category as it is; null = no category.
 */
export function crmCategoryFor(
  rules: CategoryRules,
  serverCategories: readonly string[],
  isNew: boolean,
): string | null | undefined {
  if (rules.mode === 'paired') {
    for (const c of serverCategories) {
      const crm = pairForServer(rules, c);
      if (crm !== undefined) return crm;
    }
    return null;
  }
  if (!isNew) return undefined;
  return rules.defaultCategory === '' ? null : rules.defaultCategory;
}
