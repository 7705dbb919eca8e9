/**
 * The CRM connection compiles each SQL text once (src/core/crm/statement-cache.ts): a
 * statement comes back as `prepare` makes it, never while it is still running, and never
 * after a caller made it its own.
 */
import { describe, expect, it } from 'vitest';
import { STATEMENTS_KEPT } from '../../src/core/crm/statement-cache.ts';
import { newCrm } from './helpers.ts';

const USERS = 'SELECT login FROM users ORDER BY login';

describe('prepared statements of the CRM connection', () => {
  it('are compiled once per SQL text', () => {
    const { db } = newCrm();
    const insert = 'INSERT INTO categories (name, kind) VALUES (?, ?)';
    expect(db.prepare(insert)).toBe(db.prepare(insert));
    expect(db.prepare(USERS)).toBe(db.prepare(USERS));
    expect(db.prepare(USERS)).not.toBe(db.prepare(`${USERS} LIMIT 1`));
  });

  it('come back with pluck, raw and expand off', () => {
    const { db } = newCrm();
    const count = 'SELECT count(*) AS n FROM users';
    expect(db.prepare(count).pluck().get()).toBe(0);
    expect(db.prepare(count).get()).toEqual({ n: 0 });
    expect(db.prepare(count).raw().get()).toEqual([0]);
    expect(db.prepare(count).get()).toEqual({ n: 0 });
  });

  it('are not handed out while they still run', () => {
    const { db } = newCrm();
    db.prepare('INSERT INTO categories (name, kind) VALUES (?, ?)').run('A', 'event');
    db.prepare('INSERT INTO categories (name, kind) VALUES (?, ?)').run('B', 'event');
    const names = 'SELECT name FROM categories ORDER BY name';
    const seen: string[] = [];
    for (const outer of db.prepare(names).pluck().iterate() as Iterable<string>) {
      // The same SQL inside the loop gets a statement of its own.
      seen.push(`${outer}:${(db.prepare(names).pluck().all() as string[]).join('')}`);
    }
    expect(seen).toEqual(['A:AB', 'B:AB']);
  });

  it('leave the cache when a caller binds parameters to one', () => {
    const { db } = newCrm();
    const byName = 'SELECT count(*) FROM categories WHERE name = ?';
    const bound = db.prepare(byName).bind('A');
    expect(bound.pluck().get()).toBe(0);
    expect(db.prepare(byName)).not.toBe(bound);
    expect(db.prepare(byName).pluck().get('B')).toBe(0);
  });

  it('are kept for a bounded number of SQL texts', () => {
    const { db } = newCrm();
    const first = db.prepare('SELECT 0');
    for (let k = 1; k <= STATEMENTS_KEPT; k++) db.prepare(`SELECT ${k}`);
    expect(db.prepare('SELECT 0')).not.toBe(first);
  });
});
