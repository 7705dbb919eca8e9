/** The CRM side of the sync engine: listing CRM rows as model items and writing them back. */
export type {
  CrmEntity,
  CrmItem,
  CrmItemFacts,
  CrmWrite,
  CrmWriteContext,
  CrmWriteNote,
  CrmWriteNoteCode,
  CrmWriteResult,
  ImportExtras,
} from './types.ts';
export { CRM_ENTITIES, CrmRowMissingError } from './types.ts';
export type { CrmStamp } from './stamp.ts';
export { crmDatabaseId, crmStampOf, parseCrmStamp, resolveCrmStamp } from './stamp.ts';
export type { CrmItemOptions, CrmScope } from './list.ts';
export { ENTITY_OF_AGENDA, getCrmItem, getCrmItems, listCrmItems } from './list.ts';
export { eventFieldsFromData, toEventData } from './event-mapping.ts';
export {
  taskFieldsFromData,
  taskFieldsFromEventData,
  taskToEventData,
  toTaskData,
} from './task-mapping.ts';
export {
  mergeEmails,
  mergePhones,
  personFieldsFromData,
  toContactData,
} from './contact-mapping.ts';
export { DEFAULT_TRASH_REASON, applyCrmWrite } from './write.ts';
export { previewCrmUpdate } from './preview.ts';
export { keepServerUid } from './uid.ts';
export type { RelinkedEvent } from './relink.ts';
export { linkEventsToChangedPersons } from './relink.ts';
export type { TrashEntry, TrashListOptions, TrashSnapshot } from './trash.ts';
export { listTrash, moveToTrash, purgeTrash, restoreFromTrash, trashSnapshot } from './trash.ts';
export { classificationSubtree, groupIdsByName } from './filters.ts';
