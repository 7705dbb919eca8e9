import { describe, expect, it } from 'vitest';
import { createCategory, findCategory, listCategories } from '../../src/core/crm/categories.ts';
import {
  findCompaniesByIco,
  findCompaniesByName,
  getCompany,
  insertCompany,
  personIdsOfCompany,
} from '../../src/core/crm/companies.ts';
import { createGroup, findGroupByName, listGroups } from '../../src/core/crm/groups.ts';
import {
  deletePerson,
  findPersonsByEmail,
  findPersonsByUid,
  getPerson,
  insertPerson,
  listPersons,
  personDisplayName,
  updatePerson,
} from '../../src/core/crm/persons.ts';
import { ensureNodePath, subtreeNodeIds } from '../../src/core/crm/classification.ts';
import { newCrm } from './helpers.ts';

describe('companies', () => {
  it('stores a company and finds it by IČO and name', () => {
    const { db } = newCrm();
    const id = insertCompany(db, {
      uid: 'org-1',
      name: 'Pekárna U Šťastných s.r.o.',
      ico: '45612382',
      vatNo: 'CZ45612382',
      street: 'Husova 45',
      city: 'České Budějovice',
      postalCode: '370 01',
      country: 'Česká republika',
    });
    expect(getCompany(db, id)).toMatchObject({
      uid: 'org-1',
      name: 'Pekárna U Šťastných s.r.o.',
      ico: '45612382',
      city: 'České Budějovice',
      phone: null,
    });
    expect(findCompaniesByIco(db, ' 45612382 ').map((c) => c.id)).toEqual([id]);
    expect(findCompaniesByName(db, 'PEKÁRNA U ŠŤASTNÝCH S.R.O.')).toEqual([]); // NOCASE is ASCII only
    expect(findCompaniesByName(db, 'Pekárna U Šťastných S.R.O.').map((c) => c.id)).toEqual([id]);
  });
});

describe('persons', () => {
  it('stores a person with e-mails, phones, companies and categories in order', () => {
    const { db } = newCrm();
    const agro = insertCompany(db, { name: 'Agrotech Morava s.r.o.' });
    const ucetni = insertCompany(db, { name: 'Účetní kancelář Horáková s.r.o.' });
    const partner = createCategory(db, { name: 'Partner', kind: 'contact' });
    const zakaznik = createCategory(db, { name: 'Zákazník', kind: 'contact' });
    const photo = Buffer.from([0xff, 0xd8, 0xff, 0xe0]);
    const id = insertPerson(db, {
      uid: 'vcard-1',
      title: 'Ing.',
      firstName: 'Eva',
      lastName: 'Horáková',
      titleAfter: 'Ph.D.',
      jobTitle: 'jednatelka',
      emails: [
        { email: 'eva@ucetni-horakova.example', kind: 'work' },
        { email: 'eva.horakova@post.example', kind: 'home', label: 'soukromý' },
        'Eva@Ucetni-Horakova.example',
      ],
      phones: ['+420 585 222 334', { number: '+420 608 909 101', kind: 'mobile' }],
      companies: [{ companyId: ucetni, role: 'jednatelka' }, agro],
      categoryIds: [zakaznik, partner],
      photo,
      photoType: 'image/jpeg',
    });
    const p = getPerson(db, id)!;
    expect(p).toMatchObject({
      uid: 'vcard-1',
      firstName: 'Eva',
      lastName: 'Horáková',
      emails: [
        { email: 'eva@ucetni-horakova.example', kind: 'work', label: null },
        { email: 'eva.horakova@post.example', kind: 'home', label: 'soukromý' },
      ],
      phones: [
        { number: '+420 585 222 334', kind: 'work', label: null },
        { number: '+420 608 909 101', kind: 'mobile', label: null },
      ],
      companies: [
        { companyId: ucetni, role: 'jednatelka' },
        { companyId: agro, role: null },
      ],
      categoryIds: [partner, zakaznik].sort((a, b) => a - b),
      photoType: 'image/jpeg',
    });
    expect(p.photo?.equals(photo)).toBe(true);
    expect(personDisplayName(p)).toBe('Ing. Eva Horáková, Ph.D.');
    expect(personIdsOfCompany(db, agro)).toEqual([id]);
    expect(findPersonsByUid(db, 'vcard-1').map((x) => x.id)).toEqual([id]);
  });

  it('finds persons by e-mail case-insensitively, using the lower(email) index', () => {
    const { db } = newCrm();
    const jan = insertPerson(db, { firstName: 'Jan', emails: ['Jan.Dvorak@Stavby.example'] });
    const lucie = insertPerson(db, {
      firstName: 'Lucie',
      emails: ['lucie@stavby.example', 'sekretariat@stavby.example'],
    });
    const shared = insertPerson(db, { firstName: 'Hana', emails: ['SEKRETARIAT@stavby.example'] });
    expect(findPersonsByEmail(db, 'jan.dvorak@stavby.EXAMPLE').map((p) => p.id)).toEqual([jan]);
    expect(findPersonsByEmail(db, ' sekretariat@stavby.example ').map((p) => p.id)).toEqual([
      lucie,
      shared,
    ]);
    expect(findPersonsByEmail(db, 'nikdo@stavby.example')).toEqual([]);
    const plan = db
      .prepare<[], { detail: string }>(
        "EXPLAIN QUERY PLAN SELECT person_id FROM person_emails WHERE lower(email) = lower('x')",
      )
      .all()
      .map((r) => r.detail)
      .join(' ');
    expect(plan).toContain('person_emails_lower');
  });

  it('updates fields, replaces given lists and filters by branch and category', () => {
    const { db } = newCrm();
    const branch = ensureNodePath(db, 'Kontakty/Zákazníci');
    const wholesale = ensureNodePath(db, 'Kontakty/Zákazníci/Velkoobchod');
    const suppliers = ensureNodePath(db, 'Kontakty/Dodavatelé');
    const customer = createCategory(db, { name: 'Zákazník', kind: 'contact' });
    const a = insertPerson(db, { firstName: 'A', nodeId: wholesale, categoryIds: [customer] });
    const b = insertPerson(db, { firstName: 'B', nodeId: suppliers });
    const c = insertPerson(db, { firstName: 'C', nodeId: branch, phones: ['1'] });

    expect(listPersons(db, { nodeIds: subtreeNodeIds(db, branch) }).map((p) => p.id)).toEqual([
      a,
      c,
    ]);
    expect(listPersons(db, { categoryIds: [customer] }).map((p) => p.id)).toEqual([a]);

    expect(updatePerson(db, c, { lastName: 'Cé', emails: ['c@example.cz'] })).toBe(true);
    expect(getPerson(db, c)).toMatchObject({
      firstName: 'C',
      lastName: 'Cé',
      emails: [{ email: 'c@example.cz' }],
      phones: [{ number: '1' }],
    });
    expect(updatePerson(db, 999, { firstName: 'x' })).toBe(false);
    expect(deletePerson(db, b)).toBe(true);
    expect(listPersons(db).map((p) => p.id)).toEqual([a, c]);
  });
});

describe('categories and groups', () => {
  it('keeps names unique per kind and finds kind-specific before "any"', () => {
    const { db } = newCrm();
    const anyMeeting = createCategory(db, { name: 'Schůzka', kind: 'any', icon: 'people' });
    const eventMeeting = createCategory(db, {
      name: 'Schůzka',
      kind: 'event',
      icon: 'calendar',
      color: '#0078D4',
    });
    createCategory(db, { name: 'Zákazník', kind: 'contact' });
    expect(findCategory(db, 'event', 'schůzka')?.id).toBe(eventMeeting);
    expect(findCategory(db, 'task', 'Schůzka')?.id).toBe(anyMeeting);
    expect(findCategory(db, 'task', 'Zákazník')).toBeUndefined();
    expect(
      listCategories(db, 'contact')
        .map((c) => c.name)
        .sort(),
    ).toEqual(['Schůzka', 'Zákazník']);
    expect(listCategories(db)).toHaveLength(3);
  });

  it('stores activity groups', () => {
    const { db } = newCrm();
    const id = createGroup(db, { name: 'Obchod' });
    createGroup(db, { name: 'Servis', note: 'Technici' });
    expect(findGroupByName(db, 'obchod')).toEqual({ id, name: 'Obchod', note: null });
    expect(listGroups(db).map((g) => g.name)).toEqual(['Obchod', 'Servis']);
    expect(() => createGroup(db, { name: 'OBCHOD' })).toThrow(/UNIQUE/);
  });
});
