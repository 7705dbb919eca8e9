import { describe, expect, it } from 'vitest';
import {
  createUser,
  findUserByLogin,
  hashPassword,
  listUsers,
  setUserPassword,
  verifyPassword,
  verifyUserPassword,
} from '../../src/core/crm/users.ts';
import { newCrm } from './helpers.ts';

describe('CRM passwords', () => {
  it('hashes with scrypt in a self-describing, salted form', () => {
    const a = hashPassword('Heslo123!');
    const b = hashPassword('Heslo123!');
    expect(a).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(a).not.toBe(b);
    expect(verifyPassword('Heslo123!', a)).toBe(true);
    expect(verifyPassword('Heslo123!', b)).toBe(true);
    expect(verifyPassword('heslo123!', a)).toBe(false);
  });

  it('treats the same text in either Unicode form as the same password', () => {
    const hash = hashPassword('Žluťoučký kůň'.normalize('NFC'));
    expect(verifyPassword('Žluťoučký kůň'.normalize('NFD'), hash)).toBe(true);
  });

  it('rejects unreadable or hostile hashes instead of throwing', () => {
    expect(verifyPassword('x', '')).toBe(false);
    expect(verifyPassword('x', 'plain-text-password')).toBe(false);
    expect(verifyPassword('x', 'bcrypt$10$abc')).toBe(false);
    const [, , r, p, salt, key] = hashPassword('x').split('$');
    // A cost that would take minutes and gigabytes is refused outright.
    expect(verifyPassword('x', ['scrypt', 1 << 30, r, p, salt, key].join('$'))).toBe(false);
    expect(verifyPassword('x', ['scrypt', 1000, r, p, salt, key].join('$'))).toBe(false);
    expect(verifyPassword('x', ['scrypt', 16384, r, p, salt, 'AAAA'].join('$'))).toBe(false);
  });
});

describe('CRM users', () => {
  it('checks a login and password', () => {
    const { db } = newCrm();
    const id = createUser(db, {
      login: 'pbartos',
      displayName: 'Pavel Bartoš',
      email: 'pavel@example.cz',
      password: 'tajné',
    });
    expect(verifyUserPassword(db, 'pbartos', 'tajné')).toBe(true);
    expect(verifyUserPassword(db, 'PBartos', 'tajné')).toBe(true);
    expect(verifyUserPassword(db, 'pbartos', 'tajne')).toBe(false);
    expect(verifyUserPassword(db, 'nikdo', 'tajné')).toBe(false);
    expect(findUserByLogin(db, 'PBARTOS')).toEqual({
      id,
      login: 'pbartos',
      displayName: 'Pavel Bartoš',
      email: 'pavel@example.cz',
      active: true,
      createdAt: expect.stringMatching(/Z$/),
    });
    expect(findUserByLogin(db, 'nikdo')).toBeUndefined();
  });

  it('salts each user: the same password gives different stored hashes', () => {
    const { db } = newCrm();
    createUser(db, { login: 'a', displayName: 'A', password: 'stejné' });
    createUser(db, { login: 'b', displayName: 'B', password: 'stejné' });
    const hashes = db.prepare('SELECT password_hash FROM users').pluck().all();
    expect(new Set(hashes).size).toBe(2);
  });

  it('keeps logins unique regardless of case and refuses inactive users', () => {
    const { db } = newCrm();
    createUser(db, { login: 'jnovakova', displayName: 'Jana', password: 'x' });
    expect(() => createUser(db, { login: 'JNovakova', displayName: 'J', password: 'y' })).toThrow(
      /UNIQUE/,
    );
    db.prepare("UPDATE users SET active = 0 WHERE login = 'jnovakova'").run();
    expect(verifyUserPassword(db, 'jnovakova', 'x')).toBe(false);
    expect(listUsers(db).map((u) => [u.login, u.active])).toEqual([['jnovakova', false]]);
  });

  it('changes a password', () => {
    const { db } = newCrm();
    createUser(db, { login: 'mkral', displayName: 'Martin Král', password: 'staré' });
    expect(setUserPassword(db, 'mkral', 'nové')).toBe(true);
    expect(verifyUserPassword(db, 'mkral', 'staré')).toBe(false);
    expect(verifyUserPassword(db, 'mkral', 'nové')).toBe(true);
    expect(setUserPassword(db, 'nikdo', 'x')).toBe(false);
  });
});
