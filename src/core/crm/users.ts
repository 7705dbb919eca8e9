/** CRM users: the logins of the CRM program, whose owner ids the other tables refer to. */
import type { CrmDatabase } from './database.ts';
import { hashPassword, simulatePasswordCheck, verifyPassword } from './password.ts';
import type { CrmUser, NewUser } from './types.ts';

export { hashPassword, verifyPassword };

interface UserRow {
  id: number;
  login: string;
  display_name: string;
  email: string | null;
  active: number;
  created_at: string;
}

function toUser(row: UserRow): CrmUser {
  return {
    id: row.id,
    login: row.login,
    displayName: row.display_name,
    email: row.email,
    active: row.active === 1,
    createdAt: row.created_at,
  };
}

const USER_COLUMNS = 'id, login, display_name, email, active, created_at';

/** Adds a user with a freshly salted password hash; returns the new id. */
export function createUser(db: CrmDatabase, user: NewUser): number {
  const login = user.login.trim();
  if (login.length === 0) throw new RangeError('A CRM login must not be empty.');
  const result = db
    .prepare(`INSERT INTO users (login, display_name, email, password_hash) VALUES (?, ?, ?, ?)`)
    .run(login, user.displayName, user.email ?? null, hashPassword(user.password));
  return Number(result.lastInsertRowid);
}

/** The user with that login, compared case-insensitively. */
export function findUserByLogin(db: CrmDatabase, login: string): CrmUser | undefined {
  const row = db
    .prepare<[string], UserRow>(`SELECT ${USER_COLUMNS} FROM users WHERE login = ?`)
    .get(login.trim());
  return row && toUser(row);
}

export function getUser(db: CrmDatabase, id: number): CrmUser | undefined {
  const row = db
    .prepare<[number], UserRow>(`SELECT ${USER_COLUMNS} FROM users WHERE id = ?`)
    .get(id);
  return row && toUser(row);
}

export function listUsers(db: CrmDatabase): CrmUser[] {
  return db
    .prepare<[], UserRow>(`SELECT ${USER_COLUMNS} FROM users ORDER BY login`)
    .all()
    .map(toUser);
}

/** True only for an existing, active login with the right password. */
export function verifyUserPassword(db: CrmDatabase, login: string, password: string): boolean {
  const row = db
    .prepare<[string], { password_hash: string; active: number }>(
      'SELECT password_hash, active FROM users WHERE login = ?',
    )
    .get(login.trim());
  if (!row) {
    simulatePasswordCheck(password);
    return false;
  }
  return verifyPassword(password, row.password_hash) && row.active === 1;
}

export function setUserPassword(db: CrmDatabase, login: string, password: string): boolean {
  const result = db
    .prepare(
      `UPDATE users SET password_hash = ?, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
       WHERE login = ?`,
    )
    .run(hashPassword(password), login.trim());
  return result.changes > 0;
}
