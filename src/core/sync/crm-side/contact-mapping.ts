/**
 * CRM persons <-> the model's ContactData. The first linked company is the contact's
 * organization; the other links, the owner, the classification node and the labels of
 * addresses and numbers are CRM-only and kept by the write side.
 */
import type {
  EmailKind,
  NewPerson,
  Person,
  PersonEmail,
  PersonPhone,
  PhoneKind,
} from '../../crm/types.ts';
import type { ContactData, TypedValue } from '../../model/items.ts';
import { compareText, fromText, isStorableEmail, phoneKey } from './text.ts';
import type { CrmWriteNote } from './types.ts';
import { note } from './types.ts';

export function toContactData(
  person: Person,
  organization: string | null,
  categoryNames: readonly string[],
): ContactData {
  const seen = new Set<string>();
  const emails: TypedValue[] = [];
  for (const e of person.emails) {
    const value = e.email.trim().toLowerCase();
    if (seen.has(value)) continue;
    seen.add(value);
    emails.push({ value, type: e.kind });
  }
  const address = [person.street, person.city, person.postalCode, person.region, person.country];
  return {
    kind: 'contact',
    firstName: person.firstName,
    lastName: person.lastName,
    prefix: person.title ?? '',
    suffix: person.titleAfter ?? '',
    organization: organization ?? '',
    jobTitle: person.jobTitle ?? '',
    emails,
    phones: person.phones.map((p) => ({ value: p.number, type: p.kind })),
    address: address.every((part) => part === null || part === '')
      ? null
      : {
          street: person.street ?? '',
          city: person.city ?? '',
          postalCode: person.postalCode ?? '',
          region: person.region ?? '',
          country: person.country ?? '',
        },
    note: person.note ?? '',
    categories: [...new Set(categoryNames)].sort(compareText),
    photo:
      person.photo && person.photo.length > 0
        ? {
            mediaType: person.photoType ?? sniffImageType(person.photo),
            base64: person.photo.toString('base64'),
          }
        : null,
  };
}

/** The media type of a photo stored without one, from its first bytes. */
export function sniffImageType(bytes: Buffer): string {
  if (bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e) return 'image/png';
  if (bytes[0] === 0x47 && bytes[1] === 0x49 && bytes[2] === 0x46) return 'image/gif';
  if (bytes.subarray(8, 12).toString('latin1') === 'WEBP') return 'image/webp';
  return 'image/jpeg';
}

const EMAIL_KINDS: readonly string[] = ['work', 'home', 'other'];
const PHONE_KINDS: readonly string[] = ['work', 'mobile', 'home', 'fax', 'other'];

function emailKind(type: string): EmailKind {
  const t = type.toLowerCase();
  return (EMAIL_KINDS.includes(t) ? t : 'other') as EmailKind;
}

function phoneKind(type: string): PhoneKind {
  const t = type.toLowerCase();
  if (t === 'cell') return 'mobile';
  return (PHONE_KINDS.includes(t) ? t : 'other') as PhoneKind;
}

/**
 * The server's list replaces the CRM's, but an address the CRM already has keeps the CRM's
 * spelling, kind and label (servers such as Exchange have no kinds for e-mails, so theirs
 * would overwrite real information with a guess). With a limit, CRM entries past it were
 * never on the server and stay, after the server's ones.
 */
export function mergeEmails(
  current: readonly PersonEmail[],
  incoming: readonly TypedValue[],
  limit: number | undefined,
  notes: CrmWriteNote[],
): PersonEmail[] {
  const byKey = new Map(current.map((e) => [e.email.toLowerCase(), e]));
  const out: PersonEmail[] = [];
  const taken = new Set<string>();
  for (const v of incoming) {
    const value = v.value.trim();
    const key = value.toLowerCase();
    if (!isStorableEmail(value)) {
      notes.push(
        note('invalid-address-skipped', `"${value}" is not an e-mail address; skipped.`, {
          email: value,
        }),
      );
      continue;
    }
    if (taken.has(key)) continue;
    taken.add(key);
    const known = byKey.get(key);
    out.push(known ? { ...known } : { email: value, kind: emailKind(v.type), label: null });
  }
  if (limit !== undefined) {
    for (const e of current.slice(Math.max(0, limit))) {
      const key = e.email.toLowerCase();
      if (!taken.has(key)) {
        taken.add(key);
        out.push({ ...e });
      }
    }
  }
  return out;
}

/** As mergeEmails, numbers compared by their digits ("+420 725 656 565" = "+420725656565"). */
export function mergePhones(
  current: readonly PersonPhone[],
  incoming: readonly TypedValue[],
  limit: number | undefined,
): PersonPhone[] {
  const unused = [...current];
  const out: PersonPhone[] = [];
  for (const v of incoming) {
    const value = v.value.trim();
    if (value === '') continue;
    const i = unused.findIndex((p) => phoneKey(p.number) === phoneKey(value));
    if (i >= 0) {
      out.push({ ...unused[i]! });
      unused.splice(i, 1);
    } else {
      out.push({ number: value, kind: phoneKind(v.type), label: null });
    }
  }
  if (limit !== undefined) {
    const kept = new Set(out.map((p) => phoneKey(p.number)));
    for (const p of current.slice(Math.max(0, limit))) {
      if (!kept.has(phoneKey(p.number))) out.push({ ...p });
    }
  }
  return out;
}

/**
 * The person columns and e-mail/phone lists ContactData determines. Companies and categories
 * are not here: they need the database (see person-write.ts).
 */
export function personFieldsFromData(
  data: ContactData,
  existing: Person | undefined,
  limits: { emails?: number; phones?: number } | undefined,
  notes: CrmWriteNote[],
): Partial<NewPerson> {
  const emails = mergeEmails(existing?.emails ?? [], data.emails, limits?.emails, notes);
  let firstName = data.firstName.trim();
  let lastName = data.lastName.trim();
  if (firstName === '' && lastName === '') {
    // The schema needs a name; a server contact may have only a company or an address.
    lastName = data.organization.trim() || emails[0]?.email || 'Unnamed contact';
    firstName = '';
    notes.push(
      note('name-missing', `The contact has no name; saved as "${lastName}".`, { name: lastName }),
    );
  }
  const a = data.address;
  return {
    firstName,
    lastName,
    title: fromText(data.prefix, existing?.title),
    titleAfter: fromText(data.suffix, existing?.titleAfter),
    jobTitle: fromText(data.jobTitle, existing?.jobTitle),
    street: fromText(a?.street ?? '', existing?.street),
    city: fromText(a?.city ?? '', existing?.city),
    postalCode: fromText(a?.postalCode ?? '', existing?.postalCode),
    region: fromText(a?.region ?? '', existing?.region),
    country: fromText(a?.country ?? '', existing?.country),
    note: fromText(data.note, existing?.note),
    emails,
    phones: mergePhones(existing?.phones ?? [], data.phones, limits?.phones),
    photo: data.photo ? Buffer.from(data.photo.base64, 'base64') : null,
    photoType: data.photo ? data.photo.mediaType : null,
  };
}
