/**
 * iCalendar <-> the neutral model, for the CalDAV connector. See calendar-object.ts for
 * the rules (time zones, recurrence, patching in place).
 */
export type {
  CalendarParseOptions,
  CalendarRenderOptions,
  ParsedCalendarObject,
} from './calendar-object.ts';
export { PRODID, parseCalendarObject, renderCalendarObject } from './calendar-object.ts';
