/**
 * Keeps the zone an item names when ews-javascript-api cannot parse its time zone
 * definition. The library turns StartTimeZone/EndTimeZone into a TimeZoneInfo only from a
 * full definition (Periods, TransitionsGroups, Transitions); Exchange-compatible servers
 * that are not Microsoft's send "<t:StartTimeZone Id="Tokyo Standard Time"/>" or
 * definitions it rejects, and it then drops the property silently: the event lost its
 * zone and an all-day event its days. Here a rejected definition that carries an Id or a
 * Name becomes a TimeZoneInfo holding just those (the mapping reads nothing else from it),
 * and the mapping resolves that name itself (zones.ts: Windows id, IANA name or display
 * name). A definition with neither stays unread, as the library leaves it.
 */
import * as ews from 'ews-javascript-api';
import { TimeSpan, TimeZoneInfo } from 'ews-javascript-api';

interface PropertyBagLike {
  _setItem(definition: unknown, value: unknown): void;
}

type LoadZone = (
  this: unknown,
  jsObject: unknown,
  service: unknown,
  propertyBag: PropertyBagLike,
) => void;

interface ZonePropertyPrototype {
  LoadPropertyValueFromXmlJsObject: LoadZone;
  crmSyncLenient?: true;
}

/** The Id and Name attributes of a definition as the library's XML reader gives them. */
function namesOf(jsObject: unknown): { id: string; name: string } | undefined {
  if (jsObject === null || typeof jsObject !== 'object') return undefined;
  const record = jsObject as Record<string, unknown>;
  const id = typeof record.Id === 'string' ? record.Id.trim() : '';
  const name = typeof record.Name === 'string' ? record.Name.trim() : '';
  if (id === '' && name === '') return undefined;
  return { id: id === '' ? name : id, name: name === '' ? id : name };
}

/** A zone known by its names only: a system zone when the library knows the id. */
function namedZone(id: string, name: string): TimeZoneInfo {
  try {
    return TimeZoneInfo.FindSystemTimeZoneById(id);
  } catch {
    return TimeZoneInfo.CreateCustomTimeZone(id, TimeSpan.Zero, name, name);
  }
}

const definitionClass = (ews as unknown as Record<string, unknown>).TimeZonePropertyDefinition as
  { prototype: ZonePropertyPrototype } | undefined;
const proto = definitionClass?.prototype;
if (proto && !proto.crmSyncLenient) {
  const strict = proto.LoadPropertyValueFromXmlJsObject;
  proto.LoadPropertyValueFromXmlJsObject = function (jsObject, service, propertyBag) {
    try {
      strict.call(this, jsObject, service, propertyBag);
    } catch (err) {
      const names = namesOf(jsObject);
      if (names === undefined) throw err;
      propertyBag._setItem(this, namedZone(names.id, names.name));
    }
  };
  proto.crmSyncLenient = true;
}
