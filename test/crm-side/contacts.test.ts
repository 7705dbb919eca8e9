import { describe, expect, it } from 'vitest';
import { findNodeByPath } from '../../src/core/crm/classification.ts';
import { findCompaniesByName, getCompany, insertCompany } from '../../src/core/crm/companies.ts';
import { getPerson, insertPerson, listPersons } from '../../src/core/crm/persons.ts';
import { toContactData } from '../../src/core/sync/crm-side/contact-mapping.ts';
import type { ContactData } from '../../src/core/model/items.ts';
import { create, item, newCrm, updateWith } from './helpers.ts';

// A 1x1 PNG.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

function richPerson(crm: ReturnType<typeof newCrm>) {
  const first = insertCompany(crm.db, { name: 'Stavby Dvořák a.s.' });
  const second = insertCompany(crm.db, { name: 'Elektro Černý s.r.o.' });
  const id = insertPerson(crm.db, {
    uid: 'vcard-uid-1',
    firstName: 'Jan',
    lastName: 'Dvořák',
    title: 'Ing.',
    titleAfter: 'Ph.D.',
    jobTitle: 'ředitel',
    street: 'náměstí Míru 820/9',
    city: 'Praha 2',
    postalCode: '120 00',
    country: 'Česká republika',
    note: 'Preferuje telefon.',
    ownerId: crm.ownerId,
    photo: PNG,
    emails: [
      { email: 'Jan.Dvorak@Stavby-Dvorak.example', kind: 'work', label: 'hlavní' },
      { email: 'jan@seznam-demo.example', kind: 'home', label: 'soukromý' },
      { email: 'jd@other.example', kind: 'other' },
      { email: 'stary@other.example', kind: 'other', label: 'starý' },
    ],
    phones: [
      { number: '+420 602 111 222', kind: 'mobile', label: 'služební' },
      { number: '+420 222 333 444', kind: 'work' },
    ],
    companies: [
      { companyId: first, role: 'ředitel' },
      { companyId: second, role: 'konzultant' },
    ],
  });
  return { id, first, second };
}

describe('persons: CRM -> ContactData -> CRM', () => {
  it('round-trips every demo person and keeps owner, node, companies and categories', () => {
    const crm = newCrm({ demo: true });
    const persons = listPersons(crm.db);
    expect(persons.some((p) => p.companies.length > 1)).toBe(true);
    expect(persons.some((p) => p.emails.some((e) => e.label !== null))).toBe(true);
    for (const stored of persons) {
      const before = item(crm.db, 'person', stored.id);
      const { after } = updateWith(crm, before, before.data);
      expect(after.data).toEqual(before.data);
      const { updatedAt: _a, ...restAfter } = getPerson(crm.db, stored.id)!;
      const { updatedAt: _b, ...restBefore } = stored;
      expect(restAfter).toEqual(restBefore);
    }
  });

  it('maps names, the first company, addresses, numbers, categories and the photo', () => {
    const crm = newCrm();
    const { id } = richPerson(crm);
    const data = toContactData(getPerson(crm.db, id)!, 'Stavby Dvořák a.s.', [
      'Zákazník',
      'Partner',
    ]);
    expect(data).toMatchObject({
      firstName: 'Jan',
      lastName: 'Dvořák',
      prefix: 'Ing.',
      suffix: 'Ph.D.',
      organization: 'Stavby Dvořák a.s.',
      jobTitle: 'ředitel',
      address: {
        street: 'náměstí Míru 820/9',
        city: 'Praha 2',
        postalCode: '120 00',
        region: '',
        country: 'Česká republika',
      },
      categories: ['Partner', 'Zákazník'],
      photo: { mediaType: 'image/png', base64: PNG.toString('base64') },
    });
    expect(data.emails[0]).toEqual({ value: 'jan.dvorak@stavby-dvorak.example', type: 'work' });
    expect(data.phones).toEqual([
      { value: '+420 602 111 222', type: 'mobile' },
      { value: '+420 222 333 444', type: 'work' },
    ]);
    expect(item(crm.db, 'person', id).data).toEqual({ ...data, categories: [] });
  });

  it('takes the server list of e-mails and phones but keeps the CRM kinds and labels', () => {
    const crm = newCrm();
    const { id } = richPerson(crm);
    const before = item(crm.db, 'person', id);
    const data = before.data as ContactData;
    const { after } = updateWith(crm, before, {
      ...data,
      emails: [
        { value: 'jan.dvorak@stavby-dvorak.example', type: 'other' }, // kind from a lossy server
        { value: 'novy@firma.example', type: 'home' },
        { value: 'jd@other.example', type: 'work' },
      ],
      phones: [
        { value: '+420602111222', type: 'work' }, // same number, other formatting
        { value: '+420 777 000 111', type: 'cell' },
      ],
    });
    const stored = getPerson(crm.db, id)!;
    expect(stored.emails).toEqual([
      { email: 'Jan.Dvorak@Stavby-Dvorak.example', kind: 'work', label: 'hlavní' },
      { email: 'novy@firma.example', kind: 'home', label: null },
      { email: 'jd@other.example', kind: 'other', label: null },
    ]);
    expect(stored.phones).toEqual([
      { number: '+420 602 111 222', kind: 'mobile', label: 'služební' },
      { number: '+420 777 000 111', kind: 'mobile', label: null },
    ]);
    expect(after.data).toMatchObject({ organization: 'Stavby Dvořák a.s.' });
  });

  it('keeps e-mails a server with a limit never had', () => {
    const crm = newCrm();
    const { id } = richPerson(crm);
    const before = item(crm.db, 'person', id);
    const data = before.data as ContactData;
    // Exchange holds three addresses: it got the first three and the user dropped the second.
    updateWith(
      crm,
      before,
      { ...data, emails: [data.emails[0]!, data.emails[2]!] },
      { listLimits: { emails: 3 } },
    );
    expect(getPerson(crm.db, id)?.emails.map((e) => e.email)).toEqual([
      'Jan.Dvorak@Stavby-Dvorak.example',
      'jd@other.example',
      'stary@other.example',
    ]);
  });

  it('makes the organization the first company, keeping every other link', () => {
    const crm = newCrm();
    const { id, first, second } = richPerson(crm);
    const before = item(crm.db, 'person', id);
    const data = before.data as ContactData;

    // A company the person is already linked to moves first (its role stays).
    updateWith(crm, before, { ...data, organization: 'ELEKTRO ČERNÝ S.R.O.' });
    expect(getPerson(crm.db, id)?.companies).toEqual([
      { companyId: second, role: 'konzultant' },
      { companyId: first, role: 'ředitel' },
    ]);

    // An existing company not linked yet.
    const third = insertCompany(crm.db, { name: 'Agrotech Morava s.r.o.' });
    updateWith(crm, item(crm.db, 'person', id), {
      ...data,
      organization: 'Agrotech Morava s.r.o.',
    });
    expect(getPerson(crm.db, id)?.companies.map((c) => c.companyId)).toEqual([
      third,
      second,
      first,
    ]);

    // A name no company has: the company is created, owned by the CRM user.
    const { result } = updateWith(crm, item(crm.db, 'person', id), {
      ...data,
      organization: 'Nová firma s.r.o.',
    });
    const created = findCompaniesByName(crm.db, 'Nová firma s.r.o.')[0]!;
    expect(getCompany(crm.db, created.id)?.ownerId).toBe(crm.ownerId);
    expect(result.notes).toContainEqual(
      expect.objectContaining({
        code: 'company-created',
        params: { company: 'Nová firma s.r.o.', id: created.id },
      }),
    );
    expect(getPerson(crm.db, id)?.companies.map((c) => c.companyId)).toEqual([
      created.id,
      third,
      second,
      first,
    ]);

    // No organization on the server: the links stay.
    const { result: kept } = updateWith(crm, item(crm.db, 'person', id), {
      ...data,
      organization: '',
    });
    expect(kept.notes.map((n) => n.code)).toContain('organization-kept');
    expect(getPerson(crm.db, id)?.companies).toHaveLength(4);
  });

  it('notes a company name several companies share', () => {
    const crm = newCrm();
    const a = insertCompany(crm.db, { name: 'Kovo s.r.o.' });
    insertCompany(crm.db, { name: 'Kovo s.r.o.' });
    const { created, result } = create(crm, 'person', {
      ...toContactData(getPerson(crm.db, richPerson(crm).id)!, null, []),
      organization: 'Kovo s.r.o.',
    });
    expect(getPerson(crm.db, created.crmId)?.companies).toEqual([{ companyId: a, role: null }]);
    expect(result.notes.map((n) => n.code)).toContain('company-ambiguous');
  });

  it('creates a person with categories, a classification node and the uid', () => {
    const crm = newCrm({ demo: true });
    const node = findNodeByPath(crm.db, 'Kontakty/Partneři')!;
    const data: ContactData = {
      kind: 'contact',
      firstName: 'Alena',
      lastName: 'Nová',
      prefix: '',
      suffix: '',
      organization: 'Agrotech Morava s.r.o.',
      jobTitle: '',
      emails: [{ value: 'alena@nova.example', type: 'home' }],
      phones: [],
      address: null,
      note: '',
      categories: ['ignored: categories come through extras'],
      photo: { mediaType: 'image/png', base64: PNG.toString('base64') },
    };
    const { created } = create(
      crm,
      'person',
      data,
      { categoryNames: ['Partner', 'Nový z Outlooku'], classificationNodeId: node.id },
      'vcard-alena',
    );
    expect(created.identity.uid).toBe('vcard-alena');
    expect(created.facts).toEqual({
      ownerId: crm.ownerId,
      groupName: null,
      classificationNodeId: node.id,
      showInCalendar: false,
    });
    expect(created.data).toEqual({ ...data, categories: ['Nový z Outlooku', 'Partner'] });

    // categoryName adds one; categoryNames undefined leaves the rest.
    const { after } = updateWith(crm, created, created.data, { categoryName: 'Zákazník' });
    expect(after.data.categories).toEqual(['Nový z Outlooku', 'Partner', 'Zákazník']);
    // Photo removed on the server.
    const { after: noPhoto } = updateWith(crm, after, {
      ...(after.data as ContactData),
      photo: null,
    });
    expect((noPhoto.data as ContactData).photo).toBeNull();
    expect(getPerson(crm.db, created.crmId)?.photo).toBeNull();
  });

  it('gives a nameless server contact a name the schema accepts', () => {
    const crm = newCrm();
    const { created, result } = create(crm, 'person', {
      kind: 'contact',
      firstName: '',
      lastName: '',
      prefix: '',
      suffix: '',
      organization: 'Recepce Hotel Palace',
      jobTitle: '',
      emails: [],
      phones: [{ value: '+420 224 093 111', type: 'work' }],
      address: null,
      note: '',
      categories: [],
      photo: null,
    });
    expect(created.data).toMatchObject({ lastName: 'Recepce Hotel Palace' });
    expect(result.notes.map((n) => n.code)).toContain('name-missing');
  });
});
