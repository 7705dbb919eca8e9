/**
 * Applying the engine's decisions to the CRM: create, update or delete (to the trash) one
 * row per call, in ONE transaction marked with the run's origin, so the next run does not
 * take the engine's own writes for user edits.
 *
 * Updates change only what the model carries. CRM-only data survives: an event's owner,
 * group, status and person/company links; a task's owner, group and "show in calendar"; a
 * person's owner, classification node, companies other than the first, and the kinds and
 * labels of addresses and numbers the server still has.
 */
import { withSyncOrigin } from '../../crm/changes.ts';
import type { CrmDatabase } from '../../crm/database.ts';
import { getEvent, insertEvent, updateEvent } from '../../crm/events.ts';
import { getPerson, insertPerson, updatePerson } from '../../crm/persons.ts';
import { getTask, insertTask, updateTask } from '../../crm/tasks.ts';
import type { NewEvent, NewPerson, NewTask } from '../../crm/types.ts';
import type {
  ContactData,
  EventData,
  ItemData,
  ItemIdentity,
  TaskData,
} from '../../model/items.ts';
import { personFieldsFromData } from './contact-mapping.ts';
import { eventFieldsFromData } from './event-mapping.ts';
import { linkEventByEmail } from './linking.ts';
import { categoryIdFor, companyLinksFor, ensureCategory } from './lookups.ts';
import { TABLE_OF } from './stamp.ts';
import { taskFieldsFromData, taskFieldsFromEventData } from './task-mapping.ts';
import { moveToTrash } from './trash.ts';
import type {
  CrmEntity,
  CrmWrite,
  CrmWriteContext,
  CrmWriteNote,
  CrmWriteResult,
  ImportExtras,
} from './types.ts';
import { CrmRowMissingError, note } from './types.ts';

export const DEFAULT_TRASH_REASON = 'Deleted on the server';

export function applyCrmWrite(
  db: CrmDatabase,
  write: CrmWrite,
  ctx: CrmWriteContext,
): CrmWriteResult {
  return withSyncOrigin(db, ctx.origin, (): CrmWriteResult => {
    if (write.op === 'delete') return deleteRow(db, write.entity, write.crmId, write.reason, ctx);
    const crmId = write.op === 'create' ? undefined : write.crmId;
    const { entity, data, identity, extras } = write;
    const notes: CrmWriteNote[] = [];
    const result = (
      id: number,
      linked = { personIds: [] as number[], companyIds: [] as number[] },
    ) => ({
      crmId: id,
      notes,
      linkedPersonIds: linked.personIds,
      linkedCompanyIds: linked.companyIds,
      trashId: null,
    });
    if (entity === 'event') {
      const event = expectKind(entity, data, 'event');
      const id = writeEvent(db, crmId, event, identity, extras, ctx, notes);
      const linked = extras.linkByEmail
        ? linkEventByEmail(db, id, event, extras.linkByEmail, notes)
        : undefined;
      return result(id, linked);
    }
    if (entity === 'task') {
      if (data.kind === 'contact') throw kindError(entity, data.kind);
      return result(writeTask(db, crmId, data, identity, extras, ctx, notes));
    }
    const contact = expectKind(entity, data, 'contact');
    return result(writePerson(db, crmId, contact, identity, extras, ctx, notes));
  });
}

function kindError(entity: CrmEntity, kind: string): TypeError {
  return new TypeError(`A CRM ${entity} cannot be written from ${kind} data.`);
}

function expectKind<K extends ItemData['kind']>(
  entity: CrmEntity,
  data: ItemData,
  kind: K,
): Extract<ItemData, { kind: K }> {
  if (data.kind !== kind) throw kindError(entity, data.kind);
  return data as Extract<ItemData, { kind: K }>;
}

/** The uid to store: an identity without one ('') leaves the row's uid alone. */
function uidOf(identity: ItemIdentity): string | undefined {
  return identity.uid.trim() === '' ? undefined : identity.uid;
}

function deleteRow(
  db: CrmDatabase,
  entity: CrmEntity,
  crmId: number,
  reason: string | undefined,
  ctx: CrmWriteContext,
): CrmWriteResult {
  const base = { crmId, linkedPersonIds: [], linkedCompanyIds: [] };
  const present = db.prepare(`SELECT 1 FROM ${TABLE_OF[entity]} WHERE id = ?`).pluck().get(crmId);
  if (present === undefined) {
    // Gone already counts as done, as on the server side.
    return {
      ...base,
      trashId: null,
      notes: [
        note('already-deleted', `CRM ${entity} ${crmId} was already deleted.`, { entity, crmId }),
      ],
    };
  }
  const entry = moveToTrash(db, entity, crmId, {
    origin: ctx.origin,
    reason: reason ?? DEFAULT_TRASH_REASON,
  });
  return {
    ...base,
    trashId: entry.id,
    notes: [
      note('moved-to-trash', `"${entry.label}" was moved to the trash.`, {
        trashId: entry.id,
        label: entry.label,
      }),
    ],
  };
}

function writeEvent(
  db: CrmDatabase,
  crmId: number | undefined,
  data: EventData,
  identity: ItemIdentity,
  extras: ImportExtras,
  ctx: CrmWriteContext,
  notes: CrmWriteNote[],
): number {
  const categoryId = categoryIdFor(db, 'event', extras.categoryName);
  if (crmId === undefined) {
    return insertEvent(db, {
      ...eventFieldsFromData(data, undefined, notes),
      uid: uidOf(identity) ?? null,
      status: extras.status?.trim() ? extras.status : null,
      ownerId: ctx.ownerId,
      groupId: extras.groupId ?? null,
      categoryId: categoryId ?? null,
    });
  }
  const existing = getEvent(db, crmId);
  if (!existing) throw new CrmRowMissingError('event', crmId);
  const patch: Partial<NewEvent> = eventFieldsFromData(data, existing, notes);
  const uid = uidOf(identity);
  if (uid !== undefined) patch.uid = uid;
  if (categoryId !== undefined) patch.categoryId = categoryId;
  updateEvent(db, crmId, patch);
  return crmId;
}

function writeTask(
  db: CrmDatabase,
  crmId: number | undefined,
  data: TaskData | EventData,
  identity: ItemIdentity,
  extras: ImportExtras,
  ctx: CrmWriteContext,
  notes: CrmWriteNote[],
): number {
  const categoryId = categoryIdFor(db, 'task', extras.categoryName);
  const existing = crmId === undefined ? undefined : getTask(db, crmId);
  if (crmId !== undefined && !existing) throw new CrmRowMissingError('task', crmId);
  // A calendar item written to a task: the task is one shown in the calendar.
  const fields =
    data.kind === 'event'
      ? taskFieldsFromEventData(data, existing, notes)
      : taskFieldsFromData(data, existing, notes);
  if (crmId === undefined) {
    return insertTask(db, {
      ...fields,
      uid: uidOf(identity) ?? null,
      ownerId: ctx.ownerId,
      groupId: extras.groupId ?? null,
      categoryId: categoryId ?? null,
      showInCalendar: data.kind === 'event',
    });
  }
  const patch: Partial<NewTask> = fields;
  const uid = uidOf(identity);
  if (uid !== undefined) patch.uid = uid;
  if (categoryId !== undefined) patch.categoryId = categoryId;
  updateTask(db, crmId, patch);
  return crmId;
}

/** undefined = leave the person's categories; else the new set of category ids. */
function personCategoryIds(
  db: CrmDatabase,
  current: readonly number[],
  extras: ImportExtras,
): number[] | undefined {
  let ids: number[] | undefined =
    extras.categoryNames === undefined
      ? undefined
      : extras.categoryNames
          .filter((n) => n.trim() !== '')
          .map((n) => ensureCategory(db, 'contact', n));
  if (typeof extras.categoryName === 'string' && extras.categoryName.trim() !== '') {
    const added = ensureCategory(db, 'contact', extras.categoryName);
    ids = [...(ids ?? current), added];
  }
  return ids === undefined ? undefined : [...new Set(ids)];
}

function writePerson(
  db: CrmDatabase,
  crmId: number | undefined,
  data: ContactData,
  identity: ItemIdentity,
  extras: ImportExtras,
  ctx: CrmWriteContext,
  notes: CrmWriteNote[],
): number {
  if (crmId === undefined) {
    return insertPerson(db, {
      ...personFieldsFromData(data, undefined, extras.listLimits, notes),
      uid: uidOf(identity) ?? null,
      ownerId: ctx.ownerId,
      nodeId: extras.classificationNodeId ?? null,
      companies: companyLinksFor(db, [], data.organization, ctx.ownerId, notes) ?? [],
      categoryIds: personCategoryIds(db, [], extras) ?? [],
    });
  }
  const existing = getPerson(db, crmId);
  if (!existing) throw new CrmRowMissingError('person', crmId);
  const patch: Partial<NewPerson> = personFieldsFromData(data, existing, extras.listLimits, notes);
  const uid = uidOf(identity);
  if (uid !== undefined) patch.uid = uid;
  const companies = companyLinksFor(db, existing.companies, data.organization, ctx.ownerId, notes);
  if (companies !== undefined) patch.companies = companies;
  const categoryIds = personCategoryIds(db, existing.categoryIds, extras);
  if (categoryIds !== undefined) patch.categoryIds = categoryIds;
  updatePerson(db, crmId, patch);
  return crmId;
}
