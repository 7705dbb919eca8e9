/**
 * Exchange keeps a task's start and due as days (task.ts): a task sent with times comes
 * back as its days. Knowing that lets the engine tell such a copy from a changed one.
 */
import type { ItemData, When } from '../../../sync/model.ts';
import { processZone } from '../../dav/ical/zones.ts';
import { dateIn } from './wall-time.ts';

function asDay(when: When | null): When | null {
  if (when === null || 'date' in when) return when;
  return { date: dateIn(Date.parse(when.utc), when.tz ?? processZone()) };
}

/** The item as Exchange holds it after being sent `data`. */
export function asStoredByExchange(data: ItemData): ItemData {
  if (data.kind !== 'task') return data;
  return { ...data, start: asDay(data.start), due: asDay(data.due) };
}
