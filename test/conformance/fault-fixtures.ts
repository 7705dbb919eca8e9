/**
 * What the crash-safety and faults suites need of a server fixture (fixtures.ts), beyond an
 * installation and a phone: a way to kill the real `crm-sync sync` at a call of its run, and
 * ways to make the server fail. Each server does it its own way; a suite asks the fixture.
 *
 * - `forEachKillFixture`: the fixtures whose runs can be killed on the wire. `installCli()`
 *   gives a settings file and a CRM file for a `crm-sync sync` child, a `KillWire` that pins
 *   a SIGKILL to one of its calls (kill-switch.ts), and a phone in the suite's small
 *   vocabulary (`a`: subject / last name, `b`: location / job title). DAV: a recording proxy
 *   between the command and the server. The fake Exchange: its own per-request hook.
 * - `forEachFaultFixture`: installations whose server can be made to fail (`faults`):
 *   answers lost after the server carried a creation out, an item that cannot be read, another
 *   client's edit just before an upload, a wrong password. Optional, where the server can:
 *   refusing one upload (`refusals`), a change listing cut off or never answered
 *   (`brokenListing`), as `can` says. DAV: a fault proxy between the connector and the
 *   server. The fake Exchange: its own fault knobs and per-request hook; it offers neither
 *   optional fault, as the EWS client retries a 503, a cut answer and one that never comes
 *   (see ews-faults): one such fault never reaches its run.
 *
 * The in-memory reference connector is in neither list: it lives in the test's process (no
 * command can reach it, nothing lies between it and its connector) and has no fault knobs.
 */
import { openCrmDatabase } from '../../src/core/crm/database.ts';
import type { CrmDatabase } from '../../src/core/crm/database.ts';
import { findUserByLogin } from '../../src/core/crm/users.ts';
import { saveSettings } from '../../src/core/settings/index.ts';
import type { Settings } from '../../src/shared/settings/schema.ts';
import { MemorySecretStore } from '../../src/core/secrets/memory-secret-store.ts';
import { SecretKey } from '../../src/core/secrets/secret-store.ts';
import { createConnector } from '../../src/core/servers/create-connector.ts';
import { createDavTransport } from '../../src/core/servers/dav/transport/index.ts';
import type { DavTransport } from '../../src/core/servers/dav/transport/index.ts';
import { crmDatabaseId } from '../../src/core/sync/crm-side/stamp.ts';
import { runSync } from '../../src/core/sync/engine.ts';
import { readJournal } from '../../src/core/sync/journal.ts';
import type { RunSummary } from '../../src/core/sync/summary.ts';
import { USER } from '../support/ews-installation.ts';
import { fakeEwsKillWire } from '../support/ews-kill.ts';
import { startFaultProxy } from '../support/fault-proxy.ts';
import type { FaultProxy } from '../support/fault-proxy.ts';
import { startKillProxy } from '../support/kill-switch.ts';
import type { KillProxy, KillWire, WireCall } from '../support/kill-switch.ts';
import { davFixture } from './dav-fixture.ts';
import type { DavFixture } from './dav-fixture.ts';
import { ewsFixture } from './ews-fixture.ts';
import type { EwsFixture } from './ews-fixture.ts';
import { forEachFixture } from './fixtures.ts';
import type { Installation, Phone, ServerFixture } from './fixtures.ts';

// ---- killing a run ----

export type CrashAgenda = 'events' | 'contacts';

/** An item as the crash suite sees it: `a` the subject / last name, `b` the location / job title. */
export interface CrashItem {
  ref: string;
  a: string;
  b: string;
  uid: string | undefined;
  stamp: string | undefined;
  /** Subjects of a series' moved occurrences. */
  exceptions: string[];
}

export interface CrashPhone {
  createEvent(a: string, b: string, start: Date, end: Date): Promise<string>;
  createContact(a: string, b: string): Promise<string>;
  /** A weekly series of 6 from `first` with its 2nd occurrence moved 2 h later and renamed. */
  createSeries?(a: string, b: string, first: Date, exception: string): Promise<string>;
  items(agenda: CrashAgenda): Promise<CrashItem[]>;
  /** Changes the subject (events only). */
  setA(agenda: CrashAgenda, ref: string, value: string): Promise<void>;
  setB(agenda: CrashAgenda, ref: string, value: string): Promise<void>;
  remove(ref: string): Promise<void>;
  /** The item a write call was about, where the wire names it (DAV: the request path). */
  itemOf?(call: WireCall): Promise<string | undefined>;
}

/** A CRM Sync the real `crm-sync sync` runs on, events and contacts on. */
export interface CliInstallation {
  config: string;
  database: string;
  /** The command's environment: the server password. */
  env: Record<string, string>;
  wire: KillWire;
  phone: CrashPhone;
  /** `fn` on the CRM file, opened for this step only (the command writes it in between). */
  withCrm<T>(fn: (db: CrmDatabase, ownerId: number, dbId: string) => T): T;
  /**
   * A run to its end in the test's own process, on the same files through the same wire
   * (cheaper than starting the command): for runs no kill is aimed at.
   */
  runHere(): Promise<HereRun>;
}

export interface HereRun {
  summary: RunSummary;
  calls: readonly WireCall[];
  /** Its journal entries, by action and outcome ("create-server done"). */
  journal: string[];
}

/** A run of the installation's own engine, its calls watched on the wire. */
async function runHere(inst: Installation, wire: KillWire): Promise<HereRun> {
  wire.arm(null, () => {});
  let summary: RunSummary;
  try {
    summary = await inst.sync();
  } finally {
    wire.disarm();
  }
  const journal = readJournal(inst.db, { runId: summary.runId }).map(
    (j) => `${j.action} ${j.outcome}`,
  );
  return { summary, calls: [...wire.calls()], journal };
}

/** How much the random crash test does on this server (Radicale is the fastest to write). */
export interface CrashScale {
  crmEvents: number;
  crmPersons: number;
  serverEvents: number;
  serverCards: number;
  rounds: number;
  /** Kills that must have landed (some triggers may come after the run ended). */
  minKills: number;
  /** Added to the seed, so each server sees other kill points from one CRASH_SEED. */
  seedOffset: number;
}

export interface KillFixture extends ServerFixture {
  scale: CrashScale;
  installCli(name: string): Promise<CliInstallation>;
}

const WEEK_MS = 7 * 86_400_000;
const HOUR_MS = 3_600_000;

/** The suite's vocabulary on a fixture's phone; job titles are set by `setJobTitle`. */
function crashPhone(
  phone: Phone,
  setJobTitle: (ref: string, value: string) => Promise<void>,
  itemOf?: CrashPhone['itemOf'],
): CrashPhone {
  return {
    createEvent: (a, b, start, end) => phone.createEvent({ subject: a, location: b, start, end }),
    createContact: (a, b) =>
      phone.createContact({ firstName: 'Telefon', lastName: a, jobTitle: b }),
    // UTC, so the occurrences are 7 days apart on every server.
    createSeries: (a, b, first, exception) => {
      const second = new Date(first.getTime() + WEEK_MS);
      return phone.createEvent({
        subject: a,
        location: b,
        start: first,
        end: new Date(first.getTime() + HOUR_MS),
        recurrence: { freq: 'WEEKLY', count: 6 },
        moved: [
          {
            original: second,
            start: new Date(second.getTime() + 2 * HOUR_MS),
            end: new Date(second.getTime() + 3 * HOUR_MS),
            subject: exception,
          },
        ],
      });
    },
    async items(agenda) {
      const events = agenda === 'events';
      return (events ? await phone.events() : await phone.contacts()).map((i) => ({
        ref: i.ref,
        a: (events ? i.subject : i.lastName) ?? '',
        b: (events ? i.location : i.jobTitle) ?? '',
        uid: i.uid,
        stamp: i.stamp?.trim(),
        exceptions: i.exceptions,
      }));
    },
    async setA(agenda, ref, value) {
      if (agenda !== 'events') throw new Error('the crash phone renames events only');
      await phone.update(ref, { subject: value });
    },
    setB: (agenda, ref, value) =>
      agenda === 'events' ? phone.update(ref, { location: value }) : setJobTitle(ref, value),
    remove: (ref) => phone.remove(ref),
    ...(itemOf ? { itemOf } : {}),
  };
}

/** A settings file for the command next to the installation's CRM file. */
function writeConfig(inst: Installation): Pick<CliInstallation, 'config' | 'database' | 'withCrm'> {
  const database = inst.db.name;
  const config = `${inst.dir}/crm-sync.json`;
  inst.settings.crm.databasePath = database;
  saveSettings(config, inst.settings);
  return {
    config,
    database,
    withCrm(fn) {
      const db = openCrmDatabase(database, { create: false });
      try {
        const owner = findUserByLogin(db, 'pbartos');
        if (!owner) throw new Error('no CRM user pbartos');
        return fn(db, owner.id, crmDatabaseId(db));
      } finally {
        db.close();
      }
    },
  };
}

/** The installation's DAV addresses moved to `via` (a proxy in front of the server). */
function rerouteDav(settings: Settings, via: string): void {
  const moved = (url: string): string => new URL(new URL(url).pathname, via).href;
  const dav = settings.connection.dav;
  dav.url = moved(dav.url);
  for (const agenda of [settings.agendas.events, settings.agendas.tasks, settings.agendas.contacts])
    agenda.folders = agenda.folders.map(moved);
}

const unfold = (text: string): string => text.replace(/\r?\n[ \t]/g, '');
const escapeText = (v: string): string => v.replace(/([\\;,])/g, '\\$1').replace(/\n/g, '\\n');

/** A DAV phone's raw edit of a card's TITLE (the common vocabulary changes events only). */
async function davJobTitle(raw: DavTransport, ref: string, value: string): Promise<void> {
  const current = await raw.getObject(ref);
  if (!current) throw new Error(`${ref} is not on the server`);
  const text = unfold(current.data).replace(/\r?\n/g, '\r\n');
  const line = `TITLE:${escapeText(value)}`;
  const next = /^TITLE[;:].*$/m.test(text)
    ? text.replace(/^TITLE[;:].*$/m, line)
    : text.replace(/\r\nEND:VCARD/, `\r\n${line}\r\nEND:VCARD`);
  const collection = new URL('.', new URL(ref, 'http://x/')).pathname;
  await raw.putObject(collection, ref, next, 'text/vcard; charset=utf-8', {
    ifMatch: current.etag,
  });
}

function davKill(base: DavFixture, scale: CrashScale): KillFixture {
  let proxy: KillProxy | undefined;
  let raw: DavTransport | undefined;
  return {
    ...base,
    scale,
    async start() {
      await base.start();
      const server = base.server();
      proxy = await startKillProxy(server.url);
      raw = createDavTransport({
        url: server.url,
        user: server.user,
        password: server.password,
        auth: 'basic',
      });
    },
    async stop() {
      await raw?.close();
      await proxy?.close();
      await base.stop();
    },
    async installCli(this: KillFixture) {
      const server = base.server();
      if (!proxy || !raw) throw new Error('the kill proxy is not running');
      const transport = raw;
      const inst = await this.install((s) => {
        s.agendas.tasks.enabled = false;
      });
      rerouteDav(inst.settings, proxy.url);
      const samePath = (ref: string, path: string | null): boolean =>
        path !== null && new URL(ref, server.url).pathname === path;
      const phone = crashPhone(
        inst.phone,
        (ref, value) => davJobTitle(transport, ref, value),
        async (call) => {
          const all = [...(await inst.phone.events()), ...(await inst.phone.contacts())];
          return all.find((i) => samePath(i.ref, call.path))?.ref;
        },
      );
      const wire = proxy;
      return {
        ...writeConfig(inst),
        env: { CRM_SYNC_SERVER_PASSWORD: server.password },
        wire,
        phone,
        runHere: () => runHere(inst, wire),
      };
    },
  };
}

const escapeXml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function ewsKill(base: EwsFixture, scale: CrashScale): KillFixture {
  return {
    ...base,
    scale,
    async installCli(this: KillFixture) {
      const inst = await this.install((s) => {
        s.agendas.tasks.enabled = false;
      });
      const native = base.native(inst);
      // The fake's hook cannot tell which item a call was about: no `itemOf`.
      const phone = crashPhone(inst.phone, async (ref, value) => {
        native.contacts.update(ref, `<t:JobTitle>${escapeXml(value)}</t:JobTitle>`);
      });
      const wire = fakeEwsKillWire(native.fake);
      return {
        ...writeConfig(inst),
        env: { CRM_SYNC_SERVER_PASSWORD: USER.password },
        wire,
        phone,
        runHere: () => runHere(inst, wire),
      };
    },
  };
}

/** Every server whose runs can be killed on the wire. */
export function killFixtures(): KillFixture[] {
  return [
    davKill(davFixture('radicale'), {
      crmEvents: 90,
      crmPersons: 10,
      serverEvents: 24,
      serverCards: 4,
      rounds: 12,
      minKills: 1,
      seedOffset: 0,
    }),
    davKill(davFixture('xandikos'), {
      crmEvents: 36,
      crmPersons: 6,
      serverEvents: 10,
      serverCards: 3,
      rounds: 4,
      minKills: 1,
      seedOffset: 7919,
    }),
    ewsKill(ewsFixture(), {
      crmEvents: 14,
      crmPersons: 4,
      serverEvents: 4,
      serverCards: 2,
      rounds: 6,
      minKills: 6,
      seedOffset: 15_485_863,
    }),
  ];
}

/** `fn`'s tests once per kill fixture (see forEachFixture: server, installations closed). */
export function forEachKillFixture(fn: (fixture: () => KillFixture) => void): void {
  forEachFixture((f) => fn(() => f() as KillFixture), killFixtures());
}

// ---- making the server fail ----

export interface FailingRead {
  /** What the run names the item by when it cannot read it. */
  label: string;
  /** How the run words why it could not read the item. */
  cause: RegExp;
  /** How many times the server failed to give the item so far. */
  readonly hits: number;
  /** The item reads well again. */
  heal(): void;
}

export interface ServerFaults {
  /** The server carries out these creations of the next run (1 = the first) and loses the answers. */
  loseCreationAnswers(creations: number[]): void;
  /** The item cannot be read (broken, or not found) until healed. */
  unreadable(ref: string): Promise<FailingRead>;
  /** Another client's edit lands just before the next upload. */
  beforeNextUpload(edit: () => Promise<void>): void;
  /** The next runs use a wrong server password (where the server checks passwords). */
  wrongPassword?(): Promise<void>;
  /** Refusing the n-th upload of an agenda, where the server can without its client retrying. */
  refusals?: {
    refuse(agenda: CrashAgenda, nth: number, status: 500 | 503): void;
    /** Uploads of the agenda the server was asked for so far. */
    uploads(agenda: CrashAgenda): number;
  };
  /** The next change listing of the events is cut off or never answered. */
  brokenListing?(how: 'cut' | 'hang'): void;
  /** The server is well again. */
  clear(): void;
}

export interface FaultInstallation extends Installation {
  faults: ServerFaults;
  /** The phone changes a contact's job title (the common vocabulary changes events only). */
  setJobTitle(ref: string, value: string): Promise<void>;
}

export interface FaultFixture extends ServerFixture {
  /** Which optional faults its installations offer (`faults.refusals`, `faults.brokenListing`). */
  can: { refuseUploads: boolean; breakListings: boolean; checkPasswords: boolean };
  installFaulty(configure?: (s: Settings) => void): Promise<FaultInstallation>;
}

/** Short, so an answer that never comes fails the request quickly. */
const TIMEOUT_MS = 2000;

const fileName = (href: string): string => decodeURIComponent(href.split('/').pop() ?? '');
const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A garbage line (no ":") after the UID line of an object: the object no longer parses. */
function breakUid(body: string, uid: string): string {
  return body.replace(
    new RegExp(`(UID:${escapeRegExp(uid)})(&#13;|\\r)?\\n`, 'g'),
    (_m, line: string, cr = '') => `${line}${cr}\ngarbage line ${uid}${cr}\n`,
  );
}

function davFaults(base: DavFixture, checksPasswords: boolean): FaultFixture {
  let running: FaultProxy | undefined;
  let raw: DavTransport | undefined;
  return {
    ...base,
    can: { refuseUploads: true, breakListings: true, checkPasswords: checksPasswords },
    async start() {
      await base.start();
      const server = base.server();
      running = await startFaultProxy(server.url);
      raw = createDavTransport({
        url: server.url,
        user: server.user,
        password: server.password,
        auth: 'basic',
      });
    },
    async stop() {
      await raw?.close();
      await running?.stop();
      await base.stop();
    },
    async installFaulty(this: FaultFixture, configure = () => {}) {
      const server = base.server();
      if (!running || !raw) throw new Error('the fault proxy is not running');
      const proxy = running;
      const transport = raw;
      proxy.clear();
      const inst = await this.install(configure);
      rerouteDav(inst.settings, proxy.url);
      /** Objects that cannot be read, by UID, with how often an answer carried them. */
      const broken = new Map<string, number>();
      const secrets = new MemorySecretStore({ [SecretKey.serverPassword]: server.password });
      const pathOf = (agenda: CrashAgenda): string =>
        new URL(
          (agenda === 'events' ? inst.settings.agendas.events : inst.settings.agendas.contacts)
            .folders[0] ?? '/',
        ).pathname;
      return {
        ...inst,
        setJobTitle: (ref, value) => davJobTitle(transport, ref, value),
        async sync(options = {}) {
          const connector = await createConnector(inst.settings, secrets, {
            timeoutMs: TIMEOUT_MS,
          });
          try {
            return await runSync({ db: inst.db, settings: inst.settings, connector, ...options });
          } finally {
            await connector.close();
          }
        },
        faults: {
          loseCreationAnswers(creations) {
            for (const nth of creations)
              proxy.add({ method: 'PUT', nth, fault: { kind: 'drop-after-forward' } });
          },
          async unreadable(ref) {
            const all = [...(await inst.phone.events()), ...(await inst.phone.contacts())];
            const item = all.find((i) => i.ref === ref);
            const uid = item?.uid;
            if (uid === undefined) throw new Error(`${ref} has no UID to break`);
            // One rule breaks every unreadable object (a request gets one rule's fault).
            if (broken.size === 0)
              proxy.add({
                method: 'REPORT',
                times: Infinity,
                fault: {
                  kind: 'corrupt',
                  transform: (body) => {
                    let out = body;
                    for (const [id, count] of broken) {
                      const next = breakUid(out, id);
                      if (next !== out) broken.set(id, count + 1);
                      out = next;
                    }
                    return out;
                  },
                },
              });
            broken.set(uid, 0);
            // A broken object has no subject to read: the run names it by its file name.
            return {
              label: fileName(ref),
              cause: item?.kind === 'contact' ? /not a valid vCard/ : /not valid iCalendar/,
              get hits() {
                return broken.get(uid) ?? 0;
              },
              heal: () => broken.delete(uid),
            };
          },
          beforeNextUpload(edit) {
            proxy.add({ method: 'PUT', fault: { kind: 'before', action: edit } });
          },
          async wrongPassword() {
            await secrets.set(SecretKey.serverPassword, 'spatne-heslo');
          },
          refusals: {
            refuse(agenda, nth, status) {
              const path = agenda === 'events' ? /\.ics$/ : /\.vcf$/;
              proxy.add({ method: 'PUT', path, nth, fault: { kind: 'status', status } });
            },
            uploads: (agenda) => proxy.count({ method: 'PUT', path: pathOf(agenda) }),
          },
          brokenListing(how) {
            proxy.add({
              method: 'REPORT',
              path: pathOf('events'),
              body: 'sync-collection',
              fault: { kind: how },
            });
          },
          clear() {
            proxy.clear();
            broken.clear();
          },
        },
      };
    },
  };
}

function ewsFaults(base: EwsFixture): FaultFixture {
  return {
    ...base,
    // Neither: the EWS client retries a 503, a cut answer and one that never comes, so one
    // refused upload or one broken listing never reaches its run.
    can: { refuseUploads: false, breakListings: false, checkPasswords: true },
    async installFaulty(this: FaultFixture, configure = () => {}) {
      const inst = await this.install(configure);
      const native = base.native(inst);
      const { fake } = native;
      let losing = new Set<number>();
      let created = 0;
      const hook = (): void =>
        fake.faults.onRequest((event) => {
          if (event.stage !== 'done' || event.operation !== 'CreateItem') return undefined;
          return losing.has(++created) ? 'hang-up' : undefined;
        });
      return {
        ...inst,
        async setJobTitle(ref, value) {
          native.contacts.update(ref, `<t:JobTitle>${escapeXml(value)}</t:JobTitle>`);
        },
        faults: {
          loseCreationAnswers(creations) {
            losing = new Set(creations);
            created = 0;
            hook();
          },
          async unreadable(ref) {
            const item = [native.calendar, native.contacts]
              .flatMap((f) => f.items())
              .find((i) => i.id === ref);
            if (!item) throw new Error(`the phone has no item ${ref}`);
            const before = fake.calls.filter((c) => c.responseCode === 'ErrorItemNotFound').length;
            fake.faults.itemNotFound(ref);
            // The run names an item it cannot read by what the listing says of it: an event
            // by its subject, a contact (listed without a name) by its item id.
            return {
              label: item.field('Subject') ?? `item ${ref}`,
              cause: /cannot find it/,
              get hits() {
                return (
                  fake.calls.filter((c) => c.responseCode === 'ErrorItemNotFound').length - before
                );
              },
              heal: () => fake.faults.itemNotFound(ref, 0),
            };
          },
          // The phone edits the fake in place, so the edit is done when `edit()` returns.
          beforeNextUpload(edit) {
            fake.faults.beforeNextWrite(() => void edit());
          },
          async wrongPassword() {
            await native.secrets.set(SecretKey.serverPassword, 'spatne-heslo');
          },
          clear() {
            fake.faults.onRequest(null);
            losing = new Set();
          },
        },
      };
    },
  };
}

/** Every server that can be made to fail. */
export function faultFixtures(): FaultFixture[] {
  return [
    davFaults(davFixture('radicale'), true),
    // The test Xandikos runs without authentication.
    davFaults(davFixture('xandikos'), false),
    ewsFaults(ewsFixture()),
  ];
}

/** `fn`'s tests once per fault fixture (see forEachFixture: server, installations closed). */
export function forEachFaultFixture(fn: (fixture: () => FaultFixture) => void): void {
  forEachFixture((f) => fn(() => f() as FaultFixture), faultFixtures());
}
