/**
 * VALARM <-> reminderMinutes. The model has one reminder; a component may have several
 * alarms. The one we manage is the alarm marked X-CRM-SYNC-ALARM:1 (one we wrote), else the
 * first DISPLAY or AUDIO alarm. Writing a reminder changes only that alarm's TRIGGER (or
 * adds a marked DISPLAY alarm); other alarms and every other line of it stay. No reminder
 * removes all DISPLAY/AUDIO alarms, so the next read sees none (EMAIL and other alarms stay).
 */
import ICAL from 'ical.js';
import type { Component } from './content-lines.ts';
import {
  children,
  firstLine,
  makeLine,
  newComponent,
  paramValue,
  removeItems,
  replaceLines,
} from './content-lines.ts';
import { parseTimeValue } from './time-values.ts';
import { wallClockMs } from '../../../time/zoned-time.ts';

const MARK = 'X-CRM-SYNC-ALARM';

function isReminder(alarm: Component): boolean {
  const action = firstLine(alarm, 'ACTION')?.value.trim().toUpperCase();
  return action === 'DISPLAY' || action === 'AUDIO';
}

export function managedAlarm(component: Component): Component | null {
  const alarms = children(component, 'VALARM');
  return (
    alarms.find((a) => firstLine(a, MARK)?.value.trim() === '1') ?? alarms.find(isReminder) ?? null
  );
}

/** The span of the occurrence an alarm belongs to, for END-related and absolute triggers. */
export interface AlarmSpan {
  startMs: number;
  endMs: number;
}

/** Minutes before start an alarm fires (0 for alarms at or after the start); null if unreadable. */
export function alarmMinutes(alarm: Component, span: AlarmSpan): number | null {
  const trigger = firstLine(alarm, 'TRIGGER');
  if (!trigger) return null;
  try {
    if (paramValue(trigger, 'VALUE')?.toUpperCase() === 'DATE-TIME') {
      const value = parseTimeValue(trigger.value);
      if (value.kind !== 'date-time') return null;
      return Math.max(0, Math.round((span.startMs - wallClockMs(value.wall)) / 60_000));
    }
    let seconds = ICAL.Duration.fromString(trigger.value.trim()).toSeconds();
    if (paramValue(trigger, 'RELATED')?.toUpperCase() === 'END') {
      seconds += (span.endMs - span.startMs) / 1000;
    }
    return Math.max(0, Math.round(-seconds / 60));
  } catch {
    return null;
  }
}

export function readReminder(component: Component, span: AlarmSpan): number | null {
  const alarm = managedAlarm(component);
  return alarm ? alarmMinutes(alarm, span) : null;
}

function triggerValue(minutes: number): string {
  if (minutes === 0) return 'PT0S';
  if (minutes % 1440 === 0) return `-P${minutes / 1440}D`;
  if (minutes % 60 === 0) return `-PT${minutes / 60}H`;
  return `-PT${minutes}M`;
}

export function writeReminder(component: Component, minutes: number | null, span: AlarmSpan): void {
  if (minutes === null) {
    removeItems(
      component,
      (item) =>
        item.kind === 'component' &&
        item.name === 'VALARM' &&
        (isReminder(item) || firstLine(item, MARK) !== null),
    );
    return;
  }
  const whole = Math.max(0, Math.round(minutes));
  const alarm = managedAlarm(component);
  if (alarm) {
    if (alarmMinutes(alarm, span) !== whole)
      replaceLines(alarm, 'TRIGGER', makeLine('TRIGGER', triggerValue(whole)));
    return;
  }
  component.items.push(
    newComponent('VALARM', [
      makeLine('ACTION', 'DISPLAY'),
      makeLine('DESCRIPTION', 'Reminder'),
      makeLine('TRIGGER', triggerValue(whole)),
      makeLine(MARK, '1'),
    ]),
  );
}
