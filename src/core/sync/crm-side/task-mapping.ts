/**
 * CRM tasks <-> the model's TaskData, and a dated task <-> EventData for tasks that travel to
 * the server as calendar items ("show in calendar"). Owner, group and the flag itself are
 * CRM-only and kept by the write side.
 */
import type { NewTask, Task } from '../../crm/types.ts';
import type { EventData, TaskData, When } from '../../model/items.ts';
import { fromText } from './text.ts';
import type { CrmWriteNote } from './types.ts';
import { note } from './types.ts';
import { addDays, dateOf, instantOf, isDate, normalInstant, storableZone, whenOf } from './when.ts';

export function toTaskData(task: Task, categoryName: string | null): TaskData {
  return {
    kind: 'task',
    subject: task.subject,
    description: task.description ?? '',
    start: task.start === null ? null : whenOf(task.start, task.allDay, task.timeZone),
    due: task.due === null ? null : whenOf(task.due, task.allDay, task.timeZone),
    completedAt: task.completedAt === null ? null : normalInstant(task.completedAt),
    percentComplete: task.percentComplete,
    priority: task.priority,
    isPrivate: task.isPrivate,
    categories: categoryName ? [categoryName] : [],
  };
}

type TaskPatch = Partial<NewTask> & { subject: string };

function zoneNote(notes: CrmWriteNote[], dropped: string | null): void {
  if (dropped !== null) {
    notes.push(
      note('time-zone-dropped', `Time zone "${dropped}" is not an IANA id; stored as UTC.`, {
        zone: dropped,
      }),
    );
  }
}

/** The task columns TaskData determines, as a patch for insertTask/updateTask. */
export function taskFieldsFromData(
  data: TaskData,
  existing: Task | undefined,
  notes: CrmWriteNote[],
): TaskPatch {
  const ref = data.due ?? data.start;
  // One format for both (the schema's rule): the due date's, else the start's.
  const allDay = ref === null ? (existing?.allDay ?? false) : isDate(ref);
  const { zone, dropped } = storableZone(ref);
  zoneNote(notes, dropped);
  const stored = (w: When | null): string | null =>
    w === null ? null : allDay ? dateOf(w) : instantOf(w, zone);
  let start = stored(data.start);
  const due = stored(data.due);
  // The schema refuses a due before the start; the due is what the user tracks.
  if (start !== null && due !== null && due < start) start = due;
  return {
    subject: data.subject,
    description: fromText(data.description, existing?.description),
    allDay,
    start,
    due,
    timeZone: allDay ? (existing?.timeZone ?? null) : zone,
    completedAt: data.completedAt === null ? null : normalInstant(data.completedAt),
    percentComplete: Math.min(100, Math.max(0, Math.round(data.percentComplete))),
    priority: data.priority,
    isPrivate: data.isPrivate,
  };
}

/**
 * A dated task as a calendar item: start..due (a date-only task's due day is inclusive, an
 * event's end exclusive). Null for a task without dates: it cannot be a calendar item.
 */
export function taskToEventData(task: Task, categoryName: string | null): EventData | null {
  const first = task.start ?? task.due;
  const last = task.due ?? task.start;
  if (first === null || last === null) return null;
  return {
    kind: 'event',
    subject: task.subject,
    location: '',
    description: task.description ?? '',
    start: whenOf(first, task.allDay, task.timeZone),
    end: task.allDay ? { date: addDays(last, 1) } : whenOf(last, false, task.timeZone),
    rrule: null,
    exdates: [],
    overrides: [],
    isPrivate: task.isPrivate,
    categories: categoryName ? [categoryName] : [],
    reminderMinutes: null,
    organizer: null,
    attendees: [],
  };
}

/**
 * The task columns a calendar item determines (the reverse of taskToEventData). Location,
 * attendees and recurrence have no place on a CRM task and are dropped.
 */
export function taskFieldsFromEventData(
  data: EventData,
  existing: Task | undefined,
  notes: CrmWriteNote[],
): TaskPatch {
  const allDay = isDate(data.start);
  const { zone, dropped } = storableZone(data.start);
  zoneNote(notes, dropped);
  let start: string;
  let due: string;
  if (allDay) {
    start = dateOf(data.start);
    due = addDays(dateOf(data.end), -1);
    if (due < start) due = start;
  } else {
    start = instantOf(data.start, zone);
    due = instantOf(data.end, zone);
    if (due < start) due = start;
  }
  // A task that had only a due date came out as due..due: keep it without a start.
  const keepNoStart = existing !== undefined && existing.start === null && start === due;
  return {
    subject: data.subject,
    description: fromText(data.description, existing?.description),
    allDay,
    start: keepNoStart ? null : start,
    due,
    timeZone: allDay ? (existing?.timeZone ?? null) : zone,
    isPrivate: data.isPrivate,
  };
}
