/**
 * What the CRM side offers the planner: the agenda's rows as CrmItems.
 *
 * Scope: events and tasks are the CRM user's own (owner_id = the user). Contacts are ALL
 * persons: in a company CRM persons are shared, and the owner only says who filed them; the
 * planner narrows them by category and classification branch (facts.classificationNodeId).
 */
import type { CrmDatabase } from '../../crm/database.ts';
import type { AgendaKind } from '../../model/items.ts';
import { toContactData } from './contact-mapping.ts';
import { toEventData } from './event-mapping.ts';
import type { Selection } from './load.ts';
import {
  ALL_ROWS,
  byIds,
  byOwner,
  lastLoggedChanges,
  loadEvents,
  loadPersons,
  loadTasks,
  namesOf,
} from './load.ts';
import { crmDatabaseId, crmStampOf } from './stamp.ts';
import { taskToEventData, toTaskData } from './task-mapping.ts';
import type { CrmEntity, CrmItem } from './types.ts';
import { normalInstant } from './when.ts';

export interface CrmItemOptions {
  /**
   * Tasks flagged "show in calendar" that have a date come as EventData (they travel to the
   * server as calendar items: agendas.tasks.showInCalendarAsEvent); others as TaskData.
   */
  tasksAsEvents?: boolean;
}

export interface CrmScope extends CrmItemOptions {
  /** The CRM user whose events and tasks are listed (not used for contacts). */
  ownerId: number;
}

export const ENTITY_OF_AGENDA: Readonly<Record<AgendaKind, CrmEntity>> = {
  events: 'event',
  tasks: 'task',
  contacts: 'person',
};

/** The agenda's CRM rows in id order. */
export function listCrmItems(db: CrmDatabase, agenda: AgendaKind, scope: CrmScope): CrmItem[] {
  const entity = ENTITY_OF_AGENDA[agenda];
  return loadItems(db, entity, entity === 'person' ? ALL_ROWS : byOwner(scope.ownerId), scope);
}

/** The given rows (any owner) as CrmItems, in id order; ids that do not exist are left out. */
export function getCrmItems(
  db: CrmDatabase,
  entity: CrmEntity,
  ids: readonly number[],
  options: CrmItemOptions = {},
): CrmItem[] {
  return ids.length === 0 ? [] : loadItems(db, entity, byIds(ids), options);
}

export function getCrmItem(
  db: CrmDatabase,
  entity: CrmEntity,
  id: number,
  options: CrmItemOptions = {},
): CrmItem | undefined {
  return getCrmItems(db, entity, [id], options)[0];
}

/** The later of the row's updated_at and its last logged change (child rows log there only). */
function modifiedAt(updatedAt: string, logged: string | undefined): string {
  let row: string;
  try {
    row = normalInstant(updatedAt);
  } catch {
    row = new Date(0).toISOString();
  }
  if (logged === undefined) return row;
  const log = normalInstant(logged);
  return log > row ? log : row;
}

function loadItems(
  db: CrmDatabase,
  entity: CrmEntity,
  sel: Selection,
  options: CrmItemOptions,
): CrmItem[] {
  const databaseId = crmDatabaseId(db);
  const logged = lastLoggedChanges(db, entity, sel);
  const identity = (id: number, uid: string | null) => ({
    uid: uid ?? '',
    crmStamp: crmStampOf(entity, id, databaseId),
  });

  if (entity === 'person') {
    return loadPersons(db, sel).map(({ person, organization, categoryNames }) => ({
      crmId: person.id,
      entity,
      identity: identity(person.id, person.uid),
      data: toContactData(person, organization, categoryNames),
      modifiedAt: modifiedAt(person.updatedAt, logged.get(person.id)),
      facts: {
        ownerId: person.ownerId,
        groupName: null,
        classificationNodeId: person.nodeId,
        showInCalendar: false,
      },
    }));
  }

  const categories = namesOf(db, 'categories');
  const groups = namesOf(db, 'activity_groups');
  const lookup = (map: Map<number, string>, id: number | null) =>
    id === null ? null : (map.get(id) ?? null);

  if (entity === 'event') {
    return loadEvents(db, sel).map((e) => ({
      crmId: e.id,
      entity,
      identity: identity(e.id, e.uid),
      data: toEventData(e, lookup(categories, e.categoryId)),
      modifiedAt: modifiedAt(e.updatedAt, logged.get(e.id)),
      facts: {
        ownerId: e.ownerId,
        groupName: lookup(groups, e.groupId),
        classificationNodeId: null,
        showInCalendar: true,
      },
    }));
  }

  return loadTasks(db, sel).map((t) => {
    const category = lookup(categories, t.categoryId);
    const asEvent =
      options.tasksAsEvents === true && t.showInCalendar ? taskToEventData(t, category) : null;
    return {
      crmId: t.id,
      entity,
      identity: identity(t.id, t.uid),
      data: asEvent ?? toTaskData(t, category),
      modifiedAt: modifiedAt(t.updatedAt, logged.get(t.id)),
      facts: {
        ownerId: t.ownerId,
        groupName: lookup(groups, t.groupId),
        classificationNodeId: null,
        showInCalendar: t.showInCalendar,
      },
    };
  });
}
