/**
 * Small conversions between ews-javascript-api values and the model's plain values: dates,
 * texts, string lists, and reading a property that may not have been loaded.
 */
import { DateTime } from 'ews-javascript-api';
import type {
  IOutParam,
  PropertyDefinitionBase,
  ServiceObject,
  StringList,
} from 'ews-javascript-api';
import { normaliseCategories, normaliseText } from '../../text.ts';
import { sameContent as same } from '../../../model/content-hash.ts';

/** A property's value, or null when it was not loaded or is empty (never throws). */
export function loaded<T>(item: ServiceObject, definition: PropertyDefinitionBase): T | null {
  const out = outParam<T>();
  try {
    return item.TryGetProperty<T>(definition, out) ? (out.outValue ?? null) : null;
  } catch {
    return null;
  }
}

/** An out-parameter for the library's TryGet… methods; outValue stays null when absent. */
export function outParam<T>(): IOutParam<T> {
  return { outValue: null } as unknown as IOutParam<T>;
}

/** Epoch ms of a library DateTime (it holds an instant whatever its Kind says). */
export function dateTimeMs(value: DateTime): number {
  return value.valueOf();
}

export function isoOf(value: DateTime): string {
  return new Date(dateTimeMs(value)).toISOString();
}

/**
 * A DateTime for an instant. Kind stays Unspecified on purpose: the library's writer
 * (ScopedDateTimePropertyDefinition) throws for a Utc-kind value once a time zone is set,
 * and for an Unspecified one it keeps the instant and writes it in UTC.
 */
export function instantDateTime(ms: number): DateTime {
  return new DateTime(ms);
}

/**
 * A DateTime for a calendar date (a recurrence's StartDate/EndDate). The library builds and
 * writes it in the process zone, so the date written is the date given in any zone.
 */
export function calendarDateTime(date: string): DateTime {
  const [y, m, d] = date.split('-').map(Number);
  return new DateTime(y ?? 1970, m ?? 1, d ?? 1);
}

/** "YYYY-MM-DD" of a date-only DateTime (read as the library parsed it). */
export function dateOfDateTime(value: DateTime): string {
  return `${String(value.Year).padStart(4, '0')}-${String(value.Month).padStart(2, '0')}-${String(value.Day).padStart(2, '0')}`;
}

/**
 * A text to assign to a string property: '' becomes null, which the library sends as a
 * deletion (Exchange keeps no empty strings; clearing a field is deleting it).
 */
export function textOrNull(value: string): string {
  return (value === '' ? null : value) as string;
}

export function text(value: string | null | undefined): string {
  return normaliseText(value ?? '');
}

export function stringsOf(list: StringList | null): string[] {
  if (!list) return [];
  const out: string[] = [];
  for (let i = 0; i < list.Count; i++) out.push(list._getItem(i));
  return out;
}

export function categoriesOf(list: StringList | null): string[] {
  return normaliseCategories(stringsOf(list));
}

export function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** Deep equality of model values (plain data). */
export { same };

export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
