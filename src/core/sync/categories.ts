/**
 * Category translation between the CRM and the server. Events and tasks: in "all" mode a
 * CRM category travels to the server under its own name and never back (imported items get
 * the default CRM category, a CRM-only fact); in "paired" mode only paired categories sync,
 * translated both ways. Contacts: every CRM category travels under its name, and the server
 * categories the CRM knows (or the contacts filter names) come back. Names compare
 * case-insensitively, as Outlook does.
 *
 * A write to the server is a merge, never a replacement: the item's categories become the
 * server's own ones (those the sync did not set) plus the CRM's, mapped. Which server
 * categories the sync set is recorded on the pairing (CategoryRecord), not guessed by name:
 * a server category that merely shares a name with some CRM category is the user's.
 */
import type { CategoryRules } from './rules.ts';

/** What the pairing remembers of an item's categories (sync_pairings.categories). */
export interface CategoryRecord {
  /**
   * Server names the sync put on the item or linked to the CRM's categories: only these
   * may a later write take off again.
   */
  server: string[];
  /** The CRM category an import gave the item ("all" mode's default): never sent. */
  crmOnly: string | null;
}

/** How one agenda's categories travel; see schemeOf. */
export interface CategoryScheme {
  /** The server name a CRM category goes under; undefined = it stays in the CRM. */
  toServer(crm: string): string | undefined;
  /**
   * Whether mapped server categories also come into the CRM ("paired" mode, contacts).
   * Then every category the sync maps is the sync's on both sides; otherwise ("all" mode)
   * only those it added to the server are.
   */
  twoWay: boolean;
  /** "all" mode: the CRM category given to imported items ('' = none). */
  importDefault: string;
}

export const same = (a: string, b: string): boolean =>
  a.localeCompare(b, undefined, { sensitivity: 'accent' }) === 0;

const has = (list: readonly string[], name: string): boolean => list.some((x) => same(x, name));

/** Unique ignoring case (first spelling wins), blanks dropped, in code-unit order. */
function tidy(names: Iterable<string>): string[] {
  const out: string[] = [];
  for (const n of names) if (n.trim() !== '' && !has(out, n)) out.push(n);
  return out.sort();
}

function pairForCrm(rules: CategoryRules, crm: string): string | undefined {
  return rules.pairs.find((p) => same(p.crm, crm))?.server;
}

function pairForServer(rules: CategoryRules, server: string): string | undefined {
  return rules.pairs.find((p) => same(p.server, server))?.crm;
}

/** Events and tasks: the scheme of their category settings. Contacts: null. */
export function schemeOf(rules: CategoryRules | null): CategoryScheme {
  if (rules === null) return { toServer: (c) => c, twoWay: true, importDefault: '' };
  if (rules.mode === 'paired')
    return { toServer: (c) => pairForCrm(rules, c), twoWay: true, importDefault: '' };
  return { toServer: (c) => c, twoWay: false, importDefault: rules.defaultCategory };
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
 * The server item's categories after a CRM write: (server categories the sync did not set)
 * ∪ (the CRM's categories, mapped), and what to record of it. `existing` null = a new
 * server item. Without a record (a pairing older than the record, or found again after the
 * state was lost) the sync owns nothing beyond what it sends, and a CRM category equal to
 * "all" mode's default that the server item lacks is taken for the import's.
 */
export function serverCategoriesFor(
  scheme: CategoryScheme,
  crmCategories: readonly string[],
  existing: readonly string[] | null,
  record: CategoryRecord | null,
): { categories: string[]; record: CategoryRecord } {
  const server = existing ?? [];
  const crmOnly = crmOnlyOf(scheme, existing, record);
  const sent = sentNames(scheme, crmCategories, server, crmOnly);
  const owned = record !== null ? record.server : server.filter((s) => has(sent, s));
  const kept = server.filter((s) => !has(owned, s));
  return {
    categories: tidy([...kept, ...sent]),
    record: {
      server: scheme.twoWay ? sent : sent.filter((s) => !has(kept, s)),
      crmOnly: stillThere(crmOnly, crmCategories),
    },
  };
}

/**
 * The record of a write that reached the server but whose answer was lost: the copy holds
 * what it sent, so what the CRM sends is the sync's, beside what the sync had set before.
 */
export function landedRecord(
  scheme: CategoryScheme,
  crmCategories: readonly string[],
  landed: readonly string[],
  record: CategoryRecord | null,
): CategoryRecord {
  const crmOnly = crmOnlyOf(scheme, landed, record);
  const owned = [...sentNames(scheme, crmCategories, landed, crmOnly), ...(record?.server ?? [])];
  return {
    server: tidy(landed.filter((s) => has(owned, s))),
    crmOnly: stillThere(crmOnly, crmCategories),
  };
}

/** The CRM category not to send: the recorded import default, or (no record) a guess. */
function crmOnlyOf(
  scheme: CategoryScheme,
  existing: readonly string[] | null,
  record: CategoryRecord | null,
): string | null {
  if (record !== null) return record.crmOnly;
  return existing !== null && scheme.importDefault !== '' && !has(existing, scheme.importDefault)
    ? scheme.importDefault
    : null;
}

/** The CRM's categories as server names, in the server's spelling where it has them. */
function sentNames(
  scheme: CategoryScheme,
  crmCategories: readonly string[],
  server: readonly string[],
  crmOnly: string | null,
): string[] {
  return tidy(
    crmCategories
      .filter((c) => crmOnly === null || !same(c, crmOnly))
      .map((c) => scheme.toServer(c))
      .filter((c): c is string => c !== undefined)
      .map((c) => server.find((s) => same(s, c)) ?? c),
  );
}

/** The import's default stays CRM-only while the CRM item still has it. */
function stillThere(crmOnly: string | null, crmCategories: readonly string[]): string | null {
  return crmOnly !== null && has(crmCategories, crmOnly) ? crmOnly : null;
}

/**
 * Events and tasks, on import: the CRM category to set. "paired" mode translates the first
 * paired server category; "all" mode gives new items the default category and never
 * changes it later. undefined = leave the CRM's category as it is; null = no category.
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

/**
 * Events and tasks, on import: what to record. "paired": the server categories that gave
 * the CRM its category; "all": a new item's default category is CRM-only, and an update
 * changes nothing (undefined = keep the record).
 */
export function importRecordFor(
  rules: CategoryRules,
  serverCategories: readonly string[],
  crmCategory: string | null | undefined,
): CategoryRecord | undefined {
  if (rules.mode === 'paired') {
    const linked =
      crmCategory == null
        ? []
        : serverCategories.filter((s) => {
            const crm = pairForServer(rules, s);
            return crm !== undefined && same(crm, crmCategory);
          });
    return { server: tidy(linked), crmOnly: null };
  }
  if (crmCategory === undefined) return undefined;
  return { server: [], crmOnly: crmCategory };
}

/**
 * Contacts, on import: the person's CRM categories after the server's. A server category
 * comes in when the CRM has a category of that name (`known`: contact categories and the
 * contacts filter's names, created if missing); others stay on the server only. A CRM
 * category goes only when the sync had linked it and the server no longer has it, so CRM
 * categories the server never showed stay. `current` null = a new person.
 */
export function contactCategoriesFor(
  serverCategories: readonly string[],
  current: readonly string[] | null,
  record: CategoryRecord | null,
  known: readonly string[],
): { crm: string[]; record: CategoryRecord } {
  const incoming = serverCategories.flatMap((s) => {
    const name = known.find((k) => same(k, s));
    return name === undefined ? [] : [name];
  });
  const linked = record?.server ?? [];
  const stay = (current ?? []).filter((c) => !has(linked, c) || has(serverCategories, c));
  const crm = tidy([...stay, ...incoming]);
  return {
    crm,
    record: { server: tidy(serverCategories.filter((s) => has(crm, s))), crmOnly: null },
  };
}
