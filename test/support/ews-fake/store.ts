// The mailboxes' state: folders, items, per-folder change logs. Items keep their fields as
// the XML the client (or the test's "phone") sent, so what comes back is what went in.
import { randomUUID } from 'node:crypto';
import { encodeId, decodeId, isoUtc, toUtc } from './ids.ts';
import { child, children, esc, parseXml, TM_DECL, toXml, type XElement } from './xml.ts';
import type { FolderClass } from './types.ts';

export type ItemKind = 'CalendarItem' | 'Task' | 'Contact' | 'Message';
export const ITEM_KINDS: readonly string[] = ['CalendarItem', 'Task', 'Contact', 'Message', 'Item'];

export interface Field {
  el: XElement;
  xml: string;
}

export interface ExtProp {
  key: string;
  name: string | undefined;
  uriXml: string;
  xml: string;
  value: string;
}

/** Elements the server computes; ignored when a client sends them. */
const COMPUTED = new Set([
  'ItemId',
  'ParentFolderId',
  'DateTimeCreated',
  'LastModifiedTime',
  'CalendarItemType',
  'ModifiedOccurrences',
  'DeletedOccurrences',
  'FirstOccurrence',
  'LastOccurrence',
  'IsRecurring',
  'Size',
  'RecurrenceId',
  'OriginalStart',
]);

const DATE_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?$/;

const PUBLIC_STRINGS = '00020329-0000-0000-c000-000000000046';

/** Identity of an extended property from an <t:ExtendedFieldURI>. */
export function extKey(uri: XElement): string {
  const dset = uri.getAttribute('DistinguishedPropertySetId');
  const set = (
    dset === 'PublicStrings' ? PUBLIC_STRINGS : (uri.getAttribute('PropertySetId') ?? dset ?? '')
  ).toLowerCase();
  const tag = uri.getAttribute('PropertyTag');
  if (tag) return `tag|${Number(tag).toString(16)}`;
  const id = uri.getAttribute('PropertyId');
  if (id) return `${set}|id|${id}`;
  return `${set}|name|${uri.getAttribute('PropertyName') ?? ''}`;
}

/**
 * Exchange 2010+ always answers a weekly pattern with its FirstDayOfWeek (the mailbox's,
 * Sunday by default), and ews-javascript-api throws reading a WeeklyPattern without one.
 */
function withFirstDayOfWeek(rec: XElement): Field {
  const weekly = child(rec, 'WeeklyRecurrence');
  const xml = toXml(rec);
  if (!weekly || child(weekly, 'FirstDayOfWeek')) return { el: rec, xml };
  return fieldFromXml(
    xml.replace(
      '</t:WeeklyRecurrence>',
      '<t:FirstDayOfWeek>Sunday</t:FirstDayOfWeek></t:WeeklyRecurrence>',
    ),
  );
}

export function fieldFromXml(xml: string): Field {
  const el = parseXml(`<w ${TM_DECL}>${xml}</w>`);
  const f = children(el)[0];
  if (!f) throw new Error(`no element in ${xml}`);
  return { el: f, xml: toXml(f) };
}

export function simpleField(name: string, value: string): Field {
  return fieldFromXml(
    `<t:${name}>${value.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</t:${name}>`,
  );
}

export class StoredItem {
  readonly id: string;
  readonly kind: ItemKind;
  folder: StoredFolder;
  version = 1;
  readonly fields = new Map<string, Field>();
  readonly ext = new Map<string, ExtProp>();
  /** Version at which each field last changed (AutoResolve conflict detection). */
  readonly fieldVersion = new Map<string, number>();
  readonly created = new Date();
  modified = new Date();
  /** Recurring masters: exceptions by original start (UTC), deleted original starts. */
  readonly exceptions = new Map<string, StoredItem>();
  readonly deleted = new Set<string>();
  /** Exceptions: their master and original start. */
  master: StoredItem | undefined;
  originalStart: string | undefined;
  private readonly serial: number;

  constructor(id: string, serial: number, kind: ItemKind, folder: StoredFolder) {
    this.id = id;
    this.serial = serial;
    this.kind = kind;
    this.folder = folder;
  }

  get changeKey(): string {
    return encodeId('CK', this.serial, this.version);
  }

  /** The item version a ChangeKey names, or undefined if it is not this item's. */
  versionOf(changeKey: string): number | undefined {
    const p = decodeId(changeKey, 'CK');
    return p && Number(p[0]) === this.serial ? Number(p[1]) : undefined;
  }

  /**
   * A field, for exceptions inherited from the master unless overridden: Exchange keeps
   * only an exception's overrides, so series edits show in its unmodified fields.
   */
  field(name: string): Field | undefined {
    const own = this.fields.get(name);
    if (own || !this.master || name === 'Recurrence') return own;
    return this.master.fields.get(name);
  }

  /** All fields, inherited ones included (see field()). */
  allFields(): Map<string, Field> {
    if (!this.master) return this.fields;
    const merged = new Map(this.master.fields);
    merged.delete('Recurrence');
    for (const [k, v] of this.fields) merged.set(k, v);
    return merged;
  }

  allExt(): Map<string, ExtProp> {
    if (!this.master) return this.ext;
    return new Map([...this.master.ext, ...this.ext]);
  }

  text(name: string): string | undefined {
    const f = this.field(name);
    return f ? (f.el.textContent ?? '') : undefined;
  }

  get isRecurringMaster(): boolean {
    return this.kind === 'CalendarItem' && !this.master && this.fields.has('Recurrence');
  }

  /** Stores a first-level element (ExtendedProperty goes to `ext`); returns its name. */
  put(el: XElement): string | undefined {
    const name = el.localName ?? '';
    if (name === 'ExtendedProperty') {
      const uri = child(el, 'ExtendedFieldURI');
      if (!uri) return undefined;
      const key = extKey(uri);
      const value = child(el, 'Value')?.textContent ?? '';
      this.ext.set(key, {
        key,
        name: uri.getAttribute('PropertyName') ?? undefined,
        uriXml: toXml(uri),
        xml: toXml(el),
        value,
      });
      return `ext:${key}`;
    }
    if (COMPUTED.has(name)) return undefined;
    const value = el.textContent ?? '';
    if (name === 'Recurrence') {
      this.fields.set(name, withFirstDayOfWeek(el));
    } else if (children(el).length === 0 && DATE_TIME.test(value.trim())) {
      // Exchange keeps dateTimes in UTC and answers them with "Z".
      this.fields.set(name, simpleField(name, toUtc(value)));
    } else {
      this.fields.set(name, { el, xml: toXml(el) });
    }
    return name;
  }

  /** Records a change: new ChangeKey, LastModifiedTime, change-log entry (master's for exceptions). */
  touch(changed: Iterable<string>): void {
    this.version++;
    this.modified = new Date();
    for (const n of changed) this.fieldVersion.set(n, this.version);
    if (this.master) this.master.touch([]);
    else this.folder.logChange(this);
  }

  xml(): string {
    const parts = [...this.allFields().values()].map((f) => f.xml);
    for (const e of this.allExt().values()) parts.push(e.xml);
    return `<t:${this.kind} ${TM_DECL}><t:ItemId Id="${this.id}" ChangeKey="${this.changeKey}"/>${parts.join('')}</t:${this.kind}>`;
  }
}

interface LogEntry {
  seq: number;
  itemId: string;
}

export class StoredFolder {
  readonly id: string;
  displayName: string;
  readonly folderClass: FolderClass | undefined;
  readonly parent: StoredFolder | undefined;
  readonly mailbox: StoredMailbox;
  readonly distinguished: string | undefined;
  readonly items = new Map<string, StoredItem>();
  /** Append-only change log; only an item's latest entry counts (see sync-folder-items). */
  readonly log: LogEntry[] = [];
  readonly latestSeq = new Map<string, number>();
  readonly createdSeq = new Map<string, number>();
  seq = 0;

  constructor(
    id: string,
    mailbox: StoredMailbox,
    parent: StoredFolder | undefined,
    displayName: string,
    folderClass: FolderClass | undefined,
    distinguished: string | undefined,
  ) {
    this.id = id;
    this.mailbox = mailbox;
    this.parent = parent;
    this.displayName = displayName;
    this.folderClass = folderClass;
    this.distinguished = distinguished;
  }

  private append(itemId: string): number {
    const seq = ++this.seq;
    this.log.push({ seq, itemId });
    this.latestSeq.set(itemId, seq);
    return seq;
  }

  add(item: StoredItem): void {
    this.items.set(item.id, item);
    item.folder = this;
    this.createdSeq.set(item.id, this.append(item.id));
  }

  logChange(item: StoredItem): void {
    if (this.items.has(item.id)) this.append(item.id);
  }

  removeItem(item: StoredItem): void {
    if (!this.items.delete(item.id)) return;
    this.append(item.id);
  }

  get childFolders(): StoredFolder[] {
    return this.mailbox.folderList.filter((f) => f.parent === this);
  }
}

export class StoredMailbox {
  readonly smtp: string;
  readonly folderList: StoredFolder[] = [];
  readonly distinguished = new Map<string, StoredFolder>();
  categories: string[] = [];
  readonly store: Store;

  constructor(store: Store, smtp: string) {
    this.store = store;
    this.smtp = smtp;
    const root = store.newFolder(
      this,
      undefined,
      'Top of Information Store',
      undefined,
      'msgfolderroot',
    );
    this.distinguished.set('root', root);
    store.newFolder(this, root, 'Calendar', 'IPF.Appointment', 'calendar');
    store.newFolder(this, root, 'Tasks', 'IPF.Task', 'tasks');
    store.newFolder(this, root, 'Contacts', 'IPF.Contact', 'contacts');
    store.newFolder(this, root, 'Inbox', 'IPF.Note', 'inbox');
    store.newFolder(this, root, 'Deleted Items', 'IPF.Note', 'deleteditems');
  }
}

const DEFAULT_CLASS: Record<ItemKind, string> = {
  CalendarItem: 'IPM.Appointment',
  Task: 'IPM.Task',
  Contact: 'IPM.Contact',
  Message: 'IPM.Note',
};

export class Store {
  readonly mailboxes = new Map<string, StoredMailbox>();
  readonly folders = new Map<string, StoredFolder>();
  readonly items = new Map<string, StoredItem>();
  private serial = 0;

  mailbox(smtp: string): StoredMailbox | undefined {
    return this.mailboxes.get(smtp.toLowerCase());
  }

  addMailbox(smtp: string): StoredMailbox {
    const existing = this.mailbox(smtp);
    if (existing) return existing;
    const mb = new StoredMailbox(this, smtp);
    this.mailboxes.set(smtp.toLowerCase(), mb);
    return mb;
  }

  newFolder(
    mailbox: StoredMailbox,
    parent: StoredFolder | undefined,
    displayName: string,
    folderClass: FolderClass | undefined,
    distinguished?: string,
  ): StoredFolder {
    const id = encodeId('AQMkF', ++this.serial);
    const f = new StoredFolder(id, mailbox, parent, displayName, folderClass, distinguished);
    this.folders.set(id, f);
    mailbox.folderList.push(f);
    if (distinguished) mailbox.distinguished.set(distinguished, f);
    return f;
  }

  /** Creates an item from an item element (CalendarItem, Task, Contact, Message). */
  createItem(folder: StoredFolder, el: XElement, zone?: { id: string; name: string }): StoredItem {
    const kindName = el.localName === 'Item' ? 'Message' : (el.localName ?? '');
    if (!ITEM_KINDS.includes(kindName)) throw new Error(`cannot create a ${kindName}`);
    const kind = kindName as ItemKind;
    const serial = ++this.serial;
    const item = new StoredItem(encodeId('AAMkI', serial), serial, kind, folder);
    for (const c of children(el)) item.put(c);
    if (!item.fields.has('ItemClass'))
      item.fields.set('ItemClass', simpleField('ItemClass', DEFAULT_CLASS[kind]));
    if (kind === 'CalendarItem' && zone && !item.fields.has('StartTimeZone')) {
      // Exchange gives a calendar item without its own zone the request's TimeZoneContext.
      const def = `Id="${esc(zone.id)}" Name="${esc(zone.name)}"`;
      item.fields.set('StartTimeZone', fieldFromXml(`<t:StartTimeZone ${def}/>`));
      if (!item.fields.has('EndTimeZone'))
        item.fields.set('EndTimeZone', fieldFromXml(`<t:EndTimeZone ${def}/>`));
    }
    if (kind === 'CalendarItem' && !item.fields.has('UID')) {
      item.fields.set('UID', simpleField('UID', randomUUID().toUpperCase()));
    }
    this.items.set(item.id, item);
    folder.add(item);
    return item;
  }

  /** Turns an occurrence of `master` into an exception item (not yet logged); it inherits the rest. */
  createException(master: StoredItem, originalStart: string, start: Date, end: Date): StoredItem {
    const serial = ++this.serial;
    const ex = new StoredItem(encodeId('AAMkI', serial), serial, 'CalendarItem', master.folder);
    ex.fields.set('Start', simpleField('Start', isoUtc(start)));
    ex.fields.set('End', simpleField('End', isoUtc(end)));
    ex.master = master;
    ex.originalStart = originalStart;
    master.exceptions.set(originalStart, ex);
    this.items.set(ex.id, ex);
    return ex;
  }

  deleteItem(item: StoredItem): void {
    for (const ex of item.exceptions.values()) this.items.delete(ex.id);
    item.exceptions.clear();
    this.items.delete(item.id);
    item.folder.removeItem(item);
  }

  /**
   * Moves an item (e.g. to Deleted Items) as Exchange does: the moved item is a new item with
   * a new ItemId (its exceptions too) in `to`, a create there and a delete in the old folder;
   * the old id is then not found. Returns the moved item.
   */
  moveItem(item: StoredItem, to: StoredFolder): StoredItem {
    const copy = (from: StoredItem, master: StoredItem | undefined): StoredItem => {
      const serial = ++this.serial;
      const moved = new StoredItem(encodeId('AAMkI', serial), serial, from.kind, to);
      for (const [k, v] of from.fields) moved.fields.set(k, v);
      for (const [k, v] of from.ext) moved.ext.set(k, v);
      for (const d of from.deleted) moved.deleted.add(d);
      moved.master = master;
      moved.originalStart = from.originalStart;
      this.items.set(moved.id, moved);
      return moved;
    };
    const moved = copy(item, undefined);
    for (const [start, ex] of item.exceptions) moved.exceptions.set(start, copy(ex, moved));
    this.deleteItem(item);
    to.add(moved);
    return moved;
  }
}
