/** The CRM store: one SQLite file with change capture. See docs/crm-schema.md. */
export {
  BUSY_TIMEOUT_MS,
  SCHEMA_VERSION,
  integrityCheck,
  migrate,
  openCrmDatabase,
  schemaVersion,
} from './database.ts';
export type { CrmDatabase, OpenCrmDatabaseOptions } from './database.ts';
export { MIGRATIONS } from './migrations/index.ts';
export { CRM_APPLICATION_ID } from './migrations/migrate.ts';
export { toDatabaseError } from './sqlite-errors.ts';
export {
  latestChangeSeq,
  pendingChangeCount,
  pruneChanges,
  readChanges,
  withSyncOrigin,
} from './changes.ts';
export {
  createUser,
  findUserByLogin,
  getUser,
  hashPassword,
  listUsers,
  setUserPassword,
  verifyPassword,
  verifyUserPassword,
} from './users.ts';
export {
  createCategory,
  deleteCategory,
  findCategory,
  getCategory,
  listCategories,
  updateCategory,
} from './categories.ts';
export {
  createNode,
  deleteNode,
  ensureNodePath,
  findNodeByPath,
  getNode,
  listChildren,
  listNodes,
  nodePath,
  subtreeNodeIds,
  updateNode,
} from './classification.ts';
export {
  createGroup,
  deleteGroup,
  findGroupByName,
  getGroup,
  listGroups,
  updateGroup,
} from './groups.ts';
export {
  deleteCompany,
  findCompaniesByIco,
  findCompaniesByName,
  findCompaniesByUid,
  getCompany,
  insertCompany,
  listCompanies,
  personIdsOfCompany,
  updateCompany,
} from './companies.ts';
export {
  deletePerson,
  findPersonsByEmail,
  findPersonsByUid,
  getPerson,
  insertPerson,
  listPersons,
  personDisplayName,
  updatePerson,
} from './persons.ts';
export type { PersonFilter } from './persons.ts';
export {
  deleteEvent,
  findEventsByUid,
  getEvent,
  insertEvent,
  listEvents,
  updateEvent,
} from './events.ts';
export type { EventFilter } from './events.ts';
export { deleteTask, findTasksByUid, getTask, insertTask, listTasks, updateTask } from './tasks.ts';
export type { TaskFilter } from './tasks.ts';
export {
  deleteEmail,
  findEmailByMessageId,
  getEmail,
  insertEmail,
  listEmails,
  setEmailLinks,
} from './emails.ts';
export {
  deleteDocument,
  findDocumentsBySha256,
  getDocument,
  insertDocument,
  listDocumentsOfEmail,
} from './documents.ts';
export { tableCounts } from './stats.ts';
export { dateInZone, isUtcInstant, toUtcInstant, zonedTimeToUtc } from './time.ts';
export { addDays, isCalendarDate } from '../time/calendar-dates.ts';
export { isValidTimeZone } from '../time/zone-names.ts';
export * from './types.ts';
