/**
 * A realistic Czech sample CRM for `crm-sync init --demo`, trials and end-to-end tests:
 * users, companies, persons, categories, the classification tree, activity groups, and
 * events and tasks placed around `today` (Europe/Prague). The same `today` gives the same
 * data (apart from password salts and creation stamps). All addresses use the reserved
 * ".example" domain, so nothing can ever reach a real mailbox.
 */
import { createCategory } from '../core/crm/categories.ts';
import { ensureNodePath } from '../core/crm/classification.ts';
import { insertCompany } from '../core/crm/companies.ts';
import type { CrmDatabase } from '../core/crm/database.ts';
import { insertDocument } from '../core/crm/documents.ts';
import { insertEmail } from '../core/crm/emails.ts';
import { insertEvent } from '../core/crm/events.ts';
import { createGroup } from '../core/crm/groups.ts';
import { insertPerson } from '../core/crm/persons.ts';
import { inTransaction } from '../core/crm/sql.ts';
import { insertTask } from '../core/crm/tasks.ts';
import { addDays, isoWeekday } from '../core/time/calendar-dates.ts';
import { dateInZone, zonedTimeToUtc } from '../core/crm/time.ts';
import type { CategoryKind, NewCompany, NewEvent, NewPerson } from '../core/crm/types.ts';
import { createUser } from '../core/crm/users.ts';

export const DEMO_TIME_ZONE = 'Europe/Prague';

export interface DemoOptions {
  /** The day the sample is centred on (its date in Europe/Prague counts). */
  today: Date;
  /** Password of every demo user. */
  password: string;
}

export interface DemoCounts {
  users: number;
  companies: number;
  persons: number;
  events: number;
  tasks: number;
}

const CATEGORIES: { name: string; kind: CategoryKind; icon: string; color: string }[] = [
  { name: 'HOTLINE', kind: 'event', icon: 'phone-alert', color: '#D13438' },
  { name: 'REGISTRACE', kind: 'event', icon: 'id-card', color: '#8764B8' },
  { name: 'INSTALACE', kind: 'event', icon: 'wrench', color: '#CA5010' },
  { name: 'Schůzka', kind: 'event', icon: 'people', color: '#0078D4' },
  { name: 'Telefonát', kind: 'event', icon: 'phone', color: '#498205' },
  { name: 'Nabídka', kind: 'task', icon: 'document-edit', color: '#038387' },
  { name: 'Fakturace', kind: 'task', icon: 'receipt', color: '#986F0B' },
  { name: 'Zákazník', kind: 'contact', icon: 'person-star', color: '#0078D4' },
  { name: 'Dodavatel', kind: 'contact', icon: 'truck', color: '#CA5010' },
  { name: 'Partner', kind: 'contact', icon: 'handshake', color: '#498205' },
  { name: 'Příloha', kind: 'document', icon: 'paperclip', color: '#69797E' },
];

const NODE_PATHS = [
  'Kontakty/Zákazníci/Velkoobchod',
  'Kontakty/Zákazníci/Maloobchod',
  'Kontakty/Dodavatelé',
  'Kontakty/Partneři',
];

// IČO values carry a valid mod-11 check digit.
const COMPANIES: NewCompany[] = [
  {
    name: 'Agrotech Morava s.r.o.',
    ico: '25634879',
    vatNo: 'CZ25634879',
    street: 'Palackého 1234/12',
    city: 'Brno',
    postalCode: '602 00',
    region: 'Jihomoravský kraj',
    country: 'Česká republika',
    phone: '+420 541 123 456',
    email: 'info@agrotech-morava.example',
    web: 'https://www.agrotech-morava.example',
    note: 'Velkoodběratel hnojiv a osiv, platí vždy včas.',
  },
  {
    name: 'Stavby Dvořák a.s.',
    ico: '27145239',
    vatNo: 'CZ27145239',
    street: 'náměstí Míru 820/9',
    city: 'Praha 2',
    postalCode: '120 00',
    region: 'Hlavní město Praha',
    country: 'Česká republika',
    phone: '+420 222 514 300',
    email: 'recepce@stavby-dvorak.example',
    web: 'https://stavby-dvorak.example',
    note: null,
  },
  {
    name: 'Pekárna U Šťastných s.r.o.',
    ico: '45612382',
    vatNo: 'CZ45612382',
    street: 'Husova 45',
    city: 'České Budějovice',
    postalCode: '370 01',
    region: 'Jihočeský kraj',
    country: 'Česká republika',
    phone: '+420 387 411 222',
    email: 'objednavky@pekarna-stastnych.example',
    web: null,
    note: 'Rodinná pekárna, tři prodejny.',
  },
  {
    name: 'ElektroServis Černý s.r.o.',
    ico: '28931564',
    vatNo: 'CZ28931564',
    street: 'Masarykova 1532/7',
    city: 'Ústí nad Labem',
    postalCode: '400 01',
    region: 'Ústecký kraj',
    country: 'Česká republika',
    phone: '+420 475 600 111',
    email: 'servis@elektro-cerny.example',
    web: 'https://elektro-cerny.example',
    note: 'Dodavatel serverů a záložních zdrojů.',
  },
  {
    name: 'Účetní kancelář Horáková s.r.o.',
    ico: '60728493',
    vatNo: null,
    street: 'třída Svobody 18',
    city: 'Olomouc',
    postalCode: '779 00',
    region: 'Olomoucký kraj',
    country: 'Česká republika',
    phone: '+420 585 222 333',
    email: 'kancelar@ucetni-horakova.example',
    web: null,
    note: 'Partner pro zavádění účetního software.',
  },
  {
    name: 'Železářství Kovář a.s.',
    ico: '45193673',
    vatNo: 'CZ45193673',
    street: 'Nádražní 2210',
    city: 'Ostrava',
    postalCode: '702 00',
    region: 'Moravskoslezský kraj',
    country: 'Česká republika',
    phone: '+420 596 111 987',
    email: 'obchod@zelezarstvi-kovar.example',
    web: 'https://zelezarstvi-kovar.example',
    note: null,
  },
];

type DemoPerson = Omit<NewPerson, 'companies' | 'categoryIds' | 'nodeId' | 'ownerId'> & {
  companies: { company: number; role: string | null }[];
  categories: string[];
  node: string;
  owner: string;
};

// Companies are referred to by their index in COMPANIES.
const PERSONS: DemoPerson[] = [
  {
    title: 'Ing.',
    firstName: 'Jan',
    lastName: 'Dvořák',
    jobTitle: 'ředitel',
    emails: [
      { email: 'jan.dvorak@stavby-dvorak.example', kind: 'work' },
      { email: 'jan.dvorak@seznam-demo.example', kind: 'home', label: 'soukromý' },
    ],
    phones: [
      { number: '+420 222 514 301', kind: 'work' },
      { number: '+420 603 112 233', kind: 'mobile' },
    ],
    companies: [{ company: 1, role: 'ředitel' }],
    categories: ['Zákazník'],
    node: 'Kontakty/Zákazníci/Velkoobchod',
    owner: 'pbartos',
    street: 'Korunní 88',
    city: 'Praha 10',
    postalCode: '101 00',
    country: 'Česká republika',
  },
  {
    firstName: 'Lucie',
    lastName: 'Dvořáková',
    jobTitle: 'asistentka ředitele',
    emails: [{ email: 'lucie.dvorakova@stavby-dvorak.example', kind: 'work' }],
    phones: [{ number: '+420 222 514 302', kind: 'work' }],
    companies: [{ company: 1, role: 'asistentka' }],
    categories: ['Zákazník'],
    node: 'Kontakty/Zákazníci/Velkoobchod',
    owner: 'pbartos',
  },
  {
    title: 'Ing.',
    firstName: 'Petr',
    lastName: 'Svoboda',
    titleAfter: 'Ph.D.',
    jobTitle: 'vedoucí nákupu',
    emails: [
      { email: 'petr.svoboda@agrotech-morava.example', kind: 'work' },
      { email: 'p.svoboda@post-demo.example', kind: 'home' },
    ],
    phones: [
      { number: '+420 541 123 460', kind: 'work' },
      { number: '+420 724 555 010', kind: 'mobile' },
    ],
    companies: [{ company: 0, role: 'vedoucí nákupu' }],
    categories: ['Zákazník'],
    node: 'Kontakty/Zákazníci/Velkoobchod',
    owner: 'pbartos',
  },
  {
    firstName: 'Tereza',
    lastName: 'Procházková',
    jobTitle: 'účetní',
    emails: [{ email: 'tereza.prochazkova@agrotech-morava.example', kind: 'work' }],
    phones: [{ number: '+420 541 123 465', kind: 'work' }],
    companies: [{ company: 0, role: 'účetní' }],
    categories: ['Zákazník'],
    node: 'Kontakty/Zákazníci/Velkoobchod',
    owner: 'jnovakova',
  },
  {
    firstName: 'Josef',
    lastName: 'Šťastný',
    jobTitle: 'majitel',
    emails: [
      { email: 'josef@pekarna-stastnych.example', kind: 'work' },
      { email: 'pepa.stastny@seznam-demo.example', kind: 'home', label: 'soukromý' },
    ],
    phones: [
      { number: '+420 387 411 223', kind: 'work' },
      { number: '+420 777 808 909', kind: 'mobile' },
    ],
    companies: [{ company: 2, role: 'jednatel' }],
    categories: ['Zákazník'],
    node: 'Kontakty/Zákazníci/Maloobchod',
    owner: 'jnovakova',
    street: 'Lannova třída 20',
    city: 'České Budějovice',
    postalCode: '370 01',
    region: 'Jihočeský kraj',
    country: 'Česká republika',
  },
  {
    firstName: 'Marie',
    lastName: 'Šťastná',
    jobTitle: 'vedoucí prodejny',
    emails: [{ email: 'marie@pekarna-stastnych.example', kind: 'work' }],
    phones: [{ number: '+420 607 121 314', kind: 'mobile' }],
    companies: [{ company: 2, role: 'vedoucí prodejny' }],
    categories: ['Zákazník'],
    node: 'Kontakty/Zákazníci/Maloobchod',
    owner: 'jnovakova',
  },
  {
    firstName: 'Tomáš',
    lastName: 'Černý',
    jobTitle: 'jednatel',
    emails: [
      { email: 'tomas.cerny@elektro-cerny.example', kind: 'work' },
      { email: 'tomas.cerny@gmail-demo.example', kind: 'home' },
    ],
    phones: [
      { number: '+420 475 600 112', kind: 'work' },
      { number: '+420 602 333 444', kind: 'mobile' },
      { number: '+420 475 600 119', kind: 'fax' },
    ],
    companies: [{ company: 3, role: 'jednatel' }],
    categories: ['Dodavatel'],
    node: 'Kontakty/Dodavatelé',
    owner: 'pbartos',
  },
  {
    firstName: 'Radek',
    lastName: 'Veselý',
    jobTitle: 'servisní technik',
    emails: [{ email: 'radek.vesely@elektro-cerny.example', kind: 'work' }],
    phones: [{ number: '+420 731 222 111', kind: 'mobile' }],
    companies: [{ company: 3, role: 'technik' }],
    categories: ['Dodavatel'],
    node: 'Kontakty/Dodavatelé',
    owner: 'mkral',
  },
  {
    title: 'Ing.',
    firstName: 'Eva',
    lastName: 'Horáková',
    jobTitle: 'jednatelka',
    emails: [
      { email: 'eva.horakova@ucetni-horakova.example', kind: 'work' },
      { email: 'eva.horakova@agrotech-morava.example', kind: 'work', label: 'externí účetní' },
    ],
    phones: [
      { number: '+420 585 222 334', kind: 'work' },
      { number: '+420 608 909 101', kind: 'mobile' },
    ],
    // Keeps the books of Agrotech too: one person, two companies.
    companies: [
      { company: 4, role: 'jednatelka' },
      { company: 0, role: 'externí účetní' },
    ],
    categories: ['Partner', 'Zákazník'],
    node: 'Kontakty/Partneři',
    owner: 'jnovakova',
  },
  {
    firstName: 'Kateřina',
    lastName: 'Marková',
    jobTitle: 'daňová poradkyně',
    emails: [{ email: 'katerina.markova@ucetni-horakova.example', kind: 'work' }],
    phones: [{ number: '+420 585 222 340', kind: 'work' }],
    companies: [{ company: 4, role: 'daňová poradkyně' }],
    categories: ['Partner'],
    node: 'Kontakty/Partneři',
    owner: 'jnovakova',
  },
  {
    firstName: 'Miroslav',
    lastName: 'Kovář',
    jobTitle: 'obchodní ředitel',
    emails: [
      { email: 'miroslav.kovar@zelezarstvi-kovar.example', kind: 'work' },
      { email: 'mirek.kovar@seznam-demo.example', kind: 'home' },
    ],
    phones: [
      { number: '+420 596 111 988', kind: 'work' },
      { number: '+420 739 456 789', kind: 'mobile' },
    ],
    companies: [
      { company: 5, role: 'obchodní ředitel' },
      { company: 1, role: 'člen dozorčí rady' },
    ],
    categories: ['Zákazník'],
    node: 'Kontakty/Zákazníci/Velkoobchod',
    owner: 'pbartos',
  },
  {
    firstName: 'Zdeňka',
    lastName: 'Bílá',
    jobTitle: 'skladnice',
    emails: [{ email: 'zdenka.bila@zelezarstvi-kovar.example', kind: 'work' }],
    phones: [{ number: '+420 596 111 990', kind: 'work' }],
    companies: [{ company: 5, role: 'sklad' }],
    categories: ['Zákazník'],
    node: 'Kontakty/Zákazníci/Maloobchod',
    owner: 'mkral',
  },
  {
    title: 'Mgr.',
    firstName: 'Ondřej',
    lastName: 'Růžička',
    jobTitle: 'IT konzultant',
    emails: [
      { email: 'ondrej@ruzicka-it.example', kind: 'work' },
      { email: 'ondrej.ruzicka@post-demo.example', kind: 'home' },
    ],
    phones: [{ number: '+420 720 010 203', kind: 'mobile' }],
    companies: [],
    categories: ['Partner'],
    node: 'Kontakty/Partneři',
    owner: 'mkral',
    note: 'OSVČ, pomáhá s instalacemi na Moravě.',
  },
  {
    firstName: 'Hana',
    lastName: 'Němcová',
    jobTitle: 'nákupčí',
    emails: [{ email: 'hana.nemcova@stavby-dvorak.example', kind: 'work' }],
    phones: [
      { number: '+420 222 514 310', kind: 'work' },
      { number: '+420 734 101 202', kind: 'mobile' },
    ],
    companies: [{ company: 1, role: 'nákup' }],
    categories: ['Zákazník'],
    node: 'Kontakty/Zákazníci/Velkoobchod',
    owner: 'pbartos',
  },
  {
    firstName: 'Václav',
    lastName: 'Pokorný',
    jobTitle: 'obchodní zástupce',
    emails: [{ email: 'vaclav.pokorny@elektro-cerny.example', kind: 'work' }],
    phones: [{ number: '+420 725 656 565', kind: 'mobile' }],
    companies: [
      { company: 3, role: 'obchod' },
      { company: 5, role: 'externí dodavatel' },
    ],
    categories: ['Dodavatel'],
    node: 'Kontakty/Dodavatelé',
    owner: 'pbartos',
  },
];

const USERS = [
  { login: 'pbartos', displayName: 'Pavel Bartoš', email: 'pavel.bartos@nasefirma.example' },
  { login: 'jnovakova', displayName: 'Jana Nováková', email: 'jana.novakova@nasefirma.example' },
  { login: 'mkral', displayName: 'Martin Král', email: 'martin.kral@nasefirma.example' },
];

function required<T>(map: Map<string, T>, key: string): T {
  const value = map.get(key);
  if (value === undefined) throw new Error(`Demo data refers to unknown "${key}".`);
  return value;
}

/** Fills an empty CRM database with the sample; returns how many of each were added. */
export function seedDemoData(db: CrmDatabase, options: DemoOptions): DemoCounts {
  return inTransaction(db, () => seed(db, options));
}

function seed(db: CrmDatabase, options: DemoOptions): DemoCounts {
  const zone = DEMO_TIME_ZONE;
  const today = dateInZone(options.today, zone);
  const day = (offset: number) => addDays(today, offset);
  const at = (offset: number, time: string) => zonedTimeToUtc(day(offset), time, zone);

  const users = new Map<string, number>();
  for (const u of USERS) users.set(u.login, createUser(db, { ...u, password: options.password }));
  const user = (login: string) => required(users, login);

  const categories = new Map<string, number>();
  CATEGORIES.forEach((c, position) =>
    categories.set(c.name, createCategory(db, { ...c, position })),
  );
  const category = (name: string) => required(categories, name);

  const nodes = new Map<string, number>();
  for (const path of NODE_PATHS) nodes.set(path, ensureNodePath(db, path));

  const groups = new Map<string, number>([
    ['Obchod', createGroup(db, { name: 'Obchod', note: 'Obchodní oddělení' })],
    ['Servis', createGroup(db, { name: 'Servis', note: 'Technická podpora a instalace' })],
  ]);
  const group = (name: string) => required(groups, name);

  const companyIds = COMPANIES.map((c, i) =>
    insertCompany(db, { ...c, ownerId: user(i % 2 === 0 ? 'pbartos' : 'jnovakova') }),
  );
  const company = (index: number) => {
    const id = companyIds[index];
    if (id === undefined) throw new Error(`Demo data refers to company #${index}.`);
    return id;
  };

  const personIds = new Map<string, number>();
  for (const p of PERSONS) {
    const { companies, categories: names, node, owner, ...fields } = p;
    const id = insertPerson(db, {
      ...fields,
      ownerId: user(owner),
      nodeId: required(nodes, node),
      companies: companies.map((c) => ({ companyId: company(c.company), role: c.role })),
      categoryIds: names.map(category),
    });
    personIds.set(`${p.firstName} ${p.lastName}`, id);
  }
  const person = (name: string) => required(personIds, name);
  const mail = (name: string): string => {
    const p = PERSONS.find((x) => `${x.firstName} ${x.lastName}` === name);
    const first = p?.emails?.[0];
    if (first === undefined) throw new Error(`Demo person "${name}" has no e-mail.`);
    return typeof first === 'string' ? first : first.email;
  };

  const pavel = USERS[0]!;
  const jana = USERS[1]!;
  const organizer = (u: typeof pavel) => ({
    organizerEmail: u.email,
    organizerName: u.displayName,
  });

  // The weekly meeting started on the Monday two weeks before today's week.
  const mondayOffset = -(isoWeekday(today) - 1) - 14;
  const weeklyStart = (weeks: number, time = '09:00') => at(mondayOffset + 7 * weeks, time);

  const events: NewEvent[] = [
    {
      subject: 'Schůzka – roční objednávka osiv',
      location: 'Agrotech Morava, Palackého 1234/12, Brno',
      description: 'Projít objem objednávky na příští sezónu a platební podmínky.',
      allDay: false,
      start: at(1, '10:00'),
      end: at(1, '11:30'),
      timeZone: zone,
      status: 'Naplánováno',
      categoryId: category('Schůzka'),
      ownerId: user('pbartos'),
      groupId: group('Obchod'),
      reminderMinutes: 15,
      ...organizer(pavel),
      attendees: [
        { email: mail('Petr Svoboda'), name: 'Ing. Petr Svoboda, Ph.D.', response: 'accepted' },
        { email: 'eva.horakova@agrotech-morava.example', name: 'Eva Horáková', role: 'optional' },
      ],
      personIds: [person('Petr Svoboda'), person('Eva Horáková')],
      companyIds: [company(0)],
    },
    {
      subject: 'HOTLINE – nejde tisk faktur',
      description: 'Po aktualizaci tiskne modul Fakturace prázdné stránky.',
      allDay: false,
      start: at(0, '08:15'),
      end: at(0, '08:40'),
      timeZone: zone,
      status: 'Incoming',
      categoryId: category('HOTLINE'),
      ownerId: user('jnovakova'),
      groupId: group('Servis'),
      personIds: [person('Josef Šťastný')],
      companyIds: [company(2)],
    },
    {
      subject: 'REGISTRACE – licence pro 3 pokladny',
      allDay: false,
      start: at(-3, '14:00'),
      end: at(-3, '14:30'),
      timeZone: zone,
      status: 'Vyřízeno',
      categoryId: category('REGISTRACE'),
      ownerId: user('jnovakova'),
      groupId: group('Servis'),
      personIds: [person('Marie Šťastná')],
      companyIds: [company(2)],
    },
    {
      subject: 'Telefonát – nabídka servisní smlouvy',
      allDay: false,
      start: at(-1, '11:00'),
      end: at(-1, '11:15'),
      timeZone: zone,
      status: 'Vyřízeno',
      categoryId: category('Telefonát'),
      ownerId: user('pbartos'),
      groupId: group('Obchod'),
      personIds: [person('Miroslav Kovář')],
      companyIds: [company(5)],
    },
    {
      subject: 'INSTALACE – nový server a záložní zdroj',
      location: 'Stavby Dvořák, náměstí Míru 820/9, Praha 2',
      allDay: false,
      start: at(4, '08:00'),
      end: at(4, '16:00'),
      timeZone: zone,
      status: 'Naplánováno',
      categoryId: category('INSTALACE'),
      ownerId: user('mkral'),
      groupId: group('Servis'),
      reminderMinutes: 60,
      ...organizer(jana),
      attendees: [
        { email: USERS[2]!.email, name: 'Martin Král', role: 'chair', response: 'accepted' },
        { email: mail('Radek Veselý'), name: 'Radek Veselý', response: 'tentative' },
        { email: mail('Hana Němcová'), name: 'Hana Němcová', role: 'optional' },
        { email: 'zasedacka@stavby-dvorak.example', name: 'Zasedací místnost', role: 'resource' },
      ],
      personIds: [person('Radek Veselý'), person('Hana Němcová')],
      companyIds: [company(1), company(3)],
    },
    {
      subject: 'Inventura skladu',
      allDay: true,
      start: day(3),
      end: day(4),
      isPrivate: false,
      ownerId: user('mkral'),
      groupId: group('Servis'),
    },
    {
      subject: 'Veletrh FOR ARCH – stánek C12',
      location: 'PVA EXPO Praha, Letňany',
      allDay: true,
      start: day(8),
      end: day(11),
      timeZone: zone,
      categoryId: category('Schůzka'),
      ownerId: user('pbartos'),
      groupId: group('Obchod'),
      reminderMinutes: 1440,
    },
    {
      subject: 'Porada obchodního týmu',
      location: 'Zasedačka 2. patro',
      allDay: false,
      start: weeklyStart(0),
      end: weeklyStart(0, '10:00'),
      timeZone: zone,
      rrule: 'FREQ=WEEKLY;BYDAY=MO',
      categoryId: category('Schůzka'),
      ownerId: user('pbartos'),
      groupId: group('Obchod'),
      reminderMinutes: 10,
      ...organizer(pavel),
      attendees: [
        { email: jana.email, name: jana.displayName, response: 'accepted' },
        { email: USERS[2]!.email, name: 'Martin Král', role: 'optional' },
      ],
      // The third meeting is cancelled; the fourth moves to Tuesday afternoon.
      exdates: [weeklyStart(2)],
      overrides: [
        {
          recurrenceId: weeklyStart(3),
          start: at(mondayOffset + 22, '13:00'),
          end: at(mondayOffset + 22, '14:00'),
          subject: 'Porada obchodního týmu (přesunuto na úterý)',
        },
      ],
    },
    {
      subject: 'Školení obsluhy – účetní modul',
      location: 'Účetní kancelář Horáková, Olomouc',
      allDay: false,
      start: at(14, '08:30'),
      end: at(14, '12:00'),
      timeZone: zone,
      rrule: 'FREQ=DAILY;COUNT=5',
      categoryId: category('INSTALACE'),
      ownerId: user('jnovakova'),
      groupId: group('Servis'),
      ...organizer(jana),
      attendees: [
        { email: mail('Eva Horáková'), name: 'Ing. Eva Horáková', response: 'accepted' },
        { email: mail('Kateřina Marková'), name: 'Kateřina Marková' },
      ],
      personIds: [person('Eva Horáková'), person('Kateřina Marková')],
      companyIds: [company(4)],
    },
    {
      subject: 'Zubař',
      allDay: false,
      start: at(2, '07:30'),
      end: at(2, '08:00'),
      timeZone: zone,
      isPrivate: true,
      ownerId: user('pbartos'),
      reminderMinutes: 30,
    },
    {
      subject: 'Dovolená',
      allDay: true,
      start: day(20),
      end: day(25),
      isPrivate: true,
      ownerId: user('jnovakova'),
    },
    {
      subject: 'Schůzka – reklamace dodávky kování',
      location: 'Železářství Kovář, Nádražní 2210, Ostrava',
      allDay: false,
      start: at(-10, '13:00'),
      end: at(-10, '14:30'),
      timeZone: zone,
      status: 'Vyřízeno',
      categoryId: category('Schůzka'),
      ownerId: user('pbartos'),
      groupId: group('Obchod'),
      ...organizer(pavel),
      attendees: [
        { email: mail('Miroslav Kovář'), name: 'Miroslav Kovář', response: 'accepted' },
        { email: mail('Zdeňka Bílá'), name: 'Zdeňka Bílá', response: 'declined' },
      ],
      personIds: [person('Miroslav Kovář'), person('Zdeňka Bílá')],
      companyIds: [company(5)],
    },
  ];
  for (const e of events) insertEvent(db, e);

  const tasks = [
    insertTask(db, {
      subject: 'Připravit nabídku pro Stavby Dvořák',
      description: 'Server, UPS, instalace a roční servis.',
      allDay: true,
      start: day(1),
      due: day(5),
      priority: 'high',
      categoryId: category('Nabídka'),
      ownerId: user('pbartos'),
      groupId: group('Obchod'),
      showInCalendar: true,
    }),
    insertTask(db, {
      subject: 'Zavolat panu Šťastnému kvůli reklamaci',
      allDay: false,
      start: at(0, '13:00'),
      due: at(0, '14:00'),
      timeZone: zone,
      percentComplete: 50,
      priority: 'high',
      ownerId: user('jnovakova'),
      groupId: group('Servis'),
      showInCalendar: true,
    }),
    insertTask(db, {
      subject: 'Vystavit fakturu – Pekárna U Šťastných',
      allDay: true,
      due: day(-2),
      completedAt: at(-2, '15:20'),
      percentComplete: 100,
      categoryId: category('Fakturace'),
      ownerId: user('jnovakova'),
      groupId: group('Obchod'),
    }),
    insertTask(db, {
      subject: 'Objednat tonery do kanceláře',
      priority: 'low',
      ownerId: user('mkral'),
    }),
    insertTask(db, {
      subject: 'Aktualizovat ceník služeb',
      allDay: true,
      due: day(14),
      priority: 'normal',
      ownerId: user('pbartos'),
      groupId: group('Obchod'),
    }),
    insertTask(db, {
      subject: 'Kontrola záloh serveru u Agrotechu',
      allDay: false,
      start: at(7, '16:00'),
      due: at(7, '17:00'),
      timeZone: zone,
      ownerId: user('mkral'),
      groupId: group('Servis'),
      showInCalendar: true,
      percentComplete: 0,
    }),
    insertTask(db, {
      subject: 'Dárek k narozeninám pro Janu',
      allDay: true,
      due: day(6),
      isPrivate: true,
      ownerId: user('pbartos'),
    }),
    insertTask(db, {
      subject: 'Vyřídit reklamaci kování',
      allDay: true,
      start: day(-10),
      due: day(-5),
      completedAt: at(-6, '10:45'),
      percentComplete: 100,
      priority: 'high',
      ownerId: user('pbartos'),
      groupId: group('Obchod'),
    }),
  ];

  const enquiry = insertEmail(db, {
    messageId: `<poptavka-${today}@stavby-dvorak.example>`,
    folder: 'Doručená pošta',
    fromEmail: mail('Hana Němcová'),
    fromName: 'Hana Němcová',
    to: [{ email: pavel.email, name: pavel.displayName }],
    cc: [{ email: mail('Jan Dvořák'), name: 'Ing. Jan Dvořák' }],
    subject: 'Poptávka – server a záložní zdroj',
    receivedAt: at(-2, '09:12'),
    bodyText:
      'Dobrý den, pane Bartoši,\n\nprosíme o nabídku na nový server včetně UPS a instalace.\nV příloze posílám požadavky.\n\nS pozdravem\nHana Němcová',
    ownerId: user('pbartos'),
    personIds: [person('Hana Němcová'), person('Jan Dvořák')],
    companyIds: [company(1)],
  });
  insertDocument(db, {
    emailId: enquiry,
    path: `Prilohy/${day(-2)}/pozadavky-server.pdf`,
    fileName: 'požadavky-server.pdf',
    size: 48213,
    sha256: '9f2b4c1d6e8a0b3c5d7e9f1a2b4c6d8e0f1a3b5c7d9e1f2a4b6c8d0e2f4a6b8c',
    mimeType: 'application/pdf',
    categoryId: category('Příloha'),
  });
  insertEmail(db, {
    messageId: `<faktura-${today}@pekarna-stastnych.example>`,
    folder: 'Doručená pošta',
    fromEmail: mail('Josef Šťastný'),
    fromName: 'Josef Šťastný',
    to: [{ email: jana.email, name: jana.displayName }],
    subject: 'Re: Faktura za licence',
    receivedAt: at(-1, '16:40'),
    bodyText: 'Děkuji, faktura je v pořádku a bude uhrazena do splatnosti.',
    ownerId: user('jnovakova'),
    personIds: [person('Josef Šťastný')],
    companyIds: [company(2)],
  });

  return {
    users: users.size,
    companies: companyIds.length,
    persons: personIds.size,
    events: events.length,
    tasks: tasks.length,
  };
}
