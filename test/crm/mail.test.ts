import { describe, expect, it } from 'vitest';
import { createCategory } from '../../src/core/crm/categories.ts';
import { insertCompany } from '../../src/core/crm/companies.ts';
import {
  deleteDocument,
  findDocumentsBySha256,
  getDocument,
  insertDocument,
  listDocumentsOfEmail,
} from '../../src/core/crm/documents.ts';
import {
  deleteEmail,
  findEmailByMessageId,
  getEmail,
  insertEmail,
  listEmails,
  setEmailLinks,
} from '../../src/core/crm/emails.ts';
import { insertPerson } from '../../src/core/crm/persons.ts';
import { newCrm } from './helpers.ts';

describe('e-mails and documents', () => {
  it('stores a message with addresses, links and a saved attachment', () => {
    const { db } = newCrm();
    const person = insertPerson(db, { firstName: 'Hana', emails: ['hana@stavby.example'] });
    const company = insertCompany(db, { name: 'Stavby Dvořák a.s.' });
    const attachment = createCategory(db, { name: 'Příloha', kind: 'document' });
    const id = insertEmail(db, {
      messageId: '<abc123@stavby.example>',
      folder: 'Doručená pošta',
      fromEmail: 'hana@stavby.example',
      fromName: 'Hana Němcová',
      to: [{ email: 'pavel@firma.example', name: 'Pavel Bartoš' }],
      cc: [{ email: 'jan@stavby.example', name: null }],
      subject: 'Poptávka',
      receivedAt: '2025-06-10T09:12:00+02:00',
      bodyText: 'Dobrý den, …',
      personIds: [person],
      companyIds: [company],
    });
    expect(getEmail(db, id)).toMatchObject({
      messageId: '<abc123@stavby.example>',
      to: [{ email: 'pavel@firma.example', name: 'Pavel Bartoš' }],
      cc: [{ email: 'jan@stavby.example', name: null }],
      receivedAt: '2025-06-10T07:12:00.000Z',
      personIds: [person],
      companyIds: [company],
    });
    expect(findEmailByMessageId(db, '<abc123@stavby.example>')?.id).toBe(id);
    expect(() =>
      insertEmail(db, {
        messageId: '<abc123@stavby.example>',
        folder: 'x',
        receivedAt: new Date(),
      }),
    ).toThrow(/UNIQUE/);

    const sha = 'A'.repeat(64);
    const doc = insertDocument(db, {
      emailId: id,
      path: '/home/pavel/Přílohy/poptávka.pdf',
      fileName: 'poptávka.pdf',
      size: 48213,
      sha256: sha,
      mimeType: 'application/pdf',
      categoryId: attachment,
    });
    expect(getDocument(db, doc)).toMatchObject({
      sha256: 'a'.repeat(64),
      size: 48213,
      emailId: id,
    });
    expect(listDocumentsOfEmail(db, id).map((d) => d.id)).toEqual([doc]);
    expect(findDocumentsBySha256(db, sha).map((d) => d.id)).toEqual([doc]);

    setEmailLinks(db, id, { personIds: [] });
    expect(getEmail(db, id)).toMatchObject({ personIds: [], companyIds: [company] });

    // The saved file outlives the message row.
    expect(deleteEmail(db, id)).toBe(true);
    expect(getDocument(db, doc)?.emailId).toBeNull();
    expect(deleteDocument(db, doc)).toBe(true);
  });

  it('lists messages newest first and tolerates foreign JSON', () => {
    const { db } = newCrm();
    insertEmail(db, { messageId: '<1>', folder: 'Inbox', receivedAt: '2025-06-01T10:00:00Z' });
    insertEmail(db, { messageId: '<2>', folder: 'Inbox', receivedAt: '2025-06-03T10:00:00Z' });
    insertEmail(db, { messageId: '<3>', folder: 'Archiv', receivedAt: '2025-06-02T10:00:00Z' });
    expect(listEmails(db).map((m) => m.messageId)).toEqual(['<2>', '<3>', '<1>']);
    expect(listEmails(db, { folder: 'Inbox' }).map((m) => m.messageId)).toEqual(['<2>', '<1>']);
    expect(listEmails(db, { since: '2025-06-02T00:00:00Z' })).toHaveLength(2);

    db.prepare(`UPDATE emails SET to_json = '[{"address":"x"}]' WHERE message_id = '<1>'`).run();
    expect(findEmailByMessageId(db, '<1>')?.to).toEqual([]);
  });
});
