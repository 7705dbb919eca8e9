/**
 * Exchange keeps a task's start and due as days (task.ts): a task sent with times comes
 * back as its days. Knowing that lets the engine tell such a copy from a changed one.
 */
import type { ItemData, When } from '../../../model/items.ts';
import { dateOfWhen } from './task.ts';

function asDay(when: When | null): When | null {
  return when === null ? null : { date: dateOfWhen(when) };
}

/** The item as Exchange holds it after being sent `data`. */
export function asStoredByExchange(data: ItemData): ItemData {
  if (data.kind !== 'task') return data;
  return { ...data, start: asDay(data.start), due: asDay(data.due) };
}
