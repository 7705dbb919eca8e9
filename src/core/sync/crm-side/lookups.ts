/** Finding (or making) the CRM rows a write refers to by name. */
import { createCategory, findCategory } from '../../crm/categories.ts';
import { insertCompany } from '../../crm/companies.ts';
import type { CrmDatabase } from '../../crm/database.ts';
import type { CategoryKind, PersonCompanyLink } from '../../crm/types.ts';
import { foldName } from './text.ts';
import type { CrmWriteNote } from './types.ts';
import { note } from './types.ts';

/**
 * The id of the category with that name usable for the kind (its own kind before "any",
 * case-insensitively also for non-ASCII letters), created with that kind if none.
 */
export function ensureCategory(db: CrmDatabase, kind: CategoryKind, name: string): number {
  const found = findCategory(db, kind, name);
  if (found) return found.id;
  const wanted = foldName(name);
  const folded = db
    .prepare<[string, string], { id: number; name: string }>(
      `SELECT id, name FROM categories WHERE kind IN (?, 'any') ORDER BY kind = ? DESC, id`,
    )
    .all(kind, kind)
    .find((c) => foldName(c.name) === wanted);
  return folded ? folded.id : createCategory(db, { name: name.trim(), kind });
}

/** Companies called `name` (Unicode case-insensitively, blanks collapsed), oldest first. */
export function companiesNamed(db: CrmDatabase, name: string): { id: number; name: string }[] {
  const wanted = foldName(name);
  // A scan of names only: thousands of rows at most, far cheaper than a wrong new company.
  return db
    .prepare<[], { id: number; name: string }>('SELECT id, name FROM companies ORDER BY id')
    .all()
    .filter((c) => foldName(c.name) === wanted);
}

/** undefined = leave the category; null = none; else the (possibly new) category's id. */
export function categoryIdFor(
  db: CrmDatabase,
  kind: CategoryKind,
  name: string | null | undefined,
): number | null | undefined {
  if (name === undefined) return undefined;
  if (name === null || name.trim() === '') return null;
  return ensureCategory(db, kind, name);
}

/**
 * The person's company links after the server's organization field: the company of that
 * name becomes the first link (the one servers show); every other link stays, including the
 * previous first one, since links are CRM structure a server cannot represent. A name no
 * company has creates the company (owned by the CRM user). An empty organization changes
 * nothing. Returns undefined when the links stay as they are.
 */
export function companyLinksFor(
  db: CrmDatabase,
  current: readonly PersonCompanyLink[],
  organization: string,
  ownerId: number,
  notes: CrmWriteNote[],
): PersonCompanyLink[] | undefined {
  const name = organization.trim();
  if (name === '') {
    if (current.length > 0) {
      notes.push(
        note(
          'organization-kept',
          'The server contact has no company; the CRM company links were kept.',
        ),
      );
    }
    return undefined;
  }
  const matches = companiesNamed(db, name);
  const linked = new Set(current.map((l) => l.companyId));
  // A company the person is already linked to wins over a namesake.
  const chosen = matches.find((c) => linked.has(c.id)) ?? matches[0];
  let companyId: number;
  if (!chosen) {
    companyId = insertCompany(db, { name, ownerId });
    notes.push(
      note('company-created', `Company "${name}" was created.`, { company: name, id: companyId }),
    );
  } else {
    companyId = chosen.id;
    if (matches.length > 1 && !linked.has(companyId)) {
      notes.push(
        note(
          'company-ambiguous',
          `${matches.length} companies are called "${name}"; linked to the oldest (id ${companyId}).`,
          { company: name, count: matches.length, id: companyId },
        ),
      );
    }
  }
  if (current[0]?.companyId === companyId) return undefined;
  const existing = current.find((l) => l.companyId === companyId);
  return [
    existing ?? { companyId, role: null },
    ...current.filter((l) => l.companyId !== companyId),
  ];
}
