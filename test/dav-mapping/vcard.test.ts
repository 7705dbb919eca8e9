import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isContactGroup, parseVCard, renderVCard } from '../../src/core/servers/dav/vcard/index.ts';
import { ItemError } from '../../src/core/servers/errors.ts';
import type { ContactData } from '../../src/core/model/items.ts';
import {
  contentLines,
  expectItemError,
  fixture,
  foldedLine,
  NOW,
  physicalLines,
} from './helpers.ts';

const photoBase64 = fixture('photo.b64').trim();

describe('parseVCard', () => {
  it('reads an iOS vCard 3.0: names, labels, preference order, fax by label, photo', () => {
    const parsed = parseVCard(fixture('ios-3.0.vcf'), 'Jana.vcf');
    expect(parsed.identity).toEqual({
      uid: '5F2A9C1E-7B3D-4E8F-A1B2-C3D4E5F6A7B8',
      crmStamp: null,
    });
    expect(parsed.modifiedAt).toBe('2026-03-05T10:12:33.000Z');
    expect(parsed.data).toEqual({
      kind: 'contact',
      firstName: 'Jana',
      lastName: 'Nováková',
      prefix: 'Ing.',
      suffix: 'Ph.D.',
      organization: 'ACME s.r.o.',
      jobTitle: 'Vedoucí prodeje',
      emails: [
        { value: 'jana.novakova@acme.cz', type: 'other' },
        { value: 'jana@example.cz', type: 'home' },
      ],
      phones: [
        { value: '+420 777 123 456', type: 'mobile' },
        { value: '+420 222 333 444', type: 'work' },
        { value: '+420 222 333 445', type: 'fax' },
      ],
      address: {
        street: 'Václavské náměstí 1',
        city: 'Praha 1',
        region: '',
        postalCode: '110 00',
        country: 'Česká republika',
      },
      note: 'Preferuje schůzky dopoledne, ne v pátek.\nVolat po 9:00.',
      categories: ['Klienti', 'VIP'],
      photo: { mediaType: 'image/jpeg', base64: photoBase64 },
    } satisfies ContactData);
  });

  it('reads a Nextcloud vCard 4.0: PREF, tel: URIs, escaped commas, data: URI photo', () => {
    const parsed = parseVCard(fixture('nextcloud-4.0.vcf'), 'smirnov.vcf');
    expect(parsed.modifiedAt).toBe('2026-03-01T10:00:00.000Z');
    expect(parsed.data).toMatchObject({
      firstName: 'Алексей',
      lastName: 'Смирнов',
      organization: 'ООО "Ромашка"',
      emails: [
        { value: 'a.smirnov@romashka.example', type: 'work' },
        { value: 'alexey@example.ru', type: 'home' },
      ],
      phones: [
        { value: '+7 916 123-45-67', type: 'mobile' },
        { value: '+7-495-123-45-67', type: 'work' },
      ],
      address: {
        street: 'ул. Тверская, 7',
        city: 'Москва',
        region: '',
        postalCode: '125009',
        country: 'Россия',
      },
      categories: ['Партнёры'],
      photo: { mediaType: 'image/jpeg', base64: photoBase64 },
    });
  });

  it('reads a company card without splitting the company into names', () => {
    const data = parseVCard(fixture('company-card-3.0.vcf'), 'skoda.vcf').data;
    expect([data.firstName, data.lastName, data.organization]).toEqual(['', '', 'Škoda Auto a.s.']);
  });

  it('fills names from FN when there is no N', () => {
    const text = 'BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Karel Hynek Mácha\r\nUID:k1\r\nEND:VCARD\r\n';
    expect(parseVCard(text, 'k').data).toMatchObject({
      firstName: 'Karel Hynek',
      lastName: 'Mácha',
    });
  });

  it('gives a card without UID the uid "" and a URL photo as no photo', () => {
    expect(parseVCard(fixture('no-uid-3.0.vcf'), 'x').identity).toEqual({
      uid: '',
      crmStamp: null,
    });
    const url = parseVCard(fixture('url-photo-4.0.vcf'), 'x');
    expect(url.data.photo).toBeNull();
    expect(url.identity.uid).toBe('urn:uuid:4fbe8971-0bc3-424c-9c26-36c3e1eff6b1');
  });

  it('reads X-CRM-SYNC-ID', () => {
    const text = fixture('no-uid-3.0.vcf').replace(
      'END:VCARD',
      'X-CRM-SYNC-ID:person-77\r\nEND:VCARD',
    );
    expect(parseVCard(text, 'x').identity.crmStamp).toBe('person-77');
  });

  const broken: [string, string, string][] = [
    ['empty text', '', 'no vCard'],
    ['no BEGIN/END', 'VERSION:3.0\r\nFN:Jan\r\n', 'not a valid vCard'],
    ['no END', 'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Jan\r\n', 'not a valid vCard'],
    [
      'neither FN nor N',
      'BEGIN:VCARD\r\nVERSION:3.0\r\nEMAIL:a@b.c\r\nEND:VCARD\r\n',
      'neither FN nor N',
    ],
    [
      'bad base64',
      'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Jan\r\nPHOTO;ENCODING=b;TYPE=JPEG:@@@notbase64@@@\r\nEND:VCARD\r\n',
      'PHOTO is not valid base64',
    ],
    [
      'bad data: URI',
      'BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Jan\r\nPHOTO:data:image/png;base64,%%%\r\nEND:VCARD\r\n',
      'PHOTO is not valid base64',
    ],
    [
      'vCard 2.1',
      'BEGIN:VCARD\r\nVERSION:2.1\r\nN:Novák;Jan\r\nEND:VCARD\r\n',
      'version 2.1 is not supported',
    ],
    ['two cards', `${fixture('no-uid-3.0.vcf')}${fixture('url-photo-4.0.vcf')}`, 'holds 2 vCards'],
    ['a calendar', fixture('google-utc.ics'), 'no vCard'],
  ];
  for (const [what, text, cause] of broken) {
    it(`reports ${what} as an ItemError naming the card`, () => {
      expectItemError(() => parseVCard(text, 'Novák.vcf'), '"Novák.vcf"', cause);
    });
  }
});

describe('renderVCard', () => {
  const contact: ContactData = {
    kind: 'contact',
    firstName: 'Jan',
    lastName: 'Novák',
    prefix: 'Ing.',
    suffix: 'Ph.D.',
    organization: 'ACME, s.r.o.',
    jobTitle: 'Ředitel; jednatel',
    emails: [
      { value: 'jan.novak@acme.cz', type: 'work' },
      { value: 'jan@example.cz', type: 'home' },
    ],
    phones: [
      { value: '+420 777 000 111', type: 'mobile' },
      { value: '+420 222 000 111', type: 'fax' },
    ],
    address: {
      street: 'Na Příkopě 12\nbudova B',
      city: 'Praha',
      region: '',
      postalCode: '110 00',
      country: 'CZ',
    },
    note: 'Poznámka',
    categories: ['Klienti'],
    photo: { mediaType: 'image/jpeg', base64: photoBase64 },
  };

  it('writes a new card as vCard 3.0 (or 4.0 when asked)', () => {
    const text = renderVCard(contact, { uid: 'card-1', crmStamp: 'person-1' }, undefined, {
      now: NOW,
    });
    const lines = contentLines(text);
    expect(lines.slice(0, 3)).toEqual([
      'BEGIN:VCARD',
      'VERSION:3.0',
      'PRODID:-//CRM Sync//CRM Sync//EN',
    ]);
    expect(lines).toContain('N:Novák;Jan;;Ing.;Ph.D.');
    expect(lines).toContain('FN:Ing. Jan Novák\\, Ph.D.');
    expect(lines).toContain('ORG:ACME\\, s.r.o.');
    expect(lines).toContain('EMAIL;TYPE=INTERNET,WORK,PREF:jan.novak@acme.cz');
    expect(lines).toContain('TEL;TYPE=CELL,PREF:+420 777 000 111');
    expect(lines).toContain('TEL;TYPE=FAX:+420 222 000 111');
    expect(lines).toContain('ADR;TYPE=WORK:;;Na Příkopě 12\\nbudova B;Praha;;110 00;CZ');
    expect(lines).toContain(`PHOTO;ENCODING=b;TYPE=JPEG:${photoBase64}`);
    expect(lines).toContain('X-CRM-SYNC-ID:person-1');
    expect(lines).toContain('REV:20260401T060000Z');
    for (const line of physicalLines(text)) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
    expect(parseVCard(text, 'x').data).toEqual(contact);

    const v4 = contentLines(
      renderVCard(contact, { uid: 'card-1', crmStamp: null }, undefined, {
        version: '4.0',
        now: NOW,
      }),
    );
    expect(v4).toContain('VERSION:4.0');
    expect(v4).toContain('EMAIL;TYPE=work;PREF=1:jan.novak@acme.cz');
    expect(v4).toContain(`PHOTO:data:image/jpeg;base64,${photoBase64}`);
    expect(v4).toContain('REV:20260401T060000Z');
  });

  it('patches an iOS card in place, keeping unknown properties and Apple groups byte for byte', () => {
    const text = fixture('ios-3.0.vcf');
    const parsed = parseVCard(text, 'Jana.vcf');
    const out = renderVCard(
      { ...parsed.data, jobTitle: 'Obchodní ředitelka' },
      parsed.identity,
      text,
      { now: NOW },
    );
    const kept = new Set(physicalLines(out));
    const lost = physicalLines(text).filter((l) => !kept.has(l));
    expect(lost).toEqual(['TITLE:Vedoucí prodeje', 'REV:2026-03-05T10:12:33Z']);
    for (const prefix of [
      'X-SOCIALPROFILE',
      'IMPP',
      'BDAY',
      'item5.URL',
      'item4.ADR',
      'item1.EMAIL',
      'PHOTO',
    ]) {
      expect(foldedLine(out, prefix)).toBe(foldedLine(text, prefix));
    }
  });

  it('rewrites only the e-mails that changed, keeping their parameters', () => {
    const text = fixture('ios-3.0.vcf');
    const parsed = parseVCard(text, 'Jana.vcf');
    const emails = [
      { value: 'jana@example.cz', type: 'home' },
      { value: 'jana.novakova@acme.cz', type: 'work' },
    ];
    const out = renderVCard({ ...parsed.data, emails }, parsed.identity, text, { now: NOW });
    const lines = contentLines(out).filter((l) => l.includes('EMAIL'));
    expect(lines).toEqual([
      'EMAIL;type=INTERNET,HOME,PREF:jana@example.cz',
      // The work address left its Apple group: the "Other" label would contradict TYPE.
      'EMAIL;type=INTERNET,WORK:Jana.Novakova@ACME.cz',
    ]);
    expect(out).not.toContain('_$!<Other>!$_');
    expect(parseVCard(out, 'x').data.emails).toEqual(emails);
  });

  it('keeps a label that stood alone before the patch', () => {
    const text = fixture('no-uid-3.0.vcf').replace(
      'END:VCARD',
      'item1.X-ABLabel:asistentka\r\nEND:VCARD',
    );
    const parsed = parseVCard(text, 'x');
    const out = renderVCard({ ...parsed.data, jobTitle: 'ředitel' }, parsed.identity, text, {
      now: NOW,
    });
    expect(contentLines(out)).toContain('item1.X-ABLabel:asistentka');
  });

  it('keeps a URL photo while the model has none, and the card version', () => {
    const text = fixture('url-photo-4.0.vcf');
    const parsed = parseVCard(text, 'x');
    const out = renderVCard({ ...parsed.data, note: 'Skladatel' }, parsed.identity, text, {
      now: NOW,
    });
    expect(contentLines(out)).toContain(
      'PHOTO;MEDIATYPE=image/jpeg:https://photos.example.org/smetana.jpg',
    );
    expect(contentLines(out)).toContain('VERSION:4.0');
    expect(contentLines(out)).toContain('NOTE:Skladatel');
  });

  it('patches a Nextcloud 4.0 card: tel: URI kept while unchanged, custom properties kept', () => {
    const text = fixture('nextcloud-4.0.vcf');
    const parsed = parseVCard(text, 'x');
    const out = renderVCard(
      { ...parsed.data, categories: ['Партнёры', 'VIP'] },
      parsed.identity,
      text,
      { now: NOW },
    );
    for (const prefix of ['TEL;VALUE=uri', 'X-CUSTOM-FIELD', 'ADR;', 'PHOTO:', 'EMAIL;TYPE=work']) {
      expect(foldedLine(out, prefix)).toBe(foldedLine(text, prefix));
    }
    expect(contentLines(out)).toContain('CATEGORIES:VIP,Партнёры');
    expect(contentLines(out)).toContain('REV:20260401T060000Z');
  });

  it('updates a company card: new company name also in FN', () => {
    const text = fixture('company-card-3.0.vcf');
    const parsed = parseVCard(text, 'x');
    const out = renderVCard({ ...parsed.data, organization: 'Škoda Auto' }, parsed.identity, text, {
      now: NOW,
    });
    expect(contentLines(out)).toContain('FN:Škoda Auto');
    expect(contentLines(out)).toContain('ORG:Škoda Auto;');
    expect(contentLines(out)).toContain('X-ABShowAs:COMPANY');
    expect(parseVCard(out, 'x').data.organization).toBe('Škoda Auto');
  });

  it('adds the CRM stamp to a UID-less card without inventing a UID, and needs a UID for new cards', () => {
    const text = fixture('no-uid-3.0.vcf');
    const parsed = parseVCard(text, 'x');
    const out = renderVCard(parsed.data, { uid: '', crmStamp: 'person-5' }, text, { now: NOW });
    expect(out).not.toContain('UID:');
    expect(contentLines(out)).toContain('X-CRM-SYNC-ID:person-5');
    expectItemError(() => renderVCard(parsed.data, { uid: '', crmStamp: null }), 'needs a UID');
    expectItemError(
      () => renderVCard(parsed.data, { uid: 'x', crmStamp: null }, 'garbage'),
      'not a valid vCard',
    );
  });
});

describe('REV and photo media types as other servers write them', () => {
  it('writes REV in the basic form also into a 3.0 card that had the extended form, and reads both', () => {
    const text = fixture('ios-3.0.vcf');
    expect(contentLines(text)).toContain('REV:2026-03-05T10:12:33Z');
    const parsed = parseVCard(text, 'Jana.vcf');
    const out = renderVCard({ ...parsed.data, jobTitle: 'Ředitelka' }, parsed.identity, text, {
      now: NOW,
    });
    expect(contentLines(out).filter((l) => l.startsWith('REV'))).toEqual(['REV:20260401T060000Z']);
    expect(parseVCard(out, 'x').modifiedAt).toBe('2026-04-01T06:00:00.000Z');
  });

  const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex').toString('base64');
  const card = (photo: string): string =>
    `BEGIN:VCARD\r\nVERSION:4.0\r\nUID:p1\r\nFN:Jan\r\nNOTE:x\r\n${photo}\r\nEND:VCARD\r\n`;

  it('repairs a data: URI whose ";" and "," the server escaped, and writes no broken type', () => {
    for (const escaped of [
      `PHOTO:data:image/png\\;base64,${png}`,
      `PHOTO:data:image/png\\;base64\\,${png}`,
    ]) {
      const parsed = parseVCard(card(escaped), 'Jan.vcf');
      expect(parsed.data.photo).toEqual({ mediaType: 'image/png', base64: png });
      // A new photo, and a CRM row that still holds the broken type from before, are
      // written with a valid media type.
      for (const mediaType of ['image/png', 'image/png\\']) {
        const out = contentLines(
          renderVCard(
            { ...parsed.data, photo: { mediaType, base64: png } },
            parsed.identity,
            undefined,
            { now: NOW, version: '4.0' },
          ),
        );
        expect(out).toContain(`PHOTO:data:image/png;base64,${png}`);
      }
    }
    const v3 = renderVCard(
      { ...parseVCard(card(`PHOTO:data:image/png\\;base64,${png}`), 'x').data },
      { uid: 'p1', crmStamp: null },
      undefined,
      { now: NOW },
    );
    expect(contentLines(v3)).toContain(`PHOTO;ENCODING=b;TYPE=PNG:${png}`);
  });

  it('keeps an unknown but valid media type as the server had it', () => {
    const text = card(`PHOTO:data:image/x-vendor.thing+xml;base64,${png}`);
    const parsed = parseVCard(text, 'x');
    expect(parsed.data.photo).toEqual({ mediaType: 'image/x-vendor.thing+xml', base64: png });
    const out = renderVCard({ ...parsed.data, note: 'y' }, parsed.identity, text, { now: NOW });
    expect(contentLines(out)).toContain(`PHOTO:data:image/x-vendor.thing+xml;base64,${png}`);
  });
});

describe('parseVCard: mangled cards', () => {
  it('never throws anything but ItemError, and what it reads it can write back', () => {
    const sources = ['ios-3.0.vcf', 'nextcloud-4.0.vcf', 'company-card-3.0.vcf'].map(fixture);
    fc.assert(
      fc.property(
        fc.constantFrom(...sources),
        fc.array(
          fc.record({
            at: fc.nat(),
            length: fc.nat({ max: 30 }),
            insert: fc.oneof(
              fc.constantFrom(
                '',
                ':',
                ';',
                '"',
                '\r\n',
                '\r\n ',
                'item9.',
                'TYPE=',
                ',',
                '\\',
                '=',
                'data:',
              ),
              fc.string({ maxLength: 6 }),
            ),
          }),
          { minLength: 1, maxLength: 4 },
        ),
        (source, cuts) => {
          let text = source;
          for (const cut of cuts) {
            const at = cut.at % (text.length + 1);
            text = text.slice(0, at) + cut.insert + text.slice(at + cut.length);
          }
          try {
            const parsed = parseVCard(text, 'fuzz');
            const out = renderVCard(
              parsed.data,
              { ...parsed.identity, uid: parsed.identity.uid || 'u' },
              text,
              {
                now: NOW,
              },
            );
            expect(parseVCard(out, 'fuzz').data).toBeDefined();
          } catch (err) {
            if (!(err instanceof ItemError)) throw err;
          }
        },
      ),
      { numRuns: 400 },
    );
  });
});

describe('contact groups', () => {
  const group = [
    'BEGIN:VCARD',
    'VERSION:3.0',
    'PRODID:-//Apple Inc.//macOS 15.3//EN',
    'N:Klienti VIP',
    'FN:Klienti VIP',
    'X-ADDRESSBOOKSERVER-KIND:group',
    'X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:5F2A9C1E-7B3D-4E8F-A1B2-C3D4E5F6A7B8',
    'UID:0D1E2F3A-4B5C-4D6E-8F70-8192A3B4C5D6',
    'END:VCARD',
    '',
  ].join('\r\n');

  it('tells groups from people, and refuses to read a group as a person', () => {
    expect(isContactGroup(group)).toBe(true);
    expect(
      isContactGroup(
        group.replace('VERSION:3.0', 'VERSION:4.0').replace('X-ADDRESSBOOKSERVER-KIND', 'KIND'),
      ),
    ).toBe(true);
    expect(isContactGroup(fixture('ios-3.0.vcf'))).toBe(false);
    expect(isContactGroup('garbage')).toBe(false);
    const error = expectItemError(() => parseVCard(group, 'Klienti VIP'), 'contact group');
    expect(error).toMatchObject({ code: 'item-contact-group', params: { item: 'Klienti VIP' } });
  });
});
