/**
 * One CardDAV address object (one vCard) <-> ContactData.
 *
 * New cards are vCard 3.0: the version every CardDAV client reads (iOS/macOS Contacts,
 * DAVx5, Thunderbird) and that Radicale, Xandikos and Nextcloud store as sent. A card
 * patched in place keeps its version and every property the model does not own (BDAY,
 * URL, IMPP, X-SOCIALPROFILE, extra ADRs, custom parameters, Apple's item groups).
 */
import ICAL from 'ical.js';
import { describeCause } from '../../../errors.ts';
import { codedItemError, ItemError } from '../../errors.ts';
import type {
  ContactData,
  ItemIdentity,
  PostalAddressData,
  TypedValue,
} from '../../../model/items.ts';
import type { Component, ContentLine } from '../ical/content-lines.ts';
import {
  firstLine,
  lines,
  makeLine,
  newComponent,
  paramValue,
  parseDocument,
  replaceLines,
  serialiseComponent,
  setParam,
  setValue,
} from '../ical/content-lines.ts';
import { attempt, patchCategories, patchPlain, patchText, same } from '../ical/patch.ts';
import { normaliseText } from '../../text.ts';
import { escapeText, splitUnescaped, unescapeText } from '../ical/text.ts';
import type { Names, VCardVersion } from './fields.ts';
import {
  addressOf,
  categoriesOf,
  componentsOf,
  emailType,
  emailValue,
  emailsOf,
  managedAddressLine,
  namesOf,
  organizationOf,
  phoneType,
  phoneValue,
  phonesOf,
  textOf,
  typesOf,
} from './fields.ts';
import { PhotoError, photoLine, readPhoto } from './photo.ts';

export const PRODID = '-//CRM Sync//CRM Sync//EN';

export interface ParsedVCard {
  identity: ItemIdentity;
  data: ContactData;
  modifiedAt: string | null;
}

export interface VCardRenderOptions {
  /** Version of a new card (an existing card keeps its own). Default "3.0". */
  version?: VCardVersion;
  /** The time written to REV. Default: now. */
  now?: Date;
}

function openCard(
  text: string,
  label: string,
  verb: 'read' | 'write',
): { card: Component; version: VCardVersion } {
  const fail = (cause: string, err?: unknown): ItemError =>
    new ItemError(
      `Cannot ${verb} "${label}": ${cause}.`,
      err === undefined ? undefined : { cause: err },
    );
  let cards: Component[];
  try {
    // ical.js must be able to read whatever we accept: other readers of the same card use it.
    ICAL.parse(text);
    cards = parseDocument(text).filter((c) => c.name === 'VCARD');
  } catch (err) {
    const detail = describeCause(err);
    if (verb === 'write') throw fail(`it is not a valid vCard (${detail})`, err);
    throw codedItemError(
      `Cannot read "${label}": it is not a valid vCard (${detail}).`,
      'item-malformed',
      { item: label, format: 'vCard', detail },
      { cause: err },
    );
  }
  const [card] = cards;
  if (!card) throw fail('it holds no vCard');
  if (cards.length > 1) throw fail(`it holds ${cards.length} vCards; an address object holds one`);
  const version = textOf(firstLine(card, 'VERSION')).trim() || '3.0';
  if (version !== '3.0' && version !== '4.0')
    throw fail(`vCard version ${version} is not supported`);
  return { card, version };
}

/** REV as an instant: "20260301T100000Z", "2026-03-01T10:00:00Z", with an offset, or a date. */
function readRev(card: Component): string | null {
  const text = textOf(firstLine(card, 'REV')).trim();
  const m =
    /^(\d{4})-?(\d{2})-?(\d{2})(?:T(\d{2}):?(\d{2}):?(\d{2})?(?:[.,]\d+)?(Z|[+-]\d{2}:?\d{2})?)?$/i.exec(
      text,
    );
  if (!m) return null;
  const offset = m[7] && m[7].toUpperCase() !== 'Z' ? `${m[7].slice(0, 3)}:${m[7].slice(-2)}` : 'Z';
  const ms = Date.parse(
    `${m[1]}-${m[2]}-${m[3]}T${m[4] ?? '00'}:${m[5] ?? '00'}:${m[6] ?? '00'}${offset}`,
  );
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

function identityOf(card: Component): ItemIdentity {
  const stamp = textOf(firstLine(card, 'X-CRM-SYNC-ID')).trim();
  return {
    uid: unescapeText(firstLine(card, 'UID')?.value ?? '').trim(),
    crmStamp: stamp === '' ? null : stamp,
  };
}

function contactOf(card: Component): ContactData {
  const names: Names = namesOf(card);
  return {
    kind: 'contact',
    ...names,
    organization: organizationOf(card),
    jobTitle: textOf(firstLine(card, 'TITLE')),
    emails: emailsOf(card),
    phones: phonesOf(card),
    address: addressOf(managedAddressLine(card)),
    note: textOf(firstLine(card, 'NOTE')),
    categories: categoriesOf(card),
    photo: readPhoto(firstLine(card, 'PHOTO')),
  };
}

function isGroupCard(card: Component): boolean {
  const kind =
    textOf(firstLine(card, 'KIND')) || textOf(firstLine(card, 'X-ADDRESSBOOKSERVER-KIND'));
  return kind.trim().toLowerCase() === 'group';
}

/**
 * True for a contact group (vCard 4.0 KIND:group, Apple's X-ADDRESSBOOKSERVER-KIND:group):
 * address books hold them next to people, and they are not persons to sync. The connector
 * can skip them; parseVCard refuses them with an ItemError.
 */
export function isContactGroup(text: string): boolean {
  try {
    const card = parseDocument(text).find((c) => c.name === 'VCARD');
    return card ? isGroupCard(card) : false;
  } catch {
    return false;
  }
}

/**
 * Reads one vCard. A card without UID (vCard 3.0 allows it) gets uid "": the engine pairs
 * it by its href, and the X-CRM-SYNC-ID stamped on first write re-pairs it after that.
 */
export function parseVCard(text: string, label: string): ParsedVCard {
  try {
    const { card } = openCard(text, label, 'read');
    if (isGroupCard(card)) {
      throw codedItemError(
        `Cannot read "${label}": it is a contact group, not a person.`,
        'item-contact-group',
        { item: label },
      );
    }
    if (!firstLine(card, 'FN') && !firstLine(card, 'N')) {
      throw codedItemError(
        `Cannot read "${label}": the vCard has neither FN nor N.`,
        'item-no-name',
        { item: label },
      );
    }
    return { identity: identityOf(card), data: contactOf(card), modifiedAt: readRev(card) };
  } catch (err) {
    if (err instanceof ItemError) throw err;
    const cause = err instanceof PhotoError ? err.message : describeCause(err);
    throw codedItemError(
      `Cannot read "${label}": ${cause}.`,
      'item-unreadable',
      { item: label, detail: cause },
      { cause: err },
    );
  }
}

// ---- writing ------------------------------------------------------------------------

/** "Ing. Jan Novák, Ph.D."; without names the company, an address or a number. */
function formattedName(data: ContactData): string {
  const name = [data.prefix, data.firstName, data.lastName]
    .filter((p) => p.trim() !== '')
    .join(' ');
  const full = data.suffix.trim() !== '' ? (name ? `${name}, ${data.suffix}` : data.suffix) : name;
  return full || data.organization || data.emails[0]?.value || data.phones[0]?.value || '';
}

/** Sets the given components of a structured value, keeping the others (and extra ones). */
function setComponents(line: ContentLine, count: number, values: Record<number, string>): void {
  const raw = line.value === '' ? [] : splitUnescaped(line.value, ';');
  while (raw.length < count) raw.push('');
  for (const [index, value] of Object.entries(values))
    raw[Number(index)] = escapeText(normaliseText(value));
  setValue(line, raw.join(';'));
}

function patchNames(card: Component, data: ContactData): void {
  const current = attempt(() => namesOf(card));
  const wanted: Names = {
    firstName: normaliseText(data.firstName),
    lastName: normaliseText(data.lastName),
    prefix: normaliseText(data.prefix),
    suffix: normaliseText(data.suffix),
  };
  const fn = firstLine(card, 'FN');
  const namesSame =
    current !== null &&
    current.firstName === wanted.firstName &&
    current.lastName === wanted.lastName &&
    current.prefix === wanted.prefix &&
    current.suffix === wanted.suffix;
  if (!namesSame) {
    const n = firstLine(card, 'N') ?? makeLine('N', '');
    setComponents(n, 5, {
      0: wanted.lastName,
      1: wanted.firstName,
      3: wanted.prefix,
      4: wanted.suffix,
    });
    replaceLines(card, 'N', n);
  }
  // A company card's FN is the company name: it follows a renamed company.
  const oldOrganization = organizationOf(card);
  const companyRenamed =
    fn !== null &&
    textOf(fn) === oldOrganization &&
    oldOrganization !== normaliseText(data.organization) &&
    Object.values(wanted).every((v) => v === '');
  if (fn && namesSame && !companyRenamed) return;
  const next = fn ?? makeLine('FN', '');
  setValue(next, escapeText(normaliseText(formattedName(data))));
  replaceLines(card, 'FN', next);
}

function patchOrganization(card: Component, organization: string): void {
  const wanted = normaliseText(organization);
  if (organizationOf(card) === wanted) return;
  const line = firstLine(card, 'ORG');
  if (
    wanted === '' &&
    (!line ||
      componentsOf(line)
        .slice(1)
        .every((c) => c === ''))
  ) {
    replaceLines(card, 'ORG', null);
    return;
  }
  const next = line ?? makeLine('ORG', '');
  setComponents(next, 1, { 0: wanted });
  replaceLines(card, 'ORG', next);
}

const EMAIL_TYPES = new Set(['work', 'home', 'other', 'pref']);
const PHONE_TYPES = new Set([
  'work',
  'home',
  'other',
  'pref',
  'cell',
  'mobile',
  'iphone',
  'fax',
  'voice',
  'main',
]);

function typeValues(kind: 'EMAIL' | 'TEL', type: string, version: VCardVersion): string[] {
  const values: Record<string, string[]> =
    kind === 'EMAIL'
      ? { work: ['work'], home: ['home'], other: [] }
      : {
          work: ['work', 'voice'],
          home: ['home', 'voice'],
          mobile: ['cell'],
          fax: ['fax'],
          other: ['voice'],
        };
  const list = values[type] ?? (kind === 'EMAIL' ? [] : ['voice']);
  return version === '3.0' ? list.map((v) => v.toUpperCase()) : list;
}

/**
 * Rewrites the EMAIL or TEL lines when the list differs: the line of the same value keeps
 * its parameters and group; managed TYPE values are set anew; the first of several is
 * marked preferred; the list sits where the first old line stood.
 */
function patchList(
  card: Component,
  kind: 'EMAIL' | 'TEL',
  wanted: readonly TypedValue[],
  version: VCardVersion,
): void {
  const read = kind === 'EMAIL' ? emailsOf : phonesOf;
  if (same(read(card), wanted)) return;
  const valueOf = kind === 'EMAIL' ? emailValue : phoneValue;
  const typeOf = kind === 'EMAIL' ? emailType : phoneType;
  const managed = kind === 'EMAIL' ? EMAIL_TYPES : PHONE_TYPES;
  const old = lines(card, kind);
  const used = new Set<ContentLine>();
  const written = wanted.map((item, index) => {
    const base = old.find((l) => !used.has(l) && valueOf(l) === item.value);
    const line = base ?? makeLine(kind, '');
    if (base) used.add(base);
    if (!base || valueOf(line) !== item.value) {
      setValue(line, escapeText(item.value));
      setParam(line, 'VALUE', null);
    }
    const preferred = index === 0 && wanted.length > 1;
    const isPreferred =
      base !== undefined && (typesOf(line).includes('pref') || paramValue(line, 'PREF') !== null);
    if (!base || typeOf(card, line) !== item.type || isPreferred !== preferred) {
      // An Apple label saying otherwise would win over TYPE on the next read: drop the group.
      if (line.group) {
        line.group = null;
        line.source = null;
      }
      const kept = typesOf(line).filter((t) => !managed.has(t));
      const spelled = kept.map((t) => (version === '3.0' ? t.toUpperCase() : t));
      const internet =
        kind === 'EMAIL' && version === '3.0' && !kept.includes('internet') ? ['INTERNET'] : [];
      const types = [...internet, ...spelled, ...typeValues(kind, item.type, version)];
      if (preferred && version === '3.0') types.push('PREF');
      setParam(line, 'TYPE', types.length > 0 ? types : null);
      setParam(line, 'PREF', preferred && version === '4.0' ? ['1'] : null);
    }
    return line;
  });
  const at = card.items.findIndex((item) => item.kind === 'line' && item.name === kind);
  card.items = card.items.filter((item) => !(item.kind === 'line' && item.name === kind));
  if (at >= 0) card.items.splice(Math.min(at, card.items.length), 0, ...written);
  else {
    let end = card.items.length;
    while (end > 0 && card.items[end - 1]?.kind === 'component') end--;
    card.items.splice(end, 0, ...written);
  }
}

function patchAddress(
  card: Component,
  address: PostalAddressData | null,
  version: VCardVersion,
): void {
  const wanted =
    address && Object.values(address).some((v) => normaliseText(v) !== '')
      ? {
          street: normaliseText(address.street),
          city: normaliseText(address.city),
          region: normaliseText(address.region),
          postalCode: normaliseText(address.postalCode),
          country: normaliseText(address.country),
        }
      : null;
  const line = managedAddressLine(card);
  if (same(addressOf(line), wanted)) return;
  if (!wanted) {
    card.items = card.items.filter((item) => item !== line);
    return;
  }
  const next = line ?? makeLine('ADR', '', [['TYPE', [version === '3.0' ? 'WORK' : 'work']]]);
  setComponents(next, 7, {
    2: wanted.street,
    3: wanted.city,
    4: wanted.region,
    5: wanted.postalCode,
    6: wanted.country,
  });
  // A formatted label of the old address would now be wrong.
  setParam(next, 'LABEL', null);
  if (line) card.items = card.items.map((item) => (item === line ? next : item));
  else replaceLines(card, 'ADR', next);
}

function readsBroken(line: ContentLine): boolean {
  try {
    readPhoto(line);
    return false;
  } catch {
    return true;
  }
}

/** The first PHOTO: replaced when it differs; a URL photo (read as none) stays unless one is set. */
function patchPhoto(card: Component, photo: ContactData['photo'], version: VCardVersion): void {
  const line = firstLine(card, 'PHOTO');
  const broken = line !== null && readsBroken(line);
  const current = line && !broken ? readPhoto(line) : null;
  if (!broken && same(current, photo)) return;
  const next = photo === null ? null : photoLine(photo, version);
  if (line)
    card.items = card.items.flatMap((item) => (item === line ? (next ? [next] : []) : [item]));
  else if (next) replaceLines(card, 'PHOTO', next);
}

/** Groups ("item1") holding a property other than Apple's X-AB* labels. */
function liveGroups(card: Component): Set<string> {
  const live = new Set<string>();
  for (const line of lines(card)) {
    if (line.group && !line.name.startsWith('X-AB')) live.add(line.group.toLowerCase());
  }
  return live;
}

/**
 * A group whose property this patch removed loses its X-AB* label lines too; a label that
 * stood alone before is not ours to judge and stays.
 */
function dropOrphanedLabels(card: Component, liveBefore: ReadonlySet<string>): void {
  const live = liveGroups(card);
  card.items = card.items.filter(
    (item) =>
      item.kind !== 'line' ||
      !item.group ||
      !item.name.startsWith('X-AB') ||
      live.has(item.group.toLowerCase()) ||
      !liveBefore.has(item.group.toLowerCase()),
  );
}

/**
 * REV in the basic form ("20260401T060000Z") for 3.0 and 4.0 (RFC 6350's timestamp): a
 * server was met that rewrites every 3.0 card carrying the extended form. Both are read.
 */
function revValue(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19).replace(/[-:]/g, '')}Z`;
}

/**
 * Writes a contact as a vCard: a new 3.0 card (or `options.version`), or `existing` (the
 * server's text) patched in place.
 */
export function renderVCard(
  data: ContactData,
  identity: ItemIdentity,
  existing?: string,
  options?: VCardRenderOptions,
): string {
  const label = formattedName(data).trim() || identity.uid || 'unnamed contact';
  try {
    const nowMs = Math.floor((options?.now ?? new Date()).getTime() / 1000) * 1000;
    let card: Component;
    let version: VCardVersion;
    if (existing === undefined) {
      if (identity.uid === '')
        throw new ItemError(`Cannot write "${label}": a new vCard needs a UID.`);
      version = options?.version ?? '3.0';
      card = newComponent('VCARD', [
        makeLine('VERSION', version),
        makeLine('PRODID', PRODID),
        makeLine('UID', escapeText(identity.uid)),
      ]);
    } else {
      ({ card, version } = openCard(existing, label, 'write'));
    }
    const wanted: ContactData = {
      ...data,
      emails: data.emails.map((e) => ({ value: e.value.trim().toLowerCase(), type: e.type })),
      phones: data.phones.map((p) => ({ value: p.value.trim(), type: p.type })),
    };
    const groupsBefore = liveGroups(card);
    patchNames(card, wanted);
    patchOrganization(card, wanted.organization);
    patchText(card, 'TITLE', wanted.jobTitle);
    patchList(card, 'EMAIL', wanted.emails, version);
    patchList(card, 'TEL', wanted.phones, version);
    patchAddress(card, wanted.address, version);
    patchText(card, 'NOTE', wanted.note);
    patchCategories(card, wanted.categories);
    patchPhoto(card, wanted.photo, version);
    if (identity.uid !== '') patchPlain(card, 'UID', identity.uid);
    patchPlain(card, 'X-CRM-SYNC-ID', identity.crmStamp);
    replaceLines(card, 'REV', makeLine('REV', revValue(nowMs)));
    dropOrphanedLabels(card, groupsBefore);
    return serialiseComponent(card);
  } catch (err) {
    if (err instanceof ItemError) throw err;
    throw new ItemError(`Cannot write "${label}": ${describeCause(err)}.`, { cause: err });
  }
}
