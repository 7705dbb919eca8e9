// Items and folders as EWS XML, honouring BaseShape/AdditionalProperties roughly (IdOnly is
// exact; richer shapes return everything stored) and always in schema order.
import { occurrenceId, type Occurrence } from './context.ts';
import { isoUtc } from './ids.ts';
import { expand, hasEnd } from './recurrence.ts';
import { inSchemaOrder } from './schema-order.ts';
import { extKey, type StoredFolder, type StoredItem } from './store.ts';
import { timeZoneDefinitionBody } from './time-zone-definition.ts';
import type { ZoneDefinitionStyle } from './types.ts';
import { child, children, esc, type XElement } from './xml.ts';

export interface Shape {
  base: 'IdOnly' | 'Default' | 'AllProperties';
  fields: Set<string>;
  ext: Set<string>;
  /** Requested BodyType (Text, HTML, Best). */
  bodyType: string;
  /** How zone definitions are answered (FakeFaults.timeZoneDefinitions). */
  zones: ZoneDefinitionStyle;
  /** Fields Default/AllProperties leave out (FakeFaults.allPropertiesWithout). */
  leftOutOfAll: ReadonlySet<string>;
}

/** What the server's quirks make of a shape (FakeFaults). */
export interface ShapeQuirks {
  zoneDefinitions: ZoneDefinitionStyle;
  leftOutOfAll: ReadonlySet<string>;
}

const INDEXED: Record<string, string> = {
  EmailAddress: 'EmailAddresses',
  PhoneNumber: 'PhoneNumbers',
  ImAddress: 'ImAddresses',
};

/** Element name for a FieldURI / IndexedFieldURI value ("calendar:Start" -> "Start"). */
export function fieldName(uri: string): string {
  const local = uri.split(':')[1] ?? uri;
  if (uri.startsWith('contacts:PhysicalAddress')) return 'PhysicalAddresses';
  return INDEXED[local] ?? local;
}

export function parseShape(shapeEl: XElement | undefined, quirks?: ShapeQuirks): Shape {
  const base = (
    shapeEl ? (child(shapeEl, 'BaseShape')?.textContent ?? 'Default') : 'Default'
  ).trim();
  const shape: Shape = {
    base: base === 'IdOnly' || base === 'AllProperties' ? base : 'Default',
    fields: new Set(),
    ext: new Set(),
    bodyType: child(shapeEl, 'BodyType')?.textContent?.trim() ?? 'Best',
    zones: quirks?.zoneDefinitions ?? 'full',
    leftOutOfAll: quirks?.leftOutOfAll ?? new Set(),
  };
  const additional = child(shapeEl, 'AdditionalProperties');
  for (const p of additional ? children(additional) : []) {
    if (p.localName === 'ExtendedFieldURI') shape.ext.add(extKey(p));
    else shape.fields.add(fieldName(p.getAttribute('FieldURI') ?? ''));
  }
  return shape;
}

const TYPE_NAME: Record<string, string> = {
  CalendarItem: 'CalendarItemType',
  Task: 'TaskType',
  Contact: 'ContactItemType',
  Message: 'MessageType',
};

const ZONE_FIELDS = new Set(['StartTimeZone', 'EndTimeZone', 'MeetingTimeZone']);

/**
 * A zone given by Id only is answered as the full definition Exchange would send, or in
 * the style a quirky server has (`style`).
 */
function fullTimeZone(el: XElement, xml: string, style: ZoneDefinitionStyle): string {
  if (el.localName === 'MeetingTimeZone') return xml;
  const id = el.getAttribute('Id') || 'UTC';
  const name = el.getAttribute('Name') || id;
  if (style === 'id-only') return `<t:${el.localName} Id="${esc(id)}" Name="${esc(name)}"/>`;
  if (style === 'unnamed')
    return `<t:${el.localName}><t:VendorRules>${esc(id)}</t:VendorRules></t:${el.localName}>`;
  if (child(el, 'Periods')) return xml;
  return `<t:${el.localName} Id="${esc(id)}" Name="${esc(name)}">${timeZoneDefinitionBody(id)}</t:${el.localName}>`;
}

/** The body in the requested type, converted as Exchange would (roughly). */
function body(el: XElement, requested: string): string {
  const stored = el.getAttribute('BodyType') ?? 'Text';
  const content = el.textContent ?? '';
  if (requested === 'Best' || requested === stored)
    return `<t:Body BodyType="${stored}">${esc(content)}</t:Body>`;
  if (requested === 'Text') {
    const plain = content
      .replace(/<(br|\/p|\/div)[^>]*>/gi, '\n')
      .replace(/<[^>]+>/g, '')
      .replace(/&nbsp;/g, ' ')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&')
      .trim();
    return `<t:Body BodyType="Text">${esc(plain)}</t:Body>`;
  }
  const html = `<html><body>${esc(content).replace(/\n/g, '<br>')}</body></html>`;
  return `<t:Body BodyType="HTML">${esc(html)}</t:Body>`;
}

/** Properties Exchange always has, for items that were stored without them. */
function defaults(item: StoredItem): [string, string][] {
  const out: [string, string][] = [];
  const add = (name: string, xml: string): void => {
    if (!item.field(name)) out.push([name, xml]);
  };
  if (item.kind === 'CalendarItem') {
    const smtp = item.folder.mailbox.smtp;
    const meeting = !!item.field('RequiredAttendees') || !!item.field('OptionalAttendees');
    add(
      'Organizer',
      `<t:Organizer><t:Mailbox><t:Name>${esc(smtp.split('@')[0] ?? smtp)}</t:Name><t:EmailAddress>${esc(smtp)}</t:EmailAddress><t:RoutingType>SMTP</t:RoutingType><t:MailboxType>Mailbox</t:MailboxType></t:Mailbox></t:Organizer>`,
    );
    add('IsMeeting', `<t:IsMeeting>${meeting}</t:IsMeeting>`);
    add('IsCancelled', '<t:IsCancelled>false</t:IsCancelled>');
    add('IsAllDayEvent', '<t:IsAllDayEvent>false</t:IsAllDayEvent>');
    add('MyResponseType', '<t:MyResponseType>Organizer</t:MyResponseType>');
    add('LegacyFreeBusyStatus', '<t:LegacyFreeBusyStatus>Busy</t:LegacyFreeBusyStatus>');
  } else if (item.kind === 'Task') {
    const status = item.text('Status') ?? 'NotStarted';
    add('Status', `<t:Status>${status}</t:Status>`);
    add(
      'PercentComplete',
      `<t:PercentComplete>${status === 'Completed' ? 100 : 0}</t:PercentComplete>`,
    );
    add('IsComplete', `<t:IsComplete>${status === 'Completed'}</t:IsComplete>`);
  } else if (item.kind === 'Contact') {
    const name = [item.text('GivenName'), item.text('Surname')].filter(Boolean).join(' ');
    if (name) add('DisplayName', `<t:DisplayName>${esc(name)}</t:DisplayName>`);
  }
  return out;
}

function itemIdXml(id: string, changeKey: string, name = 'ItemId'): string {
  return `<t:${name} Id="${id}" ChangeKey="${changeKey}"/>`;
}

function occurrenceInfo(
  tag: string,
  id: string,
  ck: string,
  start: string,
  end: string,
  original: string,
): string {
  return `<t:${tag}>${itemIdXml(id, ck)}<t:Start>${start}</t:Start><t:End>${end}</t:End><t:OriginalStart>${original}</t:OriginalStart></t:${tag}>`;
}

function plus(iso: string, ms: number): string {
  return isoUtc(new Date(Date.parse(iso) + ms));
}

/** FirstOccurrence, LastOccurrence, ModifiedOccurrences, DeletedOccurrences of a master. */
function masterParts(master: StoredItem): [string, string][] {
  const exp = expand(master);
  const parts: [string, string][] = [];
  if (!exp) return parts;
  const info = (tag: string, original: string): string => {
    const ex = master.exceptions.get(original);
    if (ex) {
      return occurrenceInfo(
        tag,
        ex.id,
        ex.changeKey,
        ex.text('Start') ?? original,
        ex.text('End') ?? original,
        original,
      );
    }
    const id = occurrenceId(master, original);
    return occurrenceInfo(
      tag,
      id,
      master.changeKey,
      original,
      plus(original, exp.durationMs),
      original,
    );
  };
  const live = exp.starts.filter((s) => !master.deleted.has(s));
  const first = live[0];
  const last = live[live.length - 1];
  if (first) parts.push(['FirstOccurrence', info('FirstOccurrence', first)]);
  if (last && hasEnd(master) && exp.complete)
    parts.push(['LastOccurrence', info('LastOccurrence', last)]);
  const modified = [...master.exceptions.keys()].sort();
  if (modified.length) {
    parts.push([
      'ModifiedOccurrences',
      `<t:ModifiedOccurrences>${modified.map((o) => info('Occurrence', o)).join('')}</t:ModifiedOccurrences>`,
    ]);
  }
  if (master.deleted.size) {
    const del = [...master.deleted]
      .sort()
      .map((s) => `<t:DeletedOccurrence><t:Start>${s}</t:Start></t:DeletedOccurrence>`);
    parts.push([
      'DeletedOccurrences',
      `<t:DeletedOccurrences>${del.join('')}</t:DeletedOccurrences>`,
    ]);
  }
  return parts;
}

function simple(name: string, value: string): [string, string] {
  return [name, `<t:${name}>${esc(value)}</t:${name}>`];
}

/** One item element (<t:CalendarItem>…) in `shape`; `occ` renders an unmodified occurrence of it. */
export function renderItem(item: StoredItem, shape: Shape, occ?: Occurrence): string {
  const kind = item.kind;
  const id = occ ? occurrenceId(item, occ.originalStart) : item.id;
  const parts: [string, string][] = [['ItemId', itemIdXml(id, item.changeKey)]];
  const all = shape.base !== 'IdOnly';
  const want = (name: string): boolean =>
    (all && !shape.leftOutOfAll.has(name)) || shape.fields.has(name);
  for (const [name, f] of item.allFields()) {
    if (!want(name)) continue;
    if (occ && (name === 'Recurrence' || name === 'Start' || name === 'End')) continue;
    if (name === 'Body') parts.push([name, body(f.el, shape.bodyType)]);
    else parts.push([name, ZONE_FIELDS.has(name) ? fullTimeZone(f.el, f.xml, shape.zones) : f.xml]);
  }
  for (const p of defaults(item)) if (want(p[0])) parts.push(p);
  for (const e of item.allExt().values()) {
    if (shape.ext.has(e.key)) parts.push(['ExtendedProperty', e.xml]);
  }
  if (want('ParentFolderId'))
    parts.push(['ParentFolderId', `<t:ParentFolderId Id="${item.folder.id}"/>`]);
  if (want('DateTimeCreated')) parts.push(simple('DateTimeCreated', isoUtc(item.created)));
  if (want('LastModifiedTime')) parts.push(simple('LastModifiedTime', isoUtc(item.modified)));
  if (kind === 'CalendarItem') {
    const type = occ
      ? 'Occurrence'
      : item.master
        ? 'Exception'
        : item.isRecurringMaster
          ? 'RecurringMaster'
          : 'Single';
    if (want('CalendarItemType')) parts.push(simple('CalendarItemType', type));
    if (want('IsRecurring'))
      parts.push(simple('IsRecurring', String(type === 'Occurrence' || type === 'Exception')));
    const original = occ?.originalStart ?? item.originalStart;
    if (original && want('OriginalStart')) parts.push(simple('OriginalStart', original));
    if (original && want('RecurrenceId')) parts.push(simple('RecurrenceId', original));
    if (occ) {
      const dur = expand(item)?.durationMs ?? 0;
      if (want('Start')) parts.push(simple('Start', occ.originalStart));
      if (want('End')) parts.push(simple('End', plus(occ.originalStart, dur)));
    }
    if (type === 'RecurringMaster') {
      for (const p of masterParts(item)) if (want(p[0])) parts.push(p);
    }
  }
  return `<t:${kind}>${inSchemaOrder(TYPE_NAME[kind] ?? 'ItemType', parts)}</t:${kind}>`;
}

/** Just the ItemId, in the item's element (CreateItem/UpdateItem answers). */
export function renderItemId(item: StoredItem): string {
  return `<t:${item.kind}>${itemIdXml(item.id, item.changeKey)}</t:${item.kind}>`;
}

const FOLDER_ELEMENT: Record<string, [string, string]> = {
  'IPF.Appointment': ['CalendarFolder', 'CalendarFolderType'],
  'IPF.Task': ['TasksFolder', 'TasksFolderType'],
  'IPF.Contact': ['ContactsFolder', 'ContactsFolderType'],
};

export function folderElementName(folder: StoredFolder): string {
  return (FOLDER_ELEMENT[folder.folderClass ?? ''] ?? ['Folder'])[0];
}

export function renderFolder(folder: StoredFolder, base: string): string {
  const [el, type] = FOLDER_ELEMENT[folder.folderClass ?? ''] ?? ['Folder', 'FolderType'];
  const parts: [string, string][] = [
    ['FolderId', `<t:FolderId Id="${folder.id}" ChangeKey="AQAAAA=="/>`],
  ];
  if (base !== 'IdOnly') {
    if (folder.parent)
      parts.push([
        'ParentFolderId',
        `<t:ParentFolderId Id="${folder.parent.id}" ChangeKey="AQAAAA=="/>`,
      ]);
    if (folder.folderClass) parts.push(simple('FolderClass', folder.folderClass));
    parts.push(simple('DisplayName', folder.displayName));
    parts.push(simple('TotalCount', String(folder.items.size)));
    parts.push(simple('ChildFolderCount', String(folder.childFolders.length)));
    if (el === 'Folder') parts.push(simple('UnreadCount', '0'));
  }
  return `<t:${el}>${inSchemaOrder(type, parts)}</t:${el}>`;
}
