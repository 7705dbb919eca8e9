/**
 * The wizard's CRM step: is this file a CRM database, does the user exist, is the password
 * right; and what the CRM offers to choose from (users, categories, groups, the
 * classification tree). The file is opened read-only: nothing is changed before the user
 * has finished the wizard.
 */
import { existsSync, statSync } from 'node:fs';
import { listCategories } from '../crm/categories.ts';
import { listNodes } from '../crm/classification.ts';
import { openCrmDatabase } from '../crm/database.ts';
import type { CrmDatabase } from '../crm/database.ts';
import { listGroups } from '../crm/groups.ts';
import { importedStatusProblem, listEventStatuses } from '../crm/event-statuses.ts';
import type { ClassificationNode } from '../crm/types.ts';
import { findUserByLogin, listUsers, verifyUserPassword } from '../crm/users.ts';
import { describeCause } from '../errors.ts';
import type {
  ClassificationNodeInfo,
  CrmLookups,
  FieldProblem,
  Outcome,
} from '../../shared/app-api.ts';
import type { MessageCode, MessageParams } from '../../shared/message-codes.ts';
import { CRM_PASSWORD_FIELD } from './field-problems.ts';

const DATABASE_FIELD = 'crm.databasePath';
const USER_FIELD = 'crm.user';

const failed = (
  field: string,
  message: string,
  code?: MessageCode,
  params: MessageParams = {},
): { ok: false; problems: FieldProblem[] } => ({
  ok: false,
  problems: [{ field, message, ...(code === undefined ? {} : { code, params }) }],
});

const unreadable = (path: string, err: unknown) =>
  failed(
    DATABASE_FIELD,
    `The CRM database ${path} cannot be read: ${describeCause(err)}`,
    'crm-database-unreadable',
    { path, detail: describeCause(err) },
  );

/**
 * Opens the CRM file read-only, or says on `crm.databasePath` why not: empty path, no such
 * file, a folder, not a CRM Sync database, corrupt, newer schema...
 */
function openForReading(
  path: string,
): { ok: true; db: CrmDatabase } | { ok: false; problems: FieldProblem[] } {
  if (path.trim() === '') {
    return failed(DATABASE_FIELD, 'Choose the CRM database file.', 'crm-database-choose');
  }
  if (!existsSync(path)) {
    return failed(
      DATABASE_FIELD,
      `The CRM database ${path} does not exist.`,
      'crm-database-missing',
      {
        path,
      },
    );
  }
  if (statSync(path).isDirectory()) {
    return failed(
      DATABASE_FIELD,
      `${path} is a folder; choose the CRM database file in it.`,
      'crm-database-folder',
      { path },
    );
  }
  try {
    return { ok: true, db: openCrmDatabase(path, { create: false, readonly: true }) };
  } catch (err) {
    return failed(DATABASE_FIELD, describeCause(err));
  }
}

/** Checks a CRM login; `path` is absolute. Each problem is on the field to correct. */
export function checkCrmLogin(path: string, login: string, password: string): Outcome {
  if (login.trim() === '') return failed(USER_FIELD, 'Enter your CRM login.', 'crm-login-empty');
  const opened = openForReading(path);
  if (!opened.ok) return opened;
  const { db } = opened;
  try {
    const user = findUserByLogin(db, login);
    if (!user) {
      return failed(
        USER_FIELD,
        `There is no CRM user "${login.trim()}" in ${path}.`,
        'crm-user-unknown',
        { user: login.trim(), path },
      );
    }
    if (!user.active) {
      return failed(
        USER_FIELD,
        `The CRM user "${user.login}" is disabled in the CRM.`,
        'crm-user-disabled',
        { user: user.login },
      );
    }
    if (password === '') {
      return failed(CRM_PASSWORD_FIELD, 'Enter your CRM password.', 'crm-password-empty');
    }
    if (!verifyUserPassword(db, login, password)) {
      return failed(
        CRM_PASSWORD_FIELD,
        `Wrong password for the CRM user "${user.login}".`,
        'crm-password-wrong',
        { user: user.login },
      );
    }
    return { ok: true };
  } catch (err) {
    return unreadable(path, err);
  } finally {
    db.close();
  }
}

/** Builds the tree with each node's path ("Kontakty/Zákazníci"), in display order. */
function classificationTree(nodes: readonly ClassificationNode[]): ClassificationNodeInfo[] {
  const byParent = new Map<number | null, ClassificationNode[]>();
  for (const node of nodes) {
    const siblings = byParent.get(node.parentId) ?? [];
    siblings.push(node);
    byParent.set(node.parentId, siblings);
  }
  const visited = new Set<number>();
  const build = (parentId: number | null, prefix: string): ClassificationNodeInfo[] =>
    (byParent.get(parentId) ?? [])
      .slice()
      .sort((a, b) => a.position - b.position || a.name.localeCompare(b.name))
      .filter((node) => !visited.has(node.id)) // a cycle in another program's data
      .map((node) => {
        visited.add(node.id);
        const path = prefix === '' ? node.name : `${prefix}/${node.name}`;
        return { id: node.id, name: node.name, path, children: build(node.id, path) };
      });
  return build(null, '');
}

/** Users, categories, groups and the classification tree of the CRM file at `path`. */
export function crmLookups(path: string): Outcome<CrmLookups> {
  const opened = openForReading(path);
  if (!opened.ok) return opened;
  const { db } = opened;
  try {
    return {
      ok: true,
      value: {
        users: listUsers(db)
          .filter((u) => u.active)
          .map((u) => ({ login: u.login, displayName: u.displayName })),
        categories: listCategories(db).map((c) => ({ name: c.name, icon: c.icon, kind: c.kind })),
        groups: listGroups(db).map((g) => g.name),
        eventStatuses: listEventStatuses(db),
        classification: classificationTree(listNodes(db)),
      },
    };
  } catch (err) {
    return unreadable(path, err);
  } finally {
    db.close();
  }
}

/**
 * agendas.events.importedStatus must be one of the statuses the CRM's events use (the CRM
 * keeps no list of them). Checked when it changes; a database that cannot be opened is
 * left to the CRM step's own checks.
 */
export function checkImportedStatus(path: string, status: string): Outcome {
  if (status === '') return { ok: true };
  const opened = openForReading(path);
  if (!opened.ok) return { ok: true };
  const { db } = opened;
  try {
    const problem = importedStatusProblem(db, status);
    return problem === null
      ? { ok: true }
      : { ok: false, problems: [{ field: 'agendas.events.importedStatus', message: problem }] };
  } finally {
    db.close();
  }
}
