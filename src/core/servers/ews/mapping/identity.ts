/**
 * The CRM stamp (all kinds) and the uid of tasks and contacts, as PublicStrings extended
 * properties; events keep their uid in ICalUid.
 */
import { createHash } from 'node:crypto';
import type { ExtendedPropertyDefinition, Item } from 'ews-javascript-api';
import { stampProperty, uidProperty } from './properties.ts';
import { outParam } from './values.ts';

function readString(item: Item, definition: ExtendedPropertyDefinition): string | null {
  const out = outParam<string>();
  try {
    if (!item.ExtendedProperties.TryGetValue<string>(definition, out)) return null;
  } catch {
    return null;
  }
  const value = String(out.outValue ?? '').trim();
  return value === '' ? null : value;
}

function writeString(
  item: Item,
  definition: ExtendedPropertyDefinition,
  value: string | null,
  isNew: boolean,
): void {
  const wanted = value === null || value.trim() === '' ? null : value;
  if (!isNew && readString(item, definition) === wanted) return;
  if (wanted === null) {
    if (!isNew) item.RemoveExtendedProperty(definition);
  } else {
    item.SetExtendedProperty(definition, wanted);
  }
}

export function readStamp(item: Item): string | null {
  return readString(item, stampProperty);
}

export function writeStamp(item: Item, stamp: string | null, isNew: boolean): void {
  writeString(item, stampProperty, stamp, isNew);
}

export function readUid(item: Item): string {
  return readString(item, uidProperty) ?? itemIdUid(item);
}

/**
 * A task or contact made in Outlook has no uid: one made from its item id stands in (stable
 * while the item stays in its folder), so the CRM row imported from it is found again when
 * the pairing state is lost. Written back as the uid property with the next update.
 */
function itemIdUid(item: Item): string {
  let id: string;
  try {
    id = item.Id?.UniqueId ?? '';
  } catch {
    return '';
  }
  return id === '' ? '' : `ews-${createHash('sha256').update(id).digest('hex').slice(0, 32)}`;
}

export function writeUid(item: Item, uid: string, isNew: boolean): void {
  // A uid is never taken away: the CRM sends "" only when it has none to give.
  if (uid.trim() === '') return;
  // The stand-in made from the item's id is read back as it is: nothing to write.
  if (!isNew && readString(item, uidProperty) === null && uid === itemIdUid(item)) return;
  writeString(item, uidProperty, uid, isNew);
}
