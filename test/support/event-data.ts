/** A plain one-hour event of the item model, for tests that need one and care about little. */
import type { EventData } from '../../src/core/model/items.ts';

export function plainEvent(subject: string, changes: Partial<EventData> = {}): EventData {
  return {
    kind: 'event',
    subject,
    location: '',
    description: '',
    start: { utc: '2026-03-30T07:00:00.000Z', tz: 'Europe/Prague' },
    end: { utc: '2026-03-30T08:00:00.000Z', tz: 'Europe/Prague' },
    rrule: null,
    exdates: [],
    overrides: [],
    isPrivate: false,
    categories: [],
    reminderMinutes: null,
    organizer: null,
    attendees: [],
    ...changes,
  };
}
