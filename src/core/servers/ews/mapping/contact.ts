/**
 * Contact <-> ContactData. Exchange has three e-mail slots without kinds and phone slots by
 * kind (two work, two home, one mobile, three fax, one "other" plus special ones); the
 * model's kinds and order are kept in the hints property and used while the slots still
 * hold what that list would put there. The address is the Business one, else Home (written
 * back where it was read). Prefix/suffix are MAPI properties (EWS has no writable title or
 * suffix). The photo is not mapped: null on read, left alone on write. New contacts get a
 * DisplayName ("Ing. Jan Novák, Ph.D.") and FileAs ("Novák, Jan").
 */
import {
  BodyType,
  Contact,
  ContactSchema,
  EmailAddress,
  EmailAddressKey,
  ItemSchema,
  MessageBody,
  PhoneNumberKey,
  PhysicalAddressEntry,
  PhysicalAddressKey,
  StringList,
} from 'ews-javascript-api';
import type {
  DateTime,
  EmailAddressDictionary,
  ExchangeService,
  MessageBody as Body,
  PhoneNumberDictionary,
  PhysicalAddressDictionary,
} from 'ews-javascript-api';
import type {
  ContactData,
  ItemIdentity,
  PostalAddressData,
  TypedValue,
} from '../../../model/items.ts';
import { readHints, writeHints } from './hints.ts';
import { readStamp, readUid, writeStamp, writeUid } from './identity.ts';
import { prefixProperty, suffixProperty } from './properties.ts';
import type { ReadResult } from './read-result.ts';
import {
  categoriesOf,
  isoOf,
  loaded,
  outParam,
  same,
  sameList,
  text,
  textOrNull,
} from './values.ts';
import type { ExtendedPropertyDefinition, Item } from 'ews-javascript-api';

const EMAIL_KEYS = [
  EmailAddressKey.EmailAddress1,
  EmailAddressKey.EmailAddress2,
  EmailAddressKey.EmailAddress3,
];

/** Phone slots in reading order, with the model's kind of each. */
const PHONE_SLOTS: readonly { key: PhoneNumberKey; type: string }[] = [
  { key: PhoneNumberKey.BusinessPhone, type: 'work' },
  { key: PhoneNumberKey.BusinessPhone2, type: 'work' },
  { key: PhoneNumberKey.MobilePhone, type: 'mobile' },
  { key: PhoneNumberKey.HomePhone, type: 'home' },
  { key: PhoneNumberKey.HomePhone2, type: 'home' },
  { key: PhoneNumberKey.BusinessFax, type: 'fax' },
  { key: PhoneNumberKey.HomeFax, type: 'fax' },
  { key: PhoneNumberKey.OtherFax, type: 'fax' },
  { key: PhoneNumberKey.OtherTelephone, type: 'other' },
  { key: PhoneNumberKey.CompanyMainPhone, type: 'work' },
  { key: PhoneNumberKey.PrimaryPhone, type: 'other' },
  { key: PhoneNumberKey.CarPhone, type: 'mobile' },
  { key: PhoneNumberKey.RadioPhone, type: 'other' },
  { key: PhoneNumberKey.Pager, type: 'other' },
  { key: PhoneNumberKey.AssistantPhone, type: 'other' },
  { key: PhoneNumberKey.Callback, type: 'other' },
  { key: PhoneNumberKey.Isdn, type: 'other' },
  { key: PhoneNumberKey.Telex, type: 'other' },
  { key: PhoneNumberKey.TtyTddPhone, type: 'other' },
];

/** Where the model's phones go: per kind its slots in order, the rest to "other". */
const WRITE_SLOTS: Record<string, PhoneNumberKey[]> = {
  work: [PhoneNumberKey.BusinessPhone, PhoneNumberKey.BusinessPhone2],
  home: [PhoneNumberKey.HomePhone, PhoneNumberKey.HomePhone2],
  mobile: [PhoneNumberKey.MobilePhone],
  fax: [PhoneNumberKey.BusinessFax, PhoneNumberKey.HomeFax, PhoneNumberKey.OtherFax],
  other: [PhoneNumberKey.OtherTelephone, PhoneNumberKey.PrimaryPhone],
};

function readExtended(item: Item, definition: ExtendedPropertyDefinition): string {
  const out = outParam<string>();
  try {
    return item.ExtendedProperties.TryGetValue<string>(definition, out)
      ? text(String(out.outValue ?? ''))
      : '';
  } catch {
    return '';
  }
}

function writeExtended(
  item: Item,
  definition: ExtendedPropertyDefinition,
  value: string,
  isNew: boolean,
): void {
  if (value === '') {
    if (!isNew && readExtended(item, definition) !== '') item.RemoveExtendedProperty(definition);
  } else {
    item.SetExtendedProperty(definition, value);
  }
}

// ---- slots --------------------------------------------------------------------------------

type Slots = Map<number, string>;

/** E-mails in slot order (their order is their preference), past `reserved` slots. */
function emailSlotsOf(emails: readonly TypedValue[], reserved: ReadonlySet<number>): Slots {
  const slots: Slots = new Map();
  const free = EMAIL_KEYS.filter((k) => !reserved.has(k));
  emails.slice(0, free.length).forEach((e, i) => {
    const key = free[i];
    if (key !== undefined) slots.set(key, e.value.trim().toLowerCase());
  });
  return slots;
}

/**
 * Phones in slots of their kind. A number already in a slot of its kind stays there (so an
 * edit does not shuffle the others); the rest take the kind's free slots in order, then the
 * free "other" ones; past those a number is not stored.
 */
function phoneSlotsOf(phones: readonly TypedValue[], current: Slots): Slots {
  const slots: Slots = new Map();
  const typeOf = new Map(PHONE_SLOTS.map(({ key, type }) => [key, type]));
  const rest: TypedValue[] = [];
  for (const phone of phones) {
    const value = phone.value.trim();
    const kept = [...current].find(
      ([key, v]) => v === value && typeOf.get(key) === phone.type && !slots.has(key),
    );
    if (kept) slots.set(kept[0], value);
    else rest.push(phone);
  }
  const overflow: TypedValue[] = [];
  for (const phone of rest) {
    const keys = WRITE_SLOTS[phone.type] ?? WRITE_SLOTS.other ?? [];
    const key = keys.find((k) => !slots.has(k));
    if (key === undefined) overflow.push(phone);
    else slots.set(key, phone.value.trim());
  }
  for (const phone of overflow) {
    const key = (WRITE_SLOTS.other ?? []).find((k) => !slots.has(k));
    if (key !== undefined) slots.set(key, phone.value.trim());
  }
  return slots;
}

function sameSlots(a: Slots, b: Slots): boolean {
  return a.size === b.size && [...a].every(([k, v]) => b.get(k) === v);
}

interface EmailSlots {
  slots: Slots;
  /** Slots holding what is no e-mail address (Exchange's "EX" addresses): left alone. */
  foreign: Set<number>;
}

function serverEmailSlots(dict: EmailAddressDictionary | null): EmailSlots {
  const slots: Slots = new Map();
  const foreign = new Set<number>();
  if (!dict) return { slots, foreign };
  for (const key of EMAIL_KEYS) {
    const out = outParam<EmailAddress>();
    if (dict.TryGetValue(key, out) && out.outValue) {
      const address = (out.outValue.Address ?? '').trim().toLowerCase();
      if (address.includes('@')) slots.set(key, address);
      else if (address !== '') foreign.add(key);
    }
  }
  return { slots, foreign };
}

function serverPhoneSlots(dict: PhoneNumberDictionary | null): Slots {
  const slots: Slots = new Map();
  if (!dict) return slots;
  for (const { key } of PHONE_SLOTS) {
    const out = outParam<string>();
    if (dict.TryGetValue(key, out) && out.outValue) {
      const value = text(out.outValue).trim();
      if (value !== '') slots.set(key, value);
    }
  }
  return slots;
}

function emailsOf(server: EmailSlots, hint: TypedValue[] | undefined): TypedValue[] {
  const { slots, foreign } = server;
  if (hint && hint.length === slots.size && sameSlots(emailSlotsOf(hint, foreign), slots))
    return hint;
  const seen = new Set<string>();
  const out: TypedValue[] = [];
  for (const key of EMAIL_KEYS) {
    const value = slots.get(key);
    if (value === undefined || seen.has(value)) continue;
    seen.add(value);
    out.push({ value, type: 'other' });
  }
  return out;
}

function phonesOf(slots: Slots, hint: TypedValue[] | undefined): TypedValue[] {
  if (hint && hint.length === slots.size && sameSlots(phoneSlotsOf(hint, slots), slots))
    return hint;
  return PHONE_SLOTS.filter(({ key }) => slots.has(key)).map(({ key, type }) => ({
    value: slots.get(key) ?? '',
    type,
  }));
}

// ---- address ------------------------------------------------------------------------------

function entryOf(
  dict: PhysicalAddressDictionary | null,
  key: PhysicalAddressKey,
): PostalAddressData | null {
  if (!dict) return null;
  const out = outParam<PhysicalAddressEntry>();
  if (!dict.TryGetValue(key, out) || !out.outValue) return null;
  const e = out.outValue;
  const address: PostalAddressData = {
    street: text(e.Street),
    city: text(e.City),
    postalCode: text(e.PostalCode),
    region: text(e.State),
    country: text(e.CountryOrRegion),
  };
  return Object.values(address).some((v) => v !== '') ? address : null;
}

/** The slot the model's address lives in: Business, else Home when only it has one. */
function addressKey(dict: PhysicalAddressDictionary | null): PhysicalAddressKey {
  if (entryOf(dict, PhysicalAddressKey.Business)) return PhysicalAddressKey.Business;
  if (entryOf(dict, PhysicalAddressKey.Home)) return PhysicalAddressKey.Home;
  return PhysicalAddressKey.Business;
}

const ADDRESS_FIELDS: readonly [
  keyof PostalAddressData,
  'Street' | 'City' | 'PostalCode' | 'State' | 'CountryOrRegion',
][] = [
  ['street', 'Street'],
  ['city', 'City'],
  ['postalCode', 'PostalCode'],
  ['region', 'State'],
  ['country', 'CountryOrRegion'],
];

function writeAddress(
  item: Contact,
  address: PostalAddressData | null,
  key: PhysicalAddressKey,
): void {
  const dict = item.PhysicalAddresses;
  const out = outParam<PhysicalAddressEntry>();
  const existing = dict.TryGetValue(key, out) ? out.outValue : null;
  if (!address) {
    if (existing) dict._setItem(key, null as unknown as PhysicalAddressEntry);
    return;
  }
  if (!existing) {
    const entry = new PhysicalAddressEntry();
    for (const [field, name] of ADDRESS_FIELDS)
      if (address[field] !== '') entry[name] = address[field];
    dict._setItem(key, entry);
    return;
  }
  // Field by field on the loaded entry, so the update sets or deletes just those fields.
  let changed = false;
  for (const [field, name] of ADDRESS_FIELDS) {
    if (text(existing[name]) === address[field]) continue;
    existing[name] = (address[field] === '' ? null : address[field]) as string;
    changed = true;
  }
  // The library does not pass an entry's field changes on to its dictionary (its
  // SimplePropertyBag.Changed is disabled), so the update would leave them out: tell it.
  if (changed)
    (dict as unknown as { EntryChanged(entry: PhysicalAddressEntry): void }).EntryChanged(existing);
}

// ---- reading ------------------------------------------------------------------------------

export function readContact(item: Contact): ReadResult {
  const hints = readHints(item);
  const addresses = loaded<PhysicalAddressDictionary>(item, ContactSchema.PhysicalAddresses);
  const data: ContactData = {
    kind: 'contact',
    firstName: text(loaded<string>(item, ContactSchema.GivenName)),
    lastName: text(loaded<string>(item, ContactSchema.Surname)),
    prefix: readExtended(item, prefixProperty),
    suffix: readExtended(item, suffixProperty),
    organization: text(loaded<string>(item, ContactSchema.CompanyName)),
    jobTitle: text(loaded<string>(item, ContactSchema.JobTitle)),
    emails: emailsOf(
      serverEmailSlots(loaded<EmailAddressDictionary>(item, ContactSchema.EmailAddresses)),
      hints.emails,
    ),
    phones: phonesOf(
      serverPhoneSlots(loaded<PhoneNumberDictionary>(item, ContactSchema.PhoneNumbers)),
      hints.phones,
    ),
    address: entryOf(addresses, addressKey(addresses)),
    note: text(loaded<Body>(item, ItemSchema.Body)?.Text),
    categories: categoriesOf(loaded<StringList>(item, ItemSchema.Categories)),
    photo: null,
  };
  const modified = loaded<DateTime>(item, ItemSchema.LastModifiedTime);
  return {
    identity: { uid: readUid(item), crmStamp: readStamp(item) },
    data,
    modifiedAt: modified ? isoOf(modified) : null,
  };
}

// ---- writing ------------------------------------------------------------------------------

/** "Ing. Jan Novák, Ph.D."; without names the company, else the first e-mail or phone. */
export function displayNameOf(data: ContactData): string {
  const name = [data.prefix, data.firstName, data.lastName]
    .filter((p) => p.trim() !== '')
    .join(' ');
  const full = data.suffix.trim() !== '' ? (name ? `${name}, ${data.suffix}` : data.suffix) : name;
  return full || data.organization || data.emails[0]?.value || data.phones[0]?.value || '';
}

/** "Novák, Jan" as Outlook files people; the company or display name otherwise. */
export function fileAsOf(data: ContactData): string {
  const last = data.lastName.trim();
  const first = data.firstName.trim();
  if (last && first) return `${last}, ${first}`;
  return last || first || data.organization || displayNameOf(data);
}

function writeEmails(item: Contact, wanted: Slots, before: Slots): void {
  for (const key of EMAIL_KEYS) {
    const value = wanted.get(key);
    if (value === before.get(key)) continue;
    item.EmailAddresses._setItem(
      key,
      (value === undefined ? null : new EmailAddress(value)) as EmailAddress,
    );
  }
}

function writePhones(item: Contact, wanted: Slots, before: Slots): void {
  for (const { key } of PHONE_SLOTS) {
    const value = wanted.get(key);
    if (value === before.get(key)) continue;
    item.PhoneNumbers._setItem(key, (value ?? null) as string);
  }
}

export function newContact(
  service: ExchangeService,
  data: ContactData,
  identity: ItemIdentity,
): Contact {
  const item = new Contact(service);
  if (data.firstName) item.GivenName = data.firstName;
  if (data.lastName) item.Surname = data.lastName;
  if (data.organization) item.CompanyName = data.organization;
  if (data.jobTitle) item.JobTitle = data.jobTitle;
  writeExtended(item, prefixProperty, data.prefix, true);
  writeExtended(item, suffixProperty, data.suffix, true);
  if (displayNameOf(data)) item.DisplayName = displayNameOf(data);
  if (fileAsOf(data)) item.FileAs = fileAsOf(data);
  writeEmails(item, emailSlotsOf(data.emails, new Set()), new Map());
  writePhones(item, phoneSlotsOf(data.phones, new Map()), new Map());
  if (data.address) writeAddress(item, data.address, PhysicalAddressKey.Business);
  if (data.note) item.Body = new MessageBody(BodyType.Text, data.note);
  item.Categories = new StringList([...data.categories]);
  writeHints(item, { emails: data.emails, phones: data.phones }, true);
  writeUid(item, identity.uid, true);
  writeStamp(item, identity.crmStamp, true);
  return item;
}

export function updateContact(
  item: Contact,
  data: ContactData,
  identity: ItemIdentity,
  current: ContactData,
): void {
  if (data.firstName !== current.firstName) item.GivenName = textOrNull(data.firstName);
  if (data.lastName !== current.lastName) item.Surname = textOrNull(data.lastName);
  if (data.organization !== current.organization) item.CompanyName = textOrNull(data.organization);
  if (data.jobTitle !== current.jobTitle) item.JobTitle = textOrNull(data.jobTitle);
  if (data.prefix !== current.prefix) writeExtended(item, prefixProperty, data.prefix, false);
  if (data.suffix !== current.suffix) writeExtended(item, suffixProperty, data.suffix, false);
  const nameBefore = displayNameOf(current);
  const nameAfter = displayNameOf(data);
  if (nameAfter !== nameBefore) {
    // Only names we would have given: one the user chose in Outlook stays.
    if (text(loaded<string>(item, ContactSchema.DisplayName)) === nameBefore)
      item.DisplayName = textOrNull(nameAfter);
    if (text(loaded<string>(item, ContactSchema.FileAs)) === fileAsOf(current))
      item.FileAs = textOrNull(fileAsOf(data));
  }
  if (!same(data.emails, current.emails)) {
    const server = serverEmailSlots(
      loaded<EmailAddressDictionary>(item, ContactSchema.EmailAddresses),
    );
    writeEmails(item, emailSlotsOf(data.emails, server.foreign), server.slots);
  }
  if (!same(data.phones, current.phones)) {
    const server = serverPhoneSlots(
      loaded<PhoneNumberDictionary>(item, ContactSchema.PhoneNumbers),
    );
    writePhones(item, phoneSlotsOf(data.phones, server), server);
  }
  if (!same(data.emails, current.emails) || !same(data.phones, current.phones)) {
    writeHints(item, { emails: data.emails, phones: data.phones }, false);
  }
  if (!same(data.address, current.address)) {
    writeAddress(
      item,
      data.address,
      addressKey(loaded<PhysicalAddressDictionary>(item, ContactSchema.PhysicalAddresses)),
    );
  }
  if (data.note !== current.note) item.Body = new MessageBody(BodyType.Text, data.note);
  if (!sameList(data.categories, current.categories))
    item.Categories = new StringList([...data.categories]);
  writeUid(item, identity.uid, false);
  writeStamp(item, identity.crmStamp, false);
}
