/**
 * Task <-> TaskData. Exchange keeps a task's start, due and completion as days (stored as
 * local midnights, sent in the request's zone): they read as { date } by rounding to the
 * nearest midnight, and are written as noon UTC of the day, which is that day in every
 * zone from UTC-11 to UTC+11 whatever zone the connector's requests name. The exact
 * completion instant is kept in the hints property. Importance is the priority.
 */
import {
  BodyType,
  Importance,
  ItemSchema,
  MessageBody,
  Sensitivity,
  StringList,
  Task,
  TaskDelegationState,
  TaskSchema,
  TaskStatus,
} from 'ews-javascript-api';
import type { DateTime, ExchangeService, MessageBody as Body } from 'ews-javascript-api';
import type {
  ItemIdentity,
  TaskData,
  TaskOwner,
  TaskPriority,
  When,
} from '../../../model/items.ts';
import { processZone } from '../../../time/zone-names.ts';
import { dateIn } from '../../../time/calendar-dates.ts';
import { nearestDate } from './midnights.ts';
import { readHints, writeHints } from './hints.ts';
import { readStamp, readUid, writeStamp, writeUid } from './identity.ts';
import type { ReadResult } from './read-result.ts';
import {
  categoriesOf,
  dateTimeMs,
  instantDateTime,
  isoOf,
  loaded,
  same,
  sameList,
  text,
  textOrNull,
} from './values.ts';

const DAY = 86_400_000;

/**
 * The day a stored local midnight stands for (in any zone within ±12 h of UTC); noon UTC,
 * what we write, is its own day.
 */
function dayOf(value: DateTime): string {
  return nearestDate(dateTimeMs(value));
}

function noonOf(date: string): DateTime {
  return instantDateTime(Date.parse(`${date}T12:00:00Z`));
}

/** The day a When falls on: a date as it is, an instant in its zone (else the user's). */
export function dateOfWhen(when: When): string {
  if ('date' in when) return when.date;
  return dateIn(Date.parse(when.utc), when.tz ?? processZone());
}

function priorityOf(value: Importance | null): TaskPriority {
  if (value === Importance.High) return 'high';
  if (value === Importance.Low) return 'low';
  return 'normal';
}

const IMPORTANCE: Record<TaskPriority, Importance> = {
  high: Importance.High,
  normal: Importance.Normal,
  low: Importance.Low,
};

function readCompleted(item: Task, hint: string | null | undefined): string | null {
  if (loaded<TaskStatus>(item, TaskSchema.Status) !== TaskStatus.Completed) return null;
  const day = loaded<DateTime>(item, TaskSchema.CompleteDate);
  if (day) {
    const ms = dateTimeMs(day);
    // The exact time we wrote, while Exchange's day still agrees with it.
    if (hint && Math.abs(Date.parse(hint) - ms) < 1.5 * DAY) return hint;
    return new Date(ms).toISOString();
  }
  if (hint) return hint;
  const modified = loaded<DateTime>(item, ItemSchema.LastModifiedTime);
  return modified ? isoOf(modified) : new Date(0).toISOString();
}

/**
 * The owner of an assigned task (agendas.tasks.ownerOnly). Exchange names the owner, not
 * its address; a task that was never assigned (DelegationState NoMatch, or none) is the
 * mailbox's own whatever name Exchange gives it, so only assignments are looked at.
 */
function ownerOf(item: Task): TaskOwner | null {
  const state = loaded<TaskDelegationState>(item, TaskSchema.DelegationState);
  if (state === null || state === undefined || state === TaskDelegationState.NoDelegation) {
    return null;
  }
  const owner = text(loaded<string>(item, TaskSchema.Owner)).trim();
  if (owner === '') return null;
  return owner.includes('@')
    ? { email: owner.toLowerCase(), name: '' }
    : { email: '', name: owner };
}

export function readTask(item: Task): ReadResult {
  const hints = readHints(item);
  const start = loaded<DateTime>(item, TaskSchema.StartDate);
  const due = loaded<DateTime>(item, TaskSchema.DueDate);
  const completedAt = readCompleted(item, hints.completedAt);
  const percent = loaded<number>(item, TaskSchema.PercentComplete) ?? 0;
  const owner = ownerOf(item);
  const data: TaskData = {
    kind: 'task',
    subject: text(loaded<string>(item, ItemSchema.Subject)),
    description: text(loaded<Body>(item, ItemSchema.Body)?.Text),
    start: start ? { date: dayOf(start) } : null,
    due: due ? { date: dayOf(due) } : null,
    completedAt,
    percentComplete: Math.min(100, Math.max(0, Math.round(percent))),
    priority: priorityOf(loaded<Importance>(item, ItemSchema.Importance)),
    isPrivate: [Sensitivity.Private, Sensitivity.Confidential].includes(
      loaded<Sensitivity>(item, ItemSchema.Sensitivity) ?? Sensitivity.Normal,
    ),
    categories: categoriesOf(loaded<StringList>(item, ItemSchema.Categories)),
    ...(owner ? { owner } : {}),
  };
  const modified = loaded<DateTime>(item, ItemSchema.LastModifiedTime);
  return {
    identity: { uid: readUid(item), crmStamp: readStamp(item) },
    data,
    modifiedAt: modified ? isoOf(modified) : null,
  };
}

function writeCompletion(item: Task, data: TaskData): void {
  if (data.completedAt !== null) {
    item.Status = TaskStatus.Completed;
    item.CompleteDate = noonOf(dateIn(Date.parse(data.completedAt), processZone()));
    item.PercentComplete = 100;
  } else {
    item.Status = data.percentComplete > 0 ? TaskStatus.InProgress : TaskStatus.NotStarted;
    item.PercentComplete = data.percentComplete;
  }
  writeHints(item, { completedAt: data.completedAt }, false);
}

function writeDate(item: Task, which: 'StartDate' | 'DueDate', when: When | null): void {
  // Null removes the date (the library deletes a property set to null).
  item[which] = (when ? noonOf(dateOfWhen(when)) : null) as unknown as DateTime;
}

export function newTask(service: ExchangeService, data: TaskData, identity: ItemIdentity): Task {
  const item = new Task(service);
  if (data.subject !== '') item.Subject = data.subject;
  item.Body = new MessageBody(BodyType.Text, data.description);
  if (data.start) writeDate(item, 'StartDate', data.start);
  if (data.due) writeDate(item, 'DueDate', data.due);
  if (data.completedAt !== null) {
    item.Status = TaskStatus.Completed;
    item.CompleteDate = noonOf(dateIn(Date.parse(data.completedAt), processZone()));
    item.PercentComplete = 100;
    writeHints(item, { completedAt: data.completedAt }, true);
  } else {
    item.Status = data.percentComplete > 0 ? TaskStatus.InProgress : TaskStatus.NotStarted;
    item.PercentComplete = data.percentComplete;
  }
  item.Importance = IMPORTANCE[data.priority];
  item.Sensitivity = data.isPrivate ? Sensitivity.Private : Sensitivity.Normal;
  item.Categories = new StringList([...data.categories]);
  writeUid(item, identity.uid, true);
  writeStamp(item, identity.crmStamp, true);
  return item;
}

export function updateTask(
  item: Task,
  data: TaskData,
  identity: ItemIdentity,
  current: TaskData,
): void {
  if (data.subject !== current.subject) item.Subject = textOrNull(data.subject);
  if (data.description !== current.description)
    item.Body = new MessageBody(BodyType.Text, data.description);
  if (!same(data.start, current.start)) writeDate(item, 'StartDate', data.start);
  if (!same(data.due, current.due)) writeDate(item, 'DueDate', data.due);
  if (data.completedAt !== current.completedAt || data.percentComplete !== current.percentComplete)
    writeCompletion(item, data);
  if (data.priority !== current.priority) item.Importance = IMPORTANCE[data.priority];
  if (data.isPrivate !== current.isPrivate)
    item.Sensitivity = data.isPrivate ? Sensitivity.Private : Sensitivity.Normal;
  if (!sameList(data.categories, current.categories))
    item.Categories = new StringList([...data.categories]);
  writeUid(item, identity.uid, false);
  writeStamp(item, identity.crmStamp, false);
}
