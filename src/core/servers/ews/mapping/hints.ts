/**
 * The hints extended property (see CRM_HINTS_PROPERTY): what Exchange cannot hold, kept as
 * JSON next to the item. A reader uses a hint only while it agrees with the item.
 */
import type { Item } from 'ews-javascript-api';
import type { AttendeeResponse, PersonRef, TypedValue } from '../../../model/items.ts';
import { outParam } from './values.ts';
import { hintsProperty } from './properties.ts';

export interface Hints {
  /** IANA zones of an event's start and end (Exchange keeps Windows zones). */
  startZone?: string | null;
  endZone?: string | null;
  /** An event's RRULE as the CRM wrote it (Exchange keeps a pattern). */
  rrule?: string | null;
  /** E-mails and phones as the model listed them (kinds and order). */
  emails?: TypedValue[];
  phones?: TypedValue[];
  /**
   * An event's organizer as the CRM wrote it (Exchange's is always the mailbox owner), and
   * the attendees' responses it wrote (Exchange keeps only replies it received).
   */
  organizer?: PersonRef | null;
  responses?: Record<string, AttendeeResponse>;
  /** A task's completion instant (Exchange keeps the day). */
  completedAt?: string | null;
}

const RESPONSES: readonly AttendeeResponse[] = [
  'needs-action',
  'accepted',
  'declined',
  'tentative',
];

function typedValues(value: unknown): TypedValue[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const out: TypedValue[] = [];
  for (const v of value as unknown[]) {
    if (!v || typeof v !== 'object') return undefined;
    const { value: text, type } = v as Record<string, unknown>;
    if (typeof text !== 'string' || typeof type !== 'string') return undefined;
    out.push({ value: text, type });
  }
  return out;
}

function stringOrNull(value: unknown): string | null | undefined {
  return typeof value === 'string' || value === null ? value : undefined;
}

/** The hints on an item; {} when absent or unreadable (a hint is never needed). */
export function readHints(item: Item): Hints {
  const out = outParam<string>();
  let raw: string | null = null;
  try {
    if (item.ExtendedProperties.TryGetValue<string>(hintsProperty, out)) raw = out.outValue;
  } catch {
    return {};
  }
  if (!raw) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return {};
  }
  if (!parsed || typeof parsed !== 'object') return {};
  const p = parsed as Record<string, unknown>;
  const hints: Hints = {};
  const startZone = stringOrNull(p.startZone);
  if (startZone !== undefined) hints.startZone = startZone;
  const endZone = stringOrNull(p.endZone);
  if (endZone !== undefined) hints.endZone = endZone;
  const rrule = stringOrNull(p.rrule);
  if (rrule !== undefined) hints.rrule = rrule;
  const completedAt = stringOrNull(p.completedAt);
  if (completedAt !== undefined) hints.completedAt = completedAt;
  if (p.organizer === null) hints.organizer = null;
  else if (p.organizer && typeof p.organizer === 'object') {
    const { email, name } = p.organizer as Record<string, unknown>;
    if (typeof email === 'string' && typeof name === 'string') hints.organizer = { email, name };
  }
  if (p.responses && typeof p.responses === 'object' && !Array.isArray(p.responses)) {
    const responses: Record<string, AttendeeResponse> = {};
    for (const [email, response] of Object.entries(p.responses as Record<string, unknown>)) {
      if (RESPONSES.includes(response as AttendeeResponse))
        responses[email] = response as AttendeeResponse;
    }
    hints.responses = responses;
  }
  const emails = typedValues(p.emails);
  if (emails) hints.emails = emails;
  const phones = typedValues(p.phones);
  if (phones) hints.phones = phones;
  return hints;
}

/** JSON with the top-level keys sorted, so equal hints give equal text. */
function sortedJson(hints: Hints): string {
  const entries = Object.entries(hints).filter(([, v]) => v !== undefined);
  return JSON.stringify(Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : 1))));
}

/** Merges `changes` into the item's hints; writes only when the JSON changes. */
export function writeHints(item: Item, changes: Hints, isNew: boolean): void {
  const before = isNew ? {} : readHints(item);
  const json = sortedJson({ ...before, ...changes });
  if (!isNew && json === sortedJson(before)) return;
  item.SetExtendedProperty(hintsProperty, json);
}
