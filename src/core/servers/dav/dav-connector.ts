/**
 * The CalDAV/CardDAV connector: the transport (raw objects, change tracking) plus the
 * iCalendar/vCard mapping, behind the engine's one connector interface.
 */
import { randomUUID } from 'node:crypto';
import { describeCause } from '../../errors.ts';
import type { AgendaKind, ItemData, ItemIdentity } from '../../model/items.ts';
import { failureCodeOf } from '../connector.ts';
import type {
  GoneVerdict,
  ServerChanges,
  ServerConnector,
  ServerFolder,
  ServerFolderSession,
  ServerRecord,
  WriteResult,
} from '../connector.ts';
import { parseCalendarObject, renderCalendarObject } from './ical/index.ts';
import { isContactGroup, parseVCard, renderVCard } from './vcard/index.ts';
import { createDavTransport, CTAG_TOKEN_PREFIX } from './transport/index.ts';
import { CodedItemError } from '../errors.ts';
import type {
  DavCollectionInfo,
  DavPutResult,
  DavTransport,
  DavTransportOptions,
} from './transport/index.ts';
import { ServerError, VersionConflictError } from '../errors.ts';

const CALENDAR_TYPE = 'text/calendar; charset=utf-8';
const VCARD_TYPE = 'text/vcard; charset=utf-8';

export function createDavConnector(options: DavTransportOptions): ServerConnector {
  return new DavConnector(createDavTransport(options), options.url, options.user);
}

function lastSegment(href: string): string {
  const parts = href.split('/').filter(Boolean);
  return decodeURIComponent(parts[parts.length - 1] ?? href);
}

export class DavConnector implements ServerConnector {
  readonly description: string;
  /** A user name such as "pbartos@firma.cz" is the mailbox's address. */
  readonly ownAddresses: readonly string[];
  private readonly transport: DavTransport;

  constructor(transport: DavTransport, url: string, user: string) {
    this.transport = transport;
    this.description = `CalDAV/CardDAV at ${url}`;
    this.ownAddresses = [user];
  }

  async testConnection(): Promise<void> {
    await this.transport.discover();
  }

  async listFolders(): Promise<ServerFolder[]> {
    const { calendars, addressBooks, defaultCalendarUrl } = await this.transport.discover();
    const folders: ServerFolder[] = [];
    const defaults = defaultCalendars(calendars, defaultCalendarUrl);
    for (const cal of calendars) {
      const kinds: AgendaKind[] = [];
      if (cal.components.includes('VEVENT')) kinds.push('events');
      if (cal.components.includes('VTODO')) kinds.push('tasks');
      const defaultFor = kinds.filter(
        (k) => (k === 'events' ? defaults.events : defaults.tasks) === cal,
      );
      folders.push({
        id: cal.url,
        displayName: cal.displayName || lastSegment(cal.url),
        path: cal.displayName || lastSegment(cal.url),
        kinds,
        isDefault: defaultFor.length > 0,
        defaultFor,
      });
    }
    for (const [i, book] of addressBooks.entries()) {
      folders.push({
        id: book.url,
        displayName: book.displayName || lastSegment(book.url),
        path: book.displayName || lastSegment(book.url),
        kinds: ['contacts'],
        isDefault: i === 0,
      });
    }
    return folders;
  }

  async createFolder(kind: AgendaKind, name: string): Promise<ServerFolder> {
    if (kind !== 'events' && kind !== 'tasks' && kind !== 'contacts') {
      throw new ServerError(`A CalDAV/CardDAV server has no folders for ${kind}.`);
    }
    const url =
      kind === 'contacts'
        ? await this.transport.createCollection('addressbook', name, ['VCARD'])
        : await this.transport.createCollection('calendar', name, [
            kind === 'events' ? 'VEVENT' : 'VTODO',
          ]);
    const created = (await this.listFolders()).find((f) => f.id === url);
    if (created === undefined) {
      throw new ServerError(
        `The server answered that it created "${name}" (${url}), but does not list it.`,
      );
    }
    return created;
  }

  async openFolder(folder: ServerFolder, kind: AgendaKind): Promise<ServerFolderSession> {
    return new DavFolderSession(this.transport, folder, kind);
  }

  async close(): Promise<void> {
    await this.transport.close();
  }
}

/**
 * The calendars to use when none is configured. Events: the server's default calendar
 * (RFC 6638), else the first listed. Tasks: a real task list (a calendar for VTODO only)
 * where there is one, since some servers keep tasks in the default calendar only because
 * it accepts them; else the default calendar if it takes tasks, else the first that does.
 */
function defaultCalendars(
  calendars: readonly DavCollectionInfo[],
  defaultUrl: string | undefined,
): { events?: DavCollectionInfo; tasks?: DavCollectionInfo } {
  const serverDefault = calendars.find((c) => c.url === defaultUrl);
  const firstWith = (c: 'VEVENT' | 'VTODO'): DavCollectionInfo | undefined =>
    calendars.find((cal) => cal.components.includes(c));
  const takes = (c: 'VEVENT' | 'VTODO') =>
    serverDefault?.components.includes(c) === true ? serverDefault : undefined;
  const taskList = calendars.find((c) => c.components.length === 1 && c.components[0] === 'VTODO');
  const events = takes('VEVENT') ?? firstWith('VEVENT');
  const tasks = taskList ?? takes('VTODO') ?? firstWith('VTODO');
  return { ...(events ? { events } : {}), ...(tasks ? { tasks } : {}) };
}

function gone(serverId: string): CodedItemError {
  const item = lastSegment(serverId);
  return new CodedItemError(`${item} is no longer on the server.`, 'item-gone', { item });
}

/** The text sent, as the item's server copy, when the server says it stored it unchanged. */
function storedText(put: DavPutResult, text: string): { source?: string } {
  return put.asSent ? { source: text } : {};
}

class DavFolderSession implements ServerFolderSession {
  readonly folder: ServerFolder;
  // Xandikos' sync-collection reports only the net difference since a token.
  readonly netChangesSinceToken = true;
  private readonly transport: DavTransport;
  private readonly kind: AgendaKind;

  constructor(transport: DavTransport, folder: ServerFolder, kind: AgendaKind) {
    this.transport = transport;
    this.folder = folder;
    this.kind = kind;
  }

  private get isContacts(): boolean {
    return this.kind === 'contacts';
  }

  async readChanges(
    token: string | null,
    known: ReadonlyMap<string, string>,
  ): Promise<ServerChanges> {
    const result = await this.transport.syncCollection(this.folder.id, token, {
      knownEtags: known,
      kind: this.isContacts ? 'addressbook' : 'calendar',
    });
    const records: ServerRecord[] = [];
    const failures = result.failed.map((f) => ({
      serverId: f.href,
      label: lastSegment(f.href),
      cause: f.cause,
    }));
    for (const obj of result.changed) {
      const label = lastSegment(obj.href);
      try {
        const parsed = this.parse(obj.data, label);
        if (!parsed) continue; // a VTODO in the events folder or the reverse: not this agenda's
        // A UID-less object (vCard 3.0 allows it): its name stands in, so the CRM row made
        // from it is found again if the pairing state is lost; the next write adds it as UID.
        const uid = parsed.identity.uid || label;
        records.push({
          serverId: obj.href,
          version: obj.etag,
          ...parsed,
          identity: { ...parsed.identity, uid },
          source: obj.data,
        });
      } catch (err) {
        failures.push({
          serverId: obj.href,
          label,
          cause: describeCause(err),
          ...failureCodeOf(err),
        });
      }
    }
    const listed =
      result.full ||
      token === null ||
      result.fallbackReason !== undefined ||
      (result.token ?? '').startsWith(CTAG_TOKEN_PREFIX);
    const changes: ServerChanges = {
      full: result.full,
      listed,
      records,
      deleted: result.deleted,
      failures,
      token: result.token,
    };
    if (result.fallbackReason) changes.fallbackReason = result.fallbackReason;
    return changes;
  }

  private parse(
    text: string,
    label: string,
  ): { identity: ItemIdentity; data: ItemData; modifiedAt: string | null } | null {
    // Bytes that are not UTF-8 reach us as U+FFFD (the answer is decoded as a whole):
    // imported, the text would be changed for good, and written back over the original.
    if (text.includes('\uFFFD')) {
      const format = this.isContacts ? 'vCard' : 'iCalendar';
      const detail = 'it holds bytes that are not UTF-8 text';
      throw new CodedItemError(
        `Cannot read "${label}": it is not valid ${format} (${detail}).`,
        'item-malformed',
        { item: label, format, detail },
      );
    }
    if (this.isContacts) {
      // Contact groups (KIND:group, X-ADDRESSBOOKSERVER-KIND) share the address book: not persons.
      if (isContactGroup(text)) return null;
      return parseVCard(text, label);
    }
    const parsed = parseCalendarObject(text, label);
    const wanted = this.kind === 'events' ? 'event' : 'task';
    if (parsed.kind !== wanted) return null;
    return { identity: parsed.identity, data: parsed.data, modifiedAt: parsed.modifiedAt };
  }

  private render(data: ItemData, identity: ItemIdentity, existing?: string): string {
    if (data.kind === 'contact') return renderVCard(data, identity, existing);
    return renderCalendarObject(data, identity, existing);
  }

  async create(data: ItemData, identity: ItemIdentity): Promise<WriteResult> {
    const withUid = identity.uid ? identity : { ...identity, uid: randomUUID() };
    const text = this.render(data, withUid);
    const put = await this.transport.putObject(this.folder.id, null, text, this.contentType, {
      ifNoneMatch: '*',
    });
    return { serverId: put.href, version: put.etag, uid: withUid.uid, ...storedText(put, text) };
  }

  async update(
    serverId: string,
    version: string,
    data: ItemData,
    identity: ItemIdentity,
    previous?: string,
  ): Promise<WriteResult> {
    // Patch the server's own text so what the CRM does not model survives: the copy of this
    // version we hold, guarded by If-Match (one request). Without an ETag nothing guards
    // the write, so the server's current text is read instead, as it is without a copy.
    if (previous !== undefined && version !== '') {
      return this.put(serverId, version, this.render(data, identity, previous));
    }
    const current = await this.transport.getObject(serverId);
    if (!current) throw gone(serverId);
    if (current.etag !== version) throw new VersionConflictError(serverId);
    return this.put(serverId, version, this.render(data, identity, current.data));
  }

  private async put(serverId: string, version: string, text: string): Promise<WriteResult> {
    let put;
    try {
      put = await this.transport.putObject(this.folder.id, serverId, text, this.contentType, {
        ifMatch: version,
      });
    } catch (err) {
      // If-Match fails alike for an item changed and one deleted: say which, as a read would.
      if (err instanceof VersionConflictError && (await this.isGone(serverId))) {
        throw gone(serverId);
      }
      throw err;
    }
    return { serverId: put.href, version: put.etag, ...storedText(put, text) };
  }

  /** Whether the item is gone; a failed read says nothing, so it counts as present. */
  private async isGone(serverId: string): Promise<boolean> {
    try {
      return (await this.transport.getObject(serverId)) === null;
    } catch {
      return false;
    }
  }

  async remove(serverId: string, version: string): Promise<void> {
    await this.transport.deleteObject(serverId, version);
  }

  /**
   * One GET per href: 404/410 is gone. A failed request says nothing either way; the rest
   * are not asked then (a server that fails once would only make each wait its time limit).
   */
  async confirmGone(serverIds: string[]): Promise<Map<string, GoneVerdict>> {
    const out = new Map<string, GoneVerdict>();
    let failure: string | undefined;
    for (const href of serverIds) {
      if (failure !== undefined) {
        out.set(href, { error: failure });
        continue;
      }
      try {
        out.set(href, (await this.transport.getObject(href)) === null ? 'gone' : 'present');
      } catch (err) {
        failure = describeCause(err);
        out.set(href, { error: failure });
      }
    }
    return out;
  }

  private get contentType(): string {
    return this.isContacts ? VCARD_TYPE : CALENDAR_TYPE;
  }
}
