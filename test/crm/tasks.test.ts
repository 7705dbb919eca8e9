import { describe, expect, it } from 'vitest';
import {
  deleteTask,
  findTasksByUid,
  getTask,
  insertTask,
  listTasks,
  updateTask,
} from '../../src/core/crm/tasks.ts';
import { newCrm } from './helpers.ts';

describe('tasks', () => {
  it('stores date-only and timed tasks', () => {
    const { db } = newCrm();
    const dated = insertTask(db, {
      uid: 'todo-1',
      subject: 'Připravit nabídku',
      allDay: true,
      start: '2025-06-10',
      due: '2025-06-13',
      priority: 'high',
      showInCalendar: true,
    });
    const timed = insertTask(db, {
      subject: 'Zavolat',
      start: '2025-06-10T13:00:00+02:00',
      due: '2025-06-10T14:00:00+02:00',
      timeZone: 'Europe/Prague',
      isPrivate: true,
    });
    expect(getTask(db, dated)).toMatchObject({
      uid: 'todo-1',
      allDay: true,
      start: '2025-06-10',
      due: '2025-06-13',
      completedAt: null,
      percentComplete: 0,
      priority: 'high',
      showInCalendar: true,
      isPrivate: false,
    });
    expect(getTask(db, timed)).toMatchObject({
      allDay: false,
      start: '2025-06-10T11:00:00.000Z',
      due: '2025-06-10T12:00:00.000Z',
      timeZone: 'Europe/Prague',
      priority: 'normal',
      isPrivate: true,
    });
    expect(findTasksByUid(db, 'todo-1').map((t) => t.id)).toEqual([dated]);
  });

  it('completes, lists and deletes tasks', () => {
    const { db } = newCrm();
    const a = insertTask(db, { subject: 'a', allDay: true, due: '2025-06-12' });
    const b = insertTask(db, {
      subject: 'b',
      allDay: true,
      due: '2025-06-11',
      showInCalendar: true,
    });
    const c = insertTask(db, { subject: 'c' });
    expect(
      updateTask(db, a, { completedAt: new Date('2025-06-11T08:00:00Z'), percentComplete: 100 }),
    ).toBe(true);
    expect(getTask(db, a)).toMatchObject({
      completedAt: '2025-06-11T08:00:00.000Z',
      percentComplete: 100,
    });
    expect(listTasks(db).map((t) => t.id)).toEqual([b, a, c]);
    expect(listTasks(db, { includeCompleted: false }).map((t) => t.id)).toEqual([b, c]);
    expect(listTasks(db, { showInCalendar: true }).map((t) => t.id)).toEqual([b]);
    expect(() => updateTask(db, b, { percentComplete: 120 })).toThrow(/CHECK/);
    expect(() => updateTask(db, b, { due: '2025-06-11T10:00:00Z' })).toThrow(RangeError);
    expect(updateTask(db, 999, { subject: 'x' })).toBe(false);
    expect(deleteTask(db, c)).toBe(true);
    expect(getTask(db, c)).toBeUndefined();
  });
});
