/**
 * VTODO <-> TaskData. DUE may be a date (the day it is due, inclusive) or a date-time;
 * DTSTART+DURATION stands for DUE. Completion: COMPLETED gives the time; STATUS:COMPLETED
 * alone falls back to LAST-MODIFIED, then DTSTAMP. PRIORITY 1-4 high, 5 (and 0 = none)
 * normal, 6-9 low; written as 1/5/9 (an existing value that still means the same stays).
 */
import { ItemError } from '../../errors.ts';
import type { ItemIdentity, TaskData, TaskPriority } from '../../../model/items.ts';
import type { Component } from './content-lines.ts';
import { children, firstLine, makeLine, newComponent, replaceLines } from './content-lines.ts';
import { addDuration, readCategories, readModified, readPrivate, readText } from './fields.ts';
import {
  attempt,
  patchCategories,
  patchClass,
  patchPlain,
  patchText,
  patchWhen,
  stamp,
  utcStamp,
} from './patch.ts';
import { clientScheduling, readPerson } from './people.ts';
import { escapeText } from './text.ts';
import { instantOf, normaliseInstant, normaliseWhen, readTime, sameWhen, toWhen } from './when.ts';
import type { ReadTime } from './when.ts';
import type { ZoneContext } from './zone-context.ts';
import { isoInstant } from '../../../time/zoned-time.ts';

/** The task itself: the VTODO without RECURRENCE-ID (or the first). */
export function mainTodo(todos: readonly Component[]): Component | null {
  return todos.find((c) => !firstLine(c, 'RECURRENCE-ID')) ?? todos[0] ?? null;
}

function readStart(todo: Component, ctx: ZoneContext): ReadTime | null {
  const line = firstLine(todo, 'DTSTART');
  return line ? readTime(line, ctx) : null;
}

function readDue(todo: Component, ctx: ZoneContext): ReadTime | null {
  const due = firstLine(todo, 'DUE');
  if (due) return readTime(due, ctx);
  const duration = firstLine(todo, 'DURATION');
  const start = readStart(todo, ctx);
  if (!duration || !start) return null;
  try {
    return addDuration(start, duration.value, ctx);
  } catch (err) {
    throw new ItemError(
      `Cannot read "${ctx.label}": DURATION "${duration.value}" cannot be read.`,
      { cause: err },
    );
  }
}

function isCompleted(todo: Component): boolean {
  return firstLine(todo, 'STATUS')?.value.trim().toUpperCase() === 'COMPLETED';
}

function readCompleted(todo: Component, ctx: ZoneContext): string | null {
  const line = firstLine(todo, 'COMPLETED');
  if (line) return isoInstant(instantOf(readTime(line, ctx), ctx));
  if (!isCompleted(todo)) return null;
  const modified = readModified(todo, ctx);
  if (modified === null) {
    throw new ItemError(
      `Cannot read "${ctx.label}": it is completed but says neither when nor when it last changed.`,
    );
  }
  return isoInstant(modified);
}

function readPercent(todo: Component, completed: boolean): number {
  const value = Number.parseInt(firstLine(todo, 'PERCENT-COMPLETE')?.value ?? '', 10);
  if (!Number.isFinite(value)) return completed ? 100 : 0;
  return Math.min(100, Math.max(0, value));
}

function priorityOf(value: string | undefined): TaskPriority {
  const n = Number.parseInt(value ?? '', 10);
  if (n >= 1 && n <= 4) return 'high';
  if (n >= 6 && n <= 9) return 'low';
  return 'normal';
}

export function parseTask(todo: Component, ctx: ZoneContext): TaskData {
  const start = readStart(todo, ctx);
  const due = readDue(todo, ctx);
  const completedAt = readCompleted(todo, ctx);
  // The ORGANIZER is the task's owner (agendas.tasks.ownerOnly); none: the user's own.
  const organizerLine = firstLine(todo, 'ORGANIZER');
  const owner = organizerLine ? readPerson(organizerLine) : null;
  return {
    kind: 'task',
    subject: readText(todo, 'SUMMARY'),
    description: readText(todo, 'DESCRIPTION'),
    start: start ? toWhen(start, ctx) : null,
    due: due ? toWhen(due, ctx) : null,
    completedAt,
    percentComplete: readPercent(todo, completedAt !== null),
    priority: priorityOf(firstLine(todo, 'PRIORITY')?.value),
    isPrivate: readPrivate(todo),
    categories: readCategories(todo),
    ...(owner ? { owner } : {}),
  };
}

const PRIORITY_VALUE: Record<TaskPriority, string> = { high: '1', normal: '5', low: '9' };

/** Patches (or fills) the VTODO of `calendar` to hold `data`. */
export function renderTask(
  calendar: Component,
  input: TaskData,
  identity: ItemIdentity,
  ctx: ZoneContext,
  nowMs: number,
  isNew: boolean,
): void {
  const label = ctx.label;
  const data: TaskData = {
    ...input,
    start: input.start ? normaliseWhen(input.start, label) : null,
    due: input.due ? normaliseWhen(input.due, label) : null,
    completedAt: input.completedAt === null ? null : normaliseInstant(input.completedAt, label),
    percentComplete: Math.min(100, Math.max(0, Math.round(input.percentComplete))),
  };
  const todos = children(calendar, 'VTODO');
  const found = mainTodo(todos);
  const task = found ?? newComponent('VTODO', [makeLine('UID', escapeText(identity.uid))]);
  if (!found) calendar.items.push(task);
  const hadDuration = firstLine(task, 'DURATION') !== null;
  const dueBefore = attempt(() => readDue(task, ctx));
  const startChanged = patchWhen(task, 'DTSTART', data.start, ctx);
  const currentDue = dueBefore ? toWhen(dueBefore, ctx) : null;
  if (
    !sameWhen(currentDue, data.due) ||
    (hadDuration && startChanged) ||
    (dueBefore === null && hadDuration)
  ) {
    // DUE replaces DURATION: a DURATION would move the due time with the start.
    replaceLines(task, 'DURATION', null);
    patchWhen(task, 'DUE', data.due, ctx);
  }
  patchText(task, 'SUMMARY', data.subject);
  patchText(task, 'DESCRIPTION', data.description);

  const completedBefore = attempt(() => readCompleted(task, ctx));
  if (completedBefore !== data.completedAt) {
    if (data.completedAt === null) {
      replaceLines(task, 'COMPLETED', null);
      if (isCompleted(task)) {
        replaceLines(
          task,
          'STATUS',
          makeLine('STATUS', data.percentComplete > 0 ? 'IN-PROCESS' : 'NEEDS-ACTION'),
        );
      }
    } else {
      replaceLines(
        task,
        'COMPLETED',
        makeLine('COMPLETED', utcStamp(Date.parse(data.completedAt))),
      );
      replaceLines(task, 'STATUS', makeLine('STATUS', 'COMPLETED'));
    }
  }
  if (isNew && !firstLine(task, 'STATUS')) {
    // A new task says it is open (some clients show tasks without STATUS oddly).
    replaceLines(
      task,
      'STATUS',
      makeLine('STATUS', data.percentComplete > 0 ? 'IN-PROCESS' : 'NEEDS-ACTION'),
    );
  }
  const completed = data.completedAt !== null;
  // Absent means 0 (100 once completed): written only when it says something else.
  if (readPercent(task, completed) !== data.percentComplete) {
    replaceLines(
      task,
      'PERCENT-COMPLETE',
      makeLine('PERCENT-COMPLETE', String(data.percentComplete)),
    );
  }
  if (priorityOf(firstLine(task, 'PRIORITY')?.value) !== data.priority) {
    replaceLines(task, 'PRIORITY', makeLine('PRIORITY', PRIORITY_VALUE[data.priority]));
  }
  patchClass(task, data.isPrivate);
  patchCategories(task, data.categories);
  if (identity.uid !== '') {
    for (const component of todos.length > 0 ? todos : [task])
      patchPlain(component, 'UID', identity.uid);
  }
  patchPlain(task, 'X-CRM-SYNC-ID', identity.crmStamp);
  stamp(task, nowMs);
  for (const component of children(calendar, 'VTODO')) {
    for (const line of component.items) {
      if (line.kind === 'line' && (line.name === 'ATTENDEE' || line.name === 'ORGANIZER'))
        clientScheduling(line);
    }
  }
}
