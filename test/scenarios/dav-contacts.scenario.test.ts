/**
 * vCard details only a CardDAV server shows, on Radicale and Xandikos (the contacts
 * behaviours every server shares are in test/conformance/contacts-tasks.test.ts).
 */
import { expect, it } from 'vitest';
import { listPersons, updatePerson } from '../../src/core/crm/persons.ts';
import { forEachDavServer } from '../support/dav-servers.ts';
import { installDav } from '../support/dav-installation.ts';
import { totals } from '../support/run-totals.ts';

const unfold = (t: string): string => t.replace(/\r?\n[ \t]/g, '');

forEachDavServer((server) => {
  it('reads a photo whose data: URI the server escaped with its media type repaired; writes REV in the basic form', async () => {
    const i = await installDav(server(), (s) => {
      s.agendas.events.enabled = false;
      s.agendas.tasks.enabled = false;
    });
    try {
      const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex').toString('base64');
      const { href } = await i.phone.putObject(
        i.addressBookUrl,
        null,
        [
          'BEGIN:VCARD',
          'VERSION:4.0',
          'UID:photo-card-1',
          'N:Fotková;Petra;;;',
          'FN:Petra Fotková',
          // As a server that takes PHOTO for text stores it: ";" and "," escaped.
          `PHOTO:data:image/png\\;base64\\,${png}`,
          'REV:2026-03-05T10:12:33Z',
          'END:VCARD',
          '',
        ].join('\r\n'),
        'text/vcard; charset=utf-8',
        { ifNoneMatch: '*' },
      );
      expect(totals(await i.sync()).crmCreated).toBe(1);
      const [person] = listPersons(i.db, {});
      expect(person!.photoType).toBe('image/png');
      expect(person!.photo?.toString('base64')).toBe(png);

      updatePerson(i.db, person!.id, { jobTitle: 'fotografka' });
      expect(totals(await i.sync()).serverUpdated).toBe(1);
      const after = unfold((await i.phone.getObject(href))!.data);
      expect(after).toMatch(/^REV:\d{8}T\d{6}Z$/m);
      // Nothing changed on the next run: the repaired type is what the server copy reads as.
      expect(totals(await i.sync())).toMatchObject({ serverUpdated: 0, crmUpdated: 0 });
    } finally {
      await i.close();
    }
  });
});
