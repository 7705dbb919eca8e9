import { describe, expect, it } from 'vitest';
import { findCategory } from '../../src/core/crm/categories.ts';
import { getTask, insertTask, listTasks } from '../../src/core/crm/tasks.ts';
import { listCrmItems } from '../../src/core/sync/crm-side/list.ts';
import { taskToEventData, toTaskData } from '../../src/core/sync/crm-side/task-mapping.ts';
import type { EventData, TaskData } from '../../src/core/model/items.ts';
import { create, item, newCrm, updateWith } from './helpers.ts';
import { plainEvent } from '../support/event-data.ts';

function serverTask(over: Partial<TaskData> = {}): TaskData {
  return {
    kind: 'task',
    subject: 'Zavolat panu Šťastnému',
    description: 'kvůli reklamaci',
    start: { utc: '2026-03-25T12:00:00.000Z', tz: 'Europe/Prague' },
    due: { utc: '2026-03-25T13:00:00.000Z', tz: 'Europe/Prague' },
    completedAt: null,
    percentComplete: 0,
    priority: 'normal',
    isPrivate: false,
    categories: [],
    ...over,
  };
}

describe('tasks: CRM -> TaskData -> CRM', () => {
  it('round-trips every demo task and keeps owner, group and "show in calendar"', () => {
    const crm = newCrm({ demo: true });
    const tasks = listTasks(crm.db);
    expect(tasks.some((t) => t.completedAt !== null)).toBe(true);
    expect(tasks.some((t) => t.due === null)).toBe(true);
    expect(tasks.some((t) => !t.allDay && t.timeZone !== null)).toBe(true);
    for (const stored of tasks) {
      const before = item(crm.db, 'task', stored.id);
      expect(before.data.kind).toBe('task');
      const { after } = updateWith(crm, before, before.data);
      expect(after.data).toEqual(before.data);
      const { updatedAt: _a, ...restAfter } = getTask(crm.db, stored.id)!;
      const { updatedAt: _b, ...restBefore } = stored;
      expect(restAfter).toEqual(restBefore);
    }
  });

  it('maps dates, completion and priority', () => {
    const crm = newCrm({ demo: true });
    const invoice = listTasks(crm.db).find((t) => t.completedAt !== null && t.allDay)!;
    const data = toTaskData(invoice, 'Fakturace');
    expect(data.due).toEqual({ date: invoice.due });
    expect(data.completedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(data.percentComplete).toBe(100);
    expect(data.categories).toEqual(['Fakturace']);
  });

  it('creates from server data and reads the same data back', () => {
    const crm = newCrm();
    const cases: TaskData[] = [
      serverTask(),
      serverTask({ start: null, due: { date: '2026-04-01' }, priority: 'high', isPrivate: true }),
      serverTask({
        start: { date: '2026-03-20' },
        due: { date: '2026-03-22' },
        completedAt: '2026-03-21T09:30:00.000Z',
        percentComplete: 100,
        priority: 'low',
      }),
      serverTask({ start: null, due: null, description: '' }),
    ];
    for (const data of cases) {
      const { created } = create(crm, 'task', data, { categoryName: 'Nabídka' });
      expect(created.data).toEqual({ ...data, categories: ['Nabídka'] });
      expect(getTask(crm.db, created.crmId)?.ownerId).toBe(crm.ownerId);
    }
    expect(findCategory(crm.db, 'task', 'Nabídka')?.kind).toBe('task');
  });

  it('fixes a due before the start instead of failing', () => {
    const crm = newCrm();
    const { created } = create(
      crm,
      'task',
      serverTask({ start: { date: '2026-03-25' }, due: { date: '2026-03-20' } }),
    );
    expect(created.data).toMatchObject({
      start: { date: '2026-03-20' },
      due: { date: '2026-03-20' },
    });
  });
});

describe('tasks shown in the calendar', () => {
  it('come as EventData when asked, and round-trip through it', () => {
    const crm = newCrm({ demo: true });
    const items = listCrmItems(crm.db, 'tasks', { ownerId: crm.ownerId, tasksAsEvents: true });
    const flagged = items.filter((i) => i.facts.showInCalendar);
    expect(flagged.length).toBeGreaterThan(0);
    expect(flagged.every((i) => i.data.kind === 'event')).toBe(true);
    expect(items.filter((i) => !i.facts.showInCalendar).every((i) => i.data.kind === 'task')).toBe(
      true,
    );
    for (const before of flagged) {
      const stored = getTask(crm.db, before.crmId)!;
      const { after } = updateWith(crm, before, before.data);
      // Read back the same way.
      expect(
        taskToEventData(getTask(crm.db, before.crmId)!, after.data.categories[0] ?? null),
      ).toEqual(before.data);
      const { updatedAt: _a, ...restAfter } = getTask(crm.db, before.crmId)!;
      const { updatedAt: _b, ...restBefore } = stored;
      expect(restAfter).toEqual(restBefore);
    }
  });

  it('maps a date-only task with just a due day to a one-day event and back without a start', () => {
    const crm = newCrm();
    const id = insertTask(crm.db, {
      subject: 'Odevzdat přiznání',
      allDay: true,
      due: '2026-03-31',
      showInCalendar: true,
      percentComplete: 40,
      priority: 'high',
    });
    const [asEvent] = listCrmItems(crm.db, 'tasks', { ownerId: crm.ownerId, tasksAsEvents: true });
    expect(asEvent).toBeUndefined(); // not the user's task (no owner)
    const task = getTask(crm.db, id)!;
    const data = taskToEventData(task, null)!;
    expect(data.start).toEqual({ date: '2026-03-31' });
    expect(data.end).toEqual({ date: '2026-04-01' });
    const moved: EventData = {
      ...data,
      start: { date: '2026-04-02' },
      end: { date: '2026-04-03' },
    };
    updateWith(crm, { ...item(crm.db, 'task', id), data }, moved);
    // Moved as a whole: still a task with only a due day, now on the 2nd.
    expect(getTask(crm.db, id)).toMatchObject({
      allDay: true,
      start: null,
      due: '2026-04-02',
      percentComplete: 40,
      priority: 'high',
    });
    // Stretched over several days it gets a start.
    const longer: EventData = { ...moved, end: { date: '2026-04-05' } };
    updateWith(crm, item(crm.db, 'task', id), longer);
    expect(getTask(crm.db, id)).toMatchObject({ start: '2026-04-02', due: '2026-04-04' });
  });

  it('creates a "show in calendar" task from a calendar item', () => {
    const crm = newCrm();
    const data: EventData = plainEvent('Kontrola záloh', {
      start: { utc: '2026-04-01T14:00:00.000Z', tz: 'Europe/Prague' },
      end: { utc: '2026-04-01T15:00:00.000Z', tz: 'Europe/Prague' },
    });
    const { result } = create(crm, 'task', data);
    const task = getTask(crm.db, result.crmId)!;
    expect(task).toMatchObject({
      showInCalendar: true,
      allDay: false,
      start: '2026-04-01T14:00:00.000Z',
      due: '2026-04-01T15:00:00.000Z',
      timeZone: 'Europe/Prague',
    });
    expect(taskToEventData(task, null)).toEqual(data);
  });
});
