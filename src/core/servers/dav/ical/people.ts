/**
 * ORGANIZER and ATTENDEE <-> PersonRef / AttendeeData. Every line we write carries
 * SCHEDULE-AGENT=CLIENT (RFC 6638 7.1): a CalDAV server then never mails invitations or
 * cancellations on our behalf, which a sync must never cause.
 */
import type {
  AttendeeData,
  AttendeeResponse,
  AttendeeRole,
  PersonRef,
} from '../../../model/items.ts';
import type { ContentLine } from './content-lines.ts';
import { makeLine, paramValue, setParam, setValue } from './content-lines.ts';
import { normaliseText } from '../../text.ts';

/** The lower-case address of a cal-address line: its mailto: value, else its EMAIL param. */
export function emailOf(line: ContentLine): string | null {
  const value = line.value.trim();
  if (/^mailto:/i.test(value)) {
    // Taken as written: clients do not percent-encode addresses, and decoding would turn a
    // literal "%41" into "A".
    const address = value.slice(7).trim().toLowerCase();
    if (address !== '') return address;
  }
  const param = paramValue(line, 'EMAIL');
  return param && param.trim() !== '' ? param.trim().toLowerCase() : null;
}

function nameOf(line: ContentLine): string {
  return normaliseText(paramValue(line, 'CN') ?? '');
}

export function readPerson(line: ContentLine): PersonRef | null {
  const email = emailOf(line);
  return email ? { email, name: nameOf(line) } : null;
}

function roleOf(line: ContentLine): AttendeeRole {
  const cutype = paramValue(line, 'CUTYPE')?.toUpperCase();
  if (cutype === 'RESOURCE' || cutype === 'ROOM') return 'resource';
  const role = paramValue(line, 'ROLE')?.toUpperCase();
  if (role === 'CHAIR') return 'chair';
  if (role === 'OPT-PARTICIPANT' || role === 'NON-PARTICIPANT') return 'optional';
  return 'required';
}

function responseOf(line: ContentLine): AttendeeResponse {
  switch (paramValue(line, 'PARTSTAT')?.toUpperCase()) {
    case 'ACCEPTED':
      return 'accepted';
    case 'TENTATIVE':
      return 'tentative';
    // Delegating is not going.
    case 'DECLINED':
    case 'DELEGATED':
      return 'declined';
    default:
      return 'needs-action';
  }
}

export function readAttendee(line: ContentLine): AttendeeData | null {
  const person = readPerson(line);
  return person ? { ...person, role: roleOf(line), response: responseOf(line) } : null;
}

/** Attendees of a component: unique by address (first wins), sorted by address. */
export function readAttendees(attendeeLines: readonly ContentLine[]): AttendeeData[] {
  const byEmail = new Map<string, AttendeeData>();
  for (const line of attendeeLines) {
    const attendee = readAttendee(line);
    if (attendee && !byEmail.has(attendee.email)) byEmail.set(attendee.email, attendee);
  }
  return [...byEmail.values()].sort((a, b) => (a.email < b.email ? -1 : a.email > b.email ? 1 : 0));
}

export function clientScheduling(line: ContentLine): void {
  setParam(line, 'SCHEDULE-AGENT', ['CLIENT']);
}

function setPerson(line: ContentLine, person: PersonRef): void {
  if (emailOf(line) !== person.email || !/^mailto:/i.test(line.value.trim())) {
    setValue(line, `mailto:${person.email}`);
  }
  if (nameOf(line) !== person.name) setParam(line, 'CN', person.name === '' ? null : [person.name]);
}

/** An ORGANIZER line for the person, reusing `base` (and its parameters) when given. */
export function writeOrganizer(person: PersonRef, base: ContentLine | null): ContentLine {
  const line = base ?? makeLine('ORGANIZER', '');
  setPerson(line, person);
  clientScheduling(line);
  return line;
}

const ROLE_PARAM: Record<Exclude<AttendeeRole, 'resource'>, string> = {
  required: 'REQ-PARTICIPANT',
  optional: 'OPT-PARTICIPANT',
  chair: 'CHAIR',
};

const PARTSTAT: Record<AttendeeResponse, string> = {
  'needs-action': 'NEEDS-ACTION',
  accepted: 'ACCEPTED',
  declined: 'DECLINED',
  tentative: 'TENTATIVE',
};

/**
 * An ATTENDEE line for the attendee. With `base` (the line of the same address) only what
 * changed is rewritten: RSVP, X- and other parameters stay, and so do CUTYPE=ROOM,
 * ROLE=NON-PARTICIPANT or PARTSTAT=DELEGATED while they still mean what the model says.
 */
export function writeAttendee(attendee: AttendeeData, base: ContentLine | null): ContentLine {
  const line = base ?? makeLine('ATTENDEE', '');
  setPerson(line, attendee);
  if (roleOf(line) !== attendee.role) {
    if (attendee.role === 'resource') {
      setParam(line, 'CUTYPE', ['RESOURCE']);
      if (!paramValue(line, 'ROLE')) setParam(line, 'ROLE', ['NON-PARTICIPANT']);
    } else {
      const cutype = paramValue(line, 'CUTYPE')?.toUpperCase();
      if (cutype === 'RESOURCE' || cutype === 'ROOM') setParam(line, 'CUTYPE', null);
      if (roleOf(line) !== attendee.role) setParam(line, 'ROLE', [ROLE_PARAM[attendee.role]]);
    }
  } else if (!base) {
    setParam(line, 'ROLE', [ROLE_PARAM.required]);
  }
  if (responseOf(line) !== attendee.response || !base) {
    setParam(line, 'PARTSTAT', [PARTSTAT[attendee.response]]);
  }
  clientScheduling(line);
  return line;
}
