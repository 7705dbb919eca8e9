/**
 * Prepared statements kept per connection, by their SQL. The store and the engine prepare
 * their statements where they run them, per item; each prepare compiles the SQL anew and
 * holds native memory (about 10 kB) until the garbage collector, which does not see that
 * memory, frees its small JavaScript wrapper: a first sync of a few thousand items left
 * hundreds of MB behind. With the cache a statement is compiled once per connection.
 *
 * A statement handed out again is as `prepare` returns it: pluck, raw and expand off. One
 * still running (an unfinished `iterate`) is never handed out; a second one is prepared.
 * One that a caller binds parameters to or switches to safe integers is that caller's: it
 * leaves the cache.
 */
import type BetterSqlite3 from 'better-sqlite3';

type Database = BetterSqlite3.Database;
type Statement = BetterSqlite3.Statement;

/** Distinct SQL texts kept per connection (the least recently used go first). */
export const STATEMENTS_KEPT = 256;

type Prepare = Database['prepare'];

export function cacheStatements(db: Database): void {
  const prepare: Prepare = db.prepare.bind(db);
  const kept = new Map<string, Statement>();
  const forget = (sql: string, stmt: Statement): void => {
    if (kept.get(sql) === stmt) kept.delete(sql);
  };
  const keep = (sql: string, stmt: Statement): void => {
    kept.set(sql, stmt);
    if (kept.size > STATEMENTS_KEPT) {
      const oldest = kept.keys().next();
      if (oldest.done !== true) kept.delete(oldest.value);
    }
    // Settings a caller keeps for itself: the statement is no longer shared.
    const own = stmt as unknown as Record<'bind' | 'safeIntegers', (...args: unknown[]) => unknown>;
    for (const method of ['bind', 'safeIntegers'] as const) {
      const original = own[method].bind(stmt);
      own[method] = (...args: unknown[]) => {
        forget(sql, stmt);
        return original(...args);
      };
    }
  };
  const cached = (sql: string): Statement => {
    const hit = kept.get(sql);
    if (hit !== undefined && !hit.busy) {
      kept.delete(sql);
      kept.set(sql, hit);
      if (hit.reader) hit.pluck(false).raw(false).expand(false);
      return hit;
    }
    const stmt = prepare(sql);
    if (hit === undefined) keep(sql, stmt);
    return stmt;
  };
  db.prepare = cached as Prepare;
}
