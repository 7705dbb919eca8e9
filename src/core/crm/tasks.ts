/**
 * Tasks. Date-only tasks (allDay) store start and due as dates, the due day inclusive;
 * timed ones store UTC instants. Done means completedAt is set.
 */
import type { CrmDatabase } from './database.ts';
import { definedOnly, deleteRow, flag, inTransaction, insertRow, updateRow } from './sql.ts';
import type { SqlValue } from './sql.ts';
import { isValidTimeZone } from '../time/zone-names.ts';
import { toStoredTime, toUtcInstant } from './time.ts';
import type { NewTask, Task, TaskPriority } from './types.ts';

/** A row of `tasks` as `SELECT *` returns it (shared with the sync engine's bulk loader). */
export interface TaskRow {
  id: number;
  uid: string | null;
  subject: string;
  description: string | null;
  all_day: number;
  starts_at: string | null;
  due_at: string | null;
  time_zone: string | null;
  completed_at: string | null;
  percent_complete: number;
  priority: TaskPriority;
  owner_id: number | null;
  group_id: number | null;
  category_id: number | null;
  show_in_calendar: number;
  private: number;
  created_at: string;
  updated_at: string;
}

export function rowToTask(r: TaskRow): Task {
  return {
    id: r.id,
    uid: r.uid,
    subject: r.subject,
    description: r.description,
    allDay: r.all_day === 1,
    start: r.starts_at,
    due: r.due_at,
    timeZone: r.time_zone,
    completedAt: r.completed_at,
    percentComplete: r.percent_complete,
    priority: r.priority,
    ownerId: r.owner_id,
    groupId: r.group_id,
    categoryId: r.category_id,
    showInCalendar: r.show_in_calendar === 1,
    isPrivate: r.private === 1,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

function time(value: string | Date | null | undefined, allDay: boolean): SqlValue | undefined {
  return value == null ? value : toStoredTime(value, allDay);
}

function taskColumns(t: Partial<NewTask>, allDay: boolean): Record<string, SqlValue> {
  if (t.timeZone != null && !isValidTimeZone(t.timeZone)) {
    throw new RangeError(`"${t.timeZone}" is not an IANA time zone id.`);
  }
  return definedOnly({
    uid: t.uid,
    subject: t.subject,
    description: t.description,
    all_day: flag(t.allDay),
    starts_at: time(t.start, allDay),
    due_at: time(t.due, allDay),
    time_zone: t.timeZone,
    completed_at: t.completedAt == null ? t.completedAt : toUtcInstant(t.completedAt),
    percent_complete: t.percentComplete,
    priority: t.priority,
    owner_id: t.ownerId,
    group_id: t.groupId,
    category_id: t.categoryId,
    show_in_calendar: flag(t.showInCalendar),
    private: flag(t.isPrivate),
  });
}

export function insertTask(db: CrmDatabase, task: NewTask): number {
  return insertRow(db, 'tasks', taskColumns(task, task.allDay ?? false));
}

export function getTask(db: CrmDatabase, id: number): Task | undefined {
  const row = db.prepare<[number], TaskRow>('SELECT * FROM tasks WHERE id = ?').get(id);
  return row && rowToTask(row);
}

/** Changes the given fields; false when there is no such task. */
export function updateTask(db: CrmDatabase, id: number, patch: Partial<NewTask>): boolean {
  return inTransaction(db, () => {
    const current = db
      .prepare<[number], number>('SELECT all_day FROM tasks WHERE id = ?')
      .pluck()
      .get(id);
    if (current === undefined) return false;
    return updateRow(db, 'tasks', id, taskColumns(patch, patch.allDay ?? current === 1));
  });
}

export function deleteTask(db: CrmDatabase, id: number): boolean {
  return deleteRow(db, 'tasks', id);
}

export interface TaskFilter {
  ownerId?: number;
  /** false: only open tasks. */
  includeCompleted?: boolean;
  /** true: only tasks shown in the calendar. */
  showInCalendar?: boolean;
  categoryId?: number;
}

/** Tasks by due date (undated last). */
export function listTasks(db: CrmDatabase, filter: TaskFilter = {}): Task[] {
  const where: string[] = [];
  const params: SqlValue[] = [];
  if (filter.ownerId !== undefined) {
    where.push('owner_id = ?');
    params.push(filter.ownerId);
  }
  if (filter.includeCompleted === false) where.push('completed_at IS NULL');
  if (filter.showInCalendar !== undefined) {
    where.push('show_in_calendar = ?');
    params.push(filter.showInCalendar ? 1 : 0);
  }
  if (filter.categoryId !== undefined) {
    where.push('category_id = ?');
    params.push(filter.categoryId);
  }
  const sql = `SELECT * FROM tasks${where.length ? ` WHERE ${where.join(' AND ')}` : ''}
    ORDER BY due_at IS NULL, due_at, id`;
  return db
    .prepare<SqlValue[], TaskRow>(sql)
    .all(...params)
    .map(rowToTask);
}

export function findTasksByUid(db: CrmDatabase, uid: string): Task[] {
  return db
    .prepare<[string], TaskRow>('SELECT * FROM tasks WHERE uid = ? ORDER BY id')
    .all(uid)
    .map(rowToTask);
}
