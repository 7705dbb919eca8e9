/**
 * Migration 1: the whole CRM schema and its change-capture triggers. A migration is frozen
 * once released: later changes go into a new numbered migration, never into this file
 * (the SQL helpers below are local for that reason).
 */
import type Database from 'better-sqlite3';

export const version = 1;
export const name = 'initial schema';

export function up(db: Database.Database): void {
  db.exec(schemaSql);
}

const NOW = `strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`;

// The format checks use IS, not =: strftime() gives NULL for text it cannot read, and a
// CHECK whose result is NULL passes.

/** UTC ISO-8601 with a Z, with or without milliseconds; strftime rejects 30 February. */
function instant(col: string): string {
  return `(${col} IS NOT NULL AND (strftime('%Y-%m-%dT%H:%M:%fZ', ${col}) IS ${col} OR strftime('%Y-%m-%dT%H:%M:%SZ', ${col}) IS ${col}))`;
}

/** A real calendar date written YYYY-MM-DD (date() normalises 2025-02-30 to 2025-03-02). */
function calendarDate(col: string): string {
  return `(${col} IS NOT NULL AND date(${col}) IS ${col})`;
}

function bool(col: string, dflt: 0 | 1): string {
  return `${col} INTEGER NOT NULL DEFAULT ${dflt} CHECK (${col} IN (0, 1))`;
}

const timestamps = `created_at TEXT NOT NULL DEFAULT (${NOW}),
  updated_at TEXT NOT NULL DEFAULT (${NOW})`;

const address = `street TEXT,
  city TEXT,
  postal_code TEXT,
  region TEXT,
  country TEXT`;

/** Without application-defined functions, so any SQLite client can write the file. */
const ORIGIN = `(SELECT origin FROM change_origin WHERE id = 1)`;

/** insert/update/delete of an entity row, the delete with its tombstone. */
function entityTriggers(table: string, entity: string, tombstone: string): string {
  return `
CREATE TRIGGER ${table}_log_insert AFTER INSERT ON ${table} BEGIN
  INSERT INTO change_log (entity, entity_id, op, origin) VALUES ('${entity}', NEW.id, 'insert', ${ORIGIN});
END;
CREATE TRIGGER ${table}_log_update AFTER UPDATE ON ${table} BEGIN
  INSERT INTO change_log (entity, entity_id, op, origin) VALUES ('${entity}', NEW.id, 'update', ${ORIGIN});
END;
CREATE TRIGGER ${table}_log_delete AFTER DELETE ON ${table} BEGIN
  INSERT INTO change_log (entity, entity_id, op, origin, tombstone)
  VALUES ('${entity}', OLD.id, 'delete', ${ORIGIN}, ${tombstone});
END;`;
}

/**
 * A child row changed: log an update of its parent. Skipped when the parent is gone, i.e.
 * while a parent delete cascades (SQLite removes the parent row before cascading), so the
 * parent's last logged op stays "delete".
 */
function childTriggers(table: string, fk: string, entity: string, parent: string): string {
  const log = (row: 'NEW' | 'OLD', extra = '') => `
  INSERT INTO change_log (entity, entity_id, op, origin)
  SELECT '${entity}', ${row}.${fk}, 'update', ${ORIGIN}
  WHERE ${extra}EXISTS (SELECT 1 FROM ${parent} WHERE id = ${row}.${fk});`;
  return `
CREATE TRIGGER ${table}_log_insert AFTER INSERT ON ${table} BEGIN${log('NEW')}
END;
CREATE TRIGGER ${table}_log_update AFTER UPDATE ON ${table} BEGIN${log('NEW')}${log('OLD', `OLD.${fk} IS NOT NEW.${fk} AND `)}
END;
CREATE TRIGGER ${table}_log_delete AFTER DELETE ON ${table} BEGIN${log('OLD')}
END;`;
}

const eventTimes = (s: string, e: string) => `CHECK (
    (all_day = 1 AND ${calendarDate(s)} AND ${calendarDate(e)} AND ${e} > ${s})
    OR (all_day = 0 AND ${instant(s)} AND ${instant(e)} AND julianday(${e}) >= julianday(${s}))
  )`;

const recurrenceIdCheck = (col: string) => `CHECK (${calendarDate(col)} OR ${instant(col)})`;

const schemaSql = `
-- Set by withSyncOrigin inside the sync engine's own transactions and removed before they
-- commit, so other connections never see a row here. The triggers copy it into change_log.
CREATE TABLE change_origin (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  origin TEXT NOT NULL CHECK (length(origin) > 0)
);

CREATE TABLE change_log (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  entity TEXT NOT NULL CHECK (entity IN ('event', 'task', 'person', 'company')),
  entity_id INTEGER NOT NULL,
  op TEXT NOT NULL CHECK (op IN ('insert', 'update', 'delete')),
  changed_at TEXT NOT NULL DEFAULT (${NOW}),
  origin TEXT,
  tombstone TEXT CHECK (tombstone IS NULL OR json_valid(tombstone))
);

CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  login TEXT NOT NULL COLLATE NOCASE UNIQUE CHECK (length(login) > 0 AND login = trim(login)),
  display_name TEXT NOT NULL,
  email TEXT,
  password_hash TEXT NOT NULL CHECK (length(password_hash) > 0),
  ${bool('active', 1)},
  ${timestamps}
);

CREATE TABLE classification_nodes (
  id INTEGER PRIMARY KEY,
  parent_id INTEGER REFERENCES classification_nodes (id) ON DELETE CASCADE,
  -- "/" separates levels in paths such as "Kontakty/Zákazníci".
  name TEXT NOT NULL CHECK (length(trim(name)) > 0 AND instr(name, '/') = 0),
  position INTEGER NOT NULL DEFAULT 0,
  CHECK (parent_id IS NULL OR parent_id <> id)
);
CREATE UNIQUE INDEX classification_nodes_sibling_name
  ON classification_nodes (ifnull(parent_id, 0), name COLLATE NOCASE);

CREATE TABLE categories (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL CHECK (length(trim(name)) > 0),
  kind TEXT NOT NULL DEFAULT 'any' CHECK (kind IN ('event', 'task', 'contact', 'document', 'any')),
  icon TEXT,
  color TEXT CHECK (color IS NULL OR (length(color) = 7 AND color GLOB '#[0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f]')),
  position INTEGER NOT NULL DEFAULT 0,
  UNIQUE (kind, name COLLATE NOCASE)
);

CREATE TABLE activity_groups (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL COLLATE NOCASE UNIQUE CHECK (length(trim(name)) > 0),
  note TEXT
);

-- AUTOINCREMENT on synced entities: an id is never reused after a delete, so the engine's
-- pairing of an old id can never be mistaken for a new row.
CREATE TABLE companies (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  uid TEXT CHECK (uid IS NULL OR length(uid) > 0),
  name TEXT NOT NULL CHECK (length(trim(name)) > 0),
  ico TEXT,
  vat_no TEXT,
  ${address},
  phone TEXT,
  email TEXT,
  web TEXT,
  note TEXT,
  owner_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
  ${timestamps}
);
CREATE INDEX companies_uid ON companies (uid);
CREATE INDEX companies_ico ON companies (ico);
CREATE INDEX companies_name ON companies (name COLLATE NOCASE);

CREATE TABLE persons (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  uid TEXT CHECK (uid IS NULL OR length(uid) > 0),
  first_name TEXT NOT NULL DEFAULT '',
  last_name TEXT NOT NULL DEFAULT '',
  title TEXT,
  title_after TEXT,
  job_title TEXT,
  ${address},
  note TEXT,
  owner_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
  node_id INTEGER REFERENCES classification_nodes (id) ON DELETE SET NULL,
  photo BLOB,
  photo_type TEXT,
  ${timestamps},
  CHECK (length(trim(first_name || last_name)) > 0)
);
CREATE INDEX persons_uid ON persons (uid);
CREATE INDEX persons_node ON persons (node_id);
CREATE INDEX persons_owner ON persons (owner_id);

CREATE TABLE person_emails (
  id INTEGER PRIMARY KEY,
  person_id INTEGER NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
  email TEXT NOT NULL CHECK (email LIKE '_%@_%' AND email = trim(email)),
  kind TEXT NOT NULL DEFAULT 'work' CHECK (kind IN ('work', 'home', 'other')),
  label TEXT,
  position INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX person_emails_unique ON person_emails (person_id, lower(email));
-- Linking mail and attendees to persons looks up lower(email) = lower(?).
CREATE INDEX person_emails_lower ON person_emails (lower(email));

CREATE TABLE person_phones (
  id INTEGER PRIMARY KEY,
  person_id INTEGER NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
  number TEXT NOT NULL CHECK (length(trim(number)) > 0),
  kind TEXT NOT NULL DEFAULT 'work' CHECK (kind IN ('work', 'mobile', 'home', 'fax', 'other')),
  label TEXT,
  position INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX person_phones_person ON person_phones (person_id);

CREATE TABLE person_companies (
  person_id INTEGER NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
  company_id INTEGER NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
  role TEXT,
  position INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (person_id, company_id)
);
CREATE INDEX person_companies_company ON person_companies (company_id);

CREATE TABLE person_categories (
  person_id INTEGER NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
  category_id INTEGER NOT NULL REFERENCES categories (id) ON DELETE CASCADE,
  PRIMARY KEY (person_id, category_id)
);
CREATE INDEX person_categories_category ON person_categories (category_id);

CREATE TABLE events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  -- Not unique: the same meeting (one iCalendar UID) may sit in several users' calendars.
  uid TEXT CHECK (uid IS NULL OR length(uid) > 0),
  subject TEXT NOT NULL DEFAULT '',
  location TEXT,
  description TEXT,
  ${bool('all_day', 0)},
  -- Timed: UTC instants. All-day: dates, end exclusive.
  starts_at TEXT NOT NULL,
  ends_at TEXT NOT NULL,
  time_zone TEXT CHECK (time_zone IS NULL OR length(time_zone) > 0),
  rrule TEXT CHECK (rrule IS NULL OR (instr(upper(rrule), 'FREQ=') > 0 AND upper(rrule) NOT LIKE 'RRULE:%')),
  ${bool('private', 0)},
  status TEXT,
  category_id INTEGER REFERENCES categories (id) ON DELETE SET NULL,
  owner_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
  group_id INTEGER REFERENCES activity_groups (id) ON DELETE SET NULL,
  reminder_minutes INTEGER CHECK (reminder_minutes IS NULL OR (typeof(reminder_minutes) = 'integer' AND reminder_minutes >= 0)),
  organizer_email TEXT,
  organizer_name TEXT,
  ${timestamps},
  ${eventTimes('starts_at', 'ends_at')}
);
CREATE INDEX events_uid ON events (uid);
CREATE INDEX events_starts_at ON events (starts_at);
CREATE INDEX events_owner ON events (owner_id);
CREATE INDEX events_category ON events (category_id);
CREATE INDEX events_group ON events (group_id);

-- Cancelled occurrences of a recurring event (EXDATE), by original start in the series'
-- format. A cancelled occurrence is only here, never in event_overrides.
CREATE TABLE event_exdates (
  event_id INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
  original_start TEXT NOT NULL ${recurrenceIdCheck('original_start')},
  PRIMARY KEY (event_id, original_start)
);

-- Changed (moved, renamed...) occurrences: RECURRENCE-ID = original start. Start and end
-- are always stored; NULL text columns mean "as the series".
CREATE TABLE event_overrides (
  id INTEGER PRIMARY KEY,
  event_id INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
  recurrence_id TEXT NOT NULL ${recurrenceIdCheck('recurrence_id')},
  ${bool('all_day', 0)},
  starts_at TEXT NOT NULL,
  ends_at TEXT NOT NULL,
  subject TEXT,
  location TEXT,
  description TEXT,
  status TEXT,
  UNIQUE (event_id, recurrence_id),
  ${eventTimes('starts_at', 'ends_at')}
);

CREATE TABLE event_attendees (
  id INTEGER PRIMARY KEY,
  event_id INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
  email TEXT NOT NULL CHECK (email LIKE '_%@_%' AND email = trim(email)),
  name TEXT,
  role TEXT NOT NULL DEFAULT 'required' CHECK (role IN ('required', 'optional', 'resource', 'chair')),
  response TEXT NOT NULL DEFAULT 'needs-action' CHECK (response IN ('needs-action', 'accepted', 'declined', 'tentative')),
  position INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX event_attendees_unique ON event_attendees (event_id, lower(email));
CREATE INDEX event_attendees_lower ON event_attendees (lower(email));

CREATE TABLE event_persons (
  event_id INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
  person_id INTEGER NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
  PRIMARY KEY (event_id, person_id)
);
CREATE INDEX event_persons_person ON event_persons (person_id);

CREATE TABLE event_companies (
  event_id INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
  company_id INTEGER NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
  PRIMARY KEY (event_id, company_id)
);
CREATE INDEX event_companies_company ON event_companies (company_id);

CREATE TABLE tasks (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  uid TEXT CHECK (uid IS NULL OR length(uid) > 0),
  subject TEXT NOT NULL DEFAULT '',
  description TEXT,
  -- 1: starts_at/due_at are dates (due inclusive); 0: UTC instants.
  ${bool('all_day', 0)},
  starts_at TEXT,
  due_at TEXT,
  time_zone TEXT CHECK (time_zone IS NULL OR length(time_zone) > 0),
  completed_at TEXT CHECK (completed_at IS NULL OR ${instant('completed_at')}),
  percent_complete INTEGER NOT NULL DEFAULT 0
    CHECK (typeof(percent_complete) = 'integer' AND percent_complete BETWEEN 0 AND 100),
  priority TEXT NOT NULL DEFAULT 'normal' CHECK (priority IN ('low', 'normal', 'high')),
  owner_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
  group_id INTEGER REFERENCES activity_groups (id) ON DELETE SET NULL,
  category_id INTEGER REFERENCES categories (id) ON DELETE SET NULL,
  ${bool('show_in_calendar', 0)},
  ${bool('private', 0)},
  ${timestamps},
  CHECK (starts_at IS NULL OR (all_day = 1 AND ${calendarDate('starts_at')}) OR (all_day = 0 AND ${instant('starts_at')})),
  CHECK (due_at IS NULL OR (all_day = 1 AND ${calendarDate('due_at')}) OR (all_day = 0 AND ${instant('due_at')})),
  CHECK (starts_at IS NULL OR due_at IS NULL OR julianday(due_at) >= julianday(starts_at))
);
CREATE INDEX tasks_uid ON tasks (uid);
CREATE INDEX tasks_due_at ON tasks (due_at);
CREATE INDEX tasks_owner ON tasks (owner_id);
CREATE INDEX tasks_category ON tasks (category_id);
CREATE INDEX tasks_group ON tasks (group_id);

CREATE TABLE emails (
  id INTEGER PRIMARY KEY,
  message_id TEXT NOT NULL UNIQUE CHECK (length(message_id) > 0),
  folder TEXT NOT NULL,
  from_email TEXT,
  from_name TEXT,
  -- JSON arrays of {"email": ..., "name": ...}.
  to_json TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(to_json) AND json_type(to_json) = 'array'),
  cc_json TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(cc_json) AND json_type(cc_json) = 'array'),
  subject TEXT NOT NULL DEFAULT '',
  received_at TEXT NOT NULL CHECK ${instant('received_at')},
  body_text TEXT,
  owner_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
  created_at TEXT NOT NULL DEFAULT (${NOW})
);
CREATE INDEX emails_folder_received ON emails (folder, received_at);
CREATE INDEX emails_from_lower ON emails (lower(from_email));

CREATE TABLE email_persons (
  email_id INTEGER NOT NULL REFERENCES emails (id) ON DELETE CASCADE,
  person_id INTEGER NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
  PRIMARY KEY (email_id, person_id)
);
CREATE INDEX email_persons_person ON email_persons (person_id);

CREATE TABLE email_companies (
  email_id INTEGER NOT NULL REFERENCES emails (id) ON DELETE CASCADE,
  company_id INTEGER NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
  PRIMARY KEY (email_id, company_id)
);
CREATE INDEX email_companies_company ON email_companies (company_id);

-- A saved attachment. The file outlives its e-mail row: deleting the e-mail keeps this row.
CREATE TABLE documents (
  id INTEGER PRIMARY KEY,
  email_id INTEGER REFERENCES emails (id) ON DELETE SET NULL,
  path TEXT NOT NULL CHECK (length(path) > 0),
  file_name TEXT NOT NULL CHECK (length(file_name) > 0),
  size INTEGER NOT NULL CHECK (typeof(size) = 'integer' AND size >= 0),
  sha256 TEXT CHECK (sha256 IS NULL OR (length(sha256) = 64 AND NOT sha256 GLOB '*[^0-9a-f]*')),
  mime_type TEXT,
  category_id INTEGER REFERENCES categories (id) ON DELETE SET NULL,
  created_at TEXT NOT NULL DEFAULT (${NOW})
);
CREATE INDEX documents_email ON documents (email_id);
CREATE INDEX documents_sha256 ON documents (sha256);
CREATE INDEX documents_category ON documents (category_id);

-- Change capture.
${entityTriggers(
  'events',
  'event',
  `json_object('uid', OLD.uid, 'label', OLD.subject, 'ownerId', OLD.owner_id, 'start', OLD.starts_at)`,
)}
${entityTriggers(
  'tasks',
  'task',
  `json_object('uid', OLD.uid, 'label', OLD.subject, 'ownerId', OLD.owner_id, 'start', ifnull(OLD.starts_at, OLD.due_at))`,
)}
${entityTriggers(
  'persons',
  'person',
  `json_object('uid', OLD.uid, 'label', trim(OLD.first_name || ' ' || OLD.last_name), 'ownerId', OLD.owner_id)`,
)}
${entityTriggers(
  'companies',
  'company',
  `json_object('uid', OLD.uid, 'label', OLD.name, 'ownerId', OLD.owner_id)`,
)}
${childTriggers('event_attendees', 'event_id', 'event', 'events')}
${childTriggers('event_exdates', 'event_id', 'event', 'events')}
${childTriggers('event_overrides', 'event_id', 'event', 'events')}
${childTriggers('event_persons', 'event_id', 'event', 'events')}
${childTriggers('event_companies', 'event_id', 'event', 'events')}
${childTriggers('person_emails', 'person_id', 'person', 'persons')}
${childTriggers('person_phones', 'person_id', 'person', 'persons')}
${childTriggers('person_companies', 'person_id', 'person', 'persons')}
${childTriggers('person_categories', 'person_id', 'person', 'persons')}

-- A person's server copy shows its companies' names (vCard ORG).
CREATE TRIGGER companies_log_rename_persons AFTER UPDATE OF name ON companies
WHEN OLD.name IS NOT NEW.name BEGIN
  INSERT INTO change_log (entity, entity_id, op, origin)
  SELECT 'person', person_id, 'update', ${ORIGIN} FROM person_companies WHERE company_id = NEW.id;
END;

-- Server items carry category names, so a rename changes every item in the category.
CREATE TRIGGER categories_log_rename AFTER UPDATE OF name ON categories
WHEN OLD.name IS NOT NEW.name BEGIN
  INSERT INTO change_log (entity, entity_id, op, origin)
  SELECT 'event', id, 'update', ${ORIGIN} FROM events WHERE category_id = NEW.id;
  INSERT INTO change_log (entity, entity_id, op, origin)
  SELECT 'task', id, 'update', ${ORIGIN} FROM tasks WHERE category_id = NEW.id;
  INSERT INTO change_log (entity, entity_id, op, origin)
  SELECT 'person', person_id, 'update', ${ORIGIN} FROM person_categories WHERE category_id = NEW.id;
END;
`;

/** Names of the change-capture triggers, so integrityCheck can tell when one was dropped. */
export const changeCaptureTriggers: readonly string[] = [
  ...['events', 'tasks', 'persons', 'companies'].flatMap((t) => [
    `${t}_log_insert`,
    `${t}_log_update`,
    `${t}_log_delete`,
  ]),
  ...[
    'event_attendees',
    'event_exdates',
    'event_overrides',
    'event_persons',
    'event_companies',
    'person_emails',
    'person_phones',
    'person_companies',
    'person_categories',
  ].flatMap((t) => [`${t}_log_insert`, `${t}_log_update`, `${t}_log_delete`]),
  'companies_log_rename_persons',
  'categories_log_rename',
];
