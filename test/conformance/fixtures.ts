/**
 * Server fixtures for the connector conformance suite: ONE set of scenario tests, run over
 * every server the program talks to (the way vdirsyncer runs one StorageTests class over
 * each storage's fixture). A new connector gets the whole suite by adding a fixture here.
 *
 *   forEachFixture((fixture) => {
 *     it('…', async () => {
 *       const i = await fixture().install((s) => { s.agendas.tasks.enabled = false; });
 *       i.phone.createEvent({ subject: 'Oběd', start, end });   // the other client
 *       await i.sync();                                         // the real connector + engine
 *       expect((await i.phone.events())[0]!.subject).toBe('Oběd');
 *     });
 *   });
 *
 * The interface (stable; additions only):
 * - `ServerFixture`: `name` (the describe block's title), `start()`/`stop()` (once per block:
 *   a DAV server process; nothing for the fake Exchange, which is started per installation),
 *   `keeps` (what this server keeps or does, so a test states a capability instead of
 *   asking which server it runs on), `install(configure, options)`.
 * - `Installation`: a CRM database with the user pbartos, settings for this server (every
 *   agenda on; `configure` changes them), the real connector from `createConnector` and the
 *   real engine `runSync` behind `sync()`, and `phone`: another client of the same mailbox
 *   speaking the server's own wire format (raw iCalendar/vCard over DAV; direct edits of
 *   the fake Exchange's folders) behind the vocabulary below. `forEachFixture` closes each
 *   installation after its test and runs the fixture's after-test check (`verify`: on the
 *   fake Exchange, every SOAP body the client sent was valid against messages.xsd).
 * - `requests()` counts what the connectors sent, under the fixture's `requestNames`.
 * - `Phone`: create an event/task/contact, update, remove, read back (`events()`, `tasks()`,
 *   `contacts()` as `PhoneItem`s), `versions()` (equal before and after: nothing was
 *   written), and `property(name)` on an item for what the CRM does not model.
 * - `listingFaults` (with `install(…, { faults: true })`, fixtures with `keeps.listingFaults`):
 *   make the server's listing lie the way each protocol can (a refused change token, an
 *   answer cut short, items left out).
 *
 * The fixtures: Radicale and Xandikos (dav-fixture.ts), the fake Exchange (ews-fixture.ts),
 * the in-memory reference connector (memory-fixture.ts). The DAV and Exchange fixtures also
 * give their own installation (test/support/dav-installation.ts, ews-installation.ts)
 * behind `native(inst)` to the fault fixtures.
 *
 * Times: a `Date` is an instant; a 'YYYY-MM-DD' string is a day (all-day events, day-only
 * task dates, end exclusive). `zone` is the zone name the phone writes its times in: an
 * IANA name, or a Windows name as Outlook writes it; each phone says it its own way.
 */
import { afterAll, afterEach, beforeAll, describe } from 'vitest';
import type { CrmDatabase } from '../../src/core/crm/database.ts';
import type { Settings } from '../../src/shared/settings/schema.ts';
import type { SyncRequest } from '../../src/core/sync/engine.ts';
import type { RunSummary } from '../../src/core/sync/summary.ts';
import { davFixture } from './dav-fixture.ts';
import { ewsFixture } from './ews-fixture.ts';
import { memoryFixture } from './memory-fixture.ts';

export type SyncOptions = Partial<Pick<SyncRequest, 'dryRun' | 'forceDeletes' | 'agendas' | 'now'>>;

export interface PhonePerson {
  email: string;
  name?: string;
}

/** A property the CRM does not model; the phone writes it in its own form (X- line, extended property). */
export interface UnknownProperty {
  name: string;
  value: string;
}

export interface PhoneEvent {
  subject: string;
  start: Date | string;
  end: Date | string;
  zone?: string;
  location?: string;
  description?: string;
  private?: boolean;
  categories?: string[];
  organizer?: PhonePerson;
  attendees?: PhonePerson[];
  reminderMinutes?: number;
  /** A series of `count` occurrences from `start`. */
  recurrence?: { freq: 'DAILY' | 'WEEKLY'; count: number };
  /** Original starts of cancelled occurrences. */
  cancelled?: Date[];
  /** Occurrences moved (and renamed) from their original start. */
  moved?: { original: Date; start: Date; end: Date; subject?: string }[];
  unknown?: UnknownProperty[];
}

export interface PhoneTask {
  subject: string;
  due?: Date | string;
  priority?: 'high' | 'normal' | 'low';
  percentComplete?: number;
  completed?: Date;
  categories?: string[];
  /**
   * An assigned task's owner, as the server names it: CalDAV's ORGANIZER, Outlook's Owner
   * (a name) of a task assigned to someone. Absent: the mailbox's own task.
   */
  owner?: PhonePerson;
}

export interface PhoneContact {
  firstName?: string;
  lastName: string;
  prefix?: string;
  company?: string;
  jobTitle?: string;
  emails?: string[];
  mobile?: string;
  workPhone?: string;
  city?: string;
  categories?: string[];
  /** An assistant's name: a field the CRM does not model (X-ASSISTANT, AssistantName). */
  assistant?: string;
  unknown?: UnknownProperty[];
  /** Write no UID (vCard 3.0 allows it; Outlook never gives contacts one). */
  noUid?: boolean;
}

/** A change the phone makes to an item; what is left out stays. */
export interface PhoneChange {
  subject?: string;
  location?: string;
  start?: Date;
  end?: Date;
}

/** An item as the phone reads it back. */
export interface PhoneItem {
  /** The phone's handle on it (DAV href, Exchange item id). */
  ref: string;
  kind: 'event' | 'task' | 'contact';
  subject?: string;
  location?: string;
  description?: string;
  allDay: boolean;
  /** An instant (ISO) or, all-day, the day as the server holds it: 'YYYY-MM-DD'. */
  start?: string;
  end?: string;
  /** A task's due date: an instant (ISO), or a day 'YYYY-MM-DD'. */
  due?: string;
  /** The zone of the start, as an IANA name where the server names a known one. */
  zone?: string;
  categories: string[];
  priority?: 'high' | 'normal' | 'low';
  completed: boolean;
  firstName?: string;
  lastName?: string;
  /** The name as shown (FN, DisplayName). */
  displayName?: string;
  assistant?: string;
  jobTitle?: string;
  company?: string;
  city?: string;
  emails: string[];
  phones: string[];
  /** The iCalendar/vCard UID or the one the sync stamped on the item. */
  uid?: string;
  /** The CRM's stamp on the item (X-CRM-SYNC-ID). */
  stamp?: string;
  organizer?: string;
  organizerName?: string;
  attendees: string[];
  /** A series' frequency (DAILY, WEEKLY, …). */
  recurrence?: string;
  /** Subjects of the moved occurrences. */
  exceptions: string[];
  /** Original starts of the cancelled occurrences (ISO instants, or days), sorted. */
  cancelled: string[];
  /** A property the CRM does not model, by the name it was written with. */
  property(name: string): string | undefined;
  /** The server's own text of the item (iCalendar, vCard, Exchange XML). */
  raw: string;
}

export interface Phone {
  createEvent(e: PhoneEvent): Promise<string>;
  createTask(t: PhoneTask): Promise<string>;
  createContact(c: PhoneContact): Promise<string>;
  update(ref: string, change: PhoneChange): Promise<void>;
  remove(ref: string): Promise<void>;
  events(): Promise<PhoneItem[]>;
  tasks(): Promise<PhoneItem[]>;
  contacts(): Promise<PhoneItem[]>;
  /** Every item's version by ref: the same before and after means nothing was written. */
  versions(): Promise<Map<string, string>>;
  /** The mailbox's master category list (servers with `keeps.categoryList`). */
  setCategoryList?(names: string[]): void;
}

/** Ways to make the server's listing lie (install with `{ faults: true }`). */
export interface ListingFaults {
  /** From now on the incremental listing is refused, so the run lists everything. */
  refuseChangeTokens(times?: number): void;
  /** The next full listing stops after `keep` items and never closes. */
  cutFullListing(keep: number): { readonly hits: number };
  /** The next full listing leaves out these items; otherwise complete and well-formed. */
  dropFromFullListing(refs: string[]): { readonly hits: number };
  /** The next incremental listing stops after `keep` changes. */
  cutChangeListing(keep: number): { readonly hits: number };
  /** The next request for item bodies fails with a server error. */
  failNextItemRead(): void;
  /** The server is well again. */
  clear(): void;
}

export interface Installation {
  db: CrmDatabase;
  dir: string;
  settings: Settings;
  ownerId: number;
  phone: Phone;
  /** Present when installed with `{ faults: true }`. */
  listingFaults?: ListingFaults;
  sync(options?: SyncOptions): Promise<RunSummary>;
  /** The server's master category list, as the connector offers it. */
  listCategories(): Promise<string[] | undefined>;
  /** No write so far could have invited or notified an attendee. */
  noInvitationsSent(): Promise<boolean>;
  /**
   * The requests the installation's connectors sent so far, counted by the fixture's names
   * for them (HTTP method on DAV, SOAP operation on Exchange, connector call in memory).
   */
  requests(): Record<string, number>;
  close(): Promise<void>;
}

export interface InstallOptions {
  /** The connector reaches the server through something that can inject listing faults. */
  faults?: boolean;
}

/** What a server keeps or does; tests read these instead of asking which server it is. */
export interface Capabilities {
  /** Task dates keep their time of day (Exchange keeps task dates as days). */
  taskTimes: boolean;
  /** A card without UID is accepted (Radicale refuses one). */
  uidlessContacts: boolean;
  /** A meeting sent from the CRM carries the CRM user as its organizer on the server. */
  exportedOrganizer: boolean;
  /** The server has a master category list the connector offers. */
  categoryList: boolean;
  /** `install(…, { faults: true })` gives `listingFaults`: the server's listing can be made to lie. */
  listingFaults: boolean;
  /**
   * Times travel as wall times in a named zone, so an item in a zone the program does not
   * know cannot be read (the memory server holds instants: its zone is only a label).
   */
  wallTimes: boolean;
}

/** The fixture's names (as `requests()` counts them) for two requests every server has. */
export interface RequestNames {
  /** The request that lists the server's folders. */
  listFolders: string;
  /** The request that asks one folder for its changes. */
  listChanges: string;
}

export interface ServerFixture {
  name: string;
  keeps: Capabilities;
  requestNames: RequestNames;
  start(): Promise<void>;
  stop(): Promise<void>;
  install(configure?: (s: Settings) => void, options?: InstallOptions): Promise<Installation>;
  /** A check after each test (e.g. every request was valid); throws when it fails. */
  verify?(inst: Installation): Promise<void>;
}

/** Every server the suite runs on. */
export function fixtures(): ServerFixture[] {
  return [davFixture('radicale'), davFixture('xandikos'), ewsFixture(), memoryFixture()];
}

/**
 * Runs `fn`'s tests once per fixture, each in its own describe block named after it: the
 * server started before the block and stopped after it, every installation closed (and
 * verified) after its test.
 */
export function forEachFixture(
  fn: (fixture: () => ServerFixture) => void,
  list: ServerFixture[] = fixtures(),
): void {
  for (const fixture of list) {
    describe(fixture.name, () => {
      const opened: Installation[] = [];
      const tracked: ServerFixture = {
        ...fixture,
        async install(configure, options) {
          const inst = await fixture.install(configure, options);
          opened.push(inst);
          return inst;
        },
      };
      beforeAll(() => fixture.start(), 240_000);
      afterEach(async () => {
        const done = opened.splice(0);
        let failure: unknown;
        for (const inst of done) {
          try {
            await fixture.verify?.(inst);
          } catch (err) {
            failure ??= err;
          }
          await inst.close();
        }
        if (failure !== undefined) throw failure;
      }, 240_000);
      afterAll(() => fixture.stop(), 240_000);
      fn(() => tracked);
    });
  }
}
