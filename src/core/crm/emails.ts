/**
 * E-mail messages imported one way from the server, linked to the persons and companies
 * they concern. Message-ID identifies a message, so importing it again is detectable.
 */
import { z } from 'zod';
import type { CrmDatabase } from './database.ts';
import { definedOnly, deleteRow, ids, inTransaction, insertRow } from './sql.ts';
import type { SqlValue } from './sql.ts';
import { toUtcInstant } from './time.ts';
import type { CrmEmail, MailAddress, NewEmail } from './types.ts';

interface EmailRow {
  id: number;
  message_id: string;
  folder: string;
  from_email: string | null;
  from_name: string | null;
  to_json: string;
  cc_json: string;
  subject: string;
  received_at: string;
  body_text: string | null;
  owner_id: number | null;
  created_at: string;
}

// Another program may have written the JSON; read what is usable and drop the rest.
const addressList = z.array(
  z.object({ email: z.string(), name: z.string().nullable().optional() }),
);

function parseAddresses(json: string): MailAddress[] {
  try {
    const parsed = addressList.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data.map((a) => ({ email: a.email, name: a.name ?? null })) : [];
  } catch {
    return [];
  }
}

function addressJson(list: MailAddress[] | undefined): string | undefined {
  return list && JSON.stringify(list.map((a) => ({ email: a.email.trim(), name: a.name ?? null })));
}

function toEmail(db: CrmDatabase, r: EmailRow): CrmEmail {
  return {
    id: r.id,
    messageId: r.message_id,
    folder: r.folder,
    fromEmail: r.from_email,
    fromName: r.from_name,
    to: parseAddresses(r.to_json),
    cc: parseAddresses(r.cc_json),
    subject: r.subject,
    receivedAt: r.received_at,
    bodyText: r.body_text,
    ownerId: r.owner_id,
    personIds: ids(
      db,
      'SELECT person_id FROM email_persons WHERE email_id = ? ORDER BY person_id',
      r.id,
    ),
    companyIds: ids(
      db,
      'SELECT company_id FROM email_companies WHERE email_id = ? ORDER BY company_id',
      r.id,
    ),
    createdAt: r.created_at,
  };
}

/** Replaces the person and/or company links that are given. */
export function setEmailLinks(
  db: CrmDatabase,
  emailId: number,
  links: { personIds?: number[]; companyIds?: number[] },
): void {
  inTransaction(db, () => {
    if (links.personIds !== undefined) {
      db.prepare('DELETE FROM email_persons WHERE email_id = ?').run(emailId);
      const insert = db.prepare('INSERT INTO email_persons (email_id, person_id) VALUES (?, ?)');
      for (const id of new Set(links.personIds)) insert.run(emailId, id);
    }
    if (links.companyIds !== undefined) {
      db.prepare('DELETE FROM email_companies WHERE email_id = ?').run(emailId);
      const insert = db.prepare('INSERT INTO email_companies (email_id, company_id) VALUES (?, ?)');
      for (const id of new Set(links.companyIds)) insert.run(emailId, id);
    }
  });
}

/** Stores a message with its links; returns the new id. A known Message-ID is refused. */
export function insertEmail(db: CrmDatabase, email: NewEmail): number {
  const columns: Record<string, SqlValue> = definedOnly({
    message_id: email.messageId.trim(),
    folder: email.folder,
    from_email: email.fromEmail?.trim() ?? email.fromEmail,
    from_name: email.fromName,
    to_json: addressJson(email.to),
    cc_json: addressJson(email.cc),
    subject: email.subject,
    received_at: toUtcInstant(email.receivedAt),
    body_text: email.bodyText,
    owner_id: email.ownerId,
  });
  return inTransaction(db, () => {
    const id = insertRow(db, 'emails', columns);
    setEmailLinks(db, id, { personIds: email.personIds ?? [], companyIds: email.companyIds ?? [] });
    return id;
  });
}

export function getEmail(db: CrmDatabase, id: number): CrmEmail | undefined {
  const row = db.prepare<[number], EmailRow>('SELECT * FROM emails WHERE id = ?').get(id);
  return row && toEmail(db, row);
}

export function findEmailByMessageId(db: CrmDatabase, messageId: string): CrmEmail | undefined {
  const row = db
    .prepare<[string], EmailRow>('SELECT * FROM emails WHERE message_id = ?')
    .get(messageId.trim());
  return row && toEmail(db, row);
}

/** Messages newest first, optionally of one folder and/or received since an instant. */
export function listEmails(
  db: CrmDatabase,
  filter: { folder?: string; since?: string | Date } = {},
): CrmEmail[] {
  const where: string[] = [];
  const params: SqlValue[] = [];
  if (filter.folder !== undefined) {
    where.push('folder = ?');
    params.push(filter.folder);
  }
  if (filter.since !== undefined) {
    where.push('received_at >= ?');
    params.push(toUtcInstant(filter.since));
  }
  const sql = `SELECT * FROM emails${where.length ? ` WHERE ${where.join(' AND ')}` : ''}
    ORDER BY received_at DESC, id DESC`;
  return db
    .prepare<SqlValue[], EmailRow>(sql)
    .all(...params)
    .map((r) => toEmail(db, r));
}

/** Deletes the message; its saved documents stay (their email id becomes null). */
export function deleteEmail(db: CrmDatabase, id: number): boolean {
  return deleteRow(db, 'emails', id);
}
